"""The smallest browser check: the home page loads from loopback and asks nothing of others."""

from __future__ import annotations

from macros import theme
from tests.browser.conftest import Recorder
from tests.browser.helpers import wait_for_quiet_network


def test_home_page_loads_clean(page: object, base_url: str, recorder: Recorder) -> None:
    response = page.goto(base_url, wait_until="load")  # type: ignore[attr-defined]
    assert response is not None and response.status == 200
    assert page.locator("h1").count() == 1  # type: ignore[attr-defined]
    # Everything the page asks for, up to the search index its worker fetches after load.
    wait_for_quiet_network(page, recorder, "/" + theme.SEARCH_INDEX)
    assert recorder.requests, "the recorder saw no request at all"
    recorder.assert_clean()
