"""Registry rules: composing URL and server for each option, and rejecting bad input."""

from __future__ import annotations

import pytest

from gitpod_resources import config, registry
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
