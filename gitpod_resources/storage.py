"""Object storage rules for Gitpod 2022.11: in-cluster MinIO, Amazon S3, Google Cloud Storage.

Workspace content (backups, snapshots, logs) goes to one bucket store. For S3, Gitpod 2022.11's
content-service is minio-go v7.0.26 created with the endpoint and no region: the endpoint host
fixes the region it signs and routes for (``s3.amazonaws.com`` fixes none, and the client looks
each bucket's location up). ``metadata.region`` is required and is where Gitpod creates the
buckets it needs (every user's bucket when no bucket is named); it does not route S3 requests.
Every statement about Gitpod here is a claim with its source at the release tags
(``data/claims.yaml``, read by :mod:`gitpod_resources.sources`), cited where the site shows it.
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
#: The managed IAM policy the admin console's help names for the S3 user.
S3_IAM_POLICY = "AmazonS3FullAccess"
#: The bucket content-service creates for a user when no bucket is named (``<user ID>`` filled).
PER_USER_BUCKET = "gitpod-user-<user ID>"

#: Secret the admin console creates for Cloud Storage and the one data key it must hold.
GCS_SECRET = "storage-gcp"
GCS_KEY_FILE_KEY = "service-account.json"
#: Roles the admin console's help names for the Cloud Storage service account.
GCS_ROLES = ("roles/storage.admin", "roles/storage.objectAdmin")
#: Local file the secret commands read the Cloud Storage service account key from.
GCS_SA_KEY_FILE = "gcp-storage-sa-key.json"

#: Azure Blob Storage in 2022.11: the secret's data keys and the MinIO image the gateway runs.
AZURE_SECRET_KEYS = ("accountName", "accountKey")
AZURE_GATEWAY_IMAGE_TAG = "2022.4.29-debian-10-r0"

#: The day Azure's removal landed on gitpod-io/gitpod's main branch (1ea14bdaae): after the
#: 2022.11 line; every 2022.11 release has Azure.
AZURE_REMOVED = date(2023, 2, 1)

# --- Gitpod 2022.11's S3 client: minio-go v7.0.26 ------------------------------------------------

#: The version Gitpod 2022.11 pins; the claims cite minio-go at its commit (``data/claims.yaml``).
MINIO_GO_VERSION = "v7.0.26"

#: minio-go v7.0.26's ``awsS3EndpointMap`` (s3-endpoints.go): the host every request for a
#: bucket in that region goes to, whatever Amazon endpoint was configured.
MINIO_S3_HOSTS: dict[str, str] = {
    region: f"s3.dualstack.{region}.amazonaws.com" + (".cn" if region.startswith("cn-") else "")
    for region in (
        "us-east-1",
        "us-east-2",
        "us-west-2",
        "us-west-1",
        "ca-central-1",
        "eu-west-1",
        "eu-west-2",
        "eu-west-3",
        "eu-central-1",
        "eu-north-1",
        "eu-south-1",
        "ap-east-1",
        "ap-south-1",
        "ap-southeast-1",
        "ap-southeast-2",
        "ap-northeast-1",
        "ap-northeast-2",
        "ap-northeast-3",
        "af-south-1",
        "me-south-1",
        "sa-east-1",
        "us-gov-west-1",
        "us-gov-east-1",
        "cn-north-1",
        "cn-northwest-1",
    )
}
#: ``getS3Endpoint``'s answer for a region its map lacks.
MINIO_FALLBACK_HOST = "s3.dualstack.us-east-1.amazonaws.com"

#: The endpoint with which the client reads no region and looks each bucket's location up.
GLOBAL_ENDPOINTS = frozenset({aws.GLOBAL_S3_ENDPOINT, "s3-external-1.amazonaws.com"})
#: ``IsAmazonFIPSGovCloudEndpoint``: GovCloud hosts the client reads us-gov-west-1 from.
_GOVCLOUD_HOSTS = frozenset(
    {
        "s3-us-gov-west-1.amazonaws.com",
        "s3-fips-us-gov-west-1.amazonaws.com",
        "s3-fips.us-gov-west-1.amazonaws.com",
        "s3-fips.dualstack.us-gov-west-1.amazonaws.com",
    }
)
#: ``GetRegionFromURL``'s patterns, in the order it tries them (Go's regexp, transcribed: an
#: unescaped dot is any character, and the ELB patterns are not anchored at the start).
_ELB = (re.compile(r"elb(.*?).amazonaws.com$"), re.compile(r"elb(.*?).amazonaws.com.cn$"))
_REGION_PATTERNS = (
    re.compile(r"^s3.dualstack.(.*?).amazonaws.com$"),
    re.compile(r"^s3-(.*?).amazonaws.com$"),
    re.compile(r"^s3.(cn.*?).amazonaws.com.cn$"),
    re.compile(r"^s3.dualstack.(cn.*?).amazonaws.com.cn$"),
    re.compile(r"^s3.(.*?).amazonaws.com$"),
    re.compile(r"^(?:bucket|accesspoint).vpce-.*?.s3.(.*?).vpce.amazonaws.com$"),
)
_PRIVATE_LINK = _REGION_PATTERNS[-1]


def minio_region(host: str) -> str:
    """The region minio-go v7.0.26 reads from an endpoint host (``GetRegionFromURL``): it signs
    and routes every request for it; "" means none, and then it looks each bucket's location up."""
    if host == "s3-external-1.amazonaws.com":
        return ""
    if host in _GOVCLOUD_HOSTS:
        return "us-gov-west-1"
    if any(p.search(host) for p in _ELB):
        return ""
    for pattern in _REGION_PATTERNS:
        found = pattern.search(host)
        if found:
            return found[1]
    return ""


def minio_is_amazon(host: str) -> bool:
    """Whether minio-go v7.0.26 treats the host as Amazon S3 (``IsAmazonEndpoint``): then it
    sends requests to the host of its map, virtual-hosted."""
    return host in GLOBAL_ENDPOINTS or minio_region(host) != ""


#: ``IsAmazonFIPSUSEastWestEndpoint``: the FIPS hosts minio-go v7.0.26 knows besides GovCloud's.
_FIPS_HOSTS = frozenset(
    {
        "s3-fips.us-east-2.amazonaws.com",
        "s3-fips.dualstack.us-west-1.amazonaws.com",
        "s3-fips.dualstack.us-west-2.amazonaws.com",
        "s3-fips.dualstack.us-east-2.amazonaws.com",
        "s3-fips.dualstack.us-east-1.amazonaws.com",
        "s3-fips.us-west-1.amazonaws.com",
        "s3-fips.us-west-2.amazonaws.com",
        "s3-fips.us-east-1.amazonaws.com",
    }
)


def minio_keeps_host(host: str) -> bool:
    """The Amazon endpoints minio-go v7.0.26 sends to as entered (``IsAmazonFIPSEndpoint``,
    ``IsAmazonPrivateLinkEndpoint``); it replaces any other by the host of its map."""
    fips = host in _FIPS_HOSTS or (host in _GOVCLOUD_HOSTS and "fips" in host)
    return fips or _PRIVATE_LINK.search(host) is not None


def minio_request_host(region: str) -> str:
    """The host minio-go v7.0.26 sends a request for a bucket in ``region`` to."""
    return MINIO_S3_HOSTS.get(region, MINIO_FALLBACK_HOST)


def minio_lacks_region(region: str) -> bool:
    """Whether minio-go v7.0.26's map has no host for ``region`` (its requests then go to
    :data:`MINIO_FALLBACK_HOST`)."""
    return region not in MINIO_S3_HOSTS


PLACEHOLDER_ACCESS_KEY = config.PLACEHOLDER_ACCESS_KEY
PLACEHOLDER_SECRET_KEY = config.PLACEHOLDER_SECRET_KEY
PLACEHOLDER_SA_KEY_FILE = f"<upload {GCS_SA_KEY_FILE}>"


class StorageOption(StrEnum):
    """What a reader can choose as "Storage provider" (Azure: a 2022.11 provider this guide has
    no example of)."""

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

AZURE_NOT_COVERED_HINT = (
    "Azure Blob Storage is a 2022.11 provider (served through a MinIO Azure gateway in the "
    "cluster), but this guide has no example of it"
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
    """The storage option of one of the guide's examples; Azure has none."""
    if isinstance(value, str):
        for opt, (item_value, _) in KOTS_PROVIDER.items():
            if value in (opt.value, item_value):
                if opt is StorageOption.AZURE:
                    raise RuleError(field, value, PROVIDER_FORM, AZURE_NOT_COVERED_HINT)
                return opt
    raise RuleError(field, value, PROVIDER_FORM)


KOTS_PROVIDER_FORM = "one of " + ", ".join(v for v, _ in KOTS_PROVIDER.values())


def validate_kots_provider(value: object, field: str = "store_provider") -> StorageOption:
    """The option behind the admin console's "Storage provider" value (its select's values).

    Azure is returned, not refused: every 2022.11 admin console offers it.
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


_HOST_CHARS = re.compile(r"^[a-z0-9.-]+$")


def _partition_host(region: str) -> bool:
    """Whether the global endpoint is a host of ``region``'s partition (the standard one)."""
    return aws.partition_of(region).id == aws.partition_of(aws.GLOBAL_REGION).id


def _region_of_host(host: str) -> str | None:
    """The AWS region whose published S3 hosts include ``host``, if any."""
    for code in aws.region_codes():
        if aws.is_s3_endpoint_for(host, code):
            return code
    return None


def validate_s3_endpoint(
    value: object, region: str, field: str = FIELD_ENDPOINT, region_field: str = FIELD_REGION
) -> str:
    """Return ``value`` if Gitpod 2022.11's S3 client reaches a bucket in ``region`` through it.

    That is the global ``s3.amazonaws.com`` (the client looks the bucket's location up and
    follows it) for a region of its partition, or an S3 host AWS publishes for ``region`` (any
    variant): a regional host fixes the region the client signs and sends every request for, so
    the bucket must be there. ``region_field`` names where the region came from, in the message.
    """
    aws.validate_region(region, region_field)
    # The region's host of the variant entered (FIPS, dual-stack), where AWS publishes one.
    expected, _ = aws.s3_endpoint_like(value if isinstance(value, str) else "", region)
    allowed = f"the S3 endpoint of {region_field} {region!r}, {expected!r}"
    if _partition_host(region) and expected != aws.GLOBAL_S3_ENDPOINT:
        allowed += f", or the global {aws.GLOBAL_S3_ENDPOINT!r}"
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
    if value in GLOBAL_ENDPOINTS:
        if _partition_host(region):
            return value
        partition = aws.partition_of(region).id
        raise RuleError(
            field,
            value,
            allowed,
            f"the client looks the bucket up through {value!r}, a host of AWS's standard "
            f"partition, and {region!r} is in the partition {partition!r}",
        )
    if aws.is_s3_endpoint_for(value, region):
        return value
    other = _region_of_host(value)
    if other is not None:
        hint = (
            f"it is the S3 host of {other!r}: Gitpod 2022.11's S3 client signs and sends every "
            f"request for {other!r}, so the bucket must be in {other!r}, not {region!r}"
        )
    else:
        hint = f"AWS publishes no S3 host {value!r}"
    raise RuleError(field, value, allowed, hint)


def validate_bucket(value: object, field: str = FIELD_BUCKET) -> str:
    """An S3 bucket name (optional in the 2022.11 installer; the guide always names one)."""
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
    """Always refused: the guide has no Azure example (2022.11 does support it)."""
    raise RuleError(FIELD_PROVIDER, "azure", PROVIDER_FORM, AZURE_NOT_COVERED_HINT)


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
