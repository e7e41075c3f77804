"""Every rule refuses bad input with one line that starts with the field's name and says what
is wrong: the region and bucket rules (AWS), the project, repository and location rules (Google
Cloud), and each component's rules (registry, object storage, database) as a reader calls them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pytest

from gitpod_resources import aws, database, gcp, registry, storage
from gitpod_resources.errors import RuleError

Refusal = tuple[Callable[[], object], str, str]


def refusals(
    rule: Callable[[object], object], field: str, cases: list[tuple[object, str]]
) -> list[Refusal]:
    """(rule called on the value, field, fragment) for each (value, fragment) of ``cases``."""
    return [(partial(rule, value), field, fragment) for value, fragment in cases]


#: (a call, the field its error names, a fragment of the message)
BAD: list[Refusal] = [
    *refusals(
        aws.s3_endpoint,
        "region",
        [
            ("", "expected an AWS region code"),
            ("EU-WEST-1", "lowercase: 'eu-west-1'"),
            ("Eu-West-1", "lowercase: 'eu-west-1'"),
            (" eu-west-1", "whitespace"),
            ("eu-west-1\n", "whitespace"),
            ("https://eu-west-1", "not a URL"),
            ("s3.eu-west-1.amazonaws.com/", "not a URL"),
            ("eu-west-1.", "trailing dot"),
            ("eu-wset-1", "closest known: eu-west-1"),
            ("us-foo-1", "unknown region"),
            ("mars", "expected an AWS region code"),
            (None, "expected an AWS region code"),
            (42, "expected an AWS region code"),
        ],
    ),
    *refusals(
        aws.validate_bucket_name,
        "bucket",
        [
            ("ab", "2 characters"),
            ("a" * 64, "64 characters"),
            ("my_bucket", "'_'"),
            ("MyBucket", "'B'"),
            ("-bucket", "bad first or last"),
            ("bucket-", "bad first or last"),
            ("my..bucket", "adjacent periods"),
            ("192.168.5.4", "IPv4"),
            ("xn--bucket", "'xn--'"),
            ("sthree-bucket", "'sthree-'"),
            ("amzn-s3-demo-bucket", "'amzn-s3-demo-'"),
            ("bucket-s3alias", "'-s3alias'"),
            ("bucket--ol-s3", "'--ol-s3'"),
            ("bucket.mrap", "'.mrap'"),
            ("", "3-63 characters"),
        ],
    ),
    *refusals(
        gcp.validate_project_id,
        "project",
        [
            ("abcde", "5 characters"),
            ("a" * 31, "31 characters"),
            ("My-Project", "lowercase: 'my-project'"),
            ("1project", "starting with a letter"),
            ("my-project-", "not ending with a hyphen"),
            ("my_project", "GCP project ID"),
            ("", "GCP project ID"),
            ("example.com:proj", "GCP project ID"),
        ],
    ),
    *refusals(
        gcp.validate_repository,
        "repository",
        [
            ("Gitpod", ""),
            ("1repo", ""),
            ("repo-", ""),
            ("re_po", ""),
            ("", ""),
            ("gcr.io", ""),
        ],
    ),
    *refusals(
        gcp.ar_docker_host,
        "location",
        [
            ("europe-wset2", "closest known: europe-west2"),
            ("europe-west2-docker.pkg.dev", "not the host"),
            ("", "Artifact Registry location"),
            ("mars1", "unknown location"),
        ],
    ),
    # --- the container registry ---
    (lambda: registry.gcr("gcr.io", "My-Project"), "project", "lowercase"),
    (lambda: registry.gcr("gcr.io/my-project", "my-gcp-project"), "host", "gcr.io"),
    (lambda: registry.gcr("docker.pkg.dev", "my-gcp-project"), "host", "one of"),
    (lambda: registry.gar("europe-west99", "my-gcp-project"), "location", "closest"),
    (lambda: registry.gar("us", "my-gcp-project", "Gitpod"), "repository", "lowercase"),
    (lambda: registry.in_cluster_s3("my_bucket", "eu-west-1"), "bucket", "'_'"),
    (lambda: registry.in_cluster_s3("my-bucket", "eu-west-9"), "region", "closest"),
    (lambda: registry.generic("https://harbor.example.com"), "host", "scheme"),
    (lambda: registry.generic("harbor.example.com/x"), "host", "no path"),
    (lambda: registry.generic("Harbor.Example.com"), "host", "registry host"),
    (lambda: registry.generic("harbor"), "host", "Docker Hub repository"),
    (
        lambda: registry.generic("123456789012.dkr.ecr.eu-west-1.amazonaws.com"),
        "host",
        "ECR is not supported",
    ),
    (lambda: registry.registry_server("harbor.example.com/gitpod/"), "url", "trailing slash"),
    (lambda: registry.provider("quay"), "option", "one of"),
    # --- object storage ---
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
    # --- the database ---
    # Cloud SQL connection name: form, then each part
    (
        lambda: database.validate_cloudsql_instance("gitpod-mysql"),
        "database.cloudSQL.instance",
        "ID alone",
    ),
    (
        lambda: database.validate_cloudsql_instance("proj-x:gitpod"),
        "database.cloudSQL.instance",
        "2 parts",
    ),
    (
        lambda: database.validate_cloudsql_instance("my-project:us-east1:db:extra"),
        "database.cloudSQL.instance",
        "4 parts",
    ),
    (lambda: database.validate_cloudsql_instance(""), "database.cloudSQL.instance", "<project>"),
    (lambda: database.validate_cloudsql_instance(None), "database.cloudSQL.instance", "<project>"),
    (
        lambda: database.validate_cloudsql_instance(" proj-x:us-east1:db"),
        "database.cloudSQL.instance",
        "whitespace",
    ),
    (
        lambda: database.cloud_sql("My-Project", "europe-west2", "db"),
        "database.cloudSQL.instance",
        "project 'My-Project'",
    ),
    (
        lambda: database.cloud_sql("proj", "europe-west2", "db"),
        "database.cloudSQL.instance",
        "4 characters",
    ),
    (
        lambda: database.cloud_sql("my-gcp-project", "europe-west2-b", "db"),
        "database.cloudSQL.instance",
        "zone",
    ),
    (
        lambda: database.cloud_sql("my-gcp-project", "eu-west-2", "db"),
        "database.cloudSQL.instance",
        "region 'eu-west-2'",
    ),
    (
        lambda: database.cloud_sql("my-gcp-project", "europe", "db"),
        "database.cloudSQL.instance",
        "multi-region",
    ),
    (
        lambda: database.cloud_sql("my-gcp-project", "europe-west2", "1db"),
        "database.cloudSQL.instance",
        "instance '1db'",
    ),
    (
        lambda: database.cloud_sql("my-gcp-project", "europe-west2", "Gitpod-DB"),
        "database.cloudSQL.instance",
        "lowercase",
    ),
    (
        lambda: database.cloud_sql("my-gcp-project", "europe-west2", "db_1"),
        "database.cloudSQL.instance",
        "instance 'db_1'",
    ),
    (
        lambda: database.cloud_sql("my-gcp-project", "europe-west2", "d" * 99),
        "database.cloudSQL.instance",
        "99 characters",
    ),
    # host, port, username
    (lambda: database.external("mysql://db.example.com"), "host", "scheme"),
    (lambda: database.external("db.example.com:3306"), "host", "'port' key"),
    (lambda: database.external("db.example.com/gitpod"), "host", "no path"),
    (lambda: database.external("DB.Example.com"), "host", "lowercase"),
    (lambda: database.external("db_1.example.com"), "host", "host name or IP"),
    (lambda: database.external(""), "host", "host name or IP"),
    (lambda: database.external("db.example.com", "0"), "port", "1-65535"),
    (lambda: database.external("db.example.com", "65536"), "port", "1-65535"),
    (lambda: database.external("db.example.com", "mysql"), "port", "1-65535"),
    (lambda: database.external("db.example.com", username=""), "username", "1-32"),
    (lambda: database.external("db.example.com", username="a" * 33), "username", "1-32"),
    (lambda: database.external("db.example.com", username="git pod"), "username", "whitespace"),
    (lambda: database.external("db.example.com", ca_cert="true"), "ca_cert", "'yes' or 'no'"),
    (lambda: database.build("postgres", {}), "database", "one of"),
]


@pytest.mark.parametrize(("call", "field", "fragment"), BAD, ids=[f"{f}: {w}" for _, f, w in BAD])
def test_bad_input_is_one_line_naming_the_field(
    call: Callable[[], object], field: str, fragment: str
) -> None:
    with pytest.raises(RuleError) as err:
        call()
    assert err.value.field == field
    assert str(err.value).startswith(f"{field}: ")
    assert fragment in str(err.value), str(err.value)
    assert "\n" not in str(err.value)
