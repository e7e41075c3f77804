"""The declarative checks themselves: full matches only, one line, the same for every caller."""

from __future__ import annotations

import re
import sys

import pytest

from gitpod_resources import aws, gcp, registry, validation
from gitpod_resources.errors import RuleError


@pytest.mark.parametrize(
    ("check", "value"),
    [
        (aws.validate_bucket_name, "gitpod-images\n"),
        (gcp.validate_project_id, "my-gcp-project\n"),
        (gcp.validate_repository, "gitpod\n"),
        (registry.validate_host, "harbor.example.com\n"),
        (registry.validate_url, "harbor.example.com/gitpod\n"),
    ],
)
def test_a_trailing_newline_is_not_valid(check: object, value: str) -> None:
    """Patterns are full matches: Python's ``$`` would let a final newline through."""
    with pytest.raises(RuleError) as err:
        check(value)  # type: ignore[operator]
    assert "\n" not in str(err.value)


def test_a_value_that_is_not_text_is_named_with_its_type() -> None:
    with pytest.raises(RuleError, match=r"\(got int, not text\)$"):
        aws.validate_region(42)
    with pytest.raises(RuleError, match=r"expected 3-63 characters"):
        aws.validate_bucket_name(None)


def test_literal_patterns_match_only_themselves() -> None:
    for text in ("cloud.adc-e.uk", "a+b(c)[d]{e}|f/g\\h$^*?", "public.ecr.aws"):
        pattern = validation.literal(text)
        assert re.fullmatch(pattern, text)
        assert "\\-" not in pattern
    assert not re.fullmatch(validation.literal("a.b"), "axb")


def test_checks_run_in_order_and_the_first_failure_wins() -> None:
    spec = validation.Spec(
        "demo",
        "a demo value",
        (
            validation.Check("required"),
            validation.Check("contains", literal="/", hint="no slash"),
            validation.Check("length", min_len=1, max_len=3, hint="it has {length} characters"),
        ),
    )
    assert validation.run(spec, "abc", "f") == "abc"
    with pytest.raises(RuleError, match=r"^f: 'a/bcd' is not valid; expected a demo value \(no"):
        validation.run(spec, "a/bcd", "f")
    with pytest.raises(RuleError, match=r"\(it has 4 characters\)$"):
        validation.run(spec, "abcd", "f")
    with pytest.raises(RuleError, match=r"^f: '' is not valid; expected a demo value$"):
        validation.run(spec, "", "f")


def test_a_region_inside_a_url_is_named() -> None:
    with pytest.raises(RuleError, match=r"enter 'eu-west-1'\)$"):
        aws.validate_region("https://s3.eu-west-1.amazonaws.com/bucket")
    # Nothing is close: no far-away code is offered (it used to name the closest string).
    with pytest.raises(RuleError, match=r"no AWS region code is close\)$"):
        aws.validate_region("zz")


def test_whitespace_is_every_space_character() -> None:
    """The literal class equals a scan of every code point: what ``str.strip()`` removes."""
    scanned = [c for c in range(sys.maxunicode + 1) if chr(c).strip() == ""]
    literal = [int(h, 16) for h in re.findall(r"\\u([0-9a-f]{4})", validation.WHITESPACE)]
    assert "".join(f"\\u{c:04x}" for c in literal) == validation.WHITESPACE
    assert literal == scanned
    assert all(chr(c).isspace() for c in literal)
