"""The builder's address (``macros.builder_state``): an example's rule inputs in, a link out.

Each link is read back here the way a reader's browser hands it to the page (a query string),
and the configuration it names is composed again with the rules from the link alone, with the
builder oracle's reading of the parameters (tests/support/builder_oracle.py, not the builder's):
it must be the example's configuration. Bad input fails with the rules' one-line message, so a
page with a broken example link fails the build.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from bs4 import BeautifulSoup

from gitpod_resources import config, database, registry, stack, storage
from gitpod_resources.errors import RuleError
from macros import builder_state
from tests.support.builder_oracle import setups
from tests.support.small_site import small_site
from tests.support.warm_mkdocs import mkdocs_build_warm


def params(url: str) -> dict[str, str]:
    split = urlsplit(url)
    assert split.path == "builder/", url
    pairs = parse_qsl(split.query, keep_blank_values=True)
    assert len(pairs) == len(dict(pairs)), f"a parameter twice: {url}"
    return dict(pairs)


def compose(p: dict[str, str]) -> tuple[object, object, object]:
    """The three components a link names, composed by the rules from its parameters alone."""
    s = setups(p)
    return s.registry, s.storage, s.database


STACKS = [
    (
        "aws",
        {
            "region": "eu-west-2",
            "registry_bucket": "gitpod-registry-eu-west-2",
            "storage_bucket": "gitpod-workspaces-eu-west-2",
            "db_host": "mysql.example.com",
        },
    ),
    (
        "aws",
        {
            "region": "cn-north-1",
            "registry_bucket": "a-b",
            "storage_bucket": "c-d-e",
            "db_host": "10.0.0.7",
        },
    ),
    ("gcp", {"region": "europe-west2", "project": "my-gcp-project", "db_instance": "gitpod-mysql"}),
    (
        "gcp",
        {
            "region": "us-east1",
            "project": "example.com:my-proj",
            "db_instance": "db",
            "repository": "r",
        },
    ),
]


@pytest.mark.parametrize(("cloud", "inputs"), STACKS)
def test_a_stack_link_names_the_stack(cloud: str, inputs: dict[str, str]) -> None:
    p = params(builder_state.builder_url(cloud, **inputs))
    assert p["platform"] == cloud
    s = stack.build(cloud, inputs)
    assert compose(p) == (s.registry, s.storage, s.database)


COMPONENTS = [
    ("registry:in-cluster", {}),
    ("registry:in-cluster-s3", {"bucket": "gitpod-registry-use1", "region": "us-east-1"}),
    ("registry:gcr", {"host": "eu.gcr.io", "project": "my-gcp-project"}),
    ("registry:gar", {"location": "europe", "project": "my-gcp-project", "repository": "gitpod"}),
    ("registry:generic", {"host": "harbor.example.com", "path": "gitpod"}),
    ("registry:generic", {"host": "registry.example.com:5000", "path": ""}),
    ("storage:in-cluster", {}),
    ("storage:s3", {"region": "us-gov-west-1", "bucket": "gitpod-workspaces"}),
    ("storage:gcs", {"region": "europe-west2", "project": "my-gcp-project"}),
    ("database:in-cluster", {}),
    ("database:external", {"host": "mysql.example.com"}),
    ("database:external", {"host": "mysql.example.com", "ca_cert": "yes"}),
    ("database:cloudsql", {"project": "my-gcp-project", "region": "europe-west2", "instance": "g"}),
]


@pytest.mark.parametrize(("target", "inputs"), COMPONENTS)
def test_a_component_link_names_it_and_in_cluster_others(
    target: str, inputs: dict[str, str]
) -> None:
    p = params(builder_state.builder_url(target, **inputs))
    component, _, option = target.partition(":")
    composed = dict(zip(("registry", "storage", "database"), compose(p), strict=True))
    want = {
        "registry": registry.in_cluster(),
        "storage": storage.in_cluster(),
        "database": database.in_cluster(),
    }
    built = {
        "registry": lambda: registry.provider(option) and _registry(option, inputs),
        "storage": lambda: storage.build(option, dict(inputs)),
        "database": lambda: database.build(option, dict(inputs)),
    }[component]()
    want[component] = built
    assert composed == want
    # The platform offers what the link chose.
    chosen = builder_state.platform(p["platform"])
    assert all(p[c] in chosen.options(c) for c in ("registry", "storage", "database"))


def _registry(option: str, inputs: dict[str, str]) -> object:
    return {
        "in-cluster": registry.in_cluster,
        "in-cluster-s3": registry.in_cluster_s3,
        "gcr": registry.gcr,
        "gar": registry.gar,
        "generic": registry.generic,
    }[option](**inputs)


def test_a_link_lists_only_the_fields_its_options_use_in_one_order() -> None:
    order = [f.param for f in builder_state.FIELDS]
    for target, inputs in COMPONENTS + [(c, i) for c, i in STACKS]:
        keys = list(params(builder_state.builder_url(target, **inputs)))
        assert keys[:4] == ["platform", "registry", "storage", "database"]
        fields = keys[4:]
        assert fields == sorted(fields, key=order.index), (target, fields)


def test_private_ca_is_a_generic_registrys() -> None:
    url = builder_state.builder_url(
        "registry:generic", host="harbor.example.com", path="gitpod", private_ca="yes"
    )
    assert params(url)["private_ca"] == "yes"
    with pytest.raises(RuleError, match=r"^private_ca:"):
        builder_state.builder_url(
            "registry:gcr", host="gcr.io", project="my-gcp-project", private_ca="yes"
        )


@pytest.mark.parametrize(
    ("target", "inputs", "field"),
    [
        (
            "aws",
            {
                "region": "eu-wset-2",
                "registry_bucket": "abc",
                "storage_bucket": "def",
                "db_host": "h",
            },
            "region",
        ),
        ("registry:gar", {"location": "us", "project": "My-Project", "repository": "g"}, "project"),
        ("registry:ecr", {}, "option"),
        ("storage:azure", {}, "objectStorage"),
        ("database:external", {"host": "db.example.com", "port": "3307"}, "port"),
        (
            "database:cloudsql",
            {
                "project": "my-gcp-project",
                "region": "europe-west2",
                "instance": "i",
                "username": "u",
            },
            "username",
        ),
        ("registry:gcr", {"host": "gcr.io", "project": "my-gcp-project", "path": "x"}, "path"),
        (
            "storage:s3",
            {"region": "eu-west-2", "bucket": "abc", "endpoint": "s3.amazonaws.com"},
            "endpoint",
        ),
        ("queue:x", {}, "target"),
        ("azure", {}, "cloud"),
    ],
)
def test_what_the_builder_cannot_show_fails_naming_the_field(
    target: str, inputs: dict[str, str], field: str
) -> None:
    with pytest.raises(RuleError) as err:
        builder_state.builder_url(target, **inputs)
    assert err.value.field == field
    assert "\n" not in str(err.value)


@pytest.mark.parametrize(
    ("page", "prefix"),
    [("index.md", "builder.md?"), ("database.md", "builder.md?"), ("a/b.md", "../builder.md?")],
)
def test_the_markdown_link_is_relative_to_its_page(page: str, prefix: str) -> None:
    link = builder_state.link_markdown(page, "database:in-cluster")
    target = link.partition("](")[2].removesuffix(")")
    assert target.startswith(prefix)
    assert "builder/?" + target.partition("?")[2] == builder_state.builder_url(
        "database:in-cluster"
    )


def test_mkdocs_keeps_the_links_query_and_checks_its_target(tmp_path: Path) -> None:
    """Built strictly from two levels, ``builder_link`` resolves to the builder page with the
    query the builder reads (a link MkDocs could not resolve would fail the strict build)."""
    call = '{{ builder_link("registry:gar", location="us", project="my-gcp-project") }}'
    pages = {
        "index.md": f"# Home\n\n{call}\n",
        "builder.md": "# Builder\n",
        "reference/page.md": f"# Deep\n\n{call}\n",
    }
    cfg = small_site(tmp_path, pages)
    result = mkdocs_build_warm(cfg, tmp_path / "site")
    assert result.returncode == 0, result.stderr[-3000:]
    want = builder_state.builder_url("registry:gar", location="us", project="my-gcp-project")
    for html, up in (("index.html", ""), ("reference/page/index.html", "../../")):
        soup = BeautifulSoup((tmp_path / "site" / html).read_text(), "html.parser")
        (a,) = [a for a in soup.select("article a") if "builder" in str(a.get("href"))]
        assert a["href"] == up + want, html
        assert a.get_text() == "Open this in the configuration builder"
    assert config.CONFIG_FILE  # the rules module loaded in the copy too
