"""The declarative specs the builder page runs for the database fields, held to oracles.

``database.HOST_SPEC`` must accept exactly what ``ipaddress.ip_address`` takes as an address and
otherwise judge host names as before; ``database.INSTANCE_SPEC`` is the Cloud SQL instance ID
rule. The oracles here are the standard library and the rules as they read before the specs
(transcribed below), with one intended difference: a trailing newline, which ``re.match`` with
``$`` let through, is no host and no instance ID.
"""

from __future__ import annotations

import ipaddress
import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from gitpod_resources import database, validation
from gitpod_resources.errors import RuleError
from tests.conftest import examples

_LABEL = r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?"
_DNS_NAME = re.compile(rf"{_LABEL}(\.{_LABEL})*")


def host_oracle(value: str) -> str | None:
    """The message the host rule gives, or None (the rule before the spec, with fullmatch)."""
    form = "a host name or IP address, no scheme and no port, e.g. 'mysql.example.com'"
    if not value:
        return str(RuleError("host", value, form))
    if "://" in value:
        return str(RuleError("host", value, form, "remove the scheme"))
    try:
        ipaddress.ip_address(value)
    except ValueError:
        pass
    else:
        return None
    if "/" in value:
        return str(RuleError("host", value, form, "a host has no path"))
    if ":" in value:
        return str(RuleError("host", value, form, "put the port in the 'port' key"))
    if not _DNS_NAME.fullmatch(value):
        lower = value.lower()
        hint = f"lowercase: {lower!r}" if _DNS_NAME.fullmatch(lower) else ""
        return str(RuleError("host", value, form, hint))
    return None


def outcome(fn: object, value: str) -> str | None:
    try:
        fn(value)  # type: ignore[operator]
    except RuleError as err:
        return str(err)
    return None


def ipv6_text() -> st.SearchStrategy[str]:
    """Text shaped like IPv6 addresses, valid and not: groups, '::', IPv4 tails, scopes."""
    group = st.one_of(st.text("0123456789abcdefABCDEF", min_size=0, max_size=5), st.just("g"))
    v4 = st.lists(st.integers(0, 300).map(str), min_size=3, max_size=5).map(".".join)
    body = st.lists(group, min_size=1, max_size=10).map(":".join)
    tail = st.one_of(st.just(""), v4.map(":".__add__))
    scope = st.one_of(st.just(""), st.text("ae0%/:. \n", max_size=4).map("%".__add__))
    return st.builds(lambda b, t, s: b + t + s, body, tail, scope)


CRAFTED = [
    "::",
    ":::",
    "::1",
    "1::",
    "1:2:3:4:5:6:7::",
    "::2:3:4:5:6:7:8",
    "1:2:3:4:5:6:7:8",
    "1:2:3:4:5:6:7:8::",
    "1:2:3::5:6:7:8",
    "1::2::3",
    "::ffff:1.2.3.4",
    "::1.2.3.4",
    "1:2:3:4:5:6:1.2.3.4",
    "1:2:3:4:5:6:7:1.2.3.4",
    "1::2:3:4:5:6:1.2.3.4",
    "::01.2.3.4",
    "fe80::1%eth0",
    "fe80::1%",
    "fe80::1%a%b",
    "fe80::1%a/b",
    "fe80::1%a:b c\n",
    "12345::",
    "FE80::ABCD",
    "10.0.0.1",
    "010.0.0.1",
    "256.0.0.1",
    "1.2.3",
    "mysql.example.com",
    "Mysql.example.com",
    "mysql.example.com\n",
    "db:3306",
    "https://db",
    "a/b",
    "-a.b",
    "a" * 64,
    "",
]


@settings(max_examples=examples(default=600, thorough=3000), deadline=None)
@given(st.one_of(st.sampled_from(CRAFTED), ipv6_text(), st.text("abAB01.-:/% \n", max_size=12)))
@example("::1")
def test_host_spec_is_ipaddress_and_the_host_rule(value: str) -> None:
    assert outcome(database.validate_host, value) == host_oracle(value), value


_INSTANCE = re.compile(r"[a-z][a-z0-9-]{0,97}")


def instance_oracle(value: str) -> str | None:
    form = database.INSTANCE_NAME_FORM
    if not value:
        return str(RuleError("instance", value, form))
    if len(value) > 98:
        return str(RuleError("instance", value, form, f"it has {len(value)} characters"))
    if not _INSTANCE.fullmatch(value):
        if value.lower() != value and _INSTANCE.fullmatch(value.lower()):
            return str(RuleError("instance", value, form, f"lowercase: {value.lower()!r}"))
        return str(RuleError("instance", value, form))
    return None


@settings(max_examples=examples(default=300, thorough=1000), deadline=None)
@given(
    st.one_of(
        st.sampled_from(["gitpod-mysql", "Gitpod", "a" * 98, "a" * 99, "1db", "db\n", "", "é"]),
        st.text("aZ09-_\n", max_size=12),
    )
)
def test_instance_spec_is_the_instance_rule(value: str) -> None:
    assert outcome(database.validate_instance_name, value) == instance_oracle(value), value


@pytest.mark.parametrize("spec", [database.HOST_SPEC, database.INSTANCE_SPEC])
def test_the_specs_read_alike_in_javascript(spec: validation.Spec) -> None:
    for check in spec.checks:
        assert not validation.non_portable(check.pattern), check
