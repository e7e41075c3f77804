"""Run the checker in-process on a YAML text (no catch-all: a bug fails the test)."""

from __future__ import annotations

from datetime import date
from textwrap import dedent

from gitpod_resources import checker
from gitpod_resources.checker import FileResult, Finding
from gitpod_resources.schema import LATEST, Release

#: A fixed "today", after Container Registry's write shutdown.
TODAY = date(2026, 11, 29)
FILE = "gitpod.config.yaml"


def run(text: str, today: date = TODAY, release: Release = LATEST) -> FileResult:
    return checker.check_bytes(dedent(text).lstrip("\n").encode(), FILE, today, release)


def findings(text: str, today: date = TODAY) -> list[Finding]:
    result = run(text, today)
    assert result.unusable is None, result.unusable
    return result.findings


def codes(text: str, today: date = TODAY) -> set[str]:
    return {f.code for f in findings(text, today)}
