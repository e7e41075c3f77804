"""Every page of the built site, in Chromium, in both palettes: loads clean and private, passes
axe-core WCAG 2.1 A + AA, has a heading outline, and gives every image a text alternative.

Each (page, palette) is loaded ONCE (``visit``, a module-scoped fixture: pytest runs the tests of
one visit together) and every check below asserts on what that load recorded, so each check still
passes or fails on its own, naming the page and palette. A failing check writes the shared page's
screenshot and logs under its own name (``keep_artefacts``). The visits take turns on one browser
page, each handed over as a new context would start it (``SharedPage.hand_to``: empty storage,
default media, its own recorder): a new context per visit cost about as much CPU as the axe runs.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from macros import theme
from tests.browser.conftest import Recorder
from tests.browser.helpers import (
    SCHEMES,
    SitePage,
    axe_violations,
    describe_violations,
    open_page,
    site_pages,
    wait_for_quiet_network,
)
from tests.browser.shared_page import SharedPage
from tests.conftest import Site

pytestmark = pytest.mark.browser

PAGES = site_pages()
VISITS = [(p, scheme) for p in PAGES for scheme in SCHEMES]


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


#: Labels of the tabs not shown yet (the loaded page's axe run checked each set's selected tab).
_HIDDEN_TAB_LABELS = """
[...new Set([...document.querySelectorAll('.tabbed-set > input:not(:checked)')]
  .map(i => document.querySelector(`label[for='${i.id}']`).textContent.trim()))]
"""

_SELECT_TAB = """
label => document.querySelectorAll('.tabbed-labels > label').forEach(
  l => { if (l.textContent.trim() === label) l.click(); })
"""


@dataclass
class Visit:
    """One load of one page in one palette, and everything the checks need from it."""

    site_page: SitePage
    scheme: str
    page: Any
    recorder: Recorder
    headings: list[tuple[int, str]] = field(default_factory=list)
    text_alternatives: list[tuple[str, str]] = field(default_factory=list)
    aria_tree: str = ""
    #: (where, violations) per axe run: the page as loaded, then once per further tab label.
    axe: list[tuple[str, list[dict[str, Any]]]] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"{self.site_page.url_path} ({self.scheme})"


def record_visit(page: Any, base_url: str, visit: Visit) -> None:
    """Load the page in its palette, read the outline and text alternatives as loaded, run axe
    on the loaded page and again with each further tab label selected, then wait until the
    network is quiet (the search index, fetched by a worker after load, has arrived).

    The order matters: headings and images are read before any tab is clicked (as loaded);
    axe skips hidden content, so the contrast of each tab's YAML and shell highlighting is only
    measured while that tab is shown; a tab click selects that label in every linked set.
    """
    open_page(page, base_url, visit.site_page, visit.scheme)
    visit.headings = page.evaluate(
        "[...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]"
        "  .map(h => [Number(h.tagName[1]), h.textContent.replace('¶', '').trim()])"
    )
    visit.text_alternatives = page.evaluate(_TEXT_ALTERNATIVES)
    visit.aria_tree = page.locator("body").aria_snapshot()
    visit.axe.append((visit.where, axe_violations(page)))
    for label in page.evaluate(_HIDDEN_TAB_LABELS):
        page.evaluate(_SELECT_TAB, label)
        found = axe_violations(page, ".tabbed-set")
        visit.axe.append((f"{visit.where}, tab {label!r} selected", found))
    wait_for_quiet_network(page, visit.recorder, "/" + theme.SEARCH_INDEX)


@pytest.fixture(scope="module", params=VISITS, ids=[f"{p.id}-{scheme}" for p, scheme in VISITS])
def shared_visit(
    module_page: SharedPage, base_url: str, request: pytest.FixtureRequest
) -> Iterator[Visit]:
    """The module's one page, handed to this visit as a new context would start it."""
    site_page, scheme = request.param
    recorder = Recorder(origin=base_url.rstrip("/"))
    page = module_page.hand_to(recorder)
    visit = Visit(site_page, scheme, page, recorder)
    record_visit(page, base_url, visit)
    yield visit


@pytest.fixture
def visit(shared_visit: Visit, keep_artefacts: Callable[[object, Recorder], None]) -> Visit:
    """The shared visit; a failing check leaves its screenshot and logs under its own name."""
    keep_artefacts(shared_visit.page, shared_visit.recorder)
    return shared_visit


def test_every_built_page_is_checked(site: Site) -> None:
    """The parametrized list (from docs/) is exactly what the build produced."""
    assert sorted(p.built for p in PAGES) == site.pages()


def test_page_loads_clean_and_private(visit: Visit, base_url: str) -> None:
    """HTTP 200, no console error, no failed request, no request to any other origin.

    Recorded from navigation until the network was quiet after every other check had run on the
    page (longer than ``networkidle``'s 500 ms): a late foreign or failed request is caught too.
    """
    recorder = visit.recorder
    assert any(u.startswith(base_url) for u in recorder.requests), recorder.requests
    recorder.assert_clean()
    # The theme's accessibility fixes are in force (a second `extra_css:` key in mkdocs.yml
    # would silently drop them: YAML keeps the last).
    assert any(u.endswith("/stylesheets/a11y.css") for u in recorder.requests), (
        f"{visit.where}: docs/stylesheets/a11y.css not loaded"
    )


def test_axe_finds_no_wcag_a_or_aa_violation(visit: Visit) -> None:
    """axe-core, WCAG 2.0/2.1 A + AA, zero violations; every content tab is checked visible.

    axe skips hidden content, so the page is checked once as loaded, then once more per further
    tab label with that tab selected in every tab set (see ``record_visit``).
    """
    assert visit.axe, f"{visit.where}: axe never ran"
    for where, found in visit.axe:
        assert not found, describe_violations(found, where)


def test_headings_form_an_outline(visit: Visit) -> None:
    """Exactly one h1, first; no heading skips a level on the way down."""
    headings, where = visit.headings, visit.where
    assert headings, f"{where}: no headings"
    levels = [level for level, _ in headings]
    assert levels.count(1) == 1, f"{where}: {levels.count(1)} h1: {headings}"
    assert levels[0] == 1, f"{where}: first heading is {headings[0]}"
    for (prev, _), (level, text) in itertools.pairwise(headings):
        assert level <= prev + 1, f"{where}: h{prev} then h{level} {text!r}"


def test_images_and_svgs_have_a_text_alternative(visit: Visit) -> None:
    """Every <img>/<svg> is named, or is decoration hidden from assistive technology."""
    unnamed = [where for name, where in visit.text_alternatives if not name]
    assert not unnamed, f"{visit.where}: no text alternative for {len(unnamed)}: {unnamed}"
    # Chromium's own accessibility tree agrees: no image it exposes is without a name.
    tree = visit.aria_tree.splitlines()
    nameless = [line.strip() for line in tree if line.strip() in ("- img", "- img:")]
    assert not nameless, f"{visit.where}: Chromium exposes {len(nameless)} unnamed image(s)"
