"""Every example of the site, read back from the built HTML as a reader copies it: the container
registry, object storage and database examples (on their pages and the platform pages) and the
platform pages' whole configs. Each tab is what the rules compute for the example's inputs, and
every block agrees with the oracles that do not come from the rules (tests/docs/component_checks:
the admin console's titles, the installer's keys, the secrets cluster validation reads).
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

from gitpod_resources import config, database, stack, storage
from macros import site as glue
from tests.conftest import Site
from tests.docs.component_checks import (
    check_secrets,
    check_tabs,
    check_titles,
    check_yaml_keys,
    codes,
    examples_of,
)

#: What the rules show for an example: (admin console rows, installer config, secret commands).
Shown = tuple[list[tuple[str, str]], dict[str, Any], list[str]]


def registry_shown(option: str, inputs: dict[str, str]) -> Shown:
    setup = glue.build_registry_setup(option, inputs)
    command = config.secret_command(setup)
    return config.kots_fields(setup), config.installer_config(setup), [command] if command else []


def component_shown(rules: ModuleType) -> Callable[[str, dict[str, str]], Shown]:
    """What the rules of object storage or the database (modules of one shape) show."""

    def shown(option: str, inputs: dict[str, str]) -> Shown:
        setup = rules.build(option, inputs)
        return rules.kots_fields(setup), rules.installer_config(setup), rules.secret_commands(setup)

    return shown


def stack_shown(cloud: str, inputs: dict[str, str]) -> Shown:
    s = stack.build(cloud, inputs)
    rows = [row for _, group in stack.kots_groups(s) for row in group]
    return rows, stack.installer_config(s), stack.secret_commands(s)


#: (the examples' kind prefix, what the rules show for one, how many examples at least)
KINDS: list[tuple[str, Callable[[str, dict[str, str]], Shown], int]] = [
    ("registry:", registry_shown, 5),
    ("storage:", component_shown(storage), 4),
    ("database:", component_shown(database), 4),
    ("together:", stack_shown, 3),
]


@pytest.mark.parametrize(("prefix", "shown", "least"), KINDS, ids=[k for k, _, _ in KINDS])
def test_examples_equal_the_rules(
    site: Site, prefix: str, shown: Callable[[str, dict[str, str]], Shown], least: int
) -> None:
    """Every tab shows exactly what the rules compute for the example's inputs."""
    found = examples_of(site, prefix)
    for ex in found:
        rows, installer, secrets = shown(ex.kind.split(":", 1)[1], ex.inputs)
        assert ex.kots_rows() == rows, ex
        assert ex.yaml() == installer, ex
        assert codes(ex) == secrets, ex
    assert len(found) >= least, [e.kind for e in found]


@pytest.mark.parametrize("prefix", [k for k, _, _ in KINDS])
def test_every_block_matches_the_installer_and_admin_console(site: Site, prefix: str) -> None:
    """The same three tabs everywhere (linked tabs switch together only when labels match), the
    admin console's titles, the installer's keys, and a secret for each one the config names."""
    for ex in examples_of(site, prefix):
        check_tabs(ex)
        check_titles(ex)
        check_yaml_keys(ex)
        check_secrets(ex)
