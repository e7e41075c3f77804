"""Shared fixtures: one strict build of the site per test session, parsed with a real HTML parser.

Set GITPOD_DOCS_STRICT_SKIPS=1 (``.ci/run`` does) to turn every skip into a failure: a test that
needs a system binary may skip on a laptop, never in CI.

Hypothesis: profile ``default`` (``make test``) or ``thorough`` (``HYPOTHESIS_PROFILE=thorough``,
the example counts the properties had before the suite was made fast); see :func:`examples`.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
STRICT_SKIPS = os.environ.get("GITPOD_DOCS_STRICT_SKIPS") == "1"

settings.register_profile("default", deadline=None)
settings.register_profile("thorough", deadline=None)
HYPOTHESIS_PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "default")
settings.load_profile(HYPOTHESIS_PROFILE)


def examples(*, default: int, thorough: int) -> int:
    """A property's ``max_examples`` under the loaded Hypothesis profile (counts in the test)."""
    return thorough if HYPOTHESIS_PROFILE == "thorough" else default


def require(condition: bool, reason: str) -> None:
    """Skip with ``reason`` when ``condition`` is false, or fail under strict skips (CI)."""
    if condition:
        return
    if STRICT_SKIPS:
        pytest.fail(f"required in CI: {reason}", pytrace=False)
    pytest.skip(reason)


def mkdocs_build(config: Path, site_dir: Path) -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict`` in a subprocess, as a reader's ``make build`` runs it."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [str(BIN / "mkdocs"), "build", "--strict", "-f", str(config), "-d", str(site_dir)],
        cwd=config.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """The project's site, built once per session (once for all xdist workers)."""
    root = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        root = root.parent
    out = root / "built-site"
    done = root / "built-site.ok"
    with open(root / "built-site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            result = mkdocs_build(ROOT / "mkdocs.yml", out)
            if result.returncode != 0:
                pytest.fail(f"mkdocs build failed:\n{result.stderr[-4000:]}", pytrace=False)
            done.write_text("ok")
    return out


class Site:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._cache: dict[str, BeautifulSoup] = {}

    def pages(self) -> list[str]:
        """Every HTML page of the built site (paths relative to its root), 404 excluded."""
        return sorted(
            str(p.relative_to(self.root))
            for p in self.root.rglob("*.html")
            if p.name != "404.html" and "assets" not in p.parts
        )

    def soup(self, page: str) -> BeautifulSoup:
        """The page as a reader reads it: a ``<wbr>`` (a place long inline code may wrap, no
        text: macros/code_markup.py) is dropped and the text either side of it joined, so that
        ``get_text(" ")`` does not split ``/debug/health`` into ``/ debug/ health``."""
        if page not in self._cache:
            html = (self.root / page).read_text(encoding="utf-8")
            soup = BeautifulSoup(html, "html.parser")
            for wbr in soup.find_all("wbr"):
                wbr.decompose()
            soup.smooth()
            self._cache[page] = soup
        return self._cache[page]


@pytest.fixture(scope="session")
def site(site_dir: Path) -> Site:
    return Site(site_dir)


@pytest.fixture(scope="session")
def worker_id(request: pytest.FixtureRequest) -> str:
    """xdist's worker id, or 'master' when xdist is not in use."""
    return str(getattr(request.config, "workerinput", {}).get("workerid", "master"))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Under strict skips, a run with skipped tests does not pass."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if STRICT_SKIPS and reporter is not None and reporter.stats.get("skipped"):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture
def chdir_tmp(tmp_path: Path) -> Iterator[Path]:
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(old)
