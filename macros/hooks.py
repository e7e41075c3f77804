"""The site's MkDocs hooks (Zensical runs none of them; the Markdown extensions in macros/ it
does run).

``on_config``: stop the build with one line when the installed theme is outside the versions the
suite was run against (:mod:`macros.theme`), and drop cached ``macros`` and ``gitpod_resources``
modules so ``mkdocs serve`` picks up edits to the site glue and the rules (mkdocs-macros imports a
module once per process; without this a change triggers a rebuild that still renders with the old
code).
"""

from __future__ import annotations

import sys
from typing import Any

from mkdocs.exceptions import PluginError


def on_config(config: Any) -> Any:
    from macros.theme import version_problem

    problem = version_problem()
    if problem is not None:
        raise PluginError(problem)
    reloaded = ("macros", "gitpod_resources")
    for name in [n for n in sys.modules if n.split(".")[0] in reloaded]:
        if name != __name__:
            del sys.modules[name]
    return config


# Run before the macros plugin loads the module (MkDocs' event_priority, without importing it).
on_config.mkdocs_priority = 100  # type: ignore[attr-defined]


def on_post_build(config: Any) -> None:
    """Publish the checker's JSON Schemas under ``schema/`` (one installer config schema per
    release, one for the admin console export), generated from the checker's schema data; and
    fail the build if ``site_url`` is not the package's documentation URL (pyproject.toml's
    ``[project.urls] Documentation``, the checker's docs links), ``mkdocs serve``'s own excepted.
    """
    from pathlib import Path

    from mkdocs.exceptions import PluginError

    from gitpod_resources.checker import config_schema, project

    expected = project.documentation_url()
    served = f"http://{config['dev_addr'].host}:{config['dev_addr'].port}/"
    site_url = config["site_url"]
    if site_url and site_url != expected and not site_url.startswith(served):
        raise PluginError(
            f"site_url {site_url} is not the package's documentation URL {expected} "
            "(pyproject.toml [project.urls] Documentation); make them the same"
        )
    for path, text in config_schema.files().items():
        target = Path(config["site_dir"]) / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
