"""Registry checks beyond their cases (tests/checker/cases/registry.py, run by test_cases.py):
Docker Hub's names, the Container Registry shutdown date, S3-compatible stores, finding places.

Expected endpoints come from botocore's S3 ruleset (tests/oracles.py), not from the rules.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.checker.helpers import (
    KOTS_EXTERNAL,
    codes,
    ext,
    findings,
    installer,
    kots,
    s3,
)
from tests.oracles import botocore_s3_host


@pytest.mark.parametrize(
    "server",
    ["https://index.docker.io/v1/", "docker.io", "index.docker.io", "registry-1.docker.io"],
)
def test_docker_hubs_names_are_not_a_server_mismatch(server: str) -> None:
    """Docker Hub's key in a Docker config file (``docker login`` writes the first) is one of
    its names, not a wrong host: REG222 says what 2022.11 does with Docker Hub, REG209 stays out."""
    config = kots(KOTS_EXTERNAL.format(url="docker.io/myorg/gitpod", server=server))
    assert "REG209" not in codes(config)
    assert "REG222" in codes(config)


def test_gcr_warning_starts_on_the_shutdown_day() -> None:
    config = ext("gcr.io/my-gcp-project/gitpod")
    assert "REG214" not in codes(config, today=date(2025, 3, 17))
    assert "REG214" in codes(config, today=date(2025, 3, 18))


def test_s3_compatible_endpoints_are_not_held_to_aws_regions() -> None:
    config = s3(region="eu-west-2").replace(botocore_s3_host("eu-west-2"), "minio.example.com")
    assert codes(config.replace("eu-west-2", "garage-1")) == set()


def test_us_east_1_keeps_the_default_endpoint() -> None:
    assert codes(s3(region="us-east-1", endpoint="s3.amazonaws.com")) == set()
    assert botocore_s3_host("us-east-1") == "s3.amazonaws.com"


def test_open_sections_are_not_checked_key_by_key() -> None:
    config = installer(
        "workspace: {runtime: {fsShiftMethod: fuse}, whatever: 1}\n"
        "experimental: {webapp: {x: 1}}\n"
        "objectStorage:\n  inCluster: true\n  resources: {requests: {memory: 2Gi}}\n"
    )
    assert codes(config) == set()


def test_findings_point_at_the_value() -> None:
    [hit] = findings(s3(endpoint="s3.amazonaws.com"))
    assert (hit.line, hit.column) == (7, 15)
