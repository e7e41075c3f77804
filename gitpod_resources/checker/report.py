"""Print findings: linter lines for people and editors, JSON for programs, GitHub workflow
commands and SARIF 2.1.0 for CI. Every writer takes the same results, so any subcommand can reuse
them.

Nothing a file holds can forge an output line: control characters, line and paragraph
separators, bidirectional overrides and undecodable bytes of a file name are shown as escapes
(``\\n``, ``\\x1b``, ``\\u202e``) in human output; GitHub's commands escape their data as GitHub's
toolkit does; JSON and SARIF are JSON, ASCII only.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from typing import TextIO

from . import UNUSABLE, FileResult, describe
from .model import Finding, Severity

#: The output formats, by ``--format`` name.
FORMATS = ("human", "json", "github", "sarif")

_HIDDEN = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x100:
        return _NAMED.get(char, f"\\x{code:02x}")
    return f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` on one line, every control or invisible direction character as an escape."""
    return _HIDDEN.sub(_escape, text)


# --- colour --------------------------------------------------------------------------------------

_RESET = "\x1b[0m"
_CODE = "\x1b[1m"
_SEVERITY = {Severity.ERROR: "\x1b[1;31m", Severity.WARNING: "\x1b[1;33m"}


def use_color(stream: TextIO) -> bool:
    """Colour on a terminal; never with ``NO_COLOR`` set, always with ``FORCE_COLOR`` set
    (https://no-color.org/; NO_COLOR wins)."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


# --- human ---------------------------------------------------------------------------------------


def human_line(f: Finding, color: bool = False) -> str:
    """``FILE:LINE:COL: CODE severity: message (fix: ...)``, the form editors parse."""
    code, severity = f.code, f.severity.value
    if color:
        code = f"{_CODE}{code}{_RESET}"
        severity = f"{_SEVERITY[f.severity]}{severity}{_RESET}"
    where = f"{visible(f.file)}:{f.line}:{f.column}"
    return f"{where}: {code} {severity}: {visible(f.message)} (fix: {visible(f.fix)})"


def problem_line(prog: str, f: Finding) -> str:
    """The stderr line for input that could not be checked (CFG100)."""
    return f"{prog}: {visible(f.file)}: {visible(f.message)}"


def skipped_line(prog: str, result: FileResult) -> str:
    """The stderr note for a file found in a directory that holds no Gitpod config."""
    why = "; ".join(f.message for f in result.problems)
    return f"{prog}: note: {visible(result.file)}: skipped, no Gitpod config in it ({visible(why)})"


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary(results: Sequence[FileResult], skipped: int = 0, release: str = "") -> str:
    checked = [r for r in results if r.documents]
    errors = sum(r.errors for r in results)
    warnings = sum(r.warnings for r in results)
    errors -= sum(len(r.problems) for r in results)
    parts = ", ".join(f"{visible(r.file)} as {describe(r)}" for r in checked) or "nothing"
    release = results[0].release.value if results else release
    line = f"Checked {parts} against Gitpod {release}: "
    line += f"{_count(errors, 'error')}, {_count(warnings, 'warning')}"
    suppressed = sum(len(r.suppressed) for r in results)
    if suppressed:
        line += f", {suppressed} suppressed"
    unusable = sum(r.unusable is not None for r in results)
    if unusable:
        line += f"; {_count(unusable, 'file')} could not be checked (all of it or some documents)"
    if skipped:
        line += f"; {_count(skipped, 'file')} skipped (no Gitpod config in them)"
    return line + "."


def human(
    results: Sequence[FileResult], *, color: bool = False, skipped: int = 0, release: str = ""
) -> str:
    """One line per finding (input problems go to stderr, see the CLI), then the summary."""
    lines = [human_line(f, color) for r in results for f in r.findings if f.code != UNUSABLE]
    return "\n".join([*lines, summary(results, skipped, release)]) + "\n"


# --- JSON ----------------------------------------------------------------------------------------


def _entries(result: FileResult) -> list[tuple[Finding, bool]]:
    """The findings of a file and its suppressed findings (True), in the order of the file."""
    both = [(f, False) for f in result.findings] + [(f, True) for f in result.suppressed]
    return sorted(both, key=lambda e: (e[0].document, e[0].line, e[0].column, e[0].code))


def as_json(results: Sequence[FileResult]) -> str:
    """A JSON array: every finding, suppressed ones included with ``"suppressed": true``."""
    out = [{**f.as_json(), "suppressed": s} for r in results for f, s in _entries(r)]
    return json.dumps(out, indent=2) + "\n"


# --- GitHub workflow commands -------------------------------------------------------------------


def github_data(text: str) -> str:
    """A command's message, escaped as GitHub's toolkit does (``%``, CR, LF); other control
    characters are shown as escapes."""
    shown = _HIDDEN.sub(lambda m: m.group() if m.group() in "\r\n" else _escape(m), text)
    return shown.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    """A command's property value: :func:`github_data`, and ``:`` and ``,`` too."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


def github_line(f: Finding) -> str:
    """``::error file=F,line=L,col=C,title=CODE::message (fix: ...)``; warnings as ``::warning``."""
    props = [f"file={github_property(f.file)}"]
    if f.line > 0:
        props += [f"line={f.line}", f"col={max(f.column, 1)}"]
    props.append(f"title={github_property(f.code)}")
    return f"::{f.severity.value} {','.join(props)}::{github_data(f'{f.message} (fix: {f.fix})')}"


def github(results: Sequence[FileResult], *, skipped: int = 0, release: str = "") -> str:
    """One workflow command per finding (unusable input included), then the summary line."""
    lines = [github_line(f) for r in results for f in r.findings]
    return "\n".join([*lines, summary(results, skipped, release)]) + "\n"


# --- all formats ---------------------------------------------------------------------------------


def render(
    fmt: str,
    results: Sequence[FileResult],
    *,
    color: bool = False,
    skipped: int = 0,
    release: str = "",
) -> str:
    """The whole output of a run in ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "human":
        return human(results, color=color, skipped=skipped, release=release)
    if fmt == "json":
        return as_json(results)
    if fmt == "github":
        return github(results, skipped=skipped, release=release)
    if fmt == "sarif":
        from . import sarif

        return sarif.dumps(results)
    raise ValueError(f"format {fmt!r}: expected one of {', '.join(FORMATS)}")
