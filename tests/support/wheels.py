"""Pinned wheels for the tests that install the package into a new environment (the wheel test,
the pre-commit test): downloaded once into ``.cache/wheels`` at the versions and hashes
requirements.lock pins, then installed with pip's ``--no-index``."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

CACHE = ROOT / ".cache" / "wheels"
#: Not part of a source tree: environments, caches, earlier builds, the built sites.
LEFT_OUT = (
    ".git", ".venv", ".cache", "node_modules", "site", "site-zensical", "build", "*.egg-info",
    "__pycache__", ".hypothesis", ".mypy_cache", ".ruff_cache", ".pytest_cache", "test-results",
)  # fmt: skip


def locked(name: str) -> str:
    """The requirements.lock entry (pin and hashes) of one package."""
    text = (ROOT / "requirements.lock").read_text()
    found = re.search(rf"^{re.escape(name)}==[^\n]*\n(?:[ \t]+[^\n]*\n)*", text, re.MULTILINE)
    assert found is not None, name
    return found.group(0)


def pinned_wheels(*names: str) -> Path:
    """The folder holding the pinned wheels of ``names`` (downloaded when missing)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    requirement = CACHE / f"{'-'.join(names)}-requirements.txt"
    requirement.write_text("".join(locked(name) for name in names))
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
         "--require-hashes", "-r", str(requirement), "--dest", str(CACHE)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return CACHE
