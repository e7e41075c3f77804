"""The CFG checks beyond their cases (tests/checker/cases/structure.py, run by test_cases.py and
read by the installer there): keys by release, findings that name their release."""

from __future__ import annotations

import pytest

from gitpod_resources.schema import Release
from tests.checker.helpers import installer, run


@pytest.mark.parametrize("release", list(Release))
def test_database_ssl_is_a_key_from_2022_11_1_on(release: Release) -> None:
    config = installer(
        "database:\n  inCluster: true\n  ssl:\n    caCert:\n      kind: secret\n"
        "      name: database-ca\n"
    )
    unknown = [f for f in run(config, release=release).findings if f.code == "CFG101"]
    if release is Release.R0:
        [hit] = unknown
        assert hit.path == "database.ssl" and "2022.11.1" in hit.message
        assert hit.release is Release.R0
    else:
        assert unknown == []


def test_findings_name_the_release_they_were_checked_against() -> None:
    result = run(installer("messageBus: {}\n"), release=Release.R1)
    assert {f.release for f in result.findings} == {Release.R1}
