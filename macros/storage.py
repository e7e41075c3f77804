"""Object storage rules for Gitpod 2022.11: in-cluster MinIO, Amazon S3, Google Cloud Storage.

Workspace content (backups, snapshots, logs) goes to one bucket store. ``metadata.region`` is the
storage region for S3 and GCS; the S3 endpoint is a bare host that must serve that region.
Facts: gitpod-io/gitpod ``install/installer/pkg/config/v1/{config,validation}.go``,
``install/installer/pkg/common/storage.go`` and the KOTS manifests at 9b21205 (last KOTS commit).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from . import aws, config, gcp
from .errors import RuleError

#: Installer config keys, used as the ``field`` of every RuleError so a checker can point at them.
FIELD_REGION = "metadata.region"
FIELD_ENDPOINT = "objectStorage.s3.endpoint"
FIELD_BUCKET = "objectStorage.s3.bucket"
FIELD_PROJECT = "objectStorage.cloudStorage.project"
FIELD_PROVIDER = "objectStorage"

#: The region the installer uses for in-cluster MinIO (and the default of ``metadata.region``).
IN_CLUSTER_REGION = "local"

#: Secret the admin console creates for S3 and the data keys cluster validation requires in it.
S3_SECRET = "storage-s3"
S3_ACCESS_KEY_ID = "accessKeyId"
S3_SECRET_ACCESS_KEY = "secretAccessKey"
#: Data key the installer reads since the S3 rewrite: an AWS shared-credentials (INI) file.
S3_CREDENTIALS_FILE_KEY = "credentials"
#: The managed IAM policy the admin console's help names for the S3 user.
S3_IAM_POLICY = "AmazonS3FullAccess"

#: Secret the admin console creates for Cloud Storage and the one data key it must hold.
GCS_SECRET = "storage-gcp"
GCS_KEY_FILE_KEY = "service-account.json"
#: Roles the admin console's help names for the Cloud Storage service account.
GCS_ROLES = ("roles/storage.admin", "roles/storage.objectAdmin")
#: Local file the secret commands read the Cloud Storage service account key from.
GCS_SA_KEY_FILE = "gcp-storage-sa-key.json"

#: Installer history after 2022.11 that changes what a reader must do.
S3_NATIVE_SDK_SINCE = date(2022, 12, 5)
S3_BUCKET_REQUIRED_SINCE = date(2022, 12, 9)
S3_CREDENTIALS_OPTIONAL_SINCE = date(2023, 1, 6)
AZURE_REMOVED = date(2023, 2, 1)

PLACEHOLDER_ACCESS_KEY = config.PLACEHOLDER_ACCESS_KEY
PLACEHOLDER_SECRET_KEY = config.PLACEHOLDER_SECRET_KEY
PLACEHOLDER_SA_KEY_FILE = f"<upload {GCS_SA_KEY_FILE}>"


class StorageOption(StrEnum):
    """What a reader can choose as "Storage provider" (Azure only to be refused)."""

    IN_CLUSTER = "in-cluster"
    S3 = "s3"
    GCS = "gcs"
    AZURE = "azure"


#: The admin console's select: option -> (item value, label shown).
KOTS_PROVIDER: dict[StorageOption, tuple[str, str]] = {
    StorageOption.IN_CLUSTER: ("incluster", "In-cluster"),
    StorageOption.AZURE: ("azure", "Azure"),
    StorageOption.GCS: ("gcp", "GCP"),
    StorageOption.S3: ("s3", "S3"),
}

AZURE_REMOVED_HINT = (
    f"Azure Blob Storage was removed from the installer on {AZURE_REMOVED.isoformat()}; "
    "use S3, Cloud Storage or in-cluster"
)


@dataclass(frozen=True)
class S3Storage:
    region: str
    endpoint: str
    bucket: str
    secret: str = S3_SECRET


@dataclass(frozen=True)
class GcsStorage:
    region: str
    project: str
    secret: str = GCS_SECRET


@dataclass(frozen=True)
class StorageSetup:
    """Everything a reader enters for one object storage choice, computed by the rules."""

    option: StorageOption
    s3: S3Storage | None = None
    gcs: GcsStorage | None = None

    @property
    def in_cluster(self) -> bool:
        return self.option is StorageOption.IN_CLUSTER

    @property
    def region(self) -> str:
        """The value of ``metadata.region``."""
        if self.s3 is not None:
            return self.s3.region
        if self.gcs is not None:
            return self.gcs.region
        return IN_CLUSTER_REGION

    @property
    def secret(self) -> str | None:
        if self.s3 is not None:
            return self.s3.secret
        if self.gcs is not None:
            return self.gcs.secret
        return None


# --- validators (also what a config checker calls) ----------------------------------------------

PROVIDER_FORM = "one of in-cluster, s3, gcs"


def validate_option(value: object, field: str = FIELD_PROVIDER) -> StorageOption:
    """The storage option for ``value``; Azure is refused with its removal date."""
    if isinstance(value, str):
        for opt, (item_value, _) in KOTS_PROVIDER.items():
            if value in (opt.value, item_value):
                if opt is StorageOption.AZURE:
                    raise RuleError(field, value, PROVIDER_FORM, AZURE_REMOVED_HINT)
                return opt
    raise RuleError(field, value, PROVIDER_FORM)


KOTS_PROVIDER_FORM = "one of " + ", ".join(v for v, _ in KOTS_PROVIDER.values())


def validate_kots_provider(value: object, field: str = "store_provider") -> StorageOption:
    """The option behind the admin console's "Storage provider" value (its select's values).

    Azure is returned, not refused: the 2022.11 admin console offered it. Whether to accept it
    is the caller's decision (:data:`AZURE_REMOVED`).
    """
    for opt, (item_value, _) in KOTS_PROVIDER.items():
        if value == item_value:
            return opt
    hint = ""
    if isinstance(value, str):
        lowered = value.strip().lower()
        for opt, (item_value, label) in KOTS_PROVIDER.items():
            if lowered in (item_value, label.lower(), opt.value):
                hint = f"for {label}, write {item_value!r}"
    raise RuleError(field, value, KOTS_PROVIDER_FORM, hint)


def validate_region(option: StorageOption | str, value: object, field: str = FIELD_REGION) -> str:
    """``metadata.region`` for a storage option: a real region of that option's provider."""
    opt = validate_option(option)
    if opt is StorageOption.S3:
        return aws.validate_region(value, field).code
    if opt is StorageOption.GCS:
        return gcp.validate_region(value, field)
    # In-cluster MinIO always runs with region 'local'; the key is only required to be set.
    if not isinstance(value, str) or not value:
        raise RuleError(field, value, f"any non-empty string (default {IN_CLUSTER_REGION!r})")
    return value


ENDPOINT_FORM = "a bare S3 host for the bucket's region, such as 's3.eu-west-2.amazonaws.com'"
_HOST_CHARS = re.compile(r"^[a-z0-9.-]+$")


def validate_s3_endpoint(
    value: object, region: str, field: str = FIELD_ENDPOINT, region_field: str = FIELD_REGION
) -> str:
    """Return ``value`` if it is an S3 host that serves ``region`` (any variant AWS publishes).

    The admin console pre-fills the global ``s3.amazonaws.com``, which is right only for
    us-east-1: any other region needs its regional host (:func:`macros.aws.s3_endpoint`).
    ``region_field`` names where the region came from, in the message.
    """
    aws.validate_region(region, region_field)
    # The region's host of the variant entered (FIPS, dual-stack), where AWS publishes one.
    expected, _ = aws.s3_endpoint_like(value if isinstance(value, str) else "", region)
    allowed = f"the S3 endpoint for {region_field} {region!r}: {expected!r}"
    if not isinstance(value, str) or not value:
        raise RuleError(field, value, allowed, "the installer requires it")
    if "://" in value:
        raise RuleError(field, value, allowed, "a bare host: remove the scheme")
    if "/" in value:
        raise RuleError(field, value, allowed, "a bare host: remove the path")
    if ":" in value:
        raise RuleError(field, value, allowed, "a bare host: remove the port")
    if not _HOST_CHARS.match(value):
        raise RuleError(field, value, allowed, "host names are lowercase")
    if aws.is_s3_endpoint_for(value, region):
        return value
    if value == aws.GLOBAL_S3_ENDPOINT:
        hint = f"the pre-filled global endpoint serves only {aws.GLOBAL_REGION} buckets"
    else:
        hint = f"it does not serve {region!r}"
    raise RuleError(field, value, allowed, hint)


def validate_bucket(value: object, field: str = FIELD_BUCKET) -> str:
    """An S3 bucket name (required by the installer since 2022-12-09)."""
    return aws.validate_bucket_name(value, field)


def validate_gcs_project(value: object, field: str = FIELD_PROJECT) -> str:
    return gcp.validate_project_id(value, field)


# --- composing ----------------------------------------------------------------------------------


def in_cluster() -> StorageSetup:
    return StorageSetup(StorageOption.IN_CLUSTER)


def s3(region: str, bucket: str, endpoint: str | None = None) -> StorageSetup:
    """Amazon S3: the region goes to ``metadata.region``; the endpoint defaults to the rule's."""
    code = validate_region(StorageOption.S3, region)
    validate_bucket(bucket)
    host = aws.s3_endpoint(code) if endpoint is None else validate_s3_endpoint(endpoint, code)
    return StorageSetup(StorageOption.S3, s3=S3Storage(code, host, bucket))


def gcs(region: str, project: str) -> StorageSetup:
    """Google Cloud Storage in ``project``, region in ``metadata.region``."""
    code = validate_region(StorageOption.GCS, region)
    validate_gcs_project(project)
    return StorageSetup(StorageOption.GCS, gcs=GcsStorage(code, project))


def azure(**_: str) -> StorageSetup:
    """Always refused: the installer dropped Azure Blob Storage on 2023-02-01."""
    raise RuleError(FIELD_PROVIDER, "azure", PROVIDER_FORM, AZURE_REMOVED_HINT)


def build(option: str, inputs: dict[str, str]) -> StorageSetup:
    """Dispatch an example's option and inputs to the rule that composes it."""
    builders: dict[StorageOption, Any] = {
        StorageOption.IN_CLUSTER: in_cluster,
        StorageOption.S3: s3,
        StorageOption.GCS: gcs,
    }
    setup: StorageSetup = builders[validate_option(option)](**inputs)
    return setup


# --- admin console, installer config, secret ----------------------------------------------------


def kots_fields(setup: StorageSetup) -> list[tuple[str, str]]:
    """(exact field title, value to enter) in the order the admin console shows them."""
    rows: list[tuple[str, str]] = []

    def add(item: str, value: str) -> None:
        rows.append((config.kots_title(item), value))

    add("store_provider", KOTS_PROVIDER[setup.option][1])
    if setup.s3 is not None:
        add("store_region", setup.s3.region)
        add("store_s3_endpoint", setup.s3.endpoint)
        add("store_s3_bucket", setup.s3.bucket)
        add("store_s3_access_key_id", PLACEHOLDER_ACCESS_KEY)
        add("store_s3_secret_access_key", PLACEHOLDER_SECRET_KEY)
    elif setup.gcs is not None:
        add("store_region", setup.gcs.region)
        add("store_gcp_project", setup.gcs.project)
        add("store_gcp_credentials", PLACEHOLDER_SA_KEY_FILE)
    return rows


def installer_section(setup: StorageSetup) -> dict[str, Any]:
    """The ``objectStorage`` mapping alone."""
    section: dict[str, Any] = {"inCluster": setup.in_cluster}
    if setup.s3 is not None:
        section["s3"] = {
            "endpoint": setup.s3.endpoint,
            "bucket": setup.s3.bucket,
            "credentials": config.secret_ref(setup.s3.secret),
        }
    elif setup.gcs is not None:
        section["cloudStorage"] = {
            "project": setup.gcs.project,
            "serviceAccount": config.secret_ref(setup.gcs.secret),
        }
    return section


def installer_config(setup: StorageSetup) -> dict[str, Any]:
    """``apiVersion``, ``metadata.region`` (S3 and GCS) and ``objectStorage``, as a mapping."""
    doc: dict[str, Any] = {"apiVersion": config.INSTALLER_API_VERSION}
    if not setup.in_cluster:
        doc["metadata"] = {"region": setup.region}
    doc["objectStorage"] = installer_section(setup)
    return doc


def installer_yaml(setup: StorageSetup) -> str:
    return config.to_yaml(installer_config(setup))


def secret_command(setup: StorageSetup) -> str | None:
    """The ``kubectl create secret`` command; None for in-cluster (the installer makes its own)."""
    if setup.s3 is not None:
        return config.kubectl_command(
            f"kubectl create secret generic {setup.s3.secret}",
            f'--from-literal={S3_ACCESS_KEY_ID}="${config.ENV_ACCESS_KEY}"',
            f'--from-literal={S3_SECRET_ACCESS_KEY}="${config.ENV_SECRET_KEY}"',
        )
    if setup.gcs is not None:
        return config.kubectl_command(
            f"kubectl create secret generic {setup.gcs.secret}",
            f"--from-file={GCS_KEY_FILE_KEY}={GCS_SA_KEY_FILE}",
        )
    return None


def secret_commands(setup: StorageSetup) -> list[str]:
    """The commands as a list (empty for in-cluster), like :func:`database.secret_commands`."""
    command = secret_command(setup)
    return [command] if command else []


def secret_data_keys(setup: StorageSetup) -> tuple[str, ...]:
    """The data keys the installer's cluster validation requires in the referenced secret."""
    if setup.s3 is not None:
        return (S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY)
    if setup.gcs is not None:
        return (GCS_KEY_FILE_KEY,)
    return ()
