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
    # Collapsed, one line each: the <details> is the entry and holds the check's anchor, so a
    # link to it (the checker's docs link, #reg201) lands on the line Material then opens. The
    # heading before it names the entry for screen readers and is its search section and table
    # of contents entry (#reg201-title); the summary is what the eye reads.
    summary = (
        f"<summary><strong>{html.escape(chk.code)}</strong> {html.escape(chk.summary)}"
        f' <span class="gp-check__severity">{html.escape(chk.severity.value)}</span></summary>'
    )
    heading = f"### {chk.code}: {chk.summary} {{ #{chk.anchor}-title .gp-check__title }}"
    return (
        f"<div {attrs} markdown>\n\n{heading}\n\n"
        f'<details class="gp-check__entry" id="{html.escape(chk.anchor)}" markdown>\n'
        f"{summary}\n\n{body}\n\n</details>\n</div>"
    )


def reference() -> str:
    """One collapsed entry per code (the page's body): their lines are the list of every code,
    severity and meaning that a table used to repeat."""
    return "\n\n".join(_entry(c) for c in all_checks())
