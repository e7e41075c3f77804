"""The checker's picture of the 2022.11 config agrees with the transcribed oracle and the guide."""

from __future__ import annotations

from gitpod_resources import config, schema
from tests.oracles import (
    CONTAINER_REGISTRY_KEYS,
    DATABASE_KEYS,
    KOTS_TITLES_DATABASE,
    KOTS_TITLES_STORAGE,
    METADATA_KEYS,
    OBJECT_STORAGE_KEYS,
)


def paths(tree: object, prefix: str = "") -> list[str]:
    if not isinstance(tree, dict):
        return [prefix.rstrip(".")]
    out = []
    for key, sub in tree.items():
        out += paths(sub, f"{prefix}{key}.")
    return out


def test_every_oracle_registry_key_is_known() -> None:
    for path in paths(CONTAINER_REGISTRY_KEYS, "containerRegistry."):
        assert schema.lookup(path) not in (None, schema.OPEN), path


def test_every_oracle_storage_database_and_metadata_key_is_known() -> None:
    """The three sections are closed: each key of the transcribed structs is described."""
    sections = {"objectStorage": OBJECT_STORAGE_KEYS, "database": DATABASE_KEYS}
    sections["metadata"] = METADATA_KEYS
    for section, keys in sections.items():
        for path in paths(keys, f"{section}."):
            assert schema.lookup(path) not in (None, schema.OPEN), path


def test_every_key_the_guide_shows_is_known() -> None:
    for path in config.INSTALLER_KEYS:
        assert schema.lookup(path) is not None, path


def test_unknown_and_open_paths() -> None:
    assert schema.lookup("containerRegistry.s3Storage") is None
    assert schema.lookup("objectStorage.s3.anything") is None
    assert schema.lookup("database.external.host") is None
    assert schema.lookup("objectStorage.resources.requests.memory") is schema.OPEN
    assert schema.lookup("workspace.anything") is schema.OPEN
    for path in schema.LATER_KEYS:
        assert schema.lookup(path) is None, f"{path} is not a 2022.11 key"


def test_required_keys_are_keys_of_their_blocks() -> None:
    for block, keys in schema.REQUIRED_KEYS.items():
        assert isinstance(schema.lookup(block), schema.Mapping), block
        for key in keys:
            assert schema.lookup(f"{block}.{key}") is not None, f"{block}.{key}"
    # The one-bucket-per-user era: 2022.11 did not require the bucket (STO107 warns instead).
    assert "bucket" not in schema.REQUIRED_KEYS["objectStorage.s3"]


def test_admin_console_items_of_storage_and_database_are_the_transcribed_ones() -> None:
    assert set(KOTS_TITLES_STORAGE) == schema.KOTS_STORAGE_ITEMS
    assert set(KOTS_TITLES_DATABASE) == schema.KOTS_DATABASE_ITEMS
    for item in KOTS_TITLES_STORAGE:
        assert item.startswith(schema.KOTS_STORAGE_PREFIX), item
    for item in KOTS_TITLES_DATABASE:
        assert item.startswith(schema.KOTS_DATABASE_PREFIX), item
