"""Keep code in pages literal: Helm and Go templates (``{{ .Values.x }}``) must not be evaluated.

mkdocs-macros renders each page as a Jinja template, code included. Before it does, every fenced
block and inline code span is wrapped in ``{% raw %}``/``{% endraw %}`` on its own lines' ends, so
the rendered Markdown is byte-for-byte what the author wrote. Macros never sit inside code: a macro
that shows code returns the whole fenced block, and macro output is not rendered again.
"""

from __future__ import annotations

import re
from typing import Any

from markdown import Extension, Markdown  # type: ignore[import-untyped]
from markdown.preprocessors import Preprocessor  # type: ignore[import-untyped]

RAW, END_RAW = "{% raw %}", "{% endraw %}"
_FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})")
_INLINE = re.compile(r"(?<!`)(?P<ticks>`+)(?!`)(?P<body>.+?)(?<!`)(?P=ticks)(?!`)")


class LiteralCodeError(ValueError):
    """A code block contains the one sequence that cannot be kept literal."""


def protect_code(markdown: str, page: str = "<page>") -> str:
    """Wrap code in raw blocks; raise LiteralCodeError if the code itself holds ``{% endraw %}``."""
    out: list[str] = []
    lines = markdown.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        m = _FENCE_OPEN.match(line)
        if m is None:
            out.append(_protect_inline(line, page, i + 1))
            i += 1
            continue
        fence = m.group("fence")
        closing = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
        j = i + 1
        while j < len(lines) and not closing.match(lines[j]):
            j += 1
        block = lines[i : j + 1]
        if any("endraw" in b for b in block):
            raise LiteralCodeError(f"{page}:{i + 1}: a code block may not contain 'endraw'")
        start = m.group("indent")
        block[0] = start + RAW + line[len(start) :]
        block[-1] = block[-1] + END_RAW
        out.extend(block)
        i = j + 1
    return "\n".join(out)


def _protect_inline(line: str, page: str, lineno: int) -> str:
    def wrap(m: re.Match[str]) -> str:
        if "endraw" in m.group(0):
            raise LiteralCodeError(f"{page}:{lineno}: inline code may not contain 'endraw'")
        if "{" not in m.group("body"):
            return m.group(0)
        return RAW + m.group(0) + END_RAW

    return _INLINE.sub(wrap, line)


# Zensical runs mkdocs-macros as a Markdown preprocessor named "macros" (priority 35) and never
# calls on_pre_page_macros. This extension protects code just before it, and only when that
# preprocessor is there: under MkDocs the macros plugin has already rendered the page
# (on_page_markdown), so it does nothing. One configuration serves both engines.


class _ProtectBeforeMacros(Preprocessor):  # type: ignore[misc]
    def run(self, lines: list[str]) -> list[str]:
        if "macros" not in self.md.preprocessors:
            return lines
        return protect_code("\n".join(lines)).split("\n")


class LiteralCodeExtension(Extension):  # type: ignore[misc]
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.preprocessors.register(_ProtectBeforeMacros(md), "gp_literal_code", 36)


def makeExtension(**kwargs: Any) -> LiteralCodeExtension:  # noqa: N802 (Python-Markdown's name)
    return LiteralCodeExtension(**kwargs)
