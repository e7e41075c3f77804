"""Print findings: linter lines for people and editors, or a JSON array for programs."""

from __future__ import annotations

import json
from collections.abc import Sequence

from . import UNUSABLE, FileResult, describe
from .model import Finding


def human_line(f: Finding) -> str:
    """``FILE:LINE:COL: CODE severity: message (fix: ...)``, the form editors parse."""
    return f"{f.file}:{f.line}:{f.column}: {f.code} {f.severity.value}: {f.message} (fix: {f.fix})"


def problem_line(prog: str, f: Finding) -> str:
    """The stderr line for input that could not be checked (CFG100)."""
    return f"{prog}: {f.file}: {f.message}"


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary(results: Sequence[FileResult]) -> str:
    checked = [r for r in results if r.documents]
    errors = sum(r.errors for r in results)
    warnings = sum(r.warnings for r in results)
    errors -= sum(len(r.problems) for r in results)
    parts = ", ".join(f"{r.file} as {describe(r)}" for r in checked) or "nothing"
    release = results[0].release.value if results else ""
    line = f"Checked {parts} against Gitpod {release}: "
    line += f"{_count(errors, 'error')}, {_count(warnings, 'warning')}"
    unusable = sum(r.unusable is not None for r in results)
    if unusable:
        line += f"; {_count(unusable, 'file')} could not be checked (all of it or some documents)"
    return line + "."


def human(results: Sequence[FileResult]) -> str:
    """One line per finding (input problems go to stderr, see the CLI), then the summary."""
    lines = [human_line(f) for r in results for f in r.findings if f.code != UNUSABLE]
    return "\n".join([*lines, summary(results)]) + "\n"


def as_json(results: Sequence[FileResult]) -> str:
    return json.dumps([f.as_json() for r in results for f in r.findings], indent=2) + "\n"
