"""The configuration builder's state: its fields, options and platforms, and its address.

The builder keeps its whole state in the address bar, so a link is a configuration. This module
is the one place that format is defined: :func:`builder_url` turns an example's rule inputs (the
arguments of ``registry_example``, ``storage_example``, ``database_example`` and
``stack_example``) into the link that opens the builder with those values, after composing them
with the rules (a bad example fails the build, naming the field). The page's script reads and
writes the same parameters, in the same order (:func:`query`).

Query parameters, in order: ``platform``, ``registry``, ``storage``, ``database`` (the option of
each component), then the value of every field the three options use, in :data:`FIELDS` order.
Check boxes are ``yes`` or ``no``.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlencode

from gitpod_resources import aws, database, gcp, registry, stack, storage, validation
from gitpod_resources.database import DatabaseSetup
from gitpod_resources.errors import RuleError
from gitpod_resources.registry import Option, RegistrySetup
from gitpod_resources.storage import StorageSetup

#: The builder's page (docs-relative) and its URL relative to the site's root.
PAGE = "builder.md"
PATH = "builder/"

YES, NO = "yes", "no"
FieldKind = Literal["text", "select", "check"]


@dataclass(frozen=True)
class Field:
    """One input of the builder's form; ``param`` is its query parameter and its name in
    messages."""

    param: str
    label: str
    kind: FieldKind
    #: The rules' spec for the value (None for a check box, which is yes or no).
    spec: validation.Spec | None = None
    #: The list a select offers (a key of the export's lists).
    items: str = ""
    default: str = ""

    @property
    def control_id(self) -> str:
        return "gp-" + self.param.replace("_", "-")


@dataclass(frozen=True)
class Platform:
    id: str
    name: str
    #: The options each component offers on this platform, the first the default.
    registry: tuple[str, ...]
    storage: tuple[str, ...]
    database: tuple[str, ...]

    def options(self, component: str) -> tuple[str, ...]:
        opts: tuple[str, ...] = getattr(self, component)
        return opts


COMPONENTS = ("registry", "storage", "database")

PLATFORMS: tuple[Platform, ...] = (
    Platform(
        "aws",
        "Amazon Web Services (EKS)",
        registry=(Option.IN_CLUSTER_S3, Option.IN_CLUSTER, Option.GENERIC, Option.ECR),
        storage=("s3", "in-cluster"),
        database=("external", "in-cluster"),
    ),
    Platform(
        "gcp",
        "Google Cloud (GKE)",
        registry=(Option.GAR, Option.GCR, Option.IN_CLUSTER, Option.GENERIC),
        storage=("gcs", "in-cluster"),
        database=("cloudsql", "external", "in-cluster"),
    ),
    Platform(
        "on-prem",
        "Your own cluster (Harbor or another registry)",
        registry=(Option.GENERIC, Option.IN_CLUSTER),
        storage=("in-cluster",),
        database=("external", "in-cluster"),
    ),
)
PLATFORM_IDS = tuple(p.id for p in PLATFORMS)


def platform(platform_id: str) -> Platform:
    for p in PLATFORMS:
        if p.id == platform_id:
            return p
    raise RuleError("platform", platform_id, "one of " + ", ".join(PLATFORM_IDS))


#: A Google Cloud region from the list (``gcp.validate_region`` refuses anything else, with a hint
#: this check leaves out: a link's value outside the list names the field and the allowed form).
GCP_REGION_SPEC = validation.Spec(
    "gcp_region", gcp.REGION_FORM, (validation.Check("known"), validation.Check("fail"))
)

#: Every field, in the order the form shows them and the address lists them.
FIELDS: tuple[Field, ...] = (
    Field("aws_region", "AWS region of the buckets", "select", aws.REGION_SPEC, "aws_regions"),
    Field("registry_bucket", "S3 bucket for the registry's images", "text", validation.S3_BUCKET),
    Field("storage_bucket", "S3 bucket for workspace content", "text", validation.S3_BUCKET),
    Field("gcp_project", "Google Cloud project ID", "text", validation.GCP_PROJECT),
    Field("gcp_region", "Google Cloud region", "select", GCP_REGION_SPEC, "gcp_regions"),
    Field("ar_location", "Artifact Registry location", "select", gcp.LOCATION_SPEC, "ar_locations"),
    Field(
        "ar_repository",
        "Artifact Registry repository",
        "text",
        validation.AR_REPOSITORY,
        default="gitpod",
    ),
    Field("gcr_host", "Container Registry host", "select", gcp.GCR_HOST_SPEC, "gcr_hosts"),
    Field("registry_host", "Registry host", "text", registry.GENERIC_HOST_SPEC),
    Field(
        "registry_path",
        "Path below the host (with Harbor, the project; may be empty)",
        "text",
        validation.REGISTRY_URL,
        default="gitpod",
    ),
    Field("private_ca", "Its certificate is signed by a private CA", "check", default=NO),
    Field("db_host", "MySQL host", "text", database.HOST_SPEC),
    Field("db_ca", "Verify the server's certificate with your CA (TLS)", "check", default=NO),
    Field("db_instance", "Cloud SQL instance ID", "text", database.INSTANCE_SPEC),
)
FIELD_BY_PARAM = {f.param: f for f in FIELDS}

#: The fields each option uses, by ``component:option``.
OPTION_FIELDS: dict[str, tuple[str, ...]] = {
    "registry:in-cluster": (),
    "registry:in-cluster-s3": ("aws_region", "registry_bucket"),
    "registry:gcr": ("gcr_host", "gcp_project"),
    "registry:gar": ("ar_location", "gcp_project", "ar_repository"),
    "registry:generic": ("registry_host", "registry_path", "private_ca"),
    "registry:ecr": (),
    "storage:in-cluster": (),
    "storage:s3": ("aws_region", "storage_bucket"),
    "storage:gcs": ("gcp_region", "gcp_project"),
    "database:in-cluster": (),
    "database:external": ("db_host", "db_ca"),
    "database:cloudsql": ("gcp_project", "gcp_region", "db_instance"),
}


def active_fields(options: Mapping[str, str]) -> tuple[Field, ...]:
    """The fields the chosen options use, in :data:`FIELDS` order."""
    used = {p for c in COMPONENTS for p in OPTION_FIELDS.get(f"{c}:{options.get(c, '')}", ())}
    return tuple(f for f in FIELDS if f.param in used)


def query(state: Mapping[str, str]) -> str:
    """The query string of a state, exactly as the page's script writes it."""
    pairs = [("platform", state["platform"])] + [(c, state[c]) for c in COMPONENTS]
    pairs += [(f.param, state[f.param]) for f in active_fields(state)]
    return urlencode(pairs)


# --- from an example's rule inputs to a state ---------------------------------------------------


def _home(component: str, option: str) -> Platform:
    """The platform a one-component example opens on: the first of on-prem, aws, gcp offering
    its option (the others are then in the cluster)."""
    for platform_id in ("on-prem", "aws", "gcp"):
        p = platform(platform_id)
        if option in p.options(component):
            return p
    raise RuleError(component, option, "an option the builder offers")


def _default_only(inputs: Mapping[str, str], name: str, default: object, why: str) -> None:
    if name in inputs and inputs[name] != str(default):
        raise RuleError(name, inputs[name], f"the default {str(default)!r}", why)


_KEEP_DEFAULT = "the builder writes the admin console's default; change it there and in the secret"


def _registry_fields(setup: RegistrySetup, inputs: Mapping[str, str]) -> dict[str, str]:
    """The builder's fields for a registry the rules composed."""
    if setup.option is Option.IN_CLUSTER_S3:
        assert setup.s3 is not None
        return {"aws_region": setup.s3.region, "registry_bucket": setup.s3.bucket}
    if setup.option is Option.GCR:
        _default_only(inputs, "path", "gitpod", "the builder keeps Container Registry's path")
        project = inputs["project"]
        return {"gcr_host": str(setup.server), "gcp_project": project}
    if setup.option is Option.GAR:
        location = gcp.ar_location_of_host(str(setup.server))
        assert location is not None
        repository = str(setup.url).rpartition("/")[2]
        return {
            "ar_location": location,
            "gcp_project": inputs["project"],
            "ar_repository": repository,
        }
    if setup.option is Option.GENERIC:
        path = str(setup.url).partition("/")[2]
        return {"registry_host": str(setup.server), "registry_path": path}
    return {}


def _storage_fields(setup: StorageSetup, inputs: Mapping[str, str]) -> dict[str, str]:
    if setup.s3 is not None:
        _default_only(
            inputs, "endpoint", aws.s3_endpoint(setup.s3.region), "the builder writes the region's"
        )
        return {"aws_region": setup.s3.region, "storage_bucket": setup.s3.bucket}
    if setup.gcs is not None:
        return {"gcp_region": setup.gcs.region, "gcp_project": setup.gcs.project}
    return {}


def _database_fields(setup: DatabaseSetup, inputs: Mapping[str, str]) -> dict[str, str]:
    _default_only(inputs, "port", database.DEFAULT_PORT, _KEEP_DEFAULT)
    _default_only(inputs, "username", database.DEFAULT_USERNAME, _KEEP_DEFAULT)
    if setup.external is not None:
        return {"db_host": setup.external.host, "db_ca": YES if setup.external.ca_cert else NO}
    if setup.cloud_sql is not None:
        instance = setup.cloud_sql.instance
        return {
            "gcp_project": instance.project,
            "gcp_region": instance.region,
            "db_instance": instance.name,
        }
    return {}


def _yes_no(value: str, name: str) -> str:
    if value not in (YES, NO):
        raise RuleError(name, value, f"{YES!r} or {NO!r}")
    return value


def state(target: str, **values: str) -> dict[str, str]:
    """The builder's state showing an example, from the example's own rule inputs.

    ``target`` is a platform, ``aws``, ``gcp`` or ``on-prem``, with the inputs of its whole
    stack (``stack_example``'s: :func:`gitpod_resources.stack.build`), or one component,
    ``registry:<option>``, ``storage:<option>`` or ``database:<option>``, with the inputs of its
    ``*_example`` macro; the other components are then in the cluster. ``private_ca`` (``yes``
    or ``no``) may be added where the registry is a generic one. Inputs the builder does not
    offer (a port or user other than the default, a GCR path) raise RuleError, as do inputs the
    rules refuse.
    """
    inputs = dict(values)
    private_ca = _yes_no(inputs.pop("private_ca", NO), "private_ca")
    component, sep, option = target.partition(":")
    raw: dict[str, str]
    if not sep:
        s = stack.build(target, inputs)
        setups: dict[str, RegistrySetup | StorageSetup | DatabaseSetup] = {
            "registry": s.registry,
            "storage": s.storage,
            "database": s.database,
        }
        raw = {"platform": platform(s.cloud.value).id}
    elif component in COMPONENTS:
        setups = {
            "registry": registry.in_cluster(),
            "storage": storage.in_cluster(),
            "database": database.in_cluster(),
        }
        if component == "registry":
            setups[component] = compose_registry(option, inputs)
        elif component == "storage":
            setups[component] = storage.build(option, inputs)
        else:
            setups[component] = database.build(option, inputs)
        raw = {"platform": _home(component, setups[component].option.value).id}
    else:
        raise RuleError("target", target, "aws, gcp, on-prem, or <component>:<option>")
    reg, sto, db = setups["registry"], setups["storage"], setups["database"]
    assert isinstance(reg, RegistrySetup) and isinstance(sto, StorageSetup)
    assert isinstance(db, DatabaseSetup)
    raw |= {c: setups[c].option.value for c in COMPONENTS}
    raw |= _registry_fields(reg, inputs) | _storage_fields(sto, inputs)
    raw |= _database_fields(db, inputs)
    if private_ca == YES and reg.option is not Option.GENERIC:
        raise RuleError("private_ca", private_ca, f"{NO!r} unless the registry is generic")
    raw["private_ca"] = private_ca
    chosen = platform(raw["platform"])
    for c in COMPONENTS:
        if raw[c] not in chosen.options(c):
            raise RuleError(c, raw[c], "one of " + ", ".join(chosen.options(c)))
    out = {k: raw[k] for k in ("platform", *COMPONENTS)}
    for f in active_fields(raw):
        out[f.param] = raw.get(f.param, f.default)
    return out


def compose_registry(option: str, inputs: Mapping[str, str]) -> RegistrySetup:
    """Dispatch a registry option and its inputs to the rule that composes it."""
    opt = registry.provider(option).option
    composers: dict[Option, Callable[..., RegistrySetup]] = {
        Option.IN_CLUSTER: registry.in_cluster,
        Option.IN_CLUSTER_S3: registry.in_cluster_s3,
        Option.GCR: registry.gcr,
        Option.GAR: registry.gar,
        Option.GENERIC: registry.generic,
    }
    if opt not in composers:
        raise RuleError("option", option, "a supported registry option")
    return composers[opt](**inputs)


def builder_url(target: str, **values: str) -> str:
    """The builder's URL relative to the site's root (``builder/?platform=...``), showing the
    example ``target`` with ``values`` (see :func:`state`)."""
    return f"{PATH}?{query(state(target, **values))}"


def link_markdown(page_src: str, target: str, **values: str) -> str:
    """A Markdown link from the page ``page_src`` (docs-relative, e.g. ``database.md``) to the
    builder showing the example; MkDocs checks the link and keeps its query."""
    rel = posixpath.relpath(PAGE, posixpath.dirname(page_src) or ".")
    return f"[Open this in the configuration builder]({rel}?{query(state(target, **values))})"
