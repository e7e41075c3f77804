"""A reader's shell for the commands a platform page gives: bash, with the cloud and cluster tools
as small recording programs (nothing leaves this machine), and the real ``gitpod-resources check``.

``aws``, ``gcloud``, ``kubectl``, ``mysql`` and ``curl`` record their arguments (and what they
read from a here-document) under ``calls/`` and answer as the real ones would where the next
command reads the answer: an IAM policy's ARN, an access key, a service account's email and key
file, a Harbor robot account. ``gitpod-resources probe`` records its arguments and the variables
the probe reads; ``gitpod-resources check`` is the real one. ``jq`` and ``openssl`` are the
system's.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

#: What the fake access key and the fake Harbor robot answer (the commands pass them on).
FAKE_KEY_ID = "AKIAFAKEREADERKEY"
FAKE_SECRET_KEY = "fake-secret-access-key"
FAKE_ROBOT_SECRET = "robot-secret-from-harbor"

_RECORD = r"""
n=$(ls "$CALLS" | wc -l)
out="$CALLS/$(printf '%03d' "$n")-$(basename "$0")"
printf '%s\0' "$@" > "$out.args"
"""

FAKES = {
    "aws": _RECORD
    + r"""
case "$1 $2" in
  "iam create-policy") echo "arn:$FAKE_ARN_PARTITION:iam::123456789012:policy/$IAM_POLICY" ;;
  "iam create-access-key") printf '%s\t%s\n' "$FAKE_KEY_ID" "$FAKE_SECRET_KEY" ;;
esac
""",
    "gcloud": _RECORD
    + r"""
project=""
for a in "$@"; do case "$a" in --project=*) project="${a#--project=}" ;; esac; done
case "$1 $2 $3" in
  "iam service-accounts create") echo "$4@${project#*:}.iam.gserviceaccount.com" ;;
  "iam service-accounts keys") printf '{"type": "service_account", "for": "%s"}' "$5" > "$5" ;;
  "sql connect "*) cat > "$out.stdin" ;;
esac
""",
    "kubectl": _RECORD,
    "mysql": _RECORD + 'cat > "$out.stdin"\n',
    "curl": _RECORD
    + r"""
output=""
while [ $# -gt 0 ]; do [ "$1" = --output ] && output="$2"; shift; done
cat > "$out.stdin"
if [ -n "$output" ]; then
  printf '{"name": "robot$%s+%s", "secret": "%s"}\n' \
    "$HARBOR_PROJECT" "$HARBOR_ROBOT" "$FAKE_ROBOT_SECRET" > "$output"
fi
""",
    "gitpod-resources": r"""
if [ "$1" = check ]; then exec "$READER_PYTHON" -m gitpod_resources "$@"; fi
"""
    + _RECORD
    + r"""
for v in REGISTRY_USERNAME REGISTRY_PASSWORD S3_ACCESS_KEY_ID S3_SECRET_ACCESS_KEY \
         AWS_ACCESS_KEY_ID DB_PASSWORD; do
  if [ -n "${!v+set}" ]; then printf '%s=%s\0' "$v" "${!v}"; fi
done > "$out.env"
""",
}


@dataclass(frozen=True)
class Call:
    tool: str
    args: list[str]
    stdin: str | None
    env: dict[str, str]


@dataclass
class ReaderShell:
    home: Path

    @property
    def calls_dir(self) -> Path:
        return self.home / "calls"

    def calls(self, tool: str | None = None) -> list[Call]:
        out = []
        for args in sorted(self.calls_dir.glob("*.args")):
            name = args.name.removesuffix(".args").split("-", 1)[1]
            if tool is not None and name != tool:
                continue
            stdin = args.with_suffix(".stdin")
            env = args.with_suffix(".env")
            out.append(
                Call(
                    name,
                    args.read_text().split("\0")[:-1],
                    stdin.read_text() if stdin.exists() else None,
                    dict(e.split("=", 1) for e in env.read_text().split("\0")[:-1])
                    if env.exists()
                    else {},
                )
            )
        return out

    def run(
        self, script: str, *, stdin: str = "", env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        """``script`` in bash, stopping at the first failure or unset variable."""
        return subprocess.run(
            ["bash", "-euo", "pipefail", "-c", script],
            cwd=self.home,
            env={
                "PATH": f"{self.home / 'bin'}:/usr/bin:/bin",
                "HOME": str(self.home),
                "CALLS": str(self.calls_dir),
                "READER_PYTHON": sys.executable,
                "FAKE_KEY_ID": FAKE_KEY_ID,
                "FAKE_SECRET_KEY": FAKE_SECRET_KEY,
                "FAKE_ROBOT_SECRET": FAKE_ROBOT_SECRET,
                "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
                **(env or {}),
            },
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
        )


def reader_shell(home: Path) -> ReaderShell:
    """An empty home with the fakes first on ``PATH``."""
    assert shutil.which("bash"), "bash runs the reader's commands"
    bin_dir = home / "bin"
    bin_dir.mkdir(parents=True)
    (home / "calls").mkdir()
    for name, body in FAKES.items():
        tool = bin_dir / name
        tool.write_text("#!/bin/bash\nset -eu\n" + body)
        tool.chmod(tool.stat().st_mode | stat.S_IXUSR)
    return ReaderShell(home)


def kubectl_secrets(shell: ReaderShell) -> dict[str, dict[str, str]]:
    """Secret name -> data key -> value, for each ``kubectl create secret`` the shell ran, as the
    values reached kubectl (after the shell filled the variables in)."""
    out: dict[str, dict[str, str]] = {}
    for call in shell.calls("kubectl"):
        if call.args[:2] != ["create", "secret"]:
            continue
        kind, name = call.args[2], call.args[3]
        data: dict[str, str] = {}
        for arg in call.args[4:]:
            flag, _, value = arg.partition("=")
            if flag == "--from-literal":
                key, _, literal = value.partition("=")
                data[key] = literal
            elif flag == "--from-file":
                key, _, path = value.partition("=")
                data[key] = (shell.home / path).read_text()
            elif kind == "docker-registry" and flag.startswith("--docker-"):
                data[flag.removeprefix("--docker-")] = value
        out[name] = data
    return out


def json_text(text: str) -> object:
    return json.loads(text)
