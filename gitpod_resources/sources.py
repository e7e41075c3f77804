"""Where the guide's statements about Gitpod come from: files of gitpod-io/gitpod at one of the
2022.11 release tags, with their line numbers.

Every statement about what Gitpod's installer, admin console or components do is a claim in
``data/claims.yaml``, with its sources: lines of a file of gitpod-io/gitpod at a release tag, lines
of a file of another project at the commit Gitpod pins (minio-go, Distribution, Harbor: the file's
``projects``), or a cloud's own pages. Pages show a section's sources with the ``cite`` macro, and
the check page shows each check's. Every link points at a commit, never at a branch; a link is not
a request, so the site still loads nothing from elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .releases import LATEST, RELEASES, TAGS, Release

GITPOD = "https://github.com/gitpod-io/gitpod"
#: The claims and the other projects their sources are read at (package data).
CLAIMS_FILE = Path(__file__).resolve().parent / "data" / "claims.yaml"


@dataclass(frozen=True)
class Source:
    """Lines of a file in gitpod-io/gitpod at a release tag (the same at the other releases the
    claim holds for, unless the claim says otherwise)."""

    path: str
    first: int
    last: int
    release: Release = LATEST

    @property
    def url(self) -> str:
        lines = f"L{self.first}" if self.last == self.first else f"L{self.first}-L{self.last}"
        return f"{GITPOD}/blob/{TAGS[self.release].commit}/{self.path}#{lines}"

    @property
    def label(self) -> str:
        where = (
            f"line {self.first}" if self.last == self.first else f"lines {self.first}-{self.last}"
        )
        return f"{self.path.rsplit('/', 1)[-1]}, {where}, at {TAGS[self.release].name}"

    @property
    def title(self) -> str:
        return f"{self.path} in gitpod-io/gitpod at tag {TAGS[self.release].name}"


@dataclass(frozen=True)
class Upstream:
    """A file of another project at a pinned commit, or a provider's published data."""

    label: str
    url: str
    title: str


Evidence = Source | Upstream


@dataclass(frozen=True)
class Claim:
    """A statement about what Gitpod does, the releases it holds for, and its sources."""

    id: str
    statement: str
    sources: tuple[Evidence, ...]
    releases: frozenset[Release]

    @property
    def since(self) -> Release | None:
        """The first release it holds for, when that is not the first 2022.11 release."""
        first = next(r for r in RELEASES if r in self.releases)
        return None if first == RELEASES[0] else first


def gitpod(path: str, first: int, last: int | None = None, release: Release = LATEST) -> Source:
    """Lines ``first``-``last`` of ``path`` in gitpod-io/gitpod at ``release``'s tag."""
    if path.startswith("/") or "://" in path:
        raise ValueError(f"source path {path!r}: expected a path inside gitpod-io/gitpod")
    if first < 1 or (last is not None and last < first):
        raise ValueError(f"source {path}: lines {first}-{last} are not a range")
    return Source(path, first, first if last is None else last, release)


def upstream(label: str, url: str, title: str) -> Upstream:
    """A pinned file of another project (``url`` must name a commit or a versioned page)."""
    if not url.startswith("https://"):
        raise ValueError(f"upstream source {label!r}: expected an https URL, got {url!r}")
    return Upstream(label, url, title)


def _lines(value: object) -> tuple[int, int]:
    """``lines:`` of a source, ``12`` or ``12-34``."""
    first, _, last = str(value).partition("-")
    lines = int(first), int(last or first)
    if lines[0] < 1 or lines[1] < lines[0]:
        raise ValueError(f"lines {value} are not a range")
    return lines


def _project_source(project: dict[str, str], path: str, entry: dict[str, Any]) -> Upstream:
    """Lines of ``path`` in one of the claims file's ``projects``: its label and title templates
    filled in, unless the source gives its own."""
    first, last = _lines(entry.pop("lines"))
    fields = {
        "file": path.rsplit("/", 1)[-1],
        "lines": f"line {first}" if first == last else f"lines {first}-{last}",
        "version": project["version"],
        "what": entry.pop("what", path),
    }
    anchor = f"L{first}" if first == last else f"L{first}-L{last}"
    return upstream(
        entry.pop("label", project["label"].format(**fields)),
        f"{project['url']}/{path}#{anchor}",
        entry.pop("title", project["title"].format(**fields)),
    )


def _source(entry: dict[str, Any], projects: dict[str, dict[str, str]]) -> Evidence:
    """One source of the claims file: ``gitpod:``, a project's name, or ``label``, ``url`` and
    ``title`` of any other page."""
    entry = dict(entry)
    if "gitpod" in entry:
        first, last = _lines(entry.pop("lines"))
        found: Evidence = gitpod(
            entry.pop("gitpod"), first, last, Release(entry.pop("release", LATEST))
        )
    elif named := [p for p in projects if p in entry]:
        found = _project_source(projects[named[0]], entry.pop(named[0]), entry)
    else:
        found = upstream(entry.pop("label"), entry.pop("url"), entry.pop("title"))
    if entry:
        raise ValueError(f"unknown keys {sorted(entry)}")
    return found


@cache
def _claims() -> dict[str, Claim]:
    """Every claim of :data:`CLAIMS_FILE`, read once."""
    doc = yaml.load(CLAIMS_FILE.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    found: dict[str, Claim] = {}
    for claim_id, entry in doc["claims"].items():
        try:
            evidence = tuple(_source(s, doc["projects"]) for s in entry["sources"])
        except (KeyError, ValueError) as err:
            problem = f"no {err}" if isinstance(err, KeyError) else str(err)
            raise ValueError(f"{CLAIMS_FILE.name}: claim {claim_id}: {problem}") from None
        if not evidence:
            raise ValueError(f"{CLAIMS_FILE.name}: claim {claim_id}: no source")
        held = frozenset(Release(r) for r in entry.get("releases", RELEASES))
        found[claim_id] = Claim(claim_id, entry["statement"], evidence, held)
    return found


def get(claim_id: str) -> Claim:
    """The claim ``claim_id``; a one-line error naming the known ones if none."""
    known = _claims()
    if claim_id not in known:
        raise KeyError(f"no claim {claim_id!r}; known: {', '.join(sorted(known))}")
    return known[claim_id]


def claims() -> dict[str, Claim]:
    """Every claim, by id."""
    return dict(_claims())
