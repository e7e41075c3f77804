"""The pre-commit hook (.pre-commit-hooks.yaml), run by the real pre-commit in a new repository.

pre-commit clones this repository (a copy of the working tree, committed into a temporary git
repository, so uncommitted work is what is tested), installs the package into a virtual
environment of its own with pip, and runs the hook on the repository's YAML files. It runs
offline: pip finds PyYAML and setuptools (the build backend) in ``.cache/wheels``, downloaded
once at the versions and hashes requirements.lock pins, as tests/test_installed_package.py does.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.checker.cli_support import BROKEN, CLEAN
from tests.conftest import BIN, ROOT
from tests.support.wheels import LEFT_OUT, pinned_wheels

HOOK_ID = "gitpod-resources-check"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV, "HOME": str(cwd)}
    return subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
        cwd=cwd, env=env, check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A git repository holding this working tree, and its commit."""
    repo = tmp_path_factory.mktemp("hook") / "gitpod-resources"
    shutil.copytree(ROOT, repo, ignore=shutil.ignore_patterns(*LEFT_OUT))
    git(repo, "init", "--quiet")
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "--no-verify", "-m", "snapshot")
    return repo, git(repo, "rev-parse", "HEAD")


def pre_commit(cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        **GIT_ENV,
        "PRE_COMMIT_HOME": str(home),
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(pinned_wheels("pyyaml", "setuptools")),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "NO_COLOR": "1",
    }
    return subprocess.run(
        [str(BIN / "pre-commit"), "run", "--all-files", "--color", "never"],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip


def test_the_hook_file_declares_the_hook() -> None:
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert (hook["id"], hook["language"]) == (HOOK_ID, "python")
    assert hook["entry"].split()[:2] == ["gitpod-resources", "check"]
    for name in ("gitpod.config.yaml", "values.yml"):
        assert re.search(hook["files"], name), name
    assert not re.search(hook["files"], "README.md")


def test_pre_commit_fails_on_a_bad_config_and_passes_on_a_good_one(
    hook_repo: tuple[Path, str], tmp_path: Path
) -> None:
    source, commit = hook_repo
    user = tmp_path / "user"
    user.mkdir()
    git(user, "init", "--quiet")
    config = {"repos": [{"repo": str(source), "rev": commit, "hooks": [{"id": HOOK_ID}]}]}
    (user / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    (user / "gitpod.config.yaml").write_text(CLEAN)
    (user / ".github" / "workflows").mkdir(parents=True)
    (user / ".github" / "workflows" / "ci.yml").write_text("on: push\njobs: {}\n")
    (user / "k8s.yaml").write_text("apiVersion: apps/v1\nkind: Deployment\n")
    git(user, "add", "--all")
    home = tmp_path / "pre-commit-home"

    good = pre_commit(user, home)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "gitpod-resources check" in good.stdout and "Passed" in good.stdout

    (user / "gitpod.config.yaml").write_text(BROKEN)
    git(user, "add", "--all")
    bad = pre_commit(user, home)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "Failed" in bad.stdout
    assert "gitpod.config.yaml:7:15: REG206 error: " in bad.stdout
