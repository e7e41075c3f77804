"""The installer's loading of a config, as the checker models it: what makes the load fail, what
it accepts but reads differently from how it is written, and the config it ends up with.

``Load`` in ``install/installer/pkg/config/loader.go`` (lines 86-131, the same at the four
2022.11 tags) does three things, and so does :func:`load`:

1. ``yaml.Unmarshal`` of the whole document into a struct that has only ``apiVersion``: every
   value goes through sigs.k8s.io/yaml's YAML-to-JSON conversion, so a key that is null or not
   a scalar, or an infinite or NaN number anywhere, fails the load (:data:`CONVERSION`).
2. yq's ``del(.apiVersion)``: the key ``apiVersion`` (this spelling only) is removed.
3. ``yaml.UnmarshalStrict`` into the release's ``Config`` (:mod:`gitpod_resources.schema`): a key
   set twice in a mapping (:data:`DUPLICATE`), a key the struct does not have (:data:`UNKNOWN`)
   or a value of the wrong type (:data:`WRONG_TYPE`) fails the load. Keys match field names
   regardless of case; a number or boolean becomes a string where the field is a string
   (:mod:`.goyaml`).

The result keeps each problem with its location, notes what loads but is written differently
from what the installer reads (:data:`OTHER_CASE`, :data:`READ_AS_STRING`), and gives the
``canonical`` tree: keys named as the installer's fields, string fields holding the strings the
installer reads, several spellings of a key merged as ``encoding/json`` merges them. The section
checks read that tree, so they see what the installer sees.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from gitpod_resources import goyaml, schema
from gitpod_resources.schema import ListOf, Mapping, ObjectRef, Open, Release, Scalar, Schema

from .tree import Key, YMap, YNode, YScalar, YSeq, kind_name

#: Codes of the problems that make the installer's load fail.
UNKNOWN, DUPLICATE, WRONG_TYPE, CONVERSION = "CFG101", "CFG102", "CFG103", "CFG104"
#: Codes of what the installer loads but reads differently from how it is written.
OTHER_CASE, READ_AS_STRING = "CFG106", "CFG107"
LOAD_FAILS = frozenset({UNKNOWN, DUPLICATE, WRONG_TYPE, CONVERSION})


@dataclass(frozen=True)
class Issue:
    """One problem or note, located at a line and column, named by its dotted path."""

    code: str
    path: str
    line: int
    column: int
    message: str
    fix: str


@dataclass
class Loaded:
    """What :func:`load` found, and the config as the installer reads it."""

    release: Release
    canonical: YMap
    issues: list[Issue] = field(default_factory=list)

    @property
    def fails(self) -> bool:
        """Whether the installer's load fails on this document."""
        return any(i.code in LOAD_FAILS for i in self.issues)

    def of(self, code: str) -> list[Issue]:
        return [i for i in self.issues if i.code == code]


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _at(node: YNode | Key) -> tuple[int, int]:
    return node.line, node.column


class _Loader:
    def __init__(self, release: Release) -> None:
        self.release = release
        self.issues: list[Issue] = []

    def issue(self, code: str, path: str, at: YNode | Key, message: str, fix: str) -> None:
        line, column = _at(at)
        self.issues.append(Issue(code, path, line, column, message, fix))

    # --- step 1: the conversion every value goes through ---------------------------------------

    def convertible(self, node: YNode, path: str, top: bool, seen: set[int]) -> None:
        """CONVERSION and WRONG_TYPE problems anywhere in the document, open sections included."""
        if id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, YScalar):
            self.scalar_converts(node, path)
        elif isinstance(node, YSeq):
            for i, item in enumerate(node.items):
                self.convertible(item, f"{path}[{i}]", False, seen)
        elif isinstance(node, YMap):
            for key, value in node.pairs:
                name = self.key_name(key, path)
                if name is None:
                    continue
                if top and goyaml.equal_fold(schema.API_VERSION_KEY, name):
                    # The first unmarshal's only field: it takes a string (numbers converted).
                    if not isinstance(value, YScalar):
                        self.issue(
                            WRONG_TYPE,
                            name,
                            value,
                            f"{name}: expected a string such as v1, found {kind_name(value)}",
                            "write 'apiVersion: v1'",
                        )
                    continue
                self.convertible(value, _join(path, name), False, seen)

    def key_name(self, key: Key, path: str) -> str | None:
        """The key as a JSON object key, or None after reporting why it cannot be one."""
        where = f"under {path!r}" if path else "at the top level"
        if not key.tag:
            self.issue(
                CONVERSION,
                path,
                key,
                f"a {key.text[1:-1]} used as a key {where}; the installer's YAML library "
                "refuses a key that is not a plain value",
                "use a plain word as the key",
            )
            return None
        try:
            value = key.value
        except goyaml.GoYamlError as err:
            self.issue(WRONG_TYPE, path, key, f"key {key.text!r} {where}: {err}", "remove the tag")
            return None
        name = goyaml.json_key(value)
        if name is None:
            what = "an empty (null) key" if value is None else f"the key {key.text}"
            self.issue(
                CONVERSION,
                path,
                key,
                f"{what} {where}: the installer cannot turn it into a JSON key and the load fails",
                "name the key with a word, or quote it",
            )
        return name

    def scalar_converts(self, node: YScalar, path: str) -> None:
        try:
            value = node.value
        except goyaml.GoYamlError as err:
            self.issue(WRONG_TYPE, path, node, f"{path}: {err}", "remove the tag or fix the value")
            return
        if isinstance(value, float) and not math.isfinite(value):
            self.issue(
                CONVERSION,
                path,
                node,
                f"{path}: {node.text!r} is {'not a number' if value != value else 'infinite'}; "
                "the installer converts the whole file to JSON, which has no such number, and "
                "the load fails",
                "write a finite number, or quote the text to make it a string",
            )

    # --- step 3: the strict load into the release's Config --------------------------------------

    def duplicates(self, node: YNode, path: str, seen: set[int]) -> None:
        """DUPLICATE problems anywhere in the document (yaml.v2 is strict in every mapping)."""
        if id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, YMap):
            for key in node.duplicates:
                if path == "" and key.text == schema.API_VERSION_KEY and key.tag == goyaml.STR:
                    continue  # yq's del(.apiVersion) removes every one before the strict load
                where = f"under {path!r}" if path else "at the top level"
                self.issue(
                    DUPLICATE,
                    _join(path, key.text),
                    key,
                    f"key {key.text!r} is set more than once {where} (written twice, or also "
                    "by a '<<' merge); the installer's strict loader refuses the file",
                    "keep one of them",
                )
            for key, value in node.pairs:
                self.duplicates(value, _join(path, key.text), seen)
        elif isinstance(node, YSeq):
            for i, item in enumerate(node.items):
                self.duplicates(item, f"{path}[{i}]", seen)

    def decode(self, nodes: Sequence[YNode], sch: Schema, path: str, pointer: bool) -> YNode:
        """The canonical node for a field written by ``nodes`` (several spellings of its key,
        applied in the order ``encoding/json`` applies them)."""
        result: YNode | None = None
        for node in nodes:
            if isinstance(node, YScalar) and node.is_null:
                # JSON null: a pointer becomes nil; any other field keeps its value.
                result = node if pointer or result is None else result
                continue
            if isinstance(sch, Open):
                result = node
            elif isinstance(sch, Mapping | ObjectRef):
                result = self.struct(node, sch, path, result)
            elif isinstance(sch, ListOf):
                result = self.list(node, sch, path)
            else:
                result = self.scalar(node, sch, path)
        assert result is not None
        return result

    def scalar(self, node: YNode, sch: Scalar, path: str) -> YNode:
        expected = f"expected {sch.value}, found {kind_name(node)}"
        if not isinstance(node, YScalar):
            self.issue(WRONG_TYPE, path, node, f"{path}: {expected}", _type_fix(sch))
            return node
        try:
            value = node.value
        except goyaml.GoYamlError:
            return node  # reported by the conversion walk
        if sch is Scalar.STRING:
            text = goyaml.go_string(value)
            if text is None:
                return node
            if not node.is_str and node.tag != goyaml.BINARY:
                self.issue(
                    READ_AS_STRING,
                    path,
                    node,
                    f"{path} is written as {kind_name(node)}; the installer reads it as the "
                    f"string {text!r}",
                    f'write it in quotes: "{node.text}"',
                )
            return YScalar(node.line, node.column, goyaml.STR, text)
        if sch is Scalar.BOOL:
            if not isinstance(value, bool):
                self.issue(WRONG_TYPE, path, node, f"{path}: {expected}", _type_fix(sch))
            return node
        if goyaml.go_int(value) is None:
            if isinstance(value, int | float) and not isinstance(value, bool):
                message = f"{path}: {node.text} is not a whole number the installer can hold"
            else:
                message = f"{path}: {expected}"
            self.issue(WRONG_TYPE, path, node, message, _type_fix(sch))
        return node

    def list(self, node: YNode, sch: ListOf, path: str) -> YNode:
        if not isinstance(node, YSeq):
            self.issue(
                WRONG_TYPE,
                path,
                node,
                f"{path}: expected a list, found {kind_name(node)}",
                _type_fix(sch),
            )
            return node
        items = [self.decode([n], sch.item, f"{path}[{i}]", True) for i, n in enumerate(node.items)]
        return YSeq(node.line, node.column, items)

    def struct(self, node: YNode, sch: Mapping | ObjectRef, path: str, into: YNode | None) -> YNode:
        if not isinstance(node, YMap):
            self.issue(
                WRONG_TYPE,
                path,
                node,
                f"{path}: expected a mapping, found {kind_name(node)}",
                _type_fix(sch),
            )
            return node
        # encoding/json decodes an object into a struct that already holds values (a default,
        # or an earlier spelling of the same key): those fields stay unless written again.
        written: dict[str, list[tuple[str, Key, YNode]]] = {}
        order: list[str] = []
        if isinstance(into, YMap):
            for key, value in into.pairs:
                if key.text in sch.keys:
                    written.setdefault(key.text, []).append((key.text, key, value))
                    order.append(key.text)
        unknown: list[tuple[Key, YNode]] = []
        named: list[tuple[str, Key, YNode]] = []
        position: dict[str, int] = {}
        for index, (key, value) in enumerate(node.pairs):
            name = _json_name(key)
            if name is None:
                continue  # reported by the conversion walk
            named.append((name, key, value))
            position.setdefault(name, index)
        # json.Marshal writes an object's keys sorted; decoding applies them in that order.
        for name, key, value in sorted(named, key=lambda n: n[0].encode("utf-8", "replace")):
            target = self.field(name, sch)
            if target is None:
                if not (path == "" and name == schema.API_VERSION_KEY):
                    self.unknown(name, key, sch, path)
                    unknown.append((key, value))
                continue
            if target != name:
                self.other_case(name, target, key, path, node)
            if target not in written:
                order.append(target)
            written.setdefault(target, []).append((name, key, value))
        # Document order for the canonical tree: fields held before, then as first written.
        first = {t: min((position.get(n, -1) for n, _, _ in written[t]), default=-1) for t in order}
        order.sort(key=lambda t: first[t])
        pairs: list[tuple[Key, YNode]] = []
        for target in order:
            spellings = written[target]
            nodes = [value for _, _, value in spellings]
            # encoding/json sets a pointer, and a slice, to nil for null.
            pointer = target in sch.pointers or isinstance(sch.keys[target], ListOf)
            canonical = self.decode(nodes, sch.keys[target], _join(path, target), pointer)
            last_key = spellings[-1][1]
            pairs.append((Key(last_key.line, last_key.column, target), canonical))
        return YMap(node.line, node.column, pairs + unknown, [])

    @staticmethod
    def field(name: str, sch: Mapping | ObjectRef) -> str | None:
        """The field a JSON key decodes into: the exact name, else one equal but for case."""
        if name in sch.keys:
            return name
        for candidate in sch.keys:
            if goyaml.equal_fold(candidate, name):
                return candidate
        return None

    def other_case(self, name: str, target: str, key: Key, path: str, node: YMap) -> None:
        both = any(_json_name(k) == target for k, _ in node.pairs if k is not key)
        full = _join(path, target)
        if both:
            message = (
                f"{name!r} and {target!r} are the same key to the installer (it matches keys "
                "regardless of case): it reads both, in sorted order, and the later one wins "
                "where they differ"
            )
            fix = f"keep one entry, spelled {target!r}"
        else:
            message = (
                f"{name!r} is read as {full!r}: the installer matches keys regardless of case, "
                "other tools reading this file do not"
            )
            fix = f"write {target!r}"
        self.issue(OTHER_CASE, full, key, message, fix)

    def unknown(self, name: str, key: Key, sch: Mapping | ObjectRef, path: str) -> None:
        full = _join(path, name)
        later = schema.LATER_KEYS.get(full)
        added_in = schema.ADDED_IN.get(full)
        if later is not None:
            message = (
                f"{full!r} is not a key of any Gitpod 2022.11 release: it was added to the "
                f"installer on {later.added} (commit {later.commit}), after the 2022.11 line; a "
                "2022.11 installer refuses the file"
            )
            fix = "remove it for a 2022.11 installation"
        elif added_in is not None and added_in != self.release:
            message = (
                f"{full!r} is not a key of Gitpod {self.release.value}: it is a key from "
                f"{added_in.value} on, and the {self.release.value} installer refuses the file"
            )
            fix = f"remove it, or install {added_in.value} or later (check with --release)"
        elif path == "" and goyaml.equal_fold(schema.API_VERSION_KEY, name):
            message = (
                f"unknown key {name!r}: the installer removes only 'apiVersion', spelled that "
                "way, before it loads the rest"
            )
            fix = "write 'apiVersion'"
        else:
            keys = list(sch.keys)
            if path == "":
                keys.remove(schema.API_VERSION_KEY)
            close = difflib.get_close_matches(name, keys, n=1, cutoff=0.6)
            where = f"under {path!r}" if path else "at the top level"
            message = f"unknown key {name!r} {where}"
            if close:
                message += f"; did you mean {close[0]!r}?"
                fix = f"rename it to {close[0]!r}"
            else:
                fix = "known keys here: " + ", ".join(sorted(keys))
        self.issue(UNKNOWN, full, key, message, fix)


def _json_name(key: Key) -> str | None:
    """The key as sigs.k8s.io/yaml writes it into JSON; None if it cannot be one."""
    if not key.tag:
        return None
    try:
        return goyaml.json_key(key.value)
    except goyaml.GoYamlError:
        return None


def _type_fix(sch: Schema) -> str:
    if sch is Scalar.BOOL:
        return "write true or false without quotes"
    if sch is Scalar.STRING:
        return "write the value as a string"
    if sch is Scalar.INT:
        return "write a whole number without quotes"
    if isinstance(sch, ListOf):
        return "write a YAML list (one '- item' per line)"
    return "write a mapping of keys below it"


def load(root: YMap, release: Release = schema.LATEST) -> Loaded:
    """The installer's load of one document (an installer config), as :mod:`loader` models it."""
    loader = _Loader(release)
    loader.convertible(root, "", True, set())
    loader.duplicates(root, "", set())
    canonical = loader.struct(root, schema.installer_config(release), "", None)
    assert isinstance(canonical, YMap)
    # A field written under two spellings is decoded again when they are merged: keep one of
    # each finding.
    issues = sorted(set(loader.issues), key=lambda i: (i.line, i.column, i.code, i.path))
    return Loaded(release, canonical, issues)
