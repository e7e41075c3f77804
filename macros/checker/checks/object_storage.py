"""Object storage checks (``STO``): the guide's object storage rules, applied to a config.

Both document kinds are read into one :class:`StorageView` (the storage the installer will use,
the values, where they are); every value is judged by :mod:`macros.storage`. As for the
registry, settings the installer never reads (``s3`` under ``inCluster: true``) are reported as
ignored and not checked further, and an S3 endpoint outside AWS (an S3-compatible store, which
the 2022.11 storage client did connect to) is not held to AWS's regions and hosts.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from macros import aws, gcp, registry, schema, storage
from macros.errors import RuleError
from macros.storage import StorageOption

from ..common import (
    INSTALLER,
    KOTS,
    Value,
    Where,
    at_key,
    bare,
    blocks,
    bucket_fix,
    ignored_block,
    ignored_under_in_cluster,
    in_cluster,
    is_aws_host,
    kots_anchor,
    kots_item,
    missing_credentials,
    missing_in_cluster,
    missing_item,
    missing_items,
    missing_keys,
    required,
    rule_broken,
    secret_names,
    section,
    stated_in_cluster,
    unknown_items,
    value,
    where,
)
from ..model import DocKind, Document, Hit, Severity, check
from ..tree import Key, YMap

PAGE = "object-storage.md"
OS = "objectStorage"
#: The installer's provider blocks, in the order its storage config lets them override each
#: other (``common/storage.go``: cloudStorage, then s3; ``inCluster: true`` overrides both).
PROVIDER_BLOCKS: dict[str, StorageOption] = {
    "s3": StorageOption.S3,
    "cloudStorage": StorageOption.GCS,
    "azure": StorageOption.AZURE,
}
PROVIDER_LABEL = {
    StorageOption.S3: "S3",
    StorageOption.GCS: "Cloud Storage",
    StorageOption.AZURE: "Azure",
}


#: The admin console's required credential items per provider (reference §4.4); Azure's are
#: left out, the provider is reported as removed (STO108).
KOTS_CREDENTIALS: dict[StorageOption, tuple[str, ...]] = {
    StorageOption.S3: ("store_s3_access_key_id", "store_s3_secret_access_key"),
    StorageOption.GCS: ("store_gcp_credentials",),
}


@dataclass(frozen=True)
class StorageView:
    kind: DocKind
    #: The storage the installer will use; None when the document does not say it readably.
    option: StorageOption | None
    #: The mapping key ``objectStorage`` (installer) or ``values`` (KOTS), to point at.
    anchor: Where
    region: Value | None = None
    endpoint: Value | None = None
    bucket: Value | None = None
    project: Value | None = None


def _section(doc: Document) -> YMap | None:
    return section(doc, OS)


def _blocks(mapping: YMap) -> list[tuple[str, Key, YMap]]:
    """(name, key, mapping) of every provider block written, in :data:`PROVIDER_BLOCKS` order."""
    return blocks(mapping, PROVIDER_BLOCKS)


def _metadata_region(doc: Document) -> Value | None:
    metadata = doc.root.get("metadata")
    if not isinstance(metadata, YMap):
        return None
    return value(metadata.get("region"), storage.FIELD_REGION)


def installer_view(doc: Document) -> StorageView | None:
    section = _section(doc)
    if section is None:
        return None
    anchor = where(OS, doc.root.key(OS), section)
    inc = in_cluster(section)
    if inc is None:
        return StorageView(DocKind.INSTALLER, None, anchor)
    written = _blocks(section)
    if inc or not written:
        return StorageView(DocKind.INSTALLER, StorageOption.IN_CLUSTER if inc else None, anchor)
    name, _, block = written[0]
    option = PROVIDER_BLOCKS[name]
    base = f"{OS}.{name}"
    return StorageView(
        DocKind.INSTALLER,
        option,
        anchor,
        region=_metadata_region(doc),
        endpoint=value(block.get("endpoint"), f"{base}.endpoint"),
        bucket=value(block.get("bucket"), f"{base}.bucket"),
        project=value(block.get("project"), f"{base}.project"),
    )


def kots_provider(doc: Document) -> Value | None:
    return kots_item(doc, "store_provider")


def kots_view(doc: Document) -> StorageView:
    provider = kots_provider(doc)
    option: StorageOption | None = StorageOption.IN_CLUSTER  # the item's default, incluster
    if provider is not None:
        try:
            option = storage.validate_kots_provider(provider.text, provider.path)
        except RuleError:
            option = None  # STO110 reports it
    return StorageView(
        DocKind.KOTS,
        option,
        kots_anchor(doc),
        region=kots_item(doc, "store_region"),
        endpoint=kots_item(doc, "store_s3_endpoint") if option is StorageOption.S3 else None,
        bucket=kots_item(doc, "store_s3_bucket") if option is StorageOption.S3 else None,
        project=kots_item(doc, "store_gcp_project") if option is StorageOption.GCS else None,
    )


def view(doc: Document) -> StorageView | None:
    return installer_view(doc) if doc.kind is DocKind.INSTALLER else kots_view(doc)


def _aws_endpoint_host(v: StorageView) -> str | None:
    """The endpoint's host, lowercased, if it is an AWS host (None: no endpoint, or not AWS)."""
    if v.endpoint is None:
        return None
    host = bare(v.endpoint.text).partition("/")[0].partition(":")[0].lower()
    return host if is_aws_host(host) else None


def _s3_compatible(v: StorageView) -> bool:
    """An S3 endpoint that is not AWS: its regions and hosts are the store's own."""
    return v.endpoint is not None and _aws_endpoint_host(v) is None


def _valid_region(v: StorageView) -> str | None:
    """The storage region, if the rules accept it for the option in use."""
    if v.option not in (StorageOption.S3, StorageOption.GCS) or v.region is None:
        return None
    try:
        return storage.validate_region(v.option, v.region.text, v.region.path)
    except RuleError:
        return None


# --- which storage is used ----------------------------------------------------------------------


@check(
    "STO101",
    Severity.ERROR,
    "objectStorage.inCluster is missing",
    why="The installer starts from its defaults, and `objectStorage.inCluster` defaults to "
    "`true`, which overrides everything else: with the key left out, Gitpod runs MinIO in the "
    "cluster and the `s3` or `cloudStorage` block below it is silently ignored.",
    fix="Add `inCluster: false` to use the external storage.",
    example="apiVersion: v1\n"
    "metadata:\n"
    "  region: eu-west-2\n"
    "objectStorage:\n"
    "  s3:\n"
    "    endpoint: s3.eu-west-2.amazonaws.com\n"
    "    bucket: gitpod-workspaces-eu-west-2\n"
    "    credentials:\n"
    "      kind: secret\n"
    "      name: storage-s3\n",
    docs=f"{PAGE}#which-one-wins",
    kinds=INSTALLER,
)
def in_cluster_missing(doc: Document) -> Iterator[Hit]:
    yield from missing_in_cluster(doc, OS, PROVIDER_BLOCKS, "MinIO", "storage")


@check(
    "STO109",
    Severity.WARNING,
    "Object storage settings that are never used",
    why="The installer uses one storage: `inCluster: true` overrides `s3` and `cloudStorage`, "
    "and `s3` overrides `cloudStorage`. A block it does not use has no effect, though it "
    "looks configured.",
    fix="Remove the unused block, or change `inCluster` to use it.",
    example="apiVersion: v1\n"
    "objectStorage:\n"
    "  inCluster: true\n"
    "  cloudStorage:\n"
    "    project: my-gcp-project\n"
    "    serviceAccount:\n"
    "      kind: secret\n"
    "      name: storage-gcp\n",
    docs=f"{PAGE}#which-one-wins",
    kinds=INSTALLER,
)
def ignored(doc: Document) -> Iterator[Hit]:
    found = _section(doc)
    if found is None:
        return
    explicit_true = stated_in_cluster(found) is True
    written = _blocks(found)
    for n, (name, key, _) in enumerate(written):
        path = f"{OS}.{name}"
        if explicit_true:
            yield ignored_under_in_cluster(path, name, key, "MinIO is used")
        elif n > 0 and in_cluster(found) is False and written[0][0] == "s3":
            fix = f"remove {name!r} (or 's3', to use {name!r})"
            yield ignored_block(path, key, f"{OS}.s3 is set, and s3 wins", fix)


# --- required values ----------------------------------------------------------------------------


def _missing_installer(doc: Document, v: StorageView) -> Iterator[tuple[Where, str, str]]:
    """(where, dotted path, why) of every required value left out of the installer config."""
    found = _section(doc)
    assert found is not None
    if in_cluster(found) is not False:
        return
    written = _blocks(found)
    if not written:
        yield (
            Where(f"{OS}.s3", v.anchor.line, v.anchor.column),
            f"{OS}.s3 or {OS}.cloudStorage",
            "with inCluster: false and neither, no storage is configured",
        )
        return
    name, key, block = written[0]
    for at, path in missing_keys(f"{OS}.{name}", block, key, schema.REQUIRED_KEYS[f"{OS}.{name}"]):
        why = "the installer requires it"
        if isinstance(schema.lookup(path), schema.ObjectRef):
            why = "the secret with the storage credentials; cluster validation reads it"
        yield at, path, why
    if name in ("s3", "cloudStorage") and v.region is None:
        metadata = doc.root.get("metadata")
        node = metadata.get("region") if isinstance(metadata, YMap) else None
        if node is not None:
            at = Where(storage.FIELD_REGION, node.line, node.column)
        else:
            at = where(storage.FIELD_REGION, doc.root.key("metadata"), found)
            if not isinstance(metadata, YMap):
                at = Where(storage.FIELD_REGION, v.anchor.line, v.anchor.column)
        yield (
            at,
            storage.FIELD_REGION,
            f"it is the {PROVIDER_LABEL[PROVIDER_BLOCKS[name]]} region; left out, the "
            f"default {storage.IN_CLUSTER_REGION!r} is used, which is no region",
        )


def _missing_kots(doc: Document, v: StorageView) -> Iterator[tuple[Where, str, str]]:
    items: list[tuple[str, Value | None]] = []
    if v.option is StorageOption.S3:
        items = [("store_region", v.region), ("store_s3_endpoint", v.endpoint)]
    elif v.option is StorageOption.GCS:
        items = [("store_region", v.region), ("store_gcp_project", v.project)]
    for at, what in missing_items(doc, v.anchor, items):
        yield at, what, "the admin console requires it"
    credentials = KOTS_CREDENTIALS.get(v.option) if v.option is not None else None
    for at, what in missing_credentials(doc, v.anchor, credentials or ()):
        yield at, what, "the admin console requires it, and the storage secret is made from it"


@check(
    "STO102",
    Severity.ERROR,
    "A required object storage value is missing",
    why="With `inCluster: false` the installer needs `s3` or `cloudStorage`. S3 needs "
    "`endpoint` and the `credentials` secret, Cloud Storage `project` and the "
    "`serviceAccount` secret, and both take their region from `metadata.region`, whose "
    "default `local` is no region. The admin console requires the matching fields, the access "
    "keys or the service account key included: the storage secret is made from them.",
    fix="Add the value the finding names; the guide's examples show every required field.",
    example="apiVersion: v1\n"
    "metadata:\n"
    "  region: europe-west2\n"
    "objectStorage:\n"
    "  inCluster: false\n"
    "  cloudStorage:\n"
    "    project: my-gcp-project\n",
    docs=f"{PAGE}#s3",
)
def required_missing(doc: Document) -> Iterator[Hit]:
    v = view(doc)
    if v is None:
        return
    missing = _missing_installer(doc, v) if doc.kind is DocKind.INSTALLER else _missing_kots(doc, v)
    yield from required(missing)


@check(
    "STO107",
    Severity.WARNING,
    "No S3 bucket",
    why="Gitpod 2022.11 accepts S3 storage without a bucket and then creates one bucket per "
    "user; installers from 2022-12-09 on require `objectStorage.s3.bucket`. Name one bucket.",
    fix="Set the bucket (created beforehand, in the storage region).",
    example="apiVersion: kots.io/v1beta1\n"
    "kind: ConfigValues\n"
    "spec:\n"
    "  values:\n"
    "    store_provider:\n"
    "      value: s3\n"
    "    store_region:\n"
    "      value: eu-west-2\n"
    "    store_s3_endpoint:\n"
    "      value: s3.eu-west-2.amazonaws.com\n"
    "    store_s3_access_key_id:\n"
    '      value: "<your S3 access key ID>"\n'
    "    store_s3_secret_access_key:\n"
    '      valuePlaintext: "<your S3 secret access key>"\n',
    docs=f"{PAGE}#s3",
)
def bucket_missing(doc: Document) -> Iterator[Hit]:
    v = view(doc)
    if v is None or v.option is not StorageOption.S3 or v.bucket is not None:
        return
    since = storage.S3_BUCKET_REQUIRED_SINCE.isoformat()
    if doc.kind is DocKind.KOTS:
        at, what = missing_item(doc, v.anchor, "store_s3_bucket")
    else:
        found = _section(doc)
        assert found is not None
        s3 = found.get("s3")
        key = found.key("s3")
        assert isinstance(s3, YMap) and key is not None
        node = s3.get("bucket")
        what = storage.FIELD_BUCKET
        at = where(what, key if node is None else None, node or s3)
    yield Hit(
        None,
        at.path,
        f"no bucket: Gitpod 2022.11 then creates one bucket per user, and installers from "
        f"{since} on reject the config without {storage.FIELD_BUCKET}",
        f"set {what} to one bucket in the storage region",
        at.line,
        at.column,
    )


# --- the values ---------------------------------------------------------------------------------


def _region_fix(option: StorageOption, value: str) -> str:
    if option is StorageOption.S3:
        close = aws.closest_regions(value, 1)
        return f"write {close[0]!r}" if close else f"write {aws.REGION_TO_WRITE}"
    close = gcp.closest_regions(value, 1)
    return f"write {close[0]!r}" if close else f"write {gcp.REGION_TO_WRITE}"


@check(
    "STO103",
    Severity.ERROR,
    "Storage region is not a region of the provider",
    why="`metadata.region` (the admin console's storage region) is the bucket's region: an AWS "
    "region code for S3, a GCP region for Cloud Storage. Another provider's code, a zone or a "
    "typo names no region, and every storage request fails.",
    fix="Use the bucket's region code, as its provider spells it.",
    example="apiVersion: v1\n"
    "metadata:\n"
    "  region: europe-west2\n"
    "objectStorage:\n"
    "  inCluster: false\n"
    "  s3:\n"
    "    endpoint: s3.eu-west-2.amazonaws.com\n"
    "    bucket: gitpod-workspaces-eu-west-2\n"
    "    credentials:\n"
    "      kind: secret\n"
    "      name: storage-s3\n",
    docs=f"{PAGE}#s3",
)
def region_unknown(doc: Document) -> Iterator[Hit]:
    v = view(doc)
    if v is None or v.region is None or v.option not in (StorageOption.S3, StorageOption.GCS):
        return
    if v.option is StorageOption.S3 and _s3_compatible(v):
        return  # an S3-compatible store names its regions itself
    option, region = v.option, v.region
    yield from rule_broken(
        region,
        lambda text, path: storage.validate_region(option, text, path),
        lambda _: _region_fix(option, region.text),
    )


@check(
    "STO104",
    Severity.ERROR,
    "S3 endpoint is not the S3 host of the storage region",
    why="The endpoint is a bare host (no `https://`, no path) that serves the region in "
    "`metadata.region`. The admin console pre-fills `s3.amazonaws.com`, which serves only "
    "us-east-1 buckets; each region, and each AWS partition's domain, has its own host.",
    fix="Enter the endpoint the finding names: the S3 host of the bucket's region.",
    example="apiVersion: kots.io/v1beta1\n"
    "kind: ConfigValues\n"
    "spec:\n"
    "  values:\n"
    "    store_provider:\n"
    "      value: s3\n"
    "    store_region:\n"
    "      value: eu-west-2\n"
    "    store_s3_endpoint:\n"
    "      value: s3.amazonaws.com\n"
    "    store_s3_bucket:\n"
    "      value: gitpod-workspaces-eu-west-2\n"
    "    store_s3_access_key_id:\n"
    '      value: "<your S3 access key ID>"\n'
    "    store_s3_secret_access_key:\n"
    '      valuePlaintext: "<your S3 secret access key>"\n',
    docs=f"{PAGE}#s3",
)
def endpoint_region(doc: Document) -> Iterator[Hit]:
    v = view(doc)
    if v is None or v.option is not StorageOption.S3 or v.endpoint is None:
        return
    if _aws_endpoint_host(v) is None:
        return  # not AWS: an S3-compatible store
    region = _valid_region(v)
    if region is None or v.region is None:
        return  # STO102 or STO103 reports the region
    region_path = v.region.path
    expected, note = aws.s3_endpoint_like(bare(v.endpoint.text).partition("/")[0], region)
    yield from rule_broken(
        v.endpoint,
        lambda text, path: storage.validate_s3_endpoint(text, region, path, region_path),
        f"write {expected!r}" + (f" ({note})" if note else ""),
    )


@check(
    "STO105",
    Severity.ERROR,
    "Invalid S3 bucket name",
    why="S3 rejects the name: bucket names are 3-63 lowercase letters, digits, dots and "
    "hyphens, with reserved prefixes and suffixes.",
    fix="Use a valid bucket name (lowercase, no underscores).",
    example="apiVersion: v1\n"
    "metadata:\n"
    "  region: eu-west-2\n"
    "objectStorage:\n"
    "  inCluster: false\n"
    "  s3:\n"
    "    endpoint: s3.eu-west-2.amazonaws.com\n"
    "    bucket: Gitpod_Workspaces\n"
    "    credentials:\n"
    "      kind: secret\n"
    "      name: storage-s3\n",
    docs=f"{PAGE}#s3",
)
def bucket_name(doc: Document) -> Iterator[Hit]:
    v = view(doc)
    if v is None or v.option is not StorageOption.S3 or v.bucket is None:
        return
    bucket = v.bucket
    yield from rule_broken(bucket, storage.validate_bucket, lambda _: bucket_fix(bucket.text))


@check(
    "STO106",
    Severity.ERROR,
    "Invalid Google Cloud project ID for Cloud Storage",
    why="Cloud Storage needs the project ID (not the project's name or number): 6-30 "
    "lowercase letters, digits and hyphens, starting with a letter, or a domain-scoped ID "
    "such as `example.com:my-project`.",
    fix="Enter the project ID, as `gcloud projects list` shows it.",
    example="apiVersion: v1\n"
    "metadata:\n"
    "  region: europe-west2\n"
    "objectStorage:\n"
    "  inCluster: false\n"
    "  cloudStorage:\n"
    "    project: My GCP Project\n"
    "    serviceAccount:\n"
    "      kind: secret\n"
    "      name: storage-gcp\n",
    docs=f"{PAGE}#gcs",
)
def project_id(doc: Document) -> Iterator[Hit]:
    v = view(doc)
    if v is None or v.option is not StorageOption.GCS or v.project is None:
        return
    fix = f"write {gcp.PROJECT_FORM}"
    yield from rule_broken(v.project, storage.validate_gcs_project, fix)


@check(
    "STO112",
    Severity.ERROR,
    "Secret name is not a valid Kubernetes name",
    why="The installer config names Secrets by their Kubernetes names, and Kubernetes names "
    "are DNS subdomains: lowercase letters, digits, `-` and `.`, starting and ending with a "
    "letter or digit, at most 253 characters. No Secret can have another name, so the "
    "storage credentials are never found.",
    fix="Name the Secret validly (lowercase, hyphens) and write that name.",
    example="apiVersion: v1\n"
    "metadata:\n"
    "  region: eu-west-2\n"
    "objectStorage:\n"
    "  inCluster: false\n"
    "  s3:\n"
    "    endpoint: s3.eu-west-2.amazonaws.com\n"
    "    bucket: gitpod-workspaces-eu-west-2\n"
    "    credentials:\n"
    "      kind: secret\n"
    "      name: Storage_S3\n",
    docs=f"{PAGE}#s3",
    kinds=INSTALLER,
)
def secret_name(doc: Document) -> Iterator[Hit]:
    yield from secret_names(doc, OS)


@check(
    "STO113",
    Severity.ERROR,
    "S3 endpoint port outside 1-65535",
    why="An S3-compatible store's endpoint may carry a port, and a TCP port is a number from "
    "1 to 65535: with another the storage client reaches no server.",
    fix="Write the port the store listens on, or leave it out for the default.",
    example="apiVersion: v1\n"
    "metadata:\n"
    "  region: garage-1\n"
    "objectStorage:\n"
    "  inCluster: false\n"
    "  s3:\n"
    "    endpoint: minio.example.com:99999\n"
    "    bucket: gitpod-workspaces\n"
    "    credentials:\n"
    "      kind: secret\n"
    "      name: storage-s3\n",
    docs=f"{PAGE}#s3",
)
def endpoint_port(doc: Document) -> Iterator[Hit]:
    v = view(doc)
    if v is None or v.option is not StorageOption.S3 or v.endpoint is None:
        return
    if _aws_endpoint_host(v) is not None:
        return  # an AWS endpoint takes no port at all: STO104 says so
    host = bare(v.endpoint.text).partition("/")[0]
    try:
        registry.validate_port_of(host, v.endpoint.path)
    except RuleError as err:
        name = host.partition(":")[0]
        yield Hit(v.endpoint.node, v.endpoint.path, str(err), f"write {name!r} with its real port")


# --- Azure and the admin console's provider ----------------------------------------------------


@check(
    "STO108",
    Severity.WARNING,
    "Azure Blob Storage was removed from the installer",
    why="Gitpod 2022.11 still had Azure Blob Storage, but the installer dropped it on "
    "2023-02-01: from then on the config is rejected, and the admin console's Azure choice "
    'ends in "unknown storage provider".',
    fix="Move workspace content to S3, Cloud Storage or the in-cluster MinIO.",
    example="apiVersion: kots.io/v1beta1\n"
    "kind: ConfigValues\n"
    "spec:\n"
    "  values:\n"
    "    store_provider:\n"
    "      value: azure\n"
    "    store_region:\n"
    "      value: uksouth\n",
    docs=f"{PAGE}#azure",
)
def azure(doc: Document) -> Iterator[Hit]:
    removed = storage.AZURE_REMOVED.isoformat()
    fix = "use S3, Cloud Storage or in-cluster storage"
    if doc.kind is DocKind.KOTS:
        provider = kots_provider(doc)
        if provider is not None and kots_view(doc).option is StorageOption.AZURE:
            message = f"Azure Blob Storage: the installer removed it on {removed}"
            yield Hit(provider.node, provider.path, message, fix)
        return
    found = _section(doc)
    key = found.key("azure") if found is not None else None
    if key is not None:
        message = f"{OS}.azure: Azure Blob Storage was removed from the installer on {removed}"
        yield at_key(key, f"{OS}.azure", message, fix)


@check(
    "STO110",
    Severity.ERROR,
    "Unknown storage provider",
    why='The admin console\'s "Storage provider" is a select: `incluster`, `s3`, `gcp` or '
    '`azure`. Any other value makes the installer stop with "unknown storage provider".',
    fix="Use one of the select's values (lowercase).",
    example="apiVersion: kots.io/v1beta1\n"
    "kind: ConfigValues\n"
    "spec:\n"
    "  values:\n"
    "    store_provider:\n"
    "      value: gcs\n",
    kinds=KOTS,
)
def kots_provider_unknown(doc: Document) -> Iterator[Hit]:
    provider = kots_provider(doc)
    if provider is None:
        return
    try:
        storage.validate_kots_provider(provider.text, provider.path)
    except RuleError as err:
        # The installer's switch on STORE_PROVIDER (envvars.go:295-330 at the 2022.11 tags) and
        # the templates' ConfigOptionEquals "store_provider" (gitpod-storage-*-secret.yaml:12).
        message = (
            f'{err}: the installer stops with "unknown storage provider: {provider.text}", '
            "and the templates make no storage Secret"
        )
        fix = err.hint or f"write {storage.KOTS_PROVIDER_FORM}"
        yield Hit(provider.node, provider.path, message, fix)


@check(
    "STO111",
    Severity.WARNING,
    "Unknown object storage item",
    why="The admin console has no such item in its object storage group: the value is never "
    "used, and the field it was meant for keeps its default.",
    fix="Rename the item to the one the finding names.",
    example="apiVersion: kots.io/v1beta1\n"
    "kind: ConfigValues\n"
    "spec:\n"
    "  values:\n"
    "    store_provider:\n"
    "      value: incluster\n"
    "    store_s3_bucketname:\n"
    "      value: gitpod-workspaces\n",
    kinds=KOTS,
)
def kots_unknown_item(doc: Document) -> Iterator[Hit]:
    prefix, known = schema.KOTS_STORAGE_PREFIX, schema.KOTS_STORAGE_ITEMS
    yield from unknown_items(doc, prefix, known, "object storage")
