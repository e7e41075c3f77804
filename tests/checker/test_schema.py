"""The checker's picture of the 2022.11 config agrees with the transcribed oracle and the guide."""

from __future__ import annotations

from macros import config, schema
from tests.oracles import CONTAINER_REGISTRY_KEYS


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


def test_every_key_the_guide_shows_is_known() -> None:
    for path in config.INSTALLER_KEYS:
        assert schema.lookup(path) is not None, path


def test_unknown_and_open_paths() -> None:
    assert schema.lookup("containerRegistry.s3Storage") is None
    assert schema.lookup("objectStorage.s3.anything") is schema.OPEN
    for path in schema.LATER_KEYS:
        assert schema.lookup(path) is None, f"{path} is not a 2022.11 key"
