"""Material's start-up as docs/javascripts/startup.js and overrides/main.html change it (issue 9):
cheaper, and still doing what Material's own start-up does.

- The served theme-color and color-scheme metas are the only ones, and after load, after a
  palette switch and after a reload they hold what Material's palette component computes from
  the header (its formula, evaluated here independently of the script).
- A real palette switch still raises Material's transition guard before any colour attribute
  changes, and lowers it afterwards; a page load that changes no colour never raises it, and the
  root's `js` / `js-focus-visible` classes are in place before the body is parsed.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import Recorder
from tests.browser.helpers import (
    SCHEMES,
    open_page,
    site_pages,
    wait_for_quiet_network,
)

pytestmark = pytest.mark.browser

PAGES = {p.path: p for p in site_pages()}

#: Material's palette component, restated: color-scheme from the header's computed
#: `color-scheme`, theme-color from its computed background as #rrggbb.
_EXPECTED_METAS = """
() => {
  const style = getComputedStyle(document.querySelector('header'));
  const hex = style.backgroundColor.match(/\\d+/g).slice(0, 3)
    .map(c => (+c).toString(16).padStart(2, '0')).join('');
  return {'color-scheme': style.colorScheme, 'theme-color': '#' + hex};
}
"""

_METAS = """
() => [...document.querySelectorAll('meta[name="theme-color"], meta[name="color-scheme"]')]
  .map(m => [m.name, m.content, m.hasAttribute('data-gp-served')])
"""

#: Before anything else runs: record, in order, every change of the attributes Material's palette
#: and start-up set on <html> and <body>, from the moment <body> is parsed (the head's own class
#: change is before any styling); and the root's classes at that moment.
_RECORD_ROOT_CHANGES = """
window.__gpChanges = [];
new MutationObserver(records => records
  .filter(r => r.target === document.documentElement || r.target === document.body)
  .forEach(r => window.__gpChanges.push(
    [r.target.tagName, r.attributeName, r.oldValue, r.target.getAttribute(r.attributeName)])))
  .observe(document, {attributes: true, attributeOldValue: true, subtree: true,
                      attributeFilter: ['class', 'data-md-color-switching', 'data-md-color-scheme',
                                        'data-md-color-primary', 'data-md-color-accent']});
new MutationObserver((records, observer) => {
  if (!document.body) return;
  window.__gpRootAtBody = document.documentElement.className;
  window.__gpChanges = [];
  observer.disconnect();
}).observe(document, {childList: true, subtree: true});
"""


def metas(page: Any) -> dict[str, str]:
    found = page.evaluate(_METAS)
    names = [name for name, _, _ in found]
    assert sorted(names) == ["color-scheme", "theme-color"], f"metas in the document: {found}"
    assert all(served for _, _, served in found), f"a meta not served with the page: {found}"
    return {name: content for name, content, _ in found}


def switch_palette(page: Any) -> None:
    before = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    page.click("form[data-md-component='palette'] label:not([hidden])")
    page.wait_for_function(
        "([before]) => document.body.getAttribute('data-md-color-scheme') !== before"
        " && !document.body.hasAttribute('data-md-color-switching')",
        arg=[before],
    )


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_served_metas_follow_the_palette(
    page: Any, base_url: str, recorder: Recorder, scheme: str
) -> None:
    page.emulate_media(color_scheme=scheme)
    open_page(page, base_url, PAGES["check/"], scheme)
    assert metas(page) == page.evaluate(_EXPECTED_METAS), "after load"
    switch_palette(page)
    assert metas(page) == page.evaluate(_EXPECTED_METAS), "after a switch"
    page.reload(wait_until="load")
    assert metas(page) == page.evaluate(_EXPECTED_METAS), "after a reload"
    wait_for_quiet_network(page, recorder, "/search/search_index.json")
    recorder.assert_clean()


def palette_started(page: Any) -> None:
    """Material's palette component has run (it records the choice in `data-md-color-media`)
    and two frames have passed (it lowers its guard on the next one)."""
    page.wait_for_function("document.body.hasAttribute('data-md-color-media')")
    page.evaluate(
        "new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done())))"
    )


def changes(page: Any) -> list[list[str | None]]:
    """The recorded changes, leaving out an attribute written with the value it had (the
    bundle re-adds `js`, for one): Chromium restyles nothing for those."""
    recorded: list[list[str | None]] = page.evaluate("window.__gpChanges")
    return [r for r in recorded if r[2] != r[3]]


def test_a_load_that_changes_no_colour_restyles_nothing(page: Any, base_url: str) -> None:
    """Light system, no stored choice: the page is served in the palette Material picks."""
    page.add_init_script(_RECORD_ROOT_CHANGES)
    open_page(page, base_url, PAGES["check/"], "light")
    palette_started(page)
    assert page.evaluate("window.__gpRootAtBody").split() == ["js", "js-focus-visible"]
    assert changes(page) == [], "attribute changes on load that restyle the whole page"


def test_a_real_switch_raises_the_transition_guard_first(page: Any, base_url: str) -> None:
    """Dark system, no stored choice (the page is served light) and a reader's switch: Material's
    transition guard is up before the first colour attribute changes and down afterwards."""
    page.add_init_script(_RECORD_ROOT_CHANGES)
    page.emulate_media(color_scheme="dark")
    open_page(page, base_url, PAGES["check/"], "dark")
    palette_started(page)
    page.evaluate("window.__gpChanges = []")
    switch_palette(page)
    for recorded in (changes(page),):
        names = [name for _, name, _, _ in recorded]
        assert names, "the switch changed no attribute"
        assert names[0] == "data-md-color-switching", recorded
        assert recorded[0][3] == "", recorded  # raised
        assert names[-1] == "data-md-color-switching", recorded
        assert recorded[-1][3] is None, recorded  # lowered
        assert "data-md-color-scheme" in names[1:-1], recorded


def test_the_start_up_switch_to_dark_raises_the_guard(page: Any, base_url: str) -> None:
    page.add_init_script(_RECORD_ROOT_CHANGES)
    page.emulate_media(color_scheme="dark")
    open_page(page, base_url, PAGES["check/"], "dark")
    palette_started(page)
    names = [name for _, name, _, _ in changes(page) if name != "class"]
    assert names[0] == "data-md-color-switching", names
    assert names[-1] == "data-md-color-switching", names
    assert "data-md-color-scheme" in names[1:-1], names
