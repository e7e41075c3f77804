"""The 404 page, as a reader meets it: a mistyped address, at the top or deep in the site.

Served by scripts/static_server.py the way a static host serves a missing path (the site's
404.html, status 404). A 404 page is easy to break unseen: it is served at any depth, so one
relative asset URL and it loads unstyled under /reference/.... Here, at two depths and in both
palettes: the status is 404, every asset loads from this origin (no failed request, no console
error but the document's own 404), the theme is applied, the link home leads home, and axe finds
no WCAG A/AA violation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from macros import theme
from scripts.static_server import serve
from tests.browser.conftest import Recorder
from tests.browser.helpers import SCHEMES, assert_no_axe_violations
from tests.browser.shared_page import SharedPage, shared_page

pytestmark = pytest.mark.browser

MISSING = ["no-such-page/", "reference/s3-endpoints/no-such-region/"]


@pytest.fixture(scope="module")
def static_base(site_dir: Path) -> Iterator[str]:
    with serve(site_dir) as base:
        yield base


@pytest.fixture(scope="module")
def static_page(browser: Any, static_base: str) -> Iterator[SharedPage]:
    """One page for the module, on the static server's origin (see shared_page.py)."""
    with shared_page(browser, static_base) as shared:
        yield shared


@pytest.mark.parametrize("path", MISSING)
@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_a_missing_page_gets_the_sites_404_page(
    static_page: SharedPage,
    static_base: str,
    path: str,
    scheme: str,
    keep_artefacts: Callable[[object, Recorder], None],
) -> None:
    recorder = Recorder(origin=static_base.rstrip("/"))
    page = static_page.hand_to(recorder)
    keep_artefacts(page, recorder)
    page.emulate_media(color_scheme=scheme)
    response = page.goto(static_base + path, wait_until="load")
    assert response is not None and response.status == 404, f"/{path}: not a 404"
    assert page.evaluate("document.body.dataset.mdColorScheme") == SCHEMES[scheme]
    assert "404" in page.locator("article h1").inner_text()

    # Only the document itself is missing: every asset came, from this origin.
    assert recorder.bad_status == [f"{static_base}{path}: HTTP 404"], recorder.bad_status
    recorder.bad_status.clear()
    recorder.console_errors = [e for e in recorder.console_errors if "404" not in e]
    recorder.assert_clean()
    # Material's stylesheet applied (a relative URL would have left the header unstyled).
    assert page.evaluate(
        "getComputedStyle(document.querySelector('" + theme.HEADER + "')).position"
    ) in (
        "sticky",
        "fixed",
    )

    assert_no_axe_violations(page, f"/{path} ({scheme})")

    page.locator(theme.LOGO).click()
    page.wait_for_load_state("load")
    assert page.url == static_base, f"the logo on /{path} leads to {page.url}"
