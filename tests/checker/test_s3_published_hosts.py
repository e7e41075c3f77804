"""Every S3 host AWS publishes for a region is accepted as that region's endpoint (issue #16).

The oracle is botocore's curated endpoint data itself (``data/endpoints.json`` of the pinned
botocore, read here directly, not through the rules' data file): for every region of every
partition, each host the S3 service lists for it (the region entry's ``hostname``, every
``variants`` entry: fips, dualstack, fips+dualstack, and the pseudo-regions whose
``credentialScope`` is the region, such as ``fips-us-west-2`` or ``s3-external-1``) must pass
REG206 and STO104, and a host published for another region must be rejected, with a fix that
keeps the variant the reader chose when the right region has one.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

import pytest

from gitpod_resources import aws
from tests.checker.cases.storage_database import s3 as storage_s3
from tests.checker.helpers import findings
from tests.checker.helpers import s3 as registry_s3
from tests.oracles import _endpoints_partitions, botocore_s3_host, botocore_s3_regions

ORACLE = botocore_s3_regions()
ALL_REGIONS = sorted(r for regions in ORACLE.values() for r in regions)
PARTITION_OF = {r: p for p, regions in ORACLE.items() for r in regions}
VARIANT_NAMES = {(): "plain", ("fips",): "fips", ("dualstack",): "dualstack"}
VARIANT_NAMES[("dualstack", "fips")] = "fips+dualstack"


@cache
def published() -> dict[str, dict[str, frozenset[str]]]:
    """region -> variant -> the S3 hosts endpoints.json lists for it."""
    out: dict[str, dict[str, set[str]]] = {}
    for part in _endpoints_partitions():
        suffix = part["dnsSuffix"]
        for name, entry in part["services"].get("s3", {}).get("endpoints", {}).items():
            scope = entry.get("credentialScope", {}).get("region", name)
            hosts: list[tuple[tuple[str, ...], str]] = []
            if "hostname" in entry:
                pseudo_fips = name != scope and name.startswith("fips-")
                hosts.append(((("fips",) if pseudo_fips else ()), entry["hostname"]))
            for variant in entry.get("variants", []):
                if "hostname" in variant:
                    hosts.append((tuple(sorted(variant["tags"])), variant["hostname"]))
            for tags, host in hosts:
                text = host.replace("{region}", scope).replace("{dnsSuffix}", suffix)
                by_variant = out.setdefault(scope, {})
                by_variant.setdefault(VARIANT_NAMES[tags], set()).add(text)
    return {r: {v: frozenset(h) for v, h in d.items()} for r, d in out.items()}


def cases() -> Iterator[tuple[str, str, str]]:
    for region in ALL_REGIONS:
        for variant, hosts in sorted(published().get(region, {}).items()):
            for host in sorted(hosts):
                yield region, variant, host


CASES = list(cases())


#: The two configs that name an S3 endpoint (the registry's backend, object storage), each built by
#: its checks' case fragments, and the code that judges the endpoint's region.
S3_CONFIGS = ((registry_s3, "REG206"), (storage_s3, "STO104"))


def test_the_oracle_covers_every_partition_and_variant() -> None:
    """The published hosts include the variants the issue names, in several partitions."""
    assert "s3-fips.dualstack.us-west-2.amazonaws.com" in published()["us-west-2"]["fips+dualstack"]
    with_hosts = {p for p in ORACLE if any(r in published() for r in ORACLE[p])}
    # iso-e, iso-f and eusc list their S3 regions with no host of their own (entries "{}").
    assert with_hosts == {"aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b"}
    variants = {v for r in published().values() for v in r}
    assert variants == {"plain", "fips", "dualstack", "fips+dualstack"}
    # A variant AWS publishes outside the standard partition (iso: FIPS + dual-stack only).
    assert published()["us-iso-east-1"]["fips+dualstack"] == {
        "s3-fips.dualstack.us-iso-east-1.c2s.ic.gov"
    }


@pytest.mark.parametrize(("region", "variant", "host"), CASES)
def test_every_published_host_is_accepted_for_its_region(
    region: str, variant: str, host: str
) -> None:
    assert aws.is_s3_endpoint_for(host, region), (variant, host)
    for config, code in S3_CONFIGS:
        found = [f for f in findings(config(region=region, endpoint=host)) if f.code == code]
        assert found == [], (variant, [f.message for f in found])


@pytest.mark.parametrize("region", ALL_REGIONS)
def test_the_resolved_default_host_is_accepted(region: str) -> None:
    """Also for regions endpoints.json does not list yet (me-west-1, sa-west-1)."""
    for regional in (False, True):
        assert aws.is_s3_endpoint_for(botocore_s3_host(region, regional=regional), region)


@pytest.mark.parametrize("region", ALL_REGIONS)
def test_a_host_published_for_another_region_is_rejected(region: str) -> None:
    own = set().union(*published().get(region, {}).values())
    own |= {botocore_s3_host(region), botocore_s3_host(region, regional=True)}
    others = {h for r, d in published().items() if r != region for hs in d.values() for h in hs}
    for host in sorted(others - own):
        assert not aws.is_s3_endpoint_for(host, region), host


def _another_region_of_the_variant(region: str, variant: str) -> tuple[str, str] | None:
    """(other region, its host of ``variant``) in the same partition, if one publishes it."""
    for other in sorted(ORACLE[PARTITION_OF[region]]):
        hosts = published().get(other, {}).get(variant)
        if other != region and hosts:
            return other, sorted(hosts)[0]
    return None


WRONG_REGION = [
    (region, variant)
    for region in ALL_REGIONS
    for variant in ("fips", "dualstack", "fips+dualstack")
    if _another_region_of_the_variant(region, variant)
]


@pytest.mark.parametrize(("region", "variant"), WRONG_REGION)
def test_the_fix_keeps_the_variant_the_reader_chose(region: str, variant: str) -> None:
    """A FIPS (dual-stack, both) host of the wrong region: the fix names the right region's
    host of the same variant, or its default endpoint where AWS publishes none."""
    found = _another_region_of_the_variant(region, variant)
    assert found is not None
    _, wrong = found
    own = sorted(published().get(region, {}).get(variant, ()))
    expected = own[0] if own else botocore_s3_host(region)
    for config, code in S3_CONFIGS:
        hits = [f for f in findings(config(region=region, endpoint=wrong)) if f.code == code]
        assert len(hits) == 1, (wrong, code)
        assert hits[0].fix.startswith(f"write {expected!r}"), (code, hits[0].fix)
        if not own:
            assert "no " in hits[0].fix, hits[0].fix  # says the region has no such host


@pytest.mark.parametrize("region", ALL_REGIONS)
def test_s3_hosts_carries_every_published_host(region: str) -> None:
    hosts = aws.s3_hosts(region)
    every = set().union(*published().get(region, {}).values())
    assert every <= hosts.accepted
    both = published().get(region, {}).get("fips+dualstack")
    assert hosts.fips_dualstack == (sorted(both)[0] if both else None)
