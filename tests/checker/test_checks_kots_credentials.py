"""Admin console credentials: the items the installer's secrets are made from (reference §2.5,
§4.4, §5.3: ``required: true`` where shown) must be set in a ConfigValues document, as ``value``
(an export holds passwords encrypted there) or ``valuePlaintext`` (how a ConfigValues file sets a
password item). Titles come from the transcribed kots-config.yaml (tests/oracles.py)."""

from __future__ import annotations

import pytest

from tests.checker.helpers import findings, kots
from tests.oracles import KOTS_TITLES, KOTS_TITLES_DATABASE, KOTS_TITLES_STORAGE

TITLES = {**KOTS_TITLES, **KOTS_TITLES_STORAGE, **KOTS_TITLES_DATABASE}

#: (code, the group's other required items set, the credential items it needs)
SETUPS = [
    pytest.param(
        "REG202",
        {
            "reg_incluster": '"0"',
            "reg_url": "harbor.example.com/gitpod",
            "reg_server": "harbor.example.com",
        },
        ("reg_username", "reg_password"),
        id="external-registry",
    ),
    pytest.param(
        "REG202",
        {
            "reg_incluster": '"1"',
            "reg_incluster_storage": "s3",
            "reg_incluster_storage_s3_region": "eu-west-2",
            "reg_incluster_storage_s3_endpoint": "s3.eu-west-2.amazonaws.com",
            "reg_incluster_storage_s3_bucketname": "gitpod-registry",
        },
        ("reg_incluster_storage_s3_accesskey", "reg_incluster_storage_s3_secretkey"),
        id="in-cluster-registry-on-s3",
    ),
    pytest.param(
        "STO102",
        {
            "store_provider": "s3",
            "store_region": "eu-west-2",
            "store_s3_endpoint": "s3.eu-west-2.amazonaws.com",
            "store_s3_bucket": "gitpod-workspaces",
        },
        ("store_s3_access_key_id", "store_s3_secret_access_key"),
        id="s3-storage",
    ),
    pytest.param(
        "STO102",
        {"store_provider": "gcp", "store_region": "europe-west2", "store_gcp_project": "my-proj-1"},
        ("store_gcp_credentials",),
        id="gcs-storage",
    ),
    pytest.param(
        "DB102",
        {"db_incluster": '"0"', "db_host": "mysql.example.com"},
        ("db_password",),
        id="external-mysql",
    ),
    pytest.param(
        "DB102",
        {
            "db_incluster": '"0"',
            "db_cloudsql_enabled": '"1"',
            "db_cloudsql_instance": "my-proj-1:europe-west2:gitpod",
        },
        ("db_password", "db_gcp_credentials"),
        id="cloud-sql",
    ),
]


def export(values: dict[str, str], extra: str = "") -> str:
    return kots("".join(f"    {k}:\n      value: {v}\n" for k, v in values.items()) + extra)


@pytest.mark.parametrize(("code", "values", "needed"), SETUPS)
def test_missing_credentials_are_errors_at_the_values_key(
    code: str, values: dict[str, str], needed: tuple[str, ...]
) -> None:
    hits = [f for f in findings(export(values)) if f.code == code]
    assert sorted(f.path for f in hits) == sorted(f"spec.values.{i}.value" for i in needed)
    for hit in hits:
        item = hit.path.split(".")[2]
        assert f'"{TITLES[item]}"' in hit.message, hit.message
        assert (hit.line, hit.column) == (4, 3), hit  # the values key: nothing to point at
        assert hit.severity == "error"


@pytest.mark.parametrize(("code", "values", "needed"), SETUPS)
@pytest.mark.parametrize("field", ["value", "valuePlaintext"])
def test_set_credentials_pass(
    code: str, values: dict[str, str], needed: tuple[str, ...], field: str
) -> None:
    extra = "".join(f'    {i}:\n      {field}: "<set>"\n' for i in needed)
    assert [f for f in findings(export(values, extra)) if f.severity == "error"] == []


@pytest.mark.parametrize(("code", "values", "needed"), SETUPS)
def test_a_blank_credential_is_reported_where_it_is(
    code: str, values: dict[str, str], needed: tuple[str, ...]
) -> None:
    extra = "".join(f'    {i}:\n      valuePlaintext: " "\n' for i in needed)
    text = export(values, extra)
    hits = {f.path: f.line for f in findings(text) if f.code == code}
    lines = text.splitlines()
    for item in needed:
        line = hits[f"spec.values.{item}.value"]  # at the item's mapping, below its name
        assert lines[line - 2].strip() == f"{item}:", (item, line)


@pytest.mark.parametrize(
    "values",
    [
        {"reg_incluster": '"1"'},
        {"reg_incluster": '"1"', "reg_incluster_storage": "none"},
        {"store_provider": "incluster"},
        {"db_incluster": '"1"'},
    ],
)
def test_in_cluster_needs_no_credentials(values: dict[str, str]) -> None:
    assert findings(export(values)) == []
