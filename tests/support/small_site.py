"""A small copy of the site: the project's own mkdocs.yml (same plugins, same strictness, same
hooks and theme overrides) with only the given pages, and copies of the site's modules and the
rules, built in a temp dir. What fails here fails ``make build`` too."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from tests.conftest import ROOT


def small_site(tmp_path: Path, pages: dict[str, str]) -> Path:
    """A copy of the project config with only ``pages`` under docs/."""
    text = (ROOT / "mkdocs.yml").read_text()
    cfg = yaml.safe_load(text)
    cfg["nav"] = [{Path(name).stem: name} for name in pages]
    cfg["hooks"] = [str(ROOT / h) for h in cfg.get("hooks", [])]
    cfg["watch"] = []
    if "custom_dir" in cfg.get("theme", {}):
        cfg["theme"]["custom_dir"] = str(ROOT / cfg["theme"]["custom_dir"])
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(cfg, sort_keys=False))
    for package in ("macros", "gitpod_resources"):
        shutil.copytree(ROOT / package, tmp_path / package)
    docs = tmp_path / "docs"
    # The real docs/ minus its pages: stylesheets and other assets the config refers to.
    shutil.copytree(ROOT / "docs", docs, ignore=shutil.ignore_patterns("*.md"))
    for name, body in pages.items():
        (docs / name).write_text(body)
    return tmp_path / "mkdocs.yml"
