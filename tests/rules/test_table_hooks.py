"""The table hook's pure parts: wrapping tables, copying Material's table rules.

What the copy does in a browser (same look as Material's own wrapping) is proven against
Material itself in tests/browser/test_prewrapped_tables.py; these cover the edges a stylesheet
or a page can bring.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from mkdocs.exceptions import PluginError

from macros.table_hooks import (
    WRAPPER_CLOSE,
    WRAPPER_OPEN,
    append_table_rules,
    css_statements,
    prewrap_tables,
    prewrapped_table_rules,
    split_selectors,
)


def test_a_classless_table_is_wrapped_and_classed() -> None:
    html = '<p>x</p><table data-gp-table="t">\n<tr><td>1</td></tr></table><p>y</p>'
    assert prewrap_tables(html) == (
        f'<p>x</p>{WRAPPER_OPEN}<table data-gp-table="t" class="gp-prewrapped">\n'
        f"<tr><td>1</td></tr></table>{WRAPPER_CLOSE}<p>y</p>"
    )


def test_a_table_with_a_class_is_left_as_material_leaves_it() -> None:
    html = '<table class="author"><tr><td>1</td></tr></table>'
    assert prewrap_tables(html) == html


def test_a_nested_table_stops_the_build() -> None:
    with pytest.raises(PluginError, match=r"^guide\.md: a table inside a table"):
        prewrap_tables(
            "<table><tr><td><table><tr><td>1</td></tr></table></td></tr></table>", "guide.md"
        )


def test_statements_skip_braces_in_strings_and_comments() -> None:
    css = '@charset "utf-8";a{content:"}{"}/* } */b{c:d}@media (x){e{f:g}}'
    assert list(css_statements(css)) == [
        ('@charset "utf-8"', None),
        ("a", 'content:"}{"'),
        ("b", "c:d"),
        ("@media (x)", "e{f:g}"),
    ]


@pytest.mark.parametrize("css", ["a{b:c", "a{b:c}}", "@media x{a{b:c}"])
def test_an_unbalanced_stylesheet_stops_the_build(css: str) -> None:
    with pytest.raises(PluginError, match="stylesheet"):
        list(css_statements(css))


def test_selectors_split_at_top_level_commas_only() -> None:
    assert split_selectors("a :is(b, c), d[x='1,2'] , e") == ["a :is(b, c)", "d[x='1,2']", "e"]


def test_only_table_rules_are_copied_inside_their_media_blocks() -> None:
    css = (
        ".md-typeset table:not([class]),.md-typeset p{margin:0}"
        ".md-typeset code{color:red}"
        "/* A comment, with commas, before a rule */\n.md-typeset table:not([class]) td{padding:0}"
        "@media screen and (min-width:76em){.md-typeset table:not([class]) th{padding:0}"
        ".md-nav{display:none}}"
        "@media print{.md-nav{display:none}}"
        "@keyframes spin{from{opacity:0}to{opacity:1}}"
    )
    assert prewrapped_table_rules(css) == (
        ".md-typeset table.gp-prewrapped{margin:0}"
        ".md-typeset table.gp-prewrapped td{padding:0}"
        "@media screen and (min-width:76em){.md-typeset table.gp-prewrapped th{padding:0}}"
    )


@dataclass
class FakeFile:
    src_uri: str
    content_string: str


def test_the_rules_are_appended_to_perf_css() -> None:
    theme = FakeFile("assets/stylesheets/main.0123abcd.min.css", ".x table:not([class]){a:b}")
    perf = FakeFile("stylesheets/perf.css", "/* ours */\n")
    append_table_rules([theme, perf])
    assert perf.content_string.startswith("/* ours */\n")
    assert perf.content_string.rstrip().endswith(".x table.gp-prewrapped{a:b}")


def test_our_own_table_rules_are_copied_after_the_themes_in_load_order() -> None:
    theme = FakeFile("assets/stylesheets/main.0123abcd.min.css", ".x table:not([class]){a:b}")
    a11y = FakeFile("stylesheets/a11y.css", ".y table:not([class]) code{c:d}")
    perf = FakeFile("stylesheets/perf.css", ".z table:not([class]) small{e:f}")
    builder = FakeFile("builder/builder.css", ".w table:not([class]){g:h}")  # one page's own
    append_table_rules([builder, perf, a11y, theme], ["stylesheets/a11y.css", perf.src_uri])
    copied = perf.content_string.split("*/\n", 1)[1].strip()
    assert copied == (
        ".x table.gp-prewrapped{a:b}"
        ".y table.gp-prewrapped code{c:d}"
        ".z table.gp-prewrapped small{e:f}"
    )


def test_a_theme_without_table_rules_stops_the_build() -> None:
    theme = FakeFile("assets/stylesheets/main.0123abcd.min.css", ".x table{a:b}")
    with pytest.raises(PluginError, match="theme changed how it styles tables"):
        append_table_rules([theme, FakeFile("stylesheets/perf.css", "")])


def test_a_missing_stylesheet_stops_the_build() -> None:
    with pytest.raises(PluginError, match="found 0 and 1"):
        append_table_rules([FakeFile("stylesheets/perf.css", "")])
