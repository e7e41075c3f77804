"""Rules for configuring Gitpod Self-Hosted 2022.11 with external components.

The package is the single source of truth for the site: ``aws``, ``gcp``, ``registry`` and
``config`` hold the rules, ``render`` turns them into Markdown, and :func:`define_env` is the thin
glue the mkdocs-macros plugin calls. Nothing here imports MkDocs.
"""

from __future__ import annotations

from typing import Any


# The glue is imported when the plugin calls it, not with the package: `gitpod-resources` and
# every other user of one rules module would otherwise pay for importing all of them.
def define_env(env: Any) -> None:
    """mkdocs-macros entry point: see :func:`macros.site.define_env`."""
    from .site import define_env as define

    define(env)


def on_pre_page_macros(env: Any) -> None:
    """mkdocs-macros per-page hook: see :func:`macros.site.on_pre_page_macros`."""
    from .site import on_pre_page_macros as before_page

    before_page(env)


__all__ = ["define_env", "on_pre_page_macros"]
