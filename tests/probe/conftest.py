"""Fixtures of the probe's tests: the servers (started and stopped here, loopback only) and
``probe``, which runs ``gitpod-resources probe`` on a config as a reader runs it, with only the
given credentials in its environment."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from gitpod_resources import cli
from tests.conftest import require
from tests.support.local_servers import (
    REGISTRY_BIN,
    MariaDb,
    mariadb_installed,
    start_mariadb,
    stop,
)

from .servers import HTPASSWD, MOTO_SERVER, Moto, Registries, Tls, make_tls, start_moto

#: Variables of this machine that would change what the probe reads: credentials, CA bundles,
#: Docker and AWS configuration.
CLEARED = ("AWS_", "S3_", "REGISTRY_", "DOCKER_", "DB_")
CLEARED_NAMES = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR")
FINDING = re.compile(r"^(?P<file>[^\n]*?):(?P<line>\d+):(?P<col>\d+): (?P<code>[A-Z]+\d+) ", re.M)
STEP = re.compile(r"^probe: (?P<target>[^:]+): (?P<name>[^:]+): (?P<result>\w+): ", re.M)


@dataclass
class Ran:
    code: int
    out: str
    err: str

    @property
    def codes(self) -> list[str]:
        return [m["code"] for m in FINDING.finditer(self.out)]

    @property
    def probe_codes(self) -> list[str]:
        return [c for c in self.codes if c.startswith("PRB")]

    def steps(self, result: str) -> list[tuple[str, str]]:
        return [(m["target"], m["name"]) for m in STEP.finditer(self.out) if m["result"] == result]

    def line(self, code: str) -> str:
        found = [ln for ln in self.out.splitlines() if f" {code} " in ln]
        assert found, f"no {code} in:\n{self.out}\n{self.err}"
        return found[0]

    def __str__(self) -> str:
        return f"exit {self.code}\n--- stdout\n{self.out}--- stderr\n{self.err}"


Probe = Callable[..., Ran]


@pytest.fixture(scope="session")
def tls(tmp_path_factory: pytest.TempPathFactory) -> Tls:
    return make_tls(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def probe(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Probe:
    """``probe(config_text, *options, env={...})``: the command's exit status and output."""
    for name in list(os.environ):
        if name.startswith(CLEARED) or name in CLEARED_NAMES:
            monkeypatch.delenv(name)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    # Never the instance metadata service (an address beyond loopback).
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")

    def run(config: str, *extra: str, env: dict[str, str] | None = None) -> Ran:
        path = tmp_path / "gitpod.config.yaml"
        path.write_text(config)
        with monkeypatch.context() as m:
            for key, value in (env or {}).items():
                m.setenv(key, value)
            capsys.readouterr()
            try:
                code = cli.main(["probe", str(path), "--timeout", "5", *extra])
            except SystemExit as exit_:  # argparse: usage errors
                code = int(exit_.code or 0)
            out, err = capsys.readouterr()
        return Ran(code, out, err)

    return run


@pytest.fixture
def registries(tmp_path: Path, tls: Tls) -> Iterator[Registries]:
    require(REGISTRY_BIN.exists(), "apt-get install docker-registry")
    require(HTPASSWD is not None, "apt-get install apache2-utils (htpasswd)")
    started = Registries(tmp_path / "registries", tls)
    try:
        yield started
    finally:
        started.stop_all()


@pytest.fixture(scope="module")
def moto_server(tmp_path_factory: pytest.TempPathFactory, tls: Tls) -> Iterator[Moto]:
    require(MOTO_SERVER.exists(), "moto[server] is in the dev dependencies (make setup)")
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    moto = start_moto(tls, log)
    try:
        yield moto
    finally:
        stop(moto.process)


@pytest.fixture
def moto(moto_server: Moto) -> Moto:
    """The moto server, emptied, with its authorization checks off until ``enforce()``."""
    moto_server.reset()
    return moto_server


def _mariadb(root: Path, tls: Tls | None) -> Iterator[MariaDb]:
    require(
        mariadb_installed(),
        "needs Debian's mariadb-server (mariadbd, mariadb-install-db and the mariadb client)",
    )
    server = start_mariadb(root, None if tls is None else (tls.ca, tls.cert, tls.key))
    try:
        yield server
    finally:
        stop(server.process)


@pytest.fixture(scope="module")
def mariadb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MariaDb]:
    """MariaDB on loopback and a private socket, without TLS."""
    yield from _mariadb(tmp_path_factory.mktemp("mariadb"), None)


@pytest.fixture(scope="module")
def mariadb_tls(tmp_path_factory: pytest.TempPathFactory, tls: Tls) -> Iterator[MariaDb]:
    """MariaDB with TLS, its certificate signed by the test CA."""
    yield from _mariadb(tmp_path_factory.mktemp("mariadb-tls"), tls)
