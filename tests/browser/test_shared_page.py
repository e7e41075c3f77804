"""The shared page (``shared_page.py``) hands each test what a new context would give it.

A test leaves the page as dirty as a test can: dark palette stored by Material, reduced motion,
local and session storage, the clipboard, and a script that keeps logging errors and asking for a
missing file. After the hand-over, a probe on a site page must read exactly what the same probe
reads in a brand-new context, and nothing the old page does may reach the new test's recorder.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import Recorder
from tests.browser.shared_page import shared_page

pytestmark = pytest.mark.browser

_DIRTY = """
async () => {
  localStorage.setItem('gp-left-over', '1');
  sessionStorage.setItem('gp-left-over', '1');
  setInterval(() => { console.error('left over'); fetch('/left-over-request'); }, 20);
  await navigator.clipboard.writeText('left over');
}
"""

#: What a test could notice of the one before it.
_PROBE = """
async () => [
  Object.keys(localStorage).filter(k => !k.endsWith('__palette')).sort(),
  Object.keys(sessionStorage).sort(),
  await navigator.clipboard.readText(),
  matchMedia('(prefers-color-scheme: dark)').matches,
  matchMedia('(prefers-reduced-motion: reduce)').matches,
  matchMedia('print').matches,
  document.body.getAttribute('data-md-color-scheme'),
  history.length,
]
"""


def probe(page: Any, base_url: str) -> list[object]:
    page.goto(base_url + "tested/", wait_until="load")
    result: list[object] = page.evaluate(_PROBE)
    return result


def test_hand_over_gives_what_a_new_context_gives(browser: Any, base_url: str) -> None:
    origin = base_url.rstrip("/")
    fresh = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    try:
        want = probe(fresh.new_page(), base_url)
    finally:
        fresh.close()

    with shared_page(browser, base_url) as shared:
        first = Recorder(origin=origin)
        page = shared.hand_to(first)
        page.emulate_media(color_scheme="dark", reduced_motion="reduce", media="print")
        page.goto(base_url, wait_until="load")
        page.evaluate(_DIRTY)
        page.wait_for_timeout(200)
        assert first.console_errors, "the dirty page logged nothing: the check proves nothing"
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"

        second = Recorder(origin=origin)
        assert shared.hand_to(second) is page
        got = probe(page, base_url)
        page.wait_for_timeout(200)
        # The clipboard is the browser's, shared by all contexts: a new context finds what the
        # last test left there, the hand-over leaves it empty. history.length differs (the
        # shared page has been somewhere before): no test reads it.
        assert got[2] == "", f"clipboard after the hand-over: {got[2]!r}"
        assert got[:2] + got[3:-1] == want[:2] + want[3:-1], f"hand-over {got}, new context {want}"
        assert second.console_errors == [], second.console_errors
        assert not any("left-over" in u for u in second.requests), second.requests
        assert all(
            u.startswith(base_url + "tested/")
            or "/assets/" in u
            or "/search/" in u
            or "/stylesheets/" in u
            or "/javascripts/" in u
            or u.endswith(".png")
            for u in second.requests
        ), second.requests
        second.assert_clean()


@pytest.mark.shared_page
def test_a_marked_test_gets_its_modules_page(page: Any, module_page: Any) -> None:
    """``pytest.mark.shared_page`` makes the conftest's ``page`` the handed-over module page."""
    assert page is module_page.page
    assert page.url.endswith("/robots.txt"), page.url  # where the hand-over leaves it
