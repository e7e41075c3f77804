"""Live proof of the external database set-up: the guide's user commands, run on a real server.

A MariaDB server (Debian's ``mariadb-server``) is started by the fixture in a temporary directory,
on a unix socket and on loopback only (``tests/support/local_servers.py``), and stopped after the
module. The guide's command for an
external MySQL (:func:`gitpod_resources.database.user_commands`, which the database page shows) is
run by bash, as a reader runs it, with only the host, port and admin user swapped for the local
server's; the admin password is typed at its prompt through a pseudo-terminal. Then, as the user it
created, the SQL Gitpod 2022.11 runs as that user must succeed: the init job's file (transcribed in
``tests/rules/test_database.py`` from the tags), the admin console's preflight query, and statements
of the migrations in ``gitpod``. Leaving any one of the guide's statements out must make some of it
fail.

MariaDB is not MySQL 5.7, but databases, users and database-level grants behave alike here.
"""

from __future__ import annotations

import contextlib
import os
import pty
import secrets
import select
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from gitpod_resources import database
from tests.conftest import require
from tests.oracles import INIT_SQL_AT_THE_TAGS
from tests.support.local_servers import MARIADB, MariaDb, mariadb_installed, start_mariadb, stop

BASH = shutil.which("bash")
ADMIN, ADMIN_PASSWORD = "dbadmin", "admin-" + secrets.token_hex(8)

#: Statements of Gitpod 2022.11's migrations (components/gitpod-db/src/typeorm/migration at the
#: 2022.11.3 tag), run in ``gitpod`` as the configured user: 1592203031938-Baseline.ts lines 17,
#: 30, 53 and 95 (its placeholders filled), 1593167873419-LicenseDB.ts lines 13 and 19.
MIGRATIONS = (
    "CREATE TABLE IF NOT EXISTS d_b_edu_email_domain (  domain varchar(255) NOT NULL,  "
    "_lastModified timestamp(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE "
    "CURRENT_TIMESTAMP(6),  PRIMARY KEY (domain),  KEY ind_dbsync (_lastModified)) "
    "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;",
    "CREATE TABLE IF NOT EXISTS d_b_repository_white_list (  url char(128) NOT NULL,  "
    "description text NOT NULL,  priority int(11) NOT NULL DEFAULT '10',  PRIMARY KEY (url)) "
    "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;",
    "SELECT COUNT(1) AS cnt FROM d_b_repository_white_list;",
    "INSERT IGNORE INTO d_b_repository_white_list (url, description, priority) "
    "VALUES ('https://github.com/gitpod-io/gitpod', 'Gitpod', 10);",
    "CREATE TABLE IF NOT EXISTS `d_b_license_key` (`id` char(36) NOT NULL, `installationTime` "
    "timestamp(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), `key` text NOT NULL, "
    "PRIMARY KEY(`id`)) ENGINE=InnoDB;",
    "DROP TABLE `d_b_license_key`;",
)
#: The admin console's preflight (kots-config-check/database/entrypoint.sh lines 54-64).
PREFLIGHT = "SELECT VERSION();"


@dataclass
class Server:
    db: MariaDb

    @property
    def root(self) -> Path:
        return self.db.root

    @property
    def port(self) -> int:
        return self.db.port

    def client(self, *args: str, user: str, password: str, stdin: str = "") -> str:
        """The SQL client over loopback TCP, as a pod connects; raises with its error output."""
        argv = [MARIADB or "mariadb", "--no-defaults", "--protocol=TCP", "--host=127.0.0.1"]
        argv += [f"--port={self.port}", f"--user={user}", f"--password={password}", *args]
        proc = subprocess.run(argv, input=stdin, capture_output=True, text=True, timeout=60)
        if proc.returncode != 0:
            raise SqlError(proc.stderr.strip())
        return proc.stdout

    def reset(self) -> None:
        """Back to a server with only the administrator: no Gitpod databases, no Gitpod user."""
        users = self.db.sql("SELECT user FROM mysql.user").split()
        drops = [f"DROP USER '{u}'@'%';" for u in users if u.startswith("gitpod")]
        self.db.sql(
            "DROP DATABASE IF EXISTS `gitpod`; DROP DATABASE IF EXISTS `gitpod-sessions`;"
            + "".join(drops)
        )


class SqlError(Exception):
    pass


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    require(
        mariadb_installed(),
        "needs Debian's mariadb-server (mariadbd, mariadb-install-db and the mariadb client)",
    )
    db = start_mariadb(tmp_path_factory.mktemp("mariadb"))
    try:
        # The server's administrator, as a managed MySQL has one (not the Gitpod user).
        db.sql(
            f"CREATE USER '{ADMIN}'@'%' IDENTIFIED BY '{ADMIN_PASSWORD}';"
            f"GRANT ALL PRIVILEGES ON *.* TO '{ADMIN}'@'%' WITH GRANT OPTION;"
        )
        yield Server(db)
    finally:
        stop(db.process, timeout=30)


def run_with_password_prompt(script: str, env: dict[str, str], password: str) -> tuple[int, str]:
    """``bash -c script`` on a pseudo-terminal, typing ``password`` at the client's prompt."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: bash, with the terminal as its controlling terminal
        os.execve(BASH or "/bin/bash", [BASH or "bash", "-c", script], env)
    out = b""
    typed = False
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.5)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
            if not typed and b"password" in out.lower():
                os.write(fd, password.encode() + b"\n")
                typed = True
        else:
            os.kill(pid, signal.SIGKILL)
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    return os.waitstatus_to_exitcode(status), out.decode(errors="replace")


def install_as_user(server: Server, user: str, password: str) -> None:
    """What Gitpod 2022.11 runs as the configured user: the init job, the preflight, the
    migrations; raises :class:`SqlError` at the first refusal."""
    server.client(user=user, password=password, stdin=INIT_SQL_AT_THE_TAGS)
    server.client("--database=gitpod", "--execute", PREFLIGHT, user=user, password=password)
    server.client("--database=gitpod", user=user, password=password, stdin="\n".join(MIGRATIONS))
    # The sessions table the init job made is the user's to use (the server's session store).
    server.client(
        "--database=gitpod-sessions",
        user=user,
        password=password,
        stdin="INSERT INTO sessions (session_id, expires) VALUES ('s', 1); "
        "SELECT COUNT(*) FROM sessions; DELETE FROM sessions;",
    )


def test_the_guides_command_sets_up_what_the_install_runs(server: Server) -> None:
    require(BASH is not None, "bash runs the guide's command")
    server.reset()
    setup = database.external("mysql.example.com")
    variables = database.user_variables(setup)
    assert variables is not None
    (command,) = database.user_commands(setup)
    user_password = "pw-" + secrets.token_hex(8)
    # The reader's shell: the page's variables, then this server's address and administrator
    # instead of the example's, and the password the page's snippet reads.
    script = (
        variables
        + f"export DB_HOST=127.0.0.1 DB_PORT={server.port} DB_ADMIN_USER={ADMIN}\n"
        + command
    )
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "DB_PASSWORD": user_password}
    env["HOME"] = str(server.root)  # no option file of this machine's user
    code, output = run_with_password_prompt(script, env, ADMIN_PASSWORD)
    assert code == 0, output
    install_as_user(server, setup.external.username if setup.external else "", user_password)


@pytest.mark.parametrize(
    "left_out", range(len(database.admin_statements("u", "p"))), ids=lambda i: f"without-{i}"
)
def test_leaving_out_any_statement_breaks_the_install(server: Server, left_out: int) -> None:
    server.reset()
    user, password = "gitpod", "pw-" + secrets.token_hex(8)
    statements = list(database.admin_statements(user, password))
    dropped = statements.pop(left_out)
    # As the administrator, going on past errors: a grant to a user never created fails alone.
    with contextlib.suppress(SqlError):  # the grants to a user never created fail
        server.client("--force", user=ADMIN, password=ADMIN_PASSWORD, stdin="\n".join(statements))
    with pytest.raises(SqlError):
        install_as_user(server, user, password)
    # ...and with the statement back, the same install succeeds.
    statements.insert(left_out, dropped)
    server.client("--force", user=ADMIN, password=ADMIN_PASSWORD, stdin="\n".join(statements))
    install_as_user(server, user, password)
