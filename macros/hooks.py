"""MkDocs hook: drop cached ``macros`` modules so ``mkdocs serve`` picks up edits to the rules.

mkdocs-macros imports a package module once per process; without this, a change under macros/
triggers a rebuild (``watch:``) that still renders with the old rules.
"""

from __future__ import annotations

import sys
from typing import Any


def on_config(config: Any) -> Any:
    for name in [n for n in sys.modules if n == "macros" or n.startswith("macros.")]:
        if name != __name__:
            del sys.modules[name]
    return config


# Run before the macros plugin loads the module (MkDocs' event_priority, without importing it).
on_config.mkdocs_priority = 100  # type: ignore[attr-defined]
