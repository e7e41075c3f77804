"""The checker's fast path (libyaml's composer) reads every input as PyYAML's pure composer does.

``compose_documents`` takes libyaml's result only for printable-ASCII input that libyaml accepts
within half the limits; otherwise PyYAML decides. The oracle is the pure composer: where the
fast path answers, the located trees must be equal; where PyYAML refuses the input, the fast
path must not answer.
"""

from __future__ import annotations

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from gitpod_resources.checker import all_checks
from gitpod_resources.checker.tree import (
    MAX_DEPTH,
    UnusableInputError,
    YMap,
    YNode,
    YScalar,
    YSeq,
    compose_with_libyaml,
    compose_with_pyyaml,
    to_tree,
)


def shape(node: YNode) -> object:
    """Everything a check can see of a node: kind, location, tag, text, keys, duplicates."""
    if isinstance(node, YScalar):
        return ("scalar", node.line, node.column, node.tag, node.text)
    if isinstance(node, YSeq):
        return ("seq", node.line, node.column, [shape(n) for n in node.items])
    assert isinstance(node, YMap)
    return (
        "map",
        node.line,
        node.column,
        [((k.text, k.line, k.column), shape(v)) for k, v in node.pairs],
        [(k.text, k.line, k.column) for k in node.duplicates],
    )


def trees(docs: list[tuple[int, yaml.Node]]) -> list[object]:
    out: list[object] = []
    for number, node in docs:
        try:
            out.append((number, shape(to_tree(node))))
        except UnusableInputError as err:
            out.append((number, "unusable", str(err)))
    return out


def assert_same_reading(data: bytes) -> bool:
    """True if the fast path answered (and agreed with PyYAML)."""
    fast = compose_with_libyaml(data)
    try:
        pure = compose_with_pyyaml(data)
    except UnusableInputError:
        assert fast is None, f"libyaml accepts what PyYAML refuses: {data!r}"
        return False
    if fast is None:
        return False
    assert trees(fast) == trees(pure), data
    return True


def test_the_installed_pyyaml_has_libyaml() -> None:
    assert yaml.__with_libyaml__


@pytest.mark.parametrize(
    "chk", [c for c in all_checks() if c.code != "CFG100"], ids=lambda c: c.code
)
def test_every_check_example_reads_alike(chk: object) -> None:
    """The /check/ page runs these at build time: they take the fast path, with equal trees."""
    assert assert_same_reading(chk.example.encode())  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\n\tb: 2\n",  # a tab: PyYAML decides
        "a: caf\u00e9\n",  # not ASCII: PyYAML decides
        "a: [\n",  # invalid: PyYAML's message
        "a: &x [*x]\n",  # self-reference: refused after composing, alike
        "a: *nope\n",
        "a: &x 1\nb: &x 2\nc: *x\n",
        "---\n---\na: 1\n...\n",
        "a: 1\na: 2\n<<: {b: 3}\n",
        "[" * (MAX_DEPTH // 2 + 1) + "]" * (MAX_DEPTH // 2 + 1) + "\n",
    ],
)
def test_edge_inputs_read_alike(text: str) -> None:
    assert_same_reading(text.encode())


def test_deep_or_large_input_is_left_to_pyyaml() -> None:
    assert compose_with_libyaml(("[" * (MAX_DEPTH // 2 + 1)).encode() + b"1" + b"]" * 40) is None
    assert compose_with_libyaml(b"a: 1\n") is not None


YAMLISH = st.text(alphabet=st.sampled_from(list("ab1:-[]{}&*!|>'\"#,?. \n<%@`~")), max_size=120)


@settings(max_examples=300, deadline=None)
@given(YAMLISH)
@example("a: |\n  x\n b: 1\n")
@example("? a\n: b\n")
@example("a: 'b\n  c'\n")
def test_yaml_like_text_reads_alike(text: str) -> None:
    assert_same_reading(("apiVersion: v1\n" + text).encode())


ASCII = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E) | st.just("\n"), max_size=20)
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | ASCII,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(ASCII, inner, max_size=3),
    max_leaves=10,
)


@settings(max_examples=200, deadline=None)
@given(
    doc=st.dictionaries(ASCII, VALUES, max_size=4),
    flow=st.sampled_from([False, None, True]),
    style=st.sampled_from([None, "'", '"', "|", ">"]),
    indent=st.sampled_from([2, 4]),
)
def test_written_documents_read_alike(doc: object, flow: bool, style: str, indent: int) -> None:
    """Real configs are written by tools and people: any style PyYAML writes, read both ways."""
    text = yaml.safe_dump(doc, default_flow_style=flow, default_style=style, indent=indent)
    assert_same_reading(text.encode())
