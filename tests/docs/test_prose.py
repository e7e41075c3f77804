"""Prose for readers, on every reader page (all but the builder, which another test owns): no
maintainer notes, admonitions of at most three sentences (details fold into a collapsible block),
every shell variable set before a block reads it, and the admin console's public database key
said, in the same words, wherever a reader chooses the database."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup, Tag

from tests.conftest import ROOT, Site
from tests.support.bash_blocks import undefined_reads

DOCS = ROOT / "docs"
#: The builder's page is the builder test's.
NOT_READER_PAGES = {"builder.md"}
READER_PAGES = sorted(
    p.relative_to(DOCS).as_posix()
    for p in DOCS.rglob("*.md")
    if p.relative_to(DOCS).as_posix() not in NOT_READER_PAGES
)
#: Notes for whoever maintains the guide, not for a reader.
MAINTAINER_PHRASES = (
    "commit title",
    "fails in ci",
    "skipped on a laptop",
    "the rules here",
    "the rules behind",
    "the rules check",
    "rules module",
    "test suite",
    "the suite",
    "make test",
    "the tests ",
)
#: tested.md is the page about how the guide tests itself: it may talk about its tests.
ABOUT_TESTS = {"tested.md": MAINTAINER_PHRASES}
MAX_SENTENCES = 3
#: Where a reader chooses the database: the database page's top (before its first section) and
#: each platform page's database step.
CHOOSE_DATABASE = {
    "database/index.html": None,
    "putting-together/aws/index.html": "database",
    "putting-together/gcp/index.html": "database",
    "putting-together/on-prem/index.html": "database",
}


def built(page: str) -> str:
    rel = page.removesuffix(".md")
    rel = rel.removesuffix("index").rstrip("/")
    return f"{rel}/index.html" if rel else "index.html"


def article(site: Site, page: str) -> Tag:
    found = site.soup(built(page)).select_one("article")
    assert found is not None, page
    return found


def sentences(admonition: Tag) -> int:
    """Sentences in an admonition's own text: its title, folded details and source line left
    out, code counted as one word (``s3.eu-west-2.amazonaws.com`` ends no sentence)."""
    clone = BeautifulSoup(str(admonition), "html.parser")
    for el in clone.select(".admonition-title, details, p.gp-source"):
        el.decompose()
    for el in clone.select("code"):
        el.replace_with("CODE")
    text = " ".join(clone.get_text(" ").split())
    return len(re.findall(r"[.!?](?=\s|$)", text))


def test_sentence_count_counts_what_a_reader_reads() -> None:
    box = BeautifulSoup(
        '<div class="admonition warning"><p class="admonition-title">T. itle.</p>'
        "<p>One, with <code>s3.eu-west-2.amazonaws.com</code>. Two? Three!</p>"
        "<details><summary>More.</summary><p>Four. Five.</p></details>"
        '<p class="gp-source">Source: a.go, lines 1-2.</p></div>',
        "html.parser",
    ).div
    assert box is not None and sentences(box) == 3


@pytest.mark.parametrize("page", READER_PAGES)
def test_admonitions_have_at_most_three_sentences(site: Site, page: str) -> None:
    for box in article(site, page).select("div.admonition"):
        title = box.select_one(".admonition-title")
        n = sentences(box)
        assert n <= MAX_SENTENCES, (
            f"{page}: the admonition {title.get_text() if title else ''!r} has {n} sentences; "
            f"keep {MAX_SENTENCES} and fold the details into a '??? note' below it"
        )


@pytest.mark.parametrize("page", READER_PAGES)
def test_no_maintainer_notes(site: Site, page: str) -> None:
    text = " ".join(article(site, page).get_text(" ").split()).lower()
    allowed = ABOUT_TESTS.get(page, ())
    found = [p for p in MAINTAINER_PHRASES if p in text and p not in allowed]
    assert found == [], f"{page}: notes for maintainers on a reader page: {found}"


def test_the_phrase_scan_finds_what_it_should() -> None:
    for note in ("(inference from the commit title)", "It fails in CI.", "The rules here say"):
        assert any(p in note.lower() for p in MAINTAINER_PHRASES), note


@pytest.mark.parametrize("page", READER_PAGES)
def test_every_variable_is_set_before_a_block_reads_it(site: Site, page: str) -> None:
    missing = undefined_reads(site.soup(built(page)))
    assert missing == [], f"{page}: read before set: {[(v, c) for c, v, _ in missing]}"


def _warning_in(site: Site, page: str, section: str | None) -> list[str]:
    """The warning admonitions of a page's section (``None``: before its first h2)."""
    art = site.soup(page).select_one("article")
    assert art is not None
    start = art.find("h1") if section is None else art.find(id=section)
    assert isinstance(start, Tag), (page, section)
    texts = []
    for el in start.find_next_siblings():
        if not isinstance(el, Tag) or el.name == "h2":
            break
        if "admonition" in (el.get("class") or []) and "warning" in (el.get("class") or []):
            texts.append(" ".join(el.get_text(" ").split()))
    return texts


def test_the_encryption_key_warning_is_where_a_reader_chooses_the_database(site: Site) -> None:
    """The same words on the database page's top and each platform page's database step (one
    macro), naming the encryption keys and that the default one is public."""
    found = {}
    for page, section in CHOOSE_DATABASE.items():
        warnings = [w for w in _warning_in(site, page, section) if "encryption key" in w.lower()]
        assert len(warnings) == 1, (page, section, warnings)
        found[page] = warnings[0].removesuffix(" The key list in detail")
        assert "public" in found[page], found[page]
    assert len(set(found.values())) == 1, found
