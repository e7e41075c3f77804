"""Which AWS region and which Google Cloud region are in the same place.

A reader who enters one provider's region where the other's is needed is told the region of the
right provider in the same place, or that there is none: never the closest string (London's
``eu-west-2`` is not Los Angeles' ``us-west2``).

The AWS side is the region's name in botocore's endpoints.json
(``gitpod_resources/data/aws_s3_regions.json``, e.g. "Europe (London)": the place is the part in
parentheses); the Google side is ``gitpod_resources/data/gcp_region_places.json`` (Google's
description, city and area of each region, with its sources). A place matches when the AWS place
equals the Google region's city, area (state or province), or description unless the description is
only the country: never a country alone. Only AWS's standard partition is matched (GovCloud, China,
ISO and the sovereign cloud are not places a Google Cloud reader moves to).

This module reads both data files itself, so :mod:`gitpod_resources.aws` and
:mod:`gitpod_resources.gcp` can both import it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from . import _data

DATA_FILE = "gcp_region_places.json"
AWS_DATA_FILE = "aws_s3_regions.json"
#: The AWS partition whose regions are matched to Google Cloud places.
AWS_PARTITION = "aws"

#: The first word of every Google Cloud region code (a continent, or ``me``, ``us``).
GOOGLE_AREAS = ("africa", "asia", "australia", "europe", "me", "northamerica", "southamerica", "us")
#: Google Cloud region codes (``europe-west2``) and zones (``europe-west2-b``).
GOOGLE_CODE = rf"(?:{'|'.join(GOOGLE_AREAS)})-[a-z]+[0-9]+"
GOOGLE_ZONE = rf"({GOOGLE_CODE})-[a-z]"
#: AWS region codes (``eu-west-2``) and Availability Zones (``eu-west-2a``).
AWS_ZONE = r"([a-z]{2,4}(?:-[a-z]+)+-[0-9]+)[a-z]"


@dataclass(frozen=True)
class GooglePlace:
    code: str
    description: str
    city: str
    area: str
    country: str

    @property
    def where(self) -> str:
        """How a message names the place: 'London', 'The Dalles, Oregon', 'Belgium'."""
        parts = [self.city, self.area] if self.area and self.area != self.city else [self.city]
        if self.description not in parts and self.description != self.country:
            return self.description
        if self.country and self.country not in parts:
            parts.append(self.country)
        return ", ".join(parts)

    def names(self) -> frozenset[str]:
        found = {self.city, self.area}
        if self.description != self.country:
            found.add(self.description)
        return frozenset(normalize(n) for n in found if n)


@cache
def normalize(name: str) -> str:
    """Case, accents and AWS's abbreviation "N." ignored: 'N. Virginia' = 'Northern Virginia'."""
    folded = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in folded if not unicodedata.combining(c)).casefold().strip()
    return re.sub(r"^n\.\s*", "northern ", text)


@cache
def google_places() -> dict[str, GooglePlace]:
    doc = _data.load(DATA_FILE)
    return {
        r["code"]: GooglePlace(
            r["code"], r["description"], r["city"], r.get("area", ""), r.get("country", "")
        )
        for r in doc["regions"]
    }


def data_source() -> tuple[str, str]:
    doc = _data.load(DATA_FILE)
    return str(doc["source"]), str(doc["as_of"])


@cache
def aws_names() -> dict[str, str]:
    """AWS region code -> AWS's name for it ("Europe (London)"), every partition."""
    doc = _data.load(AWS_DATA_FILE)
    return {r["code"]: r["name"] for p in doc["partitions"] for r in p["regions"]}


@cache
def _aws_standard() -> tuple[str, ...]:
    doc = _data.load(AWS_DATA_FILE)
    return tuple(
        r["code"] for p in doc["partitions"] if p["id"] == AWS_PARTITION for r in p["regions"]
    )


def aws_place(code: str) -> str:
    """The place in an AWS region's name: 'London' in 'Europe (London)' ('' if none)."""
    found = re.search(r"\(([^()]*)\)\s*$", aws_names().get(code, ""))
    return found.group(1).strip() if found else ""


def google_regions_at(aws_code: str) -> tuple[str, ...]:
    """The Google Cloud regions in the same place as the AWS region (none: empty)."""
    if aws_code not in _aws_standard():
        return ()
    place = normalize(aws_place(aws_code))
    if not place:
        return ()
    return tuple(c for c, p in google_places().items() if place in p.names())


@cache
def _aws_standard_places() -> tuple[tuple[str, str], ...]:
    """(code, normalized place) of each AWS region of the standard partition."""
    return tuple((c, normalize(aws_place(c))) for c in _aws_standard())


def aws_regions_at(google_code: str) -> tuple[str, ...]:
    """The AWS regions (standard partition) in the same place as the Google Cloud region."""
    found = google_places().get(google_code)
    if found is None:
        return ()
    names = found.names()
    return tuple(c for c, place in _aws_standard_places() if place in names)


def google_region_of(value: str) -> str | None:
    """The Google Cloud region a value names, as a region or a zone (None: neither)."""
    v = value.strip().lower()
    zone = re.fullmatch(GOOGLE_ZONE, v)
    code = zone.group(1) if zone else v
    return code if code in google_places() else None


def aws_region_of(value: str) -> str | None:
    """The AWS region a value names, as a region or an Availability Zone (None: neither)."""
    v = value.strip().lower()
    zone = re.fullmatch(AWS_ZONE, v)
    code = zone.group(1) if zone else v
    return code if code in aws_names() else None


def google_hint(value: str) -> str | None:
    """For a Google Cloud region (or zone) entered where an AWS region is needed: what it is and
    the AWS region in the same place, or that AWS has none there. None for any other value."""
    code = google_region_of(value)
    if code is None:
        return None
    place = google_places()[code]
    what = f"{code!r} is a Google Cloud region, in {place.where}"
    same = aws_regions_at(code)
    if not same:
        return f"{what}; AWS has no region there"
    return f"{what}; the AWS region there: enter " + " or ".join(repr(c) for c in same)


def aws_hint(value: str) -> str | None:
    """For an AWS region (or Availability Zone) entered where a Google Cloud location is needed:
    what it is and the Google Cloud region in the same place, or that Google has none there."""
    code = aws_region_of(value)
    if code is None:
        return None
    what = f"{code!r} is an AWS region, {aws_names()[code]}"
    same = google_regions_at(code)
    if not same:
        return f"{what}; Google Cloud has no region there"
    return f"{what}; the Google Cloud region there: enter " + " or ".join(repr(c) for c in same)
