"""The guide's mkdocs-macros module: the glue between the rules (the ``gitpod_resources``
package) and the pages.

``site`` registers the macros and variables the pages use, ``render``, ``render_external``,
``tables`` and ``check_page`` turn rule results into Markdown, ``builder`` exports the rules the
configuration builder page applies, ``literal_code`` keeps code literal before Jinja runs, and
``hooks`` holds the MkDocs hooks. Imports are absolute, so any mkdocs-macros host can load it.
"""

from __future__ import annotations

from typing import Any


# The glue is imported when the plugin calls it, not with the package.
def define_env(env: Any) -> None:
    """mkdocs-macros entry point: see :func:`macros.site.define_env`. It stops first when the
    theme is outside the tested versions (:func:`macros.theme.version_problem`): under MkDocs the
    hook has said so already, Zensical runs no hooks."""
    from macros.site import define_env as define
    from macros.theme import version_problem

    problem = version_problem()
    if problem is not None:
        raise RuntimeError(problem)
    define(env)


def on_pre_page_macros(env: Any) -> None:
    """mkdocs-macros per-page hook: see :func:`macros.site.on_pre_page_macros`."""
    from macros.site import on_pre_page_macros as before_page

    before_page(env)


__all__ = ["define_env", "on_pre_page_macros"]
