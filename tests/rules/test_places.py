"""The place data behind cross-provider region suggestions
(gitpod_resources/data/gcp_region_places.json)."""

from __future__ import annotations

from gitpod_resources import gcp, places
from tests.oracles import aws_description


def test_every_google_region_the_rules_know_has_its_place() -> None:
    """A GCP region without a place could never be matched; a place without a region is stale."""
    assert set(places.google_places()) == set(gcp.region_codes())


def test_the_aws_names_are_botocores() -> None:
    """The AWS side of every match is botocore's own region name (endpoints.json)."""
    for code, name in places.aws_names().items():
        if code not in {"me-west-1", "sa-west-1"}:  # only partitions.json names these
            assert name == aws_description(code), code


def test_a_country_alone_never_matches() -> None:
    """europe-west1's description is its country (Belgium): only a city or area places it."""
    belgium = places.google_places()["europe-west1"]
    assert belgium.description == belgium.country
    assert "belgium" not in belgium.names()


def test_every_match_names_one_place_on_both_sides() -> None:
    for google, place in places.google_places().items():
        for aws_code in places.aws_regions_at(google):
            assert places.normalize(places.aws_place(aws_code)) in place.names()
            assert google in places.google_regions_at(aws_code)
