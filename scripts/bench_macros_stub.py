"""mkdocs-macros module for `make bench`: defines nothing, so a build with it measures the plugin.

Used with the pre-rendered pages (scripts/bench_prerender_hook.py): the plugin imports, runs its
on_config and renders every page through Jinja as it does for the site, without the rules.
"""

from __future__ import annotations

from typing import Any


def define_env(env: Any) -> None:
    """Nothing to define: the pages are already rendered."""


def on_pre_page_macros(env: Any) -> None:
    """A rendered page that still shows Jinja syntax (the builder's templates) stays literal."""
    if "{{" in env.markdown or "{%" in env.markdown:
        if "endraw" in env.markdown:
            raise ValueError(f"{env.page.file.src_uri}: cannot keep it literal")
        env.markdown = "{% raw %}" + env.markdown + "{% endraw %}"
