"""AWS rules: partitions, S3 endpoints, S3 bucket names, ECR hosts.

The endpoint rule is computed from the region itself (partition by the region's pattern, the
partition's DNS suffix, the us-east-1 exception). botocore only supplies the region lists, via
``scripts/refresh_aws_data.py``, and is the test oracle; it is never imported here.
"""

from __future__ import annotations

import difflib
import ipaddress
import re
from dataclasses import dataclass
from functools import cache

from . import _data
from .errors import RuleError

DATA_FILE = "aws_s3_regions.json"

#: The one region whose default S3 endpoint is the legacy global host.
GLOBAL_REGION = "us-east-1"
#: The legacy global endpoint; KOTS pre-fills it in every "Endpoint" field.
GLOBAL_S3_ENDPOINT = "s3.amazonaws.com"

REGION_FORM = "an AWS region code such as 'eu-west-2' (lowercase, no scheme, no spaces)"
_REGION_SHAPE = re.compile(r"^[a-z]{2,4}(-[a-z]+)+-\d+$")


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


_URLISH = re.compile(r"[a-z]{2,4}(?:-[a-z]+)+-\d+")


def closest_regions(value: str, n: int = 3) -> list[str]:
    """The known region codes nearest to ``value`` (case, spaces and a trailing dot ignored).

    Always names some: a reader who typed something far off still sees what a code looks like.
    """
    known = list(_regions_by_code())
    probe = value.strip().lower().rstrip(".")
    close = difflib.get_close_matches(probe, known, n=n, cutoff=0.6)
    return close or difflib.get_close_matches(probe, known, n=n, cutoff=0.0)


def _hint(value: str, lead: str) -> str:
    return f"{lead}; closest known: {', '.join(closest_regions(value))}"


def validate_region(value: object, field: str = "region") -> Region:
    """Return the known region for ``value`` or raise RuleError naming the closest ones.

    "Known" means listed for S3 by the pinned botocore, in its endpoint data or (me-west-1,
    sa-west-1) only in its partition data. Nothing is normalised silently: a near miss is an
    error that names the exact code to enter.
    """
    known = _regions_by_code()
    if isinstance(value, str) and value in known:
        return known[value]
    if not isinstance(value, str):
        raise RuleError(field, value, REGION_FORM, f"got {type(value).__name__}, not text")
    if not value.strip():
        raise RuleError(field, value, REGION_FORM, "it is empty")
    if value != value.strip():
        raise RuleError(
            field, value, REGION_FORM, _hint(value, "remove the surrounding whitespace")
        )
    if "://" in value or "/" in value or value.count(".") > 1:
        inside = [m for m in _URLISH.findall(value.lower()) if m in known]
        lead = "a region is a code, not a URL or host"
        if inside:
            raise RuleError(field, value, REGION_FORM, f"{lead}; enter {inside[0]!r}")
        raise RuleError(field, value, REGION_FORM, _hint(value, lead))
    if value.endswith("."):
        raise RuleError(field, value, REGION_FORM, _hint(value, "remove the trailing dot"))
    if value.lower() in known:
        raise RuleError(field, value, REGION_FORM, f"region codes are lowercase: {value.lower()!r}")
    if value != value.lower():
        raise RuleError(field, value, REGION_FORM, _hint(value, "region codes are lowercase"))
    if not _REGION_SHAPE.match(value):
        raise RuleError(field, value, REGION_FORM, _hint(value, "not a region code"))
    raise RuleError(field, value, "a region AWS lists for S3", _hint(value, "unknown region"))


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


def s3_hosts(region: str, field: str = "region") -> S3Hosts:
    """The row of the S3 endpoints reference for ``region``."""
    return S3Hosts(
        region=validate_region(region, field),
        endpoint=s3_endpoint(region, field),
        regional=s3_regional_endpoint(region, field),
        fips=s3_fips_endpoint(region, field),
        dualstack=s3_dualstack_endpoint(region, field),
    )


def is_s3_endpoint_for(endpoint: str, region: str) -> bool:
    """Whether an entered endpoint reaches a bucket in ``region`` (plain, FIPS or dual-stack)."""
    allowed = {s3_endpoint(region), s3_regional_endpoint(region)}
    allowed |= {h for h in (s3_fips_endpoint(region), s3_dualstack_endpoint(region)) if h}
    return endpoint in allowed


# --- S3 bucket names (general purpose buckets) -------------------------------------------------

BUCKET_FORM = (
    "3-63 characters: lowercase letters, digits, '.' and '-', starting and ending with a "
    "letter or digit"
)
_BUCKET_CHARS = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_BUCKET_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
_BUCKET_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3")


def validate_bucket_name(value: object, field: str = "bucket") -> str:
    """Return ``value`` if it is a valid general purpose S3 bucket name, else raise RuleError."""
    if not isinstance(value, str) or not value:
        raise RuleError(field, value, BUCKET_FORM)
    if not 3 <= len(value) <= 63:
        raise RuleError(field, value, BUCKET_FORM, f"it has {len(value)} characters")
    if not _BUCKET_CHARS.match(value):
        bad = sorted({c for c in value if not (c.islower() or c.isdigit() or c in ".-")})
        hint = f"not allowed: {' '.join(repr(c) for c in bad)}" if bad else "bad first or last"
        raise RuleError(field, value, BUCKET_FORM, hint)
    if ".." in value:
        raise RuleError(field, value, BUCKET_FORM, "no two adjacent periods")
    try:
        ipaddress.IPv4Address(value)
    except ValueError:
        pass
    else:
        raise RuleError(field, value, BUCKET_FORM, "must not look like an IPv4 address")
    for prefix in _BUCKET_PREFIXES:
        if value.startswith(prefix):
            raise RuleError(field, value, BUCKET_FORM, f"the prefix {prefix!r} is reserved")
    for suffix in _BUCKET_SUFFIXES:
        if value.endswith(suffix):
            raise RuleError(field, value, BUCKET_FORM, f"the suffix {suffix!r} is reserved")
    return value


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
def _ecr_host_regex() -> re.Pattern[str]:
    suffixes = sorted({re.escape(p.dns_suffix) for p in partitions()}, key=len, reverse=True)
    return re.compile(rf"^(\d{{12}})\.dkr\.ecr(-fips)?\.([a-z0-9-]+)\.({'|'.join(suffixes)})$")


def is_ecr_host(host: str) -> bool:
    """True for a private ECR registry host (any partition's DNS suffix) or ECR Public."""
    return bool(_ecr_host_regex().match(host)) or host == ECR_PUBLIC_HOST
