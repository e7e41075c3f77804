"""Object storage and database checks beyond their cases (tests/checker/cases/storage_database.py,
run by test_cases.py): what must stay quiet.

Expected S3 endpoints come from botocore's S3 ruleset (tests/oracles.py), not from the rules.
"""

from __future__ import annotations

import pytest

from tests.checker.cases.storage_database import DB_CLOUDSQL, EXTERNAL, cloudsql, kots_s3, s3
from tests.checker.helpers import codes, kots
from tests.oracles import botocore_s3_host


def test_us_east_1_keeps_the_default_endpoint() -> None:
    assert botocore_s3_host("us-east-1") == "s3.amazonaws.com"
    assert codes(s3(region="us-east-1", endpoint="s3.amazonaws.com")) == set()
    assert codes(kots_s3(region="us-east-1", endpoint="s3.amazonaws.com")) == set()


@pytest.mark.parametrize("region", ["eu-west-2", "ap-southeast-2", "sa-east-1", "us-east-2"])
def test_the_pre_filled_global_endpoint_is_no_finding_for_object_storage(region: str) -> None:
    """Gitpod 2022.11's S3 client (minio-go v7.0.26, no region) looks a bucket's location up
    through s3.amazonaws.com and follows it (bucket-cache.go lines 85-117, api.go lines 846-867
    at v7.0.26): the admin console's pre-fill works for object storage in any region it maps."""
    assert codes(s3(region=region, endpoint="s3.amazonaws.com")) == set()
    assert codes(kots_s3(region=region, endpoint="s3.amazonaws.com")) == set()


def test_s3_compatible_storage_is_not_held_to_aws_regions() -> None:
    """2022.11's storage client connected to the endpoint given: a MinIO or other S3-compatible
    store names its own regions."""
    assert codes(s3(region="garage-1", endpoint="minio.example.com")) == set()


def test_fips_and_dual_stack_endpoints_are_no_error() -> None:
    """Both are hosts of the region; the dual-stack one is the host minio-go sends to anyway,
    the FIPS one gets a warning (the client reads 'fips.us-west-2' from it and signs for that)."""
    dual = botocore_s3_host("us-west-2", dualstack=True)
    assert codes(s3(region="us-west-2", endpoint=dual)) == set(), dual
    fips = botocore_s3_host("us-west-2", fips=True)
    assert codes(s3(region="us-west-2", endpoint=fips)) == {"STO114"}, fips


def test_settings_the_installer_ignores_are_not_checked_further() -> None:
    """Under inCluster: true the s3 block is reported as ignored, not judged value by value."""
    config = s3(region="eu-wset-2", bucket="Bad_Bucket").replace("false", "true")
    assert codes(config) == {"STO109"}
    assert codes(cloudsql("gitpod-mysql").replace("false", "true")) == {"DB105"}


def test_admin_console_in_cluster_defaults_need_nothing() -> None:
    """No store_provider means in-cluster, no db_incluster means in-cluster MySQL."""
    assert codes(kots("    store_region:\n      value: anything\n")) == set()
    assert codes(kots('    db_cloudsql_enabled:\n      value: "1"\n')) == set()


def test_a_used_external_database_wins_over_cloudsql_values() -> None:
    """With external named, the Cloud SQL instance is not the one in use: only ignored."""
    config = EXTERNAL + DB_CLOUDSQL.format(instance="gitpod-mysql").partition("false\n")[2]
    assert codes(config) == {"DB105"}
