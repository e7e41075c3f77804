"""The container-registry examples in the built site agree with the rules and with the oracles."""

from __future__ import annotations

import shlex

from tests.conftest import Site
from tests.docs.component_checks import examples_of
from tests.examples import Example, created_secrets
from tests.oracles import (
    CONTAINER_REGISTRY_KEYS,
    KOTS_TITLES,
    botocore_s3_host,
    unknown_keys,
)

PAGE = "container-registry/index.html"


def registry_examples(site: Site) -> list[Example]:
    return examples_of(site, "registry:")


def kubectl_flags(command: str) -> dict[str, str]:
    argv = shlex.split(command.replace("\\\n", " "))
    assert argv[:3] == ["kubectl", "create", "secret"], argv
    flags = {}
    for arg in argv[5:]:
        name, _, value = arg.partition("=")
        flags[name] = value
    return flags


def test_every_option_has_an_example(site: Site) -> None:
    kinds = {e.kind for e in registry_examples(site) if e.page == PAGE}
    assert kinds == {
        "registry:in-cluster",
        "registry:in-cluster-s3",
        "registry:gcr",
        "registry:gar",
        "registry:generic",
    }


def test_field_titles_are_the_admin_console_titles(site: Site) -> None:
    for ex in registry_examples(site):
        for title, _ in ex.kots_rows():
            assert title in KOTS_TITLES.values(), f"{ex.page} {ex.kind}: unknown title {title!r}"


def test_yaml_uses_only_installer_keys(site: Site) -> None:
    for ex in registry_examples(site):
        doc = ex.yaml()
        assert doc["apiVersion"] == "v1"
        assert unknown_keys(doc["containerRegistry"], CONTAINER_REGISTRY_KEYS) == [], ex.kind
        assert isinstance(doc["containerRegistry"]["inCluster"], bool)


def test_external_url_server_and_secret_agree(site: Site) -> None:
    """Server = URL's host, in the admin console and in the kubectl command alike."""
    external = [
        e for e in registry_examples(site) if e.yaml()["containerRegistry"]["inCluster"] is False
    ]
    assert external
    for ex in external:
        rows = dict(ex.kots_rows())
        url = ex.yaml()["containerRegistry"]["external"]["url"]
        host = url.split("/", 1)[0]
        assert rows[KOTS_TITLES["reg_url"]] == url
        assert rows[KOTS_TITLES["reg_server"]] == host
        assert "/" not in host and "://" not in url and not url.endswith("/")
        command = ex.code("Secret")
        assert command is not None
        flags = kubectl_flags(command)
        assert flags["--docker-server"] == host
        secret_name = shlex.split(command)[4]
        assert ex.yaml()["containerRegistry"]["external"]["certificate"] == {
            "kind": "secret",
            "name": secret_name,
        }


def test_s3_endpoint_is_what_botocore_resolves(site: Site) -> None:
    s3 = [e for e in registry_examples(site) if e.kind == "registry:in-cluster-s3"]
    assert {e.inputs["region"] for e in s3} >= {"us-east-1", "eu-west-2"}
    for ex in s3:
        storage = ex.yaml()["containerRegistry"]["s3storage"]
        assert storage["endpoint"] == botocore_s3_host(storage["region"])
        assert (
            dict(ex.kots_rows())[KOTS_TITLES["reg_incluster_storage_s3_endpoint"]]
            == (storage["endpoint"])
        )
        command = ex.code("Secret")
        assert command is not None
        secrets = created_secrets(command)
        assert secrets == {storage["certificate"]["name"]: {"s3AccessKey", "s3SecretKey"}}


def test_no_secret_looks_like_a_real_key(site: Site) -> None:
    import re

    for page in site.pages():
        text = site.soup(page).get_text()
        assert not re.search(r"AKIA[0-9A-Z]{16}", text), page
        assert '"private_key"' not in text, page
