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


def validate_region(value: object, field: str = "region") -> Region:
    """Return the known region for ``value`` or raise RuleError naming the closest ones."""
    if not isinstance(value, str) or not value:
        raise RuleError(field, value, REGION_FORM)
    if value != value.strip():
        raise RuleError(field, value, REGION_FORM, "remove the surrounding whitespace")
    if "://" in value or "/" in value:
        raise RuleError(field, value, REGION_FORM, "a region is a code, not a URL")
    if value.endswith("."):
        raise RuleError(field, value, REGION_FORM, "remove the trailing dot")
    known = _regions_by_code()
    if value in known:
        return known[value]
    if value.lower() in known:
        raise RuleError(field, value, REGION_FORM, f"region codes are lowercase: {value.lower()!r}")
    close = difflib.get_close_matches(value, list(known), n=3, cutoff=0.6)
    hint = "closest known: " + ", ".join(close) if close else "see the S3 endpoints reference"
    if not _REGION_SHAPE.match(value):
        raise RuleError(field, value, REGION_FORM, hint)
    raise RuleError(field, value, "a region AWS lists for S3", f"unknown region; {hint}")


def partition_of(region: str, field: str = "region") -> Partition:
    """The partition a region belongs to, decided by the partitions' region patterns."""
    validate_region(region, field)
    for part in partitions():
        if part.matches(region):
            return part
    raise RuleError(field, region, "a region that matches an AWS partition's region pattern")


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
_ECR_HOST = re.compile(r"^(\d{12})\.dkr\.ecr(-fips)?\.([a-z0-9-]+)\.(amazonaws\.com(\.cn)?)$")


def ecr_registry_host(account: str, region: str) -> str:
    """``<account>.dkr.ecr.<region>.<dnsSuffix>``: where ECR would be if Gitpod could use it."""
    if not re.fullmatch(r"\d{12}", account):
        raise RuleError("account", account, ACCOUNT_FORM)
    return f"{account}.dkr.ecr.{region}.{partition_of(region).dns_suffix}"


def is_ecr_host(host: str) -> bool:
    """True for a private ECR registry host (any region, China included) or ECR Public."""
    return bool(_ECR_HOST.match(host)) or host == "public.ecr.aws"
