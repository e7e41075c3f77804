"""Browser fixtures: the built site served from loopback, driven by Debian's Chromium.

Every page fixture records requests and console messages; ``Recorder.assert_clean()`` fails on
the first request to another origin, a failed request or a console error, naming it. When a test
using ``page`` fails, a full-page screenshot and the recorded logs land in ``test-results/``,
named after the test (the check) and its parameters (the page).
"""

from __future__ import annotations

import functools
import http.server
import os
import re
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from scripts.lighthouse import CHROME_FLAGS, CHROMIUM
from scripts.static_server import serve_with
from tests.conftest import ROOT, require

CHROMIUM_ARGS = CHROME_FLAGS
#: Where failure artefacts go, next to pytest's own report (gitignored).
RESULTS_DIR = Path(os.environ.get("GITPOD_DOCS_TEST_RESULTS", ROOT / "test-results")) / "browser"

#: The phase reports of the running test, so fixtures can tell in teardown whether it failed.
REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    item.stash.setdefault(REPORTS, {})[report.when] = report
    return report


def has_failed(item: pytest.Item) -> bool:
    """True once set-up or the test body of ``item`` has failed."""
    reports = item.stash.get(REPORTS, {})
    return any(r.failed for r in reports.values())


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def base_url(site_dir: Path) -> Iterator[str]:
    """The built site over HTTP on a free loopback port, for this session."""
    with serve_with(functools.partial(_QuietHandler, directory=str(site_dir))) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One Chromium for the whole session (per xdist worker); each test gets its own context."""
    require(
        CHROMIUM.exists(),
        f"no Chromium at {CHROMIUM}: apt-get install chromium (or set CHROMIUM=/path/to/it)",
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@dataclass
class Recorder:
    origin: str
    requests: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    bad_status: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    #: Requests started and not yet finished or failed (for waiting until the network is quiet).
    in_flight: set[object] = field(default_factory=set, repr=False)
    #: Everything, in order: requests, responses, console messages, page errors.
    log: list[str] = field(default_factory=list, repr=False)

    def is_foreign(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            return False
        return f"{parts.scheme}://{parts.netloc}" != self.origin

    def on_request(self, request: object) -> None:
        url = str(getattr(request, "url"))  # noqa: B009
        self.requests.append(url)
        self.in_flight.add(request)
        self.log.append(f"request  {getattr(request, 'method')} {url}")  # noqa: B009
        if self.is_foreign(url):
            self.foreign.append(url)

    def on_finished(self, request: object) -> None:
        self.in_flight.discard(request)

    def on_response(self, response: object) -> None:
        status = int(getattr(response, "status"))  # noqa: B009
        url = str(getattr(response, "url"))  # noqa: B009
        self.log.append(f"response {status} {url}")
        if status >= 400:
            self.bad_status.append(f"{url}: HTTP {status}")

    def on_failed(self, request: object) -> None:
        self.in_flight.discard(request)
        failure = str(getattr(request, "failure"))  # noqa: B009
        line = f"{getattr(request, 'url')}: {failure}"  # noqa: B009
        self.log.append(f"failed   {line}")
        # ERR_ABORTED is Chromium cancelling a load because the page navigated or reloaded (a
        # favicon in flight during a reload); a resource that is really missing shows up in
        # bad_status or as another net:: error.
        if failure != "net::ERR_ABORTED":
            self.failed.append(line)

    def on_console(self, message: object) -> None:
        kind = str(getattr(message, "type"))  # noqa: B009
        text = str(getattr(message, "text"))  # noqa: B009
        self.log.append(f"console.{kind} {text}")
        if kind == "error":
            self.console_errors.append(text)

    def on_page_error(self, error: object) -> None:
        """An uncaught exception in the page: as bad as a logged error."""
        text = f"uncaught {error}"
        self.log.append(f"pageerror {text}")
        self.console_errors.append(text)

    def assert_clean(self) -> None:
        """Fail on the first foreign request, failed request or console error, naming it."""
        if self.foreign:
            raise AssertionError(f"request to another origin: {self.foreign[0]}")
        if self.failed:
            raise AssertionError(f"failed request: {self.failed[0]}")
        if self.bad_status:
            raise AssertionError(f"failed request: {self.bad_status[0]}")
        if self.console_errors:
            raise AssertionError(f"console error: {self.console_errors[0]}")


@pytest.fixture
def recorder(base_url: str) -> Recorder:
    parts = urlsplit(base_url)
    return Recorder(origin=f"{parts.scheme}://{parts.netloc}")


def artefact_stem(item: pytest.Item) -> str:
    """``test_axe[container-registry-dark]`` -> ``test_axe--container-registry-dark``."""
    name = item.name.replace("[", "--").rstrip("]")
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name)


def write_failure_artefacts(page: object, recorder: Recorder, out_dir: Path, stem: str) -> None:
    """Full-page screenshot + the console and request logs, for a failed browser test."""
    out_dir.mkdir(parents=True, exist_ok=True)
    lines = [f"url: {getattr(page, 'url', '?')}", "", *recorder.log]
    (out_dir / f"{stem}.log").write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        page.screenshot(path=str(out_dir / f"{stem}.png"), full_page=True)  # type: ignore[attr-defined]
    except Exception as exc:  # a crashed page still leaves its log behind
        (out_dir / f"{stem}.screenshot-error.txt").write_text(f"{exc}\n", encoding="utf-8")


@contextmanager
def recording_page(
    browser: object, recorder: Recorder | Callable[[], Recorder]
) -> Iterator[object]:
    """A fresh context (own storage) with clipboard access, recording everything it loads.

    A request to another origin is recorded, then aborted: the test fails on it, and the machine
    running the tests never contacts that origin. ``recorder`` may be a function that names the
    recorder when an event arrives (a page handed from test to test: shared_page.py).
    """
    current = recorder if callable(recorder) else lambda: recorder
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])  # type: ignore[attr-defined]
    try:
        context.route(
            lambda url: current().is_foreign(url), lambda route: route.abort("blockedbyclient")
        )
        p = context.new_page()
        p.on("request", lambda r: current().on_request(r))
        p.on("requestfinished", lambda r: current().on_finished(r))
        p.on("response", lambda r: current().on_response(r))
        p.on("requestfailed", lambda r: current().on_failed(r))
        p.on("console", lambda m: current().on_console(m))
        p.on("pageerror", lambda e: current().on_page_error(e))
        yield p
    finally:
        context.close()


@pytest.fixture
def keep_artefacts(request: pytest.FixtureRequest) -> Iterator[Callable[[object, Recorder], None]]:
    """Register a (page, recorder) shared by several tests: if this test fails, its screenshot
    and logs are written under the test's name, before the shared page moves on."""
    held: list[tuple[object, Recorder]] = []
    yield lambda p, r: held.append((p, r))
    if has_failed(request.node):
        for p, r in held:
            write_failure_artefacts(p, r, RESULTS_DIR, artefact_stem(request.node))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "shared_page: the test's `page` is its module's one page, handed over as a new context "
        "would start it (tests/browser/shared_page.py)",
    )


@pytest.fixture(scope="module")
def module_page(browser: object, base_url: str) -> Iterator[object]:
    """The one page of a module whose tests are marked ``shared_page``."""
    from tests.browser.shared_page import shared_page  # it imports this module

    with shared_page(browser, base_url) as shared:
        yield shared


@pytest.fixture
def page(browser: object, recorder: Recorder, request: pytest.FixtureRequest) -> Iterator[object]:
    """A page for one test, recording into ``recorder``: a fresh context of its own (see
    ``recording_page``), or, for a test marked ``shared_page``, its module's one page handed
    over as a new context would start it. A failing test's screenshot and logs are written
    before the page moves on."""
    if request.node.get_closest_marker("shared_page"):
        handed = request.getfixturevalue("module_page").hand_to(recorder)
        yield handed
        if has_failed(request.node):
            write_failure_artefacts(handed, recorder, RESULTS_DIR, artefact_stem(request.node))
        return
    with recording_page(browser, recorder) as p:
        try:
            yield p
        finally:
            if has_failed(request.node):
                write_failure_artefacts(p, recorder, RESULTS_DIR, artefact_stem(request.node))
