"""``gitpod-resources check``: lint a real Gitpod 2022.11 configuration with the guide's rules.

Reads installer configs (``apiVersion: v1``) and admin console exports (``kind: ConfigValues``),
runs every registered check (``checks/``) and returns located findings. Every rule comes from the
rules modules (``gitpod_resources.aws``, ``gitpod_resources.gcp``, ``gitpod_resources.registry``,
``gitpod_resources.schema``); the checks only decide where to look and how to word the finding.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from gitpod_resources import goyaml, schema
from gitpod_resources.schema import Release

from . import loader, suppress
from .checks import load_all
from .model import (
    KIND_LABELS,
    Check,
    DocKind,
    Document,
    Finding,
    Severity,
    get,
    registered,
)
from .tree import (
    UnusableInputError,
    YMap,
    YScalar,
    compose_documents,
    kind_name,
    read_limited,
    to_tree,
)

__all__ = [
    "Check",
    "DocKind",
    "FileResult",
    "Finding",
    "Severity",
    "all_checks",
    "check_bytes",
    "check_path",
]

#: The code of input the checker could not check (registered in ``checks/structure.py``).
UNUSABLE = "CFG100"
STDIN = "-"
STDIN_NAME = "<stdin>"
KOTS_KIND = "ConfigValues"
INSTALLER_API_VERSION = "v1"


@dataclass
class FileResult:
    file: str
    #: (document number, detected kind) for every document that was checked.
    documents: list[tuple[int, DocKind]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    #: The release the file was checked against.
    release: Release = schema.LATEST
    #: Findings a ``# gitpod-resources: ignore[CODE]`` comment on their line suppresses.
    suppressed: list[Finding] = field(default_factory=list)
    #: Documents that are YAML but no Gitpod config (0: the file holds no document at all).
    foreign: list[int] = field(default_factory=list)

    @property
    def problems(self) -> list[Finding]:
        """Input that could not be checked (CFG100): the file, or some of its documents."""
        return [f for f in self.findings if f.code == UNUSABLE]

    @property
    def unusable(self) -> str | None:
        """Why (part of) the file could not be checked, one line; None if it all was."""
        problems = self.problems
        return "; ".join(f.message for f in problems) if problems else None

    @property
    def no_gitpod_config(self) -> bool:
        """Readable YAML, but no document of it is a Gitpod config (skipped in directories)."""
        return not self.documents and 0 < len(self.foreign) == len(self.problems)

    @property
    def errors(self) -> int:
        return sum(f.severity is Severity.ERROR for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity is Severity.WARNING for f in self.findings)


def all_checks() -> list[Check]:
    load_all()
    return list(registered())


def detect(root: object, number: int) -> tuple[DocKind, YMap]:
    """Which document this is, or UnusableInputError saying what it expected."""
    where = f"document {number}: " if number > 1 else ""
    if not isinstance(root, YMap):
        raise UnusableInputError(
            f"{where}expected a mapping (an installer config or a ConfigValues document), "
            f"found {kind_name(root)}"  # type: ignore[arg-type]
        )
    kind = root.get("kind")
    api = root.get("apiVersion")
    if api is None:
        # The installer matches keys regardless of case; only 'apiVersion' itself is removed.
        api = next(
            (v for k, v in root.pairs if goyaml.equal_fold(schema.API_VERSION_KEY, k.text)), None
        )
    kind_text = kind.text if isinstance(kind, YScalar) else None
    if kind_text == KOTS_KIND:
        spec = root.get("spec")
        values = spec.get("values") if isinstance(spec, YMap) else None
        if not isinstance(values, YMap):
            raise UnusableInputError(
                f"{where}kind: ConfigValues needs spec.values, a mapping of item names "
                f"to {{value: ...}}; found {kind_name(values)}"
            )
        return DocKind.KOTS, root
    if api is None:
        known = [
            name
            for k, _ in root.pairs
            for name in schema.INSTALLER_CONFIG.keys
            if name != "kind" and goyaml.equal_fold(name, k.text)
        ]
        if known:
            return DocKind.INSTALLER, root
        raise UnusableInputError(
            f"{where}unknown document kind: expected an installer config (apiVersion: v1) "
            "or an admin console export (kind: ConfigValues)"
        )
    api_text = api.text if isinstance(api, YScalar) else None
    if api_text != INSTALLER_API_VERSION:
        raise UnusableInputError(
            f"{where}apiVersion: {api_text if api_text is not None else kind_name(api)!r} is "
            "not a Gitpod config; expected apiVersion: v1 (installer config) or "
            "kind: ConfigValues (admin console export)"
        )
    if kind is not None and kind_text not in schema.INSTALLATION_KINDS:
        shown = kind_text if kind_text is not None else kind_name(kind)
        raise UnusableInputError(
            f"{where}kind: {shown!r} is not a Gitpod installer config (its kind is one of "
            f"{', '.join(schema.INSTALLATION_KINDS)}) nor kind: ConfigValues"
        )
    return DocKind.INSTALLER, root


def run_checks(doc: Document, file: str) -> list[Finding]:
    findings = []
    for chk in all_checks():
        if doc.kind not in chk.kinds:
            continue
        for hit in chk.run(doc):
            line, column = hit.location()
            findings.append(
                Finding(
                    file,
                    line,
                    column,
                    hit.path,
                    chk.code,
                    chk.severity,
                    hit.message,
                    hit.fix,
                    chk.docs_url,
                    doc.number,
                    doc.release,
                )
            )
    findings.sort(key=lambda f: (f.line, f.column, f.code))
    return findings


def _unusable(file: str, message: str, number: int, release: Release, line: int = 1) -> Finding:
    """The CFG100 finding: input that could not be checked (``number`` 0: the whole file)."""
    chk = get(UNUSABLE)
    return Finding(
        file, line, 1, "", UNUSABLE, chk.severity, message, chk.fix, chk.docs_url, number, release
    )


def document(kind: DocKind, tree: YMap, number: int, today: date, release: Release) -> Document:
    """A detected document; an installer config is loaded as the installer loads it."""
    if kind is DocKind.INSTALLER:
        loaded = loader.load(tree, release)
        return Document(kind, loaded.canonical, number, today, release, tree, loaded)
    return Document(kind, tree, number, today, release, tree)


def check_bytes(
    data: bytes, file: str, today: date | None = None, release: Release = schema.LATEST
) -> FileResult:
    """Check every document in ``data`` against ``release``; never raises for bad input (the
    CFG100 findings say what could not be checked)."""
    load_all()
    result = FileResult(file, release=release)
    try:
        nodes = compose_documents(data)
    except UnusableInputError as err:
        result.findings.append(_unusable(file, str(err), 0, release))
        return result
    if not nodes:
        result.findings.append(_unusable(file, "no YAML document in it (empty file?)", 0, release))
        result.foreign.append(0)
        return result
    for number, node in nodes:
        if isinstance(node, UnusableInputError):
            result.findings.append(_unusable(file, str(node), number, release, _line(str(node))))
            continue
        try:
            kind, root = detect(to_tree(node), number)
        except UnusableInputError as err:
            line = node.start_mark.line + 1
            result.findings.append(_unusable(file, str(err), number, release, line))
            result.foreign.append(number)
            continue
        doc = document(kind, root, number, today or date.today(), release)
        result.documents.append((number, kind))
        result.findings += run_checks(doc, file)
    result.findings, result.suppressed = suppress.split(data, result.findings)
    return result


def _line(message: str) -> int:
    """The line a YAML error message names ("... line 7, column 3: ..."), else 1."""
    found = re.search(r"line (\d+)", message)
    return int(found.group(1)) if found else 1


def check_path(
    path: str, today: date | None = None, release: Release = schema.LATEST
) -> FileResult:
    """Check a file, or standard input for ``-``."""
    name = STDIN_NAME if path == STDIN else path
    try:
        if path == STDIN:
            data = read_limited(sys.stdin.buffer, name)
        else:
            with Path(path).open("rb") as stream:
                data = read_limited(stream, name)
    except UnusableInputError as err:
        return FileResult(name, findings=[_unusable(name, str(err), 0, release)], release=release)
    except OSError as err:
        message = f"cannot read: {err.strerror or err}"
        return FileResult(name, findings=[_unusable(name, message, 0, release)], release=release)
    return check_bytes(data, name, today, release)


def describe(result: FileResult) -> str:
    """What was detected in a file, for the summary line."""
    kinds = [KIND_LABELS[k] for _, k in result.documents]
    if not kinds:
        return "not checked"
    if len(kinds) == 1:
        return kinds[0]
    return f"{len(kinds)} documents: " + ", ".join(
        f"#{n} {KIND_LABELS[k]}" for n, k in result.documents
    )
