"""Object storage checks (``STO``): the guide's object storage rules, applied to a config.

Both document kinds are read into one :class:`StorageView` (the storage the installer will use, the
values, where they are); every value is judged by :mod:`gitpod_resources.storage`. A block the
storage config does not use is reported with what it still does (its secret is mounted into three
components, or checked by ``installer validate cluster``) and not checked further; an S3 endpoint
outside AWS (an S3-compatible store, which the 2022.11 storage client connects to) is not held to
AWS's regions and hosts.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from gitpod_resources import aws, gcp, schema, storage
from gitpod_resources.errors import RuleError
from gitpod_resources.storage import StorageOption

from ..common import (
    Block,
    Missing,
    Needed,
    Value,
    View,
    Where,
    at_key,
    bare,
    blocks,
    blocks_written,
    bucket_name_check,
    in_cluster,
    in_cluster_default,
    is_aws_host,
    kots_anchor,
    kots_item,
    missing_item,
    named,
    port_broken,
    read_section,
    ref_name,
    required_keys,
    required_values,
    rule_broken,
    secret_name_check,
    section,
    stated_in_cluster,
    still_validated,
    unknown_item_check,
    value,
    where,
)
from ..model import DocKind, Document, Hit, Severity, check, split
from ..tree import YMap

OS = "objectStorage"
#: The installer's provider blocks (``common/storage.go``: the storage config takes
#: cloudStorage, then s3 over it, then MinIO over both for ``inCluster: true`` or azure; the
#: secret mounted is cloudStorage's, else s3's, whatever inCluster and azure say).
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


#: The admin console's required items per provider, and its credentials (reference §4.4);
#: Azure's are left out: the guide does not cover Azure (STO108 says what it is).
KOTS_NEEDED: dict[StorageOption | None, Needed] = {
    StorageOption.S3: (
        ["store_region", "store_s3_endpoint"],
        ["store_s3_access_key_id", "store_s3_secret_access_key"],
    ),
    StorageOption.GCS: (["store_region", "store_gcp_project"], ["store_gcp_credentials"]),
}


@dataclass(frozen=True)
class StorageView(View):
    #: The storage the installer will use; None when the document does not say it readably.
    option: StorageOption | None
    region: Value | None = None
    endpoint: Value | None = None
    bucket: Value | None = None
    project: Value | None = None


def _metadata_region(doc: Document) -> Value | None:
    metadata = doc.root.get("metadata")
    if not isinstance(metadata, YMap):
        return None
    return value(metadata.get("region"), storage.FIELD_REGION)


def _used(written: list[Block]) -> Block:
    """The block the storage config uses with ``inCluster: false``: azure (the MinIO gateway)
    over s3 over cloudStorage."""
    for name in ("azure", "s3", "cloudStorage"):
        for found in written:
            if found[0] == name:
                return found
    raise ValueError("no block written")


def installer_view(doc: Document) -> StorageView | None:
    found = read_section(doc, OS)
    if found is None:
        return None
    mapping, anchor, inc = found
    if inc is None:
        return StorageView(DocKind.INSTALLER, anchor, None)
    written = blocks(mapping, PROVIDER_BLOCKS)
    if inc or not written:
        return StorageView(DocKind.INSTALLER, anchor, StorageOption.IN_CLUSTER if inc else None)
    name, _, block = _used(written)
    option = PROVIDER_BLOCKS[name]
    base = f"{OS}.{name}"
    return StorageView(
        DocKind.INSTALLER,
        anchor,
        option,
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
        kots_anchor(doc),
        option,
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

#: The components the storage secret is mounted into.
MOUNTED_INTO = "content-service, ws-daemon and ws-manager"


#: The reference naming each block's secret.
SECRET_REF = {"s3": "credentials", "cloudStorage": "serviceAccount", "azure": "credentials"}


def _mounted(written: list[Block]) -> str | None:
    """The block whose secret the installer mounts: cloudStorage's, else s3's (never azure's)."""
    names = [name for name, _, _ in written]
    for name in ("cloudStorage", "s3"):
        if name in names:
            return name
    return None


def _still(name: str, block: YMap, mounted: str | None) -> str:
    """What a block the storage config does not use still does."""
    if name != mounted:
        return still_validated(block, SECRET_REF[name])
    secret = ref_name(block, SECRET_REF[name])
    what = f"its secret {secret!r}" if secret else "its secret"
    return (
        f"{what} is still mounted into {MOUNTED_INTO}, so it must exist, and "
        "installer validate cluster checks it"
    )


@check("STO101")
@in_cluster_default(OS, PROVIDER_BLOCKS, "add 'inCluster: false' to use the external storage")
def in_cluster_missing(written: list[Block]) -> str:
    message = (
        f"{OS}.inCluster is missing, so its default true applies: workspace content goes to "
        f"MinIO in the cluster, not to {named(written)}"
    )
    mounted = _mounted(written)
    if mounted is not None:
        block = next(b for n, _, b in written if n == mounted)
        message += f"; {_still(mounted, block, mounted)}"
    return message


@split(error=check("STO116"), warning=check("STO109"))
def unused(doc: Document) -> Iterator[tuple[Severity, Hit]]:
    """Every block the storage config does not use, with what it still does; an s3 block whose
    client gets the Cloud Storage secret is an error (the S3 keys are not in it)."""
    found = section(doc, OS)
    if found is None:
        return
    written = blocks(found, PROVIDER_BLOCKS)
    names = [name for name, _, _ in written]
    mounted = _mounted(written)
    explicit_true = stated_in_cluster(found) is True
    if not explicit_true and in_cluster(found) is not False:
        return  # inCluster left out (STO101) or not a boolean (CFG103)
    secrets = {name: ref_name(block, SECRET_REF[name]) for name, _, block in written}
    # s3 beside cloudStorage, same secret: S3 reads its keys from the secret mounted.
    shared = (
        "s3" in secrets
        and secrets["s3"] is not None
        and secrets["s3"] == secrets.get("cloudStorage")
    )
    for name, key, block in written:
        path = f"{OS}.{name}"
        if explicit_true:
            because = "inCluster is true, so workspace content goes to MinIO in the cluster"
        elif name != "azure" and "azure" in names:
            because = "azure is set, so workspace content goes to the MinIO Azure gateway"
        elif name == "cloudStorage" and shared:
            because = f"{OS}.s3 is set, and the storage config uses s3 (with the same secret)"
        else:
            continue
        fix = f"remove {name!r}, or set 'inCluster: false' and keep only {name!r}"
        message = f"{path} is not used for storage: {because}; {_still(name, block, mounted)}"
        yield Severity.WARNING, at_key(key, path, message, fix)
    if explicit_true or "azure" in names or shared or not {"s3", "cloudStorage"} <= set(names):
        return
    s3_key = next(k for n, k, _ in written if n == "s3")
    gcs_secret = secrets["cloudStorage"]
    yield (
        Severity.ERROR,
        at_key(
            s3_key,
            f"{OS}.s3",
            f"{OS}.s3 and {OS}.cloudStorage are both set: the storage config uses s3, but the "
            f"secret mounted into {MOUNTED_INTO} is cloudStorage's "
            f"({gcs_secret or 'unnamed'!r}), so the S3 client finds no "
            f"{storage.S3_ACCESS_KEY_ID!r} file and S3 storage fails",
            f"remove {OS}.cloudStorage to use S3 (or {OS}.s3 to use Cloud Storage)",
        ),
    )


# --- required values ----------------------------------------------------------------------------


def _creates_buckets(v: StorageView) -> bool:
    """Whether Gitpod creates every user's bucket in the storage region: always for Cloud
    Storage, for S3 when no bucket is named."""
    return v.option is StorageOption.GCS or (v.option is StorageOption.S3 and v.bucket is None)


def _region_anchor(doc: Document, v: StorageView) -> Where:
    """Where ``metadata.region`` belongs when it is left out."""
    found = section(doc, OS)
    assert found is not None
    metadata = doc.root.get("metadata")
    node = metadata.get("region") if isinstance(metadata, YMap) else None
    if node is not None:
        return Where(storage.FIELD_REGION, node.line, node.column)
    if not isinstance(metadata, YMap):
        return v.anchor.with_path(storage.FIELD_REGION)
    return where(storage.FIELD_REGION, doc.root.key("metadata"), found)


@check("STO102")
@required_values(lambda doc: KOTS_NEEDED.get(kots_view(doc).option, ([], [])), "storage")
def required_missing(doc: Document) -> Missing:
    none, stops = "no storage block", "no valid storage configuration set"
    written = yield from blocks_written(doc, OS, list(PROVIDER_BLOCKS), none, stops)
    if not written:
        return
    used = _used(written)
    secret = "the secret with the storage credentials; cluster validation reads it"
    yield from required_keys(OS, [used], secret)
    v = installer_view(doc)
    if v is not None and v.region is None and _creates_buckets(v):
        label = PROVIDER_LABEL[PROVIDER_BLOCKS[used[0]]]
        yield (
            _region_anchor(doc, v),
            storage.FIELD_REGION,
            f"Gitpod creates every user's {label} bucket in it; left out, the default "
            f"{storage.IN_CLUSTER_REGION!r} is used, which is no region",
        )


@check("STO107", bucket=storage.PER_USER_BUCKET)
def bucket_missing(doc: Document) -> Iterator[Hit]:
    v = view(doc)
    if v is None or v.option is not StorageOption.S3 or v.bucket is not None:
        return
    if doc.kind is DocKind.KOTS:
        at, what = missing_item(doc, v.anchor, "store_s3_bucket")
    else:
        found = section(doc, OS)
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
        f"no bucket: Gitpod 2022.11 then creates a bucket {storage.PER_USER_BUCKET!r} for "
        f"every user, in {storage.FIELD_REGION}",
        f"set {what} to one bucket, created beforehand in the storage region",
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


@check("STO103")
def region_unknown(doc: Document) -> Iterator[Hit]:
    v = view(doc)
    if v is None or v.region is None or not _creates_buckets(v):
        return
    if v.option is StorageOption.S3 and _s3_compatible(v):
        return  # an S3-compatible store names its regions itself
    assert v.option is not None
    option, region = v.option, v.region
    yield from rule_broken(
        region,
        lambda text, path: storage.validate_region(option, text, path),
        lambda _: _region_fix(option, region.text),
    )


@check("STO115")
def region_for_named_bucket(doc: Document) -> Iterator[Hit]:
    v = view(doc)
    if v is None or v.option is not StorageOption.S3 or v.bucket is None or _s3_compatible(v):
        return
    later = (
        "Gitpod uses it only to create the bucket if the bucket does not exist, and that "
        "creation would fail"
    )
    if v.region is not None:
        region = v.region
        for hit in rule_broken(
            region,
            lambda text, path: storage.validate_region(StorageOption.S3, text, path),
            lambda _: _region_fix(StorageOption.S3, region.text),
        ):
            yield Hit(hit.node, hit.path, f"{hit.message}; {later}", hit.fix)
        return
    if doc.kind is DocKind.INSTALLER:
        at = _region_anchor(doc, v)
        yield Hit(
            None,
            at.path,
            f"{storage.FIELD_REGION} is left out, so its default {storage.IN_CLUSTER_REGION!r} "
            f"applies, which is no AWS region; {later}",
            f"set {storage.FIELD_REGION} to the bucket's region",
            at.line,
            at.column,
        )


@check("STO104")
def endpoint_region(doc: Document) -> Iterator[Hit]:
    v = view(doc)
    if v is None or v.option is not StorageOption.S3 or v.endpoint is None:
        return
    if _aws_endpoint_host(v) is None:
        return  # not AWS: an S3-compatible store
    region = _valid_region(v)
    if region is None or v.region is None:
        return  # STO102, STO103 or STO115 reports the region
    region_path = v.region.path
    expected, note = aws.s3_endpoint_like(bare(v.endpoint.text).partition("/")[0], region)
    yield from rule_broken(
        v.endpoint,
        lambda text, path: storage.validate_s3_endpoint(text, region, path, region_path),
        f"write {expected!r}" + (f" ({note})" if note else ""),
    )


def _client_route(v: StorageView) -> tuple[str, str] | None:
    """(message, fix) when Gitpod 2022.11's S3 client sends the bucket's requests somewhere
    that cannot serve them, for an endpoint STO104 accepts."""
    host = _aws_endpoint_host(v)
    region = _valid_region(v)
    if host is None or region is None or v.option is not StorageOption.S3:
        return None
    if not storage.minio_is_amazon(host):
        return None
    try:
        storage.validate_s3_endpoint(host, region)
    except RuleError:
        return None  # STO104
    client = f"Gitpod 2022.11's S3 client (minio-go {storage.MINIO_GO_VERSION})"
    read = storage.minio_region(host)
    if read and read != region:
        sent = host if storage.minio_keeps_host(host) else storage.minio_request_host(read)
        return (
            f"{client} reads the region {read!r} from {host!r} and signs every request for it, "
            f"sending them to {sent!r}: expect S3 to refuse them",
            f"write {aws.s3_endpoint(region)!r}",
        )
    target = read or region
    if storage.minio_keeps_host(host) or not storage.minio_lacks_region(target):
        return None
    return (
        f"{client} has no host for {target!r} and sends the requests for a bucket there to "
        f"{storage.MINIO_FALLBACK_HOST!r}: expect them to fail",
        "use a bucket in a region the client maps (listed under STO114 on the check page)",
    )


_MAPPED = ", ".join(f"`{r}`" for r in sorted(storage.MINIO_S3_HOSTS))


@check(
    "STO114", version=storage.MINIO_GO_VERSION, fallback=storage.MINIO_FALLBACK_HOST, mapped=_MAPPED
)
def client_route(doc: Document) -> Iterator[Hit]:
    v = view(doc)
    if v is None or v.endpoint is None:
        return
    found = _client_route(v)
    if found is not None:
        yield v.endpoint.hit(*found)


def _s3_bucket(doc: Document) -> Value | None:
    v = view(doc)
    return v.bucket if v is not None and v.option is StorageOption.S3 else None


bucket_name_check("STO105", _s3_bucket)


@check("STO106")
def project_id(doc: Document) -> Iterator[Hit]:
    v = view(doc)
    if v is None or v.option is not StorageOption.GCS or v.project is None:
        return
    fix = f"write {gcp.PROJECT_FORM}"
    yield from rule_broken(v.project, storage.validate_gcs_project, fix)


secret_name_check("STO112", OS, unresolved="the storage credentials are never found")


@check("STO113")
def endpoint_port(doc: Document) -> Iterator[Hit]:
    v = view(doc)
    if v is None or v.option is not StorageOption.S3 or v.endpoint is None:
        return
    if _aws_endpoint_host(v) is not None:
        return  # an AWS endpoint takes no port at all: STO104 says so
    yield from port_broken(v.endpoint, bare(v.endpoint.text).partition("/")[0])


# --- Azure and the admin console's provider ----------------------------------------------------


@check("STO108", tag=storage.AZURE_GATEWAY_IMAGE_TAG)
def azure(doc: Document) -> Iterator[Hit]:
    what = "Azure Blob Storage: Gitpod 2022.11 keeps workspace content in it through a MinIO "
    what += "Azure gateway it deploys in the cluster; this checker checks none of its values"
    if doc.kind is DocKind.KOTS:
        provider = kots_provider(doc)
        if provider is not None and kots_view(doc).option is StorageOption.AZURE:
            fix = "check the account name and access key you enter: the secret is made from them"
            yield provider.hit(what, fix)
        return
    found = section(doc, OS)
    key = found.key("azure") if found is not None else None
    if found is None or key is None or in_cluster(found) is not False:
        return  # under inCluster true (or left out) STO109 or STO101 says it is not used
    keys = " and ".join(repr(k) for k in storage.AZURE_SECRET_KEYS)
    fix = f"make sure its secret holds the storage account's {keys}"
    yield at_key(key, f"{OS}.azure", f"{OS}.azure is {what[0].lower()}{what[1:]}", fix)


@check("STO110")
def kots_provider_unknown(doc: Document) -> Iterator[Hit]:
    provider = kots_provider(doc)
    if provider is None:
        return
    try:
        storage.validate_kots_provider(provider.text, provider.path)
    except RuleError as err:
        # The installer's switch on STORE_PROVIDER (envvars.go:301-331 at the 2022.11 tags) and
        # the templates' ConfigOptionEquals "store_provider" (gitpod-storage-*-secret.yaml:12).
        message = (
            f'{err}: the installer stops with "unknown storage provider: {provider.text}", '
            "and the templates make no storage Secret"
        )
        fix = err.hint or f"write {storage.KOTS_PROVIDER_FORM}"
        yield provider.hit(message, fix)


unknown_item_check(
    "STO111", "object storage", schema.KOTS_STORAGE_PREFIX, schema.KOTS_STORAGE_ITEMS
)
