"""Checks shared by the object storage, database and putting-together page tests.

Each compares what a reader copies from the built HTML with an oracle that does not come from
the rules: the installer struct and cluster validation transcribed in ``tests/oracles.py``,
the admin console titles, and botocore's S3 endpoint ruleset.
"""

from __future__ import annotations

from typing import Any

from tests.conftest import Site
from tests.examples import Example, created_secrets, examples
from tests.oracles import (
    ALL_KOTS_TITLES,
    CLUSTER_VALIDATION_SECRET_KEYS,
    TOP_LEVEL_KEYS,
    secret_refs,
    unknown_keys,
)

TAB_LABELS = ["Admin console", "Installer config", "Secret"]


def examples_of(site: Site, prefix: str) -> list[Example]:
    """Every example on any page whose kind starts with ``prefix`` (e.g. ``storage:``)."""
    found = []
    for page in site.pages():
        found += [e for e in examples(site.soup(page), page) if e.kind.startswith(prefix)]
    return found


def codes(ex: Example, label: str = "Secret") -> list[str]:
    """Every code block in a tab, in order (one per ``kubectl`` command)."""
    return [c.get_text() for c in ex.tabs[label].select("pre code")]


def check_tabs(ex: Example) -> None:
    assert list(ex.tabs) == TAB_LABELS, f"{ex.page} {ex.kind}: tabs {list(ex.tabs)}"


def check_yaml_keys(ex: Example) -> dict[str, Any]:
    """The YAML parses, says apiVersion v1 and uses only keys of the installer's structs."""
    doc = ex.yaml()
    assert isinstance(doc, dict), ex
    assert doc["apiVersion"] == "v1", ex
    assert unknown_keys(doc, TOP_LEVEL_KEYS) == [], ex
    return doc


def check_titles(ex: Example) -> None:
    for title, _ in ex.kots_rows():
        assert title in ALL_KOTS_TITLES, f"{ex.page} {ex.kind}: unknown title {title!r}"


def check_secrets(ex: Example) -> None:
    """Every secret the config names is created with exactly the keys cluster validation wants.

    And no command creates a secret the config does not name.
    """
    refs = secret_refs(ex.yaml())
    created: dict[str, set[str]] = {}
    for command in codes(ex):
        assert command.startswith("kubectl create secret "), (ex.page, ex.kind, command)
        (name, keys), *more = created_secrets(command).items()
        assert not more, f"{ex.page} {ex.kind}: one command per block"
        assert name not in created, f"{ex.page} {ex.kind}: {name} created twice"
        created[name] = keys
    assert set(created) == set(refs.values()), (ex.page, ex.kind, created, refs)
    for path, name in refs.items():
        assert created[name] == CLUSTER_VALIDATION_SECRET_KEYS[path], (ex.page, ex.kind, path)
