"""The platform pages: one config per platform, every part equal to its own page's rules."""

from __future__ import annotations

from gitpod_resources import config, database, stack, storage
from tests.conftest import Site
from tests.docs.component_checks import codes, examples_of
from tests.examples import Example
from tests.oracles import botocore_s3_host

PAGES = {
    "aws": "putting-together/aws/index.html",
    "gcp": "putting-together/gcp/index.html",
    "on-prem": "putting-together/on-prem/index.html",
}


def stack_examples(site: Site) -> list[Example]:
    return examples_of(site, "together:")


def test_one_example_per_cloud_page(site: Site) -> None:
    found = {(e.page, e.kind) for e in stack_examples(site)}
    assert found == {(page, f"together:{cloud}") for cloud, page in PAGES.items()}


def test_one_config_holds_each_part_unchanged(site: Site) -> None:
    """The merged config contains, key for key, what each component page's rules produce."""
    for ex in stack_examples(site):
        s = stack.build(ex.kind.split(":", 1)[1], ex.inputs)
        doc = ex.yaml()
        parts = {"apiVersion", "containerRegistry", "objectStorage", "database"}
        # In-cluster storage (on-prem) leaves metadata.region at the installer's default.
        assert set(doc) - {"metadata"} == parts
        assert doc["containerRegistry"] == config.installer_config(s.registry)["containerRegistry"]
        assert doc["objectStorage"] == storage.installer_config(s.storage)["objectStorage"]
        assert doc["database"] == database.installer_config(s.database)["database"]
        assert doc.get("metadata") == storage.installer_config(s.storage).get("metadata")
        assert ("metadata" in doc) == (ex.kind != "together:on-prem")


def test_the_admin_console_tab_has_one_table_per_component(site: Site) -> None:
    for ex in stack_examples(site):
        assert len(ex.tabs["Admin console"].select("table")) == 3


def test_aws_uses_one_region_and_botocores_endpoints(site: Site) -> None:
    (ex,) = [e for e in stack_examples(site) if e.kind == "together:aws"]
    doc = ex.yaml()
    region = doc["metadata"]["region"]
    registry = doc["containerRegistry"]
    assert registry["inCluster"] is True
    assert registry["s3storage"]["region"] == region
    assert registry["s3storage"]["endpoint"] == botocore_s3_host(region)
    assert doc["objectStorage"]["s3"]["endpoint"] == botocore_s3_host(region)
    assert registry["s3storage"]["bucket"] != doc["objectStorage"]["s3"]["bucket"]
    assert "external" in doc["database"]


def test_gcp_uses_one_project_and_region(site: Site) -> None:
    (ex,) = [e for e in stack_examples(site) if e.kind == "together:gcp"]
    doc = ex.yaml()
    region = doc["metadata"]["region"]
    project = doc["objectStorage"]["cloudStorage"]["project"]
    url = doc["containerRegistry"]["external"]["url"]
    assert url.split("/")[:2] == [f"{region}-docker.pkg.dev", project]
    assert doc["database"]["cloudSQL"]["instance"].split(":")[:2] == [project, region]


def test_on_prem_uses_the_registry_host_alone_as_the_secrets_server(site: Site) -> None:
    (ex,) = [e for e in stack_examples(site) if e.kind == "together:on-prem"]
    doc = ex.yaml()
    url = doc["containerRegistry"]["external"]["url"]
    assert doc["objectStorage"] == {"inCluster": True}
    assert "external" in doc["database"]
    (registry_command, *_) = codes(ex)
    assert f"--docker-server={url.split('/')[0]}" in registry_command
