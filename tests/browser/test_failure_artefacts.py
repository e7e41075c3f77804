"""A failing browser test leaves a full-page screenshot and its logs, named after page and check.

Proved end to end: a child pytest session runs tests that fail on purpose, with this directory's
fixtures and real Chromium, and the artefacts must appear: for a test with a page of its own
(``page``) and for a check on a page shared by several tests (``keep_artefacts``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM
from tests.conftest import ROOT, require

pytestmark = pytest.mark.browser

CHILD_CONFTEST = """
import pytest

pytest_plugins = ["tests.browser.conftest"]


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    (root / "index.html").write_text(
        "<!doctype html><title>t</title><h1>Home</h1><script>console.log('hello')</script>"
    )
    (root / "robots.txt").write_text("User-agent: *")  # where the shared page hands over
    return root
"""

CHILD_TEST = """
import pytest


@pytest.mark.parametrize("where", ["home"])
def test_check_fails_on_purpose(page, base_url, where):
    page.goto(base_url)
    assert page.locator("h1").inner_text() == "Not home", "failing on purpose"


def test_check_passes(page, base_url):
    page.goto(base_url)


# A page shared by several checks, as tests/browser/test_pages.py shares one load per page.
@pytest.fixture(scope="module")
def shared(browser, base_url):
    from tests.browser.conftest import Recorder, recording_page

    recorder = Recorder(origin=base_url.rstrip("/"))
    with recording_page(browser, recorder) as page:
        page.goto(base_url)
        yield page, recorder


@pytest.fixture
def visit(shared, keep_artefacts):
    keep_artefacts(*shared)
    return shared


@pytest.mark.parametrize("where", ["home"])
def test_shared_check_fails_on_purpose(visit, where):
    page, _ = visit
    assert page.locator("h1").inner_text() == "Not home", "failing on purpose"


def test_shared_check_passes(visit):
    pass


# One page handed from test to test (tests/browser/shared_page.py): the failing test's page
# is written before the next test takes it over.
@pytest.mark.shared_page
@pytest.mark.parametrize("where", ["home"])
def test_handed_check_fails_on_purpose(page, base_url, where):
    page.goto(base_url + "?handed")
    assert page.locator("h1").inner_text() == "Not home", "failing on purpose"


@pytest.mark.shared_page
def test_handed_check_passes_next(page, base_url):
    page.goto(base_url + "?next")
"""


def test_a_failing_check_leaves_screenshot_and_logs(tmp_path: Path) -> None:
    require(CHROMIUM.exists(), f"no Chromium at {CHROMIUM}: apt-get install chromium")
    (tmp_path / "conftest.py").write_text(textwrap.dedent(CHILD_CONFTEST))
    (tmp_path / "test_child.py").write_text(textwrap.dedent(CHILD_TEST))
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    results = tmp_path / "results"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "GITPOD_DOCS_TEST_RESULTS": str(results),
        "GITPOD_DOCS_STRICT_SKIPS": "0",
    }
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 1, run.stdout[-3000:] + run.stderr[-2000:]
    assert "3 failed, 3 passed" in run.stdout, run.stdout[-3000:]
    # A page of the test's own, a page shared by several checks (test_pages.py), and a page
    # handed from test to test (shared_page.py).
    stems = [
        "test_check_fails_on_purpose--home",
        "test_shared_check_fails_on_purpose--home",
        "test_handed_check_fails_on_purpose--home",
    ]
    written = sorted(p.name for p in (results / "browser").iterdir())
    # Nothing for the passing tests.
    assert written == sorted(f"{s}.{ext}" for s in stems for ext in ("log", "png")), written
    for stem in stems:
        assert (results / "browser" / f"{stem}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        log = (results / "browser" / f"{stem}.log").read_text()
        assert "response 200 http://127.0.0.1:" in log, log
        assert "console.log hello" in log, log
    # The handed page's artefacts are the failing test's, not the next test's.
    log = (results / "browser" / "test_handed_check_fails_on_purpose--home.log").read_text()
    assert log.splitlines()[0].endswith("/?handed"), log
    assert "?next" not in log, log
