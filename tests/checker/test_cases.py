"""Every check's cases (tests/checker/cases/): the failing input reports the code at the dotted
path and line, the corrected one does not, and the installer's loader reads both as the checker
does (its load fails exactly where a CFG case says it does)."""

from __future__ import annotations

import pytest

from gitpod_resources import checker
from tests.checker import cases
from tests.checker.helpers import Case, findings, run
from tests.support.installer_oracle import InstallerOracle
from tests.support.oracle_corpus import assert_agree


def load_level(case: Case) -> bool:
    """CFG checks read the document as the installer's loader does: one mistake may be reported at
        several places (a key written twice, for instance), and a corrected document may still carry
    the notes of another CFG check."""
    return case.code.startswith("CFG")


@pytest.mark.parametrize("case", cases.ALL, ids=lambda c: f"{c.code}-{c.name}")
def test_bad_input_reports_the_code_at_the_path_and_line(case: Case) -> None:
    # CFG100: the document is not a config the installer can read, so nothing else is checked.
    found = run(case.bad).findings if case.code == "CFG100" else findings(case.bad)
    hits = [f for f in found if f.code == case.code]
    got = [(f.path, f.line) for f in hits]
    if load_level(case):
        assert (case.path, case.line) in got, f"{case.code} not reported at the path; got {got}"
    else:
        assert got == [(case.path, case.line)], [(f.code, f.path, f.line) for f in found]
    said = " ".join(f.message + " " + f.fix for f in hits)
    for word in case.says:
        assert word in said, f"{case.code}: {word!r} not in {said!r}"


@pytest.mark.parametrize("case", cases.ALL, ids=lambda c: f"{c.code}-{c.name}")
def test_corrected_input_passes(case: Case) -> None:
    found = findings(case.good)
    assert case.code not in {f.code for f in found}
    if not load_level(case):
        assert [f for f in found if f.severity == "error"] == []


def test_every_check_has_cases() -> None:
    assert {c.code for c in checker.all_checks()} == {c.code for c in cases.ALL}


def test_the_installer_reads_every_case_as_the_checker_does(oracle: InstallerOracle) -> None:
    documents = cases.documents()
    assert len(documents) > 100
    assert_agree(oracle, documents)
