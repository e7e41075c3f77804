"""AWS rules: partitions, S3 endpoints, S3 bucket names, ECR hosts.

The endpoint rule is computed from the region itself (partition by the region's pattern, the
partition's DNS suffix, the us-east-1 exception). botocore only supplies the region lists, via
``scripts/refresh_aws_data.py``, and is the test oracle; it is never imported here.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from functools import cache

from . import _data, places, validation
from .errors import RuleError

DATA_FILE = "aws_s3_regions.json"

#: The one region whose default S3 endpoint is the legacy global host.
GLOBAL_REGION = "us-east-1"
#: The legacy global endpoint; KOTS pre-fills it in every "Endpoint" field.
GLOBAL_S3_ENDPOINT = "s3.amazonaws.com"

#: S3 endpoint variants, as the data file names them (endpoints.json's variant tags).
PLAIN, FIPS, DUALSTACK, FIPS_DUALSTACK = "plain", "fips", "dualstack", "fips+dualstack"
VARIANTS = (PLAIN, FIPS, DUALSTACK, FIPS_DUALSTACK)
VARIANT_LABELS = {
    PLAIN: "S3",
    FIPS: "FIPS",
    DUALSTACK: "dual-stack",
    FIPS_DUALSTACK: "FIPS dual-stack",
}

REGION_FORM = "an AWS region code such as 'eu-west-2' (lowercase, no scheme, no spaces)"
#: What a fix names when no AWS region is suggested (no example code that reads as one).
REGION_TO_WRITE = "the code of the AWS region the bucket is in, as the S3 console shows it"
REGION_SHAPE = r"[a-z]{2,4}(?:-[a-z]+)+-[0-9]+"


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    partition: str
    #: False for regions only botocore's partition data lists (for example me-west-1).
    listed_for_s3: bool
    #: AWS publishes an S3 FIPS host for this region in botocore's curated endpoint data.
    fips: bool
    #: AWS publishes an S3 dual-stack host for this region in botocore's curated endpoint data.
    dualstack: bool
    #: Every S3 host the curated endpoint data lists for the region, per variant
    #: (:data:`VARIANTS`): the entry's own, its variants', and pseudo-regions scoped to it.
    hosts: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def published(self, variant: str) -> tuple[str, ...]:
        """The hosts of ``variant`` AWS publishes for the region (none: empty)."""
        return next((h for v, h in self.hosts if v == variant), ())


@dataclass(frozen=True)
class Partition:
    id: str
    name: str
    dns_suffix: str
    region_regex: str
    regions: tuple[Region, ...]

    def matches(self, region: str) -> bool:
        return re.match(self.region_regex, region) is not None


@cache
def partitions() -> tuple[Partition, ...]:
    """Every AWS partition, standard first, with its regions, in the order the site shows them."""
    doc = _data.load(DATA_FILE)
    out = []
    for p in doc["partitions"]:
        regions = tuple(
            Region(
                code=r["code"],
                name=r["name"],
                partition=p["id"],
                listed_for_s3=r["listed_for_s3"],
                fips=r["fips"],
                dualstack=r["dualstack"],
                hosts=tuple((v, tuple(r["hosts"][v])) for v in VARIANTS if r["hosts"].get(v)),
            )
            for r in p["regions"]
        )
        out.append(Partition(p["id"], p["name"], p["dns_suffix"], p["region_regex"], regions))
    return tuple(out)


@cache
def _regions_by_code() -> dict[str, Region]:
    return {r.code: r for p in partitions() for r in p.regions}


def region_codes() -> tuple[str, ...]:
    """All known region codes, in table order."""
    return tuple(_regions_by_code())


def data_source() -> tuple[str, str]:
    """(source, as_of) of the region data, for citing beside the tables."""
    doc = _data.load(DATA_FILE)
    return str(doc["source"]), str(doc["as_of"])


#: When nothing is close: no far-away string is offered instead (``europe-west1`` is not
#: ``eu-isoe-west-1``).
NO_CLOSE_REGION = "no AWS region code is close"
GOOGLE_SHAPED_HINT = (
    "that has the form of a Google Cloud region code; AWS region codes end in '-<number>', "
    "such as 'eu-west-2'"
)

_GOOGLE_SHAPED = (
    f"(?:{'|'.join(validation.any_case(a) for a in places.GOOGLE_AREAS)})"
    "-[a-zA-Z]+[0-9]+(?:-[a-zA-Z])?"
)

#: A region code inside a URL or host name, e.g. ``eu-west-1`` in ``s3.eu-west-1.amazonaws.com``.
_REGION_IN_TEXT = r"[a-z]{2,4}(?:-[a-z]+)+-[0-9]+"

REGION_SPEC = validation.Spec(
    "aws_region",
    REGION_FORM,
    (
        validation.Check("known"),
        validation.Check("reject", pattern=f"[{validation.WHITESPACE}]*", hint="it is empty"),
        validation.Check(
            "reject",
            pattern=validation.SURROUNDING_WHITESPACE,
            hint="remove the surrounding whitespace; {close}",
        ),
        validation.Check(
            "reject",
            pattern=r"[\s\S]*/[\s\S]*|[\s\S]*\.[\s\S]*\.[\s\S]*",
            hint="a region is a code, not a URL or host; {close}",
            extract=_REGION_IN_TEXT,
            hint_if_found="a region is a code, not a URL or host; enter {found}",
        ),
        # A Google Cloud region (or zone), in any case: the AWS region in the same place, or
        # none; another Google-shaped code: no AWS code (it would be a string, not a place).
        *(
            validation.Check(
                "reject",
                pattern=rf"{validation.any_case(code)}(?:-[a-zA-Z])?",
                hint=places.google_hint(code) or "",
            )
            for code in places.google_places()
        ),
        validation.Check("reject", pattern=_GOOGLE_SHAPED, hint=GOOGLE_SHAPED_HINT),
        validation.Check("suffix", literal=".", hint="remove the trailing dot; {close}"),
        validation.Check("lowercase_known", hint="region codes are lowercase: {lower}"),
        validation.Check(
            "lowercase", pattern=r"[\s\S]*", hint="region codes are lowercase; {close}"
        ),
        validation.Check("fullmatch", pattern=REGION_SHAPE, hint="not a region code; {close}"),
        validation.Check(
            "fail", allowed="a region AWS lists for S3", hint="unknown region; {close}"
        ),
    ),
    closest=validation.Closest(normalize=True, none=NO_CLOSE_REGION, rstrip="."),
    not_text_hint="got {type}, not text",
)


def closest_regions(value: str, n: int = 3) -> list[str]:
    """The region codes to suggest for ``value``, within AWS and the place.

    A Google Cloud region (or zone) gets the AWS region in the same place, or none; another value
    shaped like a Google code gets none; anything else the close AWS codes (case, spaces and a
    trailing dot ignored), or none when nothing is close: never a far-away string.
    """
    google = places.google_region_of(value)
    if google is not None:
        return list(places.aws_regions_at(google))[:n]
    if re.fullmatch(_GOOGLE_SHAPED, value.strip()):
        return []
    assert REGION_SPEC.closest is not None
    closest = dataclasses.replace(REGION_SPEC.closest, n=n)
    return validation.close_matches(value, region_codes(), closest)


def validate_region(value: object, field: str = "region") -> Region:
    """Return the known region for ``value`` or raise RuleError naming the closest ones.

    "Known" means listed for S3 by the pinned botocore, in its endpoint data or (me-west-1,
    sa-west-1) only in its partition data. Nothing is normalised silently: a near miss is an
    error that names the exact code to enter.
    """
    known = _regions_by_code()
    validation.run(REGION_SPEC, value, field, tuple(known))
    assert isinstance(value, str)
    return known[value]


def partition_of(region: str, field: str = "region") -> Partition:
    """The partition a region belongs to, decided by the partitions' region patterns.

    The region lists only decide whether a region is known; which DNS suffix it gets follows from
    its name alone, as in botocore's ruleset. Exactly one pattern must match.
    """
    validate_region(region, field)
    matching = [p for p in partitions() if p.matches(region)]
    if len(matching) != 1:
        ids = ", ".join(p.id for p in matching) or "none"
        raise RuleError(
            field, region, "a region that matches one AWS partition's pattern", f"matches {ids}"
        )
    return matching[0]


def partition(partition_id: str, field: str = "partition") -> Partition:
    """The partition with id ``partition_id`` (for example 'aws-cn')."""
    for p in partitions():
        if p.id == partition_id:
            return p
    raise RuleError(field, partition_id, "one of " + ", ".join(p.id for p in partitions()))


def s3_regional_endpoint(region: str, field: str = "region") -> str:
    """``s3.<region>.<dnsSuffix>``: the regional S3 host (for us-east-1 too)."""
    return f"s3.{region}.{partition_of(region, field).dns_suffix}"


def s3_endpoint(region: str, field: str = "region") -> str:
    """The bare host for the admin console's "Endpoint" and ``s3storage.endpoint``.

    us-east-1 keeps the default ``s3.amazonaws.com`` (the only region where the legacy global
    endpoint reaches the bucket); every other region, in every partition, needs its regional host.
    """
    if region == GLOBAL_REGION:
        return GLOBAL_S3_ENDPOINT
    return s3_regional_endpoint(region, field)


def s3_fips_endpoint(region: str, field: str = "region") -> str | None:
    """The S3 FIPS host, or None where AWS publishes none for the region."""
    r = validate_region(region, field)
    if not r.fips:
        return None
    return f"s3-fips.{region}.{partition_of(region, field).dns_suffix}"


def s3_dualstack_endpoint(region: str, field: str = "region") -> str | None:
    """The S3 dual-stack (IPv4 and IPv6) host, or None where AWS publishes none."""
    r = validate_region(region, field)
    if not r.dualstack:
        return None
    return f"s3.dualstack.{region}.{partition_of(region, field).dns_suffix}"


@dataclass(frozen=True)
class S3Hosts:
    """Every S3 host the site shows for one region (None where AWS publishes none)."""

    region: Region
    #: What to enter in the admin console's "Endpoint" and ``containerRegistry.s3storage.endpoint``.
    endpoint: str
    regional: str
    fips: str | None
    dualstack: str | None
    fips_dualstack: str | None = None
    #: Every host that reaches the region's buckets (:func:`s3_accepted_hosts`).
    accepted: frozenset[str] = frozenset()


def s3_hosts(region: str, field: str = "region") -> S3Hosts:
    """The row of the S3 endpoints reference for ``region``."""
    return S3Hosts(
        region=validate_region(region, field),
        endpoint=s3_endpoint(region, field),
        regional=s3_regional_endpoint(region, field),
        fips=s3_fips_endpoint(region, field),
        dualstack=s3_dualstack_endpoint(region, field),
        fips_dualstack=s3_fips_dualstack_endpoint(region, field),
        accepted=s3_accepted_hosts(region, field),
    )


def s3_fips_dualstack_endpoint(region: str, field: str = "region") -> str | None:
    """The S3 FIPS dual-stack host, or None where AWS publishes none."""
    published = validate_region(region, field).published(FIPS_DUALSTACK)
    return published[0] if published else None


def s3_accepted_hosts(region: str, field: str = "region") -> frozenset[str]:
    """Every host that reaches a bucket in ``region``: its default and regional endpoints and
    every S3 host botocore's curated endpoint data publishes for it (plain, FIPS, dual-stack,
    FIPS dual-stack, and legacy pseudo-region hosts scoped to it, such as
    ``s3-external-1.amazonaws.com`` for us-east-1)."""
    r = validate_region(region, field)
    hosts = {s3_endpoint(region, field), s3_regional_endpoint(region, field)}
    for _, published in r.hosts:
        hosts.update(published)
    return frozenset(hosts)


def is_s3_endpoint_for(endpoint: str, region: str) -> bool:
    """Whether an entered endpoint reaches a bucket in ``region`` (any published variant)."""
    return endpoint in s3_accepted_hosts(region)


@cache
def _published_variant_of() -> dict[str, str]:
    """Every published S3 host (any region) -> its variant."""
    return {h: v for r in _regions_by_code().values() for v, hs in r.hosts for h in hs}


def s3_variant_of(host: str) -> str:
    """The endpoint variant a host is (:data:`VARIANTS`): the published variant for a host AWS
    publishes, else read from the S3 host patterns (``s3-fips.``, ``.dualstack.``)."""
    known = _published_variant_of().get(host)
    if known is not None:
        return known
    fips = host.startswith("s3-fips.")
    dual = ".dualstack." in f".{host}"
    if fips and dual:
        return FIPS_DUALSTACK
    return FIPS if fips else DUALSTACK if dual else PLAIN


def s3_endpoint_like(host: str, region: str, field: str = "region") -> tuple[str, str]:
    """(the host to enter for ``region``, a note): the region's host of the same variant as
    ``host`` (a FIPS host gets the region's FIPS host), or its default endpoint with a note
    saying the region has no published host of that variant."""
    r = validate_region(region, field)
    variant = s3_variant_of(host)
    if variant == PLAIN:
        return s3_endpoint(region, field), ""
    published = r.published(variant)
    if published:
        return published[0], ""
    label = VARIANT_LABELS[variant]
    return s3_endpoint(region, field), f"AWS publishes no {label} S3 endpoint for {region}"


# --- S3 bucket names (general purpose buckets) -------------------------------------------------

BUCKET_SPEC = validation.S3_BUCKET
BUCKET_FORM = BUCKET_SPEC.form


def validate_bucket_name(value: object, field: str = "bucket") -> str:
    """Return ``value`` if it is a valid general purpose S3 bucket name, else raise RuleError."""
    return validation.run(BUCKET_SPEC, value, field)


# --- ECR ---------------------------------------------------------------------------------------

ACCOUNT_FORM = "a 12-digit AWS account ID"
ECR_PUBLIC_HOST = "public.ecr.aws"
#: Partitions whose private registry host AWS documents publicly: ``<account>.dkr.ecr.<region>.``
#: ``amazonaws.com`` (GovCloud included) and ``amazonaws.com.cn`` in China. For the others the
#: host is an inference from the partition's DNS suffix, and the site marks it so.
ECR_DOCUMENTED_PARTITIONS = frozenset({"aws", "aws-cn", "aws-us-gov"})


def ecr_registry_host(account: str, region: str) -> str:
    """``<account>.dkr.ecr.<region>.<dnsSuffix>``: where ECR would be if Gitpod could use it."""
    if not isinstance(account, str) or not re.fullmatch(r"\d{12}", account):
        raise RuleError("account", account, ACCOUNT_FORM)
    return f"{account}.dkr.ecr.{region}.{partition_of(region).dns_suffix}"


def ecr_host_pattern(partition_id: str) -> str:
    """The private registry host of a partition with ``<account>`` and ``<region>`` placeholders."""
    return f"<account>.dkr.ecr.<region>.{partition(partition_id).dns_suffix}"


@cache
def ecr_host_regex() -> str:
    """A private ECR registry host in any partition (by its DNS suffix), or ECR Public.

    Portable regex syntax (see :mod:`gitpod_resources.validation`): the builder page applies it too.
    """
    suffixes = sorted(
        {validation.literal(p.dns_suffix) for p in partitions()}, key=len, reverse=True
    )
    private = rf"[0-9]{{12}}\.dkr\.ecr(?:-fips)?\.[a-z0-9\-]+\.(?:{'|'.join(suffixes)})"
    return f"{private}|{validation.literal(ECR_PUBLIC_HOST)}"


def is_ecr_host(host: str) -> bool:
    """True for a private ECR registry host (any partition's DNS suffix) or ECR Public."""
    return re.fullmatch(ecr_host_regex(), host) is not None


# --- ARNs and bucket creation ------------------------------------------------------------------


def arn_partition(region: str, field: str = "region") -> str:
    """The partition an ARN of ``region``'s resources names: ``arn:<partition>:s3:::<bucket>``.

    It is the partition's id (``aws``, ``aws-cn``, ``aws-us-gov``, ``aws-iso``, ``aws-iso-b``,
    ``aws-iso-e``, ``aws-iso-f``, ``aws-eusc``): botocore's ``partitions.json`` gives each
    partition an ``outputs.name``, the ARN partition, equal to its id (a rules test holds the
    data file to that). A policy with another partition's ARNs matches nothing there.
    """
    return partition_of(region, field).id


def s3_bucket_arn(bucket: str, region: str) -> str:
    """``arn:<partition>:s3:::<bucket>`` for a bucket in ``region`` (its objects: ``+ "/*"``)."""
    validate_bucket_name(bucket, "bucket")
    return f"arn:{arn_partition(region)}:s3:::{bucket}"


LOCATION_CONSTRAINTS_FILE = "s3_location_constraints.json"


@cache
def _documented_location_constraints() -> frozenset[str]:
    return frozenset(_data.load(LOCATION_CONSTRAINTS_FILE)["values"])


def location_constraint(region: str, field: str = "region") -> str | None:
    """The ``LocationConstraint`` a ``CreateBucket`` request sent to ``region`` must carry.

    None for us-east-1: S3 creates a bucket there without one and refuses ``us-east-1`` as one
    (``InvalidLocationConstraint``). Every other region, in every partition, needs its own code:
    without it S3 answers ``IllegalLocationConstraintException`` ("the unspecified location
    constraint is incompatible for the region specific endpoint this request was sent to").
    """
    validate_region(region, field)
    return None if region == GLOBAL_REGION else region


def location_constraint_documented(region: str, field: str = "region") -> bool:
    """Whether AWS's S3 API model lists ``region`` among the ``LocationConstraint`` values
    (:data:`LOCATION_CONSTRAINTS_FILE`); us-east-1 needs none and counts as documented. For the
    regions it does not list (the ISO partitions, the European Sovereign Cloud, regions newer
    than the model) the rule of :func:`location_constraint` is an inference."""
    constraint = location_constraint(region, field)
    return constraint is None or constraint in _documented_location_constraints()


def location_constraints_source() -> tuple[str, str]:
    """(source, as_of) of the documented ``LocationConstraint`` values."""
    doc = _data.load(LOCATION_CONSTRAINTS_FILE)
    return str(doc["source"]), str(doc["as_of"])
