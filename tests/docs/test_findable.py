"""Findable: every page has its own description and title, the site a sitemap and robots.txt.

The front matter of docs/*.md is the oracle for the built <meta name="description">; the sitemap
is checked against the built pages, and robots.txt against mkdocs.yml's site_url.
"""

from __future__ import annotations

import gzip
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml

from tests.conftest import ROOT, Site

DOCS = ROOT / "docs"
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def front_matter(path: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        return {}
    block = text[4:].split("\n---\n", 1)[0]
    data = yaml.safe_load(block) or {}
    assert isinstance(data, dict), f"{path.name}: front matter is not a mapping"
    return data


def site_url() -> str:
    # mkdocs.yml may carry !!python tags; only a plain top-level key is needed here.
    for line in (ROOT / "mkdocs.yml").read_text(encoding="utf-8").splitlines():
        if line.startswith("site_url:"):
            return line.split(":", 1)[1].strip().strip("'\"")
    raise AssertionError("mkdocs.yml has no site_url")


def page_url(md: Path) -> str:
    """The built page of a Markdown file under use_directory_urls (MkDocs' default)."""
    rel = md.relative_to(DOCS).with_suffix("")
    if rel.name in ("index", "README"):
        rel = rel.parent
    return "" if str(rel) == "." else f"{rel.as_posix()}/"


def markdown_pages() -> list[Path]:
    return sorted(p for p in DOCS.rglob("*.md") if "snippets" not in p.parts)


def test_every_page_has_its_own_description() -> None:
    seen: dict[str, str] = {}
    for md in markdown_pages():
        description = front_matter(md).get("description")
        name = md.relative_to(DOCS).as_posix()
        assert isinstance(description, str) and description.strip(), (
            f"{name}: front matter needs `description:` (the search-result snippet)"
        )
        # Long enough to say what the page answers; short enough to be a snippet, not a paragraph.
        assert 50 <= len(description) <= 300, (
            f"{name}: description is {len(description)} characters; keep it 50 to 300"
        )
        assert description not in seen, f"{name}: same description as {seen[description]}"
        seen[description] = name


def test_built_pages_carry_their_front_matter_description(site: Site) -> None:
    for md in markdown_pages():
        page = page_url(md) + "index.html"
        metas = site.soup(page).select('head meta[name="description"]')
        assert len(metas) == 1, f"{page}: {len(metas)} meta descriptions"
        assert metas[0]["content"] == front_matter(md)["description"], page


def test_titles_are_unique(site: Site) -> None:
    titles: dict[str, str] = {}
    for page in site.pages():
        title = site.soup(page).title
        assert title is not None and title.get_text(strip=True), f"{page}: no <title>"
        text = title.get_text(strip=True)
        assert text not in titles, f"{page}: same <title> as {titles[text]}"
        titles[text] = page


def test_sitemap_lists_every_page_under_site_url(site: Site) -> None:
    base = site_url().rstrip("/") + "/"
    tree = ET.fromstring((site.root / "sitemap.xml").read_bytes())
    locs = {el.text for el in tree.findall("sm:url/sm:loc", SITEMAP_NS)}
    expected = {base + page.removesuffix("index.html") for page in site.pages()}
    assert locs == expected
    assert (
        gzip.decompress((site.root / "sitemap.xml.gz").read_bytes())
        == (site.root / "sitemap.xml").read_bytes()
    )


def test_robots_txt_allows_crawling_and_points_at_the_sitemap(site: Site) -> None:
    lines = [
        line.strip()
        for line in (site.root / "robots.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert "User-agent: *" in lines
    assert not any(line.replace(" ", "") == "Disallow:/" for line in lines)
    assert f"Sitemap: {site_url().rstrip('/')}/sitemap.xml" in lines


def test_every_page_is_canonical_and_language_tagged(site: Site) -> None:
    base = site_url().rstrip("/") + "/"
    for page in site.pages():
        soup = site.soup(page)
        canonical = soup.select_one('head link[rel="canonical"]')
        assert canonical is not None, f"{page}: no canonical link"
        assert canonical["href"] == base + page.removesuffix("index.html"), page
        assert soup.html is not None and soup.html.get("lang") == "en", page


def test_every_dialog_has_a_name(site: Site) -> None:
    """Lighthouse `aria-dialog-name`: a dialog without a name is announced as just 'dialog'."""
    for page in site.pages():
        for dialog in site.soup(page).select('[role="dialog"], [role="alertdialog"]'):
            name = dialog.get("aria-label") or dialog.get("aria-labelledby")
            assert name, f"{page}: unnamed dialog {str(dialog)[:80]}"
