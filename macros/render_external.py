"""Markdown for the object storage, database and "putting it together" examples.

Same format as the registry examples: three linked tabs with :data:`render.TAB_LABELS`, wrapped in
:func:`render.example_block` so the tests can read them back from the built HTML.
"""

from __future__ import annotations

import html
import json

from gitpod_resources import config, database, sources, stack, storage
from gitpod_resources.database import DatabaseSetup
from gitpod_resources.stack import Stack
from gitpod_resources.storage import StorageSetup
from macros.render import (
    TAB_ADMIN,
    TAB_CONFIG,
    TAB_SECRET,
    cite,
    code,
    code_block,
    example_block,
    indent,
    kots_table,
    tabs,
)


def _config_tab(yaml_text: str) -> str:
    return f"In {code(config.CONFIG_FILE)}:\n\n" + code_block("yaml", yaml_text)


def _secret_tab(commands: list[str], nothing: str) -> str:
    """One code block per command, so each copies (and is checked) on its own."""
    if not commands:
        return nothing
    return "\n\n".join(code_block("bash", c) for c in commands)


def storage_tabs(setup: StorageSetup) -> str:
    nothing = (
        "Nothing to create: the installer deploys MinIO in the cluster and generates its "
        "access keys itself."
    )
    return tabs(
        [
            (TAB_ADMIN, kots_table(storage.kots_fields(setup))),
            (TAB_CONFIG, _config_tab(storage.installer_yaml(setup))),
            (TAB_SECRET, _secret_tab(storage.secret_commands(setup), nothing)),
        ]
    )


def storage_example(setup: StorageSetup, inputs: dict[str, str], link: str = "") -> str:
    return example_block(f"storage:{setup.option.value}", inputs, storage_tabs(setup), link)


def database_tabs(setup: DatabaseSetup) -> str:
    nothing = (
        "Nothing to create: the installer deploys MySQL in the cluster and generates its "
        "credentials itself."
    )
    return tabs(
        [
            (TAB_ADMIN, kots_table(database.kots_fields(setup))),
            (TAB_CONFIG, _config_tab(database.installer_yaml(setup))),
            (TAB_SECRET, _secret_tab(database.secret_commands(setup), nothing)),
        ]
    )


#: What the user block says before its commands, per database.
_USER_LEAD = {
    database.DatabaseOption.EXTERNAL: (
        "**First, as an administrator of the server**, create the database {name} (nothing in "
        "Gitpod creates it) and the user Gitpod connects as, with every privilege on {name} and "
        "{sessions}: the installer's init job creates {sessions} as this user, and its "
        "migrations create and change the tables in {name}. Set your values, then run:"
    ),
    database.DatabaseOption.CLOUD_SQL: (
        "Gitpod reaches the instance as this user through the proxy the installer deploys, the "
        "Deployment {deployment} behind the Service {service}. **First**, create the database "
        "{name} on the instance (nothing in Gitpod creates it) and the user, and grant it every "
        "privilege on {name} and {sessions}: the installer's init job creates {sessions} as "
        "this user, and its migrations create and change the tables in {name}. Set your "
        "values, then run:"
    ),
}


def database_user_block(setup: DatabaseSetup, inputs: dict[str, str]) -> str:
    """The database and user to create before the install, or "" when there is none to create
    (in-cluster; the TLS variant, whose database and user are the plain external one's)."""
    variables = database.user_variables(setup)
    if variables is None:
        return ""
    lead = _USER_LEAD[setup.option].format(
        name=code(database.DATABASE_NAME),
        sessions=code(database.SESSIONS_DATABASE),
        deployment=code(database.CLOUDSQL_PROXY_DEPLOYMENT),
        service=code(database.CLOUDSQL_PROXY_HOST),
    )
    blocks = [code_block("bash", c) for c in database.user_commands(setup)]
    init_sql = "\n\n".join(database.INIT_SQL)
    note = '??? note "What the init job runs as this user"\n\n' + indent(
        code_block("sql", init_sql)
    )
    body = "\n\n".join([lead, code_block("bash", variables), *blocks, note])
    attrs = (
        f'class="gp-db-user" data-example="database:{html.escape(setup.option.value)}" '
        f"data-inputs='{html.escape(json.dumps(inputs, sort_keys=True), quote=True)}'"
    )
    return f"<div {attrs} markdown>\n\n{body}\n\n</div>"


def database_example(setup: DatabaseSetup, inputs: dict[str, str], link: str = "") -> str:
    """The database and user to create first (if any), then the three tabs."""
    kind = f"database:{setup.option.value}"
    example = example_block(kind, inputs, database_tabs(setup), link)
    user = database_user_block(setup, inputs)
    return f"{user}\n\n{example}" if user else example


def stack_tabs(s: Stack) -> str:
    admin = "\n\n".join(
        f"**{group}** group:\n\n{kots_table(rows)}" for group, rows in stack.kots_groups(s)
    )
    return tabs(
        [
            (TAB_ADMIN, admin),
            (TAB_CONFIG, _config_tab(stack.installer_yaml(s))),
            (TAB_SECRET, _secret_tab(stack.secret_commands(s), "")),
        ]
    )


def stack_example(s: Stack, inputs: dict[str, str], link: str = "") -> str:
    return example_block(f"together:{s.cloud.value}", inputs, stack_tabs(s), link)


#: The warning's title, the same wherever it is shown.
ENCRYPTION_KEY_TITLE = "The admin console's database encryption key is public"


def encryption_key_details() -> str:
    """The key list in detail: what it holds, the fresh one this guide makes, keeping it."""
    return (
        f"Both database secrets hold the key list under the data key "
        f"{code(database.KEY_ENCRYPTION_KEYS)}: a JSON array of keys, each with a name, a version, "
        "a primary flag and base64 key material. The snippet that sets "
        f"{code(database.ENV_ENCRYPTION_KEYS)} makes one fresh primary key, with material as long "
        "as the default's. Expect data written under one key list to be unreadable under "
        "another. To move an admin-console installation to your own keys, keep the default key "
        "in the list as a non-primary entry, so that data written under it stays readable "
        "(unconfirmed)."
    )


def encryption_key_warning(details_at: str = "") -> str:
    """The admin console's public default encryption key, said where a reader chooses the
    database (the database page's top and each platform page's database step): a three-sentence
    warning, then the details folded below it, or a link to ``details_at`` where the page has
    them already, and the claim's sources."""
    warning = (
        "The admin console has no field for the database's encryption keys: it fills in a "
        "public default key, the one printed in the installer's documentation. "
        "Anyone with a copy of the database can then read what Gitpod encrypted. "
        "Install with the installer config and a key list of your own "
        f"({code(database.ENV_ENCRYPTION_KEYS)}), and keep that list for the life of the data."
    )
    if details_at:
        warning += f"\n\n[The key list in detail]({details_at})"
        details = ""
    else:
        details = '??? note "Encryption keys in detail"\n\n' + indent(encryption_key_details())
    parts = [f'!!! warning "{ENCRYPTION_KEY_TITLE}"\n\n' + indent(warning), details]
    parts.append(cite([sources.get("database.encryption-keys")]))
    return "\n\n".join(p for p in parts if p)
