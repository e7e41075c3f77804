"""MkDocs hook for `make bench`: write each page's Markdown as it is after the macros rendered it.

Runs last (priority -100), after mkdocs-macros' ``on_page_markdown``; the output tree under
``$BENCH_PRERENDER_DIR`` is the same pages with every macro already expanded, front matter kept,
so the bench can build them with the macros plugin off.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from mkdocs.plugins import event_priority


@event_priority(-100)
def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    out = Path(os.environ["BENCH_PRERENDER_DIR"]) / page.file.src_uri
    out.parent.mkdir(parents=True, exist_ok=True)
    meta = dict(page.meta or {})
    head = f"---\n{yaml.safe_dump(meta, sort_keys=False)}---\n\n" if meta else ""
    out.write_text(head + markdown, encoding="utf-8")
    return markdown
