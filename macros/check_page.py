"""The "Check your configuration" reference, generated from the registry of checks.

Each entry shows the code, severity, why it matters, the example that triggers it, what the
checker prints for that example (run at build time), the fix and the example corrected: the two
YAML files of ``gitpod_resources/checker/examples/``. The tests run every example
on the built page back through the command and expect exactly its code.
"""

from __future__ import annotations

import html

from gitpod_resources import schema, sources
from gitpod_resources.checker import UNUSABLE, all_checks, check_bytes
from gitpod_resources.checker.model import Check, DocKind
from gitpod_resources.checker.report import human_line, problem_line
from macros import render

#: The command name shown before input problems (as the CLI prints them on stderr).
PROG = "gitpod-resources"

EXAMPLE_FILE = "example.yaml"
_APPLIES = {
    DocKind.INSTALLER: "installer config",
    DocKind.KOTS: "admin console export",
}


def _explained_in(chk: Check) -> str:
    if not chk.docs_ref:
        return ""
    page = chk.docs_ref.partition("#")[0]
    label = page.removesuffix(".md").replace("-", " ").capitalize()
    return f" · explained in [{label}]({chk.docs_ref})"


def _entry(chk: Check) -> str:
    result = check_bytes(chk.example.encode(), EXAMPLE_FILE)
    if result.unusable is not None and chk.code != UNUSABLE:
        raise ValueError(f"{chk.code}: its example is unusable input: {result.unusable}")
    reported = sorted({f.code for f in result.findings})
    if reported != [chk.code]:
        raise ValueError(f"{chk.code}: its example reports {reported}, not exactly {chk.code}")
    output = "\n".join(
        problem_line(PROG, f) if f.code == UNUSABLE else human_line(f) for f in result.findings
    )
    applies = ", ".join(_APPLIES[k] for k in DocKind if k in chk.kinds)
    releases = schema.release_span(chk.releases)
    body = "\n\n".join(
        [
            f"### {chk.code}: {chk.summary} {{ #{chk.anchor} }}",
            f"**{chk.severity.value}** · in {applies} · Gitpod {releases}{_explained_in(chk)}",
            chk.why,
            # Unusable input is not YAML to highlight as such.
            render.code_block("text" if chk.code == UNUSABLE else "yaml", chk.example),
            "The checker reports:",
            render.code_block("text", output),
            f"**Fix:** {chk.fix}",
            render.code_block("yaml", chk.corrected),
            *([render.cite([sources.get(c) for c in chk.claims])] if chk.claims else []),
        ]
    )
    attrs = f'class="gp-check" data-code="{html.escape(chk.code)}"'
    return f"<div {attrs} markdown>\n\n{body}\n\n</div>"


def reference() -> str:
    """A table of every code, then one entry per code (the page's body)."""
    checks = all_checks()
    rows = [(f"[{c.code}](#{c.anchor})", c.severity.value, c.summary) for c in checks]
    table = render.table(("Code", "Severity", "Meaning"), rows)
    return "\n\n".join([table, *(_entry(c) for c in checks)])
