"""Domain-scoped Google project IDs (``example.com:my-project``) are valid everywhere a project
ID is (issue #16).

Google documents the legacy form: "Projects that were created with a domain-scoped project ID
... example.com:my-project"; in Artifact Registry and Container Registry paths "the colon in the
project id will be replaced with a forward slash" (docs.cloud.google.com/artifact-registry/docs/
docker/names: ``LOCATION-docker.pkg.dev/example.com/my-project/REPO/IMAGE``), and a Cloud SQL
connection name is ``<project>:<region>:<instance>`` with the whole project ID first.
"""

from __future__ import annotations

import pytest

from gitpod_resources import database, gcp, registry
from gitpod_resources.errors import RuleError
from tests.checker.helpers import codes

DOMAIN_SCOPED = ["example.com:my-project", "google.com:gitpod-test", "corp.example.co.uk:proj-01"]


@pytest.mark.parametrize("project", DOMAIN_SCOPED)
def test_the_project_rule_accepts_them(project: str) -> None:
    assert gcp.validate_project_id(project) == project


@pytest.mark.parametrize(
    "value",
    [
        "example:my-project",  # no dot: not a domain
        ":my-project",
        "example.com:",
        "example.com:my",  # the project part is still 6-30 characters
        "Example.com:my-project",
        "example.com:my-project:extra",
        "example..com:my-project",
        "-example.com:my-project",
    ],
)
def test_malformed_domain_scoped_ids_are_refused(value: str) -> None:
    with pytest.raises(RuleError) as err:
        gcp.validate_project_id(value, "project")
    assert str(err.value).startswith("project: ") and "\n" not in str(err.value)


@pytest.mark.parametrize("project", DOMAIN_SCOPED)
def test_cloud_sql_connection_names_with_them(project: str) -> None:
    parsed = database.validate_cloudsql_instance(f"{project}:europe-west2:gitpod-mysql")
    assert (parsed.project, parsed.region, parsed.name) == (
        project,
        "europe-west2",
        "gitpod-mysql",
    )
    assert parsed.connection_name == f"{project}:europe-west2:gitpod-mysql"


def test_registry_urls_put_a_slash_for_the_colon() -> None:
    setup = registry.gar("europe-west2", "example.com:my-project", "gitpod")
    assert setup.url == "europe-west2-docker.pkg.dev/example.com/my-project/gitpod"
    assert setup.server == "europe-west2-docker.pkg.dev"
    assert registry.gcr("gcr.io", "example.com:my-project").url == (
        "gcr.io/example.com/my-project/gitpod"
    )


def external(url: str) -> str:
    return (
        "apiVersion: v1\ncontainerRegistry:\n  inCluster: false\n  external:\n"
        f"    url: {url}\n    certificate:\n      kind: secret\n      name: container-registry\n"
    )


@pytest.mark.parametrize(
    "url",
    [
        "europe-west2-docker.pkg.dev/example.com/my-project/gitpod",
        "us-docker.pkg.dev/google.com/gitpod-test/images",
        "gcr.io/example.com/my-project/gitpod",
    ],
)
def test_the_checker_accepts_them_in_registry_urls(url: str) -> None:
    found = codes(external(url))
    assert not found & {"REG204", "REG212", "REG213"}, found


def test_the_checker_still_wants_a_repository_after_a_domain_scoped_project() -> None:
    assert "REG213" in codes(external("europe-west2-docker.pkg.dev/example.com/my-project"))


def test_the_checker_accepts_them_for_cloud_storage_and_cloud_sql() -> None:
    storage = (
        "apiVersion: v1\nmetadata:\n  region: europe-west2\nobjectStorage:\n  inCluster: false\n"
        "  cloudStorage:\n    project: example.com:my-project\n"
        "    serviceAccount:\n      kind: secret\n      name: storage-gcp\n"
    )
    assert "STO106" not in codes(storage)
    sql = (
        "apiVersion: v1\ndatabase:\n  inCluster: false\n  cloudSQL:\n"
        "    instance: example.com:my-project:europe-west2:gitpod-mysql\n"
        "    serviceAccount:\n      kind: secret\n      name: cloudsql\n"
    )
    assert "DB103" not in codes(sql)


def test_the_colon_written_in_a_registry_url_gets_the_slash_form() -> None:
    from tests.checker.helpers import findings

    url = "europe-west2-docker.pkg.dev/example.com:my-project/gitpod"
    hits = [f for f in findings(external(url)) if f.code == "REG204"]
    assert len(hits) == 1
    assert hits[0].fix.startswith(
        "write 'europe-west2-docker.pkg.dev/example.com/my-project/gitpod'"
    )
