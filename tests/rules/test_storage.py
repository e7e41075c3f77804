"""Object storage rules: S3 region, endpoint and bucket, GCS region and project, Azure refused."""

from __future__ import annotations

import pytest

from gitpod_resources import aws, config, storage
from tests.oracles import (
    CLUSTER_VALIDATION_SECRET_KEYS,
    KOTS_STORE_PROVIDER_LABELS,
    KOTS_TITLES_STORAGE,
    TOP_LEVEL_KEYS,
    botocore_s3_host,
    secret_refs,
    unknown_keys,
)


@pytest.mark.parametrize("region", ["us-east-1", "eu-west-2", "ap-southeast-2", "cn-north-1"])
def test_s3_endpoint_is_what_botocore_resolves(region: str) -> None:
    setup = storage.s3(region, "gitpod-workspaces")
    assert setup.s3 is not None
    assert setup.s3.endpoint == botocore_s3_host(region)
    assert storage.validate_s3_endpoint(setup.s3.endpoint, region) == setup.s3.endpoint


@pytest.mark.parametrize("region", aws.region_codes())
def test_every_known_region_gets_botocores_endpoint(region: str) -> None:
    assert storage.s3(region, "gitpod-ws").region == region
    assert storage.s3(region, "gitpod-ws").s3.endpoint == botocore_s3_host(region)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("region", "endpoint"),
    [
        ("eu-west-2", "s3.eu-west-2.amazonaws.com"),
        ("us-east-1", "s3.amazonaws.com"),
        ("us-east-1", "s3.us-east-1.amazonaws.com"),
        ("us-east-1", "s3-fips.us-east-1.amazonaws.com"),
        ("eu-west-2", "s3.dualstack.eu-west-2.amazonaws.com"),
    ],
)
def test_endpoints_that_serve_the_region_are_accepted(region: str, endpoint: str) -> None:
    assert storage.validate_s3_endpoint(endpoint, region) == endpoint
    assert storage.s3(region, "gitpod-ws", endpoint).s3.endpoint == endpoint  # type: ignore[union-attr]


def test_the_s3_example_matches_the_reference_example() -> None:
    """Reference §7.5 (written from the installer source), key by key."""
    doc = storage.installer_config(storage.s3("eu-west-2", "gitpod-workspaces-eu-west-2"))
    assert doc == {
        "apiVersion": "v1",
        "metadata": {"region": "eu-west-2"},
        "objectStorage": {
            "inCluster": False,
            "s3": {
                "endpoint": "s3.eu-west-2.amazonaws.com",
                "bucket": "gitpod-workspaces-eu-west-2",
                "credentials": {"kind": "secret", "name": "storage-s3"},
            },
        },
    }


@pytest.mark.parametrize(
    "setup",
    [
        storage.in_cluster(),
        storage.s3("eu-west-2", "gitpod-ws"),
        storage.gcs("europe-west2", "my-gcp-project"),
    ],
    ids=["in-cluster", "s3", "gcs"],
)
def test_fragments_use_installer_keys_and_name_validated_secrets(
    setup: storage.StorageSetup,
) -> None:
    doc = storage.installer_config(setup)
    assert unknown_keys(doc, TOP_LEVEL_KEYS) == []
    assert doc["objectStorage"]["inCluster"] is setup.in_cluster
    refs = secret_refs(doc)
    assert set(refs.values()) == ({setup.secret} if setup.secret else set())
    for path in refs:
        assert set(storage.secret_data_keys(setup)) == CLUSTER_VALIDATION_SECRET_KEYS[path]
    rows = storage.kots_fields(setup)
    assert {t for t, _ in rows} <= set(KOTS_TITLES_STORAGE.values())
    assert rows[0] == ("Storage provider", KOTS_STORE_PROVIDER_LABELS[_kots_value(setup)])


def _kots_value(setup: storage.StorageSetup) -> str:
    return {"in-cluster": "incluster", "s3": "s3", "gcs": "gcp"}[setup.option.value]


def test_gcs_secret_and_region() -> None:
    setup = storage.gcs("europe-west2", "my-gcp-project")
    assert storage.installer_config(setup)["metadata"] == {"region": "europe-west2"}
    assert storage.installer_config(setup)["objectStorage"]["cloudStorage"] == {
        "project": "my-gcp-project",
        "serviceAccount": {"kind": "secret", "name": "storage-gcp"},
    }
    command = storage.secret_command(setup)
    assert command is not None and "--from-file=service-account.json=" in command


def test_in_cluster_has_no_region_and_no_secret() -> None:
    setup = storage.in_cluster()
    assert "metadata" not in storage.installer_config(setup)
    assert storage.secret_command(setup) is None
    assert setup.region == "local"


def test_kots_titles_are_in_config() -> None:
    for item, title in KOTS_TITLES_STORAGE.items():
        assert config.kots_title(item) == title


def test_secret_commands_never_hold_a_credential() -> None:
    command = storage.secret_command(storage.s3("eu-west-2", "gitpod-ws"))
    assert command is not None
    assert '"$S3_ACCESS_KEY_ID"' in command and '"$S3_SECRET_ACCESS_KEY"' in command
    # Not the AWS CLI's own variables: the new key would replace the reader's identity.
    assert "AWS_ACCESS_KEY_ID" not in command and "AWS_SECRET_ACCESS_KEY" not in command


def test_installer_keys_of_this_guide_exist_in_the_installer_struct() -> None:
    """Every objectStorage/database/metadata key the guide knows is in the transcribed struct."""
    for path in config.INSTALLER_KEYS:
        parts = path.split(".")
        if parts[0] not in ("objectStorage", "database", "metadata"):
            continue
        node: object = TOP_LEVEL_KEYS
        for part in parts:
            assert isinstance(node, dict) and part in node, path
            node = node[part]


def test_kots_provider_values_are_the_admin_consoles_select() -> None:
    """Every select value maps to its option (Azure included: 2022.11 offered it)."""
    options = {v: storage.validate_kots_provider(v) for v in KOTS_STORE_PROVIDER_LABELS}
    assert options == {
        "incluster": storage.StorageOption.IN_CLUSTER,
        "azure": storage.StorageOption.AZURE,
        "gcp": storage.StorageOption.GCS,
        "s3": storage.StorageOption.S3,
    }


def test_azures_removal_is_the_day_it_landed_on_main() -> None:
    """From git log of gitpod-io/gitpod's main branch (first-parent, landed): Azure removed by
    1ea14bdaae on 2023-02-01, after the 2022.11 line (no 2022.11 tag has the change)."""
    assert storage.AZURE_REMOVED.isoformat() == "2023-02-01"
