"""Database checks (``DB``): the guide's database rules, applied to a config.

Both document kinds are read into one :class:`DatabaseView` (the database the installer will use,
the values, where they are); every value is judged by :mod:`macros.database`. The installer
config holds only references for an external MySQL (host, port and user live in the secret), so
the connection values are checked where the admin console export has them.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from macros import config, database, schema
from macros.database import DatabaseOption
from macros.errors import RuleError

from ..model import DocKind, Document, Hit, Severity, check
from ..tree import Key, YMap, YNode, YScalar
from .container_registry import KOTS_TRUE, Value, Where, _value, _where, kots_item, kots_values

PAGE = "database.md"
INSTALLER = (DocKind.INSTALLER,)
KOTS = (DocKind.KOTS,)
DB = "database"
#: The installer's external database blocks, in the order ``DatabaseEnv`` tries them.
BLOCKS: dict[str, DatabaseOption] = {
    "external": DatabaseOption.EXTERNAL,
    "cloudSQL": DatabaseOption.CLOUD_SQL,
}


@dataclass(frozen=True)
class DatabaseView:
    kind: DocKind
    #: The database the installer will use; None when the document does not say it readably.
    option: DatabaseOption | None
    #: The mapping key ``database`` (installer) or ``values`` (KOTS), to point at.
    anchor: Where
    instance: Value | None = None
    host: Value | None = None
    port: Value | None = None
    username: Value | None = None


def _is_unset(node: YNode | None) -> bool:
    return node is None or (isinstance(node, YScalar) and node.is_null)


def _section(doc: Document) -> YMap | None:
    section = doc.root.get(DB)
    return section if isinstance(section, YMap) else None


def _in_cluster(section: YMap) -> bool | None:
    """``inCluster`` as the installer reads it: unset means its default, true."""
    inc = section.get("inCluster")
    if _is_unset(inc):
        return True
    return inc.as_bool if isinstance(inc, YScalar) else None


def _blocks(section: YMap) -> list[tuple[str, Key, YMap]]:
    found = []
    for name in BLOCKS:
        block, key = section.get(name), section.key(name)
        if isinstance(block, YMap) and key is not None:
            found.append((name, key, block))
    return found


def _has_ref_name(block: YMap, ref: str) -> bool:
    node = block.get(ref)
    name = node.get("name") if isinstance(node, YMap) else None
    return isinstance(name, YScalar) and not name.is_null and bool(name.text.strip())


def _used_block(section: YMap) -> tuple[str, Key, YMap] | None:
    """The block ``DatabaseEnv`` picks with ``inCluster: false``: external if its secret is
    named, else cloudSQL; with neither named, the first one written (to check what is there)."""
    blocks = _blocks(section)
    for name, key, block in blocks:
        if name == "external" and _has_ref_name(block, "certificate"):
            return name, key, block
    for name, key, block in blocks:
        if name == "cloudSQL":
            return name, key, block
    return blocks[0] if blocks else None


def installer_view(doc: Document) -> DatabaseView | None:
    section = _section(doc)
    if section is None:
        return None
    anchor = _where(DB, doc.root.key(DB), section)
    in_cluster = _in_cluster(section)
    if in_cluster is not False:
        option = DatabaseOption.IN_CLUSTER if in_cluster else None
        return DatabaseView(DocKind.INSTALLER, option, anchor)
    used = _used_block(section)
    if used is None:
        return DatabaseView(DocKind.INSTALLER, None, anchor)
    name, _, block = used
    return DatabaseView(
        DocKind.INSTALLER,
        BLOCKS[name],
        anchor,
        instance=_value(block.get("instance"), f"{DB}.{name}.instance"),
    )


def _kots_on(doc: Document, item: str, default: bool) -> bool:
    value = kots_item(doc, item)
    return default if value is None else value.text.strip().lower() in KOTS_TRUE


def kots_view(doc: Document) -> DatabaseView:
    spec = doc.root.get("spec")
    assert isinstance(spec, YMap)
    anchor = _where("spec.values", spec.key("values"), kots_values(doc))
    # Defaults of the items: db_incluster "1", db_cloudsql_enabled "0".
    if _kots_on(doc, "db_incluster", True):
        return DatabaseView(DocKind.KOTS, DatabaseOption.IN_CLUSTER, anchor)
    username = kots_item(doc, "db_username")
    if _kots_on(doc, "db_cloudsql_enabled", False):
        instance = kots_item(doc, "db_cloudsql_instance")
        return DatabaseView(
            DocKind.KOTS, DatabaseOption.CLOUD_SQL, anchor, instance=instance, username=username
        )
    return DatabaseView(
        DocKind.KOTS,
        DatabaseOption.EXTERNAL,
        anchor,
        host=kots_item(doc, "db_host"),
        port=kots_item(doc, "db_port"),
        username=username,
    )


def view(doc: Document) -> DatabaseView | None:
    return installer_view(doc) if doc.kind is DocKind.INSTALLER else kots_view(doc)


def title(item: str) -> str:
    return f'"{config.kots_title(item)}"'


# --- which database is used ---------------------------------------------------------------------


@check(
    "DB101",
    Severity.ERROR,
    "database.inCluster is missing",
    why="The installer starts from its defaults, and `database.inCluster` defaults to `true`, "
    "which it checks first: with the key left out, Gitpod runs MySQL in the cluster and the "
    "`external` or `cloudSQL` block below it is silently ignored.",
    fix="Add `inCluster: false` to use the external database.",
    example="apiVersion: v1\n"
    "database:\n"
    "  external:\n"
    "    certificate:\n"
    "      kind: secret\n"
    "      name: database\n",
    docs=f"{PAGE}#which-one-wins",
    kinds=INSTALLER,
)
def in_cluster_missing(doc: Document) -> Iterator[Hit]:
    section = _section(doc)
    if section is None or not _is_unset(section.get("inCluster")):
        return
    blocks = _blocks(section)
    if not blocks:
        return
    key = doc.root.key(DB)
    assert key is not None
    names = " and ".join(repr(name) for name, _, _ in blocks)
    yield Hit(
        None,
        f"{DB}.inCluster",
        f"{DB}.inCluster is missing, so its default true applies: MySQL runs in the cluster "
        f"and {names} is ignored",
        "add 'inCluster: false' to use the external database",
        key.line,
        key.column,
    )


@check(
    "DB105",
    Severity.WARNING,
    "Database settings that are never used",
    why="The installer uses one database: `inCluster: true` first, else `external` if its "
    "secret is named, else `cloudSQL`. A block it does not use has no effect, though it "
    "looks configured.",
    fix="Remove the unused block, or change `inCluster` to use it.",
    example="apiVersion: v1\n"
    "database:\n"
    "  inCluster: false\n"
    "  external:\n"
    "    certificate:\n"
    "      kind: secret\n"
    "      name: database\n"
    "  cloudSQL:\n"
    "    instance: my-gcp-project:europe-west2:gitpod-mysql\n"
    "    serviceAccount:\n"
    "      kind: secret\n"
    "      name: cloudsql\n",
    docs=f"{PAGE}#which-one-wins",
    kinds=INSTALLER,
)
def ignored(doc: Document) -> Iterator[Hit]:
    section = _section(doc)
    if section is None:
        return
    inc = section.get("inCluster")
    explicit_true = isinstance(inc, YScalar) and inc.as_bool is True
    used = _used_block(section) if _in_cluster(section) is False else None
    for name, key, _ in _blocks(section):
        if explicit_true:
            message = f"{DB}.{name} is ignored because inCluster is true (in-cluster MySQL)"
            fix = f"remove {name!r}, or set 'inCluster: false' to use it"
        elif used is not None and used[0] == "external" and name != "external":
            message = f"{DB}.{name} is ignored because {DB}.external is set, and external wins"
            fix = f"remove {name!r} (or 'external', to use {name!r})"
        else:
            continue
        yield Hit(None, f"{DB}.{name}", message, fix, key.line, key.column)


# --- required values ----------------------------------------------------------------------------


def _missing_installer(doc: Document, v: DatabaseView) -> Iterator[tuple[Where, str, str]]:
    section = _section(doc)
    assert section is not None
    if _in_cluster(section) is not False:
        return
    blocks = _blocks(section)
    if not blocks:
        yield (
            Where(f"{DB}.external", v.anchor.line, v.anchor.column),
            f"{DB}.external or {DB}.cloudSQL",
            "with inCluster: false and neither, the installer stops with "
            '"invalid database configuration"',
        )
        return
    for name, key, block in blocks:
        for k in schema.REQUIRED_KEYS[f"{DB}.{name}"]:
            node = block.get(k)
            empty = _is_unset(node) or (
                isinstance(node, YScalar) and node.is_str and not node.text.strip()
            )
            if empty:
                path = f"{DB}.{name}.{k}"
                why = "the installer requires it"
                if isinstance(schema.lookup(path), schema.ObjectRef):
                    why = "the secret with the connection; the installer reads it"
                yield _where(path, key if node is None else None, node or block), path, why


def _missing_kots(doc: Document, v: DatabaseView) -> Iterator[tuple[Where, str, str]]:
    items: list[tuple[str, Value | None]] = []
    if v.option is DatabaseOption.CLOUD_SQL:
        items = [("db_cloudsql_instance", v.instance)]
    elif v.option is DatabaseOption.EXTERNAL:
        items = [("db_host", v.host)]
    for item, value in items:
        if value is None:
            entry = kots_values(doc).get(item)
            at = v.anchor if entry is None else Where("", entry.line, entry.column)
            path = f"spec.values.{item}.value"
            yield Where(path, at.line, at.column), title(item), "the admin console requires it"


@check(
    "DB102",
    Severity.ERROR,
    "A required database value is missing",
    why="With `inCluster: false` the installer needs `external` or `cloudSQL`; `external` "
    "needs the secret in `certificate`, `cloudSQL` the `instance` and the `serviceAccount` "
    "secret. The admin console requires the host, or the Cloud SQL connection name.",
    fix="Add the value the finding names; the guide's examples show every required field.",
    example="apiVersion: v1\n"
    "database:\n"
    "  inCluster: false\n"
    "  cloudSQL:\n"
    "    serviceAccount:\n"
    "      kind: secret\n"
    "      name: cloudsql\n",
    docs=f"{PAGE}#external",
)
def required_missing(doc: Document) -> Iterator[Hit]:
    v = view(doc)
    if v is None:
        return
    missing = _missing_installer(doc, v) if doc.kind is DocKind.INSTALLER else _missing_kots(doc, v)
    for where, what, why in missing:
        yield Hit(
            None,
            where.path,
            f"{what} is required here: {why}",
            f"set {what}",
            where.line,
            where.column,
        )


# --- the values ---------------------------------------------------------------------------------


@check(
    "DB103",
    Severity.ERROR,
    "Cloud SQL instance is not a connection name",
    why="The Cloud SQL proxy takes the instance's connection name, "
    "`<project>:<region>:<instance>`: the instance ID alone, a zone instead of the region or "
    "an invalid project ID names no instance, and the proxy never connects.",
    fix="Copy the instance's connection name: project ID, region and instance ID, "
    "separated by colons.",
    example="apiVersion: v1\n"
    "database:\n"
    "  inCluster: false\n"
    "  cloudSQL:\n"
    "    instance: my-gcp-project:europe-west2-a:gitpod-mysql\n"
    "    serviceAccount:\n"
    "      kind: secret\n"
    "      name: cloudsql\n",
    docs=f"{PAGE}#cloud-sql",
)
def cloudsql_instance(doc: Document) -> Iterator[Hit]:
    v = view(doc)
    if v is None or v.option is not DatabaseOption.CLOUD_SQL or v.instance is None:
        return
    try:
        database.validate_cloudsql_instance(v.instance.text, v.instance.path)
    except RuleError as err:
        fix = f"write the connection name, {database.CONNECTION_PATTERN!r}"
        yield Hit(v.instance.node, v.instance.path, str(err), fix)


#: Admin console connection fields and the rule each obeys.
CONNECTION_FIELDS: dict[str, tuple[str, Callable[[object, str], object], str]] = {
    "host": ("db_host", database.validate_host, database.HOST_FORM),
    "port": ("db_port", database.validate_port, database.PORT_FORM),
    "username": ("db_username", database.validate_username, database.USERNAME_FORM),
}


@check(
    "DB104",
    Severity.ERROR,
    "Invalid database connection field",
    why="Gitpod connects to the host and port as entered: a host is a bare name or IP address "
    "(no scheme, no port), the port a number 1-65535, and MySQL 5.7 user names have at most "
    "32 characters.",
    fix="Enter the host alone, the port in its own field, and the MySQL user name.",
    example="apiVersion: kots.io/v1beta1\n"
    "kind: ConfigValues\n"
    "spec:\n"
    "  values:\n"
    "    db_incluster:\n"
    '      value: "0"\n'
    "    db_host:\n"
    "      value: mysql.example.com:3306\n",
    docs=f"{PAGE}#external",
    kinds=KOTS,
)
def connection_field(doc: Document) -> Iterator[Hit]:
    v = view(doc)
    if v is None:
        return
    values = {"host": v.host, "port": v.port, "username": v.username}
    for name, value in values.items():
        if value is None:
            continue
        _, validate, form = CONNECTION_FIELDS[name]
        try:
            validate(value.text, value.path)
        except RuleError as err:
            yield Hit(value.node, value.path, str(err), f"write {form}")


@check(
    "DB106",
    Severity.WARNING,
    "database.ssl needs a later installer",
    why="`database.ssl.caCert` was added to the installer on 2022-12-13, after the 2022.11 "
    "release. The installer loads its config strictly: an older one rejects the whole file.",
    fix="Use an installer from 2022-12-13 or later, or remove `ssl`.",
    example="apiVersion: v1\n"
    "database:\n"
    "  inCluster: false\n"
    "  external:\n"
    "    certificate:\n"
    "      kind: secret\n"
    "      name: database\n"
    "  ssl:\n"
    "    caCert:\n"
    "      kind: secret\n"
    "      name: database-ca\n",
    docs=f"{PAGE}#tls",
    kinds=INSTALLER,
)
def ssl_later(doc: Document) -> Iterator[Hit]:
    section = _section(doc)
    key = section.key("ssl") if section is not None else None
    if key is None:
        return
    since = database.SSL_CA_CERT_SINCE.isoformat()
    yield Hit(
        None,
        f"{DB}.ssl",
        f"{DB}.ssl exists in installers from {since} on; an older 2022.11 installer rejects "
        "the file",
        f"use an installer from {since} or later, or remove 'ssl'",
        key.line,
        key.column,
    )


@check(
    "DB107",
    Severity.WARNING,
    "Unknown database item",
    why="The admin console has no such item in its database group: the value is never used, "
    "and the field it was meant for keeps its default.",
    fix="Rename the item to the one the finding names.",
    example="apiVersion: kots.io/v1beta1\n"
    "kind: ConfigValues\n"
    "spec:\n"
    "  values:\n"
    "    db_in_cluster:\n"
    '      value: "1"\n',
    kinds=KOTS,
)
def kots_unknown_item(doc: Document) -> Iterator[Hit]:
    known = sorted(schema.KOTS_DATABASE_ITEMS)
    for key, _ in kots_values(doc).pairs:
        if not key.text.startswith(schema.KOTS_DATABASE_PREFIX) or key.text in known:
            continue
        close = difflib.get_close_matches(key.text, known, n=1, cutoff=0.6)
        message = f"no admin console item {key.text!r} in the database group"
        fix = f"rename it to {close[0]!r}" if close else "remove it"
        if close:
            message += f"; did you mean {close[0]!r}?"
        yield Hit(None, f"spec.values.{key.text}", message, fix, key.line, key.column)
