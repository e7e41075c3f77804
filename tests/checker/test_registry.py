"""The check registry: every module in checks/ is discovered, codes are well-formed and unique,
and every check is fully described (the reference page and JSON output rely on it)."""

from __future__ import annotations

import re

import pytest

from gitpod_resources import checker
from gitpod_resources.checker import checks
from gitpod_resources.checker.model import CHECK_PAGE, DocKind, Severity
from tests.conftest import ROOT

CONTAINER_REGISTRY_ANCHORS = {"amazon-ecr", "in-cluster-s3", "gcr", "gar", "generic", "in-cluster"}
#: Guide pages checks may link to, and the section anchors there (headings' ``{ #id }``).
GUIDE_ANCHORS = {
    "container-registry.md": CONTAINER_REGISTRY_ANCHORS,
    "object-storage.md": {"s3", "gcs", "in-cluster", "azure", "which-one-wins"},
    "database.md": {"external", "tls", "cloud-sql", "in-cluster", "which-one-wins"},
}


def test_every_module_in_checks_is_loaded() -> None:
    files = {
        p.stem
        for p in (ROOT / "gitpod_resources/checker/checks").glob("*.py")
        if p.stem != "__init__"
    }
    assert set(checks.load_all()) == files


def test_codes_and_descriptions() -> None:
    all_checks = checker.all_checks()
    assert len({c.code for c in all_checks}) == len(all_checks)
    for c in all_checks:
        assert re.fullmatch(r"[A-Z]{2,5}\d{3}", c.code), c.code
        assert c.severity in (Severity.ERROR, Severity.WARNING)
        assert c.summary and c.why and c.fix and c.example.endswith("\n"), c.code
        assert c.kinds <= set(DocKind) and c.kinds, c.code
        page, _, anchor = c.docs_page_ref.partition("#")
        assert (ROOT / "docs" / page).exists(), c.code
        if page in GUIDE_ANCHORS:
            assert anchor in GUIDE_ANCHORS[page], c.code
            assert f"{{ #{anchor} }}" in (ROOT / "docs" / page).read_text(), c.code
        else:
            assert page == CHECK_PAGE and anchor == c.code.lower(), c.code


#: Each issue's list of checks, by what each check is about.
ISSUE_CHECKS = {
    "issue-7-registry": (
        "ecr",
        "endpoint does not match the region",
        "not a bare host",
        "not host[/path]",
        "server is not the url's host",
        "server with a path",
        "artifact registry location",
        "project id",
        "repository",
        "shut down",
        "incluster is missing",
        "required",
        "kind: secret",
        "unknown key",
        "bucket name",
    ),
    "issue-8-storage-database": (
        "cloud sql instance is not a connection name",
        "storage region is not a region of the provider",
        "s3 endpoint is not the s3 host of the storage region",
        "required object storage value",
        "required database value",
        "objectstorage.incluster is missing",
        "database.incluster is missing",
        "unknown object storage item",
        "unknown database item",
        "azure",
    ),
}


@pytest.mark.parametrize("abouts", ISSUE_CHECKS.values(), ids=ISSUE_CHECKS.keys())
def test_the_issue_s_checks_are_all_there(abouts: tuple[str, ...]) -> None:
    summaries = " | ".join(c.summary.lower() for c in checker.all_checks())
    for about in abouts:
        assert about in summaries, about
