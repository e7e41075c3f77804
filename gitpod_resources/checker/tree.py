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

from . import goyaml

#: A Gitpod config is a few kilobytes; an admin console export with files inside, some dozen.
MAX_BYTES = 512 * 1024
#: Nesting levels after aliases are expanded (the real configs use fewer than ten).
MAX_DEPTH = 64
#: Values (nodes) after aliases are expanded, per document; a full config has a few hundred.
#: Also the most the (pure-Python, slow) composer builds per file.
MAX_NODES = 10_000

MERGE_TAG = goyaml.MERGE
STR_TAG = goyaml.STR
BOOL_TAG = goyaml.BOOL
INT_TAG = goyaml.INT
NULL_TAG = goyaml.NULL


class UnusableInputError(Exception):
    """Input the checker cannot check; ``str()`` is the one-line reason (no file name)."""


@dataclass(eq=False)
class YNode:
    line: int
    column: int


@dataclass(eq=False)
class YScalar(YNode):
    """A scalar: its tag as the installer's YAML library resolves it (:mod:`.goyaml`) and its
    text as written."""

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
    def value(self) -> object:
        """The Go value the installer decodes (bool, int, float, None or str); raises
        :class:`goyaml.GoYamlError` for a tagged scalar the installer cannot read."""
        return goyaml.decode(self.tag, self.text)

    @property
    def as_bool(self) -> bool | None:
        """True/False for a boolean as the installer reads it (``yes``, ``y``, ``on``...)."""
        if self.tag != BOOL_TAG:
            return None
        try:
            decoded = self.value
        except goyaml.GoYamlError:
            return None
        return decoded if isinstance(decoded, bool) else None


@dataclass(eq=False)
class YSeq(YNode):
    items: list[YNode] = field(default_factory=list)


@dataclass(eq=False)
class Key:
    text: str
    line: int
    column: int
    #: The key's tag as the installer's YAML library resolves it; "" for a key that is not a
    #: scalar (a mapping or a list used as a key).
    tag: str = STR_TAG

    @property
    def value(self) -> object:
        """The Go value of the key (:attr:`YScalar.value`)."""
        return goyaml.decode(self.tag, self.text) if self.tag else None


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


def go_resolve(self: Any, kind: type[Node], value: str, implicit: tuple[bool, bool]) -> str:
    """The tag a plain scalar gets from the installer's YAML library (gopkg.in/yaml.v2), not
    PyYAML's YAML 1.1 table: a Resolver.resolve for both composers."""
    if kind is ScalarNode and implicit[0]:
        return MERGE_TAG if value == "<<" else goyaml.resolve_plain(value)[0]
    return str(yaml.resolver.Resolver.resolve(self, kind, value, implicit))  # type: ignore[no-untyped-call]


class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader whose composer refuses to nest deeper than MAX_DEPTH (it is recursive) or
    to build more than MAX_NODES nodes in one stream."""

    resolve = go_resolve

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


#: What a document is, once composed: its root node, or why it could not be read.
Composed = Node | UnusableInputError


def compose_documents(data: bytes) -> list[tuple[int, Composed]]:
    """(1-based document number, root node or why not) for every non-empty document in the
    stream. A document that is not valid YAML does not hide the others: the stream is read
    again one document at a time (:func:`compose_each`)."""
    if len(data) > MAX_BYTES:
        raise UnusableInputError(f"larger than {MAX_BYTES // 1024} KiB")
    fast = compose_with_libyaml(data)
    if fast is not None:
        return list(fast)
    try:
        return list(compose_with_pyyaml(data))
    except UnusableInputError as err:
        return compose_each(data) or [(1, err)]


#: A line that starts a YAML document (a ``---`` marker at the start of a line).
_DOCUMENT_START = re.compile(rb"^---(?=[ \t\r\n]|$)", re.MULTILINE)


def compose_each(data: bytes) -> list[tuple[int, Composed]] | None:
    """Each document of a UTF-8 stream composed on its own, split at its ``---`` lines (a
    ``---`` at the start of a line always starts a document). Line numbers stay those of the
    file: each part is read after as many empty lines as come before it. None for a stream
    this cannot split (another encoding, or a single document)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    starts = [0, *(m.start() for m in _DOCUMENT_START.finditer(data) if m.start() > 0)]
    if len(starts) < 2:
        return None
    out: list[tuple[int, Composed]] = []
    number = 0
    for begin, end in zip(starts, [*starts[1:], len(data)], strict=True):
        part = b"\n" * data.count(b"\n", 0, begin) + data[begin:end]
        try:
            docs = compose_with_pyyaml(part)
        except UnusableInputError as err:
            number += 1
            out.append((number, UnusableInputError(f"document {number}: {err}")))
            continue
        for n, node in docs:
            out.append((number + n, node))
        number += _document_count(part)
    return out


def _document_count(part: bytes) -> int:
    """How many documents (empty ones included) PyYAML reads in a valid part."""
    loader = _BoundedLoader(part)
    try:
        count = 0
        while loader.check_node():
            loader.get_node()
            count += 1
        return count
    finally:
        loader.dispose()


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
_CSafeLoader: Any = getattr(yaml, "CSafeLoader", None)
_CLoader: Any = (
    None if _CSafeLoader is None else type("_CLoader", (_CSafeLoader,), {"resolve": go_resolve})
)
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
    if _CLoader is None or _PLAIN_INPUT.fullmatch(data) is None:
        return None
    loader_class = _CLoader
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
        return Key(str(node.value), node.start_mark.line + 1, node.start_mark.column + 1, node.tag)
    text = "<list>" if isinstance(node, SequenceNode) else "<mapping>"
    return Key(text, node.start_mark.line + 1, node.start_mark.column + 1, "")


def key_identity(key: Key) -> object:
    """What makes two keys the same key to yaml.v2 (a Go map key): the decoded value and its
    kind, so ``yes`` and ``true``, or ``1`` and ``0x1``, are one key; a key that cannot be
    decoded, or is not a scalar, is only itself."""
    if not key.tag:
        return key
    try:
        value = key.value
    except goyaml.GoYamlError:
        return key
    if isinstance(value, float) and value != value:
        return key  # NaN is never equal to anything
    return (type(value).__name__, value)


def _convert_mapping(node: MappingNode, done: dict[int, YNode], line: int, column: int) -> YMap:
    """The mapping with its merges applied. The installer's strict loader (yaml.v2's
    ``setMapIndex``) refuses any key set twice in one mapping, whether written twice, written
    and merged, or merged from two sources: each second setting is in ``duplicates``."""
    merged: list[tuple[Key, YMap]] = []
    explicit: list[tuple[Key, YNode]] = []
    set_keys: set[object] = set()
    duplicates: list[Key] = []

    def setting(key: Key, at: Key) -> None:
        identity = key_identity(key)
        if identity in set_keys:
            duplicates.append(at)
        set_keys.add(identity)

    for key_node, value_node in node.value:
        if key_node.tag == MERGE_TAG:
            merge_key = _key(key_node)
            sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
            converted_sources = []
            for source in sources:
                converted = _convert(source, done)
                if not isinstance(converted, YMap):
                    raise UnusableInputError(
                        f"line {source.start_mark.line + 1}: a merge key '<<' takes a mapping "
                        "or a list of mappings"
                    )
                converted_sources.append(converted)
            # yaml.v2 merges a list of sources from the last to the first (decode.go merge).
            for converted in reversed(converted_sources):
                for k, _ in converted.pairs:
                    setting(k, merge_key)
            merged += [(merge_key, m) for m in converted_sources]
            continue
        key = _key(key_node)
        setting(key, key)
        explicit.append((key, _convert(value_node, done)))
    pairs: dict[object, tuple[Key, YNode]] = {}
    # YAML merge: the first source listed wins over later ones; explicit keys win over all.
    for _, source_map in merged:
        for k, v in source_map.pairs:
            pairs.setdefault(key_identity(k), (k, v))
    for k, v in explicit:
        pairs[key_identity(k)] = (k, v)
    return YMap(line, column, list(pairs.values()), duplicates)
