"""What a check is, what it reports, and the registry every check module adds itself to.

A check is one code with one severity, a summary, the guide section that explains it, an example
that triggers exactly that code, and a function. Its texts are data, its entry of ``checks.yaml``;
the function, registered under the code with :func:`check`, yields :class:`Hit` (where, what, how
to fix), and the runner adds the code, severity and docs URL. Check modules live in
``gitpod_resources/checker/checks/`` and are discovered, so a new section's checks are one new
module. :func:`split` registers one walk of a document as several checks, and :func:`on` runs a
check on what a selector finds in the document.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cache, wraps
from pathlib import Path
from string import Template
from typing import Any, TypeVar

import yaml

from gitpod_resources.schema import LATEST, RELEASES, Release

from . import project
from .loader import Loaded
from .tree import YMap, YNode

#: The published guide: pyproject.toml's ``[project.urls] Documentation``, which the site's
#: ``site_url`` comes from too (:mod:`.project`).
SITE_URL = project.documentation_url()
#: The page that lists every code; structural checks link to their own entry on it.
CHECK_PAGE = "check.md"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class DocKind(StrEnum):
    INSTALLER = "installer"
    KOTS = "kots"


KIND_LABELS = {
    DocKind.INSTALLER: "installer config (apiVersion: v1)",
    DocKind.KOTS: "admin console ConfigValues (kind: ConfigValues)",
}


@dataclass(frozen=True)
class Document:
    """One YAML document, detected as an installer config or a KOTS ConfigValues export.

    For an installer config, ``root`` is the config as the installer reads it (the canonical
    tree of :mod:`.loader`: keys named as its fields, string fields holding the strings it
    reads), ``raw`` as written, and ``load`` what the installer's load makes of it.
    """

    kind: DocKind
    root: YMap
    #: 1-based position in the file (files may hold several documents).
    number: int = 1
    #: "Today", for rules that depend on dates (GCR's shutdown); tests pin it.
    today: date = field(default_factory=date.today)
    #: The Gitpod release the document is checked against.
    release: Release = LATEST
    #: The document as written (installer configs; the same as ``root`` otherwise).
    raw: YMap | None = None
    load: Loaded | None = None


@dataclass(frozen=True)
class Hit:
    """A problem at one value: ``node`` locates it, ``path`` names it (dotted)."""

    node: YNode | None
    path: str
    message: str
    fix: str
    line: int = 0
    column: int = 0

    def location(self) -> tuple[int, int]:
        if self.node is not None:
            return self.node.line, self.node.column
        return self.line, self.column


CheckFn = Callable[[Document], Iterable[Hit]]
T = TypeVar("T")


@dataclass(frozen=True)
class Check:
    code: str
    severity: Severity
    summary: str
    #: Why it matters, for the reference page (one paragraph).
    why: str
    #: The general fix, for the reference page.
    fix: str
    #: ``page.md#anchor`` of the guide section that explains it ("" = this check's own entry).
    docs_ref: str
    kinds: frozenset[DocKind]
    run: CheckFn
    #: The releases whose installer or admin console the finding is about.
    releases: frozenset[Release] = frozenset(RELEASES)
    #: Ids of the claims (gitpod_resources.sources) the finding rests on; the check page cites them.
    claims: tuple[str, ...] = ()

    @property
    def example(self) -> str:
        """A whole YAML document that makes the checker report exactly this code
        (``examples/<CODE>.bad.yaml``, shown on the check page)."""
        return _example(self.code, "bad")

    @property
    def corrected(self) -> str:
        """The example corrected: the checker reports no error and not this code
        (``examples/<CODE>.good.yaml``)."""
        return _example(self.code, "good")

    @property
    def anchor(self) -> str:
        """The id of the check's entry on the check page."""
        return self.code.lower()

    @property
    def docs_page_ref(self) -> str:
        return self.docs_ref or f"{CHECK_PAGE}#{self.anchor}"

    @property
    def docs_url(self) -> str:
        """The site URL of :attr:`docs_page_ref` (``use_directory_urls``: ``page/#anchor``)."""
        page, _, anchor = self.docs_page_ref.partition("#")
        path = "" if page == "index.md" else page.removesuffix(".md") + "/"
        return f"{SITE_URL}{path}#{anchor}" if anchor else f"{SITE_URL}{path}"


@dataclass(frozen=True)
class Finding:
    file: str
    line: int
    column: int
    path: str
    code: str
    severity: Severity
    message: str
    fix: str
    docs: str
    #: The 1-based document of the file it is in (0: the file as a whole).
    document: int = 1
    #: The release it was checked against.
    release: Release = LATEST

    def as_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "document": self.document,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "fix": self.fix,
            "docs": self.docs,
            "release": self.release.value,
        }


_REGISTRY: dict[str, Check] = {}
#: Each check's examples, as files (package data): ``<CODE>.bad.yaml`` and ``<CODE>.good.yaml``.
EXAMPLES = Path(__file__).resolve().parent / "examples"
#: Each check's severity, texts, docs section, kinds and claims, by code (package data).
CHECKS_FILE = Path(__file__).resolve().parent / "checks.yaml"
_FIELDS = {"severity", "summary", "why", "fix", "docs", "kinds", "releases", "claims"}


def _example(code: str, which: str) -> str:
    return (EXAMPLES / f"{code}.{which}.yaml").read_text(encoding="utf-8")


@cache
def described() -> dict[str, dict[str, Any]]:
    """Every entry of :data:`CHECKS_FILE`, by code, read once."""
    entries: dict[str, dict[str, Any]] = yaml.load(
        CHECKS_FILE.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader
    )
    return entries


def _check(code: str, run: CheckFn, values: dict[str, str]) -> Check:
    """The check ``code`` as :data:`CHECKS_FILE` describes it, running ``run``; ``${name}`` in its
    texts is ``values[name]``."""
    entry = described().get(code)
    if entry is None:
        raise ValueError(f"{CHECKS_FILE.name} has no entry for {code}")
    if set(entry) - _FIELDS:
        raise ValueError(f"{CHECKS_FILE.name}: {code}: unknown keys {sorted(set(entry) - _FIELDS)}")
    texts = [Template(entry[name]) for name in ("summary", "why", "fix")]
    wanted = {name for text in texts for name in text.get_identifiers()}
    if wanted != set(values):
        raise ValueError(f"{code}: its texts take {sorted(wanted)}, given {sorted(values)}")
    summary, why, fix = (text.substitute(values) for text in texts)
    return Check(
        code,
        Severity(entry["severity"]),
        summary,
        why,
        fix,
        entry.get("docs", ""),
        frozenset(DocKind(k) for k in entry.get("kinds", DocKind)),
        run,
        frozenset(Release(r) for r in entry.get("releases", RELEASES)),
        tuple(entry.get("claims", ())),
    )


def check(code: str, **values: str) -> Callable[[CheckFn], CheckFn]:
    """Register the decorated function as the check ``code`` of :data:`CHECKS_FILE`; ``values``
    fill the ``${name}`` its texts hold."""

    def register(fn: CheckFn) -> CheckFn:
        if code in _REGISTRY:
            raise ValueError(f"check code {code} registered twice")
        _REGISTRY[code] = _check(code, fn, values)
        return fn

    return register


#: A function that walks a document once for several checks: (the check's name, hit).
SplitFn = Callable[[Document], Iterable[tuple[str, Hit]]]


def split(**registers: Callable[[CheckFn], CheckFn]) -> Callable[[SplitFn], SplitFn]:
    """Register the decorated :data:`SplitFn` as one check per keyword: the :func:`check` given
    as ``name=`` reports the hits yielded under ``name``. Checks split by severity yield the
    :class:`Severity`, whose names are ``error`` and ``warning``."""

    def register(fn: SplitFn) -> SplitFn:
        for name, register_check in registers.items():
            register_check(_only(fn, name))
        return fn

    return register


def _only(fn: SplitFn, name: str) -> CheckFn:
    @wraps(fn)
    def hits(doc: Document) -> Iterator[Hit]:
        return (hit for found, hit in fn(doc) if found == name)

    return hits


def on(
    select: Callable[[Document], T | None],
) -> Callable[[Callable[[T, Document], Iterable[Hit]]], CheckFn]:
    """The decorated check looks at what ``select`` finds in a document, given with the
    document; where ``select`` finds nothing, it finds nothing."""

    def decorate(fn: Callable[[T, Document], Iterable[Hit]]) -> CheckFn:
        @wraps(fn)
        def hits(doc: Document) -> Iterable[Hit]:
            found = select(doc)
            return () if found is None else fn(found, doc)

        return hits

    return decorate


def registered() -> Iterator[Check]:
    """Every registered check, by code."""
    yield from (_REGISTRY[c] for c in sorted(_REGISTRY))


def get(code: str) -> Check:
    return _REGISTRY[code]
