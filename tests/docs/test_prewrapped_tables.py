"""Every table of the built site is written the way Material's script would have wrapped it
(macros/table_hooks.py): tests/browser/test_prewrapped_tables.py proves the two look alike."""

from __future__ import annotations

from macros.table_hooks import PREWRAPPED_CLASS
from tests.conftest import Site


def test_every_table_is_prewrapped(site: Site) -> None:
    seen = 0
    for page in site.pages():
        for table in site.soup(page).select("article table"):
            where = f"{page}: <table {table.attrs}>"
            assert table.get("class") == [PREWRAPPED_CLASS], f"{where}: not pre-wrapped"
            inner, outer = table.parent, table.parent.parent
            assert inner.get("class") == ["md-typeset__table"], where
            assert outer.get("class") == ["md-typeset__scrollwrap"], where
            assert len(inner.find_all(recursive=False)) == 1, f"{where}: not alone in its wrapper"
            seen += 1
    assert seen >= 30, f"only {seen} tables on the site: is the content there?"
