"""The built code blocks are focusable and carry no unstyled whitespace spans
(macros/code_markup.py).

Pygments wraps each whitespace run in ``<span class="w">``. The extension unwraps them to save the
browser layout work on phones; that is only safe while no stylesheet the site ships styles ``.w``
and the text of the code is unchanged, so both are checked here against Pygments itself. Every
``pre > code`` is written with ``tabindex="0"`` so a block that scrolls sideways can be scrolled
from the keyboard before Material mounts it (``content.lazy``).
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import BashLexer, YamlLexer

from macros.code_markup import code_markup
from tests.conftest import Site

SAMPLES = {
    YamlLexer(): "containerRegistry:\n  inCluster: false\n  external:\n    url: a.example/b  # x\n",
    BashLexer(): "kubectl create secret docker-registry reg \\\n  --docker-server=a.example\n",
}


def test_unwrapping_keeps_the_text_and_every_other_span() -> None:
    for lexer, code in SAMPLES.items():
        original = highlight(code, lexer, HtmlFormatter())
        assert 'class="w"' in original, f"{lexer.name}: Pygments no longer emits whitespace spans"
        trimmed = code_markup(original)
        before = BeautifulSoup(original, "html.parser")
        after = BeautifulSoup(trimmed, "html.parser")
        assert after.get_text() == before.get_text()
        assert after.get_text().strip() == code.strip()
        assert not after.select("span.w")
        kept = [str(s) for s in before.select("span") if s.get("class") != ["w"]]
        assert [str(s) for s in after.select("span")] == kept


def test_no_stylesheet_of_the_site_styles_the_whitespace_class(site: Site) -> None:
    styled = [
        css.relative_to(site.root).as_posix()
        for css in site.root.rglob("*.css")
        if re.search(r"\.w(?![\w-])", css.read_text(encoding="utf-8"))
    ]
    assert not styled, f"these stylesheets style .w, so its spans must stay: {styled}"


def test_built_pages_have_no_whitespace_spans_left(site: Site) -> None:
    left = {page: n for page in site.pages() if (n := len(site.soup(page).select("span.w")))}
    assert not left, f"pages still carrying <span class='w'>: {left}"
    # The extension ran on pages that had code at all (otherwise the check above proves nothing).
    assert any(site.soup(page).select("pre code span") for page in site.pages())


def test_every_code_block_is_focusable_before_material_mounts_it(site: Site) -> None:
    blocks = [
        (page, code) for page in site.pages() for code in site.soup(page).select("pre > code")
    ]
    assert len(blocks) > 100
    unfocusable = [page for page, code in blocks if code.get("tabindex") != "0"]
    assert not unfocusable, f"code blocks without tabindex=0 on {sorted(set(unfocusable))}"
