"""The configs the probe's tests run it on (shared by the test modules, which import no other
test module)."""

from __future__ import annotations

#: What the probe does with a bucket, as IAM actions (moto 5.2.5 authorizes a listing as
#: s3:ListBucket, as AWS does: a key with s3:ListObjectsV2 alone is refused).
ALL_ACTIONS = [
    "s3:GetBucketLocation",
    "s3:PutObject",
    "s3:GetObject",
    "s3:DeleteObject",
    "s3:ListBucket",
    "s3:CreateBucket",
    "s3:DeleteBucket",
]


def external(url: str) -> str:
    return (
        "apiVersion: v1\n"
        "containerRegistry:\n"
        "  inCluster: false\n"
        "  external:\n"
        f"    url: {url}\n"
        "    certificate:\n"
        "      kind: secret\n"
        "      name: container-registry\n"
    )


def kots_registry(url: str, server: str) -> str:
    return (
        "apiVersion: kots.io/v1beta1\n"
        "kind: ConfigValues\n"
        "spec:\n"
        "  values:\n"
        "    reg_incluster:\n"
        '      value: "0"\n'
        "    reg_url:\n"
        f"      value: {url}\n"
        "    reg_server:\n"
        f"      value: {server}\n"
        "    reg_username:\n"
        "      value: gitpod\n"
        "    reg_password:\n"
        '      value: "encrypted"\n'
    )


def registry_s3(endpoint: str, bucket: str, region: str) -> str:
    return (
        "apiVersion: v1\n"
        "containerRegistry:\n"
        "  inCluster: true\n"
        "  s3storage:\n"
        f"    bucket: {bucket}\n"
        f"    region: {region}\n"
        f"    endpoint: {endpoint}\n"
        "    certificate:\n"
        "      kind: secret\n"
        "      name: container-registry-s3-backend\n"
    )


def object_storage(endpoint: str, bucket: str | None, region: str) -> str:
    named = f"    bucket: {bucket}\n" if bucket else ""
    return (
        "apiVersion: v1\n"
        "metadata:\n"
        f"  region: {region}\n"
        "objectStorage:\n"
        "  inCluster: false\n"
        "  s3:\n"
        f"    endpoint: {endpoint}\n"
        f"{named}"
        "    credentials:\n"
        "      kind: secret\n"
        "      name: storage-s3\n"
    )


def database_installer(tls: bool = False) -> str:
    ssl = "  ssl:\n    caCert:\n      kind: secret\n      name: database-ca\n" if tls else ""
    return (
        "apiVersion: v1\n"
        "database:\n"
        "  inCluster: false\n"
        "  external:\n"
        "    certificate:\n"
        "      kind: secret\n"
        "      name: database\n"
        f"{ssl}"
    )


def kots_database(port: int, user: str) -> str:
    return (
        "apiVersion: kots.io/v1beta1\n"
        "kind: ConfigValues\n"
        "spec:\n"
        "  values:\n"
        "    db_incluster:\n"
        '      value: "0"\n'
        "    db_host:\n"
        "      value: 127.0.0.1\n"
        "    db_port:\n"
        f'      value: "{port}"\n'
        "    db_username:\n"
        f"      value: {user}\n"
        "    db_password:\n"
        '      value: "encrypted"\n'
    )
