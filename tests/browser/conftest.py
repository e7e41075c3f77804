"""Browser fixtures: the built site served from loopback, driven by Debian's Chromium.

Every page fixture records requests and console messages; ``Recorder.assert_clean()`` fails on
the first request to another origin, a failed request or a console error, naming it.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import require

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def base_url(site_dir: Path) -> Iterator[str]:
    """The built site over HTTP on a free loopback port, for this session."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    require(CHROMIUM.exists(), f"no Chromium at {CHROMIUM}: apt-get install chromium")
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
    console_errors: list[str] = field(default_factory=list)

    def on_request(self, request: object) -> None:
        url = str(getattr(request, "url"))  # noqa: B009
        self.requests.append(url)
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.foreign.append(url)

    def on_failed(self, request: object) -> None:
        self.failed.append(f"{getattr(request, 'url')}: {getattr(request, 'failure')}")  # noqa: B009

    def on_console(self, message: object) -> None:
        if getattr(message, "type") == "error":  # noqa: B009
            self.console_errors.append(str(getattr(message, "text")))  # noqa: B009

    def assert_clean(self) -> None:
        assert not self.foreign, f"request to another origin: {self.foreign[0]}"
        assert not self.failed, f"failed request: {self.failed[0]}"
        assert not self.console_errors, f"console error: {self.console_errors[0]}"


@pytest.fixture
def recorder(base_url: str) -> Recorder:
    parts = urlsplit(base_url)
    return Recorder(origin=f"{parts.scheme}://{parts.netloc}")


@pytest.fixture
def page(browser: object, recorder: Recorder) -> Iterator[object]:
    """A fresh context (own storage) with clipboard access, recording everything it loads."""
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])  # type: ignore[attr-defined]
    p = context.new_page()
    p.on("request", recorder.on_request)
    p.on("requestfailed", recorder.on_failed)
    p.on("console", recorder.on_console)
    try:
        yield p
    finally:
        context.close()
