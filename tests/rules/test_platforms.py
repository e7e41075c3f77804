"""The commands that close a platform page (gitpod_resources.platforms): the command line's own
parser takes them, and bash hands the probe the credentials the page's steps left in the shell,
under the names the probe reads, without touching the reader's own AWS identity."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gitpod_resources import cli, config, platforms, prerequisites, registry
from gitpod_resources.errors import RuleError
from tests.conftest import require

BASH = shutil.which("bash")

#: A ``gitpod-resources`` that records what it was run with: its arguments, and the variables the
#: probe reads (``probe --help``: the registry's, the AWS chain's, the database password).
FAKE_COMMAND = """#!/bin/bash
printf '%s\\n' "$@" > "$RECORD.args"
for v in REGISTRY_USERNAME REGISTRY_PASSWORD S3_ACCESS_KEY_ID S3_SECRET_ACCESS_KEY \\
         AWS_ACCESS_KEY_ID DB_PASSWORD; do
  if [ -n "${!v+set}" ]; then printf '%s=%s\\n' "$v" "${!v}"; fi
done > "$RECORD.env"
"""


def run_probe(tmp_path: Path, before: str, command: str) -> tuple[list[str], dict[str, str], str]:
    """``before`` then ``command`` in bash (-u: an unset variable fails), with the fake on PATH;
    what the fake recorded, and what the shell printed after it."""
    require(BASH is not None, "bash runs the command")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / platforms.COMMAND
    fake.write_text(FAKE_COMMAND)
    fake.chmod(0o755)
    after = 'printf "%s\\n" "${AWS_ACCESS_KEY_ID-}"'
    done = subprocess.run(
        [BASH or "bash", "-euo", "pipefail", "-c", before + command + after],
        cwd=tmp_path,
        env={"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp_path), "RECORD": "probe"},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    args = (tmp_path / "probe.args").read_text().splitlines()
    env = dict(line.split("=", 1) for line in (tmp_path / "probe.env").read_text().splitlines())
    return args, env, done.stdout.strip()


def parsed(command: str) -> list[str]:
    """The argv after ``gitpod-resources``, as the shell splits the command (env prefix off)."""
    argv = shlex.split(command.replace("\\\n", " "))
    return argv[argv.index(platforms.COMMAND) + 1 :]


@pytest.mark.parametrize("platform", ["aws", "gcp", "on-prem"])
def test_the_command_lines_own_parser_takes_every_command(platform: str) -> None:
    for command in (
        platforms.check_command(),
        platforms.probe_command(platform),
        *([platforms.probe_command(platform, private_ca=True)] if platform == "on-prem" else []),
    ):
        args = cli.parser().parse_args(parsed(command))
        assert args.command in ("check", "probe"), command
    probe = cli.parser().parse_args(parsed(platforms.probe_command(platform)))
    assert probe.path == config.CONFIG_FILE


def test_aws_hands_the_s3_key_over_for_the_probe_alone(tmp_path: Path) -> None:
    # As the page leaves them: the reader's own identity exported, the new key read (not
    # exported) from the key file, the database password exported.
    before = (
        "export AWS_ACCESS_KEY_ID=AKIAREADEROWN DB_PASSWORD=db-secret\n"
        "S3_ACCESS_KEY_ID=AKIANEWUSER S3_SECRET_ACCESS_KEY=new-secret DB_HOST=mysql.example.com\n"
    )
    args, env, after = run_probe(tmp_path, before, platforms.probe_command("aws"))
    # The probe's own help names the variables it reads the S3 key from.
    shown = cli_probe_help()
    assert "S3_ACCESS_KEY_ID" in shown and "S3_SECRET_ACCESS_KEY" in shown
    assert env["S3_ACCESS_KEY_ID"] == "AKIANEWUSER"
    assert env["S3_SECRET_ACCESS_KEY"] == "new-secret"
    assert env["DB_PASSWORD"] == "db-secret"
    assert args[:2] == ["probe", config.CONFIG_FILE]
    assert args[args.index("--db-host") + 1] == "mysql.example.com"
    assert after == "AKIAREADEROWN", "the reader's own identity is untouched"


def cli_probe_help() -> str:
    """``gitpod-resources probe --help``, as a reader reads it."""
    done = subprocess.run(
        [sys.executable, "-m", "gitpod_resources", "probe", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return " ".join(done.stdout.split())


def test_gcp_probes_the_registry_with_the_key_file(tmp_path: Path) -> None:
    (tmp_path / config.SA_KEY_FILE).write_text('{"type": "service_account"}')
    args, env, _ = run_probe(tmp_path, "", platforms.probe_command("gcp"))
    assert env["REGISTRY_USERNAME"] == "_json_key"
    assert env["REGISTRY_PASSWORD"] == '{"type": "service_account"}'
    assert args == ["probe", config.CONFIG_FILE, "--only", "registry"]


@pytest.mark.parametrize("private_ca", [False, True])
def test_on_prem_hands_over_the_robot_account(tmp_path: Path, private_ca: bool) -> None:
    # As the Harbor step leaves them: shell variables, not exported.
    before = (
        "REGISTRY_USERNAME='robot$gitpod+gitpod' REGISTRY_PASSWORD=from-harbor "
        "DB_HOST=mysql.example.com\nexport DB_PASSWORD=db-secret\n"
    )
    command = platforms.probe_command("on-prem", private_ca=private_ca)
    args, env, _ = run_probe(tmp_path, before, command)
    assert env["REGISTRY_USERNAME"] == "robot$gitpod+gitpod"
    assert env["REGISTRY_PASSWORD"] == "from-harbor"
    assert ("--ca-file" in args) == private_ca
    if private_ca:
        assert args[args.index("--ca-file") + 1] == prerequisites.CA_FILE


BAD = [
    (lambda: platforms.probe_command("azure"), "platform"),
    (lambda: platforms.probe_command("aws", private_ca=True), "private_ca"),
    (lambda: platforms.platform(""), "platform"),
]


@pytest.mark.parametrize(("call", "field"), BAD, ids=[f for _, f in BAD])
def test_bad_input_is_one_line_naming_the_field(call: object, field: str) -> None:
    with pytest.raises(RuleError) as caught:
        call()  # type: ignore[operator]
    message = str(caught.value)
    assert caught.value.field == field and message.startswith(f"{field}: ")
    assert "expected" in message and "\n" not in message


def test_the_credentials_snippet_asks_without_echoing_the_secret(tmp_path: Path) -> None:
    """What a page runs before its secret commands: bash reads the answers into the variables
    those commands read, and prints no secret."""
    require(BASH is not None, "bash runs the snippet")
    snippet = config.credentials_snippet("s3", "registry")
    shown = 'printf "%s|%s|%s|%s\\n" "$S3_ACCESS_KEY_ID" "$S3_SECRET_ACCESS_KEY" '
    shown += '"$REGISTRY_USERNAME" "$REGISTRY_PASSWORD"\n'
    done = subprocess.run(
        [BASH or "bash", "-euo", "pipefail", "-c", snippet + shown],
        input="AKIAEXAMPLE\ns3-secret\nrobot\nregistry-secret\n",
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "AKIAEXAMPLE|s3-secret|robot|registry-secret"
    assert "s3-secret" not in done.stderr and "registry-secret" not in done.stderr
    for kind, secret_command_reads in (
        ("s3", config.secret_command(registry.in_cluster_s3("b-b-b", "eu-west-2"))),
        ("registry", config.secret_command(registry.generic("harbor.example.com"))),
    ):
        read = set(re.findall(r"read -r\w* '[^']*' (\w+)", config.credentials_snippet(kind)))
        assert read == set(re.findall(r"\$(\w+)", secret_command_reads or "")) - {
            "GITPOD_NAMESPACE"
        }


@pytest.mark.parametrize("kinds", [(), ("s3", "gcs")], ids=["none", "gcs"])
def test_credentials_snippet_bad_input(kinds: tuple[str, ...]) -> None:
    with pytest.raises(RuleError) as caught:
        config.credentials_snippet(*kinds)
    assert "expected one" in str(caught.value) and "\n" not in str(caught.value)
