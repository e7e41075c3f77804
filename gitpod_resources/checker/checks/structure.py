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
from ..common import INSTALLER
from ..model import Document, Hit, Severity, check
from ..tree import Key, YMap, YNode, YScalar, YSeq


@check(
    "CFG100",
    Severity.ERROR,
    "Not a Gitpod configuration, or not readable YAML",
    why="The checker reads a file as YAML documents, each an installer config "
    "(`apiVersion: v1`) or an admin console export (`kind: ConfigValues`). A file that is not "
    "valid YAML, or a document that is neither, is reported here and not checked further; "
    "the other documents of the file still are.",
    fix="Correct the YAML at the line named, or check the right file.",
)
def unusable_input(doc: Document) -> Iterator[Hit]:
    """Found before any document is checked (``check_bytes``); no document reaches here."""
    return iter(())


def _load_check(
    code: str, severity: Severity, title: str, *, claims: tuple[str, ...], why: str, fix: str
) -> None:
    """Register ``code``: every issue of that code the installer's load finds (:mod:`..loader`
    names its issues by these codes)."""
    assert code in {*loader.LOAD_FAILS, loader.OTHER_CASE, loader.READ_AS_STRING}, code

    def issues(doc: Document) -> Iterator[Hit]:
        for issue in doc.load.of(code) if doc.load is not None else ():
            yield Hit(None, issue.path, issue.message, issue.fix, issue.line, issue.column)

    check(code, severity, title, why=why, fix=fix, kinds=INSTALLER, claims=claims)(issues)


_load_check(
    "CFG101",
    Severity.ERROR,
    "Unknown key",
    claims=("installer.load", "installer.config"),
    why="The installer loads the config strictly: a key the release's config does not have "
    "fails the whole load. A typo such as `s3storag` never configures what it was meant to, and "
    "keys of later installers (`messageBus`, `telemetry`, `containerRegistry.external."
    "credentials`) are refused by every 2022.11 release.",
    fix="Rename the key to the one the finding names, or remove it.",
)
_load_check(
    "CFG102",
    Severity.ERROR,
    "Duplicate key",
    claims=("installer.load",),
    why="The installer's strict loader refuses a mapping that sets a key twice: written twice, "
    "or written and also brought in by a `<<` merge. Many YAML readers silently keep the last "
    "value instead, so the file looks fine elsewhere.",
    fix="Keep one of the two entries.",
)
_load_check(
    "CFG103",
    Severity.ERROR,
    "Value of the wrong type",
    claims=("installer.load", "installer.config"),
    why='The installer decodes each key into a typed Go field: a quoted `"false"` is a '
    "string, not a boolean, and a mapping is not a string. The load fails. (A number or "
    "boolean where a string belongs is read as its text: see CFG107.)",
    fix="Write the value in the type the finding names (booleans unquoted).",
)
_load_check(
    "CFG104",
    Severity.ERROR,
    "Value the installer cannot convert",
    claims=("installer.load",),
    why="Before it decodes anything, the installer converts the whole file to JSON, open "
    "sections included. JSON has no infinite or NaN number (`.inf`, `.nan`) and no empty (null) "
    "key, so such a value anywhere in the file fails the load.",
    fix="Write a finite number or quote the text; give every key a name.",
)
_load_check(
    "CFG106",
    Severity.WARNING,
    "Key spelled in another case",
    claims=("installer.load",),
    why="The installer matches keys to its fields regardless of case, so `S3Storage` configures "
    "`s3storage`: the file loads. Other tools that read the file (editors' schemas, scripts, "
    "this guide's examples) see an unknown key, and two spellings of one key are both read, "
    "the later in sorted order winning.",
    fix="Spell the key as the finding names it.",
)
_load_check(
    "CFG107",
    Severity.WARNING,
    "Number or boolean where a string belongs",
    claims=("installer.load",),
    why="The installer turns a YAML number or boolean into text where its field is a string, "
    "so the file loads, but not always as written: `bucket: 20221101` is read as "
    '`"20221101"`, `region: yes` as `"true"` and `017` (octal) as `"15"`.',
    fix="Quote the value, so every reader reads the text you wrote.",
)


@check(
    "CFG108",
    Severity.WARNING,
    "Document the installer does not read",
    why="The installer reads the first YAML document of its config file and ignores the rest "
    "(its loader unmarshals one document). The checker checks every document, and reports each "
    "one after the first here.",
    fix="Keep one installer config per file.",
    kinds=INSTALLER,
    claims=("installer.load",),
)
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


@check(
    "CFG105",
    Severity.ERROR,
    "Object reference without kind: secret and a name",
    why="Every reference to a Kubernetes object in the 2022.11 config must have `kind` and "
    "`name`, and `secret` (lowercase) is the only kind the installer's validation accepts "
    "(`installer validate config`).",
    fix="Write `kind: secret` and the secret's `name`.",
    kinds=INSTALLER,
    claims=("installer.object-ref",),
)
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
