"""MkDocs hook: trim markup the browser would lay out for nothing (issue 9, mobile speed).

Presentation only, so ``make bench`` keeps it in the build it compares against.
"""

from __future__ import annotations

import re
from typing import Any

#: Pygments wraps each run of whitespace in code in ``<span class="w">``; neither Material nor our
#: stylesheets style the class, so the span is a DOM node with no effect. /check/ had 455 of them
#: (15% of its elements), and every element costs style and layout time on a phone (issue 9).
_UNSTYLED_WHITESPACE = re.compile(r'<span class="w">([ \t\r\n]*)</span>')


def unwrap_whitespace_spans(html: str) -> str:
    """The same HTML without Pygments' unstyled whitespace spans (the whitespace stays)."""
    return _UNSTYLED_WHITESPACE.sub(r"\1", html)


def on_page_content(html: str, **_: Any) -> str:
    return unwrap_whitespace_spans(html)
