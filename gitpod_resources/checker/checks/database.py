"""Database checks (``DB``): the guide's database rules, applied to a config.

Both document kinds are read into one :class:`DatabaseView` (the database the installer will use,
the values, where they are); every value is judged by :mod:`gitpod_resources.database`. The
installer config holds only references for an external MySQL (host, port and user live in the
secret), so the connection values are checked where the admin console export has them. A block
Gitpod does not connect with is reported with what it still does (the Cloud SQL proxy it deploys,
the secret ``installer validate cluster`` checks).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from gitpod_resources import database, gcp, kots, schema
from gitpod_resources.database import DatabaseOption
from gitpod_resources.errors import RuleError

from ..common import (
    TEMPLATES_MATCH,
    Block,
    Missing,
    Needed,
    Value,
    View,
    at_key,
    blocks,
    blocks_written,
    in_cluster,
    in_cluster_default,
    kots_anchor,
    kots_checkbox,
    kots_item,
    kots_on,
    named,
    read_section,
    ref_name,
    required_keys,
    required_values,
    rule_broken,
    secret_name_check,
    section,
    stated_in_cluster,
    still_validated,
    unknown_item_check,
    value,
)
from ..model import DocKind, Document, Hit, Severity, check, split
from ..tree import YMap

DB = "database"
#: The installer's external database blocks, in the order ``DatabaseEnv`` tries them for the
#: connection (its objects take cloudSQL first: ``components/database/objects.go``).
BLOCKS: dict[str, DatabaseOption] = {
    "external": DatabaseOption.EXTERNAL,
    "cloudSQL": DatabaseOption.CLOUD_SQL,
}


#: The admin console's required items per database, and its credentials (reference §5.3, §5.4).
#: The username is left out: the admin console pre-fills it.
KOTS_NEEDED: dict[DatabaseOption | None, Needed] = {
    DatabaseOption.EXTERNAL: (["db_host"], ["db_password"]),
    DatabaseOption.CLOUD_SQL: (["db_cloudsql_instance"], ["db_password", "db_gcp_credentials"]),
}


@dataclass(frozen=True)
class DatabaseView(View):
    #: The database the installer will use; None when the document does not say it readably.
    option: DatabaseOption | None
    instance: Value | None = None
    host: Value | None = None
    port: Value | None = None
    username: Value | None = None


def _used_block(mapping: YMap) -> Block | None:
    """The block ``DatabaseEnv`` picks with ``inCluster: false``: external if its secret is
    named, else cloudSQL; with neither named, the first one written (to check what is there)."""
    written = blocks(mapping, BLOCKS)
    for name, key, block in written:
        if name == "external" and ref_name(block, "certificate") is not None:
            return name, key, block
    for name, key, block in written:
        if name == "cloudSQL":
            return name, key, block
    return written[0] if written else None


def installer_view(doc: Document) -> DatabaseView | None:
    found = read_section(doc, DB)
    if found is None:
        return None
    mapping, anchor, inc = found
    if inc is not False:
        option = DatabaseOption.IN_CLUSTER if inc else None
        return DatabaseView(DocKind.INSTALLER, anchor, option)
    used = _used_block(mapping)
    if used is None:
        return DatabaseView(DocKind.INSTALLER, anchor, None)
    name, _, block = used
    return DatabaseView(
        DocKind.INSTALLER,
        anchor,
        BLOCKS[name],
        instance=value(block.get("instance"), f"{DB}.{name}.instance"),
    )


def kots_view(doc: Document) -> DatabaseView:
    anchor = kots_anchor(doc)
    # Defaults of the items: db_incluster "1", db_cloudsql_enabled "0".
    if kots_on(doc, "db_incluster", True):
        return DatabaseView(DocKind.KOTS, anchor, DatabaseOption.IN_CLUSTER)
    username = kots_item(doc, "db_username")
    if kots_on(doc, "db_cloudsql_enabled", False):
        instance = kots_item(doc, "db_cloudsql_instance")
        return DatabaseView(
            DocKind.KOTS, anchor, DatabaseOption.CLOUD_SQL, instance=instance, username=username
        )
    return DatabaseView(
        DocKind.KOTS,
        anchor,
        DatabaseOption.EXTERNAL,
        host=kots_item(doc, "db_host"),
        port=kots_item(doc, "db_port"),
        username=username,
    )


def view(doc: Document) -> DatabaseView | None:
    return installer_view(doc) if doc.kind is DocKind.INSTALLER else kots_view(doc)


# --- which database is used ---------------------------------------------------------------------

#: The reference naming each block's secret.
SECRET_REF = {"external": "certificate", "cloudSQL": "serviceAccount"}


@check("DB101")
@in_cluster_default(DB, BLOCKS, "add 'inCluster: false' to use the external database")
def in_cluster_missing(written: list[Block]) -> str:
    name, _, block = written[0]
    still = still_validated(block, SECRET_REF[name])
    return (
        f"{DB}.inCluster is missing, so its default true applies: MySQL runs in the cluster and "
        f"Gitpod connects to it, not to {named(written)}; {still}"
    )


@check("DB105")
def ignored(doc: Document) -> Iterator[Hit]:
    found = section(doc, DB)
    if found is None:
        return
    explicit_true = stated_in_cluster(found) is True
    used = _used_block(found) if in_cluster(found) is False else None
    for name, key, block in blocks(found, BLOCKS):
        path = f"{DB}.{name}"
        fix = f"remove {name!r}, or set 'inCluster: false' and keep only {name!r}"
        if explicit_true:
            message = (
                f"{path} is not used: inCluster is true, so Gitpod connects to MySQL in the "
                f"cluster; {still_validated(block, SECRET_REF[name])}"
            )
            yield at_key(key, path, message, fix)
        elif used is not None and used[0] == "external" and name == "cloudSQL":
            secret = ref_name(block, SECRET_REF[name])
            message = (
                f"{path} is not used for connections: {DB}.external's secret is named, and "
                "Gitpod connects with it; but the installer still deploys the Cloud SQL proxy "
                f"for {path} (Deployment {database.CLOUDSQL_PROXY_DEPLOYMENT!r}), which needs "
                f"its secret{f' {secret!r}' if secret else ''} and the instance"
            )
            yield at_key(key, path, message, f"remove {name!r} to use the external database")


# --- required values ----------------------------------------------------------------------------


@check("DB102")
@required_values(lambda doc: KOTS_NEEDED.get(kots_view(doc).option, ([], [])), "database")
def required_missing(doc: Document) -> Missing:
    none, stops = "neither", "invalid database configuration"
    written = yield from blocks_written(doc, DB, list(BLOCKS), none, stops)
    yield from required_keys(DB, written, "the secret with the connection; the installer reads it")


# --- the values ---------------------------------------------------------------------------------


@check("DB103")
def cloudsql_instance(doc: Document) -> Iterator[Hit]:
    v = view(doc)
    if v is None or v.option is not DatabaseOption.CLOUD_SQL or v.instance is None:
        return
    text = v.instance.text
    yield from rule_broken(
        v.instance, database.validate_cloudsql_instance, lambda _: _instance_fix(text)
    )


def _instance_fix(text: str) -> str:
    """The fix of a connection name the rules refused (computed only then): the name with its
    region corrected when that alone makes it valid, else the form."""
    corrected = _region_corrected(text)
    if corrected is not None:
        return f"write {corrected!r}"
    return f"write the connection name, {database.CONNECTION_PATTERN!r}"


def _region_corrected(text: str) -> str | None:
    """The connection name with its region replaced by the one to suggest (a zone's region,
    an AWS region's same-place Google region, a close code), when that alone makes it valid."""
    project, _, rest = text.rpartition(":")[0].rpartition(":")
    if not project:
        return None
    region = rest
    instance = text.rpartition(":")[2]
    for close in gcp.closest_regions(region, 1):
        candidate = f"{project}:{close}:{instance}"
        try:
            database.validate_cloudsql_instance(candidate)
        except RuleError:
            return None
        return candidate if candidate != text else None
    return None


#: Admin console connection fields and the rule each obeys.
CONNECTION_FIELDS: dict[str, tuple[str, Callable[[object, str], object], str]] = {
    "host": ("db_host", database.validate_host, database.HOST_FORM),
    "port": ("db_port", database.validate_port, database.PORT_FORM),
    "username": ("db_username", database.validate_username, database.USERNAME_FORM),
}


@check("DB104")
def connection_field(doc: Document) -> Iterator[Hit]:
    v = view(doc)
    if v is None:
        return
    values = {"host": v.host, "port": v.port, "username": v.username}
    for name, found in values.items():
        if found is None:
            continue
        _, validate, form = CONNECTION_FIELDS[name]
        yield from rule_broken(found, validate, f"write {form}")


secret_name_check("DB108", DB, unresolved="the connection is never found")


@split(error=check("DB109"), warning=check("DB110"))
def kots_readings(doc: Document) -> Iterator[tuple[Severity, Hit]]:
    """The database checkboxes whose value the templates (exact "1"/"0") and the installer
    (``isTruthy``) read differently, with what the install does instead
    (:mod:`gitpod_resources.kots`)."""
    on, off = kots.ON, kots.OFF
    missing = f"{TEMPLATES_MATCH} and make that Secret only for"
    nothing = "the install refers to a Secret that does not exist"
    cloudsql = kots_on(doc, "db_cloudsql_enabled", False)
    secret = kots.CLOUDSQL_SECRET if cloudsql else kots.DATABASE_SECRET
    branch = "the Cloud SQL proxy" if cloudsql else "the external MySQL"
    yield from kots_checkbox(
        doc,
        "db_incluster",
        on=(
            Severity.WARNING,
            f"the installer reads it as on and runs MySQL in the cluster, but {TEMPLATES_MATCH}, "
            "so the admin console hides the database settings",
            f"write {on!r} (in-cluster MySQL) or {off!r} (external database)",
        ),
        off=(
            Severity.ERROR,
            f"the installer reads it as off and connects through {branch} with the Secret "
            f"{secret!r}, but {missing} {off!r}: {nothing}",
            f"write {off!r} for an external database or {on!r} for the in-cluster one",
        ),
    )
    if kots_on(doc, "db_incluster", True):
        return
    fix = f"write {on!r} for Cloud SQL or {off!r} for an external MySQL"
    yield from kots_checkbox(
        doc,
        "db_cloudsql_enabled",
        on=(
            Severity.ERROR,
            "the installer reads it as on and connects through the Cloud SQL proxy with the "
            f"Secret {kots.CLOUDSQL_SECRET!r}, but {missing} {on!r}: {nothing}",
            fix,
        ),
        off=(
            Severity.ERROR,
            "the installer reads it as off and connects to the external MySQL with the Secret "
            f"{kots.DATABASE_SECRET!r}, but {missing} {off!r}: {nothing}",
            fix,
        ),
    )


unknown_item_check("DB107", "database", schema.KOTS_DATABASE_PREFIX, schema.KOTS_DATABASE_ITEMS)
