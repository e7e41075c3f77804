"""Every page of the built site, in Chromium: loads clean and private, passes axe-core WCAG 2.1
A + AA in both palettes, has a heading outline, and gives every image a text alternative."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from tests.browser.conftest import Recorder
from tests.browser.helpers import (
    SCHEMES,
    SitePage,
    axe_violations,
    describe_violations,
    open_page,
    site_pages,
)
from tests.conftest import Site

pytestmark = pytest.mark.browser

PAGES = site_pages()
each_page = pytest.mark.parametrize("site_page", PAGES, ids=[p.id for p in PAGES])
each_scheme = pytest.mark.parametrize("scheme", list(SCHEMES))


def test_every_built_page_is_checked(site: Site) -> None:
    """The parametrized list (from docs/) is exactly what the build produced."""
    assert sorted(p.built for p in PAGES) == site.pages()


@each_page
def test_page_loads_clean_and_private(
    page: Any, base_url: str, recorder: Recorder, site_page: SitePage
) -> None:
    """HTTP 200, no console error, no failed request, no request to any other origin."""
    # networkidle: the search index is fetched by a worker after load; a late foreign or failed
    # request is caught too.
    open_page(page, base_url, site_page, wait="networkidle")
    assert any(u.startswith(base_url) for u in recorder.requests), recorder.requests
    recorder.assert_clean()
    # The theme's accessibility fixes are in force (a second `extra_css:` key in mkdocs.yml
    # would silently drop them: YAML keeps the last).
    assert any(u.endswith("/stylesheets/a11y.css") for u in recorder.requests), (
        f"{site_page.url_path}: docs/stylesheets/a11y.css not loaded"
    )


@each_scheme
@each_page
def test_axe_finds_no_wcag_a_or_aa_violation(
    page: Any, base_url: str, recorder: Recorder, site_page: SitePage, scheme: str
) -> None:
    """axe-core, WCAG 2.0/2.1 A + AA, zero violations; every content tab is checked visible.

    axe skips hidden content, so the page is checked once as loaded, then once more per further
    tab label with that tab selected in every tab set (contrast of the YAML and shell highlighting
    is only measured while it is shown).
    """
    open_page(page, base_url, site_page, scheme)
    where = f"{site_page.url_path} ({scheme})"
    found = axe_violations(page)
    assert not found, describe_violations(found, where)
    # Labels of the tabs not shown yet (checked above: each set's selected tab).
    labels: list[str] = page.evaluate(
        "[...new Set([...document.querySelectorAll('.tabbed-set > input:not(:checked)')]"
        "  .map(i => document.querySelector(`label[for='${i.id}']`).textContent.trim()))]"
    )
    for label in labels:
        page.evaluate(
            "label => document.querySelectorAll('.tabbed-labels > label').forEach("
            "  l => { if (l.textContent.trim() === label) l.click(); })",
            label,
        )
        found = axe_violations(page, ".tabbed-set")
        assert not found, describe_violations(found, f"{where}, tab {label!r} selected")
    recorder.assert_clean()


@each_page
def test_headings_form_an_outline(page: Any, base_url: str, site_page: SitePage) -> None:
    """Exactly one h1, first; no heading skips a level on the way down."""
    open_page(page, base_url, site_page)
    headings: list[tuple[int, str]] = page.evaluate(
        "[...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]"
        "  .map(h => [Number(h.tagName[1]), h.textContent.replace('¶', '').trim()])"
    )
    assert headings, f"{site_page.url_path}: no headings"
    levels = [level for level, _ in headings]
    assert levels.count(1) == 1, f"{site_page.url_path}: {levels.count(1)} h1: {headings}"
    assert levels[0] == 1, f"{site_page.url_path}: first heading is {headings[0]}"
    for (prev, _), (level, text) in itertools.pairwise(headings):
        assert level <= prev + 1, f"{site_page.url_path}: h{prev} then h{level} {text!r}"


#: For each <img>/<svg>: its text alternative, or "" if none; "hidden" if truly hidden, i.e.
#: inside aria-hidden="true" with nothing focusable in that hidden subtree.
_TEXT_ALTERNATIVES = """
() => {
  const focusable = 'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])';
  const text = el => (el ? el.textContent.trim() : '');
  const byIds = el => (el.getAttribute('aria-labelledby') || '').split(/\\s+/)
    .map(id => text(document.getElementById(id))).join(' ').trim();
  return [...document.querySelectorAll('img, svg')].map(el => {
    const hidden = el.closest('[aria-hidden="true"]');
    const reachable = hidden && (hidden.matches(focusable) || hidden.querySelector(focusable)
      || el.getAttribute('focusable') === 'true');
    let name = (el.getAttribute('aria-label') || '').trim() || byIds(el);
    if (el.tagName.toLowerCase() === 'img') name = name || (el.getAttribute('alt') || '').trim();
    else name = name || text(el.querySelector(':scope > title'));
    const where = el.parentElement.outerHTML.slice(0, 160).replace(/\\s+/g, ' ');
    return [hidden && !reachable ? 'hidden' : name, where];
  });
}
"""


@each_page
def test_images_and_svgs_have_a_text_alternative(
    page: Any, base_url: str, site_page: SitePage
) -> None:
    """Every <img>/<svg> is named, or is decoration hidden from assistive technology."""
    open_page(page, base_url, site_page)
    found: list[tuple[str, str]] = page.evaluate(_TEXT_ALTERNATIVES)
    unnamed = [where for name, where in found if not name]
    assert not unnamed, f"{site_page.url_path}: no text alternative for {len(unnamed)}: {unnamed}"
    # Chromium's own accessibility tree agrees: no image it exposes is without a name.
    tree = page.locator("body").aria_snapshot()
    nameless = [line.strip() for line in tree.splitlines() if line.strip() in ("- img", "- img:")]
    assert not nameless, f"{site_page.url_path}: Chromium exposes {len(nameless)} unnamed image(s)"
