"""Read YAML into a small located tree, with hard limits, so every value keeps its line and column.

PyYAML's composed nodes carry marks, but aliases share nodes: a "billion laughs" document is
small as a graph and astronomically large when walked. So the graph is measured first, without
recursion, and refused beyond :data:`MAX_NODES` expanded nodes or :data:`MAX_DEPTH` levels; only
then is it turned into the tree the checks walk. Bytes beyond :data:`MAX_BYTES` are never read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

#: A Gitpod config is a few kilobytes; an admin console export with files inside, some dozen.
MAX_BYTES = 512 * 1024
#: Nesting levels after aliases are expanded (the real configs use fewer than ten).
MAX_DEPTH = 64
#: Values (nodes) after aliases are expanded, per document; a full config has a few hundred.
#: Also the most the (pure-Python, slow) composer builds per file.
MAX_NODES = 10_000

MERGE_TAG = "tag:yaml.org,2002:merge"
STR_TAG = "tag:yaml.org,2002:str"
BOOL_TAG = "tag:yaml.org,2002:bool"
INT_TAG = "tag:yaml.org,2002:int"
NULL_TAG = "tag:yaml.org,2002:null"


class UnusableInputError(Exception):
    """Input the checker cannot check; ``str()`` is the one-line reason (no file name)."""


@dataclass(eq=False)
class YNode:
    line: int
    column: int


@dataclass(eq=False)
class YScalar(YNode):
    tag: str
    text: str

    @property
    def is_str(self) -> bool:
        return self.tag == STR_TAG

    @property
    def is_int(self) -> bool:
        return self.tag == INT_TAG

    @property
    def is_null(self) -> bool:
        return self.tag == NULL_TAG

    @property
    def as_bool(self) -> bool | None:
        """True/False for a YAML 1.1 boolean (as both PyYAML and the installer read it)."""
        if self.tag != BOOL_TAG:
            return None
        value = yaml.constructor.SafeConstructor.bool_values.get(self.text.lower())
        return bool(value) if value is not None else None


@dataclass(eq=False)
class YSeq(YNode):
    items: list[YNode] = field(default_factory=list)


@dataclass(eq=False)
class Key:
    text: str
    line: int
    column: int


@dataclass(eq=False)
class YMap(YNode):
    #: Effective pairs (merge keys applied, later explicit keys win), in document order.
    pairs: list[tuple[Key, YNode]] = field(default_factory=list)
    #: Keys written more than once in this mapping (merged keys are not duplicates).
    duplicates: list[Key] = field(default_factory=list)

    def get(self, key: str) -> YNode | None:
        for k, v in self.pairs:
            if k.text == key:
                return v
        return None

    def key(self, key: str) -> Key | None:
        for k, _ in self.pairs:
            if k.text == key:
                return k
        return None


def kind_name(node: YNode | None) -> str:
    """What a reader calls this node's type, for messages."""
    if node is None:
        return "nothing"
    if isinstance(node, YMap):
        return "a mapping"
    if isinstance(node, YSeq):
        return "a list"
    assert isinstance(node, YScalar)
    if node.is_null:
        return "null (an empty value)"
    return f"the {node.tag.rsplit(':', 1)[-1]} {node.text!r}"


class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader whose composer refuses to nest deeper than MAX_DEPTH (it is recursive) or
    to build more than MAX_NODES nodes in one stream."""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self._depth = 0
        self._composed = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise UnusableInputError(
                    f"line {mark.line + 1}: nested deeper than {MAX_DEPTH} levels"
                )
            self._composed += 1
            if self._composed > MAX_NODES:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise UnusableInputError(f"line {mark.line + 1}: more than {MAX_NODES} values")
            node = super().compose_node(parent, index)
            assert node is not None
            return node
        finally:
            self._depth -= 1


def read_limited(stream: Any, name: str) -> bytes:
    """At most MAX_BYTES from a binary stream; refuse anything longer without reading it all."""
    data: bytes = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise UnusableInputError(
            f"larger than {MAX_BYTES // 1024} KiB; a Gitpod config is a few kilobytes"
        )
    return data


def compose_documents(data: bytes) -> list[tuple[int, Node]]:
    """(1-based document number, root node) for every non-empty document in the stream."""
    if len(data) > MAX_BYTES:
        raise UnusableInputError(f"larger than {MAX_BYTES // 1024} KiB")
    fast = compose_with_libyaml(data)
    return fast if fast is not None else compose_with_pyyaml(data)


def compose_with_pyyaml(data: bytes) -> list[tuple[int, Node]]:
    """:func:`compose_documents` by PyYAML's pure-Python composer, bounded as it goes."""
    docs: list[tuple[int, Node]] = []
    loader: _BoundedLoader | None = None
    try:
        loader = _BoundedLoader(data)
        docs = _non_empty_documents(loader)
    except yaml.YAMLError as err:
        raise UnusableInputError(f"not valid YAML: {_one_line(err)}") from None
    finally:
        if loader is not None:
            loader.dispose()
    return docs


#: Input libyaml reads as PyYAML does, line and column included: printable ASCII and newlines
#: (no tab, carriage return, byte order mark or other encoding).
_PLAIN_INPUT = re.compile(rb"[\n\x20-\x7e]*")
_COLLECTION_START = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_COLLECTION_END = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
_NODE_EVENTS = (*_COLLECTION_START, yaml.ScalarEvent, yaml.AliasEvent)


def compose_with_libyaml(data: bytes) -> list[tuple[int, Node]] | None:
    """The same nodes as the pure composer, from libyaml's (C) parser and composer; None where
    the pure composer must decide: input outside :data:`_PLAIN_INPUT`, invalid YAML (its message
    is PyYAML's), an empty scalar (``{a: }``: libyaml places it one column further), or a stream
    near the limits (libyaml's composer recurses, unbounded).

    Ten times faster on a config (it matters for the site, which checks every example at build
    time); tests hold the two to the same trees and the same refusals.
    """
    loader_class = getattr(yaml, "CSafeLoader", None)
    if loader_class is None or _PLAIN_INPUT.fullmatch(data) is None:
        return None
    try:
        events = loader_class(data)
        try:
            depth = nodes = 0
            while events.check_event():
                event = events.get_event()
                if isinstance(event, _NODE_EVENTS):
                    nodes += 1
                if isinstance(event, yaml.ScalarEvent) and event.value == "":
                    return None  # an empty value: the two locate some of them differently
                if isinstance(event, _COLLECTION_START):
                    depth += 1
                elif isinstance(event, _COLLECTION_END):
                    depth -= 1
                if nodes > MAX_NODES // 2 or depth > MAX_DEPTH // 2:
                    return None
        finally:
            events.dispose()
        loader = loader_class(data)
        try:
            docs = _non_empty_documents(loader)
        finally:
            loader.dispose()
    except yaml.YAMLError:
        return None
    return docs


def _non_empty_documents(loader: Any) -> list[tuple[int, Node]]:
    """(1-based document number, root node) of every document that has something in it."""
    docs: list[tuple[int, Node]] = []
    number = 0
    while loader.check_node():
        number += 1
        node = loader.get_node()
        if node is not None and not _empty_document(node):
            docs.append((number, node))
    return docs


def _empty_document(node: Node) -> bool:
    """A document with nothing in it (``---`` alone, a trailing separator)."""
    return isinstance(node, ScalarNode) and node.tag == NULL_TAG and node.value == ""


def _one_line(err: yaml.YAMLError) -> str:
    if isinstance(err, yaml.reader.ReaderError):
        if err.encoding != "unicode":
            return f"not {err.encoding} text ({err.reason} at byte {err.position})"
        return f"character #x{err.character:04x} at position {err.position} is not allowed"
    problem = getattr(err, "problem", None) or getattr(err, "reason", None) or str(err)
    mark = getattr(err, "problem_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
    return " ".join(f"{where}{problem}".split())


def _children(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, SequenceNode):
        return list(node.value)
    return []


def measure(root: Node) -> None:
    """Refuse a graph that expands beyond the limits or refers to itself; no recursion."""
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    entered: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        nid = id(node)
        kids = _children(node)
        if children_done:
            size[nid] = 1 + sum(size[id(k)] for k in kids)
            depth[nid] = 1 + max((depth[id(k)] for k in kids), default=0)
            if size[nid] > MAX_NODES:
                raise UnusableInputError(
                    f"line {node.start_mark.line + 1}: aliases expand to more than "
                    f"{MAX_NODES} values"
                )
            if depth[nid] > MAX_DEPTH:
                raise UnusableInputError(
                    f"line {node.start_mark.line + 1}: aliases nest deeper than {MAX_DEPTH} levels"
                )
            continue
        if nid in size:
            continue
        if nid in entered:
            raise UnusableInputError(
                f"line {node.start_mark.line + 1}: an alias refers to its own anchor"
            )
        entered.add(nid)
        stack.append((node, True))
        stack.extend((k, False) for k in kids)


def to_tree(root: Node) -> YNode:
    """The located tree of a measured node graph (shared nodes stay shared)."""
    measure(root)
    done: dict[int, YNode] = {}
    return _convert(root, done)


def _convert(node: Node, done: dict[int, YNode]) -> YNode:
    if id(node) in done:
        return done[id(node)]
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    out: YNode
    if isinstance(node, ScalarNode):
        out = YScalar(line, column, str(node.tag), str(node.value))
    elif isinstance(node, SequenceNode):
        out = YSeq(line, column, [_convert(n, done) for n in node.value])
    else:
        assert isinstance(node, MappingNode)
        out = _convert_mapping(node, done, line, column)
    done[id(node)] = out
    return out


def _key(node: Node) -> Key:
    if isinstance(node, ScalarNode):
        text = str(node.value)
    else:
        text = "<list>" if isinstance(node, SequenceNode) else "<mapping>"
    return Key(text, node.start_mark.line + 1, node.start_mark.column + 1)


def _convert_mapping(node: MappingNode, done: dict[int, YNode], line: int, column: int) -> YMap:
    merged: list[YMap] = []
    explicit: list[tuple[Key, YNode]] = []
    seen: dict[str, Key] = {}
    duplicates: list[Key] = []
    for key_node, value_node in node.value:
        if key_node.tag == MERGE_TAG:
            sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
            for source in sources:
                converted = _convert(source, done)
                if not isinstance(converted, YMap):
                    raise UnusableInputError(
                        f"line {source.start_mark.line + 1}: a merge key '<<' takes a mapping "
                        "or a list of mappings"
                    )
                merged.append(converted)
            continue
        key = _key(key_node)
        if key.text in seen:
            duplicates.append(key)
        seen[key.text] = key
        explicit.append((key, _convert(value_node, done)))
    pairs: dict[str, tuple[Key, YNode]] = {}
    # YAML merge: the first source listed wins over later ones; explicit keys win over all.
    for source_map in merged:
        for k, v in source_map.pairs:
            pairs.setdefault(k.text, (k, v))
    for k, v in explicit:
        pairs[k.text] = (k, v)
    return YMap(line, column, list(pairs.values()), duplicates)
