"""GCP regions for Cloud Storage and Cloud SQL: Artifact Registry's regional locations."""

from __future__ import annotations

import json

import pytest

from gitpod_resources import gcp
from gitpod_resources.errors import RuleError
from tests.conftest import ROOT


def test_regions_are_the_data_files_regions_without_multi_regions() -> None:
    doc = json.loads((ROOT / "gitpod_resources/data/artifact_registry_locations.json").read_text())
    assert set(gcp.region_codes()) == set(doc["regions"])
    assert not set(gcp.region_codes()) & set(doc["multi_regions"])


@pytest.mark.parametrize("region", ["europe-west2", "us-central1", "asia-southeast1", "me-west1"])
def test_known_regions(region: str) -> None:
    assert gcp.validate_region(region) == region


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("europe-west2-b", "its region is 'europe-west2'"),
        ("us", "multi-region"),
        ("Europe-West2", "lowercase"),
        # AWS's London (botocore: "Europe (London)"); Google's London is europe-west2.
        (
            "eu-west-2",
            "AWS region, Europe (London); the Google Cloud region there: enter 'europe-west2'",
        ),
        ("europe-west99", "closest known"),
        ("", "GCP region"),
        (None, "GCP region"),
        ("europe-west2 ", "whitespace"),
    ],
)
def test_bad_regions(value: object, fragment: str) -> None:
    with pytest.raises(RuleError) as err:
        gcp.validate_region(value, "metadata.region")
    assert str(err.value).startswith("metadata.region: ")
    assert fragment in str(err.value)
