"""AWS rules: endpoints per region, region validation, bucket names, ECR hosts."""

from __future__ import annotations

import pytest

from gitpod_resources import aws
from gitpod_resources.errors import RuleError
from tests.oracles import botocore_s3_host


@pytest.mark.parametrize(
    ("region", "endpoint"),
    [
        ("us-east-1", "s3.amazonaws.com"),
        ("eu-west-2", "s3.eu-west-2.amazonaws.com"),
        ("us-gov-west-1", "s3.us-gov-west-1.amazonaws.com"),
        ("cn-north-1", "s3.cn-north-1.amazonaws.com.cn"),
        ("us-iso-east-1", "s3.us-iso-east-1.c2s.ic.gov"),
        ("us-isob-east-1", "s3.us-isob-east-1.sc2s.sgov.gov"),
        ("eu-isoe-west-1", "s3.eu-isoe-west-1.cloud.adc-e.uk"),
        ("us-isof-south-1", "s3.us-isof-south-1.csp.hci.ic.gov"),
        ("eusc-de-east-1", "s3.eusc-de-east-1.amazonaws.eu"),
    ],
)
def test_s3_endpoint_examples(region: str, endpoint: str) -> None:
    """One region per partition, values from AWS's documentation and botocore 1.44.8."""
    assert aws.s3_endpoint(region) == endpoint


def test_us_east_1_has_a_regional_form_too() -> None:
    assert aws.s3_regional_endpoint("us-east-1") == "s3.us-east-1.amazonaws.com"


def test_every_known_region_resolves_like_botocore() -> None:
    """The oracle: botocore's S3 endpoint ruleset, for every region the rules know."""
    codes = aws.region_codes()
    assert len(codes) >= 48
    for code in codes:
        assert aws.s3_endpoint(code) == botocore_s3_host(code), code


@pytest.mark.parametrize(
    "name",
    ["gitpod-registry", "abc", "a" * 63, "my.bucket.name", "bucket-1-eu-west-2", "0ab"],
)
def test_valid_bucket_names(name: str) -> None:
    assert aws.validate_bucket_name(name) == name


def test_ecr_hosts() -> None:
    assert aws.ecr_registry_host("123456789012", "eu-west-1") == (
        "123456789012.dkr.ecr.eu-west-1.amazonaws.com"
    )
    assert aws.ecr_registry_host("123456789012", "cn-north-1").endswith(".amazonaws.com.cn")
    assert aws.is_ecr_host("123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn")
    assert aws.is_ecr_host("public.ecr.aws")
    assert not aws.is_ecr_host("harbor.example.com")
    with pytest.raises(RuleError, match="account"):
        aws.ecr_registry_host("12345", "eu-west-1")
