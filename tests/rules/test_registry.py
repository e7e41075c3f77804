"""Registry rules: composing URL and server for each option, and rejecting bad input."""

from __future__ import annotations

import pytest

from gitpod_resources import config, registry
from gitpod_resources.errors import RuleError
from gitpod_resources.registry import Option


def test_ecr_is_the_one_unsupported_provider() -> None:
    unsupported = [p.option for p in registry.PROVIDERS if not p.supported]
    assert unsupported == [Option.ECR]
    assert "repository" in registry.provider("ecr").why


@pytest.mark.parametrize(
    ("setup", "url", "server"),
    [
        (
            lambda: registry.gcr("gcr.io", "my-gcp-project"),
            "gcr.io/my-gcp-project/gitpod",
            "gcr.io",
        ),
        (
            lambda: registry.gcr("eu.gcr.io", "my-gcp-project", ""),
            "eu.gcr.io/my-gcp-project",
            "eu.gcr.io",
        ),
        (
            lambda: registry.gar("us", "my-gcp-project", "images"),
            "us-docker.pkg.dev/my-gcp-project/images",
            "us-docker.pkg.dev",
        ),
        (
            lambda: registry.generic("registry.example.com:5000", "team/gitpod"),
            "registry.example.com:5000/team/gitpod",
            "registry.example.com:5000",
        ),
        (
            lambda: registry.generic("harbor.example.com", ""),
            "harbor.example.com",
            "harbor.example.com",
        ),
    ],
)
def test_url_and_server(setup: object, url: str, server: str) -> None:
    s = setup()  # type: ignore[operator]
    assert (s.url, s.server) == (url, server)
    assert registry.registry_server(s.url) == server


def test_in_cluster_s3_uses_the_endpoint_rule() -> None:
    s = registry.in_cluster_s3("gitpod-images", "ap-southeast-2")
    assert s.s3 is not None
    assert s.s3.endpoint == "s3.ap-southeast-2.amazonaws.com"
    assert s.secret == registry.S3_BACKEND_SECRET
    assert config.secret_data_keys(s) == ("s3AccessKey", "s3SecretKey")


def test_push_targets() -> None:
    s = registry.gar("europe-west2", "my-gcp-project")
    assert s.push_targets() == (
        "europe-west2-docker.pkg.dev/my-gcp-project/gitpod/base-images",
        "europe-west2-docker.pkg.dev/my-gcp-project/gitpod/workspace-images",
    )
    assert registry.in_cluster().push_targets("gp.example.org")[0] == (
        "registry.gp.example.org/base-images"
    )


@pytest.mark.parametrize(
    ("call", "field", "fragment"),
    [
        (lambda: registry.gcr("gcr.io", "My-Project"), "project", "lowercase"),
        (lambda: registry.gcr("gcr.io/my-project", "my-gcp-project"), "host", "gcr.io"),
        (lambda: registry.gcr("docker.pkg.dev", "my-gcp-project"), "host", "one of"),
        (lambda: registry.gar("europe-west99", "my-gcp-project"), "location", "closest"),
        (lambda: registry.gar("us", "my-gcp-project", "Gitpod"), "repository", "lowercase"),
        (lambda: registry.in_cluster_s3("my_bucket", "eu-west-1"), "bucket", "'_'"),
        (lambda: registry.in_cluster_s3("my-bucket", "eu-west-9"), "region", "closest"),
        (lambda: registry.generic("https://harbor.example.com"), "host", "scheme"),
        (lambda: registry.generic("harbor.example.com/x"), "host", "no path"),
        (lambda: registry.generic("Harbor.Example.com"), "host", "registry host"),
        (lambda: registry.generic("harbor"), "host", "Docker Hub repository"),
        (
            lambda: registry.generic("123456789012.dkr.ecr.eu-west-1.amazonaws.com"),
            "host",
            "ECR is not supported",
        ),
        (lambda: registry.registry_server("harbor.example.com/gitpod/"), "url", "trailing slash"),
        (lambda: registry.provider("quay"), "option", "one of"),
    ],
)
def test_bad_input_names_the_field(call: object, field: str, fragment: str) -> None:
    with pytest.raises(RuleError) as err:
        call()  # type: ignore[operator]
    assert err.value.field == field
    assert str(err.value).startswith(f"{field}: ")
    assert fragment in str(err.value)
    assert "\n" not in str(err.value)
