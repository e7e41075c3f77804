"""Object storage rules: S3 region, endpoint and bucket, GCS region and project, Azure refused."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from gitpod_resources import aws, config, storage
from gitpod_resources.errors import RuleError
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


BAD: list[tuple[Callable[[], object], str, str]] = [
    # region: not a region of the provider
    (lambda: storage.s3("eu-west-9", "gitpod-ws"), "metadata.region", "closest known"),
    (lambda: storage.s3("europe-west2", "gitpod-ws"), "metadata.region", "AWS region"),
    (lambda: storage.s3("EU-WEST-2", "gitpod-ws"), "metadata.region", "lowercase"),
    (lambda: storage.s3("", "gitpod-ws"), "metadata.region", "AWS region"),
    (lambda: storage.s3("local", "gitpod-ws"), "metadata.region", "AWS region"),
    (lambda: storage.gcs("eu-west-2", "my-gcp-project"), "metadata.region", "GCP region"),
    (lambda: storage.gcs("europe-west2-a", "my-gcp-project"), "metadata.region", "zone"),
    (lambda: storage.gcs("europe", "my-gcp-project"), "metadata.region", "multi-region"),
    (lambda: storage.gcs("europe-west99", "my-gcp-project"), "metadata.region", "closest"),
    (lambda: storage.gcs(" europe-west2", "my-gcp-project"), "metadata.region", "whitespace"),
    # endpoint: another region's host, another partition, URL forms
    (
        lambda: storage.s3("eu-west-2", "gitpod-ws", "s3.eu-west-1.amazonaws.com"),
        "objectStorage.s3.endpoint",
        "the bucket must be in 'eu-west-1', not 'eu-west-2'",
    ),
    (
        lambda: storage.s3("cn-north-1", "gitpod-ws", "s3.amazonaws.com"),
        "objectStorage.s3.endpoint",
        "partition 'aws-cn'",
    ),
    (
        lambda: storage.s3("cn-north-1", "gitpod-ws", "s3.cn-north-1.amazonaws.com"),
        "objectStorage.s3.endpoint",
        "AWS publishes no S3 host",
    ),
    (
        lambda: storage.s3("eu-west-2", "gitpod-ws", "https://s3.eu-west-2.amazonaws.com"),
        "objectStorage.s3.endpoint",
        "remove the scheme",
    ),
    (
        lambda: storage.s3("eu-west-2", "gitpod-ws", "s3.eu-west-2.amazonaws.com/"),
        "objectStorage.s3.endpoint",
        "remove the path",
    ),
    (
        lambda: storage.s3("eu-west-2", "gitpod-ws", "s3.eu-west-2.amazonaws.com:443"),
        "objectStorage.s3.endpoint",
        "remove the port",
    ),
    (
        lambda: storage.s3("eu-west-2", "gitpod-ws", "S3.EU-WEST-2.AMAZONAWS.COM"),
        "objectStorage.s3.endpoint",
        "lowercase",
    ),
    (lambda: storage.s3("eu-west-2", "gitpod-ws", ""), "objectStorage.s3.endpoint", "requires it"),
    (
        lambda: storage.s3("eu-west-2", "gitpod-ws", "minio.example.com"),
        "objectStorage.s3.endpoint",
        "'s3.eu-west-2.amazonaws.com'",
    ),
    # bucket
    (lambda: storage.s3("eu-west-2", "Gitpod_WS"), "objectStorage.s3.bucket", "not allowed"),
    (lambda: storage.s3("eu-west-2", "ab"), "objectStorage.s3.bucket", "2 characters"),
    (lambda: storage.s3("eu-west-2", ""), "objectStorage.s3.bucket", "3-63"),
    (lambda: storage.s3("eu-west-2", "192.168.1.1"), "objectStorage.s3.bucket", "IPv4"),
    # project
    (
        lambda: storage.gcs("europe-west2", "My-Project"),
        "objectStorage.cloudStorage.project",
        "lowercase",
    ),
    (lambda: storage.gcs("europe-west2", "proj"), "objectStorage.cloudStorage.project", "4 char"),
    # provider
    (lambda: storage.build("azure", {}), "objectStorage", "a 2022.11 provider"),
    (lambda: storage.azure(), "objectStorage", "no example"),
    (lambda: storage.validate_option("minio"), "objectStorage", "one of"),
    (lambda: storage.validate_region("s3", 42), "metadata.region", "AWS region"),
    (lambda: storage.validate_region("in-cluster", ""), "metadata.region", "non-empty"),
    # the admin console's "Storage provider" takes its select's values only
    (lambda: storage.validate_kots_provider("gcs"), "store_provider", "for GCP, write 'gcp'"),
    (lambda: storage.validate_kots_provider("In-cluster"), "store_provider", "'incluster'"),
    (lambda: storage.validate_kots_provider("minio"), "store_provider", "one of"),
    (
        lambda: storage.validate_s3_endpoint("s3.eu-west-1.amazonaws.com", "eu-west-2", "e", "r"),
        "e",
        "the S3 endpoint of r 'eu-west-2', 's3.eu-west-2.amazonaws.com', or the global",
    ),
    (lambda: storage.validate_kots_provider(None), "store_provider", "one of"),
]


@pytest.mark.parametrize(("call", "field", "fragment"), BAD)
def test_bad_input_is_one_line_naming_the_field(
    call: Callable[[], object], field: str, fragment: str
) -> None:
    with pytest.raises(RuleError) as err:
        call()
    assert err.value.field == field
    assert str(err.value).startswith(f"{field}: ")
    assert fragment in str(err.value), str(err.value)
    assert "\n" not in str(err.value)


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
