"""Real servers the tests start on loopback and stop again: Debian's ``docker-registry``
(Distribution 2.8) and Debian's MariaDB, each in a directory of its own, and the waiting and
stopping they share.

Used by the probe's tests (``tests/probe/servers.py``: the registry over TLS with htpasswd or
token auth, MariaDB with and without TLS) and the live proofs (``tests/support/live_registry.py``:
the registry on a local S3 server; ``tests/live/test_database_grants_on_mariadb.py``: the guide's
database commands); a test module never imports another.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
import requests
import yaml

T = TypeVar("T")

REGISTRY_BIN = Path("/usr/bin/docker-registry")
MARIADBD = shutil.which("mariadbd") or "/usr/sbin/mariadbd"
INSTALL_DB = shutil.which("mariadb-install-db") or shutil.which("mysql_install_db")
MARIADB = shutil.which("mariadb") or shutil.which("mysql")
START_TIMEOUT = 30.0


def wait_for(what: str, probe: Callable[[], T | None], timeout: float = START_TIMEOUT) -> T:
    """Poll ``probe`` until it returns a value, or fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value is not None:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f}s waiting for {what}", pytrace=False)
        time.sleep(0.05)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def stop(process: subprocess.Popen[bytes], timeout: float = 10) -> None:
    """Terminate, and kill what does not end within ``timeout`` seconds."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=timeout)


# --- Distribution ------------------------------------------------------------------------------


@dataclass
class Registry:
    host: str  # 127.0.0.1:<port>, as it logged it
    sandbox: Path
    log: Path
    process: subprocess.Popen[bytes]
    scheme: str = "http"
    #: The status of the first GET /v2/ that was answered.
    status: int = 0

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.host}"

    def log_tail(self, chars: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-chars:]


def start_registry(
    sandbox: Path,
    config: dict[str, Any],
    *,
    scheme: str = "http",
    verify: str | bool = True,
    timeout: float = START_TIMEOUT,
) -> Registry:
    """``docker-registry serve`` with ``config`` in ``sandbox``, once it listens and answers
    ``GET /v2/``. The config's ``http.addr`` should be ``127.0.0.1:0``: the registry binds a free
    port and logs it, so no other test process can take it in between. A clean environment: the
    registry panics on an inherited ``AWS_CA_BUNDLE``, and no AWS credential or profile of this
    machine may leak into a test."""
    (sandbox / "tmp").mkdir(parents=True, exist_ok=True)
    config_file = sandbox / "config.yml"
    config_file.write_text(yaml.safe_dump(config, sort_keys=False))
    log = sandbox / "registry.log"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(sandbox), "TMPDIR": str(sandbox / "tmp")}
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [str(REGISTRY_BIN), "serve", str(config_file)],
            cwd=sandbox,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    registry = Registry("", sandbox, log, process, scheme)
    try:
        _wait_until_served(registry, verify, timeout)
    except BaseException:
        stop(process)
        raise
    return registry


def _wait_until_served(registry: Registry, verify: str | bool, timeout: float) -> None:
    process, log = registry.process, registry.log

    def running() -> None:
        if process.poll() is not None:
            pytest.fail(f"docker-registry exited:\n{registry.log_tail()}", pytrace=False)

    def listening() -> str | None:
        running()
        found = re.search(r"listening on (127\.0\.0\.1:\d+)", log.read_text(errors="replace"))
        return found.group(1) if found else None

    registry.host = wait_for("docker-registry to listen", listening, timeout)

    def answers() -> int | None:
        running()
        try:
            return requests.get(f"{registry.url}/v2/", timeout=2, verify=verify).status_code
        except requests.ConnectionError:
            return None

    registry.status = wait_for(f"docker-registry on {registry.host}", answers, timeout)


# --- MariaDB -----------------------------------------------------------------------------------


def mariadb_installed() -> bool:
    return Path(MARIADBD).exists() and INSTALL_DB is not None and MARIADB is not None


@dataclass
class MariaDb:
    root: Path
    socket: Path
    port: int
    process: subprocess.Popen[bytes]

    def sql(self, statements: str) -> str:
        """As the server's root, through its private socket."""
        argv = [MARIADB or "mariadb", "--no-defaults", f"--socket={self.socket}", "--user=root"]
        done = subprocess.run(
            [*argv, "--batch", "--skip-column-names"],
            input=statements,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout


def start_mariadb(root: Path, ssl: tuple[Path, Path, Path] | None = None) -> MariaDb:
    """A new server in ``root``, on loopback and a private socket only, its root user reached
    through the socket; ``ssl``: (CA, certificate, key) files, or none for a server without TLS.
    Stop it with :func:`stop`."""
    data, sock = root / "data", root / "server.sock"
    as_root = ["--user=root"] if os.geteuid() == 0 else []
    install = subprocess.run(
        [
            INSTALL_DB or "",
            "--no-defaults",
            f"--datadir={data}",
            "--skip-test-db",
            "--auth-root-authentication-method=socket",
            *as_root,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    port = free_port()
    argv = [MARIADBD, "--no-defaults", f"--datadir={data}", f"--socket={sock}", f"--port={port}"]
    argv += ["--bind-address=127.0.0.1", "--skip-name-resolve", f"--pid-file={root / 'pid'}"]
    argv += [f"--log-error={root / 'error.log'}", *as_root]
    if ssl is not None:
        ca, cert, key = ssl
        argv += [f"--ssl-ca={ca}", f"--ssl-cert={cert}", f"--ssl-key={key}"]
    else:
        argv += ["--skip-ssl"]
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = MariaDb(root, sock, port, process)

    def ready() -> bool | None:
        if process.poll() is not None:
            log = root / "error.log"
            pytest.fail(log.read_text() if log.exists() else "mariadbd exited", pytrace=False)
        ping = subprocess.run(
            [MARIADB or "", "--no-defaults", f"--socket={sock}", "--user=root", "-e", "SELECT 1"],
            capture_output=True,
            timeout=30,
        )
        return True if ping.returncode == 0 else None

    try:
        wait_for("mariadbd", ready)
    except BaseException:
        stop(process)
        raise
    return server
