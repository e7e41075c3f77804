"""GCP rules: project IDs, repository names, GCR hosts, Artifact Registry locations."""

from __future__ import annotations

import pytest

from gitpod_resources import gcp


@pytest.mark.parametrize("pid", ["my-gcp-project", "abcdef", "a" * 30, "proj-123456", "a1b2c3"])
def test_valid_project_ids(pid: str) -> None:
    assert gcp.validate_project_id(pid) == pid


@pytest.mark.parametrize("name", ["gitpod", "a", "repo-1", "a1"])
def test_valid_repository_names(name: str) -> None:
    assert gcp.validate_repository(name) == name


def test_gcr_hosts_and_their_artifact_registry_locations() -> None:
    """Google's transition table: gcr.io and us.gcr.io to us, eu to europe, asia to asia."""
    mapping = {h.host: h.ar_location for h in gcp.gcr_hosts()}
    assert mapping == {
        "gcr.io": "us",
        "us.gcr.io": "us",
        "eu.gcr.io": "europe",
        "asia.gcr.io": "asia",
    }


def test_artifact_registry_locations() -> None:
    locs = gcp.ar_locations()
    assert [loc.code for loc in locs if loc.multi_region] == ["asia", "europe", "us"]
    assert len([loc for loc in locs if not loc.multi_region]) == 44
    assert len({loc.code for loc in locs}) == len(locs)
    assert gcp.ar_docker_host("us") == "us-docker.pkg.dev"
    assert gcp.ar_docker_host("europe-west2") == "europe-west2-docker.pkg.dev"


def test_gcr_shutdown_is_in_the_timeline() -> None:
    assert gcp.GCR_WRITE_SHUTDOWN in {m.date for m in gcp.gcr_timeline()}
    dates = [m.date for m in gcp.gcr_timeline()]
    assert dates == sorted(dates)
