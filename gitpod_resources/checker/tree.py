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

from gitpod_resources import goyaml

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
class Key(YNode):
    """A mapping's key, located as the nodes are."""

    text: str
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

#: libyaml's parser and composer (the library gopkg.in/yaml.v2 is a port of, so lines, columns
#: and refusals are the installer's own), with the installer's scalar resolution.
_LOADER: Any = type("GoSafeLoader", (yaml.CSafeLoader,), {"resolve": goyaml.go_resolve})
_COLLECTION_START = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_COLLECTION_END = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
_NODE_EVENTS = (*_COLLECTION_START, yaml.ScalarEvent, yaml.AliasEvent)


def compose_documents(data: bytes) -> list[tuple[int, Composed]]:
    """(1-based document number, root node or why not) for every non-empty document in the
    stream. A document that is not valid YAML does not hide the others: the stream is read
    again one document at a time (:func:`compose_each`)."""
    if len(data) > MAX_BYTES:
        raise UnusableInputError(f"larger than {MAX_BYTES // 1024} KiB")
    try:
        return list(compose_stream(data))
    except UnusableInputError as err:
        return compose_each(data) or [(1, err)]


def compose_stream(data: bytes) -> list[tuple[int, Node]]:
    """Every non-empty document of a stream, refusing one that nests deeper than
    :data:`MAX_DEPTH` or holds more than :data:`MAX_NODES` values before it is composed
    (libyaml's composer recurses), and any stream that is not valid YAML."""
    try:
        _within_limits(data)
        loader = _LOADER(data)
        try:
            return _non_empty_documents(loader)
        finally:
            loader.dispose()
    except yaml.YAMLError as err:
        raise UnusableInputError(f"not valid YAML: {_one_line(err)}") from None


def _within_limits(data: bytes) -> None:
    """Walk the parser's events once, without composing, and refuse a stream past the limits."""
    events = _LOADER(data)
    try:
        depth = nodes = 0
        while events.check_event():
            event = events.get_event()
            if isinstance(event, _NODE_EVENTS):
                nodes += 1
                if nodes > MAX_NODES:
                    line = _line_of(event)
                    raise UnusableInputError(f"line {line}: more than {MAX_NODES} values")
            if isinstance(event, _COLLECTION_START):
                depth += 1
                if depth > MAX_DEPTH:
                    line = _line_of(event)
                    raise UnusableInputError(f"line {line}: nested deeper than {MAX_DEPTH} levels")
            elif isinstance(event, _COLLECTION_END):
                depth -= 1
    finally:
        events.dispose()


def _line_of(event: Any) -> int:
    mark = event.start_mark
    return int(mark.line) + 1 if mark is not None else 1


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
            docs = compose_stream(part)
        except UnusableInputError as err:
            number += 1
            out.append((number, UnusableInputError(f"document {number}: {err}")))
            continue
        for n, node in docs:
            out.append((number + n, node))
        number += _document_count(part)
    return out


def _document_count(part: bytes) -> int:
    """How many documents (empty ones included) a valid part holds."""
    loader = _LOADER(part)
    try:
        count = 0
        while loader.check_node():
            loader.get_node()
            count += 1
        return count
    finally:
        loader.dispose()


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
        # libyaml reads UTF-8 or UTF-16 (with a byte order mark); it names no encoding.
        return f"not text: {err.reason} (byte {err.position})"
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
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    if isinstance(node, ScalarNode):
        return Key(line, column, str(node.value), node.tag)
    return Key(line, column, "<list>" if isinstance(node, SequenceNode) else "<mapping>", "")


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
