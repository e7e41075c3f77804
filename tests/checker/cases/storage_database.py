"""The object storage and database checks' cases (STO, DB) and the config fragments they are built
of. Expected S3 endpoints come from botocore's S3 ruleset (tests/oracles.py), not from the rules."""

from __future__ import annotations

from tests.checker.helpers import Case, installer, kots
from tests.oracles import botocore_s3_host

STORAGE_S3 = """\
metadata:
  region: {region}
objectStorage:
  inCluster: false
  s3:
    endpoint: {endpoint}
    bucket: {bucket}
    credentials:
      kind: secret
      name: storage-s3
"""

STORAGE_GCS = """\
metadata:
  region: {region}
objectStorage:
  inCluster: false
  cloudStorage:
    project: {project}
    serviceAccount:
      kind: secret
      name: storage-gcp
"""

#: The admin console's credential items (required: the installer's secrets are made from them);
#: password items are set with ``valuePlaintext`` in a ConfigValues file.
KOTS_S3_KEYS = """\
    store_s3_access_key_id:
      value: "<access key ID>"
    store_s3_secret_access_key:
      valuePlaintext: "<secret access key>"
"""
KOTS_GCP_KEY = """\
    store_gcp_credentials:
      value: "<service account key JSON>"
"""
KOTS_DB_PASSWORD = """\
    db_password:
      valuePlaintext: "<database password>"
"""
KOTS_DB_GCP_KEY = """\
    db_gcp_credentials:
      value: "<service account key JSON>"
"""

KOTS_STORE_S3 = (
    """\
    store_provider:
      value: s3
    store_region:
      value: {region}
    store_s3_endpoint:
      value: {endpoint}
    store_s3_bucket:
      value: {bucket}
"""
    + KOTS_S3_KEYS
)

KOTS_STORE_GCS = (
    """\
    store_provider:
      value: gcp
    store_region:
      value: {region}
    store_gcp_project:
      value: {project}
"""
    + KOTS_GCP_KEY
)

DB_EXTERNAL = """\
database:
  inCluster: false
  external:
    certificate:
      kind: secret
      name: database
"""

DB_CLOUDSQL = """\
database:
  inCluster: false
  cloudSQL:
    instance: {instance}
    serviceAccount:
      kind: secret
      name: cloudsql
"""

KOTS_DB_EXTERNAL = (
    """\
    db_incluster:
      value: "0"
    db_host:
      value: {host}
    db_port:
      value: "{port}"
    db_username:
      value: {username}
"""
    + KOTS_DB_PASSWORD
)

KOTS_DB_CLOUDSQL = (
    """\
    db_incluster:
      value: "0"
    db_cloudsql_enabled:
      value: "1"
    db_cloudsql_instance:
      value: {instance}
"""
    + KOTS_DB_PASSWORD
    + KOTS_DB_GCP_KEY
)

CONNECTION = "my-gcp-project:europe-west2:gitpod-mysql"


def s3(region: str = "eu-west-2", endpoint: str = "", bucket: str = "gitpod-workspaces") -> str:
    endpoint = endpoint or botocore_s3_host(region)
    return installer(STORAGE_S3.format(region=region, endpoint=endpoint, bucket=bucket))


def gcs(region: str = "europe-west2", project: str = "my-gcp-project") -> str:
    return installer(STORAGE_GCS.format(region=region, project=project))


def kots_s3(region: str = "eu-west-2", endpoint: str = "", bucket: str = "gitpod-ws") -> str:
    endpoint = endpoint or botocore_s3_host(region)
    return kots(KOTS_STORE_S3.format(region=region, endpoint=endpoint, bucket=bucket))


def kots_gcs(region: str = "europe-west2", project: str = "my-gcp-project") -> str:
    return kots(KOTS_STORE_GCS.format(region=region, project=project))


def cloudsql(instance: str = CONNECTION) -> str:
    return installer(DB_CLOUDSQL.format(instance=instance))


def kots_external(host: str = "mysql.example.com", port: str = "3306", user: str = "gitpod") -> str:
    return kots(KOTS_DB_EXTERNAL.format(host=host, port=port, username=user))


def kots_cloudsql(instance: str = CONNECTION) -> str:
    return kots(KOTS_DB_CLOUDSQL.format(instance=instance))


EXTERNAL = installer(DB_EXTERNAL)
ENDPOINT_LINE = f"    endpoint: {botocore_s3_host('eu-west-2')}\n"
KOTS_AZURE = "    store_provider:\n      value: azure\n"

CASES = [
    # --- the structure of the newly closed sections ---------------------------------------------
    Case(
        "CFG101",
        "typo in objectStorage",
        s3().replace("  s3:", "  s3s:"),
        "objectStorage.s3s",
        6,
        s3(),
        ("'s3'",),
    ),
    Case(
        "CFG101",
        "typo in database",
        cloudsql().replace("cloudSQL:", "cloudSQLL:"),
        "database.cloudSQLL",
        4,
        cloudsql(),
        ("'cloudSQL'",),
    ),
    Case(
        "CFG101",
        "typo in metadata",
        s3().replace("  region:", "  regoin:"),
        "metadata.regoin",
        3,
        s3(),
        ("'region'",),
    ),
    Case(
        "CFG103",
        "blob quota as a string",
        installer('objectStorage:\n  inCluster: true\n  blobQuota: "5Gi"\n'),
        "objectStorage.blobQuota",
        4,
        installer("objectStorage:\n  inCluster: true\n  blobQuota: 5368709120\n"),
        ("whole number",),
    ),
    Case(
        "CFG105",
        "storage credentials with kind Secret",
        s3().replace("kind: secret", "kind: Secret"),
        "objectStorage.s3.credentials.kind",
        10,
        s3(),
    ),
    # --- object storage -------------------------------------------------------------------------
    Case(
        "STO101",
        "s3 without inCluster",
        s3().replace("  inCluster: false\n", ""),
        "objectStorage.inCluster",
        4,
        s3(),
        ("MinIO in the cluster", "'storage-s3' is still mounted", "inCluster: false"),
    ),
    Case(
        "STO102",
        "inCluster false and no provider",
        installer("objectStorage:\n  inCluster: false\n"),
        "objectStorage.s3",
        2,
        s3(),
    ),
    Case(
        "STO102",
        "s3 without credentials",
        s3().replace("    credentials:\n      kind: secret\n      name: storage-s3\n", ""),
        "objectStorage.s3.credentials",
        6,
        s3(),
        ("secret",),
    ),
    Case(
        "STO102",
        "s3 without an endpoint",
        s3().replace(ENDPOINT_LINE, ""),
        "objectStorage.s3.endpoint",
        6,
        s3(),
    ),
    Case(
        "STO102",
        "s3 without a bucket and without metadata.region",
        s3()
        .replace("metadata:\n  region: eu-west-2\n", "")
        .replace("    bucket: gitpod-workspaces\n", ""),
        "metadata.region",
        2,
        s3().replace("    bucket: gitpod-workspaces\n", ""),
        ("'local'", "every user's S3 bucket"),
    ),
    Case(
        "STO102",
        "Cloud Storage without metadata.region",
        gcs().replace("metadata:\n  region: europe-west2\n", ""),
        "metadata.region",
        2,
        gcs(),
        ("'local'", "Cloud Storage bucket"),
    ),
    Case(
        "STO115",
        "s3 with a bucket, without metadata.region",
        s3().replace("metadata:\n  region: eu-west-2\n", ""),
        "metadata.region",
        2,
        s3(),
        ("'local'", "only to create the bucket if the bucket does not exist"),
    ),
    Case(
        "STO115",
        "a GCP region for S3 with a bucket named",
        s3().replace("region: eu-west-2", "region: europe-west2"),
        "metadata.region",
        3,
        s3(),
        ("'eu-west-2'", "only to create the bucket if the bucket does not exist"),
    ),
    Case(
        "STO115",
        "admin console region typo with a bucket named",
        kots_s3(endpoint=botocore_s3_host("eu-west-2")).replace(
            "value: eu-west-2", "value: eu-wset-2"
        ),
        "spec.values.store_region.value",
        8,
        kots_s3(),
        ("'eu-west-2'",),
    ),
    Case(
        "STO102",
        "admin console GCP without a project",
        kots(
            "    store_provider:\n      value: gcp\n    store_region:\n      value: europe-west2\n"
            + KOTS_GCP_KEY
        ),
        "spec.values.store_gcp_project.value",
        4,
        kots_gcs(),
        ('"Project ID"',),
    ),
    Case(
        "STO103",
        "a GCP region for S3 without a bucket: every user's bucket is created in it",
        s3()
        .replace("region: eu-west-2", "region: europe-west2")
        .replace("    bucket: gitpod-workspaces\n", ""),
        "metadata.region",
        3,
        s3().replace("    bucket: gitpod-workspaces\n", ""),
        ("'eu-west-2'",),
    ),
    Case(
        "STO103",
        "a zone for Cloud Storage",
        gcs(region="europe-west2-a"),
        "metadata.region",
        3,
        gcs(),
        ("zone", "'europe-west2'"),
    ),
    Case(
        "STO103",
        "an AWS region for Cloud Storage",
        gcs(region="eu-west-2"),
        "metadata.region",
        3,
        gcs(),
    ),
    Case(
        "STO103",
        "admin console region typo for Cloud Storage",
        kots_gcs(region="europe-wset2"),
        "spec.values.store_region.value",
        8,
        kots_gcs(),
        ("'europe-west2'",),
    ),
    Case(
        "STO104",
        "another region's host, named in the message",
        s3(endpoint="s3.eu-west-1.amazonaws.com"),
        "objectStorage.s3.endpoint",
        7,
        s3(endpoint="s3.amazonaws.com"),
        (
            "'eu-west-1'",
            "signs and sends every request",
            f"write '{botocore_s3_host('eu-west-2')}'",
        ),
    ),
    Case(
        "STO104",
        "wrong partition suffix",
        s3(region="cn-north-1", endpoint="s3.cn-north-1.amazonaws.com"),
        "objectStorage.s3.endpoint",
        7,
        s3(region="cn-north-1"),
        (f"write '{botocore_s3_host('cn-north-1')}'",),
    ),
    Case(
        "STO104",
        "another region's endpoint",
        s3(endpoint=botocore_s3_host("eu-west-1")),
        "objectStorage.s3.endpoint",
        7,
        s3(),
        (f"write '{botocore_s3_host('eu-west-2')}'",),
    ),
    Case(
        "STO104",
        "endpoint with a scheme",
        s3(endpoint="https://" + botocore_s3_host("eu-west-2")),
        "objectStorage.s3.endpoint",
        7,
        s3(),
        ("scheme", f"write '{botocore_s3_host('eu-west-2')}'"),
    ),
    Case(
        "STO104",
        "admin console endpoint of another region",
        kots_s3(region="ap-southeast-2", endpoint=botocore_s3_host("ap-southeast-1")),
        "spec.values.store_s3_endpoint.value",
        10,
        kots_s3(region="ap-southeast-2", endpoint="s3.amazonaws.com"),
        ("store_region", f"write '{botocore_s3_host('ap-southeast-2')}'"),
    ),
    Case(
        "STO114",
        "global endpoint, a region minio-go v7.0.26 has no host for",
        s3(region="eu-central-2", endpoint="s3.amazonaws.com"),
        "objectStorage.s3.endpoint",
        7,
        s3(region="eu-central-1", endpoint="s3.amazonaws.com"),
        ("'eu-central-2'", "s3.dualstack.us-east-1.amazonaws.com", "expect"),
    ),
    Case(
        "STO114",
        "regional endpoint of a region minio-go v7.0.26 has no host for",
        kots_s3(region="ap-southeast-3"),
        "spec.values.store_s3_endpoint.value",
        10,
        kots_s3(region="ap-southeast-1"),
        ("'ap-southeast-3'", "s3.dualstack.us-east-1.amazonaws.com", "expect"),
    ),
    Case(
        "STO114",
        "FIPS endpoint: the client reads no region from it",
        s3(region="us-east-1", endpoint="s3-fips.us-east-1.amazonaws.com"),
        "objectStorage.s3.endpoint",
        7,
        s3(region="us-east-1", endpoint="s3.us-east-1.amazonaws.com"),
        ("'fips.us-east-1'", "expect"),
    ),
    Case(
        "STO105",
        "bucket with capitals and an underscore",
        s3(bucket="Gitpod_Workspaces"),
        "objectStorage.s3.bucket",
        8,
        s3(bucket="gitpod-workspaces"),
        ("'gitpod-workspaces'",),
    ),
    Case(
        "STO105",
        "admin console bucket too short",
        kots_s3(bucket="ws"),
        "spec.values.store_s3_bucket.value",
        12,
        kots_s3(bucket="gitpod-ws"),
    ),
    Case(
        "STO106",
        "project name instead of ID",
        gcs(project="My-Project"),
        "objectStorage.cloudStorage.project",
        7,
        gcs(project="my-project"),
        ("lowercase",),
    ),
    Case(
        "STO106",
        "admin console project number",
        kots_gcs(project="123456789012"),
        "spec.values.store_gcp_project.value",
        10,
        kots_gcs(),
    ),
    Case(
        "STO107",
        "s3 without a bucket",
        s3().replace("    bucket: gitpod-workspaces\n", ""),
        "objectStorage.s3.bucket",
        6,
        s3(),
        ("'gitpod-user-<user ID>'", "every user", "metadata.region"),
    ),
    Case(
        "STO107",
        "admin console without a bucket",
        kots_s3().replace("    store_s3_bucket:\n      value: gitpod-ws\n", ""),
        "spec.values.store_s3_bucket.value",
        4,
        kots_s3(),
    ),
    Case(
        "STO108",
        "Azure in the installer config",
        installer(
            "objectStorage:\n  inCluster: false\n  azure:\n"
            "    credentials: {kind: secret, name: storage-azure}\n"
        ),
        "objectStorage.azure",
        4,
        s3(),
        ("MinIO Azure gateway", "'accountName' and 'accountKey'"),
    ),
    Case(
        "STO108",
        "Azure in the admin console",
        kots(KOTS_AZURE),
        "spec.values.store_provider.value",
        6,
        kots_gcs(),
        ("MinIO Azure gateway", "checks none"),
    ),
    Case(
        "STO109",
        "s3 with inCluster true: its secret is still mounted",
        s3().replace("inCluster: false", "inCluster: true"),
        "objectStorage.s3",
        6,
        s3(),
        ("MinIO in the cluster", "'storage-s3' is still mounted", "must exist"),
    ),
    Case(
        "STO109",
        "s3 next to azure: the gateway is used, the S3 secret still mounted",
        s3() + "  azure:\n    credentials: {kind: secret, name: storage-azure}\n",
        "objectStorage.s3",
        6,
        installer(
            "objectStorage:\n  inCluster: false\n  azure:\n"
            "    credentials: {kind: secret, name: storage-azure}\n"
        ),
        ("MinIO Azure gateway", "'storage-s3' is still mounted"),
    ),
    Case(
        "STO109",
        "cloudStorage next to s3, one secret for both",
        s3() + "  cloudStorage:\n    project: my-gcp-project\n"
        "    serviceAccount: {kind: secret, name: storage-s3}\n",
        "objectStorage.cloudStorage",
        12,
        s3(),
        ("uses s3", "'storage-s3' is still mounted"),
    ),
    Case(
        "STO116",
        "cloudStorage next to s3: S3 gets the Cloud Storage secret",
        s3() + "  cloudStorage:\n    project: my-gcp-project\n"
        "    serviceAccount: {kind: secret, name: storage-gcp}\n",
        "objectStorage.s3",
        6,
        s3(),
        ("'storage-gcp'", "'accessKeyId'", "S3 storage fails"),
    ),
    Case(
        "STO110",
        "gcs instead of gcp",
        kots("    store_provider:\n      value: gcs\n"),
        "spec.values.store_provider.value",
        6,
        kots("    store_provider:\n      value: incluster\n"),
        ("'gcp'",),
    ),
    Case(
        "STO111",
        "typo in a storage item",
        kots_s3().replace("store_s3_endpoint:", "store_s3_endpiont:"),
        "spec.values.store_s3_endpiont",
        9,
        kots_s3(),
        ("store_s3_endpoint",),
    ),
    # --- database -------------------------------------------------------------------------------
    Case(
        "DB101",
        "external without inCluster",
        EXTERNAL.replace("  inCluster: false\n", ""),
        "database.inCluster",
        2,
        EXTERNAL,
        ("MySQL runs in the cluster", "validate cluster still checks its secret 'database'"),
    ),
    Case(
        "DB102",
        "inCluster false and nothing else",
        installer("database:\n  inCluster: false\n"),
        "database.external",
        2,
        EXTERNAL,
        ("invalid database configuration",),
    ),
    Case(
        "DB102",
        "external without its secret",
        installer("database:\n  inCluster: false\n  external: {}\n"),
        "database.external.certificate",
        4,
        EXTERNAL,
    ),
    Case(
        "DB102",
        "cloudSQL without the service account",
        cloudsql().replace("    serviceAccount:\n      kind: secret\n      name: cloudsql\n", ""),
        "database.cloudSQL.serviceAccount",
        4,
        cloudsql(),
    ),
    Case(
        "DB102",
        "cloudSQL with an empty instance",
        cloudsql(instance='""'),
        "database.cloudSQL.instance",
        5,
        cloudsql(),
    ),
    Case(
        "DB102",
        "admin console external without a host",
        kots('    db_incluster:\n      value: "0"\n' + KOTS_DB_PASSWORD),
        "spec.values.db_host.value",
        4,
        kots_external(),
        ('"Host"',),
    ),
    Case(
        "DB102",
        "admin console Cloud SQL without the connection name",
        kots(
            '    db_incluster:\n      value: "0"\n    db_cloudsql_enabled:\n      value: "1"\n'
            + KOTS_DB_PASSWORD
            + KOTS_DB_GCP_KEY
        ),
        "spec.values.db_cloudsql_instance.value",
        4,
        kots_cloudsql(),
    ),
    Case(
        "DB103",
        "the instance ID alone",
        cloudsql(instance="gitpod-mysql"),
        "database.cloudSQL.instance",
        5,
        cloudsql(),
        ("<project>:<region>:<instance>",),
    ),
    Case(
        "DB103",
        "a zone instead of the region",
        cloudsql(instance="my-gcp-project:europe-west2-a:gitpod-mysql"),
        "database.cloudSQL.instance",
        5,
        cloudsql(),
        ("zone", "'europe-west2'"),
    ),
    Case(
        "DB103",
        "an invalid project ID",
        cloudsql(instance="My Project:europe-west2:gitpod-mysql"),
        "database.cloudSQL.instance",
        5,
        cloudsql(),
        ("project",),
    ),
    Case(
        "DB103",
        "admin console region typo",
        kots_cloudsql(instance="my-gcp-project:europe-wset2:gitpod-mysql"),
        "spec.values.db_cloudsql_instance.value",
        10,
        kots_cloudsql(),
        ("region",),
    ),
    Case(
        "DB104",
        "host with the port",
        kots_external(host="mysql.example.com:3306"),
        "spec.values.db_host.value",
        8,
        kots_external(),
        ("port",),
    ),
    Case(
        "DB104",
        "host with a scheme",
        kots_external(host="mysql://mysql.example.com"),
        "spec.values.db_host.value",
        8,
        kots_external(host="10.0.0.12"),
        ("scheme",),
    ),
    Case(
        "DB104",
        "port out of range",
        kots_external(port="70000"),
        "spec.values.db_port.value",
        10,
        kots_external(port="3307"),
        ("1-65535",),
    ),
    Case(
        "DB104",
        "user name longer than MySQL 5.7 takes",
        kots_external(user="g" * 33),
        "spec.values.db_username.value",
        12,
        kots_external(user="g" * 32),
        ("32",),
    ),
    Case(
        "DB105",
        "external with inCluster true: its secret is still validated",
        EXTERNAL.replace("inCluster: false", "inCluster: true"),
        "database.external",
        4,
        EXTERNAL,
        ("MySQL in the cluster", "validate cluster still checks its secret 'database'"),
    ),
    Case(
        "DB105",
        "cloudSQL next to external: connections go to external, the proxy is still deployed",
        EXTERNAL + DB_CLOUDSQL.format(instance=CONNECTION).partition("inCluster: false\n")[2],
        "database.cloudSQL",
        8,
        EXTERNAL,
        (
            "Gitpod connects with it",
            "'cloudsqlproxy-cloud-sql-proxy'",
            "needs its secret 'cloudsql'",
        ),
    ),
    Case(
        "DB108",
        "Secret name with an underscore",
        EXTERNAL.replace("name: database", "name: my_database"),
        "database.external.certificate.name",
        7,
        EXTERNAL,
        ("'my-database'",),
    ),
    Case(
        "STO112",
        "Secret name with capitals",
        s3().replace("name: storage-s3", "name: Storage-S3"),
        "objectStorage.s3.credentials.name",
        11,
        s3(),
        ("lowercase",),
    ),
    Case(
        "STO113",
        "S3-compatible endpoint port above 65535",
        s3(region="garage-1", endpoint="minio.example.com:99999"),
        "objectStorage.s3.endpoint",
        7,
        s3(region="garage-1", endpoint="minio.example.com:9000"),
        ("1-65535",),
    ),
    Case(
        "DB109",
        "db_incluster written as false",
        kots_external().replace(
            'db_incluster:\n      value: "0"', 'db_incluster:\n      value: "false"'
        ),
        "spec.values.db_incluster.value",
        6,
        kots_external(),
        ("'database'", "'0'"),
    ),
    Case(
        "DB109",
        "Cloud SQL written as true",
        kots_cloudsql().replace(
            'db_cloudsql_enabled:\n      value: "1"', 'db_cloudsql_enabled:\n      value: "true"'
        ),
        "spec.values.db_cloudsql_enabled.value",
        8,
        kots_cloudsql(),
        ("'cloudsql'", "Cloud SQL"),
    ),
    Case(
        "DB110",
        "db_incluster written as yes",
        kots('    db_incluster:\n      value: "yes"\n'),
        "spec.values.db_incluster.value",
        6,
        kots('    db_incluster:\n      value: "1"\n'),
        ("in the cluster", "'1'"),
    ),
    Case(
        "DB107",
        "typo in a database item",
        kots_external().replace("db_host:", "db_hostname:"),
        "spec.values.db_hostname",
        7,
        kots_external(),
        ("db_host",),
    ),
]
