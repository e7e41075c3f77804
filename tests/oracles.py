"""Independent oracles: botocore's S3 endpoint ruleset and facts transcribed from Gitpod's source.

Nothing here calls the rules module; tests compare the rules and the site against these.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any

os.environ.setdefault("AWS_CONFIG_FILE", "/dev/null")
os.environ.setdefault("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")

from botocore.endpoint_provider import EndpointProvider
from botocore.loaders import create_loader

#: KOTS item titles, transcribed from install/kots/manifests/kots-config.yaml @9b212050
#: (gitpod-io/gitpod), group container_registry.
KOTS_TITLES = {
    "reg_incluster": "Use in-cluster container registry",
    "reg_incluster_storage": "In-cluster Storage provider",
    "reg_incluster_storage_s3_region": "Storage region",
    "reg_incluster_storage_s3_endpoint": "Endpoint",
    "reg_incluster_storage_s3_bucketname": "S3 bucket name",
    "reg_incluster_storage_s3_accesskey": "S3 access key",
    "reg_incluster_storage_s3_secretkey": "S3 secret key",
    "reg_url": "Container registry URL",
    "reg_server": "Container registry server",
    "reg_username": "Container registry username",
    "reg_password": "Container registry password",
}

#: The containerRegistry struct of install/installer/pkg/config/v1/config.go (2022.11 keys).
CONTAINER_REGISTRY_KEYS = {
    "inCluster": None,
    "external": {"url": None, "certificate": {"kind": None, "name": None}},
    "s3storage": {
        "bucket": None,
        "region": None,
        "endpoint": None,
        "certificate": {"kind": None, "name": None},
    },
    "privateBaseImageAllowList": None,
}


@cache
def _provider(service: str) -> EndpointProvider:
    """botocore's endpoint ruleset of ``service`` (``s3``, ``ecr``) over its partitions."""
    loader = create_loader()
    return EndpointProvider(
        ruleset_data=loader.load_service_model(service, "endpoint-rule-set-1"),
        partition_data=loader.load_data("partitions"),
    )


def botocore_s3_host(
    region: str, *, fips: bool = False, dualstack: bool = False, regional: bool = False
) -> str:
    """The host botocore's S3 ruleset resolves, as a default client would (legacy us-east-1).

    ``regional=True`` resolves as ``us_east_1_regional_endpoint=regional`` does. Raises botocore's
    ``EndpointResolutionError`` where the ruleset refuses (FIPS in China).
    """
    params: dict[str, object] = {"Region": region, "UseFIPS": fips, "UseDualStack": dualstack}
    if region == "us-east-1" and not (fips or dualstack or regional):
        params["UseGlobalEndpoint"] = True
    url = _provider("s3").resolve_endpoint(**params).url
    assert url.startswith("https://")
    return url.removeprefix("https://").rstrip("/")


def unknown_keys(doc: object, schema: object, prefix: str = "") -> list[str]:
    """Dotted paths in ``doc`` that ``schema`` does not have."""
    if not isinstance(doc, dict) or not isinstance(schema, dict):
        return []
    out = []
    for k, v in doc.items():
        path = f"{prefix}{k}"
        if k not in schema:
            out.append(path)
        else:
            out += unknown_keys(v, schema[k], path + ".")
    return out


# --- botocore's region lists and curated S3 variants (the data behind the ruleset) ------------


@cache
def botocore_partitions() -> tuple[str, ...]:
    """Partition ids as ``Session.get_available_partitions()`` lists them."""
    from botocore.session import get_session

    return tuple(get_session().get_available_partitions())


@cache
def botocore_s3_regions() -> dict[str, frozenset[str]]:
    """Every region botocore knows for S3, per partition.

    The union of ``get_available_regions('s3', partition_name=p)`` (endpoints.json) and the
    regions of partitions.json (which the ruleset uses, and which lists new regions such as
    me-west-1 first), without the ``*-global`` pseudo-regions.
    """
    from botocore.session import get_session

    session = get_session()
    listed = create_loader().load_data("partitions")["partitions"]
    from_partitions = {p["id"]: set(p["regions"]) for p in listed}
    out = {}
    for pid in botocore_partitions():
        regions = set(session.get_available_regions("s3", partition_name=pid))
        regions |= from_partitions.get(pid, set())
        out[pid] = frozenset(r for r in regions if not r.endswith("-global"))
    return out


@cache
def botocore_s3_listed_regions() -> frozenset[str]:
    """Regions ``get_available_regions('s3')`` returns in some partition (endpoints.json)."""
    from botocore.session import get_session

    session = get_session()
    found: set[str] = set()
    for pid in botocore_partitions():
        found |= set(session.get_available_regions("s3", partition_name=pid))
    return frozenset(found)


@cache
def _endpoints_partitions() -> list[dict[str, Any]]:
    """endpoints.json's partitions, loaded once (a 1 MB JSON file: ~0.3 s per load)."""
    partitions: list[dict[str, Any]] = create_loader().load_data("endpoints")["partitions"]
    return partitions


def aws_description(code: str) -> str:
    """botocore's name of an AWS region (endpoints.json ``regions.<code>.description``)."""
    for part in _endpoints_partitions():
        if code in part["regions"]:
            return str(part["regions"][code]["description"])
    raise KeyError(code)


def botocore_curated_s3_variant(region: str, tag: str) -> str | None:
    """The S3 host endpoints.json lists for ``region`` with exactly the variant tag ``tag``
    ('fips' or 'dualstack'), or None where AWS publishes none."""
    for part in _endpoints_partitions():
        entry = part["services"].get("s3", {}).get("endpoints", {}).get(region)
        if entry is None:
            continue
        for variant in entry.get("variants", []):
            if variant.get("tags") == [tag]:
                host = variant["hostname"].replace("{region}", region)
                return str(host.replace("{dnsSuffix}", part["dnsSuffix"]))
    return None


def botocore_ecr_api_host(region: str) -> str:
    """The ECR API host botocore's ECR ruleset resolves (``api.ecr.<region>.<dnsSuffix>``)."""
    url = _provider("ecr").resolve_endpoint(Region=region, UseFIPS=False, UseDualStack=False).url
    return str(url).removeprefix("https://").rstrip("/")


_REF = {"kind": None, "name": None}

#: KOTS item titles of groups storage ("Object storage") and database ("Database"), transcribed
#: from install/kots/manifests/kots-config.yaml @9b212050 via shared reference §4.4 and §5.3.
KOTS_TITLES_STORAGE = {
    "store_provider": "Storage provider",
    "store_region": "Storage region",
    "store_s3_endpoint": "Endpoint",
    "store_s3_bucket": "S3 bucket name",
    "store_s3_access_key_id": "Access Key",
    "store_s3_secret_access_key": "Secret Key",
    "store_gcp_project": "Project ID",
    "store_gcp_credentials": "Service account key",
    "store_azure_account_name": "Account name",
    "store_azure_access_key": "Access key",
}
KOTS_TITLES_DATABASE = {
    "db_incluster": "Use MySQL in-cluster",
    "db_cloudsql_enabled": "Use Google Cloud SQL Proxy",
    "db_cloudsql_instance": "CloudSQL connection name",
    "db_encryption_keys": "Encryption keys",
    "db_host": "Host",
    "db_username": "Username",
    "db_password": "Password",
    "db_port": "Port",
    "db_gcp_credentials": "GCP service account key",
}
#: Every title of the three groups: what any admin console row of the site may be called.
ALL_KOTS_TITLES = {
    *KOTS_TITLES.values(),
    *KOTS_TITLES_STORAGE.values(),
    *KOTS_TITLES_DATABASE.values(),
}
#: The select values of store_provider and the labels the admin console shows for them.
KOTS_STORE_PROVIDER_LABELS = {"incluster": "In-cluster", "azure": "Azure", "gcp": "GCP", "s3": "S3"}

#: metadata / objectStorage / database structs of install/installer/pkg/config/v1/config.go
#: (reference §1, §4.1, §5.1). ``azure`` existed until 2023-02-01, so 2022.11 still had it.
METADATA_KEYS = {"region": None}
OBJECT_STORAGE_KEYS = {
    "inCluster": None,
    "s3": {
        "endpoint": None,
        "bucket": None,
        "credentials": _REF,
        "allowInsecureConnection": None,
    },
    "cloudStorage": {"project": None, "serviceAccount": _REF},
    "azure": {"credentials": _REF},
    "blobQuota": None,
    "maximumBackupCount": None,
    "resources": None,
}
DATABASE_KEYS = {
    "inCluster": None,
    "external": {"certificate": _REF},
    "cloudSQL": {"instance": None, "serviceAccount": _REF},
    "ssl": {"caCert": _REF},
}
#: Top-level keys of the config this guide's fragments may use.
TOP_LEVEL_KEYS = {
    "apiVersion": None,
    "domain": None,
    "metadata": METADATA_KEYS,
    "containerRegistry": CONTAINER_REGISTRY_KEYS,
    "objectStorage": OBJECT_STORAGE_KEYS,
    "database": DATABASE_KEYS,
}

#: ``installer validate cluster`` (validation.go): ObjectRef path -> data keys the referenced
#: Secret must hold (reference §2.2, §4.2, §5.2).
CLUSTER_VALIDATION_SECRET_KEYS = {
    "containerRegistry.external.certificate": {".dockerconfigjson"},
    "containerRegistry.external.credentials": {"credentials"},
    "containerRegistry.s3storage.certificate": {"s3AccessKey", "s3SecretKey"},
    "objectStorage.s3.credentials": {"accessKeyId", "secretAccessKey"},
    "objectStorage.cloudStorage.serviceAccount": {"service-account.json"},
    "database.external.certificate": {"encryptionKeys", "host", "password", "port", "username"},
    "database.cloudSQL.serviceAccount": {
        "credentials.json",
        "encryptionKeys",
        "password",
        "username",
    },
    "database.ssl.caCert": {"ca.crt"},
}


def secret_refs(doc: object, prefix: str = "") -> dict[str, str]:
    """Dotted path -> Secret name of every ``{kind: secret, name: ...}`` ObjectRef in ``doc``."""
    if not isinstance(doc, dict):
        return {}
    if set(doc) == {"kind", "name"} and doc["kind"] == "secret":
        return {prefix.rstrip("."): str(doc["name"])}
    out: dict[str, str] = {}
    for k, v in doc.items():
        out.update(secret_refs(v, f"{prefix}{k}."))
    return out


#: install/installer/pkg/components/database/init/files/00-create-and-init-sessions-db.sql,
#: lines 6-16 (the same at the four 2022.11 tags): what the init job runs as the configured user.
INIT_SQL_AT_THE_TAGS = "\n".join(
    [
        "CREATE DATABASE IF NOT EXISTS `gitpod-sessions` CHARSET utf8mb4;",
        "",
        "USE `gitpod-sessions`;",
        "",
        "CREATE TABLE IF NOT EXISTS sessions (",
        "   `session_id` varchar(128) COLLATE utf8mb4_bin NOT NULL,",
        "   `expires` int(11) unsigned NOT NULL,",
        "   `data` text COLLATE utf8mb4_bin,",
        "   `_lastModified` timestamp(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)"
        " ON UPDATE CURRENT_TIMESTAMP(6),",
        "   PRIMARY KEY (`session_id`)",
        ");",
    ]
)
