"""The probe's pure parts, table-driven: the grants it reads, the version the preflight reads, how
it finds credentials and the push host, and its bounded retries."""

from __future__ import annotations

import base64

import pytest

from gitpod_resources.probe import database, net, registry, s3
from gitpod_resources.probe.findings import CODES
from gitpod_resources.sources import get as claim


@pytest.mark.parametrize(
    ("version", "read"),
    [
        ("5.7.44-log", "5.7"),
        ("5.7.34", "5.7"),
        ("8.0.36", "8.0"),
        ("10.11.6-MariaDB-0+deb12u1", "1"),  # the preflight's regex: one digit, then .digits
        ("", ""),
    ],
)
def test_the_version_the_preflight_reads(version: str, read: str) -> None:
    assert database.preflight_version(version) == read


GRANTS = [
    "GRANT USAGE ON *.* TO `u`@`%` IDENTIFIED BY PASSWORD '*7B9EBEED26AA52ED10C0F549FA863F13C3'",
    "GRANT ALL PRIVILEGES ON `gitpod`.* TO `u`@`%`",
    "GRANT SELECT, INSERT, UPDATE (`data`), DELETE ON `gitpod-sessions`.* TO `u`@`%`",
    "GRANT CREATE ON `gitpod\\_x%`.* TO `u`@`%`",
    "GRANT SELECT ON `gitpod`.`t` TO `u`@`%`",
    "GRANT `some_role` TO `u`@`%`",
]


def test_grants_are_read_as_mysql_matches_them() -> None:
    grants = database.parse_grants(GRANTS)
    assert database.privileges_on(grants, "gitpod") == {"USAGE", database.ALL}
    sessions = database.privileges_on(grants, "gitpod-sessions")
    assert database.missing(sessions, database.SESSIONS_PRIVILEGES) == ["CREATE"]
    assert "UPDATE" in sessions  # a column list does not hide the privilege
    # An escaped underscore is literal; % is any run of characters.
    assert "CREATE" in database.privileges_on(grants, "gitpod_xyz")
    assert "CREATE" not in database.privileges_on(grants, "gitpodAxyz")
    assert database.missing({database.ALL}, database.GITPOD_PRIVILEGES) == []


def test_a_global_grant_covers_every_database() -> None:
    grants = database.parse_grants(["GRANT ALL PRIVILEGES ON *.* TO 'admin'@'%' WITH GRANT OPTION"])
    assert database.privileges_on(grants, "gitpod-sessions") == {database.ALL}


@pytest.mark.parametrize(
    ("key", "host"),
    [
        ("harbor.example.com", "harbor.example.com"),
        ("https://harbor.example.com/v1/", "harbor.example.com"),
        ("harbor.example.com:5000/gitpod", "harbor.example.com:5000"),
    ],
)
def test_docker_clis_hostname_of_a_key(key: str, host: str) -> None:
    assert registry.convert_to_hostname(key) == host


def test_docker_hub_is_pushed_to_its_api_host() -> None:
    assert registry.api_host("docker.io") == "registry-1.docker.io"  # containerd's host
    assert registry.api_host("harbor.example.com") == "harbor.example.com"


def _target(url: str, key: str) -> registry.RegistryTarget:
    where = registry.Where("x", 1, 1)
    creds = registry.Credentials("u", net.Secret("p"), "test")
    return registry.RegistryTarget(url, key, "test", where, where, creds)


@pytest.mark.parametrize(
    ("url", "key", "found"),
    [
        ("harbor.example.com/gitpod", "harbor.example.com", True),
        ("harbor.example.com/gitpod", "harbor.example.com/gitpod", False),  # a path
        ("harbor.example.com/gitpod", "https://harbor.example.com", False),  # a scheme
        ("docker.io/me", "registry-1.docker.io", True),
        ("docker.io/me", "https://index.docker.io/v1/", False),
    ],
)
def test_the_push_proxy_looks_credentials_up_by_the_exact_host(
    url: str, key: str, found: bool
) -> None:
    assert (registry.push_credentials(_target(url, key)) is not None) is found


def test_a_docker_config_entry_by_key_or_by_host() -> None:
    auth = base64.b64encode(b"me:secret:with:colons").decode()
    config = {
        "auths": {
            "https://harbor.example.com/v1/": {"auth": auth},
            "other.example.com": {"username": "o", "password": "p"},
        }
    }
    assert registry.docker_config_entry(config, "harbor.example.com") == (
        "https://harbor.example.com/v1/",
        "me",
        "secret:with:colons",
    )
    assert registry.docker_config_entry(config, "other.example.com")[1:] == ("o", "p")  # type: ignore[index]
    assert registry.docker_config_entry(config, "missing.example.com") is None
    assert registry.docker_config_entry({"credsStore": "desktop"}, "x") is None


def test_a_bearer_challenge_is_read() -> None:
    scheme, params = registry.challenge(
        'Bearer realm="https://auth.example.com/token",service="registry",'
        'scope="repository:gitpod/x:pull,push"'
    )
    assert scheme == "bearer"
    assert params == {
        "realm": "https://auth.example.com/token",
        "service": "registry",
        "scope": "repository:gitpod/x:pull,push",
    }


@pytest.mark.parametrize(
    ("constraint", "region"),
    [(None, "us-east-1"), ("", "us-east-1"), ("EU", "eu-west-1"), ("eu-west-2", "eu-west-2")],
)
def test_a_bucket_location_means_a_region(constraint: str | None, region: str) -> None:
    assert s3.location_region(constraint) == region


def test_a_secret_never_shows_itself() -> None:
    secret = net.Secret("hunter2")
    assert "hunter2" not in f"{secret} {secret!r} {[secret]}"
    assert secret.reveal() == "hunter2"


def test_retries_are_bounded_and_only_for_transient_failures() -> None:
    calls: list[int] = []

    def flaky() -> int:
        calls.append(1)
        raise ConnectionError("down")

    limits = net.Limits(timeout=1, attempts=3, backoff=0)
    with pytest.raises(ConnectionError):
        net.retry(flaky, lambda e: isinstance(e, ConnectionError), limits)
    assert len(calls) == 3
    calls.clear()
    with pytest.raises(ConnectionError):
        net.retry(flaky, lambda e: False, limits)
    assert len(calls) == 1
    outcomes = iter([ConnectionError("once"), None])

    def recovers() -> str:
        failure = next(outcomes)
        if failure:
            raise failure
        return "ok"

    assert net.retry(recovers, lambda e: True, limits) == "ok"


def test_every_code_rests_on_registered_claims_and_links_to_its_section() -> None:
    for code in CODES.values():
        for claim_id in code.claims:
            assert claim(claim_id).sources, (code.code, claim_id)
        assert code.docs_url.endswith(f"/troubleshooting/#{code.code.lower()}")
    assert sorted(CODES) == sorted(set(CODES)) and all(c.startswith("PRB") for c in CODES)
