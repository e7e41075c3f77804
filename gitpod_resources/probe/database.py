"""Probe an external MySQL as Gitpod 2022.11 uses it: connect as the configured user (with TLS
verified against the CA when the config asks for it, as the init job's ``--ssl-mode=
VERIFY_IDENTITY`` does), read the version as the admin console's preflight reads it, and check
that the user may use the database ``gitpod`` and create ``gitpod-sessions``.

The privileges are read from ``SHOW GRANTS``, so nothing is created: the probe leaves the server
as it found it.
"""

from __future__ import annotations

import re
import ssl
from dataclasses import dataclass
from typing import Any

import pymysql
import pymysql.err

from gitpod_resources import database

from .context import Context
from .findings import Where
from .net import Secret, retry

TARGET = "database"
#: The admin console's version analyzer (kots-preflight.yaml): the first digit and what follows
#: it of ``version: <SELECT VERSION()>``; only ``5.7`` passes, anything else warns.
PREFLIGHT_VERSION = re.compile(r"version: (?P<Version>\d(\.\d+)?)")
#: What the migrations do in ``gitpod`` (create, alter, drop tables and indexes; then Gitpod
#: reads and writes rows), and what the init job and the server do in ``gitpod-sessions``.
GITPOD_PRIVILEGES = ("CREATE", "ALTER", "DROP", "INDEX", "SELECT", "INSERT", "UPDATE", "DELETE")
SESSIONS_PRIVILEGES = ("CREATE", "SELECT", "INSERT", "UPDATE", "DELETE")
#: MySQL client error codes.
ACCESS_DENIED, DB_ACCESS_DENIED, UNKNOWN_DB = 1045, 1044, 1049
#: PyMySQL's error when TLS is asked for and the server offers none.
SSL_NOT_OFFERED = 2026
CANNOT_CONNECT = frozenset({2002, 2003, 2005, 2006, 2013})
ALL = "ALL PRIVILEGES"


@dataclass(frozen=True)
class DatabaseTarget:
    host: str
    port: int
    username: str
    password: Secret
    #: The CA file to verify the server's certificate with; None when the config asks no TLS.
    ca_file: str | None
    at: Where
    tls_at: Where


def preflight_version(version: str) -> str:
    """What the admin console's preflight reads from a server version (``""``: nothing)."""
    found = PREFLIGHT_VERSION.search(f"version: {version}")
    return found.group("Version") if found else ""


@dataclass(frozen=True)
class Grant:
    privileges: frozenset[str]
    #: ``*`` for every database, else the database name or pattern, unquoted.
    database: str
    #: ``*`` for every table of it.
    table: str


_GRANT = re.compile(r"^GRANT (?P<privs>.+?) ON (?P<obj>\S+) TO ", re.S)
_OBJECT = re.compile(r"^(?P<db>\*|`(?:[^`]|``)*`|[^.`]+)\.(?P<table>\*|`(?:[^`]|``)*`|\S+)$")


def _unquote(name: str) -> str:
    if name.startswith("`") and name.endswith("`"):
        return name[1:-1].replace("``", "`")
    return name


def _privileges(text: str) -> frozenset[str]:
    """``SELECT, INSERT, UPDATE (col)`` -> the privileges (column lists dropped)."""
    text = re.sub(r"\([^)]*\)", "", text)
    names = {" ".join(p.split()).upper() for p in text.split(",")}
    if "ALL" in names or ALL in names:
        return frozenset({ALL})
    return frozenset(names - {""})


def parse_grants(lines: list[str]) -> list[Grant]:
    """The grants of ``SHOW GRANTS`` lines (MySQL's and MariaDB's form); roles are not followed."""
    grants = []
    for line in lines:
        found = _GRANT.match(line)
        if not found:
            continue
        obj = _OBJECT.match(found.group("obj"))
        if not obj:
            continue
        grants.append(
            Grant(
                _privileges(found.group("privs")),
                _unquote(obj.group("db")),
                _unquote(obj.group("table")),
            )
        )
    return grants


def _db_pattern(pattern: str) -> re.Pattern[str]:
    """A database-level grant's name as MySQL matches it: ``_`` and ``%`` are wildcards unless
    escaped with a backslash."""
    out, i = "", 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            out += re.escape(pattern[i + 1])
            i += 2
            continue
        out += "." if c == "_" else ".*" if c == "%" else re.escape(c)
        i += 1
    return re.compile(out + r"\Z", re.S)


def privileges_on(grants: list[Grant], name: str) -> set[str]:
    """Every privilege the grants give on all tables of the database ``name``."""
    found: set[str] = set()
    for g in grants:
        if g.table != "*":
            continue
        if g.database == "*" or _db_pattern(g.database).match(name):
            found |= set(g.privileges)
    return found


def missing(held: set[str], needed: tuple[str, ...]) -> list[str]:
    if ALL in held:
        return []
    return [p for p in needed if p not in held]


def _cause(err: BaseException) -> BaseException | None:
    seen: BaseException | None = err
    while seen is not None:
        if isinstance(seen, ssl.SSLError | ssl.CertificateError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _is_tls_failure(err: BaseException) -> bool:
    if _cause(err) is not None:
        return True
    text = str(err)
    return any(w in text for w in ("SSL", "CERTIFICATE", "certificate", "TLS"))


def _code(err: BaseException) -> int:
    args: tuple[object, ...] = err.args
    return args[0] if args and isinstance(args[0], int) else 0


def _message(err: BaseException) -> str:
    args: tuple[object, ...] = err.args
    if len(args) >= 2:
        return f"MySQL error {args[0]}: {args[1]}"
    return f"{type(err).__name__}: {err}"


def connect(ctx: Context, t: DatabaseTarget) -> Any:
    """A connection as the configured user, with bounded retries while the server is away."""
    limits = ctx.limits
    options: dict[str, Any] = {
        "host": t.host,
        "port": t.port,
        "user": t.username,
        "password": t.password.reveal(),
        "connect_timeout": limits.timeout,
        "read_timeout": limits.timeout,
        "write_timeout": limits.timeout,
        "charset": "utf8mb4",
        "autocommit": True,
    }
    if t.ca_file is not None:
        options.update(ssl_ca=t.ca_file, ssl_verify_cert=True, ssl_verify_identity=True)

    def transient(err: Exception) -> bool:
        return _code(err) in CANNOT_CONNECT and not _is_tls_failure(err)

    return retry(lambda: pymysql.connect(**options), transient, limits)


def probe(ctx: Context, t: DatabaseTarget) -> None:
    where = f"{t.host}:{t.port}"
    tls = " over TLS" if t.ca_file else ""
    ctx.say(TARGET, f"connecting to {where} as {t.username}{tls}")
    try:
        conn = connect(ctx, t)
    except pymysql.err.MySQLError as err:
        _connect_failed(ctx, t, err)
        return
    try:
        with conn.cursor() as cur:
            if not _tls(ctx, t, cur):
                return
            ctx.passed(TARGET, "connect", f"connected to {where} as {t.username}{_tls_said(t)}")
            _version(ctx, t, cur)
            grants = _grants(cur)
        _gitpod(ctx, t, conn, grants)
        _sessions(ctx, t, grants)
    except pymysql.err.MySQLError as err:
        ctx.found(
            TARGET,
            "query",
            t.at,
            "PRB301",
            f"{where} stopped answering: {_message(err)}",
            "check the server's state and its log",
        )
    finally:
        conn.close()


def _tls_said(t: DatabaseTarget) -> str:
    return f", TLS verified with {t.ca_file}" if t.ca_file else ""


def _connect_failed(ctx: Context, t: DatabaseTarget, err: BaseException) -> None:
    where = f"{t.host}:{t.port}"
    code = _code(err)
    if code == ACCESS_DENIED:
        ctx.found(
            TARGET,
            "connect",
            t.at,
            "PRB302",
            f"{where} refuses the login of {t.username!r} with the password from "
            f"{database.ENV_PASSWORD} ({_message(err)})",
            "use the user and password you put in the database secret; the user must be "
            f"allowed from any host ({database.USER_HOST!r}): Gitpod connects from its pods",
        )
    elif t.ca_file is not None and code == SSL_NOT_OFFERED:
        _no_tls(ctx, t)
    elif t.ca_file is not None and _is_tls_failure(err):
        ctx.found(
            TARGET,
            "connect",
            t.tls_at,
            "PRB303",
            f"no TLS connection to {where} verified with {t.ca_file}: {_message(err)}",
            "put the CA that signed the server's certificate in the CA secret, and connect by "
            "a host name the certificate names",
        )
    else:
        ctx.found(
            TARGET,
            "connect",
            t.at,
            "PRB301",
            f"{where} cannot be reached: {_message(err)}",
            "check the host and port, and that the server takes connections from this network",
        )


def _tls(ctx: Context, t: DatabaseTarget, cur: Any) -> bool:
    """With a CA asked for: the connection is encrypted (PyMySQL goes on in plain text when the
    server offers no TLS; the init job's VERIFY_IDENTITY does not)."""
    if t.ca_file is None:
        return True
    cur.execute("SHOW SESSION STATUS LIKE 'Ssl_cipher'")
    row = cur.fetchone()
    if row and row[1]:
        return True
    _no_tls(ctx, t)
    return False


def _no_tls(ctx: Context, t: DatabaseTarget) -> None:
    ctx.found(
        TARGET,
        "connect",
        t.tls_at,
        "PRB303",
        f"{t.host}:{t.port} offers no TLS, and the config asks for it (database.ssl.caCert)",
        "turn TLS on in the server, or remove database.ssl from the config",
    )


def _version(ctx: Context, t: DatabaseTarget, cur: Any) -> None:
    cur.execute("SELECT VERSION()")
    row = cur.fetchone()
    version = str(row[0]) if row else ""
    read = preflight_version(version)
    expected = database.EXPECTED_MYSQL_VERSION
    if read == expected:
        ctx.passed(TARGET, "version", f"MySQL {version}: the preflight reads {read}")
        return
    ctx.found(
        TARGET,
        "version",
        t.at,
        "PRB304",
        f"the server reports {version!r}; the admin console's preflight reads {read!r} from it "
        f"and warns 'This should be MySQL {expected}'",
        f"use MySQL {expected}, the version Gitpod 2022.11 is built and tested for, or accept "
        "the warning",
    )


def _grants(cur: Any) -> list[Grant]:
    cur.execute("SHOW GRANTS")
    return parse_grants([str(r[0]) for r in cur.fetchall()])


def _gitpod(ctx: Context, t: DatabaseTarget, conn: Any, grants: list[Grant]) -> None:
    name = database.DATABASE_NAME
    ctx.say(TARGET, f"using the database {name}")
    try:
        conn.select_db(name)
    except pymysql.err.OperationalError as err:
        if _code(err) == UNKNOWN_DB:
            ctx.found(
                TARGET,
                name,
                t.at,
                "PRB305",
                f"the database {name} does not exist on {t.host}:{t.port}; nothing in Gitpod "
                "creates it for an external database",
                f"create it: CREATE DATABASE `{name}` CHARSET {database.DATABASE_CHARSET}; "
                "and grant the user every privilege on it",
            )
            return
        if _code(err) == DB_ACCESS_DENIED:
            ctx.found(
                TARGET,
                name,
                t.at,
                "PRB306",
                f"{t.username!r} may not use the database {name} ({_message(err)})",
                _grant_all(t, name),
            )
            return
        raise
    why = f"the database {name}, which Gitpod's migrations need"
    passed = f"the database {name} exists and the user may change it"
    _lacking(ctx, t, grants, name, GITPOD_PRIVILEGES, "PRB306", why, passed)


def _sessions(ctx: Context, t: DatabaseTarget, grants: list[Grant]) -> None:
    name = database.SESSIONS_DATABASE
    why = (
        f"{name}: the installer's init job runs CREATE DATABASE IF NOT EXISTS `{name}` and "
        "creates its table as this user"
    )
    passed = f"the user may create {name} and its sessions table"
    _lacking(ctx, t, grants, name, SESSIONS_PRIVILEGES, "PRB307", why, passed)


def _lacking(
    ctx: Context,
    t: DatabaseTarget,
    grants: list[Grant],
    name: str,
    needed: tuple[str, ...],
    code: str,
    why: str,
    passed: str,
) -> None:
    """The privileges of ``needed`` the user lacks on the database ``name`` (``why``: on what,
    and what needs them), or the step passed."""
    lacking = missing(privileges_on(grants, name), needed)
    if lacking:
        message = (
            f"{t.username!r} lacks {', '.join(lacking)} on {why} "
            "(privileges through roles are not counted)"
        )
        ctx.found(TARGET, name, t.at, code, message, _grant_all(t, name))
        return
    ctx.passed(TARGET, name, passed)


def _grant_all(t: DatabaseTarget, name: str) -> str:
    """The fix for a user lacking privileges on the database ``name``."""
    return f"GRANT ALL PRIVILEGES ON `{name}`.* TO '{t.username}'@'{database.USER_HOST}';"
