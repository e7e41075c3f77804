"""The built site served from loopback the way a static host serves it.

Python's ``http.server`` sends files uncompressed and without cache headers, so Lighthouse and
page-weight figures measured against it describe no real deployment. This server does what a
static host (Netlify, GitHub Pages, nginx with ``gzip_static``) does:

- gzip for text assets when the client accepts it (brotli would need a new dependency);
- ``Cache-Control: immutable`` for one year on Material's hashed assets
  (``assets/**/*.<hash>.min.{css,js}``), a short cache for HTML, an hour for the rest;
- ``ETag`` with ``304 Not Modified``; exact content types; directory URLs (``/page/`` serves
  ``page/index.html``, ``/page`` redirects to ``/page/``); the site's ``404.html`` with status 404.

``with serve(site_dir) as base_url:`` gives ``http://127.0.0.1:<free port>/``.
``python -m scripts.static_server [site]`` serves a built site by hand.
"""

from __future__ import annotations

import gzip
import hashlib
import http.server
import re
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import unquote, urlsplit

from macros import theme

CONTENT_TYPES: dict[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".gz": "application/gzip",
}
"""Types by suffix; anything else is ``application/octet-stream`` (never guessed from content)."""

COMPRESSIBLE = ("text/", "application/json", "application/xml", "image/svg+xml")
"""Types worth gzip; images, fonts and archives are compressed already."""

HASHED_ASSET = re.compile(theme.HASHED_ASSET)
"""Material's fingerprinted bundles, e.g. ``assets/javascripts/bundle.a5f9d56c.min.js``."""

CACHE_IMMUTABLE = "public, max-age=31536000, immutable"
CACHE_HTML = "public, max-age=300, must-revalidate"
CACHE_OTHER = "public, max-age=3600"


def cache_control(relative_path: str) -> str:
    """Cache policy of one site file (path relative to the site root, ``/``-separated)."""
    if HASHED_ASSET.search(relative_path):
        return CACHE_IMMUTABLE
    if relative_path.endswith(".html"):
        return CACHE_HTML
    return CACHE_OTHER


def content_type(path: Path) -> str:
    return CONTENT_TYPES.get(path.suffix.lower(), "application/octet-stream")


def _accepts_gzip(header: str | None) -> bool:
    """True when ``Accept-Encoding`` lists gzip (or ``*``) without ``q=0``."""
    for part in (header or "").split(","):
        name, _, params = part.strip().partition(";")
        if name.strip().lower() in ("gzip", "*"):
            q = params.replace(" ", "").lower()
            return not re.fullmatch(r"q=0(\.0*)?", q)
    return False


class StaticSiteHandler(http.server.BaseHTTPRequestHandler):
    """GET and HEAD over one directory; never lists directories, never leaves the root."""

    root: Path
    protocol_version = "HTTP/1.1"
    server_version = "static"
    sys_version = ""
    _gzip_cache: dict[tuple[Path, float], bytes] = {}  # noqa: RUF012 (shared by design)
    _lock = threading.Lock()

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def _resolve(self, url_path: str) -> tuple[Path | None, str | None]:
        """(file, None) to serve, (None, location) to redirect, (None, None) for 404."""
        relative = unquote(url_path).lstrip("/")
        candidate = (self.root / relative).resolve()
        if candidate != self.root and self.root not in candidate.parents:
            return None, None
        if candidate.is_dir():
            if not url_path.endswith("/"):
                return None, url_path + "/"
            candidate = candidate / "index.html"
        if candidate.is_file():
            return candidate, None
        return None, None

    def _body(self, path: Path, gzip_ok: bool) -> tuple[bytes, bool]:
        data = path.read_bytes()
        if not gzip_ok or not content_type(path).startswith(COMPRESSIBLE):
            return data, False
        key = (path, path.stat().st_mtime)
        with self._lock:
            cached = self._gzip_cache.get(key)
        if cached is None:
            cached = gzip.compress(data, compresslevel=9, mtime=0)
            with self._lock:
                self._gzip_cache[key] = cached
        return cached, True

    def _respond(self, send_body: bool) -> None:
        url_path = urlsplit(self.path).path or "/"
        path, location = self._resolve(url_path)
        if location is not None:
            self.send_response(301)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status = 200
        if path is None:
            status, path = 404, self.root / "404.html"
            if not path.is_file():
                self.send_error(404)
                return
        relative = path.relative_to(self.root).as_posix()
        body, gzipped = self._body(path, _accepts_gzip(self.headers.get("Accept-Encoding")))
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + ('-gz"' if gzipped else '"')
        if status == 200 and self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Cache-Control", cache_control(relative))
            self.end_headers()
            return
        self.send_response(status)
        self.send_header("Content-Type", content_type(path))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store" if status == 404 else cache_control(relative))
        self.send_header("X-Content-Type-Options", "nosniff")
        if content_type(path).startswith(COMPRESSIBLE):
            self.send_header("Vary", "Accept-Encoding")
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
        if status == 200:
            self.send_header("ETag", etag)
        self.end_headers()
        if send_body:
            self.wfile.write(body)


@contextmanager
def serve_with(handler: Callable[..., http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve with ``handler`` on a free loopback port, from a thread; yields the base URL
    (ending in ``/``)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    # A short poll interval: shutdown() waits for it, once per test that serves a site.
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="static-site", daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def serve(site_dir: Path | str) -> Iterator[str]:
    """Serve ``site_dir`` on a free loopback port; yields the base URL (ending in ``/``)."""
    root = Path(site_dir).resolve()
    if not (root / "index.html").is_file():
        raise FileNotFoundError(
            f"site_dir: '{root}' is not valid; expected a built site (with index.html)"
        )
    with serve_with(type("Handler", (StaticSiteHandler,), {"root": root})) as base_url:
        yield base_url


def main(argv: list[str]) -> int:
    site = Path(argv[0]) if argv else Path("site")
    with serve(site) as url:
        print(f"serving {site} at {url} (Ctrl-C stops)", flush=True)
        with suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
