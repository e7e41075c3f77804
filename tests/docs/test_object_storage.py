"""The object storage page: examples equal the rules and agree with the installer and botocore."""

from __future__ import annotations

from macros import storage
from tests.conftest import Site
from tests.docs.component_checks import (
    check_secrets,
    check_tabs,
    check_titles,
    check_yaml_keys,
    codes,
    examples_of,
)
from tests.examples import Example
from tests.oracles import KOTS_STORE_PROVIDER_LABELS, KOTS_TITLES_STORAGE, botocore_s3_host

PAGE = "object-storage/index.html"


def storage_examples(site: Site) -> list[Example]:
    return examples_of(site, "storage:")


def test_every_option_has_an_example(site: Site) -> None:
    kinds = {e.kind for e in storage_examples(site) if e.page == PAGE}
    assert kinds == {"storage:in-cluster", "storage:s3", "storage:gcs"}


def test_examples_equal_the_rules(site: Site) -> None:
    checked = 0
    for ex in storage_examples(site):
        setup = storage.build(ex.kind.split(":", 1)[1], ex.inputs)
        assert ex.kots_rows() == storage.kots_fields(setup), ex
        assert ex.yaml() == storage.installer_config(setup), ex
        assert codes(ex) == storage.secret_commands(setup), ex
        checked += 1
    assert checked >= 4


def test_every_block_matches_the_installer_and_admin_console(site: Site) -> None:
    for ex in storage_examples(site):
        check_tabs(ex)
        check_titles(ex)
        check_secrets(ex)
        doc = check_yaml_keys(ex)
        section = doc["objectStorage"]
        rows = dict(ex.kots_rows())
        provider = rows[KOTS_TITLES_STORAGE["store_provider"]]
        assert provider in KOTS_STORE_PROVIDER_LABELS.values(), ex
        if section["inCluster"]:
            assert provider == KOTS_STORE_PROVIDER_LABELS["incluster"]
            assert "metadata" not in doc and set(section) == {"inCluster"}
        else:
            # The admin console's region field is metadata.region, the storage region.
            assert doc["metadata"]["region"] == rows[KOTS_TITLES_STORAGE["store_region"]]


def test_s3_endpoint_is_what_botocore_resolves(site: Site) -> None:
    s3 = [e for e in storage_examples(site) if e.kind == "storage:s3"]
    assert {e.inputs["region"] for e in s3} >= {"us-east-1", "eu-west-2"}
    for ex in s3:
        doc = ex.yaml()
        endpoint = doc["objectStorage"]["s3"]["endpoint"]
        assert endpoint == botocore_s3_host(doc["metadata"]["region"]), ex
        assert dict(ex.kots_rows())[KOTS_TITLES_STORAGE["store_s3_endpoint"]] == endpoint
        assert "://" not in endpoint


def test_the_gotcha_comes_first(site: Site) -> None:
    """The first thing after the intro is the endpoint warning, before any section."""
    article = site.soup(PAGE).select_one("article")
    assert article is not None
    first = article.select_one("div.admonition, h2")
    assert first is not None and first.name == "div" and "warning" in first["class"]
    text = first.get_text()
    assert "s3.amazonaws.com" in text and botocore_s3_host("eu-west-2") in text


def test_azure_is_refused_with_its_removal_date(site: Site) -> None:
    text = site.soup(PAGE).get_text()
    assert "2023-02-01" in text
    assert not [e for e in storage_examples(site) if "azure" in e.kind]
