"""What the browser tests share: the pages to visit, opening one in a palette, axe-core.

Pages are enumerated from ``docs/`` at collection time (tests are parametrized before the site
is built) and ``test_every_built_page_is_checked`` proves that list equals ``Site.pages()``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import axe_playwright_python

from macros import theme
from tests.conftest import ROOT

DOCS = ROOT / "docs"

#: axe-core as pinned by axe-playwright-python, injected from disk (never fetched from a CDN).
AXE_JS = Path(axe_playwright_python.__file__).with_name("axe.min.js")
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
#: Rules switched off, each with the reason. Empty: fix the theme instead (overrides/, a11y.css).
DISABLED_RULES: dict[str, str] = {}

#: Palette name in the tests -> Material's ``data-md-color-scheme`` (see mkdocs.yml).
SCHEMES = theme.SCHEMES


@dataclass(frozen=True)
class SitePage:
    source: str  # docs-relative Markdown file
    built: str  # as ``Site.pages()`` lists it: "container-registry/index.html"
    path: str  # URL path below the base URL: "container-registry/"

    @property
    def url_path(self) -> str:
        """The page's URL path on the site, for messages: "/" for the home page."""
        return f"/{self.path}"

    @property
    def id(self) -> str:
        return self.path.strip("/").replace("/", "-") or "home"


def site_pages(docs: Path = DOCS) -> list[SitePage]:
    """Every page MkDocs builds from ``docs`` (directory URLs), in a stable order."""
    out = []
    for md in sorted(docs.rglob("*.md")):
        rel = md.relative_to(docs)
        folder = rel.parent if rel.name in ("index.md", "README.md") else rel.with_suffix("")
        path = "" if str(folder) == "." else f"{folder.as_posix()}/"
        out.append(SitePage(rel.as_posix(), f"{path}index.html", path))
    return out


def open_page(
    page: Any, base_url: str, site_page: SitePage, scheme: str = "light", wait: str = "load"
) -> None:
    """Load ``site_page`` in the palette the reader's system asks for; prove it took effect.

    ``load`` is enough for the theme's scripts (they run before it); ``networkidle`` also waits
    for what they fetch afterwards (the search index), for the tests that record every request.
    """
    page.emulate_media(color_scheme=scheme)
    response = page.goto(base_url + site_page.path, wait_until=wait)
    assert response is not None, f"{site_page.url_path}: no response"
    assert response.status == 200, f"{site_page.url_path}: HTTP {response.status}"
    applied = page.evaluate("document.body.getAttribute('" + theme.SCHEME_ATTRIBUTE + "')")
    assert applied == SCHEMES[scheme], f"{site_page.url_path}: palette {applied!r}, wanted {scheme}"


def settle(page: Any) -> None:
    """Wait for running CSS transitions to end: mid-fade colours are not what a reader reads."""
    page.wait_for_function(
        "document.getAnimations().every(a => a.playState !== 'running')", timeout=10_000
    )


def axe_violations(page: Any, include: str | dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.0/2.1 A + AA violations for the page, or for ``include``: a selector
    or a whole axe context (``{"include": [...], "exclude": [...]}``).

    axe-core is injected once per page load (from disk) and reused by every later run on it.
    """
    settle(page)
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_JS))
    options = {
        "runOnly": {"type": "tag", "values": list(WCAG_TAGS)},
        "resultTypes": ["violations"],
        "rules": {rule: {"enabled": False} for rule in DISABLED_RULES},
    }
    result: list[dict[str, Any]] = page.evaluate(
        "([include, options]) => axe.run(typeof include === 'string' ? {include: [include]}"
        "  : include || document, options)"
        "  .then(r => r.violations)",
        [include, options],
    )
    return result


def describe_violations(violations: list[dict[str, Any]], where: str) -> str:
    """One line per violation and up to three offending nodes, for an assertion message."""
    lines = [f"{len(violations)} axe violation(s) on {where}:"]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:3]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {' '.join(map(str, node['target']))}: {summary[:300]}")
    return "\n".join(lines)


def assert_no_axe_violations(
    page: Any, where: str, include: str | dict[str, Any] | None = None
) -> None:
    """No axe violation on the page (or ``include``, as for ``axe_violations``), else fail
    naming ``where`` and what axe found."""
    violations = axe_violations(page, include)
    assert not violations, describe_violations(violations, where)


def wait_for_quiet_network(page: Any, recorder: Any, last: str, timeout: float = 15.0) -> None:
    """Wait until a request for a URL ending in ``last`` was made and nothing is in flight.

    The exact condition ``networkidle`` approximates (no request for 500 ms): the search index,
    which Material's worker fetches after ``load``, is the last thing a page asks for.
    """
    deadline = time.monotonic() + timeout
    while not (any(u.endswith(last) for u in recorder.requests) and not recorder.in_flight):
        if time.monotonic() > deadline:
            pending = sorted(str(getattr(r, "url", r)) for r in recorder.in_flight)
            raise AssertionError(f"{page.url}: network not quiet after {timeout} s: {pending}")
        page.wait_for_timeout(20)  # lets Playwright deliver the events it has received
