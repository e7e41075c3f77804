"""The ``aws`` command of a page's snippet, run against a local S3/IAM server.

bash runs the snippet as a reader would (variables, heredocs, ``$(...)``, redirections); the
``aws`` it finds on its ``PATH`` is a small stdlib-only script that sends its arguments, working
directory and AWS credentials over a unix socket to :class:`AwsCli`, which runs in the test
process. That reads the command line the way the AWS CLI does, for exactly what the guide's
commands use, and makes the same API call with boto3 against the local server:

- ``aws <service> <operation>``: ``s3api`` is the ``s3`` API; the operation is the API
  operation whose name, in the CLI's kebab case, is the one given (botocore's ``xform_name``).
- ``--<parameter> <value>``: the operation's input member of that kebab-case name; a string
  (``file://<path>`` reads the file, relative to the working directory, as the CLI's paramfile
  does), or a structure in JSON or in the CLI's shorthand ``Key=value,Key=value`` (scalar
  members only, converted by their type).
- the global options ``--region``, ``--query`` (JMESPath, as the CLI applies it) and
  ``--output text|json``.

Anything else (another global option, a parameter the operation lacks, nested shorthand) is
refused with exit code 252, so a page cannot use an option this runner would only pretend to
understand. An API error prints the CLI's ``An error occurred (<Code>) when calling the <Op>
operation: <Message>`` and exits 254, as AWS CLI v2 does.
"""

from __future__ import annotations

import json
import shutil
import socketserver
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import boto3
import botocore.exceptions
import jmespath
from botocore import xform_name
from botocore.model import OperationModel, ServiceModel, Shape
from botocore.session import get_session

SERVICES = {"s3api": "s3", "iam": "iam"}
_SESSION = get_session()
GLOBAL_OPTIONS = ("--region", "--query", "--output")
#: What the shim forwards from its environment (credentials and the CLI's default region).
FORWARDED_ENV = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION")
SOCKET_ENV = "AWS_CLI_SHIM_SOCKET"
USAGE, API_ERROR = 252, 254

#: The ``aws`` executable bash finds: the standard library only, so each call costs milliseconds.
SHIM = """#!{python} -S
import json, os, socket, sys
keys = {forwarded!r}
request = {{"argv": sys.argv[1:], "cwd": os.getcwd(),
            "env": {{k: os.environ[k] for k in keys if k in os.environ}}}}
with socket.socket(socket.AF_UNIX) as s:
    s.connect(os.environ[{socket_env!r}])
    s.sendall(json.dumps(request).encode())
    s.shutdown(socket.SHUT_WR)
    reply = json.loads(b"".join(iter(lambda: s.recv(65536), b"")).decode())
sys.stdout.write(reply["stdout"])
sys.stderr.write(reply["stderr"])
sys.exit(reply["code"])
"""


class RefusedError(Exception):
    """A command line this runner does not model: the test must not pass on it."""


@dataclass
class Call:
    """One API call made for an ``aws`` command line."""

    service: str
    operation: str
    params: dict[str, Any]
    region: str
    result: dict[str, Any] | None = None
    error: str | None = None


@dataclass
class Reply:
    stdout: str
    stderr: str
    code: int


def _scalar(shape: Shape, text: str) -> Any:
    if shape.type_name == "boolean":
        if text not in ("true", "false"):
            raise RefusedError(f"{shape.name}: expected true or false, got {text!r}")
        return text == "true"
    if shape.type_name in ("integer", "long"):
        return int(text)
    if shape.type_name == "string":
        return text
    raise RefusedError(f"shorthand for a {shape.type_name} member is not modelled")


def _structure(shape: Shape, text: str) -> dict[str, Any]:
    if text.lstrip().startswith("{"):
        value = json.loads(text)
        assert isinstance(value, dict)
        return value
    members = shape.members  # type: ignore[attr-defined]
    out: dict[str, Any] = {}
    for pair in text.split(","):
        key, eq, value = pair.partition("=")
        if not eq or key not in members:
            raise RefusedError(f"shorthand {pair!r}: {shape.name} has no member {key!r}")
        out[key] = _scalar(members[key], value)
    return out


@cache
def _service_model(service: str) -> ServiceModel:
    return _SESSION.get_service_model(service)


def parse(argv: list[str], cwd: Path) -> tuple[str, str, dict[str, Any], dict[str, str]]:
    """(service, operation, params, global options) for an ``aws`` command line."""
    if len(argv) < 2 or argv[0] not in SERVICES:
        raise RefusedError(f"not modelled: aws {' '.join(argv[:2])}")
    service = SERVICES[argv[0]]
    model = _service_model(service)
    names = {xform_name(op, "-"): op for op in model.operation_names}
    if argv[1] not in names:
        raise RefusedError(f"{argv[0]} has no operation {argv[1]!r}")
    operation: OperationModel = model.operation_model(names[argv[1]])
    members = operation.input_shape.members if operation.input_shape else {}
    by_flag = {f"--{xform_name(name, '-')}": name for name in members}
    params: dict[str, Any] = {}
    options: dict[str, str] = {}
    rest = argv[2:]
    while rest:
        flag, *rest = rest
        if not rest:
            raise RefusedError(f"{flag} has no value")
        value, *rest = rest
        if flag in GLOBAL_OPTIONS:
            options[flag[2:]] = value
            continue
        if flag not in by_flag:
            raise RefusedError(f"aws {argv[0]} {argv[1]} has no parameter {flag}")
        name = by_flag[flag]
        if value.startswith("file://"):
            value = (cwd / value.removeprefix("file://")).read_text()
        shape = members[name]
        params[name] = (
            _structure(shape, value) if shape.type_name == "structure" else _scalar(shape, value)
        )
    if options.get("output", "json") not in ("json", "text"):
        raise RefusedError(f"--output {options['output']} is not modelled")
    return service, operation.name, params, options


def _text(value: Any) -> str:
    """The CLI's ``--output text`` for what a query selected: scalars as they are, a list's
    items separated by tabs, one line."""
    if isinstance(value, list):
        return "\t".join(_text(v) for v in value)
    return "None" if value is None else str(value)


@dataclass
class AwsCli:
    """Runs the guide's ``aws`` command lines against ``endpoint``; records every call."""

    endpoint: str
    calls: list[Call] = field(default_factory=list)
    _clients: dict[tuple[str, str, str, str], Any] = field(default_factory=dict)

    def client(self, service: str, region: str, access: str, secret: str) -> Any:
        """One boto3 client per service, region and key (creating one costs ~0.1 s)."""
        key = (service, region, access, secret)
        if key not in self._clients:
            self._clients[key] = boto3.client(
                service,
                endpoint_url=self.endpoint,
                region_name=region,
                aws_access_key_id=access,
                aws_secret_access_key=secret,
            )
        return self._clients[key]

    def run(self, argv: list[str], cwd: Path, env: dict[str, str]) -> Reply:
        try:
            service, operation, params, options = parse(argv, cwd)
        except RefusedError as refused:
            return Reply("", f"aws (test runner): {refused}\n", USAGE)
        region = options.get("region") or env.get("AWS_DEFAULT_REGION")
        if not region:
            return Reply("", "You must specify a region.\n", USAGE)
        call = Call(service, operation, params, region)
        self.calls.append(call)
        client = self.client(
            service, region, env.get("AWS_ACCESS_KEY_ID", ""), env.get("AWS_SECRET_ACCESS_KEY", "")
        )
        try:
            result = getattr(client, xform_name(operation))(**params)
        except botocore.exceptions.ClientError as err:
            error = err.response.get("Error", {})
            call.error = str(error.get("Code"))
            message = (
                f"An error occurred ({error.get('Code')}) when calling the {operation} "
                f"operation: {error.get('Message')}\n"
            )
            return Reply("", message, API_ERROR)
        result.pop("ResponseMetadata", None)
        call.result = result
        selected = jmespath.search(options["query"], result) if "query" in options else result
        if options.get("output", "json") == "text":
            return Reply(_text(selected) + "\n", "", 0)
        if selected == {}:
            return Reply("", "", 0)  # the CLI prints nothing for an empty response
        return Reply(json.dumps(selected, indent=4, default=str) + "\n", "", 0)


@contextmanager
def shim(directory: Path, endpoint: str) -> Iterator[tuple[Path, AwsCli]]:
    """A ``bin`` directory holding the ``aws`` shim, and the :class:`AwsCli` it talks to;
    put the directory first on ``PATH`` and :data:`SOCKET_ENV` in the environment
    (:func:`environment`)."""
    cli = AwsCli(endpoint)
    # A unix socket's path must stay under 108 bytes: a short directory of its own.
    socket_dir = Path(tempfile.mkdtemp(prefix="aws-"))
    path = socket_dir / "aws.sock"

    class Handler(socketserver.StreamRequestHandler):
        def handle(self) -> None:
            request = json.loads(self.rfile.read().decode())
            reply = cli.run(request["argv"], Path(request["cwd"]), request["env"])
            self.wfile.write(json.dumps(reply.__dict__).encode())

    server = socketserver.ThreadingUnixStreamServer(str(path), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    bin_dir = directory / "bin"
    bin_dir.mkdir(exist_ok=True)
    script = bin_dir / "aws"
    script.write_text(
        SHIM.format(python=sys.executable, forwarded=FORWARDED_ENV, socket_env=SOCKET_ENV)
    )
    script.chmod(0o755)
    (bin_dir / SOCKET_ENV).write_text(str(path))
    try:
        yield bin_dir, cli
    finally:
        server.shutdown()
        server.server_close()
        shutil.rmtree(socket_dir, ignore_errors=True)


def environment(bin_dir: Path, key: tuple[str, str], home: Path) -> dict[str, str]:
    """A clean environment for bash: the shim first on ``PATH``, the given credentials, no
    profile or CA bundle of this machine."""
    return {
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "HOME": str(home),
        SOCKET_ENV: (bin_dir / SOCKET_ENV).read_text(),
        "AWS_ACCESS_KEY_ID": key[0],
        "AWS_SECRET_ACCESS_KEY": key[1],
    }
