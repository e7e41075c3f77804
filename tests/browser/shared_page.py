"""One browser page for all the tests of a module, handed to each test as a new context gives it.

A new context and page cost Chromium as much CPU as two or three page loads (measured on these
2-core machines: new context + load 2.5 s, reused page + load 0.7-0.9 s), and the builder and
interaction tests are mostly single loads. The page visits of test_pages.py and the 404 checks
take turns on such a page too (24 loads and their axe runs: 110 core-s with a new context each,
62 with one page). Handing one page from test to test is honest only if
each test still starts where a new context would start it; ``SharedPage.hand_to`` sees to that:

- the previous test's document is gone (the page shows the site's robots.txt, which runs no
  script), so none of its scripts, timers or requests carry on into the next test;
- the site's localStorage and sessionStorage are empty (Material keeps the palette and the
  linked-tab choice there) and the clipboard holds nothing;
- media emulation is back to a new context's defaults (light, no reduced motion, screen);
- from then on, requests, console messages and page errors go to the new test's ``Recorder``
  only.

``test_shared_page.py`` proves each of these against a page a previous test left dirty. A failing
test's screenshot and logs are written by ``keep_artefacts`` before the next hand-over.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

from tests.browser.conftest import Recorder, recording_page

#: A same-origin document without scripts: where storage is cleared between tests.
NEUTRAL_PATH = "robots.txt"

#: What a new context starts with (Playwright's defaults).
DEFAULT_MEDIA = {
    "media": "screen",
    "color_scheme": "light",
    "reduced_motion": "no-preference",
    "forced_colors": "none",
}

_CLEAR = """
async () => {
  localStorage.clear();
  sessionStorage.clear();
  await navigator.clipboard.writeText('');
  return [localStorage.length, sessionStorage.length, await navigator.clipboard.readText()];
}
"""


class SharedPage:
    """A context + page whose events go to whichever test holds it (``hand_to``)."""

    def __init__(self, browser: Any, base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.recorder = Recorder(origin=base_url.rstrip("/"))
        self.page: Any = None
        self._open_page = ExitStack()

    def _open(self) -> None:
        # recording_page's context, its handlers naming the current recorder at each event.
        self.page = self._open_page.enter_context(
            recording_page(self.browser, lambda: self.recorder)
        )

    def close(self) -> None:
        self._open_page.close()
        self.page = None

    def hand_to(self, recorder: Recorder) -> Any:
        """Reset the page to a new context's state; record its events in ``recorder`` from now."""
        if self.page is None or self.page.is_closed():
            self.close()
            self._open()
        page = self.page
        # The hand-over's own traffic (leaving the last test's page) goes to no test.
        self.recorder = Recorder(origin=recorder.origin)
        response = page.goto(self.base_url + NEUTRAL_PATH, wait_until="load")
        assert response is not None and response.status == 200, (
            f"hand-over page /{NEUTRAL_PATH}: {response and response.status}"
        )
        left = page.evaluate(_CLEAR)
        assert left == [0, 0, ""], f"storage or clipboard not cleared: {left}"
        page.emulate_media(**DEFAULT_MEDIA)
        self.recorder = recorder
        return page


@contextmanager
def shared_page(browser: Any, base_url: str) -> Iterator[SharedPage]:
    shared = SharedPage(browser, base_url)
    try:
        yield shared
    finally:
        shared.close()
