"""The checker as a user installs it: a wheel built from this tree, installed with pip into a new
virtual environment that holds nothing else but its one dependency, run as a command.

The editable install every other test uses would hide a module the wheel leaves out (the first
release of the package shipped without its ``checker`` subpackage). PyYAML comes from the
package registry at the version and hashes requirements.lock pins, downloaded once into
``.cache/wheels``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

CACHE = ROOT / ".cache" / "wheels"
#: Not part of a source tree: environments, caches, earlier builds, the built site.
LEFT_OUT = (".git", ".venv", ".cache", "node_modules", "site", "build", "*.egg-info", "__pycache__")
BAD = "apiVersion: v1\ncontainerRegistry:\n  inCluster: false\n"


def locked(name: str) -> str:
    """The requirements.lock entry (pin and hashes) of one package."""
    text = (ROOT / "requirements.lock").read_text()
    found = re.search(rf"^{re.escape(name)}==[^\n]*\n(?:[ \t]+[^\n]*\n)*", text, re.MULTILINE)
    assert found is not None, name
    return found.group(0)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtual environment with the built wheel and PyYAML, nothing else; its bin/."""
    work = tmp_path_factory.mktemp("installed")
    # Built from a copy: a build/ left in the tree by an earlier build would hide a missing module.
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*LEFT_OUT))
    dist = work / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(dist), str(source)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    [wheel] = dist.glob("gitpod_resources-*.whl")
    CACHE.mkdir(parents=True, exist_ok=True)
    requirement = work / "pyyaml.txt"
    requirement.write_text(locked("pyyaml") + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
         "--require-hashes", "-r", str(requirement), "--dest", str(CACHE)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-index"]
    subprocess.run(
        [*pip, "--find-links", str(CACHE), str(wheel)], check=True, capture_output=True, text=True
    )
    return venv / "bin"


def test_the_wheel_holds_the_whole_package(installed: Path) -> None:
    listed = subprocess.run(
        [str(installed / "python"), "-m", "pip", "list", "--format", "freeze"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    names = {line.split("==")[0].lower() for line in listed.split()}
    assert names - {"pip", "setuptools"} == {"gitpod-resources", "pyyaml"}, names


def test_the_installed_command_checks_a_file(installed: Path, tmp_path: Path) -> None:
    config = tmp_path / "gitpod.config.yaml"
    config.write_text(BAD)
    result = subprocess.run(
        [str(installed / "gitpod-resources"), "check", str(config)],
        capture_output=True, text=True, cwd=tmp_path, timeout=60,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert "REG202 error" in result.stdout, result.stdout
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr


def test_the_installed_package_finds_its_data_and_not_the_site(installed: Path) -> None:
    probe = (
        "import importlib.util, gitpod_resources.aws as aws\n"
        "assert aws.region_codes(), 'no data'\n"
        "assert importlib.util.find_spec('macros') is None, 'the site glue was installed'\n"
        "print(aws.__file__)\n"
    )
    result = subprocess.run(
        [str(installed / "python"), "-c", probe], capture_output=True, text=True, cwd="/"
    )
    assert result.returncode == 0, result.stderr
    assert "site-packages" in result.stdout
