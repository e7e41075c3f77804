"""``config.to_yaml`` uses libyaml's emitter only where it writes PyYAML's bytes exactly.

The oracle is PyYAML's pure-Python emitter (``yaml.SafeDumper``), which the site used before:
every document the builder renders, and arbitrary documents of the guarded kind, come out the
same from both; outside the guard ``to_yaml`` is the pure emitter's output.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from gitpod_resources import config
from macros import builder


def pure(doc: object) -> str:
    return yaml.dump(doc, Dumper=yaml.SafeDumper, sort_keys=False, default_flow_style=False)


def libyaml(doc: object) -> str:
    return yaml.dump(doc, Dumper=yaml.CSafeDumper, sort_keys=False, default_flow_style=False)


def test_the_installed_pyyaml_has_libyaml() -> None:
    """Without libyaml the build is slower, never different; the pinned wheel has it."""
    assert yaml.__with_libyaml__
    assert config.FAST_DUMPER is yaml.CSafeDumper


def test_every_document_the_builder_renders_is_the_pure_emitters(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The builder's export renders every list item (every region, location, host)."""
    seen: list[dict[str, Any]] = []
    to_yaml = config.to_yaml

    def recording(doc: dict[str, Any]) -> str:
        seen.append(doc)
        return to_yaml(doc)

    monkeypatch.setattr(config, "to_yaml", recording)
    builder.export.cache_clear()
    try:
        builder.export()
    finally:
        builder.export.cache_clear()
    assert len(seen) > 100
    for doc in seen:
        assert config.plain_document(doc), doc
        assert to_yaml(doc) == libyaml(doc) == pure(doc)


PLAIN_TEXT = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E) | st.sampled_from("\t\n")
)
KEYS = PLAIN_TEXT.filter(bool)
SCALARS = st.none() | st.booleans() | st.integers() | PLAIN_TEXT
DOCUMENTS = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=8,
)


@settings(max_examples=150, deadline=None)
@given(doc=st.dictionaries(KEYS, DOCUMENTS, max_size=5))
def test_both_emitters_agree_on_plain_documents(doc: dict[str, Any]) -> None:
    assert config.plain_document(doc)
    assert config.to_yaml(doc) == pure(doc)
    assert libyaml(doc) == pure(doc)


@pytest.mark.parametrize(
    "doc",
    [
        {"a\rb": "v"},
        {"k": {"": 1}},
        {"k": {"caf\u00e9": ["\u2028"]}},
        {"k": 1.5},
        {"k": ("a", "b")},
    ],
)
def test_other_documents_take_the_pure_emitter(doc: dict[str, Any]) -> None:
    assert not config.plain_document(doc)
    try:
        want = pure(doc)
    except yaml.YAMLError as err:
        with pytest.raises(type(err)):
            config.to_yaml(doc)
        return
    assert config.to_yaml(doc) == want


@pytest.mark.parametrize("doc", [{"a\rb": "v"}, {"k": {"": None}}])
def test_the_guard_matters(doc: dict[str, Any]) -> None:
    """Where the two emitters part: the guard is needed, and it sends these to PyYAML."""
    assert libyaml(doc) != pure(doc)
    assert config.to_yaml(doc) == pure(doc)
