"""``gitpod-resources probe``: read the config as ``check`` does, find what it names, gather the
credentials, run each probe, and print like ``check``.

Exit status as ``check``'s: 0 no errors, 1 errors (``check``'s or the probe's), 2 unusable input
(a config ``check`` cannot read), 3 a usage error (an option or credential that is missing or
malformed, or the ``probe`` extra not installed: one line on stderr naming it and the form it
takes).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from gitpod_resources import database, registry, schema
from gitpod_resources.checker import (
    STDIN_NAME,
    UNUSABLE,
    FileResult,
    Finding,
    check_bytes,
    detect,
    document,
)
from gitpod_resources.checker.checks import container_registry as reg_checks
from gitpod_resources.checker.checks import database as db_checks
from gitpod_resources.checker.checks import object_storage as sto_checks
from gitpod_resources.checker.common import Value, bare, kots_item
from gitpod_resources.checker.model import Document, get
from gitpod_resources.checker.tree import (
    UnusableInputError,
    YMap,
    compose_documents,
    read_limited,
    to_tree,
)
from gitpod_resources.database import DatabaseOption
from gitpod_resources.errors import RuleError
from gitpod_resources.storage import StorageOption

from . import findings
from . import options as opts
from .context import Context, Result, Step
from .findings import Where
from .net import Limits, Secret

PROG = "gitpod-resources"
#: As ``check``'s (gitpod_resources.cli): usage errors (a missing or malformed option or
#: credential, the probe extra not installed) are 3.
EXIT_OK, EXIT_ERRORS, EXIT_UNUSABLE, EXIT_USAGE = 0, 1, 2, 3
NEEDS = "requests, boto3 and PyMySQL"
INSTALL_HINT = "pip install 'gitpod-resources[probe]'"


class UsageError(Exception):
    """Input the probe cannot run with; ``str()`` is one line naming the field and its form."""

    def __init__(self, field: str, problem: str, form: str) -> None:
        super().__init__(f"{field}: {problem}; expected {form}")


# --- reading the config ------------------------------------------------------------------------


def read(path: str, release: schema.Release) -> tuple[str, bytes | FileResult]:
    """The config's name and bytes, or ``check``'s result for input it cannot read (CFG100)."""
    name = STDIN_NAME if path == "-" else path
    try:
        if path == "-":
            return name, read_limited(sys.stdin.buffer, name)
        with Path(path).open("rb") as stream:
            return name, read_limited(stream, name)
    except UnusableInputError as err:
        message = str(err)
    except OSError as err:
        message = f"cannot read: {err.strerror or err}"
    chk = get(UNUSABLE)
    f = Finding(name, 1, 1, "", UNUSABLE, chk.severity, message, chk.fix, chk.docs_url, 0, release)
    return name, FileResult(name, findings=[f], release=release)


def first_document(data: bytes, release: schema.Release) -> Document:
    """The first document, as the installer reads only that one (``check`` has passed on it)."""
    number, node = compose_documents(data)[0]
    assert not isinstance(node, UnusableInputError)
    kind, root = detect(to_tree(node), number)
    return document(kind, root, number, date.today(), release)


def at(v: Value | None, fallback: Where) -> Where:
    return Where(v.path, v.node.line, v.node.column) if v is not None else fallback


def _node_at(doc: Document, path: str) -> Where | None:
    """Where a dotted installer path is written (the config as written), if it is."""
    node: object = doc.root
    for part in path.split("."):
        if not isinstance(node, YMap):
            return None
        node = node.get(part)
    if node is None:
        return None
    line, column = getattr(node, "line", 0), getattr(node, "column", 0)
    return Where(path, int(line), int(column))


def _anchor(where: Any) -> Where:
    return Where(where.path, where.line, where.column)


# --- credentials -------------------------------------------------------------------------------


@dataclass
class Inputs:
    """What the probe needs besides the config, read from options and the environment."""

    args: argparse.Namespace
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))

    def get(self, name: str) -> str | None:
        value = self.env.get(name)
        return value if value else None


def _docker_config(path: str, required: bool) -> dict[str, Any] | None:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        if not required:
            return None
        raise UsageError(
            "--docker-config", f"{path} does not exist", "a Docker config file"
        ) from None
    except (OSError, ValueError) as err:
        raise UsageError(
            "--docker-config", f"cannot read {path} ({type(err).__name__})", "a JSON Docker config"
        ) from None
    if not isinstance(data, dict):
        raise UsageError("--docker-config", f"{path} is not a JSON object", "a Docker config")
    return data


def registry_credentials(inputs: Inputs, key: str, kots_user: str | None) -> Any:
    """From --registry-username (or REGISTRY_USERNAME) and REGISTRY_PASSWORD, else from a Docker
    config file's entry for the server key; None: no credentials (an anonymous push)."""
    from .registry import Credentials, docker_config_entry

    args = inputs.args
    user = args.registry_username or inputs.get(opts.ENV_REGISTRY_USERNAME)
    password = inputs.get(opts.ENV_REGISTRY_PASSWORD)
    if password is not None and user is None:
        user = kots_user
    if user is not None or password is not None:
        if user is None:
            raise UsageError(
                "--registry-username",
                f"not given, and {opts.ENV_REGISTRY_USERNAME} is not set",
                f"the user that goes with {opts.ENV_REGISTRY_PASSWORD}",
            )
        if password is None:
            raise UsageError(
                opts.ENV_REGISTRY_PASSWORD,
                "not set",
                f"the password (or token) of {user!r} in the environment variable "
                f"{opts.ENV_REGISTRY_PASSWORD}",
            )
        source = f"{opts.ENV_REGISTRY_USERNAME}/{opts.ENV_REGISTRY_PASSWORD}"
        if args.registry_username:
            source = f"--registry-username and {opts.ENV_REGISTRY_PASSWORD}"
        return Credentials(user, Secret(password), source)
    path = args.docker_config
    required = path is not None
    if path is None:
        home = inputs.get("DOCKER_CONFIG") or str(Path(inputs.get("HOME") or "~") / ".docker")
        path = str(Path(home).expanduser() / "config.json")
    config = _docker_config(path, required)
    if config is None:
        return None
    found = docker_config_entry(config, key)
    if found is None:
        return None
    name, username, secret = found
    return Credentials(username, Secret(secret), f"{path} (entry {name!r})")


# --- targets -----------------------------------------------------------------------------------


@dataclass
class Plan:
    """What to probe, with everything each probe needs."""

    registry: Any = None
    buckets: list[Any] = field(default_factory=list)
    database: Any = None
    #: (boto3 session, where its key came from), when a bucket is probed.
    aws: tuple[Any, str] | None = None
    #: (target, why) of what the config uses that the probe does not reach.
    skipped: list[tuple[str, str]] = field(default_factory=list)


def _registry(doc: Document, inputs: Inputs, plan: Plan) -> None:
    from .registry import RegistryTarget
    from .s3 import BucketTarget

    v = reg_checks.view(doc)
    if v is None or v.in_cluster is None:
        plan.skipped.append(("registry", "the config uses the in-cluster registry (default)"))
        return
    anchor = _anchor(v.anchor)
    if v.in_cluster:
        if not v.s3:
            plan.skipped.append(
                ("registry", "the in-cluster registry on a volume: nothing to reach before")
            )
            return
        if v.bucket is None or v.region is None or v.endpoint is None:
            plan.skipped.append(("registry storage", "bucket, region or endpoint not set"))
            return
        plan.buckets.append(
            BucketTarget(
                "registry storage",
                True,
                v.bucket.text,
                bare(v.endpoint.text),
                v.region.text,
                at(v.bucket, anchor),
                at(v.region, anchor),
                at(v.endpoint, anchor),
            )
        )
        return
    url = reg_checks.usable_url(v.url) if v.url is not None else None
    if url is None or v.url is None:
        plan.skipped.append(("registry", "no usable registry URL"))
        return
    url_at = at(v.url, anchor)
    kots_user = None
    if v.kind.value == "kots":
        if v.server is not None:
            key, key_source, key_at = v.server.text, "the server", at(v.server, url_at)
        else:
            key, key_source, key_at = v.url.text, "the URL: the server is empty", url_at
        user = kots_item(doc, "reg_username")
        kots_user = user.text if user is not None else None
    elif inputs.args.registry_server:
        key, key_source = inputs.args.registry_server, "--registry-server"
        key_at = _node_at(doc, "containerRegistry.external.certificate.name") or url_at
    else:
        key = registry.registry_server(url)
        key_source = "the URL's host, as the guide's secret command writes it"
        key_at = _node_at(doc, "containerRegistry.external.certificate.name") or url_at
    creds = registry_credentials(inputs, key, kots_user)
    plan.registry = RegistryTarget(url, key, key_source, url_at, key_at, creds)


def _storage(doc: Document, plan: Plan) -> None:
    from .s3 import BucketTarget

    v = sto_checks.view(doc)
    if v is None or v.option is None or v.option is StorageOption.IN_CLUSTER:
        plan.skipped.append(("object storage", "in-cluster MinIO: nothing to reach before"))
        return
    if v.option is not StorageOption.S3:
        label = sto_checks.PROVIDER_LABEL.get(v.option, v.option.value)
        plan.skipped.append(("object storage", f"{label}: the probe reaches S3 only"))
        return
    if v.endpoint is None or v.region is None:
        plan.skipped.append(("object storage", "endpoint or region not set"))
        return
    anchor = _anchor(v.anchor)
    plan.buckets.append(
        BucketTarget(
            "object storage",
            False,
            v.bucket.text if v.bucket is not None else None,
            bare(v.endpoint.text),
            v.region.text,
            at(v.bucket, anchor),
            at(v.region, anchor),
            at(v.endpoint, anchor),
        )
    )


def _file(value: str | None, field_name: str) -> str | None:
    if value is None:
        return None
    if not Path(value).is_file():
        raise UsageError(field_name, f"{value} is not a readable file", "a PEM certificate file")
    return value


def _database(doc: Document, inputs: Inputs, plan: Plan) -> None:
    from .database import DatabaseTarget

    args = inputs.args
    v = db_checks.view(doc)
    if v is None or v.option is None or v.option is DatabaseOption.IN_CLUSTER:
        plan.skipped.append(("database", "in-cluster MySQL: nothing to reach before"))
        return
    anchor = _anchor(v.anchor)
    if v.option is DatabaseOption.CLOUD_SQL and not args.db_host:
        plan.skipped.append(
            (
                "database",
                "Cloud SQL is reached through the proxy the installer deploys; run "
                "cloud_sql_proxy here and give its address with --db-host",
            )
        )
        return
    host_text = args.db_host or (v.host.text if v.host is not None else None)
    if host_text is None:
        raise UsageError(
            "--db-host",
            "not given (an installer config keeps the host in its secret)",
            "the database server's host name or IP address",
        )
    try:
        host = database.validate_host(host_text, "--db-host" if args.db_host else "db_host")
        port_text = args.db_port or (v.port.text if v.port is not None else None)
        port = database.validate_port(
            port_text or database.DEFAULT_PORT, "--db-port" if args.db_port else "db_port"
        )
        user_text = args.db_username or (v.username.text if v.username is not None else None)
        user = database.validate_username(user_text or database.DEFAULT_USERNAME, "--db-username")
    except RuleError as err:
        raise UsageError(err.field, f"{err.value!r} is not valid", err.allowed) from None
    password = inputs.get(opts.ENV_DB_PASSWORD)
    if password is None:
        raise UsageError(
            opts.ENV_DB_PASSWORD,
            "not set",
            f"the password of the database user {user!r} in the environment variable "
            f"{opts.ENV_DB_PASSWORD} (or leave the database out with --only)",
        )
    tls_at = _node_at(doc, "database.ssl.caCert.name")
    ca = _file(args.db_ca_file, "--db-ca-file")
    if tls_at is not None and ca is None:
        raise UsageError(
            "--db-ca-file",
            "not given, and the config sets database.ssl.caCert",
            "the CA certificate file you put in that secret (its ca.crt)",
        )
    where = at(v.host, _node_at(doc, "database.external.certificate.name") or anchor)
    plan.database = DatabaseTarget(host, port, user, Secret(password), ca, where, tls_at or where)


def plan_for(doc: Document, inputs: Inputs) -> Plan:
    only = set(inputs.args.only or opts.TARGETS)
    plan = Plan()
    if "registry" in only:
        _registry(doc, inputs, plan)
    if "storage" in only:
        _storage(doc, plan)
    if "database" in only:
        _database(doc, inputs, plan)
    if plan.buckets:
        plan.aws = aws_credentials(inputs)
    return plan


def aws_credentials(inputs: Inputs) -> tuple[Any, str]:
    """(boto3 session, where its key came from): the variables the guide's secret commands
    read, when set; else the AWS credential chain (environment, profile)."""
    import boto3  # type: ignore[import-untyped]

    key_id, secret = inputs.get(opts.ENV_S3_ACCESS_KEY), inputs.get(opts.ENV_S3_SECRET_KEY)
    if key_id is not None or secret is not None:
        missing = opts.ENV_S3_SECRET_KEY if secret is None else opts.ENV_S3_ACCESS_KEY
        if key_id is None or secret is None:
            raise UsageError(
                missing,
                "not set",
                f"both {opts.ENV_S3_ACCESS_KEY} and {opts.ENV_S3_SECRET_KEY} (the key you put "
                "in the secret), or neither (the AWS credential chain)",
            )
        session = boto3.session.Session(aws_access_key_id=key_id, aws_secret_access_key=secret)
        return session, f"{opts.ENV_S3_ACCESS_KEY}/{opts.ENV_S3_SECRET_KEY}"
    session = boto3.session.Session()
    if session.get_credentials() is None:
        raise UsageError(
            "AWS credentials",
            "none found",
            f"{opts.ENV_S3_ACCESS_KEY} and {opts.ENV_S3_SECRET_KEY} (the key you put in the "
            "secret), or the AWS credential chain (AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY, or a profile)",
        )
    return session, "the AWS credential chain"


# --- running -----------------------------------------------------------------------------------


def run_plan(ctx: Context, plan: Plan) -> None:
    from . import database as db_probe
    from . import registry as reg_probe
    from . import s3

    for target, why in plan.skipped:
        ctx.step(target, "not probed", Result.SKIPPED, why)
    if plan.registry is not None:
        reg_probe.probe(ctx, plan.registry)
    for bucket in plan.buckets:
        assert plan.aws is not None
        s3.probe(ctx, bucket, *plan.aws)
    if plan.database is not None:
        db_probe.probe(ctx, plan.database)


def progress_writer(stream: TextIO) -> Callable[[str], None]:
    """A progress line per step on a terminal; nothing otherwise."""
    if not stream.isatty():
        return lambda _: None

    def write(line: str) -> None:
        print(f"{PROG} probe: {line}", file=stream, flush=True)

    return write


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def step_line(s: Step) -> str:
    return f"probe: {s.target}: {s.name}: {s.result.value}: {s.detail}"


def summary(result: FileResult, steps: Sequence[Step], ran: bool) -> str:
    errors, warnings = result.errors, result.warnings
    release = result.release.value
    if not ran:
        return (
            f"Probe of {result.file} not started: check found {_count(errors, 'error')} "
            f"against Gitpod {release}; fix them first."
        )
    probed = sorted({s.target for s in steps if s.result is not Result.SKIPPED})
    what = ", ".join(probed) or "nothing"
    return (
        f"Probed {what} of {result.file} for Gitpod {release}: "
        f"{_count(errors, 'error')}, {_count(warnings, 'warning')}."
    )


def human(result: FileResult, steps: Sequence[Step], ran: bool, color: bool = False) -> str:
    from gitpod_resources.checker import report

    lines = [report.human_line(f, color) for f in result.findings if f.code != "CFG100"]
    lines += [report.visible(step_line(s)) for s in steps]
    return "\n".join([*lines, summary(result, steps, ran)]) + "\n"


def sarif(result: FileResult) -> str:
    """The checker's SARIF log, with the probe's codes as rules of their own."""
    from gitpod_resources.checker import sarif as checker_sarif

    probed = [f for f in result.findings if f.code in findings.CODES]
    plain = dataclasses.replace(
        result, findings=[f for f in result.findings if f.code not in findings.CODES]
    )
    log = checker_sarif.log([plain])
    run = log["runs"][0]  # type: ignore[index]
    rules: list[dict[str, object]] = run["tool"]["driver"]["rules"]
    index = {code: len(rules) + i for i, code in enumerate(findings.CODES)}
    rules += [_sarif_rule(c) for c in findings.CODES.values()]
    run["results"] += [checker_sarif.result(f, index[f.code], False) for f in probed]
    return json.dumps(log, indent=2) + "\n"


def _sarif_rule(code: findings.Code) -> dict[str, object]:
    return {
        "id": code.code,
        "shortDescription": {"text": code.title},
        "help": {"text": f"See {code.docs_url}"},
        "helpUri": code.docs_url,
        "defaultConfiguration": {"level": code.severity.value},
        "properties": {"tags": ["PRB"]},
    }


def write(fmt: str, result: FileResult, steps: Sequence[Step], ran: bool) -> str:
    """The output in ``fmt``: ``human`` here (findings, then each step and a summary), SARIF with
    the probe's rules added; any other format is the checker's writer."""
    from gitpod_resources.checker import report

    if fmt == "human":
        return human(result, steps, ran, report.use_color(sys.stdout))
    if fmt == "sarif":
        return sarif(result)
    return report.render(fmt, [result], release=result.release.value)


def run(args: argparse.Namespace) -> int:
    """The probe command; UsageError and missing libraries are one line on stderr and exit 3."""
    try:
        return _run(args, Inputs(args))
    except UsageError as err:
        print(f"{PROG} probe: {err}", file=sys.stderr)
        return EXIT_USAGE
    except ImportError as err:
        missing = getattr(err, "name", None) or str(err)
        print(
            f"{PROG} probe: needs {NEEDS} ({missing} is missing): {INSTALL_HINT}",
            file=sys.stderr,
        )
        return EXIT_USAGE


def _run(args: argparse.Namespace, inputs: Inputs) -> int:
    from gitpod_resources.checker import report

    if not args.timeout > 0:
        raise UsageError("--timeout", f"{args.timeout!r} is not valid", "seconds, more than 0")
    release = schema.Release(args.release)
    name, data = read(args.path, release)
    result = data if isinstance(data, FileResult) else check_bytes(data, name, release=release)
    for problem in result.problems:
        print(report.problem_line(PROG, problem), file=sys.stderr)
    if result.unusable is not None:
        sys.stdout.write(write(args.format, result, [], ran=False))
        return EXIT_UNUSABLE
    if result.errors:
        sys.stdout.write(write(args.format, result, [], ran=False))
        return EXIT_ERRORS
    assert isinstance(data, bytes)
    doc = first_document(data, release)
    plan = plan_for(doc, inputs)
    ctx = Context(
        name,
        release,
        Limits(timeout=args.timeout),
        _file(args.ca_file, "--ca-file"),
        progress_writer(sys.stderr),
    )
    run_plan(ctx, plan)
    result.findings += ctx.findings
    sys.stdout.write(write(args.format, result, ctx.steps, ran=True))
    sys.stdout.flush()
    return EXIT_ERRORS if result.errors else EXIT_OK
