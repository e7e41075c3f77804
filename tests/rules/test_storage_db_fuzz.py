"""Any input to the storage and database validators gets a value or a one-line RuleError.

Never another exception, never a multi-line message: what a checker shows is ``str(err)``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from gitpod_resources import database, gcp, storage
from gitpod_resources.errors import RuleError

VALIDATORS: dict[str, Callable[[object], object]] = {
    "cloudsql_instance": database.validate_cloudsql_instance,
    "instance_name": database.validate_instance_name,
    "host": database.validate_host,
    "port": database.validate_port,
    "username": database.validate_username,
    "gcp_region": gcp.validate_region,
    "s3_region": lambda v: storage.validate_region("s3", v),
    "gcs_region": lambda v: storage.validate_region("gcs", v),
    "s3_endpoint": lambda v: storage.validate_s3_endpoint(v, "eu-west-2"),
    "bucket": storage.validate_bucket,
    "gcs_project": storage.validate_gcs_project,
    "storage_option": storage.validate_option,
    "kots_provider": storage.validate_kots_provider,
}

ANYTHING = st.one_of(
    st.text(max_size=120),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-:./ ", max_size=60),
    st.integers(),
    st.none(),
    st.booleans(),
    st.lists(st.text(max_size=5), max_size=3),
)


@pytest.mark.parametrize("name", VALIDATORS)
@settings(max_examples=60, deadline=None)
@given(value=ANYTHING)
@example(value="\u00b9")  # int("\u00b9") raised ValueError inside validate_port
@example(value="\u0663\u0663\u0660\u0666")
def test_validators_answer_with_a_value_or_a_one_line_rule_error(name: str, value: object) -> None:
    try:
        VALIDATORS[name](value)
    except RuleError as err:
        assert "\n" not in str(err)
        assert str(err).startswith(f"{err.field}: ")


LOWER = "abcdefghijklmnopqrstuvwxyz"
PROJECT_ID = r"[a-z][a-z0-9-]{4,28}[a-z0-9]"
INSTANCE = r"[a-z][a-z0-9-]{0,97}"
#: What PROJECT_ID and INSTANCE match, drawn part by part (``st.from_regex`` is several times
#: slower to draw); the test asserts each value matches its pattern.
project_ids = st.builds(
    "".join,
    st.tuples(
        st.sampled_from(LOWER),
        st.text(LOWER + "0123456789-", min_size=4, max_size=28),
        st.sampled_from(LOWER + "0123456789"),
    ),
)
instance_names = st.builds(
    str.__add__, st.sampled_from(LOWER), st.text(LOWER + "0123456789-", max_size=97)
)


@settings(max_examples=80, deadline=None)
@given(
    project=project_ids,
    region=st.sampled_from(gcp.region_codes()),
    instance=instance_names,
)
def test_every_valid_connection_name_round_trips(project: str, region: str, instance: str) -> None:
    assert re.fullmatch(PROJECT_ID, project) and re.fullmatch(INSTANCE, instance)
    parsed = database.validate_cloudsql_instance(f"{project}:{region}:{instance}")
    assert (parsed.project, parsed.region, parsed.name) == (project, region, instance)


#: Text Python's ``str.isdigit`` (and ``int``) take for digits that are not ASCII: Arabic-Indic,
#: superscripts (``int`` refuses them: ValueError), fullwidth. A port is ASCII digits only.
#: ("3306" in Arabic-Indic digits, superscript one, superscript 3306, fullwidth, mathematical
#: bold, and fullwidth mixed with ASCII.)
NON_ASCII_DIGITS = (
    "\u0663\u0663\u0660\u0666",
    "\u00b9",
    "\u00b3\u00b3\u2070\u2076",
    "\uff13\uff13\uff10\uff16",
    "\U0001d7d1\U0001d7d1\U0001d7ce\U0001d7d4",
    "3\uff1306",
)


@settings(max_examples=200, deadline=None)
@given(
    value=st.one_of(
        st.text(max_size=8),
        st.text(alphabet="0123456789\u0663\u0660\u0666\u00b9\u00b3\uff13", max_size=6),
    )
)
@example("\u0663\u0663\u0660\u0666")
@example("\u00b9")
@example("\uff13\uff13\uff10\uff16")
@example("3306")
def test_a_port_is_ascii_digits_1_to_65535(value: str) -> None:
    try:
        port = database.validate_port(value)
    except RuleError as err:
        assert "\n" not in str(err) and str(err).startswith("port: ")
        assert not (re.fullmatch(r"[0-9]+", value) and 1 <= int(value) <= 65535), value
        return
    assert re.fullmatch(r"[0-9]+", value), value
    assert port == int(value) and 1 <= port <= 65535


@pytest.mark.parametrize("value", NON_ASCII_DIGITS)
def test_non_ascii_digits_are_no_port(value: str) -> None:
    with pytest.raises(RuleError, match=r"^port: .*1-65535"):
        database.validate_port(value)
