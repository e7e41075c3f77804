"""`make audit`: Lighthouse scores accessibility, best practices and SEO 100 on every page.

These three categories are deterministic (rule checks, not timings), so they are asserted; the
performance category is timing and belongs to `make bench`. Each page is served the way a static
host serves it (scripts/static_server.py) and audited with the mobile preset, Lighthouse's default.
"""

from __future__ import annotations

import pytest

from scripts import lighthouse
from scripts.static_server import serve
from tests.conftest import Site, require

pytestmark = pytest.mark.audit

CATEGORIES = ("accessibility", "best-practices", "seo")


def test_every_page_scores_100(site: Site) -> None:
    ok, why = lighthouse.available()
    require(ok, why)
    pages = site.pages()
    assert pages, "the built site has no pages"
    failures: list[str] = []
    with serve(site.root) as base_url:
        for page in pages:
            path = "/" + page.removesuffix("index.html")
            url = base_url + path.lstrip("/")
            report = lighthouse.run(url, "mobile", CATEGORIES)
            assert set(report.scores) == set(CATEGORIES), f"{url}: got {sorted(report.scores)}"
            for category in CATEGORIES:
                if report.scores[category] < 100:
                    audits = "; ".join(report.failing[category]) or "no scored audit named"
                    failures.append(f"{path}: {category} {report.scores[category]:g}: {audits}")
    assert not failures, "Lighthouse below 100:\n" + "\n".join(failures)
