"""Markdown for the object storage, database and "putting it together" examples.

Same format as the registry examples: three linked tabs with :data:`render.TAB_LABELS`, wrapped in
:func:`render.example_block` so the tests can read them back from the built HTML.
"""

from __future__ import annotations

from . import config, database, stack, storage
from .database import DatabaseSetup
from .render import (
    TAB_ADMIN,
    TAB_CONFIG,
    TAB_SECRET,
    code,
    code_block,
    example_block,
    kots_table,
    tabs,
)
from .stack import Stack
from .storage import StorageSetup


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


def storage_example(setup: StorageSetup, inputs: dict[str, str]) -> str:
    return example_block(f"storage:{setup.option.value}", inputs, storage_tabs(setup))


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


def database_example(setup: DatabaseSetup, inputs: dict[str, str]) -> str:
    return example_block(f"database:{setup.option.value}", inputs, database_tabs(setup))


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


def stack_example(s: Stack, inputs: dict[str, str]) -> str:
    return example_block(f"together:{s.cloud.value}", inputs, stack_tabs(s))
