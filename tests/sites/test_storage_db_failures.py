"""A bad object storage or database example fails the build with the rule's one-line message."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.small_site import small_site
from tests.support.warm_mkdocs import mkdocs_build_warm

CASES = {
    "endpoint-of-another-region": (
        "{{ storage_example('s3', region='eu-west-2', bucket='gitpod-ws', "
        "endpoint='s3.eu-west-1.amazonaws.com') }}",
        "objectStorage.s3.endpoint: 's3.eu-west-1.amazonaws.com' is not valid",
    ),
    "gcs-with-an-aws-region": (
        "{{ storage_example('gcs', region='eu-west-2', project='my-gcp-project') }}",
        "metadata.region: 'eu-west-2' is not valid",
    ),
    "azure": (
        "{{ storage_example('azure') }}",
        "objectStorage: 'azure' is not valid",
    ),
    "cloudsql-zone-for-region": (
        "{{ database_example('cloudsql', project='my-gcp-project', region='europe-west2-a', "
        "instance='db') }}",
        "database.cloudSQL.instance: 'my-gcp-project:europe-west2-a:db' is not valid",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_bad_example_fails_the_build_naming_the_field(tmp_path: Path, case: str) -> None:
    call, message = CASES[case]
    config = small_site(tmp_path, {"index.md": f"# Bad\n\n{call}\n"})
    result = mkdocs_build_warm(config, tmp_path / "site")
    assert result.returncode != 0
    assert message in result.stderr, result.stderr[-2000:]
    assert "index.md" in result.stderr
