"""The checker against the built site: the check page's examples produce exactly their codes,
the guide's own container-registry examples pass, and every docs link lands on an anchor.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from macros import checker
from macros.checker.model import SITE_URL
from tests.checker.test_cli import cli
from tests.conftest import ROOT, Site
from tests.examples import examples

CHECK_PAGE = "check/index.html"
REGISTRY_PAGE = "container-registry/index.html"


def page_examples(site: Site) -> dict[str, str]:
    """code -> the YAML example shown for it, read from the built HTML."""
    found = {}
    for div in site.soup(CHECK_PAGE).select("div.gp-check"):
        block = div.select_one("pre code")  # the example comes first, then the output
        assert block is not None, f"{div['data-code']}: no YAML example"
        found[str(div["data-code"])] = block.get_text()
    return found


def run_files(tmp_path: Path, files: dict[str, str]) -> list[dict[str, object]]:
    """One run of the installed command over all files; the JSON findings."""
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    result = cli("check", "--format", "json", *files, cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    findings: list[dict[str, object]] = json.loads(result.stdout)
    return findings


def test_page_lists_every_registered_check(site: Site) -> None:
    assert sorted(page_examples(site)) == sorted(c.code for c in checker.all_checks())


def test_every_example_on_the_page_produces_exactly_its_code(site: Site, tmp_path: Path) -> None:
    shown = page_examples(site)
    files = {f"{code}.yaml": text for code, text in shown.items()}
    found: dict[str, set[str]] = {code: set() for code in shown}
    for finding in run_files(tmp_path, files):
        found[str(finding["file"]).removesuffix(".yaml")].add(str(finding["code"]))
    assert found == {code: {code} for code in shown}


def test_page_shows_severity_and_fix(site: Site) -> None:
    for div in site.soup(CHECK_PAGE).select("div.gp-check"):
        chk = next(c for c in checker.all_checks() if c.code == div["data-code"])
        text = div.get_text(" ")
        assert chk.severity.value in text and "Fix:" in text, chk.code
        assert div.find(id=chk.anchor) is not None, chk.code


def test_container_registry_examples_have_no_errors(site: Site, tmp_path: Path) -> None:
    blocks = [
        ex.code("Installer config")
        for ex in examples(site.soup(REGISTRY_PAGE), REGISTRY_PAGE)
        if ex.kind.startswith("registry:")
    ]
    assert len(blocks) >= 5
    files = {f"example-{i}.yaml": text for i, text in enumerate(blocks) if text}
    findings = run_files(tmp_path, files)
    assert [f for f in findings if f["severity"] == "error"] == []
    # The GCR example is the one place a warning is expected: the 2025 shutdown.
    assert {f["code"] for f in findings} <= {"REG214"}


def test_docs_links_resolve_to_anchors_of_the_built_site(site: Site) -> None:
    for chk in checker.all_checks():
        assert chk.docs_url.startswith(SITE_URL)
        path, _, anchor = chk.docs_url.removeprefix(SITE_URL).partition("#")
        page = f"{path}index.html"
        assert page in site.pages(), f"{chk.code}: {chk.docs_url}"
        assert site.soup(page).find(id=anchor) is not None, f"{chk.code}: {chk.docs_url}"


def test_site_url_is_mkdocs_site_url() -> None:
    match = re.search(r"^site_url:\s*(\S+)\s*$", (ROOT / "mkdocs.yml").read_text(), re.M)
    assert match is not None and match.group(1) == SITE_URL


def test_check_page_is_in_the_navigation(site: Site) -> None:
    links = {a.get("href") for a in site.soup("index.html").select("nav a")}
    assert any(str(h).rstrip("/").endswith("check") for h in links)
