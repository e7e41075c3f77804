"""Rules for configuring Gitpod Self-Hosted 2022.11 with external components.

The package is the single source of truth for the site: ``aws``, ``gcp``, ``registry`` and
``config`` hold the rules, ``render`` turns them into Markdown, and :func:`define_env` is the thin
glue the mkdocs-macros plugin calls. Nothing here imports MkDocs.
"""

from __future__ import annotations

from .site import define_env, on_pre_page_macros

__all__ = ["define_env", "on_pre_page_macros"]
