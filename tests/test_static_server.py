"""The loopback server behaves like a static host: compression, cache policy, types, 404.

Oracles: ``gzip.decompress`` must give back the file's bytes; the hashed names are read from the
built site's own HTML, not from the server's pattern.
"""

from __future__ import annotations

import gzip
import http.client
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from scripts.static_server import CACHE_IMMUTABLE, serve
from tests.conftest import Site


def fetch(
    base_url: str, path: str, headers: dict[str, str] | None = None, method: str = "GET"
) -> tuple[int, dict[str, str], bytes]:
    """One raw request (no client-side decompression or redirects): status, headers, body."""
    parts = urlsplit(base_url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        conn.request(method, path, headers=headers or {})
        response = conn.getresponse()
        body = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        conn.close()


@pytest.fixture
def toy_site(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    root = tmp_path / "site"
    (root / "guide").mkdir(parents=True)
    (root / "assets" / "javascripts").mkdir(parents=True)
    (root / "index.html").write_text("<!doctype html><title>home</title>" + "x" * 2000)
    (root / "guide" / "index.html").write_text("<!doctype html><title>guide</title>")
    (root / "404.html").write_text("<!doctype html><title>not found page</title>")
    (root / "assets" / "javascripts" / "bundle.0123abcd.min.js").write_text("var a=1;" * 500)
    (root / "assets" / "javascripts" / "plain.js").write_text("var b=2;")
    (root / "favicon.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    (tmp_path / "secret.txt").write_text("outside the site")
    with serve(root) as base_url:
        yield root, base_url


def test_base_url_is_loopback_on_a_free_port(toy_site: tuple[Path, str]) -> None:
    _, base_url = toy_site
    parts = urlsplit(base_url)
    assert parts.hostname == "127.0.0.1" and parts.port and parts.port != 8000
    assert base_url.endswith("/")


def test_text_is_gzipped_when_accepted_and_decompresses_to_the_file(
    toy_site: tuple[Path, str],
) -> None:
    root, base_url = toy_site
    status, headers, body = fetch(base_url, "/", {"Accept-Encoding": "gzip, deflate, br"})
    assert status == 200
    assert headers["content-encoding"] == "gzip"
    assert headers["vary"] == "Accept-Encoding"
    assert int(headers["content-length"]) == len(body)
    assert gzip.decompress(body) == (root / "index.html").read_bytes()
    assert len(body) < (root / "index.html").stat().st_size


def test_no_gzip_without_accept_encoding_or_with_q0(toy_site: tuple[Path, str]) -> None:
    root, base_url = toy_site
    for headers in ({}, {"Accept-Encoding": "gzip;q=0, identity"}):
        status, got, body = fetch(base_url, "/", headers)
        assert status == 200 and "content-encoding" not in got
        assert body == (root / "index.html").read_bytes()


def test_images_are_not_recompressed(toy_site: tuple[Path, str]) -> None:
    _, base_url = toy_site
    status, headers, _ = fetch(base_url, "/favicon.png", {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["content-type"] == "image/png"
    assert "content-encoding" not in headers


def test_cache_policy_by_kind(toy_site: tuple[Path, str]) -> None:
    _, base_url = toy_site
    hashed = fetch(base_url, "/assets/javascripts/bundle.0123abcd.min.js")[1]["cache-control"]
    plain = fetch(base_url, "/assets/javascripts/plain.js")[1]["cache-control"]
    html = fetch(base_url, "/guide/")[1]["cache-control"]
    assert "immutable" in hashed and "max-age=31536000" in hashed
    assert "immutable" not in plain
    max_age = int(re.search(r"max-age=(\d+)", html).group(1))  # type: ignore[union-attr]
    assert max_age <= 600 and "immutable" not in html


def test_content_types(toy_site: tuple[Path, str]) -> None:
    _, base_url = toy_site
    assert fetch(base_url, "/")[1]["content-type"] == "text/html; charset=utf-8"
    js = fetch(base_url, "/assets/javascripts/plain.js")[1]["content-type"]
    assert js == "text/javascript; charset=utf-8"


def test_directory_urls_redirect_and_serve_index(toy_site: tuple[Path, str]) -> None:
    _, base_url = toy_site
    status, headers, _ = fetch(base_url, "/guide")
    assert status == 301 and headers["location"] == "/guide/"
    status, _, body = fetch(base_url, "/guide/?q=1")
    assert status == 200 and b"<title>guide</title>" in body


def test_missing_page_is_404_with_the_site_404_page(toy_site: tuple[Path, str]) -> None:
    _, base_url = toy_site
    status, headers, body = fetch(base_url, "/no/such/page/")
    assert status == 404
    assert b"not found page" in body
    assert headers["content-type"] == "text/html; charset=utf-8"


def test_never_serves_outside_the_root(toy_site: tuple[Path, str]) -> None:
    _, base_url = toy_site
    for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/guide/../../secret.txt"):
        status, _, body = fetch(base_url, path)
        assert status == 404 and b"outside the site" not in body, path


def test_head_and_conditional_get(toy_site: tuple[Path, str]) -> None:
    _, base_url = toy_site
    status, headers, body = fetch(base_url, "/", {"Accept-Encoding": "gzip"}, method="HEAD")
    assert status == 200 and body == b"" and int(headers["content-length"]) > 0
    status, _, body = fetch(
        base_url, "/", {"Accept-Encoding": "gzip", "If-None-Match": headers["etag"]}
    )
    assert status == 304 and body == b""


def test_built_site_hashed_assets_are_immutable(site: Site) -> None:
    """Every stylesheet and script the built pages link to under assets/ is cached for good."""
    soup = BeautifulSoup((site.root / "index.html").read_text(encoding="utf-8"), "html.parser")
    linked = [t["href"] for t in soup.select("link[rel=stylesheet]")]
    linked += [t["src"] for t in soup.select("script[src]")]
    hashed = [str(u) for u in linked if re.search(r"assets/.+\.[0-9a-f]{8}\.min\.", str(u))]
    assert hashed, f"no hashed asset among {linked}"
    with serve(site.root) as base_url:
        for url in hashed:
            status, headers, _ = fetch(base_url, "/" + url.lstrip("./"))
            assert status == 200, url
            assert headers["cache-control"] == CACHE_IMMUTABLE, url
