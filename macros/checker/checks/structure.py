"""Structural checks (``CFG``): what the 2022.11 installer's strict loader and validator reject.

The schema is :mod:`macros.schema`; these checks only walk it. Open sections are not looked into.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from macros import schema
from macros.schema import ListOf, Mapping, ObjectRef, Open, Scalar, Schema

from ..model import DocKind, Document, Hit, Severity, check
from ..tree import Key, YMap, YNode, YScalar, YSeq, kind_name

INSTALLER = (DocKind.INSTALLER,)


Described = tuple[YNode, Schema, str, YNode | Key]


def _walk(node: YNode, sch: Schema, path: str, at: YNode | Key) -> Iterator[Described]:
    """(node, its schema, dotted path, its key or list item) for every node the schema
    describes, parents first."""
    yield node, sch, path, at
    if isinstance(sch, Mapping | ObjectRef) and isinstance(node, YMap):
        for key, value in node.pairs:
            if key.text in sch.keys:
                yield from _walk(value, sch.keys[key.text], _join(path, key.text), key)
    elif isinstance(sch, ListOf) and isinstance(node, YSeq):
        for i, item in enumerate(node.items):
            yield from _walk(item, sch.item, f"{path}[{i}]", item)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _described(doc: Document) -> Iterator[Described]:
    return _walk(doc.root, schema.INSTALLER_CONFIG, "", doc.root)


@check(
    "CFG101",
    Severity.ERROR,
    "Unknown key",
    why="The installer loads the config strictly: a key the 2022.11 config does not have "
    "fails the whole load. A typo such as `s3Storage` never configures what it was meant to.",
    fix="Rename the key to the one the finding names, or remove it.",
    example="apiVersion: v1\n"
    "containerRegistry:\n"
    "  inCluster: true\n"
    "  s3Storage:\n"
    "    bucket: gitpod-registry\n",
    kinds=INSTALLER,
)
def unknown_key(doc: Document) -> Iterator[Hit]:
    for node, sch, path, _ in _described(doc):
        if not isinstance(sch, Mapping | ObjectRef) or not isinstance(node, YMap):
            continue
        for key, _ in node.pairs:
            if key.text in sch.keys:
                continue
            full = _join(path, key.text)
            if full in schema.LATER_KEYS:
                message = (
                    f"{full!r} is not a 2022.11 key: installers from "
                    f"{schema.LATER_KEYS[full]} on know it, 2022.11 rejects the file"
                )
                fix = "remove it for a 2022.11 installation"
            else:
                close = difflib.get_close_matches(key.text, list(sch.keys), n=1, cutoff=0.6)
                if not close:
                    lowered = {k.lower(): k for k in sch.keys}
                    close = [lowered[key.text.lower()]] if key.text.lower() in lowered else []
                where = f"under {path!r}" if path else "at the top level"
                message = f"unknown key {key.text!r} {where}"
                if close:
                    message += f"; did you mean {close[0]!r}?"
                    fix = f"rename it to {close[0]!r}"
                else:
                    fix = "known keys here: " + ", ".join(sorted(sch.keys))
            yield Hit(None, full, message, fix, key.line, key.column)


@check(
    "CFG102",
    Severity.ERROR,
    "Duplicate key",
    why="The installer's strict loader rejects a mapping that repeats a key; many YAML "
    "readers silently keep the last value instead, so the file looks fine elsewhere.",
    fix="Keep one of the two entries.",
    example="apiVersion: v1\ndomain: gitpod.example.com\ndomain: gitpod.example.org\n",
)
def duplicate_key(doc: Document) -> Iterator[Hit]:
    seen: set[int] = set()
    stack: list[tuple[YNode, str]] = [(doc.root, "")]
    while stack:
        node, path = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, YMap):
            for key in node.duplicates:
                full = _join(path, key.text)
                yield Hit(
                    None,
                    full,
                    f"key {key.text!r} appears more than once in this mapping",
                    "keep one entry",
                    key.line,
                    key.column,
                )
            stack.extend((v, _join(path, k.text)) for k, v in node.pairs)
        elif isinstance(node, YSeq):
            stack.extend((v, f"{path}[{i}]") for i, v in enumerate(node.items))


def type_problem(node: YNode, sch: Schema) -> str | None:
    """What is wrong with this node's type for its schema, or None (null means "not set")."""
    if isinstance(node, YScalar) and node.is_null:
        return None
    if isinstance(sch, Scalar):
        ok = (
            isinstance(node, YScalar)
            and {
                Scalar.BOOL: node.as_bool is not None,
                Scalar.STRING: node.is_str,
                Scalar.INT: node.is_int,
            }[sch]
        )
        return None if ok else f"expected {sch.value}, found {kind_name(node)}"
    if isinstance(sch, Mapping | ObjectRef):
        return None if isinstance(node, YMap) else f"expected a mapping, found {kind_name(node)}"
    if isinstance(sch, ListOf):
        return None if isinstance(node, YSeq) else f"expected a list, found {kind_name(node)}"
    assert isinstance(sch, Open)
    return None


@check(
    "CFG103",
    Severity.ERROR,
    "Value of the wrong type",
    why='The installer decodes each key into a typed Go field: a quoted `"false"` is a '
    "string, not a boolean, and a number is not a string. The load fails.",
    fix="Write the value in the type the finding names (booleans unquoted).",
    example='apiVersion: v1\ncontainerRegistry:\n  inCluster: "true"\n',
    kinds=INSTALLER,
)
def wrong_type(doc: Document) -> Iterator[Hit]:
    for node, sch, path, _ in _described(doc):
        if path == "" or path == "apiVersion":
            continue
        problem = type_problem(node, sch)
        if problem:
            yield Hit(node, path, f"{path}: {problem}", _type_fix(sch))


def _type_fix(sch: Schema) -> str:
    if sch is Scalar.BOOL:
        return "write true or false without quotes"
    if sch is Scalar.STRING:
        return "write the value as a string (quote it if YAML reads it as something else)"
    if sch is Scalar.INT:
        return "write a whole number without quotes"
    if isinstance(sch, ListOf):
        return "write a YAML list (one '- item' per line)"
    return "write a mapping of keys below it"


@check(
    "CFG105",
    Severity.ERROR,
    "Object reference without kind: secret and a name",
    why="Every reference to a Kubernetes object in the 2022.11 config must have `kind` and "
    "`name`, and `secret` (lowercase) is the only kind the validator accepts.",
    fix="Write `kind: secret` and the secret's `name`.",
    example="apiVersion: v1\n"
    "containerRegistry:\n"
    "  inCluster: false\n"
    "  external:\n"
    "    url: harbor.example.com/gitpod\n"
    "    certificate:\n"
    "      kind: Secret\n"
    "      name: container-registry\n",
    kinds=INSTALLER,
)
def object_ref(doc: Document) -> Iterator[Hit]:
    for node, sch, path, at in _described(doc):
        if not isinstance(sch, ObjectRef) or not isinstance(node, YMap):
            continue
        kind, name = node.get("kind"), node.get("name")
        if kind is None or (isinstance(kind, YScalar) and kind.is_null):
            yield Hit(node, _join(path, "kind"), f"{path} has no kind", "add 'kind: secret'")
        elif isinstance(kind, YScalar) and kind.is_str and kind.text != schema.OBJECT_REF_KIND:
            yield Hit(
                kind,
                _join(path, "kind"),
                f"{path}.kind is {kind.text!r}; the only kind is {schema.OBJECT_REF_KIND!r}",
                f"write 'kind: {schema.OBJECT_REF_KIND}'",
            )
        if name is None:
            message = f"{path} has no name"
            fix = "add 'name: <secret name>'"
            yield Hit(None, _join(path, "name"), message, fix, at.line, at.column)
        elif isinstance(name, YScalar) and (
            name.is_null or (name.is_str and not name.text.strip())
        ):
            yield Hit(name, _join(path, "name"), f"{path}.name is empty", "name the secret")
