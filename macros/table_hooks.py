"""MkDocs hook: tables arrive already wrapped the way Material's script would wrap them (issue 9).

On load, Material's bundle finds every ``table:not([class])`` in the content and moves it into
``<div class="md-typeset__scrollwrap"><div class="md-typeset__table">``. Moving a table throws
its layout away and builds it again, after the page has been laid out once: on a page with big
tables most of the blocking time Lighthouse counts on a phone (measured alternately, mobile
preset, 3 runs: /reference/artifact-registry/ 86 -> 99, /reference/s3-endpoints/ 84 -> 98,
/container-registry/ 84 -> 96).

Here each table is written inside those two wrappers and carries the class ``gp-prewrapped``, so
Material's selector no longer picks it up. Material styles tables by the same selector, so every
rule that selects ``table:not([class])``, in the theme's stylesheets and then in ours (which
select tables the way Material does), is appended to our ``stylesheets/perf.css`` once more, for
``table.gp-prewrapped`` (same specificity; the copies keep their order, after the theme's
generic rules, as the originals come).

tests/browser/test_prewrapped_tables.py builds one page with and without this hook and compares,
in Chromium, the markup after load and every computed style of every element, in both palettes,
on a phone and a desktop.

MkDocs is imported only to stop a build (PluginError); it calls the hooks with its objects.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NoReturn, Protocol

MATERIAL_SELECTOR = "table:not([class])"
"""What Material's script wraps and its stylesheet styles."""
PREWRAPPED_CLASS = "gp-prewrapped"
PREWRAPPED_SELECTOR = f"table.{PREWRAPPED_CLASS}"
WRAPPER_OPEN = '<div class="md-typeset__scrollwrap"><div class="md-typeset__table">'
WRAPPER_CLOSE = "</div></div>"
#: The stylesheet our copy of the table rules is appended to (linked in every page's head).
TARGET_STYLESHEET = "stylesheets/perf.css"
#: Material's compiled stylesheets, as its theme ships them.
THEME_STYLESHEET = re.compile(r"assets/stylesheets/[a-z]+\.[0-9a-f]+\.min\.css")
#: At-rules whose block holds style rules: kept around the copied rules they contain.
_GROUPING_AT_RULES = ("@media", "@supports", "@container", "@layer")


def _fail(message: str) -> NoReturn:
    """Stop the build with one line (MkDocs prints a PluginError without a traceback)."""
    from mkdocs.exceptions import PluginError

    raise PluginError(message)


_TABLE = re.compile(r"<table(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</table>", re.DOTALL)


def prewrap_tables(html: str, where: str = "page content") -> str:
    """The same HTML with each class-less table inside Material's two wrappers, classed
    ``gp-prewrapped``. A table that has a class is left alone, as Material leaves it. ``where``
    (the page's source file) names the page in an error."""

    def wrap(match: re.Match[str]) -> str:
        attrs, body = match["attrs"], match["body"]
        if "<table" in body:
            _fail(f"{where}: a table inside a table; the table hook cannot wrap it")
        if re.search(r"\sclass\s*=", attrs):
            return match[0]
        return (
            f'{WRAPPER_OPEN}<table{attrs} class="{PREWRAPPED_CLASS}">{body}</table>{WRAPPER_CLOSE}'
        )

    return _TABLE.sub(wrap, html)


#: What the statement scanner stops at: strings and comments (skipped whole), braces, semicolons.
_CSS_TOKEN = re.compile(r""""(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|/\*.*?\*/|[{};]""", re.DOTALL)


_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


def css_statements(css: str) -> Iterator[tuple[str, str | None]]:
    """Top-level statements of a stylesheet as (prelude, block): block is None for a statement
    that ends in ``;`` (``@charset``, ``@import``). Strings and comments are skipped over, so a
    brace inside them does not count; a prelude comes without its comments (a comma in one
    would split the selector list)."""
    depth, start, prelude_end = 0, 0, -1
    for token in _CSS_TOKEN.finditer(css):
        c, i = token[0], token.start()
        if c == "{":
            if depth == 0:
                prelude_end = i
            depth += 1
        elif c == "}":
            depth -= 1
            if depth < 0:
                _fail(f"stylesheet: unbalanced '}}' at offset {i}")
            if depth == 0:
                yield _COMMENT.sub("", css[start:prelude_end]).strip(), css[prelude_end + 1 : i]
                start = i + 1
        elif c == ";" and depth == 0:
            yield _COMMENT.sub("", css[start:i]).strip(), None
            start = i + 1
    if depth:
        _fail("stylesheet: a block is not closed")


def split_selectors(prelude: str) -> list[str]:
    """A selector list split at its top-level commas (not those inside ``:is(...)`` etc.)."""
    parts, depth, start = [], 0, 0
    for i, c in enumerate(prelude):
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        elif c == "," and depth == 0:
            parts.append(prelude[start:i].strip())
            start = i + 1
    parts.append(prelude[start:].strip())
    return parts


def prewrapped_table_rules(css: str) -> str:
    """Every rule of ``css`` that selects ``table:not([class])``, selecting the pre-wrapped table
    instead, inside the same @media/@supports blocks; the rest of the stylesheet is dropped."""
    out: list[str] = []
    for prelude, block in css_statements(css):
        if block is None or (MATERIAL_SELECTOR not in block and MATERIAL_SELECTOR not in prelude):
            continue
        if prelude.startswith(_GROUPING_AT_RULES):
            inner = prewrapped_table_rules(block)
            if inner:
                out.append(f"{prelude}{{{inner}}}")
        elif prelude.startswith("@"):
            continue  # @font-face, @keyframes, @page: nothing selects a table there
        else:
            kept = [s for s in split_selectors(prelude) if MATERIAL_SELECTOR in s]
            if kept:
                selectors = ",".join(
                    s.replace(MATERIAL_SELECTOR, PREWRAPPED_SELECTOR) for s in kept
                )
                out.append(f"{selectors}{{{block}}}")
    return "".join(out)


class _File(Protocol):
    """The part of MkDocs' ``File`` this hook uses."""

    src_uri: str
    content_string: str


def append_table_rules(files: Iterable[_File], own: Sequence[str] = ()) -> None:
    """Append to ``TARGET_STYLESHEET`` the table rules of the theme's stylesheets, then those of
    ``own`` (the docs-relative stylesheets every page links after the theme's: ``extra_css`` and
    the target itself), each copied for the pre-wrapped table, in the order the page loads them.
    So our own stylesheets select tables the way Material does, and the copy covers them too."""
    files = list(files)
    theme = sorted(
        (f for f in files if THEME_STYLESHEET.fullmatch(f.src_uri)), key=lambda f: f.src_uri
    )
    targets = [f for f in files if f.src_uri == TARGET_STYLESHEET]
    if not theme or len(targets) != 1:
        _fail(
            f"table hook: needs Material's assets/stylesheets/*.min.css and exactly one "
            f"docs/{TARGET_STYLESHEET}; found {len(theme)} and {len(targets)}"
        )
    copied = "".join(prewrapped_table_rules(f.content_string) for f in theme)
    if PREWRAPPED_SELECTOR not in copied:
        _fail(
            f"table hook: no rule of Material's stylesheets selects {MATERIAL_SELECTOR}; "
            "the theme changed how it styles tables"
        )
    by_uri = {f.src_uri: f for f in files}
    ours = [by_uri[uri] for uri in dict.fromkeys(own) if uri in by_uri]
    copied += "".join(prewrapped_table_rules(f.content_string) for f in ours)
    target = targets[0]
    target.content_string = (
        target.content_string.rstrip("\n")
        + "\n\n/* Generated by macros/table_hooks.py from Material's stylesheets and ours: their"
        + f" table rules for {PREWRAPPED_SELECTOR}. */\n"
        + copied
        + "\n"
    )


def on_page_content(html: str, page: Any, **_: Any) -> str:
    return prewrap_tables(html, page.file.src_uri)


def on_files(files: Any, config: Any, **_: Any) -> Any:
    own = [str(path) for path in config["extra_css"]] + [TARGET_STYLESHEET]
    append_table_rules(files, own)
    return files
