"""What a probe reports into: its findings (located, coded), the steps it ran with their results,
and the progress lines a terminal sees."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from gitpod_resources.checker.model import Finding
from gitpod_resources.schema import Release

from . import findings
from .findings import Where
from .net import Limits


class Result(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    WARNED = "warned"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Step:
    """One thing a probe found out: the target (``registry``, ``object storage``, ...), what it
    asked, and the answer."""

    target: str
    name: str
    result: Result
    detail: str


@dataclass
class Context:
    file: str
    release: Release
    limits: Limits = field(default_factory=Limits)
    #: A PEM file of CAs to trust for the registry and S3 (None: the system's and certifi's).
    ca_file: str | None = None
    progress: Callable[[str], None] = lambda _: None
    findings: list[Finding] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)

    def say(self, target: str, what: str) -> None:
        """A progress line: what is about to happen (shown on a terminal only)."""
        self.progress(f"{target}: {what}")

    def step(self, target: str, name: str, result: Result, detail: str) -> None:
        self.steps.append(Step(target, name, result, detail))

    def passed(self, target: str, name: str, detail: str) -> None:
        self.step(target, name, Result.PASSED, detail)

    def found(
        self, target: str, name: str, where: Where, code: str, message: str, fix: str
    ) -> None:
        """A problem: the finding, and the step marked failed (or warned, for a warning)."""
        f = findings.finding(self.file, self.release, where, code, message, fix)
        self.findings.append(f)
        result = Result.FAILED if f.severity.value == "error" else Result.WARNED
        self.step(target, name, result, f"{code}: {message}")
