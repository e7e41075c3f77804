"""The guide under Zensical, Material for MkDocs' successor (``make zensical``).

Every page reads the same as in the MkDocs build (the text of its ``article``), and the failure
modes the MkDocs build stops on stop the Zensical build too (tests/sites/test_failure_modes.py
has the MkDocs side), each in a small copy built in a temp dir.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import Site, require
from tests.support.zensical_site import SITE_DIR, ZENSICAL, project_copy, zensical_build

pytestmark = pytest.mark.usefixtures("zensical_installed")


@pytest.fixture
def zensical_installed() -> None:
    require(ZENSICAL.exists(), "Zensical is not installed: run `make setup`")


def article_text(html: str) -> str:
    """The page's article as a reader reads it, lines stripped. Zensical adds an empty skip
    target (``a#__skip``) at its top; it holds no text."""
    article = BeautifulSoup(html, "html.parser").select_one("article")
    assert article is not None
    for skip in article.select("a#__skip"):
        skip.decompose()
    return "\n".join(line.strip() for line in article.get_text().splitlines() if line.strip())


def test_every_page_reads_as_in_the_mkdocs_build(site: Site, tmp_path: Path) -> None:
    result = zensical_build(project_copy(tmp_path))
    assert result.returncode == 0, result.stdout
    zensical = Site(tmp_path / SITE_DIR)
    assert zensical.pages() == site.pages()
    differ = []
    for page in site.pages():
        ours = article_text((site.root / page).read_text(encoding="utf-8"))
        theirs = article_text((zensical.root / page).read_text(encoding="utf-8"))
        assert len(ours) > 200, page
        if ours != theirs:
            differ.append(page)
    assert not differ, f"the article text differs under Zensical on {differ}"


#: Page body -> (what the output must name, whether it names the page). Zensical 0.0.73 stops on
#: a macro error with the exception's traceback, which does not name the page (README says so).
FAILURES = {
    "broken macro": ("{{ s3_endpoint('mars-north-1') }}", "mars-north-1", False),
    "unknown macro": ("{{ s3_endpointt('eu-west-1') }}", "s3_endpointt", False),
    "undefined variable": ("{{ rules.no_such_fact }}", "no_such_fact", False),
    "dead link": ("[gone](missing.md)", "missing.md", True),
}


@pytest.mark.parametrize("body, named, page_named", FAILURES.values(), ids=FAILURES.keys())
def test_what_stops_the_mkdocs_build_stops_the_zensical_build(
    tmp_path: Path, body: str, named: str, page_named: bool
) -> None:
    project = project_copy(tmp_path, {"index.md": f"# Page\n\n{body}\n"})
    result = zensical_build(project)
    assert result.returncode != 0
    assert named in result.stdout
    assert ("index.md" in result.stdout) == page_named


def test_the_small_copy_builds_when_nothing_is_wrong(tmp_path: Path) -> None:
    """The other side of the failure modes: the same copy with a good macro builds."""
    project = project_copy(tmp_path, {"index.md": "# Page\n\n{{ s3_endpoint('eu-west-1') }}\n"})
    result = zensical_build(project)
    assert result.returncode == 0, result.stdout
    assert "s3.eu-west-1.amazonaws.com" in (project / SITE_DIR / "index.html").read_text()


def test_template_syntax_in_code_stays_literal(tmp_path: Path) -> None:
    """Zensical calls no on_pre_page_macros; macros/literal_code.py's Markdown extension keeps
    code literal before its macros run, as the MkDocs build does."""
    page = "# Helm\n\n```yaml\nimage: {{ .Values.image }}\n```\n\n{{ s3_endpoint('eu-west-1') }}\n"
    project = project_copy(tmp_path, {"index.md": page})
    result = zensical_build(project)
    assert result.returncode == 0, result.stdout
    html = (project / SITE_DIR / "index.html").read_text()
    text = BeautifulSoup(html, "html.parser").get_text()
    assert "image: {{ .Values.image }}" in text
    assert "s3.eu-west-1.amazonaws.com" in text


NARROWED = """\
from macros import theme

theme.TESTED["zensical"] = ("0.1", "0.2")
"""


def test_a_zensical_outside_the_tested_range_stops_the_build(tmp_path: Path) -> None:
    """Zensical runs no hooks: the macros module's entry point says it."""
    project = project_copy(tmp_path, {"index.md": "# Page\n"})
    init = project / "macros" / "__init__.py"
    init.write_text(NARROWED + init.read_text().replace("from __future__ import annotations\n", ""))
    result = zensical_build(project)
    assert result.returncode != 0
    assert "zensical 0.0.73 is outside the versions this site was tested with" in result.stdout
