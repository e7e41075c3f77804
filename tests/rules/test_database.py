"""Database rules: external MySQL, Cloud SQL connection names, secrets, bad input."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess

import pytest

from gitpod_resources import config, database
from tests.conftest import require
from tests.examples import created_secrets
from tests.oracles import (
    CLUSTER_VALIDATION_SECRET_KEYS,
    INIT_SQL_AT_THE_TAGS,
    KOTS_TITLES_DATABASE,
    TOP_LEVEL_KEYS,
    secret_refs,
    unknown_keys,
)

SETUPS = {
    "in-cluster": database.in_cluster(),
    "external": database.external("mysql.example.com"),
    "external-ca": database.external("10.0.0.5", "3307", "gitpod", ca_cert="yes"),
    "cloudsql": database.cloud_sql("my-gcp-project", "europe-west2", "gitpod-mysql"),
}


@pytest.mark.parametrize("name", SETUPS)
def test_every_referenced_secret_is_created_with_the_validated_keys(name: str) -> None:
    setup = SETUPS[name]
    doc = database.installer_config(setup)
    assert unknown_keys(doc, TOP_LEVEL_KEYS) == []
    refs = secret_refs(doc)
    command = database.secret_command(setup)
    created = created_secrets(command) if command else {}
    assert set(created) == set(refs.values())
    for path, secret in refs.items():
        assert created[secret] == CLUSTER_VALIDATION_SECRET_KEYS[path], (name, path)


def test_the_cloudsql_example_matches_the_reference_example() -> None:
    """Reference §7.6 (a), written from the installer source."""
    doc = database.installer_config(SETUPS["cloudsql"])
    assert doc["database"] == {
        "inCluster": False,
        "cloudSQL": {
            "instance": "my-gcp-project:europe-west2:gitpod-mysql",
            "serviceAccount": {"kind": "secret", "name": "cloudsql"},
        },
    }


def test_external_with_ca_matches_the_reference_example() -> None:
    """Reference §7.6 (b): secret ``database``, optional ``ssl.caCert``."""
    doc = database.installer_config(SETUPS["external-ca"])
    assert doc["database"]["external"] == {"certificate": {"kind": "secret", "name": "database"}}
    assert doc["database"]["ssl"]["caCert"]["kind"] == "secret"
    assert "ssl" not in database.installer_config(SETUPS["external"])["database"]


def test_kots_rows_use_the_admin_console_titles_and_defaults() -> None:
    rows = dict(database.kots_fields(SETUPS["external"]))
    assert rows == {
        "Use MySQL in-cluster": "unchecked",
        "Use Google Cloud SQL Proxy": "unchecked",
        "Host": "mysql.example.com",
        "Username": "gitpod",
        "Password": database.PLACEHOLDER_PASSWORD,
        "Port": "3306",
    }
    cloud = dict(database.kots_fields(SETUPS["cloudsql"]))
    assert cloud["CloudSQL connection name"] == "my-gcp-project:europe-west2:gitpod-mysql"
    assert "Host" not in cloud and "Port" not in cloud
    assert database.kots_fields(SETUPS["in-cluster"]) == [("Use MySQL in-cluster", "checked")]
    for item, title in KOTS_TITLES_DATABASE.items():
        assert config.kots_title(item) == title


def test_secrets_read_credentials_from_the_environment() -> None:
    for setup in SETUPS.values():
        command = database.secret_command(setup) or ""
        assert "password=" not in command or '"$DB_PASSWORD"' in command
        assert "encryptionKeys=" not in command or '"$DB_ENCRYPTION_KEYS"' in command


def test_env_snippet_makes_a_valid_key_list() -> None:
    """Run the snippet in bash: the key list parses and holds one 32-byte primary key."""
    bash, openssl = shutil.which("bash"), shutil.which("openssl")
    require(bash is not None and openssl is not None, "bash and openssl are needed")
    script = database.env_snippet() + 'printf "%s\\n%s" "$DB_PASSWORD" "$DB_ENCRYPTION_KEYS"'
    out = subprocess.run(
        [str(bash), "-c", script],
        input="s3cret-pw\n",
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    ).stdout
    password, keys_json = out.split("\n", 1)
    assert password == "s3cret-pw"
    keys = json.loads(keys_json)
    assert [sorted(k) for k in keys] == [sorted(database.ENCRYPTION_KEY_FIELDS)]
    assert keys[0]["primary"] is True and keys[0]["version"] == 1
    assert len(base64.b64decode(keys[0]["material"], validate=True)) == 32


@pytest.mark.parametrize(
    ("value", "parts"),
    [
        (
            "my-gcp-project:europe-west2:gitpod-mysql",
            ("my-gcp-project", "europe-west2", "gitpod-mysql"),
        ),
        ("proj-123456:us-central1:a", ("proj-123456", "us-central1", "a")),
        ("abcdef:asia-east1:" + "d" * 98, ("abcdef", "asia-east1", "d" * 98)),
    ],
)
def test_valid_connection_names(value: str, parts: tuple[str, str, str]) -> None:
    parsed = database.validate_cloudsql_instance(value)
    assert (parsed.project, parsed.region, parsed.name) == parts
    assert parsed.connection_name == value


# --- what 2022.11 does, read at the release tags (not from the rules) ---------------------------


def test_database_ssl_is_a_key_from_2022_11_1() -> None:
    """config.go has ``SSL *SSLOptions`` at 2022.11.1 (line 235) and not at 2022.11.0."""
    assert database.SSL_CA_CERT_SINCE == "2022.11.1"


def test_the_cloud_sql_proxy_names() -> None:
    """cloudsql/constants.go line 8 (Component = "cloudsqlproxy"), deployment.go line 27
    (``%s-cloud-sql-proxy``), the Service from GenerateService(Component) (objects.go 17-23)."""
    assert database.CLOUDSQL_PROXY_DEPLOYMENT == "cloudsqlproxy-cloud-sql-proxy"
    assert database.CLOUDSQL_PROXY_HOST == "cloudsqlproxy"


def test_the_init_sql_is_the_files_at_the_tags() -> None:
    assert "\n\n".join(database.INIT_SQL) == INIT_SQL_AT_THE_TAGS


def test_the_grants_name_the_databases_2022_11_uses() -> None:
    """``gitpod``: config.ts line 21 and ormconfig.ts line 16 (DB_NAME unset); ``gitpod-sessions``:
    the init SQL and session-handler.ts line 80."""
    statements = database.admin_statements("u", "p")
    assert statements[0] == "CREATE DATABASE IF NOT EXISTS `gitpod` CHARSET utf8mb4;"
    assert statements[1] == "CREATE USER 'u'@'%' IDENTIFIED BY 'p';"
    assert set(statements[2:]) == {
        "GRANT ALL PRIVILEGES ON `gitpod`.* TO 'u'@'%';",
        "GRANT ALL PRIVILEGES ON `gitpod-sessions`.* TO 'u'@'%';",
    }


def _bash_n(script: str) -> None:
    bash = shutil.which("bash")
    require(bash is not None, "bash is needed to parse the commands")
    assert bash is not None
    proc = subprocess.run([bash, "-n"], input=script, capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr


def test_the_user_commands_for_an_external_mysql() -> None:
    setup = SETUPS["external"]
    variables = database.user_variables(setup)
    assert variables is not None
    assert "export DB_HOST=mysql.example.com DB_PORT=3306 DB_USERNAME=gitpod\n" in variables
    (command,) = database.user_commands(setup)
    assert command.startswith(
        'mysql --host="$DB_HOST" --port="$DB_PORT" --user="$DB_ADMIN_USER" --password <<SQL\n'
    )
    _bash_n(variables + command)


def test_the_user_commands_for_cloud_sql() -> None:
    setup = SETUPS["cloudsql"]
    variables = database.user_variables(setup)
    assert variables == (
        "export GCP_PROJECT=my-gcp-project CLOUDSQL_INSTANCE=gitpod-mysql DB_USERNAME=gitpod\n"
    )
    databases, users, connect = database.user_commands(setup)
    assert databases.startswith("gcloud sql databases create gitpod \\\n")
    assert "--charset=utf8mb4" in databases
    assert users.startswith('gcloud sql users create "$DB_USERNAME" \\\n')
    assert "--host=%" in users and '--password="$DB_PASSWORD"' in users
    assert connect.startswith('gcloud sql connect "$CLOUDSQL_INSTANCE"')
    assert "GRANT ALL PRIVILEGES ON \\`gitpod-sessions\\`.* TO '$DB_USERNAME'@'%';" in connect
    _bash_n(variables + databases + users + connect)


@pytest.mark.parametrize("name", ["in-cluster", "external-ca"])
def test_no_user_commands_where_there_is_no_user_to_create_here(name: str) -> None:
    """In-cluster: the installer makes its own; the TLS variant shares the plain external one's."""
    assert database.user_variables(SETUPS[name]) is None
    assert database.user_commands(SETUPS[name]) == []
