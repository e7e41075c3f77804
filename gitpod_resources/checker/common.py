"""What the section checks (registry, object storage, database) share: located values, the
admin console's items, and the scaffolds of the checks the sections have in common.

Some scaffolds register a whole check from a section's data (a Secret name Kubernetes refuses, an
admin console item that does not exist, an S3 bucket name S3 refuses); the others are decorators
that turn the section's own function into a check ("inCluster" left out, the values a section
requires). Every code is still written in its section's module, next to its data.

It lives beside ``checks/``, not in it, so :func:`gitpod_resources.checker.checks.load_all` never
takes it for a check module: importing it registers no check.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import wraps

from gitpod_resources import aws, config, kots, registry, schema, validation
from gitpod_resources.errors import RuleError

from .model import CheckFn, DocKind, Document, Hit, Severity, check
from .tree import Key, YMap, YNode, YScalar

KOTS_VALUES = "spec.values"


@dataclass(frozen=True)
class Value:
    """A string value with its location and dotted path (KOTS: ``spec.values.<item>.value``)."""

    text: str
    node: YNode
    path: str

    def hit(self, message: str, fix: str) -> Hit:
        """A finding at this value."""
        return Hit(self.node, self.path, message, fix)


@dataclass(frozen=True)
class Where:
    """Where a missing value belongs: the parent's key."""

    path: str
    line: int
    column: int

    def with_path(self, path: str) -> Where:
        """The same place, naming ``path`` (a value that belongs here but is not written)."""
        return Where(path, self.line, self.column)


@dataclass(frozen=True)
class View:
    """A section as either kind of document states it: the values the checks read, each with
    where it is."""

    kind: DocKind
    #: The section's key (installer) or ``values`` (KOTS), where a value left out belongs.
    anchor: Where


def _text(node: YNode | None, any_scalar: bool) -> str | None:
    """A string's text; with ``any_scalar`` (KOTS, where every value is text) any scalar's."""
    if isinstance(node, YScalar) and not node.is_null and (any_scalar or node.is_str):
        return node.text
    return None


def value(node: YNode | None, path: str, any_scalar: bool = False) -> Value | None:
    """The node's text as a :class:`Value`, or None when it is unset, not text, or blank."""
    text = _text(node, any_scalar)
    if node is None or text is None or not text.strip():
        return None
    return Value(text, node, path)


def where(path: str, key: Key | None, fallback: YNode) -> Where:
    """At ``key`` if there is one, else at ``fallback``."""
    if key is not None:
        return Where(path, key.line, key.column)
    return Where(path, fallback.line, fallback.column)


def is_unset(node: YNode | None) -> bool:
    return node is None or (isinstance(node, YScalar) and node.is_null)


def is_empty(node: YNode | None, strip: bool) -> bool:
    """Unset or an empty string (with ``strip``, also a blank one)."""
    if is_unset(node):
        return True
    if not (isinstance(node, YScalar) and node.is_str):
        return False
    return not (node.text.strip() if strip else node.text)


def bare(text: str) -> str:
    """``text`` without a scheme, surrounding spaces and trailing slashes."""
    v = text.strip()
    if "://" in v:
        v = v.split("://", 1)[1]
    return v.rstrip("/")


def is_aws_host(host: str) -> bool:
    """Whether a host is in one of AWS's partitions (so AWS's endpoint rules apply to it)."""
    return any(host == p.dns_suffix or host.endswith("." + p.dns_suffix) for p in aws.partitions())


def bucket_fix(name: str) -> str:
    """Suggest the lowercase, hyphenated spelling when the rules accept it."""
    candidate = name.strip().lower().replace("_", "-").replace(" ", "-")
    try:
        return f"write {aws.validate_bucket_name(candidate)!r}"
    except RuleError:
        return f"write {aws.BUCKET_FORM}"


def rule_broken(
    found: Value, validate: Callable[[str, str], object], fix: str | Callable[[RuleError], str]
) -> Iterator[Hit]:
    """A finding at ``found`` when ``validate(text, path)`` (a rule of the rules modules) rejects
    it: the rule's one-line message, and ``fix`` (or ``fix(error)``)."""
    try:
        validate(found.text, found.path)
    except RuleError as err:
        yield found.hit(str(err), fix if isinstance(fix, str) else fix(err))


def bucket_name_check(code: str, bucket: Callable[[Document], Value | None]) -> None:
    """Register ``code``: the S3 bucket name that ``bucket`` finds in a document, which S3 must
    accept."""

    def bucket_name(doc: Document) -> Iterator[Hit]:
        found = bucket(doc)
        if found is not None:
            yield from rule_broken(
                found, aws.validate_bucket_name, lambda _: bucket_fix(found.text)
            )

    check(code)(bucket_name)


def port_broken(found: Value, host: str) -> Iterator[Hit]:
    """A finding at ``found`` when the port ``host`` (``name[:port]``) carries is outside
    1-65535."""
    try:
        registry.validate_port_of(host, found.path)
    except RuleError as err:
        name = host.partition(":")[0]
        yield found.hit(str(err), f"write {name!r} with its real port")


# --- installer config sections ------------------------------------------------------------------


def section(doc: Document, name: str) -> YMap | None:
    """The top-level mapping ``name`` (``containerRegistry``, ...), if it is a mapping."""
    found = doc.root.get(name)
    return found if isinstance(found, YMap) else None


def in_cluster(mapping: YMap) -> bool | None:
    """``inCluster`` as the installer reads it: unset means its default, true; None when it is
    not a boolean."""
    inc = mapping.get("inCluster")
    if is_unset(inc):
        return True
    return inc.as_bool if isinstance(inc, YScalar) else None


def read_section(doc: Document, name: str) -> tuple[YMap, Where, bool | None] | None:
    """Section ``name`` of an installer config: its mapping, where it is (its key), and
    ``inCluster`` as the installer reads it; None when the document has no such mapping."""
    found = section(doc, name)
    if found is None:
        return None
    return found, where(name, doc.root.key(name), found), in_cluster(found)


def stated_in_cluster(mapping: YMap) -> bool | None:
    """``inCluster`` as written: True/False only when the document states a boolean."""
    inc = mapping.get("inCluster")
    return inc.as_bool if isinstance(inc, YScalar) else None


#: A block of a section: its name, its key and the mapping written.
Block = tuple[str, Key, YMap]


def blocks(mapping: YMap, names: Iterable[str]) -> list[Block]:
    """Every block of ``names`` written as a mapping, in that order."""
    found = []
    for name in names:
        block, key = mapping.get(name), mapping.key(name)
        if isinstance(block, YMap) and key is not None:
            found.append((name, key, block))
    return found


def named(written: Iterable[Block]) -> str:
    """The blocks' names as findings list them: "'s3' and 'cloudStorage'"."""
    return " and ".join(repr(name) for name, _, _ in written)


def ref_name(block: YMap, ref: str) -> str | None:
    """The Secret name the reference ``ref`` of ``block`` writes, unless it is unset or blank."""
    node = block.get(ref)
    name = node.get("name") if isinstance(node, YMap) else None
    if isinstance(name, YScalar) and not name.is_null and name.text.strip():
        return name.text
    return None


def still_validated(block: YMap, ref: str) -> str:
    """What a block nothing uses still does: ``installer validate cluster`` checks the Secret its
    reference ``ref`` names."""
    secret = ref_name(block, ref)
    return "installer validate cluster still checks " + (
        f"its secret {secret!r}" if secret else "its secret"
    )


def missing_keys(
    path: str, block: YMap, key: Key | None, keys: Iterable[str], strip: bool = True
) -> Iterator[tuple[Where, str]]:
    """(where, dotted path) of every key of ``keys`` that ``block`` (at ``path``, under ``key``)
    leaves unset or empty: at the value if it is written, else at the block's key."""
    for k in keys:
        node = block.get(k)
        if is_empty(node, strip):
            full = f"{path}.{k}"
            yield where(full, key if node is None else None, node or block), full


def at_key(key: Key, path: str, message: str, fix: str) -> Hit:
    """A finding about a whole key (a block, or a value left out below it)."""
    return Hit(None, path, message, fix, key.line, key.column)


def in_cluster_default(
    name: str, block_names: Iterable[str], fix: str
) -> Callable[[Callable[[list[Block]], str]], CheckFn]:
    """The check of section ``name`` that writes blocks of ``block_names`` but leaves
    ``inCluster`` out: the installer's default, true, wins and the blocks are not used. The
    decorated function words the finding for the blocks written; it is at the section's key."""

    def decorate(message: Callable[[list[Block]], str]) -> CheckFn:
        @wraps(message)
        def hits(doc: Document) -> Iterator[Hit]:
            found = section(doc, name)
            if found is None or not is_unset(found.get("inCluster")):
                return
            written, key = blocks(found, block_names), doc.root.key(name)
            if written and key is not None:
                yield at_key(key, f"{name}.inCluster", message(written), fix)

        return hits

    return decorate


#: (where, what, why) of values left out ("" = no reason given).
Missing = Iterator[tuple[Where, str, str]]
#: The admin console items a section needs in an export: its values, and the credentials its
#: secret is made from.
Needed = tuple[Iterable[str], Iterable[str]]


def required(missing: Iterable[tuple[Where, str, str]]) -> Iterator[Hit]:
    """One finding per (where, what, why) left out."""
    for at, what, why in missing:
        message = f"{what} is required here: {why}" if why else f"{what} is required here"
        yield Hit(None, at.path, message, f"set {what}", at.line, at.column)


def required_values(
    needed: Callable[[Document], Needed], secret: str
) -> Callable[[Callable[[Document], Missing]], CheckFn]:
    """The check of the values a section requires: in an admin console export, the items
    ``needed`` names for it that are unset (the ``secret`` is made from the credentials); in an
    installer config, what the decorated function yields."""

    def decorate(installer: Callable[[Document], Missing]) -> CheckFn:
        @wraps(installer)
        def hits(doc: Document) -> Iterator[Hit]:
            if doc.kind is DocKind.INSTALLER:
                return required(installer(doc))
            items, credentials = needed(doc)
            return required(required_items(doc, kots_anchor(doc), items, credentials, secret))

        return hits

    return decorate


def blocks_written(
    doc: Document, name: str, block_names: Sequence[str], none: str, stops: str
) -> Generator[tuple[Where, str, str], None, list[Block]]:
    """The blocks section ``name`` writes with ``inCluster: false`` (none otherwise). Then the
    installer needs one of ``block_names``: with ``none`` written it stops with ``stops``, and
    this yields what is missing."""
    found, key = section(doc, name), doc.root.key(name)
    if found is None or in_cluster(found) is not False:
        return []
    written = blocks(found, block_names)
    if not written:
        first, second = (f"{name}.{block}" for block in block_names[:2])
        stopped = f'with inCluster: false and {none}, the installer stops with "{stops}"'
        yield where(first, key, found), f"{first} or {second}", stopped
    return written


def required_keys(path: str, written: Iterable[Block], secret: str) -> Missing:
    """(where, dotted path, why) of every key the installer requires in the blocks of section
    ``path`` that they leave out; ``secret`` says why a Secret reference is needed."""
    for name, key, block in written:
        keys = schema.REQUIRED_KEYS[f"{path}.{name}"]
        for at, full in missing_keys(f"{path}.{name}", block, key, keys):
            ref = isinstance(schema.lookup(full), schema.ObjectRef)
            yield at, full, secret if ref else "the installer requires it"


def _refs(node: YMap, path: str) -> Iterator[tuple[str, YMap]]:
    """(dotted path, mapping) of every ObjectRef written below ``node`` (at ``path``)."""
    for key, child in node.pairs:
        if not isinstance(child, YMap):
            continue
        full = f"{path}.{key.text}"
        if isinstance(schema.lookup(full), schema.ObjectRef):
            yield full, child
        else:
            yield from _refs(child, full)


def secret_name_fix(name: str) -> str:
    """Suggest the lowercase, hyphenated spelling when Kubernetes accepts it."""
    candidate = re.sub(r"[^a-z0-9.-]+", "-", name.strip().lower()).strip(".-")
    try:
        validation.run(validation.K8S_SECRET_NAME, candidate, "name")
    except RuleError:
        return f"write {validation.K8S_SECRET_NAME.form}, and create the Secret under that name"
    return f"write {candidate!r}, and create the Secret under that name"


def secret_name_check(code: str, name: str, *, unresolved: str) -> None:
    """Register ``code``: every Secret name in section ``name`` that Kubernetes refuses. No Secret
    can be created with it, so ``unresolved`` (what the section then never finds, in the check's
    text). Empty names are CFG105's."""

    def secret_name(doc: Document) -> Iterator[Hit]:
        found = section(doc, name)
        for path, ref in _refs(found, name) if found is not None else ():
            text = value(ref.get("name"), f"{path}.name")
            if text is None:
                continue
            try:
                validation.run(validation.K8S_SECRET_NAME, text.text, text.path)
            except RuleError as err:
                message = f"{err}; Kubernetes refuses this Secret name, so no Secret can have it"
                yield text.hit(message, secret_name_fix(text.text))

    check(code, unresolved=unresolved)(secret_name)


# --- admin console (KOTS ConfigValues) ----------------------------------------------------------


def kots_values(doc: Document) -> YMap:
    spec = doc.root.get("spec")
    assert isinstance(spec, YMap)
    values = spec.get("values")
    assert isinstance(values, YMap)
    return values


def kots_anchor(doc: Document) -> Where:
    """The ``values`` key, where a missing item belongs."""
    spec = doc.root.get("spec")
    assert isinstance(spec, YMap)
    return where(KOTS_VALUES, spec.key("values"), kots_values(doc))


def kots_item(doc: Document, item: str) -> Value | None:
    """``spec.values.<item>.value`` (or its ``default`` when no value is set)."""
    entry = kots_values(doc).get(item)
    if not isinstance(entry, YMap):
        return None
    for field in ("value", "default"):
        found = value(entry.get(field), f"{KOTS_VALUES}.{item}.{field}", any_scalar=True)
        if found is not None:
            return found
    return None


def kots_on(doc: Document, item: str, default: bool) -> bool:
    """A KOTS boolean item as the installer reads it (``isTruthy``: any case, no trimming), or
    ``default`` when it is not set."""
    found = kots_item(doc, item)
    return default if found is None else kots.installer_on(found.text)


def title(item: str) -> str:
    """The admin console's title of ``item``, quoted, as findings name it."""
    return f'"{config.kots_title(item)}"'


def missing_item(doc: Document, anchor: Where, item: str) -> tuple[Where, str]:
    """(where, quoted title) of an admin console item left unset: at the item if it is written,
    else at ``anchor``."""
    entry = kots_values(doc).get(item)
    at = anchor if entry is None else Where("", entry.line, entry.column)
    return Where(f"{KOTS_VALUES}.{item}.value", at.line, at.column), title(item)


def missing_items(
    doc: Document, anchor: Where, items: Iterable[str]
) -> Iterator[tuple[Where, str]]:
    """:func:`missing_item` for every item of ``items`` that is unset."""
    for item in items:
        if kots_item(doc, item) is None:
            yield missing_item(doc, anchor, item)


#: Why a checkbox other than "1" or "0" is read two ways: the templates compare exact strings.
TEMPLATES_MATCH = f"the templates match only {kots.ON!r} or {kots.OFF!r}"
#: What a check says of one reading of a checkbox: (severity, what follows from it, fix).
Reading = tuple[Severity, str, str]


def kots_checkbox(
    doc: Document, item: str, *, on: Reading, off: Reading
) -> Iterator[tuple[Severity, Hit]]:
    """The checkbox ``item`` when the templates (exact "1"/"0") and the installer (``isTruthy``)
    read its value differently: ``on`` if the installer reads it as on, else ``off``. The item is
    named by its admin console title where the guide has it."""
    found = kots_item(doc, item)
    if found is None or kots.read_bool(found.text).agree:
        return
    severity, said, fix = on if kots.installer_on(found.text) else off
    name = title(item) if item in config.KOTS_ITEMS else item
    yield severity, found.hit(f"{name} is {found.text!r}: {said}", fix)


#: Where a ConfigValues item may hold its text: ``valuePlaintext`` is how a ConfigValues file sets
#: a password item (KOTS ConfigValues reference); an export holds it encrypted in ``value``.
KOTS_SET_FIELDS = ("value", "valuePlaintext", "default")


def required_items(
    doc: Document, anchor: Where, items: Iterable[str], credentials: Iterable[str], secret: str
) -> Missing:
    """(where, quoted title, why) of every admin console item of ``items`` and ``credentials``
    left unset (the ``secret`` is made from the credentials)."""
    for at, what in missing_items(doc, anchor, items):
        yield at, what, "the admin console requires it"
    for at, what in missing_credentials(doc, anchor, credentials):
        yield at, what, f"the admin console requires it, and the {secret} secret is made from it"


def missing_credentials(
    doc: Document, anchor: Where, items: Iterable[str]
) -> Iterator[tuple[Where, str]]:
    """:func:`missing_item` for every credential item (password, key, key file) that is not set
    in any of :data:`KOTS_SET_FIELDS`."""
    values = kots_values(doc)
    for item in items:
        entry = values.get(item)
        fields = [entry.get(f) for f in KOTS_SET_FIELDS] if isinstance(entry, YMap) else []
        if all(value(node, item, any_scalar=True) is None for node in fields):
            yield missing_item(doc, anchor, item)


def unknown_item_check(code: str, group: str, prefix: str, known: Iterable[str]) -> None:
    """Register ``code``: items named like those of the admin console's ``group`` (``prefix``)
    that it does not have."""
    names = sorted(known)

    def unknown_item(doc: Document) -> Iterator[Hit]:
        for key, _ in kots_values(doc).pairs:
            if not key.text.startswith(prefix) or key.text in names:
                continue
            close = difflib.get_close_matches(key.text, names, n=1, cutoff=0.6)
            message = f"no admin console item {key.text!r} in the {group} group"
            fix = f"rename it to {close[0]!r}" if close else "remove it"
            if close:
                message += f"; did you mean {close[0]!r}?"
            yield at_key(key, f"{KOTS_VALUES}.{key.text}", message, fix)

    check(code, group=group)(unknown_item)
