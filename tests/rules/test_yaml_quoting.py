"""The YAML the guide writes quotes every string the installer would read as another type.

PyYAML quotes what YAML 1.1 (its own reading) would resolve; the installer reads with
gopkg.in/yaml.v2, which also resolves ``y``/``n``, ``1e3``, ``0o17``, ``1_000``, ``08``.
``goyaml.QUOTE_PATTERNS`` must cover every non-string reading of yaml.v2's resolution (the Go
port in ``goyaml.resolve_plain``, itself held to the real library by the installer oracle), and
``config.to_yaml`` must quote what they match. The builder page applies the same patterns.
"""

from __future__ import annotations

import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from gitpod_resources import config, goyaml
from macros import builder
from tests.conftest import examples

NUMBERISH = st.from_regex(
    r"[-+]?(0[xXoObB][-+]?)?[0-9a-fA-F_.]{0,12}([eE][-+]?[0-9_]{0,3})?", fullmatch=True
)
WORDS = st.sampled_from(["y", "Y", "n", "N", "yes", "On", "OFF", "~", "null", ".inf", "-.NaN"])
TEXT = st.one_of(NUMBERISH, WORDS, st.text(alphabet="0123456789._-+eExXoObBaf", max_size=8))


@settings(max_examples=examples(default=500, thorough=5000))
@given(text=TEXT)
@example(text="1e3")
@example(text="0b-101")
@example(text="08")
@example(text="1_000")
@example(text="._5")
def test_every_string_yaml_v2_would_read_otherwise_is_quoted(text: str) -> None:
    tag, _ = goyaml.resolve_plain(text)
    if tag not in (goyaml.STR, goyaml.TIMESTAMP):
        assert goyaml.needs_quotes(text), (text, tag)
        written = config.to_yaml({"bucket": text})
        assert written.startswith("bucket: '"), written
    # Whatever is written reads back as the same string, in PyYAML too.
    assert yaml.safe_load(config.to_yaml({"bucket": text})) == {"bucket": text}


def test_the_builder_page_quotes_with_the_same_patterns() -> None:
    exported = builder.yaml_resolvers()
    for pattern in goyaml.QUOTE_PATTERNS:
        assert pattern in exported
    for text in ("1e3", "y", "0o17", "1_000", "08", "yes", "123"):
        assert builder.yaml_scalar(text) == f"'{text}'", text
    for text in ("gitpod-registry", "eu-west-2", "10.0.0.1", "harbor.example.com"):
        assert builder.yaml_scalar(text) == text, text


@given(
    value=st.one_of(
        st.booleans(), st.integers(min_value=-(2**63), max_value=2**63 - 1), st.none(), TEXT
    )
)
@settings(max_examples=examples(default=200, thorough=2000))
def test_booleans_numbers_and_null_are_written_plain_without_a_tag(value: object) -> None:
    """What a reader copies reads as a person writes it: ``inCluster: false``, never with an
    explicit tag (``!!bool false``), which the emitter wrote while it quoted the strings."""
    written = config.to_yaml({"key": value})
    assert "!!" not in written, written
    assert yaml.safe_load(written) == {"key": value}
    if isinstance(value, bool):
        assert written == f"key: {str(value).lower()}\n"
