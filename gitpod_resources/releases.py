"""The four Gitpod Self-Hosted 2022.11 releases and the gitpod-io/gitpod tags they were cut at:
what the guide's statements about Gitpod are read at, and what ``check --release`` names."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Release(StrEnum):
    """The Gitpod Self-Hosted 2022.11 releases, oldest first."""

    R0 = "2022.11.0"
    R1 = "2022.11.1"
    R2 = "2022.11.2"
    R3 = "2022.11.3"


@dataclass(frozen=True)
class Tag:
    """A release's tag in gitpod-io/gitpod, its commit and its date."""

    release: Release
    name: str
    commit: str
    date: str


#: The release tags the guide's claims about Gitpod are read at (git tags of gitpod-io/gitpod).
TAGS: dict[Release, Tag] = {
    t.release: t
    for t in (
        Tag(Release.R0, "2022.11.0", "9925027ba70141dd44e1764b92678e6159046f90", "2022-11-21"),
        Tag(Release.R1, "2022.11.1", "3c79f0c68c9e480f0e8daf65c44a484296161786", "2022-12-15"),
        Tag(
            Release.R2,
            "release-2022.11.2",
            "72e822c8dbc247382ff1e02032dec2231fe89698",
            "2023-03-01",
        ),
        Tag(Release.R3, "2022.11.3", "9ae8bfde2182c87b9a652f432c8061dce6994678", "2023-06-05"),
    )
}
RELEASES: tuple[Release, ...] = tuple(Release)
#: The release ``gitpod-resources check`` checks against unless told otherwise: the last one.
LATEST = Release.R3
RELEASE_FORM = "one of " + ", ".join(RELEASES)


def release_span(releases: frozenset[Release]) -> str:
    """``2022.11.0 to 2022.11.3``, ``2022.11.1 to 2022.11.3`` or one release, for messages."""
    ordered = [r for r in RELEASES if r in releases]
    if len(ordered) == 1:
        return ordered[0].value
    return f"{ordered[0].value} to {ordered[-1].value}"
