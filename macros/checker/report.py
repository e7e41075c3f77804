"""Print findings: linter lines for people and editors, or a JSON array for programs."""

from __future__ import annotations

import json
from collections.abc import Sequence

from . import FileResult, describe
from .model import Finding


def human_line(f: Finding) -> str:
    """``FILE:LINE:COL: CODE severity: message (fix: ...)``, the form editors parse."""
    return f"{f.file}:{f.line}:{f.column}: {f.code} {f.severity.value}: {f.message} (fix: {f.fix})"


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary(results: Sequence[FileResult]) -> str:
    checked = [r for r in results if r.documents]
    errors = sum(r.errors for r in results)
    warnings = sum(r.warnings for r in results)
    parts = ", ".join(f"{r.file} as {describe(r)}" for r in checked) or "nothing"
    line = f"Checked {parts}: {_count(errors, 'error')}, {_count(warnings, 'warning')}"
    unusable = sum(r.unusable is not None for r in results)
    if unusable:
        line += f"; {_count(unusable, 'file')} could not be checked"
    return line + "."


def human(results: Sequence[FileResult]) -> str:
    lines = [human_line(f) for r in results for f in r.findings]
    return "\n".join([*lines, summary(results)]) + "\n"


def as_json(results: Sequence[FileResult]) -> str:
    return json.dumps([f.as_json() for r in results for f in r.findings], indent=2) + "\n"
