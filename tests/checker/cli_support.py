"""What the command-line tests share: sample configs and the two ways to run the command (the
installed script in a subprocess, or its function in this process)."""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from gitpod_resources import cli as command
from tests.conftest import BIN, ROOT


def project_url() -> str:
    """pyproject.toml's [project.urls] Documentation: the one URL of the guide."""
    urls = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]
    return str(urls["Documentation"])


COMMAND = BIN / "gitpod-resources"
LINE = re.compile(r"^(?P<file>.+):(\d+):(\d+): ([A-Z]+\d{3}) (error|warning): .+ \(fix: .+\)$")

CLEAN = "apiVersion: v1\ncontainerRegistry:\n  inCluster: true\n"
BROKEN = (
    "apiVersion: v1\n"
    "containerRegistry:\n"
    "  inCluster: true\n"
    "  s3storage:\n"
    "    bucket: gitpod-registry\n"
    "    region: eu-west-2\n"
    "    endpoint: s3.amazonaws.com\n"
    "    certificate: {kind: secret, name: container-registry-s3-backend}\n"
)
WARNS = (
    "apiVersion: v1\ncontainerRegistry:\n  inCluster: false\n  external:\n"
    "    url: gcr.io/my-gcp-project/gitpod\n"
    "    certificate: {kind: secret, name: container-registry}\n"
)
KOTS = (
    "apiVersion: kots.io/v1beta1\nkind: ConfigValues\nspec:\n  values:\n"
    '    reg_incluster: {value: "0"}\n'
    "    reg_url: {value: harbor.example.com/gitpod}\n"
    "    reg_server: {value: harbor.example.com}\n"
    "    reg_username: {value: gitpod}\n"
    "    reg_password: {valuePlaintext: gitpod-token}\n"
)


def cli(
    *args: str, stdin: bytes | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """The installed console script in a subprocess."""
    assert COMMAND.exists(), "run `make setup`: it installs the console script into .venv/bin"
    proc = subprocess.run(
        [str(COMMAND), *args],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        timeout=120,
    )
    stderr = proc.stderr.decode()
    assert "internal error" not in stderr and "Traceback" not in stderr, stderr
    return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode(), stderr)


def cli_in_process(
    *args: str, stdin: bytes | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """What :func:`cli` returns, from the script's function called in this process."""
    out, err = io.StringIO(), io.StringIO()
    old_stdin, old_cwd = sys.stdin, Path.cwd()
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin or b""))
    try:
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = command.main(list(args))
            except SystemExit as exit_:  # argparse: usage errors and --version
                code = exit_.code if isinstance(exit_.code, int) else 1
    finally:
        sys.stdin = old_stdin
        os.chdir(old_cwd)
    stderr = err.getvalue()
    assert "internal error" not in stderr and "Traceback" not in stderr, stderr
    return subprocess.CompletedProcess(["gitpod-resources", *args], code, out.getvalue(), stderr)


def write(tmp_path: Path, name: str, text: str | bytes) -> str:
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return name


SUPPRESSED = WARNS.replace(
    "    url: gcr.io/my-gcp-project/gitpod\n",
    "    url: gcr.io/my-gcp-project/gitpod  # gitpod-resources: ignore[REG214]\n",
)
