"""The checker against the built site: the check page's examples produce exactly their codes,
the guide's own examples pass (every YAML block, and every admin console table read back as the
``ConfigValues`` export it stands for), and every docs link lands on an anchor.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from bs4 import Tag

from gitpod_resources import checker
from gitpod_resources.checker.model import SITE_URL
from macros import theme
from tests.checker.cli_support import cli_in_process
from tests.conftest import ROOT, Site
from tests.examples import examples
from tests.oracles import (
    KOTS_STORE_PROVIDER_LABELS,
    KOTS_TITLES,
    KOTS_TITLES_DATABASE,
    KOTS_TITLES_STORAGE,
)

CHECK_PAGE = "check/index.html"
REGISTRY_PAGE = "container-registry/index.html"
#: Pages whose YAML blocks must all pass, and the warnings each may show (and why).
GUIDE_PAGES = {
    REGISTRY_PAGE: {"REG214"},  # the GCR example: Container Registry's 2025 shutdown
    "object-storage/index.html": set(),
    "database/index.html": set(),
    "putting-together/aws/index.html": set(),
    "putting-together/gcp/index.html": set(),
}
#: Admin console group titles (reference §2.5, §4.4, §5.3) -> item titles transcribed from
#: kots-config.yaml (tests/oracles.py), title -> item name.
KOTS_GROUP_ITEMS = {
    "Container registry": {t: i for i, t in KOTS_TITLES.items()},
    "Object storage": {t: i for i, t in KOTS_TITLES_STORAGE.items()},
    "Database": {t: i for i, t in KOTS_TITLES_DATABASE.items()},
}
#: The group of a one-dependency example, by the prefix of its kind.
EXAMPLE_GROUP = {
    "registry": "Container registry",
    "storage": "Object storage",
    "database": "Database",
}


def page_examples(site: Site) -> dict[str, str]:
    """code -> the YAML example shown for it, read from the built HTML."""
    found = {}
    for div in site.soup(CHECK_PAGE).select("div.gp-check"):
        block = div.select_one("pre code")  # the example comes first, then the output
        assert block is not None, f"{div['data-code']}: no YAML example"
        found[str(div["data-code"])] = block.get_text()
    return found


def run_files(
    tmp_path: Path, files: dict[str, str], unusable: bool = False
) -> list[dict[str, object]]:
    """One run of the command over all files (in-process: test_cli runs the installed script);
    the JSON findings. Exit 2 (unusable input) only when ``unusable`` says it is expected."""
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    result = cli_in_process("check", "--format", "json", *files, cwd=tmp_path)
    assert result.returncode in ((0, 1, 2) if unusable else (0, 1)), result.stderr
    findings: list[dict[str, object]] = json.loads(result.stdout)
    return findings


def test_page_lists_every_registered_check(site: Site) -> None:
    assert sorted(page_examples(site)) == sorted(c.code for c in checker.all_checks())


def test_every_example_on_the_page_produces_exactly_its_code(site: Site, tmp_path: Path) -> None:
    shown = page_examples(site)
    files = {f"{code}.yaml": text for code, text in shown.items()}
    found: dict[str, set[str]] = {code: set() for code in shown}
    for finding in run_files(tmp_path, files, unusable=True):
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


def yaml_blocks(site: Site, page: str) -> list[str]:
    """Every YAML code block of a built page, as a reader copies it."""
    return [b.get_text() for b in site.soup(page).select("div.language-yaml pre code")]


@pytest.mark.parametrize("page", GUIDE_PAGES)
def test_every_yaml_block_of_the_guide_passes(site: Site, tmp_path: Path, page: str) -> None:
    blocks = yaml_blocks(site, page)
    assert len(blocks) >= len(examples(site.soup(page), page)) >= 1, page
    files = {f"block-{i}.yaml": text for i, text in enumerate(blocks)}
    findings = run_files(tmp_path, files)
    assert [f for f in findings if f["severity"] == "error"] == [], page
    assert {str(f["code"]) for f in findings} <= GUIDE_PAGES[page]


def _kots_value(item: str, shown: str) -> str:
    """What the admin console stores for what the reader enters in the field."""
    if shown in ("checked", "unchecked"):
        return "1" if shown == "checked" else "0"
    if item == "store_provider":
        return {label: value for value, label in KOTS_STORE_PROVIDER_LABELS.items()}[shown]
    if item == "reg_incluster_storage":
        return {"None": "none", "S3": "s3"}[shown]  # reference §2.5: select values and labels
    return shown


def admin_console_export(tab: Tag, group: str | None) -> str:
    """The ``ConfigValues`` export of an admin console tab: one table per group, the group named
    in bold before its table when the tab holds several."""
    values: dict[str, dict[str, str]] = {}
    for table in tab.select("table"):
        # Material wraps each table in its scrolling wrapper (macros.theme.TABLE_WRAPPERS).
        wrapper = table.find_parent("div", class_=theme.TABLE_WRAPPERS[0]) or table
        label = wrapper.find_previous_sibling("p")
        title = group or (label.strong.get_text() if label and label.strong else "")
        items = KOTS_GROUP_ITEMS[title]
        for tr in table.select("tbody tr"):
            field, shown = (td.get_text() for td in tr.find_all("td"))
            values[items[field]] = {"value": _kots_value(items[field], shown)}
    doc = {"apiVersion": "kots.io/v1beta1", "kind": "ConfigValues", "spec": {"values": values}}
    return yaml.safe_dump(doc, sort_keys=False)


def test_every_admin_console_table_passes_as_an_export(site: Site, tmp_path: Path) -> None:
    """The fields the guide says to enter, exported as the admin console would: no error, no
    warning (every value the guide shows is one the checker accepts)."""
    files = {}
    for page in GUIDE_PAGES:
        for n, ex in enumerate(examples(site.soup(page), page)):
            group = EXAMPLE_GROUP.get(ex.kind.partition(":")[0])
            name = f"{page.removesuffix('/index.html').replace('/', '-')}-{n}.yaml"
            files[name] = admin_console_export(ex.tabs["Admin console"], group)
    assert len(files) >= 15
    findings = run_files(tmp_path, files)
    assert [(f["file"], f["code"], f["message"]) for f in findings if f["code"] != "REG214"] == []
    texts = "".join(files.values())
    for item in ("store_provider", "store_s3_endpoint", "db_cloudsql_instance", "db_host"):
        assert item in texts, item
