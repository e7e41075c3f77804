"""Container registry checks (``REG``, ``KOTS``): the guide's registry rules, applied to a config.

Both document kinds are read into one :class:`RegistryView` (the value, where it is, its dotted
path); each check then asks the rules modules. Values the configuration does not use (an
``external`` block under ``inCluster: true``) are reported as ignored, not checked further.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from gitpod_resources import aws, gcp, kots, registry, schema
from gitpod_resources.errors import RuleError
from gitpod_resources.registry import Option

from ..common import (
    TEMPLATES_MATCH,
    Block,
    Value,
    View,
    Where,
    at_key,
    bare,
    blocks,
    bucket_name_check,
    in_cluster_default,
    is_aws_host,
    kots_anchor,
    kots_checkbox,
    kots_item,
    kots_on,
    kots_values,
    missing_credentials,
    missing_items,
    missing_keys,
    port_broken,
    read_section,
    required,
    rule_broken,
    secret_name_check,
    section,
    stated_in_cluster,
    title,
    unknown_item_check,
    value,
)
from ..model import DocKind, Document, Hit, Severity, check, on, split
from ..tree import Key, YMap, YScalar

CR = "containerRegistry"


@dataclass(frozen=True)
class RegistryView(View):
    #: True/False, or None when the document states it in a form the checks cannot read.
    in_cluster: bool | None
    url: Value | None = None
    server: Value | None = None
    bucket: Value | None = None
    region: Value | None = None
    endpoint: Value | None = None
    #: The S3 backend is configured (installer: ``s3storage`` present; KOTS: storage "s3").
    s3: bool = False


def installer_view(doc: Document) -> RegistryView | None:
    found = read_section(doc, CR)
    if found is None:
        return None
    cr, anchor, inc = found
    external, s3 = cr.get("external"), cr.get("s3storage")
    ext = external if isinstance(external, YMap) else YMap(0, 0)
    s3m = s3 if isinstance(s3, YMap) else YMap(0, 0)
    base = f"{CR}.s3storage"
    return RegistryView(
        DocKind.INSTALLER,
        anchor,
        inc,
        url=value(ext.get("url"), f"{CR}.external.url"),
        bucket=value(s3m.get("bucket"), f"{base}.bucket"),
        region=value(s3m.get("region"), f"{base}.region"),
        endpoint=value(s3m.get("endpoint"), f"{base}.endpoint"),
        s3=isinstance(s3, YMap),
    )


def kots_view(doc: Document) -> RegistryView:
    """What the installer builds from the values (:mod:`gitpod_resources.kots`): the registry in the
    cluster when ``isTruthy``, S3 storage for exactly "s3"."""
    on = kots_on(doc, "reg_incluster", True)
    storage = kots_item(doc, "reg_incluster_storage")
    s3 = on and storage is not None and storage.text == kots.REGISTRY_STORAGE_S3
    return RegistryView(
        DocKind.KOTS,
        kots_anchor(doc),
        on,
        url=kots_item(doc, "reg_url"),
        server=kots_item(doc, "reg_server"),
        bucket=kots_item(doc, "reg_incluster_storage_s3_bucketname"),
        region=kots_item(doc, "reg_incluster_storage_s3_region"),
        endpoint=kots_item(doc, "reg_incluster_storage_s3_endpoint"),
        s3=s3,
    )


def view(doc: Document) -> RegistryView | None:
    return installer_view(doc) if doc.kind is DocKind.INSTALLER else kots_view(doc)


def external_url(doc: Document) -> Value | None:
    """The registry URL, when the document uses an external registry."""
    v = view(doc)
    return v.url if v is not None and v.in_cluster is False else None


def s3_values(doc: Document) -> RegistryView | None:
    """The view, when the in-cluster registry's S3 backend is in use."""
    v = view(doc)
    return v if v is not None and v.in_cluster is True and v.s3 else None


def usable_url(url: Value) -> str | None:
    """The URL with any scheme or trailing slash removed, if the rest is a valid registry URL."""
    try:
        return registry.validate_url(bare(url.text))
    except RuleError:
        return None


# --- structure ----------------------------------------------------------------------------------


@check("REG201")
@in_cluster_default(CR, ["external"], "add 'inCluster: false' to use the external one")
def in_cluster_missing(written: list[Block]) -> str:
    return (
        f"{CR}.inCluster is missing: the installer accepts that and applies its default true, "
        "so the in-cluster registry runs and 'external' is not used"
    )


def _kots_credentials(v: RegistryView) -> list[str]:
    """The admin console's required credential items (reference §2.5, §2.6): the external
    registry's login, from which the pull/push secret is made; the S3 backend's keys."""
    if v.in_cluster is False:
        return ["reg_username", "reg_password"]
    if v.s3:
        return ["reg_incluster_storage_s3_accesskey", "reg_incluster_storage_s3_secretkey"]
    return []


def _missing(doc: Document) -> Iterator[tuple[Where, str]]:
    """(where it belongs, dotted path or title) of every required registry value not set."""
    v = view(doc)
    if v is None:
        return
    if doc.kind is DocKind.KOTS:
        needed = ["reg_url"] if v.in_cluster is False else []
        if v.s3:
            needed += [
                "reg_incluster_storage_s3_region",
                "reg_incluster_storage_s3_endpoint",
                "reg_incluster_storage_s3_bucketname",
            ]
        yield from missing_items(doc, v.anchor, needed)
        yield from missing_credentials(doc, v.anchor, _kots_credentials(v))
        return
    cr = section(doc, CR)
    assert cr is not None
    required: list[tuple[str, YMap, Key | None, tuple[str, ...]]] = []
    if v.in_cluster is False:
        external = cr.get("external")
        if external is None or (isinstance(external, YScalar) and external.is_null):
            yield v.anchor.with_path(f"{CR}.external"), f"{CR}.external (with url and certificate)"
        elif isinstance(external, YMap):
            required.append(("external", external, cr.key("external"), ("url", "certificate")))
    s3 = cr.get("s3storage")
    if isinstance(s3, YMap):
        keys: tuple[str, ...] = ("bucket", "region", "endpoint", "certificate")
        required.append(("s3storage", s3, cr.key("s3storage"), keys))
    for name, mapping, key, keys in required:
        # An all-blank string counts as set here (unlike object storage and database).
        yield from missing_keys(f"{CR}.{name}", mapping, key, keys, strip=False)


@check("REG202")
def required_missing(doc: Document) -> Iterator[Hit]:
    yield from required((at, what, "") for at, what in _missing(doc))


@split(external=check("REG215"), s3storage=check("REG216"))
def ignored(doc: Document) -> Iterator[tuple[str, Hit]]:
    """The block the installer never reads: ``external`` with ``inCluster: true``, ``s3storage``
    (the in-cluster registry's storage) with ``inCluster: false``."""
    cr = section(doc, CR)
    stated = stated_in_cluster(cr) if cr is not None else None
    if cr is None or stated is None:
        return
    unused, use = ("external", "use it") if stated else ("s3storage", "use the S3 backend")
    for name, key, _ in blocks(cr, [unused]):
        path = f"{CR}.{name}"
        message = f"{path} is ignored because inCluster is {str(stated).lower()}"
        fix = f"remove {name!r}, or set 'inCluster: {str(not stated).lower()}' to {use}"
        yield name, at_key(key, path, message, fix)


# --- the external registry URL ------------------------------------------------------------------


def _recipe(kind: DocKind) -> str:
    if kind is DocKind.KOTS:
        return (
            f"check {title('reg_incluster')} and set {title('reg_incluster_storage')} to S3 "
            "(the in-cluster registry on S3)"
        )
    return f"use the in-cluster registry on S3: '{CR}.inCluster: true' with 's3storage'"


@check("REG203", provider_why=registry.provider(Option.ECR).why)
@on(external_url)
def ecr(url: Value, doc: Document) -> Iterator[Hit]:
    host = bare(url.text).partition("/")[0].partition(":")[0]
    if aws.is_ecr_host(host):
        yield url.hit(
            f"{host} is Amazon ECR, which Gitpod 2022.11 cannot push to: ECR rejects a push "
            "to a repository that does not exist, and Gitpod never creates "
            + " or ".join(registry.PUSHED_REPOSITORIES),
            _recipe(doc.kind),
        )


def installer_url(text: str) -> str:
    """The registry URL as the installer uses it: one trailing slash removed
    (``strings.TrimSuffix(ctx.Config.ContainerRegistry.External.URL, "/")``,
    install/installer/pkg/components/image-builder-mk3/configmap.go:31 at 2022.11.0, 2022.11.1,
    release-2022.11.2 and 2022.11.3)."""
    return text.removesuffix("/")


@check("REG204")
@on(external_url)
def url_form(url: Value, doc: Document) -> Iterator[Hit]:
    fixed = usable_url(url)
    fix = f"write {fixed!r}" if fixed else f"write {registry.URL_FORM}"
    scoped = _domain_scoped_path(url)
    if fixed is None and scoped is not None:
        fix = f"write {scoped!r} (a domain-scoped project ID's colon is a slash in the URL)"
    try:
        registry.validate_url(installer_url(url.text), url.path)
    except RuleError as err:
        message = str(RuleError(err.field, url.text, err.allowed, err.hint))
        yield url.hit(message, fix)


@check("REG217")
@on(external_url)
def url_trailing_slash(url: Value, doc: Document) -> Iterator[Hit]:
    if not url.text.endswith("/"):
        return
    loaded = installer_url(url.text)
    try:
        registry.validate_url(loaded, url.path)
    except RuleError:
        return  # REG204 reports what is left
    targets = " and ".join(repr(f"{loaded}/{r}") for r in registry.PUSHED_REPOSITORIES)
    yield url.hit(
        f"{url.path}: {url.text!r} ends with a slash; the installer strips it and pushes to "
        f"{targets}",
        f"write {loaded!r}",
    )


def _domain_scoped_path(url: Value) -> str | None:
    """A Google registry URL with a domain-scoped project written with its colon
    (``.../example.com:my-project/...``), rewritten with the slash the registries use."""
    host, _, path = bare(url.text).partition("/")
    first, _, rest = path.partition("/")
    if not (gcp.is_gcr_host(host) or host.endswith(gcp.GAR_HOST_SUFFIX)):
        return None
    try:
        project = gcp.validate_project_id(first, "project")
    except RuleError:
        return None
    if ":" not in project:
        return None
    candidate = "/".join(p for p in (host, gcp.project_path(project), rest) if p)
    try:
        return registry.validate_url(candidate)
    except RuleError:
        return None


@check("REG222")
@on(external_url)
def docker_hub(url: Value, doc: Document) -> Iterator[Hit]:
    host = bare(url.text).partition("/")[0]
    if registry.is_docker_hub(host):
        yield url.hit(
            f"{url.text!r} is on Docker Hub: Gitpod 2022.11 looks its credentials up as "
            "'docker.io' in the image builder and as 'registry-1.docker.io' in its push proxy, "
            "registry-facade and blobserve, and the secret holds one key; untested, expect "
            "authentication failures",
            "use a registry on its own host",
        )


@split(mismatch=check("REG209"), google_path=check("REG210"))
def server_field(doc: Document) -> Iterator[tuple[str, Hit]]:
    """The admin console's server field when it is not the URL's host: a Google server with a
    path, or any other mismatch."""
    v = view(doc)
    if v is None or v.in_cluster is not False or v.url is None:
        return
    url = usable_url(v.url)
    if url is None:
        return
    expected = registry.registry_server(url)
    server = v.server or v.url
    given = bare(server.text)
    empty = v.server is None
    if registry.is_docker_hub(expected) and registry.is_docker_hub(given.partition("/")[0]):
        return  # any of Docker Hub's names, its config key included: see REG222
    fix = f"enter {expected!r} as {title('reg_server')}"
    if gcp.is_gcr_host(given.partition("/")[0]) and "/" in given:
        what = f"{title('reg_server')} is empty, so the URL" if empty else "the server"
        message = (
            f"{what} {server.text!r} has a path; Google registries take the bare host, and "
            "the admin console's preflight rejects this"
        )
        yield "google_path", server.hit(message, fix)
        return
    if server.text.strip() != expected:
        if empty:
            message = (
                f"{title('reg_server')} is empty, so the credentials are keyed by the whole "
                f"URL {server.text!r} instead of its host {expected!r}"
            )
        else:
            message = f"the server {server.text!r} is not the registry URL's host {expected!r}"
        yield "mismatch", server.hit(message, fix)


@check("REG218")
@on(external_url)
def url_host(url: Value, doc: Document) -> Iterator[Hit]:
    loaded = installer_url(url.text)
    try:
        registry.validate_url(loaded, url.path)
    except RuleError:
        return  # REG204 reports it
    try:
        registry.validate_url_host(loaded, url.path)
    except RuleError as err:
        fix = f"write the registry's host first: '<registry host>/{loaded}'"
        yield url.hit(str(err), fix)


def _ports(doc: Document) -> Iterator[tuple[Value, str]]:
    """(value, host) of every registry host written with a port: the external URL's, the S3
    backend endpoint's."""
    url = external_url(doc)
    if url is not None:
        yield url, bare(url.text).partition("/")[0]
    v = s3_values(doc)
    if v is not None and v.endpoint is not None:
        yield v.endpoint, bare(v.endpoint.text).partition("/")[0]


@check("REG220")
def port_range(doc: Document) -> Iterator[Hit]:
    for found, host in _ports(doc):
        yield from port_broken(found, host)


secret_name_check("REG219", CR, unresolved="the reference never resolves")


# --- Google registries --------------------------------------------------------------------------


class GoogleUrl(NamedTuple):
    """An external Google registry URL: the value, its host and the parts of its path."""

    url: Value
    host: str
    parts: list[str]


def _google(doc: Document) -> GoogleUrl | None:
    """The external registry URL, if it is a Google registry's."""
    url = external_url(doc)
    if url is None:
        return None
    usable = usable_url(url)
    if usable is None:
        return None
    host, _, path = usable.partition("/")
    if gcp.is_gcr_host(host) or host.endswith(gcp.GAR_HOST_SUFFIX):
        return GoogleUrl(url, host, [p for p in path.split("/") if p])
    return None


@check("REG221")
@on(external_url)
def ar_format(url: Value, doc: Document) -> Iterator[Hit]:
    host, _, rest = bare(url.text).partition("/")
    found = gcp.ar_format_of_host(host)
    if found is None or found[1] == gcp.AR_DOCKER_FORMAT:
        return
    location, fmt = found
    docker = f"{location}{gcp.GAR_HOST_SUFFIX}"
    yield url.hit(
        f"{url.path}: {host!r} is Artifact Registry's host for {fmt!r} repositories, not "
        f"Docker images; the Docker format host of {location} is {docker!r}",
        f"write {'/'.join(p for p in (docker, rest) if p)!r} (a Docker format repository)",
    )


@check("REG211")
@on(_google)
def ar_location(google: GoogleUrl, doc: Document) -> Iterator[Hit]:
    location = gcp.ar_location_of_host(google.host)
    if location is None:
        return
    try:
        gcp.validate_ar_location(location, "location")
    except RuleError as err:
        close = gcp.closest_locations(location, 1)
        fix = (
            f"write {gcp.ar_docker_host(close[0])!r} as the host"
            if close
            else f"write {gcp.LOCATION_FORM} before {gcp.GAR_HOST_SUFFIX!r}"
        )
        yield google.url.hit(f"{google.url.path}: {err}", fix)


@check("REG212")
@on(_google)
def project_id(google: GoogleUrl, doc: Document) -> Iterator[Hit]:
    try:
        gcp.validate_project_id(gcp.project_in_path(google.parts)[0], "project")
    except RuleError as err:
        option = Option.GCR if gcp.is_gcr_host(google.host) else Option.GAR
        fix = f"write the URL as {registry.url_pattern(option)[0]!r}"
        yield google.url.hit(f"{google.url.path}: {err}", fix)


@check("REG213")
@on(_google)
def ar_repository(google: GoogleUrl, doc: Document) -> Iterator[Hit]:
    if not google.host.endswith(gcp.GAR_HOST_SUFFIX):
        return
    url, parts = google.url, google.parts
    pattern = registry.url_pattern(Option.GAR)[0]
    _, taken = gcp.project_in_path(parts)
    if len(parts) < taken + 1:
        yield url.hit(
            f"{url.path}: {url.text!r} names no repository; Artifact Registry URLs are {pattern!r}",
            f"append '/<repository>' (for example {url.text.rstrip('/')}/gitpod)",
        )
        return
    try:
        gcp.validate_repository(parts[taken], "repository")
    except RuleError as err:
        yield url.hit(f"{url.path}: {err}", f"write the URL as {pattern!r}")


@check("REG214", shutdown=gcp.GCR_WRITE_SHUTDOWN.isoformat())
@on(_google)
def gcr_shutdown(google: GoogleUrl, doc: Document) -> Iterator[Hit]:
    if doc.today < gcp.GCR_WRITE_SHUTDOWN or not gcp.is_gcr_host(google.host):
        return
    ar = gcp.validate_gcr_host(google.host).ar_location
    try:
        suggestion = registry.gar(ar, gcp.project_in_path(google.parts)[0], "gitpod").url or ""
        fix = f"migrate to Artifact Registry, e.g. {suggestion!r} (the repository must exist)"
    except RuleError:
        fix = f"migrate to Artifact Registry: {registry.url_pattern(Option.GAR)[0]!r}"
    yield google.url.hit(
        f"{google.host} is Container Registry, shut down for writes on "
        f"{gcp.GCR_WRITE_SHUTDOWN.isoformat()}: pushes work only if the project's gcr.io "
        "repositories are hosted in Artifact Registry",
        fix,
    )


# --- the S3 backend of the in-cluster registry --------------------------------------------------


#: What the S3 backend's endpoint is (REG205): the registry's S3 client adds ``https://``.
ENDPOINT_FORM = f"a bare S3 endpoint host such as {aws.s3_endpoint('eu-west-2')!r}"


def _endpoint_host(v: RegistryView) -> str | None:
    return bare(v.endpoint.text).partition("/")[0] if v.endpoint is not None else None


@check("REG205")
@on(s3_values)
def endpoint_form(v: RegistryView, doc: Document) -> Iterator[Hit]:
    if v.endpoint is None:
        return
    text = v.endpoint.text
    try:
        registry.validate_host(text, v.endpoint.path)
    except RuleError as err:
        # The rule is the registry host's (bare host, optional port); the words are an endpoint's.
        message = str(RuleError(err.field, err.value, ENDPOINT_FORM, err.hint))
        if "://" not in text and text.endswith("/") and "/" not in text.rstrip("/"):
            message = f"{v.endpoint.path}: {text!r} ends with a slash; an endpoint is a bare host"
        host = _endpoint_host(v)
        yield v.endpoint.hit(
            message,
            f"write {host!r}" if host and host != text else f"write {ENDPOINT_FORM}",
        )


@check("REG207")
@on(s3_values)
def region_unknown(v: RegistryView, doc: Document) -> Iterator[Hit]:
    if v.region is None:
        return
    host = _endpoint_host(v)
    if host is not None and not is_aws_host(host):
        return  # an S3-compatible store names its regions itself
    region = v.region
    yield from rule_broken(region, aws.validate_region, lambda _: _region_fix(region))


def _region_fix(region: Value) -> str:
    close = aws.closest_regions(region.text, 1)
    return f"write {close[0]!r}" if close else f"write {aws.REGION_TO_WRITE}"


@check("REG206")
@on(s3_values)
def endpoint_region(v: RegistryView, doc: Document) -> Iterator[Hit]:
    if v.region is None or v.endpoint is None:
        return
    host = _endpoint_host(v)
    if not host or not is_aws_host(host):
        return
    region = v.region.text
    try:
        aws.validate_region(region, v.region.path)
    except RuleError:
        return  # REG207 reports it
    if aws.is_s3_endpoint_for(host, region):
        return
    expected, note = aws.s3_endpoint_like(host, region)
    suffix = aws.partition_of(region).dns_suffix
    if host == aws.GLOBAL_S3_ENDPOINT:
        why = (
            f"{host!r} reaches only buckets in {aws.GLOBAL_REGION}; for a bucket in {region} the "
            "registry's health check fails with HTTP 503"
        )
    elif not host.endswith("." + suffix):
        why = f"{host!r} is outside the AWS partition of {region}, whose hosts end in {suffix!r}"
    else:
        why = f"{host!r} is not an S3 host of {region}"
    fix = f"write {expected!r}" + (f" ({note})" if note else "")
    yield v.endpoint.hit(why, fix)


def _s3_bucket(doc: Document) -> Value | None:
    v = s3_values(doc)
    return v.bucket if v is not None else None


bucket_name_check("REG208", _s3_bucket)


# --- admin console items ------------------------------------------------------------------------


@split(error=check("KOTS303"), warning=check("KOTS304"))
def kots_readings(doc: Document) -> Iterator[tuple[Severity, Hit]]:
    """The registry items whose value the templates (exact strings) and the installer
    (``isTruthy``, ``== "s3"``) read differently, with what the install does instead
    (:mod:`gitpod_resources.kots` cites the lines)."""
    on, off = kots.ON, kots.OFF
    yield from kots_checkbox(
        doc,
        "reg_incluster",
        on=(
            Severity.WARNING,
            "the installer reads it as on and runs the in-cluster registry, but "
            f"{TEMPLATES_MATCH}, so the admin console hides the in-cluster registry's settings",
            f"write {on!r} (in-cluster registry) or {off!r} (external registry)",
        ),
        off=(
            Severity.ERROR,
            "the installer reads it as off and configures the external registry, but "
            f"{TEMPLATES_MATCH}: the registry login Secret {kots.EXTERNAL_LOGIN_SECRET!r} is made "
            f"only for {off!r}, so {kots.REGISTRY_SECRET!r} holds no login and pushes fail",
            f"write {off!r} for an external registry or {on!r} for the in-cluster one",
        ),
    )
    storage = kots_item(doc, "reg_incluster_storage")
    in_cluster = kots_on(doc, "reg_incluster", True)
    if in_cluster and storage is not None and storage.text not in kots.REGISTRY_STORAGE_VALUES:
        values = " or ".join(repr(v) for v in kots.REGISTRY_STORAGE_VALUES)
        s3 = kots.REGISTRY_STORAGE_S3
        yield (
            Severity.ERROR,
            storage.hit(
                f"{title('reg_incluster_storage')} is {storage.text!r}, not {values}: the "
                f"installer and the templates take S3 only for exactly {s3!r}, so the in-cluster "
                "registry keeps images on its own volume and the S3 settings are unused",
                f"write {s3!r} for S3 storage (or 'none')",
            ),
        )
    yield from kots_checkbox(
        doc,
        "reg_docker_config_enable",
        on=(
            Severity.ERROR,
            f"the installer reads it as on, but {TEMPLATES_MATCH}: the Secret "
            f"{kots.DOCKER_CONFIG_SECRET!r} is made and merged only for {on!r}, so the "
            "additional registry credentials are not used",
            f"write {on!r} to use the additional credentials, {off!r} otherwise",
        ),
        off=(
            Severity.WARNING,
            "the installer and the templates both read it as off (no additional registry "
            f"credentials), but {TEMPLATES_MATCH}",
            f"write {off!r}",
        ),
    )


unknown_item_check(
    "KOTS301", "container registry", schema.KOTS_REGISTRY_PREFIX, schema.KOTS_REGISTRY_ITEMS
)


@check("KOTS302")
def kots_item_shape(doc: Document) -> Iterator[Hit]:
    for key, entry in kots_values(doc).pairs:
        if isinstance(entry, YMap) or (isinstance(entry, YScalar) and entry.is_null):
            continue
        yield Hit(
            entry,
            f"spec.values.{key.text}",
            f"spec.values.{key.text} is not a mapping with 'value'",
            f"write '{key.text}: {{value: ...}}'",
        )
