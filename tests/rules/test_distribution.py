"""tests.support.distribution against a transcription of the installer's Helm values and the chart's
env.

The oracle below follows the sources step by step instead of the module's shortcut: Gitpod's
``components/docker-registry/helm.go`` sets chart values, the twuni chart's ``_helpers.tpl`` turns
them into ``REGISTRY_STORAGE_S3_*`` variables, and Distribution reads each variable as the
lowercased parameter below ``storage.s3`` (its environment override), parsing booleans with Go's
``strconv.ParseBool``.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from gitpod_resources import config, registry
from gitpod_resources.errors import RuleError
from tests.support import distribution

SECRET = {"s3AccessKey": "AKIDEXAMPLE", "s3SecretKey": "wJalrXUtnFEMI"}


def installer_helm_values(doc: dict[str, Any]) -> dict[str, Any]:
    """helm.go (HEAD, logic unchanged since 2022-06-10): the values for the S3 backend."""
    s3 = doc["containerRegistry"]["s3storage"]
    return {
        "storage": "s3",
        "s3": {
            "region": s3["region"],
            "bucket": s3["bucket"],
            "regionEndpoint": s3["endpoint"],
            "encrypt": "true",
            "secure": "true",
        },
        "secrets": {"s3": {"secretRef": s3["certificate"]["name"]}},
        "persistence": {"enabled": "false"},
    }


def chart_env(values: dict[str, Any], secrets: dict[str, dict[str, str]]) -> dict[str, str]:
    """twuni docker-registry ``_helpers.tpl``, the ``storage: s3`` branch."""
    s3, ref = values["s3"], values["secrets"]["s3"]["secretRef"]
    env = {"REGISTRY_STORAGE_S3_REGION": s3["region"], "REGISTRY_STORAGE_S3_BUCKET": s3["bucket"]}
    env["REGISTRY_STORAGE_S3_ACCESSKEY"] = secrets[ref]["s3AccessKey"]
    env["REGISTRY_STORAGE_S3_SECRETKEY"] = secrets[ref]["s3SecretKey"]
    if s3.get("regionEndpoint"):
        env["REGISTRY_STORAGE_S3_REGIONENDPOINT"] = s3["regionEndpoint"]
    for key in ("rootdirectory", "encrypt", "secure"):
        if s3.get(key):
            env[f"REGISTRY_STORAGE_S3_{key.upper()}"] = str(s3[key])
    return env


def parse_bool(text: str) -> bool:
    """Go's strconv.ParseBool, which the s3-aws driver applies to string parameters."""
    if text in ("1", "t", "T", "TRUE", "true", "True"):
        return True
    if text in ("0", "f", "F", "FALSE", "false", "False"):
        return False
    raise ValueError(text)


def distribution_parameters(env: dict[str, str]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for name, value in env.items():
        key = name.removeprefix("REGISTRY_STORAGE_S3_").lower()
        params[key] = parse_bool(value) if key in ("encrypt", "secure") else value
    return params


@pytest.mark.parametrize(
    ("bucket", "region"),
    [
        ("gitpod-registry-eu-west-2", "eu-west-2"),
        ("gitpod-registry-use1", "us-east-1"),
        ("gitpod-registry-cn", "cn-north-1"),
        ("gitpod.registry.gov", "us-gov-west-1"),
    ],
)
def test_mapping_equals_installer_plus_chart(bucket: str, region: str) -> None:
    setup = registry.in_cluster_s3(bucket, region)
    doc = config.installer_config(setup)
    env = chart_env(installer_helm_values(doc), {setup.secret: SECRET})
    expected = distribution_parameters(env)
    assert dict(distribution.s3_storage(doc, SECRET)) == expected
    assert expected["encrypt"] is True and expected["secure"] is True
    assert "://" not in expected["regionendpoint"], "the installer passes a bare host"


def test_mapping_reads_the_yaml_a_reader_copies() -> None:
    """The YAML text the site shows maps the same as the mapping it was rendered from."""
    setup = registry.in_cluster_s3("gitpod-registry-eu-west-2", "eu-west-2")
    from_text = yaml.safe_load(config.installer_yaml(setup))
    assert distribution.s3_storage(from_text, SECRET) == distribution.s3_storage(
        config.installer_config(setup), SECRET
    )


#: aws-sdk-go v1 ``endpoints.AddScheme``: a scheme is "anything but ':' followed by '://'".
SDK_SCHEME = re.compile(r"^([^:]+)://")


@pytest.mark.parametrize(
    ("endpoint", "secure"),
    [
        ("s3.eu-west-2.amazonaws.com", True),
        ("s3.eu-west-2.amazonaws.com", False),
        ("127.0.0.1:9000", False),
        ("minio.example.com:443", True),
        ("http://127.0.0.1:9000", True),
        ("https://s3.amazonaws.com", False),
    ],
)
def test_effective_endpoint_url_follows_the_sdk(endpoint: str, secure: bool) -> None:
    params = distribution.S3StorageParameters(
        region="eu-west-2",
        regionendpoint=endpoint,
        bucket="b",
        accesskey="a",
        secretkey="s",
        encrypt=True,
        secure=secure,
    )
    url = distribution.effective_endpoint_url(params)
    if SDK_SCHEME.match(endpoint):
        assert url == endpoint
    else:
        assert url == ("https://" if secure else "http://") + endpoint


def _in_cluster_s3_doc() -> dict[str, Any]:
    return config.installer_config(registry.in_cluster_s3("gitpod-registry-use1", "us-east-1"))


@pytest.mark.parametrize(
    ("mutate", "secret", "field"),
    [
        (lambda d: d.pop("containerRegistry"), SECRET, "containerRegistry"),
        (
            lambda d: d["containerRegistry"].update(inCluster=False),
            SECRET,
            "containerRegistry.inCluster",
        ),
        (
            lambda d: d["containerRegistry"].pop("s3storage"),
            SECRET,
            "containerRegistry.s3storage",
        ),
        (
            lambda d: d["containerRegistry"]["s3storage"].update(endpoint=""),
            SECRET,
            "containerRegistry.s3storage.endpoint",
        ),
        (
            lambda d: d["containerRegistry"]["s3storage"].pop("bucket"),
            SECRET,
            "containerRegistry.s3storage.bucket",
        ),
        (lambda d: None, {"accessKey": "a", "secretKey": "s"}, "secret"),
        (lambda d: None, {"s3AccessKey": "a"}, "secret"),
    ],
)
def test_bad_input_is_one_line_naming_the_field(
    mutate: Any, secret: dict[str, str], field: str
) -> None:
    doc = _in_cluster_s3_doc()
    mutate(doc)
    with pytest.raises(RuleError) as err:
        distribution.s3_storage(doc, secret)
    assert err.value.field == field
    assert str(err.value).startswith(f"{field}: ")
    assert "\n" not in str(err.value)


def test_secret_error_names_the_keys_the_chart_reads() -> None:
    with pytest.raises(RuleError, match="s3AccessKey and s3SecretKey"):
        distribution.s3_storage(_in_cluster_s3_doc(), {})
