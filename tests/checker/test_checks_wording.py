"""Findings name the thing they are about: an S3 endpoint is not a "registry host"."""

from __future__ import annotations

import pytest

from tests.checker.helpers import findings, kots, s3
from tests.oracles import botocore_s3_host

KOTS_S3 = (
    '    reg_incluster: {{value: "1"}}\n'
    "    reg_incluster_storage: {{value: s3}}\n"
    "    reg_incluster_storage_s3_region: {{value: eu-west-2}}\n"
    "    reg_incluster_storage_s3_endpoint: {{value: '{endpoint}'}}\n"
    "    reg_incluster_storage_s3_bucketname: {{value: gitpod-registry}}\n"
)

ENDPOINTS = [
    pytest.param("https://" + botocore_s3_host("eu-west-2"), id="scheme"),
    pytest.param(botocore_s3_host("eu-west-2") + "/registry", id="path"),
    pytest.param("s3 eu-west-2", id="not-a-host"),
    pytest.param("https://minio.example.com/", id="s3-compatible-with-scheme"),
]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("kind", ["installer", "kots"])
def test_reg205_calls_the_endpoint_an_s3_endpoint(kind: str, endpoint: str) -> None:
    text = s3(endpoint=endpoint) if kind == "installer" else kots(KOTS_S3.format(endpoint=endpoint))
    reg205 = [f for f in findings(text) if f.code == "REG205"]
    assert len(reg205) == 1, findings(text)
    said = f"{reg205[0].message} {reg205[0].fix}"
    assert "registry host" not in said and "harbor" not in said, said
    assert "S3" in reg205[0].message, said
