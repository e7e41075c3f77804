"""Load the JSON data files that ship with the rules (each records its source and as-of date)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


@cache
def load(name: str) -> dict[str, Any]:
    """Parse ``gitpod_resources/data/<name>`` once per process."""
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    doc = json.loads(text)
    if not isinstance(doc, dict) or "source" not in doc or "as_of" not in doc:
        raise RuntimeError(
            f"gitpod_resources/data/{name}: a data file must record 'source' and 'as_of'"
        )
    return doc
