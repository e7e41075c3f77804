"""Config fragments: titles and keys equal an independent transcription of Gitpod's source."""

from __future__ import annotations

import subprocess

import pytest

from gitpod_resources import config, registry
from gitpod_resources.errors import RuleError
from tests.conftest import ROOT
from tests.oracles import CONTAINER_REGISTRY_KEYS, KOTS_TITLES, unknown_keys


def test_kots_titles_match_the_admin_console() -> None:
    for name, title in KOTS_TITLES.items():
        assert config.kots_title(name) == title


def test_unknown_item_and_key_are_refused() -> None:
    with pytest.raises(RuleError, match=r"^item: 'reg_urll'"):
        config.kots_title("reg_urll")
    with pytest.raises(RuleError, match=r"^key: 'containerRegistry.s3Storage'"):
        config.installer_key("containerRegistry.s3Storage")


@pytest.mark.parametrize(
    "setup",
    [
        registry.in_cluster(),
        registry.in_cluster_s3("gitpod-images", "eu-central-2"),
        registry.gcr("asia.gcr.io", "my-gcp-project"),
        registry.gar("us", "my-gcp-project", "images"),
        registry.generic("registry.example.com:5000", "gitpod"),
    ],
    ids=lambda s: s.option.value,
)
def test_installer_config_uses_only_real_keys(setup: registry.RegistrySetup) -> None:
    doc = config.installer_config(setup)
    assert unknown_keys(doc["containerRegistry"], CONTAINER_REGISTRY_KEYS) == []
    ref = doc["containerRegistry"].get("external") or doc["containerRegistry"].get("s3storage")
    if ref is not None:
        assert ref["certificate"] == {"kind": "secret", "name": setup.secret}
    yaml_text = config.installer_yaml(setup)
    assert "\t" not in yaml_text and yaml_text.endswith("\n")


def test_secret_command_names_the_referenced_secret() -> None:
    setup = registry.gar("europe-west2", "my-gcp-project")
    command = config.secret_command(setup)
    assert command is not None
    assert (
        command.split()[4]
        == setup.secret
        == config.installer_config(setup)["containerRegistry"]["external"]["certificate"]["name"]
    )


def test_set_up_is_up_to_date_without_work() -> None:
    """`make` set-up is idempotent: after a run, the stamp is fresh and nothing would run."""
    result = subprocess.run(
        ["make", "-q", ".venv/.installed"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, "run `make setup`: the lock changed since the last set-up"
