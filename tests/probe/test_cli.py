"""The probe command as a whole: it stops on check's errors, refuses bad input in one line naming
the field, never shows a credential, shows progress only on a terminal, and writes check's
formats."""

from __future__ import annotations

import json
import os
import pty
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from gitpod_resources.probe import findings

from .configs import ALL_ACTIONS, database_installer, external, registry_s3
from .conftest import Probe
from .servers import Moto, Registries, Tls, iam_user

BROKEN = "apiVersion: v1\ncontainerRegistry:\n  inCluster: false\n"  # REG202: no external


def test_check_errors_stop_the_probe_before_any_network(probe: Probe) -> None:
    ran = probe(BROKEN)
    assert ran.code == 1, ran
    assert "REG202" in ran.codes, ran
    assert not ran.probe_codes and not ran.steps("passed"), ran
    assert "not started" in ran.out


def test_an_unreadable_config_is_unusable_input(probe: Probe, tmp_path: Path) -> None:
    ran = probe("- just\n- a list\n")
    assert ran.code == 2, ran
    assert "expected a mapping" in ran.err


@pytest.mark.parametrize(
    ("options", "env", "named"),
    [
        ((), {}, "--db-host: not given"),
        (("--db-host", "127.0.0.1"), {}, "DB_PASSWORD: not set"),
        (("--db-host", "127.0.0.1", "--db-port", "0"), {"DB_PASSWORD": "x"}, "--db-port: 0 is"),
        (("--db-host", "db.example.com:3306"), {"DB_PASSWORD": "x"}, "--db-host: "),
        (("--db-host", "h", "--db-ca-file", "/nonexistent"), {"DB_PASSWORD": "x"}, "--db-ca-file"),
        (("--db-host", "h", "--timeout", "0"), {"DB_PASSWORD": "x"}, "--timeout: 0.0 is"),
    ],
)
def test_bad_database_input_is_one_line_naming_the_field(
    probe: Probe, options: tuple[str, ...], env: dict[str, str], named: str
) -> None:
    ran = probe(database_installer(), *options, env=env)
    assert ran.code == 3, ran
    [line] = ran.err.splitlines()
    assert named in line and "expected" in line, line
    assert ran.out == ""


def test_tls_in_the_config_needs_the_ca_file(probe: Probe) -> None:
    ran = probe(database_installer(tls=True), "--db-host", "h", env={"DB_PASSWORD": "x"})
    assert ran.code == 3, ran
    assert ran.err.startswith("gitpod-resources probe: --db-ca-file: not given"), ran


def test_a_registry_user_without_a_password_is_refused(probe: Probe) -> None:
    ran = probe(external("registry.example.com/gitpod"), "--registry-username", "me")
    assert ran.code == 3, ran
    assert "REGISTRY_PASSWORD: not set" in ran.err


def test_a_missing_docker_config_is_refused(probe: Probe, tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    ran = probe(external("registry.example.com/gitpod"), "--docker-config", str(missing))
    assert ran.code == 3, ran
    assert f"--docker-config: {missing} does not exist" in ran.err


def test_no_aws_credentials_is_refused(probe: Probe) -> None:
    ran = probe(registry_s3("s3.example.com", "bucket", "eu-west-2"))
    assert ran.code == 3, ran
    assert "AWS credentials: none found" in ran.err


def test_a_bad_option_value_is_a_usage_error(probe: Probe) -> None:
    ran = probe(BROKEN, "--only", "everything")
    assert ran.code == 3, ran
    assert "--only" in ran.err


def test_without_the_probe_extra_it_says_what_to_install(
    probe: Probe, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pymysql", None)
    monkeypatch.delitem(sys.modules, "gitpod_resources.probe.database", raising=False)
    ran = probe(database_installer(), "--db-host", "127.0.0.1", env={"DB_PASSWORD": "x"})
    assert ran.code == 3, ran
    assert "pip install 'gitpod-resources[probe]'" in ran.err


def test_no_credential_appears_in_any_output(
    probe: Probe, registries: Registries, moto: Moto, tls: Tls, mariadb: object
) -> None:
    """One run over a registry with a password, S3 with a key and a database with a password:
    none of them appears in stdout or stderr, in any format, when they work and when they are
    refused."""
    from tests.support.local_servers import MariaDb

    assert isinstance(mariadb, MariaDb)
    registry_password = "REGPW-" + secrets.token_hex(10)
    db_password = "DBPW-" + secrets.token_hex(10)
    reg = registries.start(users={"gitpod": registry_password})
    moto.client("s3", "eu-west-2").create_bucket(
        Bucket="gitpod-registry", CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
    )
    keys = iam_user(moto, "registry", ALL_ACTIONS, ["*"])
    moto.enforce()
    mariadb.sql(
        f"CREATE USER 'leak'@'%' IDENTIFIED BY '{db_password}';"
        "CREATE DATABASE IF NOT EXISTS `gitpod`;"
        "GRANT ALL ON `gitpod`.* TO 'leak'@'%'; GRANT ALL ON `gitpod-sessions`.* TO 'leak'@'%';"
    )
    config = (
        external(f"{reg.host}/gitpod")
        + "database:\n  inCluster: false\n  external:\n    certificate:\n"
        + "      kind: secret\n      name: database\n"
        + "objectStorage:\n  inCluster: false\n  s3:\n"
        + f"    endpoint: {moto.host}\n    bucket: gitpod-registry\n"
        + "    credentials:\n      kind: secret\n      name: storage-s3\n"
        + "metadata:\n  region: eu-west-2\n"
    )
    db = ("--db-host", "127.0.0.1", "--db-port", str(mariadb.port), "--db-username", "leak")
    secrets_in_use = (registry_password, db_password, keys["AWS_SECRET_ACCESS_KEY"])
    good = {"REGISTRY_USERNAME": "gitpod", "REGISTRY_PASSWORD": registry_password}
    good |= {"DB_PASSWORD": db_password, **keys}
    wrong = {**good, "REGISTRY_PASSWORD": registry_password + "x", "DB_PASSWORD": db_password + "x"}
    wrong["AWS_SECRET_ACCESS_KEY"] = keys["AWS_SECRET_ACCESS_KEY"] + "x"
    runs = []
    for env, expected in ((good, {"PRB304"}), (wrong, {"PRB102", "PRB201", "PRB302"})):
        for fmt in ("human", "json", "github", "sarif"):
            ran = probe(config, "--ca-file", str(tls.ca), *db, "--format", fmt, env=env)
            runs.append(ran)
            if fmt == "json":
                assert {f["code"] for f in json.loads(ran.out)} >= expected, ran
    for ran in runs:
        for secret in (*secrets_in_use, f"{registry_password}x", f"{db_password}x"):
            assert secret not in ran.out and secret not in ran.err, ran


def test_progress_lines_go_to_a_terminal_only(
    registries: Registries, tls: Tls, tmp_path: Path
) -> None:
    reg = registries.start()
    config = tmp_path / "gitpod.config.yaml"
    config.write_text(external(f"{reg.host}/gitpod"))
    command = [
        str(Path(sys.executable).parent / "gitpod-resources"),
        "probe",
        str(config),
        "--ca-file",
        str(tls.ca),
    ]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "REGISTRY_"))}
    env["HOME"] = str(tmp_path)
    piped = subprocess.run(command, capture_output=True, text=True, timeout=60, env=env)
    assert piped.returncode == 0, piped.stdout + piped.stderr
    assert piped.stderr == "", piped.stderr
    leader, follower = pty.openpty()
    try:
        on_tty = subprocess.run(
            command, stdout=subprocess.PIPE, stderr=follower, text=True, timeout=60, env=env
        )
        os.close(follower)
        seen = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(leader)
    assert on_tty.returncode == 0, on_tty.stdout
    text = seen.decode()
    for step in ("logging in to", "pushing the config blob", "pushing the manifest", "deleting"):
        assert f"gitpod-resources probe: registry: {step}" in text, text
    assert "gitpod-resources probe:" not in on_tty.stdout


def test_json_findings_link_to_their_troubleshooting_section(
    probe: Probe, registries: Registries, tls: Tls
) -> None:
    reg = registries.start(delete=False)
    ran = probe(external(f"{reg.host}/gitpod"), "--ca-file", str(tls.ca), "--format", "json")
    [finding] = json.loads(ran.out)
    assert finding["code"] == "PRB107" and finding["severity"] == "warning", finding
    assert finding["docs"] == findings.CODES["PRB107"].docs_url
    assert finding["docs"].endswith("/troubleshooting/#prb107")
    assert finding["path"] == "containerRegistry.external.url"
    assert (finding["line"], finding["column"]) == (5, 10)


def test_sarif_names_the_probe_codes_as_rules(
    probe: Probe, registries: Registries, tls: Tls
) -> None:
    reg = registries.start(delete=False)
    ran = probe(external(f"{reg.host}/gitpod"), "--ca-file", str(tls.ca), "--format", "sarif")
    log = json.loads(ran.out)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    [result] = run["results"]
    assert rules[result["ruleIndex"]]["id"] == result["ruleId"] == "PRB107"
    assert rules[result["ruleIndex"]]["helpUri"].endswith("#prb107")
