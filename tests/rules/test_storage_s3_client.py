"""Object storage on Amazon S3 as Gitpod 2022.11's S3 client routes it.

content-service (go.mod line 14, the same at the four 2022.11 tags) uses minio-go v7.0.26 and
creates its client with no region (pkg/storage/minio.go lines 78-81). The expected values here are
transcribed from minio-go v7.0.26 (commit db249504802dd5af09ad9b5fdf974d5b5816a21a) by hand, not
taken from the rules: ``s3-endpoints.go`` lines 21-56 (the region -> host map and its fallback) and
``pkg/s3utils/utils.go`` lines 86-150 (the region it reads from an endpoint host).
"""

from __future__ import annotations

import pytest

from gitpod_resources import aws, storage
from gitpod_resources.errors import RuleError

#: minio-go v7.0.26 s3-endpoints.go lines 21-47: awsS3EndpointMap.
MINIO_V7_0_26_HOSTS = {
    "us-east-1": "s3.dualstack.us-east-1.amazonaws.com",
    "us-east-2": "s3.dualstack.us-east-2.amazonaws.com",
    "us-west-2": "s3.dualstack.us-west-2.amazonaws.com",
    "us-west-1": "s3.dualstack.us-west-1.amazonaws.com",
    "ca-central-1": "s3.dualstack.ca-central-1.amazonaws.com",
    "eu-west-1": "s3.dualstack.eu-west-1.amazonaws.com",
    "eu-west-2": "s3.dualstack.eu-west-2.amazonaws.com",
    "eu-west-3": "s3.dualstack.eu-west-3.amazonaws.com",
    "eu-central-1": "s3.dualstack.eu-central-1.amazonaws.com",
    "eu-north-1": "s3.dualstack.eu-north-1.amazonaws.com",
    "eu-south-1": "s3.dualstack.eu-south-1.amazonaws.com",
    "ap-east-1": "s3.dualstack.ap-east-1.amazonaws.com",
    "ap-south-1": "s3.dualstack.ap-south-1.amazonaws.com",
    "ap-southeast-1": "s3.dualstack.ap-southeast-1.amazonaws.com",
    "ap-southeast-2": "s3.dualstack.ap-southeast-2.amazonaws.com",
    "ap-northeast-1": "s3.dualstack.ap-northeast-1.amazonaws.com",
    "ap-northeast-2": "s3.dualstack.ap-northeast-2.amazonaws.com",
    "ap-northeast-3": "s3.dualstack.ap-northeast-3.amazonaws.com",
    "af-south-1": "s3.dualstack.af-south-1.amazonaws.com",
    "me-south-1": "s3.dualstack.me-south-1.amazonaws.com",
    "sa-east-1": "s3.dualstack.sa-east-1.amazonaws.com",
    "us-gov-west-1": "s3.dualstack.us-gov-west-1.amazonaws.com",
    "us-gov-east-1": "s3.dualstack.us-gov-east-1.amazonaws.com",
    "cn-north-1": "s3.dualstack.cn-north-1.amazonaws.com.cn",
    "cn-northwest-1": "s3.dualstack.cn-northwest-1.amazonaws.com.cn",
}
#: s3-endpoints.go lines 52-55: any other region.
MINIO_V7_0_26_FALLBACK = "s3.dualstack.us-east-1.amazonaws.com"

#: GetRegionFromURL (utils.go lines 110-150), worked through by hand for each host.
REGION_READ_FROM_HOST = [
    ("s3.amazonaws.com", ""),  # no pattern matches: the bucket's location is looked up
    ("s3-external-1.amazonaws.com", ""),  # line 115
    ("s3.eu-west-2.amazonaws.com", "eu-west-2"),  # amazonS3HostDot, line 141
    ("s3.dualstack.eu-west-2.amazonaws.com", "eu-west-2"),  # amazonS3HostDualStack, line 125
    ("s3-eu-west-1.amazonaws.com", "eu-west-1"),  # amazonS3HostHyphen, line 129
    ("s3.cn-north-1.amazonaws.com.cn", "cn-north-1"),  # amazonS3ChinaHost, line 133
    ("s3-us-gov-west-1.amazonaws.com", "us-gov-west-1"),  # GovCloud, line 118
    ("s3-fips.us-gov-west-1.amazonaws.com", "us-gov-west-1"),  # FIPS GovCloud, line 118
    ("s3-fips.us-east-1.amazonaws.com", "fips.us-east-1"),  # the hyphen pattern, line 129
    ("s3-fips.dualstack.us-east-2.amazonaws.com", "fips.dualstack.us-east-2"),
    ("minio.example.com", ""),
]


def test_the_client_map_is_minio_go_v7_0_26s() -> None:
    assert storage.MINIO_S3_HOSTS == MINIO_V7_0_26_HOSTS
    assert storage.MINIO_FALLBACK_HOST == MINIO_V7_0_26_FALLBACK


@pytest.mark.parametrize("region", aws.region_codes())
def test_requests_for_a_region_go_to_the_host_minio_go_picks(region: str) -> None:
    expected = MINIO_V7_0_26_HOSTS.get(region, MINIO_V7_0_26_FALLBACK)
    assert storage.minio_request_host(region) == expected
    assert storage.minio_lacks_region(region) is (region not in MINIO_V7_0_26_HOSTS)


@pytest.mark.parametrize(("host", "region"), REGION_READ_FROM_HOST)
def test_the_region_the_client_reads_from_the_endpoint(host: str, region: str) -> None:
    assert storage.minio_region(host) == region


#: Regions of the map outside AWS's standard partition, whose hosts s3.amazonaws.com is not.
OTHER_PARTITIONS = {"us-gov-west-1", "us-gov-east-1", "cn-north-1", "cn-northwest-1"}


@pytest.mark.parametrize("region", sorted(set(MINIO_V7_0_26_HOSTS) - OTHER_PARTITIONS))
def test_the_global_endpoint_is_accepted_for_every_region_the_client_knows(region: str) -> None:
    """With s3.amazonaws.com the client reads no region, looks up the bucket's location and
    sends every request to that region's host: it is no error for any region."""
    assert storage.validate_s3_endpoint("s3.amazonaws.com", region) == "s3.amazonaws.com"
    setup = storage.s3(region, "gitpod-workspaces", "s3.amazonaws.com")
    assert setup.s3 is not None and setup.s3.endpoint == "s3.amazonaws.com"


@pytest.mark.parametrize("region", sorted(OTHER_PARTITIONS))
def test_the_global_endpoint_is_refused_for_another_partition(region: str) -> None:
    """The location lookup goes to s3.amazonaws.com itself, a host of the standard partition."""
    with pytest.raises(RuleError) as err:
        storage.validate_s3_endpoint("s3.amazonaws.com", region)
    assert "partition" in str(err.value), str(err.value)


def test_a_regional_endpoint_of_another_region_says_where_requests_go() -> None:
    with pytest.raises(RuleError) as err:
        storage.validate_s3_endpoint("s3.eu-west-1.amazonaws.com", "eu-west-2")
    message = str(err.value)
    assert message.startswith("objectStorage.s3.endpoint: ")
    assert "'eu-west-1'" in message and "signs and sends every request" in message
    assert "'s3.eu-west-2.amazonaws.com'" in message and "'s3.amazonaws.com'" in message
    assert "serves only" not in message and "\n" not in message
