"""The registry probe against Debian's docker-registry (Distribution) on loopback, over TLS:
plain (creates repositories on push), with htpasswd authentication, without deletes, and as a
pull-through cache (which refuses every push, as ECR refuses a push to a repository that does not
exist)."""

from __future__ import annotations

import base64
import json
import re
import secrets
from pathlib import Path

import requests

from tests.conftest import Site

from .configs import external
from .configs import kots_registry as kots
from .conftest import Probe, Ran
from .servers import Registries, Tls, TokenService

PASSWORD = "pw-" + secrets.token_hex(12)


def catalog(host: str, tls: Tls, auth: tuple[str, str] | None = None) -> list[str]:
    got = requests.get(f"https://{host}/v2/_catalog", auth=auth, timeout=10, verify=str(tls.ca))
    got.raise_for_status()
    repositories: list[str] = got.json()["repositories"]
    return repositories


def tags(host: str, repository: str, tls: Tls, auth: tuple[str, str] | None = None) -> int:
    url = f"https://{host}/v2/{repository}/tags/list"
    return requests.get(url, auth=auth, timeout=10, verify=str(tls.ca)).status_code


def test_a_registry_that_creates_repositories_on_push_passes(
    probe: Probe, registries: Registries, tls: Tls
) -> None:
    reg = registries.start()
    ran = probe(external(f"{reg.host}/gitpod"), "--ca-file", str(tls.ca))
    assert ran.code == 0, ran
    assert ran.codes == [], ran
    passed = ran.steps("passed")
    for step in ("login", "push", "server key", "clean-up"):
        assert ("registry", step) in passed, ran
    # It pushed to a new repository under the URL, and deleted the image again.
    [repository] = catalog(reg.host, tls)
    assert repository.startswith("gitpod/gitpod-probe-"), repository
    assert "created the repository" in ran.out
    assert tags(reg.host, repository, tls) in (200, 404)
    listed = requests.get(
        f"https://{reg.host}/v2/{repository}/tags/list", timeout=10, verify=str(tls.ca)
    )
    assert not (listed.json().get("tags") or []), listed.text


def test_a_registry_that_refuses_deletes_leaves_the_image_and_says_so(
    probe: Probe, registries: Registries, tls: Tls
) -> None:
    reg = registries.start(delete=False)
    ran = probe(external(f"{reg.host}/gitpod"), "--ca-file", str(tls.ca))
    assert ran.code == 0, ran  # a warning
    assert ran.codes == ["PRB107"], ran
    [repository] = catalog(reg.host, tls)
    assert repository in ran.line("PRB107")
    assert "UNSUPPORTED" in ran.line("PRB107")
    assert tags(reg.host, repository, tls) == 200


def test_an_untrusted_certificate_is_unreachable(probe: Probe, registries: Registries) -> None:
    reg = registries.start()
    ran = probe(external(f"{reg.host}/gitpod"))  # no --ca-file: the test CA is not trusted
    assert ran.code == 1, ran
    assert ran.codes == ["PRB101"], ran
    assert "TLS certificate is not trusted" in ran.line("PRB101")


def test_a_closed_port_is_unreachable(probe: Probe, tls: Tls) -> None:
    from tests.support.local_servers import free_port

    ran = probe(external(f"127.0.0.1:{free_port()}/gitpod"), "--ca-file", str(tls.ca))
    assert ran.code == 1, ran
    assert ran.codes == ["PRB101"], ran


def test_htpasswd_with_the_right_password_passes(
    probe: Probe, registries: Registries, tls: Tls
) -> None:
    reg = registries.start(users={"gitpod": PASSWORD})
    env = {"REGISTRY_USERNAME": "gitpod", "REGISTRY_PASSWORD": PASSWORD}
    ran = probe(external(f"{reg.host}/gitpod"), "--ca-file", str(tls.ca), env=env)
    assert ran.code == 0, ran
    assert ran.codes == [], ran
    assert ("registry", "server key") in ran.steps("passed"), ran
    assert PASSWORD not in ran.out + ran.err


def test_htpasswd_with_a_wrong_password_fails_the_login(
    probe: Probe, registries: Registries, tls: Tls
) -> None:
    reg = registries.start(users={"gitpod": PASSWORD})
    env = {"REGISTRY_USERNAME": "gitpod", "REGISTRY_PASSWORD": "wrong-" + PASSWORD}
    ran = probe(external(f"{reg.host}/gitpod"), "--ca-file", str(tls.ca), env=env)
    assert ran.code == 1, ran
    assert ran.codes == ["PRB102"], ran
    assert catalog(reg.host, tls, ("gitpod", PASSWORD)) == []


def test_htpasswd_without_credentials_fails_the_login(
    probe: Probe, registries: Registries, tls: Tls
) -> None:
    reg = registries.start(users={"gitpod": PASSWORD})
    ran = probe(external(f"{reg.host}/gitpod"), "--ca-file", str(tls.ca))
    assert ran.code == 1, ran
    assert ran.codes == ["PRB102"], ran
    assert "no credentials" in ran.line("PRB102")


def test_a_server_key_that_is_not_the_push_host_fails(
    probe: Probe, registries: Registries, tls: Tls
) -> None:
    """The login at the key's host works (the admin console's preflight would pass); the push
    proxy finds no credentials for the push host and the registry refuses the push."""
    reg = registries.start(users={"gitpod": PASSWORD})
    port = reg.host.rpartition(":")[2]
    env = {"REGISTRY_USERNAME": "gitpod", "REGISTRY_PASSWORD": PASSWORD}
    ran = probe(
        external(f"{reg.host}/gitpod"),
        "--ca-file",
        str(tls.ca),
        "--registry-server",
        f"localhost:{port}",
        env=env,
    )
    assert ran.code == 1, ran
    assert ran.codes == ["PRB103"], ran
    assert ("registry", "login") in ran.steps("passed"), ran
    line = ran.line("PRB103")
    assert f"'localhost:{port}'" in line and f"'{reg.host}'" in line, line
    # It points at the secret the key lives in.
    assert line.split(" PRB103")[0].endswith(":8:13:"), line


def test_credentials_from_a_docker_config_file(
    probe: Probe, registries: Registries, tls: Tls, tmp_path: Path
) -> None:
    reg = registries.start(users={"gitpod": PASSWORD})
    auth = base64.b64encode(f"gitpod:{PASSWORD}".encode()).decode()
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"auths": {f"https://{reg.host}/v1/": {"auth": auth}}}))
    ran = probe(
        external(f"{reg.host}/gitpod"), "--ca-file", str(tls.ca), "--docker-config", str(config)
    )
    assert ran.code == 0, ran
    assert str(config) in ran.out
    assert PASSWORD not in ran.out + ran.err


def test_a_kots_export_gives_the_server_key_and_the_user(
    probe: Probe, registries: Registries, tls: Tls
) -> None:
    reg = registries.start(users={"gitpod": PASSWORD})
    env = {"REGISTRY_PASSWORD": PASSWORD}  # the user comes from reg_username
    ran = probe(kots(f"{reg.host}/gitpod", reg.host), "--ca-file", str(tls.ca), env=env)
    assert ran.code == 0, ran
    assert "as gitpod" in ran.out


def test_a_pull_through_cache_refuses_the_push(
    probe: Probe, registries: Registries, tls: Tls, site: Site
) -> None:
    upstream = registries.start(tls=False)
    cache = registries.start(proxy=f"http://{upstream.host}")
    ran = probe(external(f"{cache.host}/gitpod"), "--ca-file", str(tls.ca))
    assert ran.code == 1, ran
    assert ran.codes == ["PRB105"], ran
    assert "405 UNSUPPORTED" in ran.line("PRB105")
    # The troubleshooting page quotes the registry's answer, code and message, as it came.
    said = re.search(r"HTTP 405 (UNSUPPORTED): (.+?)\)", ran.line("PRB105"))
    assert said is not None, ran.line("PRB105")
    shown = " ".join(site.soup("troubleshooting/index.html").get_text(" ").split())
    assert f"HTTP 405, code {said[1]} , {said[2]}" in shown, f"the page does not quote {said[0]!r}"
    # Nothing reached the upstream registry either.
    got = requests.get(f"http://{upstream.host}/v2/_catalog", timeout=10)
    assert got.json()["repositories"] == [], got.text


def _probe_behind_token_auth(
    probe: Probe, registries: Registries, tls: Tls, user: str, password: str = PASSWORD
) -> Ran:
    """The probe logged in as ``user`` to a registry behind a token service that gives "writer"
    pull, push and delete, "reader" pull only (both with ``PASSWORD``)."""
    service = TokenService(
        tls,
        {"writer": (PASSWORD, ("pull", "push", "delete")), "reader": (PASSWORD, ("pull",))},
    )
    service.start()
    try:
        reg = registries.start(token=service)
        env = {"REGISTRY_USERNAME": user, "REGISTRY_PASSWORD": password}
        return probe(external(f"{reg.host}/gitpod"), "--ca-file", str(tls.ca), env=env)
    finally:
        service.stop()


def test_token_auth_with_push_rights_passes(probe: Probe, registries: Registries, tls: Tls) -> None:
    ran = _probe_behind_token_auth(probe, registries, tls, "writer")
    assert ran.code == 0, ran
    assert ran.codes == [], ran
    assert ("registry", "push") in ran.steps("passed"), ran


def test_token_auth_without_push_rights_is_refused(
    probe: Probe, registries: Registries, tls: Tls
) -> None:
    """The login passes (a token for the registry), the push does not (no push in the token)."""
    ran = _probe_behind_token_auth(probe, registries, tls, "reader")
    assert ran.code == 1, ran
    assert ran.codes == ["PRB104"], ran
    assert ("registry", "login") in ran.steps("passed"), ran
    assert "reader" not in ran.line("PRB104") or "credentials" in ran.line("PRB104")


def test_token_auth_with_a_wrong_password_fails_the_login(
    probe: Probe, registries: Registries, tls: Tls
) -> None:
    ran = _probe_behind_token_auth(probe, registries, tls, "writer", password="wrong")
    assert ran.code == 1, ran
    assert ran.codes == ["PRB102"], ran
    assert "token service" in ran.line("PRB102")
