"""Admin console values judged the way the 2022.11 templates and the installer read them (#16).

The oracle is transcribed from gitpod-io/gitpod at 2022.11.0, 2022.11.1, release-2022.11.2
and 2022.11.3 (the cited lines are the same at every tag):

* install/installer/pkg/config/v1/envvars.go:21-39 ``isTruthy``: "1", "y", "yes", "on",
  "true", "t", compared with ``strings.ToUpper`` on both sides, no trimming; :273
  ``RegistryInClusterStorageType == "s3"``; :295-330 the storage provider ``switch``
  ("unknown storage provider: %s").
* install/kots/manifests: gitpod-registry-secret.yaml:9 (``reg_incluster`` "0"),
  gitpod-registry-s3-backend.yaml:12 (``reg_incluster_storage`` "s3"),
  gitpod-database-secret.yaml:12 (``db_incluster`` "0" and ``db_cloudsql_enabled`` "0"),
  gitpod-cloudsql-secret.yaml:12 (``db_incluster`` "0" and ``db_cloudsql_enabled`` "1"),
  gitpod-custom-registry-credentials.yaml:9 (``reg_docker_config_enable`` "1"): each
  ``ConfigOptionEquals``, an exact string comparison.
* install/installer/scripts/kots-install.sh:118 and :149 (``= "1"``, a shell string test).
"""

from __future__ import annotations

import pytest

from gitpod_resources.checker.model import Finding, Severity
from tests.checker.helpers import findings


def is_truthy(value: str) -> bool:
    """envvars.go:21-39, transcribed."""
    return any(value.upper() == t.upper() for t in ("1", "y", "yes", "on", "true", "t"))


#: Values a reader might write for a bool item; only "1" and "0" are what the admin console
#: writes and what the templates compare with.
BOOL_VALUES = ["1", "0", "true", "True", "yes", "on", "t", "Y", "false", "no", "off", "2", "01"]
BOOL_VALUES += [" 1", "1 ", "enabled"]


def kots(values: dict[str, str]) -> str:
    lines = ["apiVersion: kots.io/v1beta1", "kind: ConfigValues", "spec:", "  values:"]
    for item, value in values.items():
        escaped = value.replace('"', '\\"')
        lines += [f"    {item}:", f'      value: "{escaped}"']
    return "\n".join(lines) + "\n"


EXTERNAL_REGISTRY = {
    "reg_url": "harbor.example.com/gitpod",
    "reg_server": "harbor.example.com",
    "reg_username": "u",
    "reg_password": "p",
}
S3_REGISTRY = {
    "reg_incluster_storage": "s3",
    "reg_incluster_storage_s3_region": "eu-west-2",
    "reg_incluster_storage_s3_endpoint": "s3.eu-west-2.amazonaws.com",
    "reg_incluster_storage_s3_bucketname": "gitpod-registry",
    "reg_incluster_storage_s3_accesskey": "a",
    "reg_incluster_storage_s3_secretkey": "s",
}
EXTERNAL_DB = {"db_host": "mysql.example.com", "db_port": "3306", "db_password": "p"}
CLOUDSQL = {
    "db_cloudsql_instance": "my-gcp-project:europe-west2:gitpod-mysql",
    "db_password": "p",
    "db_gcp_credentials": "{}",
}


def hits(text: str, codes: set[str]) -> list[Finding]:
    return [f for f in findings(text) if f.code in codes]


REG = {"KOTS303", "KOTS304"}
DB = {"DB109", "DB110"}


@pytest.mark.parametrize("value", BOOL_VALUES)
def test_reg_incluster(value: str) -> None:
    found = hits(kots({"reg_incluster": value} | EXTERNAL_REGISTRY), REG)
    if value in ("1", "0"):
        assert found == []
        return
    assert len(found) == 1, found
    text = found[0].message + " " + found[0].fix
    if is_truthy(value):
        # The installer runs the in-cluster registry: the setup works, the templates disagree.
        assert found[0].severity is Severity.WARNING
        assert "in-cluster registry" in text
    else:
        # The installer configures the external registry; its login Secret is made for "0" only.
        assert found[0].severity is Severity.ERROR
        assert "external registry" in text and "external-container-registry" in text
    assert "'1'" in text and "'0'" in text


@pytest.mark.parametrize("value", ["s3", "none", "S3", "s3 ", "gcs", "minio", "1"])
def test_reg_incluster_storage(value: str) -> None:
    found = hits(kots({"reg_incluster": "1"} | S3_REGISTRY | {"reg_incluster_storage": value}), REG)
    if value in ("s3", "none"):
        assert found == []
        return
    assert len(found) == 1 and found[0].severity is Severity.ERROR, found
    assert "'s3'" in found[0].message + found[0].fix
    assert "volume" in found[0].message  # where the images go instead


def test_a_storage_value_is_not_judged_for_an_external_registry() -> None:
    assert (
        hits(kots({"reg_incluster": "0", "reg_incluster_storage": "S3"} | EXTERNAL_REGISTRY), REG)
        == []
    )


@pytest.mark.parametrize("value", ["true", "yes", "2"])
def test_reg_docker_config_enable(value: str) -> None:
    found = hits(kots({"reg_incluster": "1", "reg_docker_config_enable": value}), REG)
    assert len(found) == 1, found
    if is_truthy(value):
        assert found[0].severity is Severity.ERROR
        assert "custom-registry-credentials" in found[0].message
    else:
        assert found[0].severity is Severity.WARNING


@pytest.mark.parametrize("value", BOOL_VALUES)
@pytest.mark.parametrize("cloudsql", ["0", "1"])
def test_db_incluster(value: str, cloudsql: str) -> None:
    extra = EXTERNAL_DB if cloudsql == "0" else CLOUDSQL
    text = kots({"db_incluster": value, "db_cloudsql_enabled": cloudsql} | extra)
    found = hits(text, DB)
    if value in ("1", "0"):
        assert found == []
        return
    assert len(found) == 1, found
    message = found[0].message
    if is_truthy(value):
        assert found[0].severity is Severity.WARNING
        assert "in-cluster" in message or "in the cluster" in message
    else:
        assert found[0].severity is Severity.ERROR
        secret = "'cloudsql'" if cloudsql == "1" else "'database'"
        assert secret in message


@pytest.mark.parametrize("value", BOOL_VALUES)
def test_db_cloudsql_enabled(value: str) -> None:
    extra = CLOUDSQL | EXTERNAL_DB
    found = hits(kots({"db_incluster": "0", "db_cloudsql_enabled": value} | extra), DB)
    if value in ("1", "0"):
        assert found == []
        return
    assert len(found) == 1 and found[0].severity is Severity.ERROR, found
    # The installer's branch, and the Secret the templates do not make for it.
    secret = "'cloudsql'" if is_truthy(value) else "'database'"
    assert secret in found[0].message
    assert ("Cloud SQL" if is_truthy(value) else "external") in found[0].message


def test_cloudsql_is_not_judged_for_an_in_cluster_database() -> None:
    assert hits(kots({"db_incluster": "1", "db_cloudsql_enabled": "true"}), DB) == []


@pytest.mark.parametrize("value", ["S3", "GCP", "s3 ", "minio", "In-cluster"])
def test_store_provider_says_the_installer_stops(value: str) -> None:
    found = [f for f in findings(kots({"store_provider": value})) if f.code == "STO110"]
    assert len(found) == 1
    assert f"unknown storage provider: {value}" in found[0].message
