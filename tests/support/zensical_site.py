"""The site (or a small copy of it) built with Zensical in a temp dir, as ``make zensical`` builds
it: ``zensical build -f zensical.yml --strict --clean``.

Zensical wants the config, the docs and the site inside one project folder, so the folder is a
copy of what the build reads (the two configs, docs/, the template folders, macros/); the rules
come from the environment, as under MkDocs.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import yaml

from tests.conftest import BIN, ROOT

ZENSICAL = BIN / "zensical"
CONFIG = "zensical.yml"
SITE_DIR = "site-zensical"


def project_copy(tmp_path: Path, pages: dict[str, str] | None = None) -> Path:
    """A copy of what Zensical reads; with ``pages``, docs/ holds only those and the nav lists them.
    Returns the folder."""
    for name in ("mkdocs.yml", CONFIG):
        shutil.copy(ROOT / name, tmp_path / name)
    for folder in ("overrides", "overrides-zensical", "macros"):
        shutil.copytree(ROOT / folder, tmp_path / folder, symlinks=True)
    if pages is None:
        shutil.copytree(ROOT / "docs", tmp_path / "docs")
    else:
        shutil.copytree(ROOT / "docs", tmp_path / "docs", ignore=shutil.ignore_patterns("*.md"))
        for name, body in pages.items():
            (tmp_path / "docs" / name).write_text(body)
        config = yaml.safe_load((tmp_path / "mkdocs.yml").read_text())
        config["nav"] = [{Path(name).stem: name} for name in pages]
        (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    return tmp_path


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def zensical_build(project: Path) -> subprocess.CompletedProcess[str]:
    """``zensical build`` in ``project``; the site is ``project / SITE_DIR``. Its output, colour
    codes removed, is all in ``stdout`` (Zensical splits a report over both streams)."""
    result = subprocess.run(
        [str(ZENSICAL), "build", "-f", CONFIG, "--strict", "--clean"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=300,
    )
    return subprocess.CompletedProcess(result.args, result.returncode, ANSI.sub("", result.stdout))
