"""Independent oracles: botocore's S3 endpoint ruleset and facts transcribed from Gitpod's source.

Nothing here calls the rules module; tests compare the rules and the site against these.
"""

from __future__ import annotations

import os
from functools import cache

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
def _s3_provider() -> EndpointProvider:
    loader = create_loader()
    return EndpointProvider(
        ruleset_data=loader.load_service_model("s3", "endpoint-rule-set-1"),
        partition_data=loader.load_data("partitions"),
    )


def botocore_s3_host(region: str, *, fips: bool = False, dualstack: bool = False) -> str:
    """The host botocore's S3 ruleset resolves, as a default client would (legacy us-east-1)."""
    params: dict[str, object] = {"Region": region, "UseFIPS": fips, "UseDualStack": dualstack}
    if region == "us-east-1" and not (fips or dualstack):
        params["UseGlobalEndpoint"] = True
    url = _s3_provider().resolve_endpoint(**params).url
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
