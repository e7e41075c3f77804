"""The files a run checks: named files, standard input (``-``), and every ``*.yaml``/``*.yml``
file below a named directory, sorted, hidden directories (``.git``, ``.github``) left out."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Target:
    path: str
    #: Found below a directory: a file there that holds no Gitpod config is skipped, not unusable.
    found: bool = False
    #: A directory with no YAML file below it (reported as unusable input).
    empty_directory: bool = False


def _below(directory: str) -> Iterator[str]:
    found = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found += [os.path.join(root, f) for f in files if f.endswith(SUFFIXES)]
    yield from sorted(found, key=lambda p: Path(p).parts)


def expand(paths: Sequence[str]) -> list[Target]:
    """Each path as given, a directory replaced by its YAML files; each file once."""
    out: list[Target] = []
    seen: set[str] = set()
    for path in paths:
        if path != "-" and os.path.isdir(path):
            files = list(_below(path))
            if not files:
                out.append(Target(path, empty_directory=True))
            targets = [Target(f, found=True) for f in files]
        else:
            targets = [Target(path)]
        for target in targets:
            if target.path not in seen:
                seen.add(target.path)
                out.append(target)
    return out
