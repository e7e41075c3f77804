"""MkDocs hook: drop cached ``macros`` and ``gitpod_resources`` modules so ``mkdocs serve``
picks up edits to the site glue and the rules.

mkdocs-macros imports a package module once per process; without this, a change under macros/ or
gitpod_resources/ triggers a rebuild (``watch:``) that still renders with the old code.
"""

from __future__ import annotations

import sys
from typing import Any


def on_config(config: Any) -> Any:
    reloaded = ("macros", "gitpod_resources")
    for name in [n for n in sys.modules if n.split(".")[0] in reloaded]:
        if name != __name__:
            del sys.modules[name]
    return config


# Run before the macros plugin loads the module (MkDocs' event_priority, without importing it).
on_config.mkdocs_priority = 100  # type: ignore[attr-defined]
