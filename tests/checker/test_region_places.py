"""Region suggestions stay within the provider and the place (issue #16).

A region code of the other provider gets the region of the provider needed in the same place,
or no suggestion when that provider has none there; a typo of the right provider's code still
gets the close code. Never a far-away closest string.

Expected pairs come from the providers' own names, not from the rules: the AWS side from
botocore's endpoints.json ``description`` (tests/oracles.py), the Google side from Google's
region list (docs.cloud.google.com/network-connectivity/docs/router/pricing, e.g. "London
(europe-west2)", "Northern Virginia (us-east4)", "Oregon (us-west1)", "Columbus (us-east5)",
"Zurich (europe-west6)", "Belgium (europe-west1)"; Compute Engine's regions page for the state
of us-east5: "Columbus, Ohio").
"""

from __future__ import annotations

import re

import pytest

from gitpod_resources import aws, database, gcp
from gitpod_resources.errors import RuleError
from tests.checker.helpers import findings
from tests.oracles import aws_description

#: (AWS region, the Google Cloud region in the same place, the place both name).
SAME_PLACE = [
    ("eu-west-2", "europe-west2", "London"),
    ("eu-central-1", "europe-west3", "Frankfurt"),
    ("eu-central-2", "europe-west6", "Zurich"),
    ("eu-west-3", "europe-west9", "Paris"),
    ("eu-south-1", "europe-west8", "Milan"),
    ("eu-north-1", "europe-north2", "Stockholm"),
    ("ap-northeast-1", "asia-northeast1", "Tokyo"),
    ("ap-northeast-3", "asia-northeast2", "Osaka"),
    ("ap-south-1", "asia-south1", "Mumbai"),
    ("ap-southeast-2", "australia-southeast1", "Sydney"),
    ("ap-southeast-3", "asia-southeast2", "Jakarta"),
    ("il-central-1", "me-west1", "Tel Aviv"),
    ("sa-east-1", "southamerica-east1", "Sao Paulo"),
    ("us-east-1", "us-east4", "Virginia"),
    ("us-east-2", "us-east5", "Ohio"),
    ("us-west-2", "us-west1", "Oregon"),
]
#: AWS regions with no Google Cloud region in the same place, and the other way round.
AWS_ONLY = ["eu-west-1", "us-west-1", "af-south-1", "ca-west-1", "ap-south-2", "me-south-1"]
GOOGLE_ONLY = ["europe-west1", "europe-west4", "europe-north1", "us-central1", "us-west2"]


def test_the_pairs_name_the_same_place() -> None:
    for aws_code, _, place in SAME_PLACE:
        assert place in aws_description(aws_code), aws_code


def storage_s3(region: str) -> str:
    return (
        "apiVersion: v1\n"
        f"metadata:\n  region: {region}\n"
        "objectStorage:\n  inCluster: false\n  s3:\n"
        "    endpoint: s3.eu-west-2.amazonaws.com\n"
        "    credentials:\n      kind: secret\n      name: storage-s3\n"
    )


def storage_gcs(region: str) -> str:
    return (
        "apiVersion: v1\n"
        f"metadata:\n  region: {region}\n"
        "objectStorage:\n  inCluster: false\n  cloudStorage:\n    project: my-gcp-project\n"
        "    serviceAccount:\n      kind: secret\n      name: storage-gcp\n"
    )


def registry_s3(region: str) -> str:
    return (
        "apiVersion: v1\ncontainerRegistry:\n  inCluster: true\n  s3storage:\n"
        f"    bucket: gitpod-registry\n    region: {region}\n"
        "    endpoint: s3.eu-west-2.amazonaws.com\n"
        "    certificate:\n      kind: secret\n      name: container-registry-s3-backend\n"
    )


def only(text: str, code: str) -> tuple[str, str]:
    """(message, fix) of the one ``code`` finding; the message without the allowed form,
    whose example code ('eu-west-2', 'europe-west2') is no suggestion."""
    hits = [f for f in findings(text) if f.code == code]
    assert len(hits) == 1, [(f.code, f.message) for f in findings(text)]
    message = hits[0].message
    for form in (aws.REGION_FORM, gcp.REGION_FORM, gcp.LOCATION_FORM):
        message = message.replace(form, "<form>")
    return message, hits[0].fix


AWS_CODE = re.compile(r"'([a-z]{2,4}(?:-[a-z]+)+-[0-9]+)'")
GOOGLE_CODE = re.compile(
    r"'((?:africa|asia|australia|europe|me|northamerica|southamerica|us)-[a-z]+[0-9]+)'"
)


@pytest.mark.parametrize(("aws_code", "google", "place"), SAME_PLACE)
def test_a_google_region_for_s3_gets_the_aws_region_in_the_same_place(
    aws_code: str, google: str, place: str
) -> None:
    for config, code in ((storage_s3, "STO103"), (registry_s3, "REG207")):
        message, fix = only(config(google), code)
        assert fix == f"write {aws_code!r}", (code, fix)
        assert set(AWS_CODE.findall(message + fix)) <= {aws_code}, message
        assert "Google Cloud" in message


@pytest.mark.parametrize(("aws_code", "google", "place"), SAME_PLACE)
def test_an_aws_region_for_cloud_storage_gets_the_google_region_in_the_same_place(
    aws_code: str, google: str, place: str
) -> None:
    message, fix = only(storage_gcs(aws_code), "STO103")
    assert fix == f"write {google!r}", fix
    assert set(GOOGLE_CODE.findall(message + fix)) <= {google}, message
    assert "AWS" in message


@pytest.mark.parametrize("google", GOOGLE_ONLY)
def test_no_aws_suggestion_where_aws_has_no_region_in_that_place(google: str) -> None:
    """europe-west1 (Belgium) was told 'eu-isoe-west-1': a string, not a place."""
    for config, code in ((storage_s3, "STO103"), (registry_s3, "REG207")):
        message, fix = only(config(google), code)
        assert not AWS_CODE.findall(message + fix), (code, message, fix)
        assert "Google Cloud" in message


@pytest.mark.parametrize("aws_code", AWS_ONLY)
def test_no_google_suggestion_where_google_has_no_region_in_that_place(aws_code: str) -> None:
    message, fix = only(storage_gcs(aws_code), "STO103")
    assert not GOOGLE_CODE.findall(message + fix), (message, fix)
    assert "AWS" in message


def test_london_is_not_los_angeles() -> None:
    """The issue's example: eu-west-2 for Cloud Storage was told 'us-west2'."""
    message, fix = only(storage_gcs("eu-west-2"), "STO103")
    assert "us-west2" not in message + fix
    assert fix == "write 'europe-west2'"


@pytest.mark.parametrize(
    ("config", "code", "typo", "meant"),
    [
        (storage_s3, "STO103", "eu-west-22", "eu-west-2"),
        (registry_s3, "REG207", "eu-west-22", "eu-west-2"),
        (storage_s3, "STO103", "eu-wset-1", "eu-west-1"),
        (storage_gcs, "STO103", "europe-west22", "europe-west2"),
        (storage_gcs, "STO103", "asia-east-1", "asia-east1"),
    ],
)
def test_a_typo_within_the_provider_still_gets_the_close_code(
    config: object, code: str, typo: str, meant: str
) -> None:
    _, fix = only(config(typo), code)  # type: ignore[operator]
    assert fix == f"write {meant!r}"


@pytest.mark.parametrize("value", ["mars", "local", "region-one"])
def test_nothing_close_means_no_suggestion(value: str) -> None:
    for config, code, pattern in (
        (storage_s3, "STO103", AWS_CODE),
        (registry_s3, "REG207", AWS_CODE),
        (storage_gcs, "STO103", GOOGLE_CODE),
    ):
        message, fix = only(config(value), code)
        assert not pattern.findall(message + fix), (code, message, fix)


def test_zones_map_through_their_region() -> None:
    _, fix = only(storage_s3("europe-west2-b"), "STO103")
    assert fix == "write 'eu-west-2'"
    _, fix = only(storage_gcs("eu-west-2a"), "STO103")
    assert fix == "write 'europe-west2'"


def test_an_aws_region_in_a_cloud_sql_connection_name() -> None:
    with pytest.raises(RuleError) as err:
        database.validate_cloudsql_instance("my-gcp-project:eu-west-2:gitpod-mysql")
    assert "'europe-west2'" in str(err.value)
    assert "us-west2" not in str(err.value)


def test_an_aws_region_as_artifact_registry_location() -> None:
    with pytest.raises(RuleError) as err:
        gcp.validate_ar_location("eu-west-2")
    assert "'europe-west2'" in str(err.value)
    text = (
        "apiVersion: v1\ncontainerRegistry:\n  inCluster: false\n  external:\n"
        "    url: eu-west-2-docker.pkg.dev/my-gcp-project/gitpod\n"
        "    certificate:\n      kind: secret\n      name: container-registry\n"
    )
    _, fix = only(text, "REG211")
    assert fix == "write 'europe-west2-docker.pkg.dev' as the host"


def test_the_rules_message_names_the_place_and_no_far_code() -> None:
    """The one-line RuleError (which the builder page shows too) says what the value is."""
    with pytest.raises(RuleError) as err:
        aws.validate_region("europe-west1")
    assert "Google Cloud" in str(err.value)
    assert not AWS_CODE.findall(str(err.value).partition("(")[2])
    with pytest.raises(RuleError) as err:
        gcp.validate_region("eu-west-1")
    assert "AWS" in str(err.value)
    assert not GOOGLE_CODE.findall(str(err.value).partition("(")[2])


def test_the_cloud_sql_fix_puts_the_region_of_the_same_place() -> None:
    sql = (
        "apiVersion: v1\ndatabase:\n  inCluster: false\n  cloudSQL:\n"
        "    instance: my-gcp-project:eu-west-2:gitpod-mysql\n"
        "    serviceAccount:\n      kind: secret\n      name: cloudsql\n"
    )
    _, fix = only(sql, "DB103")
    assert fix == "write 'my-gcp-project:europe-west2:gitpod-mysql'"
    _, fix = only(sql.replace("eu-west-2", "eu-west-1"), "DB103")  # Ireland: Google has none
    assert not GOOGLE_CODE.findall(fix), fix
