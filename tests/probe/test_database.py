"""The database probe against Debian's MariaDB, started on loopback and a private socket (and a
second one with TLS, its certificate signed by the test CA). MariaDB reports 10.x, so every run
here also meets the "not MySQL 5.7" warning, as the admin console's preflight would."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from tests.support.local_servers import MariaDb

from .configs import database_installer as installer
from .configs import kots_database as kots
from .conftest import Probe
from .servers import Tls, make_tls

PASSWORD = "db-" + secrets.token_hex(12)
GOOD = (
    "CREATE DATABASE IF NOT EXISTS `gitpod`;"
    "GRANT ALL PRIVILEGES ON `gitpod`.* TO '{u}'@'%';"
    "GRANT ALL PRIVILEGES ON `gitpod-sessions`.* TO '{u}'@'%';"
)


def user(server: MariaDb, grants: str = GOOD, database: bool = True) -> str:
    """A new user with the password, and ``grants`` (``{u}``: the user); ``gitpod`` exists
    unless ``database`` is false."""
    name = "gitpod" + secrets.token_hex(3)
    sql = f"CREATE USER '{name}'@'%' IDENTIFIED BY '{PASSWORD}';" + grants.format(u=name)
    if not database:
        sql = sql.replace("CREATE DATABASE IF NOT EXISTS `gitpod`;", "")
        sql += "DROP DATABASE IF EXISTS `gitpod`;"
    server.sql(sql)
    return name


def args(server: MariaDb, name: str) -> tuple[str, ...]:
    return ("--db-host", "127.0.0.1", "--db-port", str(server.port), "--db-username", name)


ENV = {"DB_PASSWORD": PASSWORD}


def test_the_guides_user_passes_with_the_version_warning(probe: Probe, mariadb: MariaDb) -> None:
    name = user(mariadb)
    ran = probe(installer(), *args(mariadb, name), env=ENV)
    assert ran.code == 0, ran
    assert ran.codes == ["PRB304"], ran
    for step in ("connect", "gitpod", "gitpod-sessions"):
        assert ("database", step) in ran.steps("passed"), ran
    # Nothing was created: the server has no gitpod-sessions.
    assert "gitpod-sessions" not in mariadb.sql("SHOW DATABASES;")


def test_the_version_finding_says_what_the_preflight_reads(probe: Probe, mariadb: MariaDb) -> None:
    version = mariadb.sql("SELECT VERSION();").strip()
    name = user(mariadb)
    ran = probe(installer(), *args(mariadb, name), env=ENV)
    line = ran.line("PRB304")
    assert version in line and "reads '1'" in line, line


def test_a_kots_export_gives_host_port_and_user(probe: Probe, mariadb: MariaDb) -> None:
    name = user(mariadb)
    ran = probe(kots(mariadb.port, name), env=ENV)
    assert ran.code == 0, ran
    assert ran.probe_codes == ["PRB304"], ran


def test_a_wrong_password_is_refused(probe: Probe, mariadb: MariaDb) -> None:
    name = user(mariadb)
    ran = probe(installer(), *args(mariadb, name), env={"DB_PASSWORD": "wrong-" + PASSWORD})
    assert ran.code == 1, ran
    assert ran.codes == ["PRB302"], ran


def test_a_missing_gitpod_database_fails(probe: Probe, mariadb: MariaDb) -> None:
    name = user(mariadb, database=False)
    ran = probe(installer(), *args(mariadb, name), env=ENV)
    assert ran.code == 1, ran
    assert ran.probe_codes == ["PRB304", "PRB305"], ran
    mariadb.sql("CREATE DATABASE IF NOT EXISTS `gitpod`;")


#: (the user's grants, the probe's codes, words the line of the last code says); each user
#: lacks a right the init job or Gitpod needs.
LACKING = [
    pytest.param(
        "CREATE DATABASE IF NOT EXISTS `gitpod`;GRANT ALL ON `gitpod-sessions`.* TO '{u}'@'%';",
        ["PRB304", "PRB306"],
        (),
        id="no-rights-on-gitpod",
    ),
    pytest.param(
        "CREATE DATABASE IF NOT EXISTS `gitpod`;"
        "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, INDEX ON `gitpod`.* TO '{u}'@'%';"
        "GRANT ALL ON `gitpod-sessions`.* TO '{u}'@'%';",
        ["PRB304", "PRB306"],
        ("lacks ALTER on",),
        id="no-alter-on-gitpod",
    ),
    pytest.param(
        "CREATE DATABASE IF NOT EXISTS `gitpod`;"
        "GRANT ALL ON `gitpod`.* TO '{u}'@'%';"
        "GRANT SELECT, INSERT, UPDATE, DELETE ON `gitpod-sessions`.* TO '{u}'@'%';",
        ["PRB304", "PRB307"],
        ("CREATE",),
        id="no-create-on-gitpod-sessions",
    ),
]


@pytest.mark.parametrize(("grants", "codes", "says"), LACKING)
def test_a_user_lacking_a_right_fails(
    probe: Probe, mariadb: MariaDb, grants: str, codes: list[str], says: tuple[str, ...]
) -> None:
    name = user(mariadb, grants)
    ran = probe(installer(), *args(mariadb, name), env=ENV)
    assert ran.code == 1, ran
    assert ran.probe_codes == codes, ran
    for word in says:
        assert word in ran.line(codes[-1])


def test_the_probes_verdict_on_create_is_the_servers(mariadb: MariaDb) -> None:
    """What the probe reads from the grants is what the server does: the user it passes may run
    the init job's CREATE DATABASE IF NOT EXISTS, the one it fails may not (even when the
    database exists)."""
    import pymysql

    from gitpod_resources.database import INIT_SQL

    with_create = user(mariadb)
    without = user(
        mariadb,
        "GRANT ALL ON `gitpod`.* TO '{u}'@'%';"
        "GRANT SELECT, INSERT, UPDATE, DELETE ON `gitpod-sessions`.* TO '{u}'@'%';",
    )
    for name, allowed in ((without, False), (with_create, True), (without, False)):
        conn = pymysql.connect(
            host="127.0.0.1", port=mariadb.port, user=name, password=PASSWORD, autocommit=True
        )
        try:
            with conn.cursor() as cur:
                if allowed:
                    for statement in INIT_SQL:
                        cur.execute(statement)
                else:
                    with pytest.raises(pymysql.err.OperationalError) as refused:
                        cur.execute(INIT_SQL[0])
                    assert refused.value.args[0] == 1044
        finally:
            conn.close()
    mariadb.sql("DROP DATABASE `gitpod-sessions`;")


def test_a_closed_port_is_unreachable(probe: Probe) -> None:
    from tests.support.local_servers import free_port

    ran = probe(installer(), "--db-host", "127.0.0.1", "--db-port", str(free_port()), env=ENV)
    assert ran.code == 1, ran
    assert ran.codes == ["PRB301"], ran


def test_tls_verified_with_the_ca_passes(probe: Probe, mariadb_tls: MariaDb, tls: Tls) -> None:
    name = user(mariadb_tls)
    ran = probe(installer(tls=True), *args(mariadb_tls, name), "--db-ca-file", str(tls.ca), env=ENV)
    assert ran.code == 0, ran
    assert ran.probe_codes == ["PRB304"], ran
    assert "TLS verified" in ran.out


def test_tls_with_another_ca_fails(probe: Probe, mariadb_tls: MariaDb, tmp_path: Path) -> None:
    other = make_tls(tmp_path / "other-ca")
    name = user(mariadb_tls)
    ran = probe(
        installer(tls=True), *args(mariadb_tls, name), "--db-ca-file", str(other.ca), env=ENV
    )
    assert ran.code == 1, ran
    assert ran.codes == ["PRB303"], ran
    assert ":11:13: PRB303" in ran.line("PRB303")  # at database.ssl.caCert's secret


def test_tls_asked_of_a_server_without_it_fails(probe: Probe, mariadb: MariaDb, tls: Tls) -> None:
    name = user(mariadb)
    ran = probe(installer(tls=True), *args(mariadb, name), "--db-ca-file", str(tls.ca), env=ENV)
    assert ran.code == 1, ran
    assert ran.codes == ["PRB303"], ran
    assert "offers no TLS" in ran.line("PRB303")
