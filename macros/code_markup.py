"""Python-Markdown extension: code blocks written as a reader and a phone need them.

- Focusable: with Material's ``content.lazy`` a block is mounted (its copy button added) only once
  it is on screen; until then a block that scrolls sideways has no ``tabindex`` and cannot be
  scrolled from the keyboard (axe ``scrollable-region-focusable``). Every ``pre > code`` is written
  with ``tabindex="0"``; Material's own mount then keeps it on a block that scrolls and removes it
  from one that does not.
- Lean: Pygments wraps each run of whitespace in ``<span class="w">``, which nothing styles (455
  spans on /check/): the spans go, the whitespace stays.
- Tables keyboard-scrollable: on a phone a table whose code stays whole is wider than the screen
  and scrolls sideways in Material's wrapper; every table Material wraps (one without a class) is
  written with ``tabindex="0"`` so that wrapper holds a focus stop (axe
  ``scrollable-region-focusable``) from which the arrow keys scroll it.
- Breakable between words: inline code outside tables that a phone's narrowest line may not hold
  whole (``LONG_INLINE`` characters or more: a long config key, a host and its path) gets
  ``<wbr>`` before each dot and after each slash between words, so it wraps there rather than
  inside a word (docs/stylesheets/a11y.css keeps shorter code whole). ``<wbr>`` adds no text:
  what is copied, searched and tested is unchanged.

A Markdown extension, not an MkDocs hook, so Zensical runs it too.
"""

from __future__ import annotations

import re
from typing import Any

from markdown import Extension, Markdown  # type: ignore[import-untyped]
from markdown.postprocessors import Postprocessor  # type: ignore[import-untyped]

_CODE_IN_PRE = re.compile(r"(<pre(?:\s[^>]*)?>(?:<span></span>)?<code)(?![^>]*\stabindex=)")
_UNSTYLED_WHITESPACE = re.compile(r'<span class="w">([ \t\r\n]*)</span>')
_TABLE = re.compile(r"<table(?![^>]*\s(?:class|tabindex)=)")
#: Inline code at least this long (in characters of text) gets line-break opportunities.
LONG_INLINE = 30
_PRE_OR_TABLE = re.compile(r"(<pre(?:\s[^>]*)?>.*?</pre>|<table(?:\s[^>]*)?>.*?</table>)", re.S)
_INLINE_CODE = re.compile(r"(<code(?:\s[^>]*)?>)(.*?)(</code>)", re.S)
_TAG = re.compile(r"(<[^>]*>)")
_ENTITY = re.compile(r"&#?\w+;")
_BEFORE_DOT = re.compile(r"(?<=[\w;])\.(?=[\w&])")
_AFTER_SLASH = re.compile(r"/(?=[\w&])")


def _breakable(match: re.Match[str]) -> str:
    opening, inner, closing = match.groups()
    if len(_ENTITY.sub("x", _TAG.sub("", inner))) < LONG_INLINE:
        return match.group(0)
    parts = _TAG.split(inner)
    for i in range(0, len(parts), 2):  # text between tags, never a tag itself
        parts[i] = _AFTER_SLASH.sub("/<wbr>", _BEFORE_DOT.sub("<wbr>.", parts[i]))
    return opening + "".join(parts) + closing


def inline_breaks(html: str) -> str:
    """``html`` with ``<wbr>`` before dots and after slashes of long inline code, outside code
    blocks and tables (code in a table never wraps: the table scrolls)."""
    parts = _PRE_OR_TABLE.split(html)
    for i in range(0, len(parts), 2):  # outside code blocks and tables
        parts[i] = _INLINE_CODE.sub(_breakable, parts[i])
    return "".join(parts)


def code_markup(html: str) -> str:
    """The page's HTML with every code block and table focusable, no unstyled whitespace span,
    and long inline code breakable between words."""
    html = _UNSTYLED_WHITESPACE.sub(r"\1", _CODE_IN_PRE.sub(r'\1 tabindex="0"', html))
    return inline_breaks(_TABLE.sub('<table tabindex="0"', html))


class _CodeMarkup(Postprocessor):  # type: ignore[misc]
    def run(self, text: str) -> str:
        return code_markup(text)


class CodeMarkupExtension(Extension):  # type: ignore[misc]
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        # After the raw-HTML postprocessor (priority 30) has put Pygments' blocks back.
        md.postprocessors.register(_CodeMarkup(md), "gp_code_markup", 5)


def makeExtension(**kwargs: Any) -> CodeMarkupExtension:  # noqa: N802 (Python-Markdown's name)
    return CodeMarkupExtension(**kwargs)
