"""Where the guide's statements about Gitpod come from: files of gitpod-io/gitpod at one of the
2022.11 release tags, with their line numbers.

A rules module that states what Gitpod's installer, admin console or components do registers
the statement with :func:`claim`, naming its sources: :func:`gitpod` for a file at a release tag,
:func:`upstream` for a file of another project at the version Gitpod pins (minio-go, Distribution)
or a cloud's own data. Pages show a section's sources with the ``cite`` macro, and the check page
shows each check's. Every link points at a commit, never at a branch; a link is not a request,
so the site still loads nothing from elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from .releases import LATEST, RELEASES, TAGS, Release

GITPOD = "https://github.com/gitpod-io/gitpod"


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


_CLAIMS: dict[str, Claim] = {}


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


def claim(
    claim_id: str,
    statement: str,
    *sources: Evidence,
    releases: tuple[Release, ...] = RELEASES,
) -> Claim:
    """Register ``statement`` under ``claim_id`` with its sources (at least one)."""
    if not sources:
        raise ValueError(f"claim {claim_id}: a statement about Gitpod needs a source")
    if claim_id in _CLAIMS:
        raise ValueError(f"claim {claim_id} registered twice")
    found = Claim(claim_id, statement, sources, frozenset(releases))
    _CLAIMS[claim_id] = found
    return found


def get(claim_id: str) -> Claim:
    """The claim registered as ``claim_id``; a one-line error naming the known ones if none."""
    if claim_id not in _CLAIMS:
        raise KeyError(f"no claim {claim_id!r}; known: {', '.join(sorted(_CLAIMS))}")
    return _CLAIMS[claim_id]


def claims() -> dict[str, Claim]:
    """Every registered claim, by id."""
    return dict(_CLAIMS)
