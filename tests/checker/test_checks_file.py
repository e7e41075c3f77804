"""What each code says lives in gitpod_resources/checker/checks.yaml, its logic in a check module:
every entry has its function, and a code registered without an entry, with an unknown key or
with values its texts do not take stops the import with the code named."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from gitpod_resources import checker
from gitpod_resources.checker import model


def nothing(doc: model.Document) -> Iterator[model.Hit]:
    return iter(())


def test_every_entry_is_a_registered_check() -> None:
    assert {c.code for c in checker.all_checks()} == set(model.described())


@pytest.mark.parametrize(
    ("entry", "values", "error"),
    [
        (None, {}, "checks.yaml has no entry for X001"),
        ({"severity": "error", "summary": "s", "why": "w", "fix": "f", "doc": "x.md"}, {},
         "checks.yaml: X001: unknown keys ['doc']"),
        ({"severity": "error", "summary": "s ${a}", "why": "w", "fix": "f"}, {},
         "X001: its texts take ['a'], given []"),
        ({"severity": "error", "summary": "s", "why": "w", "fix": "f"}, {"a": "1"},
         "X001: its texts take [], given ['a']"),
    ],
)  # fmt: skip
def test_a_code_and_its_entry_must_agree(
    entry: dict[str, Any] | None, values: dict[str, str], error: str
) -> None:
    described = dict(model.described())
    if entry is not None:
        described["X001"] = entry
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(model, "described", lambda: described)
        with pytest.raises(ValueError) as raised:
            model.check("X001", **values)(nothing)
    assert str(raised.value) == error
    assert "X001" not in {c.code for c in model.registered()}


def test_a_texts_values_are_filled_in() -> None:
    entry = {"severity": "warning", "summary": "a ${b}", "why": "${b}.", "fix": "f"}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(model, "described", lambda: {"X002": entry})
        described = model._check("X002", nothing, {"b": "c"})
    assert (described.summary, described.why, described.severity) == (
        "a c",
        "c.",
        model.Severity.WARNING,
    )
    assert described.kinds == frozenset(model.DocKind)
