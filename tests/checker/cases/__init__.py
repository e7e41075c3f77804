"""One failing and one passing input per check, section by section.

A case's failing input must report its code at the dotted path and line and its passing input (the
same config, corrected) must not (tests/checker/test_cases.py); the installer's loader reads both
there too, and the editors' JSON Schemas are held to the same documents (test_config_schema.py).
"""

from __future__ import annotations

from tests.checker.cases import registry, storage_database, structure
from tests.checker.helpers import Case

ALL: list[Case] = registry.CASES + storage_database.CASES + structure.CASES


def documents() -> list[tuple[str, str]]:
    """(origin, YAML) of every case's failing and passing input."""
    out = []
    for case in ALL:
        out.append((f"{case.code} {case.name} (bad)", case.bad))
        out.append((f"{case.code} {case.name} (good)", case.good))
    return out
