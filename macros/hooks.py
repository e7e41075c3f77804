"""MkDocs hooks: reload the rules on ``mkdocs serve``; trim what the browser need not lay out.

mkdocs-macros imports a package module once per process; without this, a change under macros/
triggers a rebuild (``watch:``) that still renders with the old rules.
"""

from __future__ import annotations

import re
import sys
from typing import Any


def on_config(config: Any) -> Any:
    for name in [n for n in sys.modules if n == "macros" or n.startswith("macros.")]:
        if name != __name__:
            del sys.modules[name]
    return config


# Run before the macros plugin loads the module (MkDocs' event_priority, without importing it).
on_config.mkdocs_priority = 100  # type: ignore[attr-defined]


#: Pygments wraps each run of whitespace in code in ``<span class="w">``; neither Material nor our
#: stylesheets style the class, so the span is a DOM node with no effect. /check/ had 455 of them
#: (15% of its elements), and every element costs style and layout time on a phone (issue 9).
_UNSTYLED_WHITESPACE = re.compile(r'<span class="w">([ \t\r\n]*)</span>')


def unwrap_whitespace_spans(html: str) -> str:
    """The same HTML without Pygments' unstyled whitespace spans (the whitespace stays)."""
    return _UNSTYLED_WHITESPACE.sub(r"\1", html)


def on_page_content(html: str, **_: Any) -> str:
    return unwrap_whitespace_spans(html)
