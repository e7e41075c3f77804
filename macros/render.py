"""Markdown renderers: turn rules into the blocks pages show. Pure functions, no MkDocs."""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Sequence

from gitpod_resources import config, sources
from gitpod_resources.registry import RegistrySetup

#: Tab labels, identical on every page so Material's linked tabs switch them all together.
TAB_ADMIN = "Admin console"
TAB_CONFIG = "Installer config"
TAB_SECRET = "Secret"
TAB_LABELS = (TAB_ADMIN, TAB_CONFIG, TAB_SECRET)
#: The Secret tab when the installer makes the secret itself: text before and after its name.
IN_CLUSTER_SECRET_NOTE = (
    "Nothing to create: the installer generates the secret ",
    " for the in-cluster registry.",
)


def indent(text: str, spaces: int = 4) -> str:
    """Indent every non-empty line, as a block inside a tab or admonition needs."""
    pad = " " * spaces
    return "\n".join(pad + line if line.strip() else "" for line in text.splitlines())


def code(text: str) -> str:
    """Inline code that survives any content (backticks inside get a longer fence)."""
    fence = "`"
    while fence in text:
        fence += "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def code_block(lang: str, text: str) -> str:
    fence = "```"
    while fence in text:
        fence += "`"
    return f"{fence}{lang}\n{text.rstrip(chr(10))}\n{fence}"


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A Markdown table; cells are used as given (escape ``|`` yourself or use :func:`code`)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows]
    return "\n".join(lines)


def tabs(items: Sequence[tuple[str, str]]) -> str:
    """Material content tabs (``pymdownx.tabbed`` alternate style)."""
    parts = [f'=== "{label}"\n\n{indent(body)}' for label, body in items]
    return "\n\n".join(parts)


def example_block(kind: str, inputs: dict[str, str], body: str, link: str = "") -> str:
    """Wrap an example so tests can find it and know which rule inputs it claims to show;
    ``link`` (Markdown: the builder with the example's values) goes after the tabs."""
    attrs = (
        f'class="gp-example" data-example="{html.escape(kind)}" '
        f"data-inputs='{html.escape(json.dumps(inputs, sort_keys=True), quote=True)}'"
    )
    tail = f"\n\n{link}" if link else ""
    return f"<div {attrs} markdown>\n\n{body}{tail}\n\n</div>"


def kots_table(rows: Iterable[tuple[str, str]]) -> str:
    return table(("Field", "Value"), ((f"**{t}**", code(v)) for t, v in rows))


def registry_tabs(setup: RegistrySetup) -> str:
    items = [
        (TAB_ADMIN, kots_table(config.kots_fields(setup))),
        (
            TAB_CONFIG,
            f"In {code(config.CONFIG_FILE)}:\n\n"
            + code_block("yaml", config.installer_yaml(setup)),
        ),
    ]
    command = config.secret_command(setup)
    if command is None:
        before, after = IN_CLUSTER_SECRET_NOTE
        note = f"{before}{code(setup.secret)}{after}"
        items.append((TAB_SECRET, note))
    else:
        items.append((TAB_SECRET, code_block("bash", command)))
    return tabs(items)


def registry_example(setup: RegistrySetup, inputs: dict[str, str], link: str = "") -> str:
    return example_block(f"registry:{setup.option.value}", inputs, registry_tabs(setup), link)


def cite(claims: Sequence[sources.Claim]) -> str:
    """A section's sources, one small line: each file and its lines at the release tag, linked
    to that file at the tag's commit (a link, not a request). A claim that holds only from a
    later release says so first."""
    seen: dict[str, sources.Evidence] = {}
    since: list[str] = []
    for found in claims:
        if found.since is not None:
            since.append(f"from {found.since.value}")
        for source in found.sources:
            seen.setdefault(source.url, source)
    links = " · ".join(
        f'<a href="{html.escape(s.url)}" title="{html.escape(s.title)}">{html.escape(s.label)}</a>'
        for s in seen.values()
    )
    label = f"Source ({', '.join(sorted(set(since)))}): " if since else "Source: "
    # Left out of the search index (Material's data-search-exclude): file names and line numbers
    # would make every section citing "lines 110-163" a match for the "1" of a typed us-east-1.
    return f'<p class="gp-source" data-search-exclude>{label}{links}</p>'
