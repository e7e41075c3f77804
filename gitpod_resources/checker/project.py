"""What the project says about itself: its version and the one URL of its documentation.

``pyproject.toml`` is the one source. An installed package reads it through its metadata
(``[project.urls] Documentation``); a source checkout reads the file itself, because an editable
install's metadata can be stale (a build's ``*.egg-info`` left in the tree shadows it). The site
takes its ``site_url`` from :func:`documentation_url` too (``macros/hooks.py``).
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import metadata
from pathlib import Path

NAME = "gitpod-resources"
#: ``pyproject.toml`` of a source checkout (absent beside an installed package).
PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


@cache
def _project() -> tuple[str, dict[str, str]]:
    """(version, {label: url}) from the source tree's pyproject.toml, else the metadata."""
    if PYPROJECT.is_file():
        project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8")).get("project", {})
        if project.get("name") == NAME:
            return str(project["version"]), {k: str(v) for k, v in project["urls"].items()}
    meta = metadata.metadata(NAME)
    urls = {}
    for entry in meta.get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        urls[label.strip()] = url.strip()
    return meta["Version"], urls


def version() -> str:
    return _project()[0]


def documentation_url() -> str:
    """The published guide, with a trailing slash (``[project.urls] Documentation``)."""
    url = _project()[1]["Documentation"]
    return url if url.endswith("/") else url + "/"
