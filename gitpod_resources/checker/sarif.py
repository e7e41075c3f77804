"""SARIF 2.1.0 (OASIS), the format GitHub code scanning uploads: one rule per check, one result
per finding.

Each rule's ``shortDescription`` is the check's summary (its title), ``fullDescription`` why it
matters, ``help`` the fix and ``helpUri`` its entry on the check page; its default level comes
from its severity. A result has the file as a relative (or ``file:``) URI and the line and column
of the value. A finding suppressed by an inline comment is a result with an ``inSource``
suppression, as SARIF records it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import PurePosixPath, PureWindowsPath
from urllib.parse import quote

from . import STDIN_NAME, FileResult, all_checks, project
from .model import CHECK_PAGE, SITE_URL, Check, Finding

VERSION = "2.1.0"
SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
#: Where the check page is (``use_directory_urls``: ``check/``).
CHECK_PAGE_URL = f"{SITE_URL}{CHECK_PAGE.removesuffix('.md')}/"


def entry_url(chk: Check) -> str:
    """The check's own entry on the check page."""
    return f"{CHECK_PAGE_URL}#{chk.anchor}"


def rule(chk: Check) -> dict[str, object]:
    return {
        "id": chk.code,
        "shortDescription": {"text": chk.summary},
        "fullDescription": {"text": chk.why},
        "help": {"text": f"Fix: {chk.fix} See {entry_url(chk)}"},
        "helpUri": entry_url(chk),
        "defaultConfiguration": {"level": chk.severity.value},
        "properties": {"tags": [chk.code.rstrip("0123456789")]},
    }


def artifact_uri(file: str) -> str:
    """A relative path as a relative URI reference (``/`` separators, percent-encoded); an
    absolute one as a ``file:`` URI."""
    if PurePosixPath(file).is_absolute():
        return "file://" + quote(file, safe="/", errors="surrogateescape")
    if PureWindowsPath(file).is_absolute():
        return "file:///" + quote(PureWindowsPath(file).as_posix(), safe="/:")
    return quote(PurePosixPath(file).as_posix(), safe="/", errors="surrogateescape")


def _location(f: Finding) -> dict[str, object]:
    artifact: dict[str, object]
    if f.file == STDIN_NAME:
        artifact = {"description": {"text": "standard input"}}
    else:
        artifact = {"uri": artifact_uri(f.file)}
    physical: dict[str, object] = {"artifactLocation": artifact}
    if f.line > 0:
        physical["region"] = {"startLine": f.line, "startColumn": max(f.column, 1)}
    location: dict[str, object] = {"physicalLocation": physical}
    if f.path:
        location["logicalLocations"] = [{"fullyQualifiedName": f.path, "kind": "member"}]
    return location


def result(f: Finding, index: int, suppressed: bool) -> dict[str, object]:
    out: dict[str, object] = {
        "ruleId": f.code,
        "ruleIndex": index,
        "level": f.severity.value,
        "message": {"text": f"{f.message} (fix: {f.fix})"},
        "locations": [_location(f)],
        "properties": {"document": f.document, "release": f.release.value, "docs": f.docs},
    }
    if suppressed:
        out["suppressions"] = [
            {"kind": "inSource", "justification": "# gitpod-resources: ignore[...] comment"}
        ]
    return out


def log(results: Sequence[FileResult]) -> dict[str, object]:
    """The SARIF log of one run."""
    checks = all_checks()
    index = {c.code: i for i, c in enumerate(checks)}
    found = [
        result(f, index[f.code], s)
        for r in results
        for f, s in sorted(
            [(f, False) for f in r.findings] + [(f, True) for f in r.suppressed],
            key=lambda e: (e[0].document, e[0].line, e[0].column, e[0].code),
        )
    ]
    return {
        "$schema": SCHEMA_URI,
        "version": VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": project.NAME,
                        "version": project.version(),
                        "informationUri": CHECK_PAGE_URL,
                        "rules": [rule(c) for c in checks],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": found,
            }
        ],
    }


def dumps(results: Sequence[FileResult]) -> str:
    return json.dumps(log(results), indent=2) + "\n"
