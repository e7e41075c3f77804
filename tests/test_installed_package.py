"""The checker as a user installs it: a wheel built from this tree, installed with pip into a new
virtual environment that holds nothing else but its one dependency, run as a command.

The editable install every other test uses would hide a module the wheel leaves out (the first
release of the package shipped without its ``checker`` subpackage). PyYAML comes from the
package registry at the version and hashes requirements.lock pins, downloaded once into
``.cache/wheels``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.support.wheels import LEFT_OUT, pinned_wheels

BAD = "apiVersion: v1\ncontainerRegistry:\n  inCluster: false\n"


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
    venv = work / "venv"
    # No pip of its own: this environment's pip installs into it (--python), which saves the
    # bundled pip's install; what the user gets is the same package and its one dependency.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install",
         "--quiet", "--no-index", "--find-links", str(pinned_wheels("pyyaml")), str(wheel)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return venv / "bin"


def test_the_wheel_holds_the_whole_package(installed: Path) -> None:
    listed = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(installed / "python"), "list",
         "--format", "freeze"],
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
        "import importlib.util, gitpod_resources.aws as aws, gitpod_resources.sources as sources\n"
        "assert aws.region_codes() and sources.claims(), 'no data'\n"
        "assert importlib.util.find_spec('macros') is None, 'the site glue was installed'\n"
        "print(aws.__file__)\n"
    )
    result = subprocess.run(
        [str(installed / "python"), "-c", probe], capture_output=True, text=True, cwd="/"
    )
    assert result.returncode == 0, result.stderr
    assert "site-packages" in result.stdout
