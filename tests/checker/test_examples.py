"""Every check's two examples (gitpod_resources/checker/examples/, shown on the check page): the
bad one makes the checker report exactly its code, the corrected one no error and not that code.
"""

from __future__ import annotations

import pytest

from gitpod_resources import checker
from gitpod_resources.checker.model import EXAMPLES
from tests.checker.helpers import run

CHECKS = checker.all_checks()


def test_every_check_has_its_two_examples_and_nothing_else_is_there() -> None:
    expected = {f"{c.code}.{which}.yaml" for c in CHECKS for which in ("bad", "good")}
    assert {p.name for p in EXAMPLES.iterdir() if p.is_file()} == expected


@pytest.mark.parametrize("chk", CHECKS, ids=lambda c: c.code)
def test_the_bad_example_reports_exactly_its_code(chk: checker.Check) -> None:
    assert {f.code for f in run(chk.example).findings} == {chk.code}


@pytest.mark.parametrize("chk", CHECKS, ids=lambda c: c.code)
def test_the_corrected_example_reports_no_error_and_not_its_code(chk: checker.Check) -> None:
    result = run(chk.corrected)
    assert result.unusable is None, result.unusable
    assert chk.code not in {f.code for f in result.findings}
    assert [f.code for f in result.findings if f.severity is checker.Severity.ERROR] == []
