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
    ("value", "fragment"),
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
)
def test_bad_regions_get_one_clear_line(value: object, fragment: str) -> None:
    with pytest.raises(RuleError) as err:
        aws.s3_endpoint(value)  # type: ignore[arg-type]
    message = str(err.value)
    assert message.startswith("region: ")
    assert fragment in message
    assert "\n" not in message


@pytest.mark.parametrize(
    "name",
    ["gitpod-registry", "abc", "a" * 63, "my.bucket.name", "bucket-1-eu-west-2", "0ab"],
)
def test_valid_bucket_names(name: str) -> None:
    assert aws.validate_bucket_name(name) == name


@pytest.mark.parametrize(
    ("name", "fragment"),
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
)
def test_bad_bucket_names(name: str, fragment: str) -> None:
    with pytest.raises(RuleError) as err:
        aws.validate_bucket_name(name)
    assert str(err.value).startswith("bucket: ")
    assert fragment in str(err.value)


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
