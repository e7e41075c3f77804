"""The smallest browser check: the home page loads from loopback and asks nothing of others."""

from __future__ import annotations

from tests.browser.conftest import Recorder


def test_home_page_loads_clean(page: object, base_url: str, recorder: Recorder) -> None:
    response = page.goto(base_url, wait_until="networkidle")  # type: ignore[attr-defined]
    assert response is not None and response.status == 200
    assert page.locator("h1").count() == 1  # type: ignore[attr-defined]
    assert recorder.requests, "the recorder saw no request at all"
    recorder.assert_clean()
