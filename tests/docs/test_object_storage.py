"""The object storage page: examples equal the rules and agree with the installer and botocore."""

from __future__ import annotations

import re

from bs4 import Tag

from tests.conftest import Site
from tests.docs.component_checks import examples_of
from tests.examples import Example
from tests.oracles import KOTS_STORE_PROVIDER_LABELS, KOTS_TITLES_STORAGE, botocore_s3_host

PAGE = "object-storage/index.html"


def storage_examples(site: Site) -> list[Example]:
    return examples_of(site, "storage:")


def test_every_option_has_an_example(site: Site) -> None:
    kinds = {e.kind for e in storage_examples(site) if e.page == PAGE}
    assert kinds == {"storage:in-cluster", "storage:s3", "storage:gcs"}


def test_the_admin_console_rows_say_what_the_config_does(site: Site) -> None:
    for ex in storage_examples(site):
        doc = ex.yaml()
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


def test_azure_is_a_2022_11_provider_and_its_removal_a_main_branch_change(site: Site) -> None:
    """Azure is in config.go, the admin console's select and the installer at every 2022.11 tag;
    it was removed on gitpod-io/gitpod's main branch on 2023-02-01 (1ea14bdaae)."""
    soup = site.soup(PAGE)
    text = " ".join(soup.get_text().split())
    assert "Every 2022.11 release offers Azure Blob Storage" in text
    assert "main branch on 2023-02-01, after the 2022.11 line" in text
    assert "removed from the installer" not in text
    assert not [e for e in storage_examples(site) if "azure" in e.kind]


def test_the_global_endpoint_is_not_called_us_east_1_only_for_object_storage(site: Site) -> None:
    """Gitpod 2022.11's S3 client (minio-go v7.0.26, no region) looks a bucket up through
    s3.amazonaws.com (bucket-cache.go 85-117 at v7.0.26): the page must not tell readers the
    pre-filled endpoint fails outside us-east-1 for object storage."""
    warning = _first_warning(site)
    text = " ".join(warning.get_text().split())
    assert "works" in text and "looks the bucket's region up" in text
    assert "default only for" not in text and "serves only" not in text
    assert len(re.findall(r"[.!?](?:\s|$)", text)) <= 3, text


def test_no_main_branch_behaviour_is_shown_as_2022_11s(site: Site) -> None:
    """The 'After 2022.11' box described main-branch code no 2022.11 tag has; its dates were
    author dates (2022-12-05, 2023-01-06), not when the changes landed."""
    text = site.soup(PAGE).get_text()
    for gone in ("2022-12-05", "2023-01-06", "the AWS SDK", "required since"):
        assert gone not in text, gone


def test_every_section_cites_its_sources(site: Site) -> None:
    soup = site.soup(PAGE)
    for anchor in ("s3", "gcs", "in-cluster", "azure", "which-one-wins"):
        heading = soup.find(id=anchor)
        assert isinstance(heading, Tag), anchor
        source = heading.find_next("p", class_="gp-source")
        after = heading.find_next("h2")
        assert isinstance(source, Tag), anchor
        assert source.select("a[href]"), anchor
        assert after is None or (source.sourceline or 0) < (after.sourceline or 0), anchor


def _first_warning(site: Site) -> Tag:
    article = site.soup(PAGE).select_one("article")
    assert article is not None
    first = article.select_one("div.admonition, h2")
    assert isinstance(first, Tag)
    return first
