"""Google Cloud rules: project IDs, Container Registry hosts, Artifact Registry locations."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from . import _data, places, validation
from .errors import RuleError

PROJECT_SPEC = validation.GCP_PROJECT
PROJECT_FORM = PROJECT_SPEC.form
REPOSITORY_SPEC = validation.AR_REPOSITORY
REPOSITORY_FORM = REPOSITORY_SPEC.form

GAR_HOST_SUFFIX = "-docker.pkg.dev"
#: Container Registry stopped accepting pushes on this day.
GCR_WRITE_SHUTDOWN = date(2025, 3, 18)


def validate_project_id(value: object, field: str = "project") -> str:
    """Return ``value`` if it is a valid GCP project ID, else raise RuleError."""
    return validation.run(PROJECT_SPEC, value, field)


#: What :func:`project_path` replaces (the builder page applies the same replacement).
PROJECT_PATH_REPLACE = (":", "/")


def project_path(project: str) -> str:
    """A project ID as registry paths carry it: a domain-scoped ID's colon becomes a slash
    (``example.com:my-project`` -> ``example.com/my-project``; Artifact Registry docker/names)."""
    return project.replace(*PROJECT_PATH_REPLACE)


def project_in_path(parts: list[str]) -> tuple[str, int]:
    """(project ID, path parts it takes) at the start of a registry path's parts: a domain
    (a part with a dot) and the project after it for a domain-scoped ID, else the first part."""
    if len(parts) >= 2 and "." in parts[0]:
        return f"{parts[0]}:{parts[1]}", 2
    return (parts[0] if parts else ""), 1


def validate_repository(value: object, field: str = "repository") -> str:
    """Return ``value`` if it is a valid Artifact Registry repository name, else raise."""
    return validation.run(REPOSITORY_SPEC, value, field)


# --- Container Registry (gcr.io) -------------------------------------------------------------


@dataclass(frozen=True)
class GcrHost:
    host: str
    #: The Artifact Registry multi-region that now serves this hostname.
    ar_location: str
    #: The Artifact Registry "gcr.io repository" named after the host.
    ar_repository: str


@dataclass(frozen=True)
class Milestone:
    date: date
    event: str


@cache
def gcr_hosts() -> tuple[GcrHost, ...]:
    """The four Container Registry hostnames, global first."""
    doc = _data.load("container_registry_hosts.json")
    return tuple(GcrHost(h["host"], h["ar_location"], h["ar_repository"]) for h in doc["hosts"])


@cache
def gcr_timeline() -> tuple[Milestone, ...]:
    """Container Registry's deprecation and shutdown, oldest first."""
    doc = _data.load("container_registry_hosts.json")
    return tuple(Milestone(date.fromisoformat(m["date"]), m["event"]) for m in doc["timeline"])


def gcr_data_source() -> tuple[str, str]:
    """(source, as_of) of the Container Registry hosts and timeline."""
    doc = _data.load("container_registry_hosts.json")
    return str(doc["source"]), str(doc["as_of"])


GCR_HOST_FORM = "one of gcr.io, us.gcr.io, eu.gcr.io, asia.gcr.io"


GCR_HOST_SPEC = validation.Spec(
    "gcr_host", GCR_HOST_FORM, (validation.Check("known"), validation.Check("fail"))
)


def validate_gcr_host(value: object, field: str = "host") -> GcrHost:
    validation.run(GCR_HOST_SPEC, value, field, tuple(h.host for h in gcr_hosts()))
    return next(h for h in gcr_hosts() if h.host == value)


def is_gcr_host(host: str) -> bool:
    return any(host == h.host for h in gcr_hosts())


# --- Artifact Registry ----------------------------------------------------------------------


@dataclass(frozen=True)
class ArLocation:
    code: str
    multi_region: bool

    @property
    def docker_host(self) -> str:
        return ar_docker_host(self.code)


@cache
def ar_locations() -> tuple[ArLocation, ...]:
    """Every Artifact Registry location: the multi-regions first, then the regions."""
    doc = _data.load("artifact_registry_locations.json")
    multi = tuple(ArLocation(c, True) for c in doc["multi_regions"])
    return multi + tuple(ArLocation(c, False) for c in doc["regions"])


def ar_data_source() -> tuple[str, str]:
    doc = _data.load("artifact_registry_locations.json")
    return str(doc["source"]), str(doc["as_of"])


LOCATION_FORM = "an Artifact Registry location such as 'europe-west2' or 'us'"


LOCATION_SPEC = validation.Spec(
    "ar_location",
    LOCATION_FORM,
    (
        validation.Check("known"),
        validation.Check("required"),
        validation.Check("suffix", literal=GAR_HOST_SUFFIX, hint="give the location, not the host"),
        # An AWS region (or Availability Zone): the Google Cloud region in the same place, or none.
        *(
            validation.Check(
                "reject",
                pattern=rf"{validation.literal(code)}(?:[a-z])?",
                hint=places.aws_hint(code) or "",
            )
            for code in places.aws_names()
        ),
        validation.Check("fail", hint="{close}"),
    ),
    closest=validation.Closest(normalize=True, none="unknown location"),
)


def closest_locations(value: str, n: int = 1) -> list[str]:
    """Artifact Registry locations to suggest for ``value``: for an AWS region, the Google Cloud
    region in the same place (or none); else the close location codes (or none)."""
    if places.aws_region_of(value) is not None:
        return _same_place(value, n)
    return difflib.get_close_matches(
        value.strip().lower(), [loc.code for loc in ar_locations()], n=n, cutoff=0.6
    )


def _same_place(aws_value: str, n: int) -> list[str]:
    code = places.aws_region_of(aws_value)
    return list(places.google_regions_at(code))[:n] if code else []


def validate_ar_location(value: object, field: str = "location") -> ArLocation:
    """Return the known location for ``value`` or raise RuleError naming the closest ones."""
    known = {loc.code: loc for loc in ar_locations()}
    validation.run(LOCATION_SPEC, value, field, tuple(known))
    assert isinstance(value, str)
    return known[value]


def ar_docker_host(location: str, field: str = "location") -> str:
    """``<location>-docker.pkg.dev``."""
    return f"{validate_ar_location(location, field).code}{GAR_HOST_SUFFIX}"


#: Every Artifact Registry host is ``<location>-<format>.pkg.dev``; only the ``docker`` format
#: serves container images (docs.cloud.google.com/artifact-registry/docs/docker/names; the
#: other formats' pages name ``-maven``, ``-npm``, ``-python``, ``-apt``, ``-yum``, ``-go``).
_AR_FORMAT_HOST = re.compile(r"([a-z0-9]+(?:-[a-z0-9]+)*)-([a-z0-9]+)\.pkg\.dev")
AR_DOCKER_FORMAT = "docker"


def ar_format_of_host(host: str) -> tuple[str, str] | None:
    """(location, format) of an Artifact Registry ``<location>-<format>.pkg.dev`` host."""
    found = _AR_FORMAT_HOST.fullmatch(host)
    return (found.group(1), found.group(2)) if found else None


def ar_location_of_host(host: str) -> str | None:
    """The location in a ``<location>-docker.pkg.dev`` host, or None for another host."""
    if host.endswith(GAR_HOST_SUFFIX):
        return host[: -len(GAR_HOST_SUFFIX)]
    return None


# --- GCP regions (object storage, Cloud SQL) ----------------------------------------------------

REGION_FORM = "a GCP region such as 'europe-west2' (lowercase, a region, not a zone)"
#: What a fix names when no Google Cloud region is suggested.
REGION_TO_WRITE = "the Google Cloud region the resource is in, as the Cloud console shows it"
_ZONE_SUFFIX = re.compile(r"^([a-z]+-[a-z]+\d+)-[a-z]$")


@cache
def region_codes() -> tuple[str, ...]:
    """GCP regions: Artifact Registry's regional locations, which Google offers in every region.

    (inference: the list Google publishes for Artifact Registry doubles as the region list;
    a region opened after the data file's as-of date is reported as unknown.)
    """
    return tuple(loc.code for loc in ar_locations() if not loc.multi_region)


def validate_region(value: object, field: str = "region") -> str:
    """Return ``value`` if it is a known GCP region, else raise RuleError naming the closest."""
    known = region_codes()
    if isinstance(value, str) and value in known:
        return value
    if not isinstance(value, str) or not value:
        raise RuleError(field, value, REGION_FORM)
    if value != value.strip():
        raise RuleError(field, value, REGION_FORM, "remove the surrounding whitespace")
    if value.lower() in known:
        raise RuleError(field, value, REGION_FORM, f"regions are lowercase: {value.lower()!r}")
    zone = _ZONE_SUFFIX.match(value)
    if zone and zone.group(1) in known:
        raise RuleError(
            field, value, REGION_FORM, f"that is a zone; its region is {zone.group(1)!r}"
        )
    if value in {loc.code for loc in ar_locations() if loc.multi_region}:
        raise RuleError(field, value, REGION_FORM, "a multi-region is not a region")
    aws_hint = places.aws_hint(value)
    if aws_hint is not None:
        raise RuleError(field, value, REGION_FORM, aws_hint)
    like_aws = _like_aws_region(value)
    if like_aws is not None:
        raise RuleError(field, value, REGION_FORM, like_aws[1])
    close = closest_regions(value, 3)
    hint = "closest known: " + ", ".join(close) if close else "unknown region"
    raise RuleError(field, value, REGION_FORM, hint)


def _ratio(value: str, known: list[str]) -> tuple[float, str]:
    """(similarity, code) of the code in ``known`` most like ``value`` (difflib's ratio)."""
    best = (0.0, "")
    for code in known:
        r = difflib.SequenceMatcher(None, value, code).ratio()
        best = max(best, (r, code))
    return best


def _like_aws_region(value: str) -> tuple[list[str], str] | None:
    """For a value closer to an AWS region code than to any Google one (``eu-west-22``): the
    Google Cloud regions in the place of that AWS region, and a hint saying so. None when a
    Google code is at least as close, or when nothing is close to either."""
    v = value.strip().lower()
    google, _ = _ratio(v, list(region_codes()))
    aws, aws_code = _ratio(v, list(places.aws_names()))
    if aws < 0.6 or aws <= google:
        return None
    same = list(places.google_regions_at(aws_code))
    what = f"close to the AWS region code {aws_code!r}, {places.aws_names()[aws_code]}"
    if not same:
        return [], f"{what}; Google Cloud has no region there"
    return same, f"{what}; the Google Cloud region there: " + " or ".join(repr(c) for c in same)


def closest_regions(value: str, n: int = 1) -> list[str]:
    """GCP regions to suggest for ``value``, within Google Cloud and the place.

    An AWS region (or Availability Zone), or a value closer to an AWS code than to a Google one,
    gets the Google Cloud region in the same place or none; a zone its region; anything else the
    close Google codes, or none when nothing is close: never a far-away string.
    """
    v = value.strip().lower()
    if places.aws_region_of(v) is not None:
        return _same_place(v, n)
    zone = _ZONE_SUFFIX.match(v)
    if zone and zone.group(1) in region_codes():
        return [zone.group(1)]
    like_aws = _like_aws_region(v)
    if like_aws is not None:
        return like_aws[0][:n]
    return difflib.get_close_matches(v, list(region_codes()), n=n, cutoff=0.6)
