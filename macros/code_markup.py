"""Python-Markdown extension: code blocks written as a reader and a phone need them.

- Focusable: with Material's ``content.lazy`` a block is mounted (its copy button added) only once
  it is on screen; until then a block that scrolls sideways has no ``tabindex`` and cannot be
  scrolled from the keyboard (axe ``scrollable-region-focusable``). Every ``pre > code`` is written
  with ``tabindex="0"``; Material's own mount then keeps it on a block that scrolls and removes it
  from one that does not.
- Lean: Pygments wraps each run of whitespace in ``<span class="w">``, which nothing styles (455
  spans on /check/): the spans go, the whitespace stays.

A Markdown extension, not an MkDocs hook, so Zensical runs it too.
"""

from __future__ import annotations

import re
from typing import Any

from markdown import Extension, Markdown  # type: ignore[import-untyped]
from markdown.postprocessors import Postprocessor  # type: ignore[import-untyped]

_CODE_IN_PRE = re.compile(r"(<pre(?:\s[^>]*)?>(?:<span></span>)?<code)(?![^>]*\stabindex=)")
_UNSTYLED_WHITESPACE = re.compile(r'<span class="w">([ \t\r\n]*)</span>')


def code_markup(html: str) -> str:
    """The page's HTML with every code block focusable and no unstyled whitespace span."""
    return _UNSTYLED_WHITESPACE.sub(r"\1", _CODE_IN_PRE.sub(r'\1 tabindex="0"', html))


class _CodeMarkup(Postprocessor):  # type: ignore[misc]
    def run(self, text: str) -> str:
        return code_markup(text)


class CodeMarkupExtension(Extension):  # type: ignore[misc]
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        # After the raw-HTML postprocessor (priority 30) has put Pygments' blocks back.
        md.postprocessors.register(_CodeMarkup(md), "gp_code_markup", 5)


def makeExtension(**kwargs: Any) -> CodeMarkupExtension:  # noqa: N802 (Python-Markdown's name)
    return CodeMarkupExtension(**kwargs)
