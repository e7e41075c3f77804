"""Database rules for Gitpod 2022.11: in-cluster MySQL, any external MySQL, Google Cloud SQL.

Gitpod reads the connection from one Secret (``database.external.certificate``, misnamed: it holds
host, port, username, password and encryption keys) or reaches Cloud SQL through the proxy the
installer runs (the Deployment ``cloudsqlproxy-cloud-sql-proxy`` behind the Service
``cloudsqlproxy``). For an external database nothing in Gitpod creates the database ``gitpod``,
and the installer's init job and migrations run as the configured user: the rules compute the
commands an administrator runs first. Every statement about Gitpod here is a claim with its
source at the release tags (``data/claims.yaml``, read by :mod:`gitpod_resources.sources`).
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from . import config, gcp, validation
from .errors import RuleError
from .releases import Release

FIELD_INSTANCE = "database.cloudSQL.instance"
FIELD_OPTION = "database"
FIELD_HOST = "host"
FIELD_PORT = "port"
FIELD_USERNAME = "username"

#: The database Gitpod's migrations and the admin console's preflight connect to; nothing in
#: Gitpod creates it for an external or Cloud SQL database. The version the preflight expects.
DATABASE_NAME = "gitpod"
EXPECTED_MYSQL_VERSION = "5.7"
#: The database the installer's init job creates (as the configured user) for sessions.
SESSIONS_DATABASE = "gitpod-sessions"
#: The character set Gitpod's own in-cluster MySQL creates ``gitpod`` with.
DATABASE_CHARSET = "utf8mb4"
#: Admin console pre-fills.
DEFAULT_PORT = 3306
DEFAULT_USERNAME = "gitpod"

#: Secrets the admin console creates (and the installer config refers to).
EXTERNAL_SECRET = "database"
CLOUDSQL_SECRET = "cloudsql"
#: The CA secret has no admin console counterpart; this guide's name for it.
CA_SECRET = "database-ca"

#: Data keys the installer's cluster validation requires, per secret.
KEY_HOST = "host"
KEY_PORT = "port"
KEY_USERNAME = "username"
KEY_PASSWORD = "password"
KEY_ENCRYPTION_KEYS = "encryptionKeys"
KEY_CLOUDSQL_CREDENTIALS = "credentials.json"
KEY_CA_CERT = "ca.crt"
EXTERNAL_SECRET_KEYS = (KEY_HOST, KEY_PORT, KEY_USERNAME, KEY_PASSWORD, KEY_ENCRYPTION_KEYS)
CLOUDSQL_SECRET_KEYS = (KEY_CLOUDSQL_CREDENTIALS, KEY_USERNAME, KEY_PASSWORD, KEY_ENCRYPTION_KEYS)

#: The role the Cloud SQL proxy's service account needs.
CLOUDSQL_ROLE = "roles/cloudsql.client"
#: What Gitpod connects to when Cloud SQL is used: the proxy's Service, fixed port.
CLOUDSQL_PROXY_HOST = "cloudsqlproxy"
CLOUDSQL_PROXY_PORT = 3306
#: The proxy's Deployment (``<component>-cloud-sql-proxy``) and its image.
CLOUDSQL_PROXY_DEPLOYMENT = f"{CLOUDSQL_PROXY_HOST}-cloud-sql-proxy"
CLOUDSQL_PROXY_IMAGE = "b.gcr.io/cloudsql-docker/gce-proxy:1.11"

#: MySQL 5.7 after 2022: Amazon RDS ended standard support for it on this day and has charged
#: for "RDS Extended Support" since the next (docs.aws.amazon.com AmazonRDS UserGuide,
#: extended-support.html, read 2026-11).
RDS_MYSQL_57_STANDARD_SUPPORT_END = date(2024, 2, 29)

#: The first release whose installer has ``database.ssl.caCert``; 2022.11.0's refuses the key.
SSL_CA_CERT_SINCE = Release.R1

#: Environment variables and files the secret commands read: no credential in a snippet.
ENV_PASSWORD = "DB_PASSWORD"
ENV_ENCRYPTION_KEYS = "DB_ENCRYPTION_KEYS"
CLOUDSQL_SA_KEY_FILE = "gcp-cloudsql-sa-key.json"
CA_FILE = "mysql-ca.pem"
#: The reader's values the database and user commands read, as shell variables.
ENV_HOST = "DB_HOST"
ENV_PORT = "DB_PORT"
ENV_USERNAME = "DB_USERNAME"
ENV_ADMIN_USER = "DB_ADMIN_USER"
ENV_GCP_PROJECT = "GCP_PROJECT"
ENV_INSTANCE = "CLOUDSQL_INSTANCE"
#: Stand-in for the administrative user the reader connects as (their server's own).
ADMIN_USER_EXAMPLE = "admin"
#: The administrative user of a Cloud SQL for MySQL instance.
CLOUDSQL_ADMIN_USER = "root"

PLACEHOLDER_PASSWORD = "<the database user's password>"
PLACEHOLDER_SA_KEY_FILE = f"<upload {CLOUDSQL_SA_KEY_FILE}>"

#: The SQL the installer's database init job runs as the configured user, statement by statement
#: (``install/installer/pkg/components/database/init/files/00-create-and-init-sessions-db.sql``,
#: lines 6-16, the same at the four 2022.11 tags).
INIT_SQL: tuple[str, ...] = (
    "CREATE DATABASE IF NOT EXISTS `gitpod-sessions` CHARSET utf8mb4;",
    "USE `gitpod-sessions`;",
    "CREATE TABLE IF NOT EXISTS sessions (\n"
    "   `session_id` varchar(128) COLLATE utf8mb4_bin NOT NULL,\n"
    "   `expires` int(11) unsigned NOT NULL,\n"
    "   `data` text COLLATE utf8mb4_bin,\n"
    "   `_lastModified` timestamp(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE "
    "CURRENT_TIMESTAMP(6),\n"
    "   PRIMARY KEY (`session_id`)\n"
    ");",
)
#: Any host: Gitpod's pods connect from the cluster's addresses.
USER_HOST = "%"


class DatabaseOption(StrEnum):
    IN_CLUSTER = "in-cluster"
    EXTERNAL = "external"
    CLOUD_SQL = "cloudsql"


# --- validators (also what a config checker calls) ----------------------------------------------

OPTION_FORM = "one of in-cluster, external, cloudsql"


def validate_option(value: object, field: str = FIELD_OPTION) -> DatabaseOption:
    for opt in DatabaseOption:
        if value == opt.value:
            return opt
    raise RuleError(field, value, OPTION_FORM)


INSTANCE_NAME_FORM = (
    "a Cloud SQL instance ID: lowercase letters, digits and hyphens, starting with a letter, "
    "at most 98 characters"
)
_INSTANCE_NAME = r"[a-z][a-z0-9\-]{0,97}"
INSTANCE_SPEC = validation.Spec(
    "cloudsql_instance",
    INSTANCE_NAME_FORM,
    (
        validation.Check("required"),
        validation.length(1, 98),
        validation.Check("lowercase", pattern=_INSTANCE_NAME, hint="lowercase: {lower}"),
        validation.Check("fullmatch", pattern=_INSTANCE_NAME),
    ),
)


def validate_instance_name(value: object, field: str = "instance") -> str:
    """A Cloud SQL instance ID (the part after the last ``:``).

    Rule from the Cloud SQL Admin API v1 reference (google-cloud-sql Python docs,
    ``sqladmin_v1.types.SqlInstancesReleaseSsrsLeaseRequest``, updated 2026-10-03): lowercase
    letters, numbers and hyphens, starting with a letter, at most 98 characters.
    """
    return validation.run(INSTANCE_SPEC, value, field)


#: ``<project>`` may be domain-scoped (``example.com:my-project``), with a colon of its own.
CONNECTION_PATTERN = "<project>:<region>:<instance>"
CONNECTION_FORM = f"the connection name '{CONNECTION_PATTERN}'"


@dataclass(frozen=True)
class CloudSqlInstance:
    project: str
    region: str
    name: str

    @property
    def connection_name(self) -> str:
        return f"{self.project}:{self.region}:{self.name}"


def validate_cloudsql_instance(value: object, field: str = FIELD_INSTANCE) -> CloudSqlInstance:
    """Parse ``database.cloudSQL.instance``; every part is checked, errors name the part."""
    if not isinstance(value, str) or not value:
        raise RuleError(field, value, CONNECTION_FORM)
    if value != value.strip():
        raise RuleError(field, value, CONNECTION_FORM, "remove the surrounding whitespace")
    parts = value.split(":")
    if len(parts) == 1:
        raise RuleError(field, value, CONNECTION_FORM, "the connection name, not the ID alone")
    # A domain-scoped project ID has a colon of its own: 'example.com:my-project:<region>:<id>'.
    if len(parts) == 4 and "." in parts[0]:
        parts = [f"{parts[0]}:{parts[1]}", parts[2], parts[3]]
    if len(parts) != 3:
        raise RuleError(field, value, CONNECTION_FORM, f"it has {len(parts)} parts, not 3")
    checks = (
        ("project", gcp.validate_project_id),
        ("region", gcp.validate_region),
        ("instance", validate_instance_name),
    )
    for (part, check), text in zip(checks, parts, strict=True):
        try:
            check(text, part)
        except RuleError as err:
            raise RuleError(
                field, value, CONNECTION_FORM, f"{part} {text!r}: {err.hint or err.allowed}"
            ) from None
    return CloudSqlInstance(*parts)


HOST_FORM = "a host name or IP address, no scheme and no port, e.g. 'mysql.example.com'"
_LABEL = r"[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?"
_DNS_NAME = rf"{_LABEL}(?:\.{_LABEL})*"
HOST_SPEC = validation.Spec(
    "mysql_host",
    HOST_FORM,
    (
        validation.Check("required"),
        validation.Check("contains", literal="://", hint="remove the scheme"),
        # What ipaddress.ip_address takes: an IPv4 address, or an IPv6 one (scope included).
        validation.Check("accept", pattern=f"{validation.IPV4}|{validation.IPV6}"),
        validation.Check("contains", literal="/", hint="a host has no path"),
        validation.Check("contains", literal=":", hint=f"put the port in the {KEY_PORT!r} key"),
        validation.Check("lowercase", pattern=_DNS_NAME, hint="lowercase: {lower}"),
        validation.Check("fullmatch", pattern=_DNS_NAME),
    ),
)


def validate_host(value: object, field: str = FIELD_HOST) -> str:
    """The MySQL server's address as the ``host`` secret key takes it."""
    return validation.run(HOST_SPEC, value, field)


PORT_FORM = "a TCP port number 1-65535 (MySQL's default is 3306)"


_ASCII_DIGITS = re.compile(r"[0-9]+")


def validate_port(value: object, field: str = FIELD_PORT) -> int:
    """A TCP port: an int, or text of ASCII digits only (``str.isdigit`` also takes Arabic-Indic,
    fullwidth and superscript digits, which ``int`` reads as a number or refuses)."""
    if isinstance(value, bool):
        raise RuleError(field, value, PORT_FORM)
    if isinstance(value, str):
        if not _ASCII_DIGITS.fullmatch(value):
            hint = "ASCII digits only" if any(c.isdigit() for c in value) else ""
            raise RuleError(field, value, PORT_FORM, hint)
        value = int(value)
    if not isinstance(value, int) or not 1 <= value <= 65535:
        raise RuleError(field, value, PORT_FORM)
    return value


USERNAME_FORM = "a MySQL user name: 1-32 characters, no whitespace"


def validate_username(value: object, field: str = FIELD_USERNAME) -> str:
    """MySQL 5.7 user names are at most 32 characters."""
    if not isinstance(value, str) or not 1 <= len(value) <= 32 or re.search(r"\s", value):
        raise RuleError(field, value, USERNAME_FORM)
    return value


# --- composing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExternalMySql:
    host: str
    port: int
    username: str
    ca_cert: bool
    secret: str = EXTERNAL_SECRET


@dataclass(frozen=True)
class CloudSql:
    instance: CloudSqlInstance
    username: str
    secret: str = CLOUDSQL_SECRET


@dataclass(frozen=True)
class DatabaseSetup:
    option: DatabaseOption
    external: ExternalMySql | None = None
    cloud_sql: CloudSql | None = None

    @property
    def in_cluster(self) -> bool:
        return self.option is DatabaseOption.IN_CLUSTER


def in_cluster() -> DatabaseSetup:
    return DatabaseSetup(DatabaseOption.IN_CLUSTER)


def external(
    host: str,
    port: str | int = DEFAULT_PORT,
    username: str = DEFAULT_USERNAME,
    ca_cert: str | bool = False,
) -> DatabaseSetup:
    """Any MySQL Gitpod can reach (RDS, self-managed); ``ca_cert`` adds ``database.ssl.caCert``."""
    ca = ca_cert if isinstance(ca_cert, bool) else ca_cert == "yes"
    if isinstance(ca_cert, str) and ca_cert not in ("yes", "no"):
        raise RuleError("ca_cert", ca_cert, "'yes' or 'no'")
    return DatabaseSetup(
        DatabaseOption.EXTERNAL,
        external=ExternalMySql(
            validate_host(host), validate_port(port), validate_username(username), ca
        ),
    )


def cloud_sql(
    project: str, region: str, instance: str, username: str = DEFAULT_USERNAME
) -> DatabaseSetup:
    """Google Cloud SQL for MySQL through the installer's proxy (Service ``cloudsqlproxy``)."""
    parsed = validate_cloudsql_instance(f"{project}:{region}:{instance}")
    return DatabaseSetup(
        DatabaseOption.CLOUD_SQL, cloud_sql=CloudSql(parsed, validate_username(username))
    )


def build(option: str, inputs: dict[str, str]) -> DatabaseSetup:
    """Dispatch an example's option and inputs to the rule that composes it."""
    builders: dict[DatabaseOption, Any] = {
        DatabaseOption.IN_CLUSTER: in_cluster,
        DatabaseOption.EXTERNAL: external,
        DatabaseOption.CLOUD_SQL: cloud_sql,
    }
    setup: DatabaseSetup = builders[validate_option(option)](**inputs)
    return setup


# --- admin console, installer config, secret ----------------------------------------------------


def _checkbox(on: bool) -> str:
    return "checked" if on else "unchecked"


def kots_fields(setup: DatabaseSetup) -> list[tuple[str, str]]:
    """(exact field title, value to enter) in the order the admin console shows them.

    The hidden "Encryption keys" item is never shown: the admin console fills in its default.
    """
    rows: list[tuple[str, str]] = []

    def add(item: str, value: str) -> None:
        rows.append((config.kots_title(item), value))

    add("db_incluster", _checkbox(setup.in_cluster))
    if setup.in_cluster:
        return rows
    add("db_cloudsql_enabled", _checkbox(setup.cloud_sql is not None))
    if setup.cloud_sql is not None:
        add("db_cloudsql_instance", setup.cloud_sql.instance.connection_name)
        add("db_username", setup.cloud_sql.username)
        add("db_password", PLACEHOLDER_PASSWORD)
        add("db_gcp_credentials", PLACEHOLDER_SA_KEY_FILE)
        return rows
    assert setup.external is not None
    add("db_host", setup.external.host)
    add("db_username", setup.external.username)
    add("db_password", PLACEHOLDER_PASSWORD)
    add("db_port", str(setup.external.port))
    return rows


def installer_section(setup: DatabaseSetup) -> dict[str, Any]:
    """The ``database`` mapping alone."""
    section: dict[str, Any] = {"inCluster": setup.in_cluster}
    if setup.external is not None:
        section["external"] = {"certificate": config.secret_ref(setup.external.secret)}
        if setup.external.ca_cert:
            section["ssl"] = {"caCert": config.secret_ref(CA_SECRET)}
    elif setup.cloud_sql is not None:
        section["cloudSQL"] = {
            "instance": setup.cloud_sql.instance.connection_name,
            "serviceAccount": config.secret_ref(setup.cloud_sql.secret),
        }
    return section


def installer_config(setup: DatabaseSetup) -> dict[str, Any]:
    return {"apiVersion": config.INSTALLER_API_VERSION, "database": installer_section(setup)}


def installer_yaml(setup: DatabaseSetup) -> str:
    return config.to_yaml(installer_config(setup))


def secret_commands(setup: DatabaseSetup) -> list[str]:
    """The ``kubectl create secret`` commands, one per secret the config refers to."""
    password = f'--from-literal={KEY_PASSWORD}="${ENV_PASSWORD}"'
    keys = f'--from-literal={KEY_ENCRYPTION_KEYS}="${ENV_ENCRYPTION_KEYS}"'
    if setup.cloud_sql is not None:
        return [
            config.kubectl_command(
                f"kubectl create secret generic {setup.cloud_sql.secret}",
                f"--from-file={KEY_CLOUDSQL_CREDENTIALS}={CLOUDSQL_SA_KEY_FILE}",
                f"--from-literal={KEY_USERNAME}={setup.cloud_sql.username}",
                password,
                keys,
            )
        ]
    if setup.external is None:
        return []
    out = [
        config.kubectl_command(
            f"kubectl create secret generic {setup.external.secret}",
            f"--from-literal={KEY_HOST}={setup.external.host}",
            f"--from-literal={KEY_PORT}={setup.external.port}",
            f"--from-literal={KEY_USERNAME}={setup.external.username}",
            password,
            keys,
        )
    ]
    if setup.external.ca_cert:
        out.append(
            config.kubectl_command(
                f"kubectl create secret generic {CA_SECRET}",
                f"--from-file={KEY_CA_CERT}={CA_FILE}",
            )
        )
    return out


def secret_command(setup: DatabaseSetup) -> str | None:
    """All commands as one shell snippet, or None when the installer makes its own secret."""
    commands = secret_commands(setup)
    return "\n".join(commands) if commands else None


def secret_data_keys(setup: DatabaseSetup) -> dict[str, tuple[str, ...]]:
    """Secret name -> data keys the installer's cluster validation requires in it."""
    if setup.cloud_sql is not None:
        return {setup.cloud_sql.secret: CLOUDSQL_SECRET_KEYS}
    if setup.external is None:
        return {}
    out: dict[str, tuple[str, ...]] = {setup.external.secret: EXTERNAL_SECRET_KEYS}
    if setup.external.ca_cert:
        out[CA_SECRET] = (KEY_CA_CERT,)
    return out


#: Fields of one encryption key, as the installer docs' public default key has them.
ENCRYPTION_KEY_FIELDS = ("name", "version", "primary", "material")
#: Bytes of random key material (inference: the public default's material is 32 bytes, base64).
ENCRYPTION_KEY_BYTES = 32


def env_snippet() -> str:
    """Shell lines that set the variables the secret commands read, without echoing a secret.

    The key list is one fresh primary key named like the public default, with random material.
    """
    key = '{"name":"general","version":1,"primary":true,"material":"'
    return (
        f"read -rsp 'Database password: ' {ENV_PASSWORD} && export {ENV_PASSWORD}\n"
        f"export {ENV_ENCRYPTION_KEYS}='[{key}'\"$(openssl rand -base64 "
        f"{ENCRYPTION_KEY_BYTES})\"'\"}}]'\n"
    )


# --- the database and its user, before the install ---------------------------------------------


def _quoted(name: str) -> str:
    """A MySQL identifier in backticks (``gitpod-sessions`` needs them for its hyphen)."""
    return f"`{name}`"


def grant_statements(user: str) -> tuple[str, ...]:
    """The grants the install needs, for ``user``: every privilege on ``gitpod`` (the migrations
    create, alter and drop tables and indexes there) and on ``gitpod-sessions`` (the init job
    creates that database and its table as this user)."""
    return tuple(
        f"GRANT ALL PRIVILEGES ON {_quoted(name)}.* TO '{user}'@'{USER_HOST}';"
        for name in (DATABASE_NAME, SESSIONS_DATABASE)
    )


def admin_statements(user: str, password: str) -> tuple[str, ...]:
    """What an administrator of an external MySQL runs before the install: the database
    ``gitpod`` (nothing in Gitpod creates it), the user, and :func:`grant_statements`."""
    return (
        f"CREATE DATABASE IF NOT EXISTS {_quoted(DATABASE_NAME)} CHARSET {DATABASE_CHARSET};",
        f"CREATE USER '{user}'@'{USER_HOST}' IDENTIFIED BY '{password}';",
        *grant_statements(user),
    )


def _command(*parts: str) -> str:
    """One shell command, one argument group per line, joined with backslash continuations."""
    return " \\\n  ".join(parts) + "\n"


def _heredoc(command: str, statements: tuple[str, ...]) -> str:
    """``command <<SQL`` with the statements: the shell fills in the variables, so the
    backticks MySQL needs are escaped for it."""
    body = "\n".join(s.replace("`", "\\`") for s in statements)
    return f"{command} <<SQL\n{body}\nSQL\n"


def user_variables(setup: DatabaseSetup) -> str | None:
    """The shell lines that set the reader's values the user commands read (None: in-cluster,
    or the TLS variant, whose database and user are the plain external one's)."""
    if setup.external is not None and not setup.external.ca_cert:
        ext = setup.external
        return (
            f"export {ENV_HOST}={ext.host} {ENV_PORT}={ext.port} "
            f"{ENV_USERNAME}={shlex.quote(ext.username)}\n"
            f"export {ENV_ADMIN_USER}={ADMIN_USER_EXAMPLE}   "
            "# a user of your server that may create databases, users and grants\n"
        )
    if setup.cloud_sql is not None:
        instance = setup.cloud_sql.instance
        return (
            f"export {ENV_GCP_PROJECT}={shlex.quote(instance.project)} "
            f"{ENV_INSTANCE}={instance.name} "
            f"{ENV_USERNAME}={shlex.quote(setup.cloud_sql.username)}\n"
        )
    return None


def user_commands(setup: DatabaseSetup) -> list[str]:
    """The commands that create the database ``gitpod`` and the user with its grants, one per
    block; they read :func:`user_variables` and the password (:func:`env_snippet`)."""
    user, password = f"${ENV_USERNAME}", f"${ENV_PASSWORD}"
    if user_variables(setup) is None:
        return []
    if setup.external is not None:
        return [
            _heredoc(
                f'mysql --host="${ENV_HOST}" --port="${ENV_PORT}" --user="${ENV_ADMIN_USER}" '
                "--password",
                admin_statements(user, password),
            )
        ]
    where = f'--instance="${ENV_INSTANCE}" --project="${ENV_GCP_PROJECT}"'
    return [
        _command(
            f"gcloud sql databases create {DATABASE_NAME}", where, f"--charset={DATABASE_CHARSET}"
        ),
        _command(
            f'gcloud sql users create "{user}"',
            where,
            f"--host={USER_HOST}",
            f'--password="{password}"',
        ),
        _heredoc(
            f'gcloud sql connect "${ENV_INSTANCE}" --project="${ENV_GCP_PROJECT}" '
            f"--user={CLOUDSQL_ADMIN_USER}",
            grant_statements(user),
        ),
    ]
