"""Structural checks (``CFG``): the installer's load of the file, as :mod:`..loader` models it.

CFG101-CFG104 are the installer's own refusals: its loader fails on the document. CFG106 and
CFG107 are things it loads but reads differently from how they are written; CFG108 is a document
it never reads. CFG105 is the installer's validation of object references (``installer validate
config``), not its load. CFG100 is input the checker cannot read as a Gitpod config at all.
"""

from __future__ import annotations

from collections.abc import Iterator

from gitpod_resources import schema
from gitpod_resources.schema import ObjectRef

from .. import loader
from ..model import Document, Hit, check
from ..tree import Key, YMap, YNode, YScalar, YSeq


@check("CFG100")
def unusable_input(doc: Document) -> Iterator[Hit]:
    """Found before any document is checked (``check_bytes``); no document reaches here."""
    return iter(())


def _load_check(code: str) -> None:
    """Register ``code``: every issue of that code the installer's load finds (:mod:`..loader`
    names its issues by these codes)."""
    assert code in {*loader.LOAD_FAILS, loader.OTHER_CASE, loader.READ_AS_STRING}, code

    def issues(doc: Document) -> Iterator[Hit]:
        for issue in doc.load.of(code) if doc.load is not None else ():
            yield Hit(None, issue.path, issue.message, issue.fix, issue.line, issue.column)

    check(code)(issues)


_load_check("CFG101")
_load_check("CFG102")
_load_check("CFG103")
_load_check("CFG104")
_load_check("CFG106")
_load_check("CFG107")


@check("CFG108")
def later_document(doc: Document) -> Iterator[Hit]:
    if doc.number > 1:
        yield Hit(
            None,
            "",
            f"document {doc.number}: the installer reads only the first document of its "
            "config file and ignores this one",
            "move it into a file of its own",
            doc.root.line,
            doc.root.column,
        )


def _object_refs(
    node: YNode, sch: schema.Schema, path: str, at: YNode | Key
) -> Iterator[tuple[YMap, str, YNode | Key]]:
    """(mapping, dotted path, its key or list item) of every object reference the (canonical)
    document writes."""
    if isinstance(sch, ObjectRef) and isinstance(node, YMap):
        yield node, path, at
    elif isinstance(sch, schema.Mapping) and isinstance(node, YMap):
        for key, value in node.pairs:
            if key.text in sch.keys:
                child = f"{path}.{key.text}" if path else key.text
                yield from _object_refs(value, sch.keys[key.text], child, key)
    elif isinstance(sch, schema.ListOf) and isinstance(node, YSeq):
        for i, item in enumerate(node.items):
            yield from _object_refs(item, sch.item, f"{path}[{i}]", item)


@check("CFG105")
def object_ref(doc: Document) -> Iterator[Hit]:
    refs = _object_refs(doc.root, schema.installer_config(doc.release), "", doc.root)
    for node, path, at in refs:
        kind, name = node.get("kind"), node.get("name")
        if kind is None or (isinstance(kind, YScalar) and kind.is_null):
            yield Hit(node, f"{path}.kind", f"{path} has no kind", "add 'kind: secret'")
        elif isinstance(kind, YScalar) and kind.is_str and kind.text != schema.OBJECT_REF_KIND:
            yield Hit(
                kind,
                f"{path}.kind",
                f"{path}.kind is {kind.text!r}; the only kind is {schema.OBJECT_REF_KIND!r}",
                f"write 'kind: {schema.OBJECT_REF_KIND}'",
            )
        if name is None:
            message, fix = f"{path} has no name", "add 'name: <secret name>'"
            yield Hit(None, f"{path}.name", message, fix, at.line, at.column)
        elif isinstance(name, YScalar) and (
            name.is_null or (name.is_str and not name.text.strip())
        ):
            yield Hit(name, f"{path}.name", f"{path}.name is empty", "name the secret")
