"""Regenerate gitpod_resources/data/aws_s3_regions.json from the pinned botocore.

botocore is the source of the region *lists* and of the curated FIPS/dual-stack flags; the
rules module never imports it. Run `make refresh-data` after bumping botocore in the lock,
then review the diff: `make test` checks the file against the pinned botocore again.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import botocore
from botocore.loaders import create_loader

OUT = Path(__file__).resolve().parent.parent / "gitpod_resources" / "data" / "aws_s3_regions.json"
# Order the site shows the partitions in: standard first, then the rest as the issue asks.
ORDER = [
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
]


#: endpoints.json's variant tags (sorted) -> the name the data file gives the variant.
VARIANTS = {
    (): "plain",
    ("fips",): "fips",
    ("dualstack",): "dualstack",
    ("dualstack", "fips"): "fips+dualstack",
}


def published_hosts(s3: dict[str, Any], dns_suffix: str) -> dict[str, dict[str, list[str]]]:
    """region -> variant -> every S3 host endpoints.json lists for the region.

    A region's entry gives its ``hostname`` (plain) and its ``variants`` (each with its tags);
    a pseudo-region entry (``aws-global``, ``s3-external-1``, the deprecated ``fips-<region>``)
    gives a host of the region its ``credentialScope`` names: FIPS for ``fips-*``, else plain.
    """
    out: dict[str, dict[str, set[str]]] = {}
    for name, entry in s3.items():
        region = entry.get("credentialScope", {}).get("region", name)
        found: list[tuple[tuple[str, ...], str]] = []
        if "hostname" in entry:
            pseudo_fips = name != region and name.startswith("fips-")
            found.append((("fips",) if pseudo_fips else (), entry["hostname"]))
        for variant in entry.get("variants", []):
            if "hostname" in variant:
                found.append((tuple(sorted(variant.get("tags", []))), variant["hostname"]))
        for tags, host in found:
            text = host.replace("{region}", region).replace("{dnsSuffix}", dns_suffix)
            out.setdefault(region, {}).setdefault(VARIANTS[tags], set()).add(text)
    return {
        region: {v: sorted(by_variant[v]) for v in VARIANTS.values() if v in by_variant}
        for region, by_variant in out.items()
    }


def main() -> int:
    loader = create_loader()
    partitions = {p["id"]: p for p in loader.load_data("partitions")["partitions"]}
    endpoints = {p["partition"]: p for p in loader.load_data("endpoints")["partitions"]}
    if sorted(partitions) != sorted(ORDER):
        print(f"partitions changed: {sorted(partitions)}", file=sys.stderr)
        return 1
    out_parts = []
    for pid in ORDER:
        part = partitions[pid]
        s3 = endpoints[pid]["services"].get("s3", {}).get("endpoints", {})
        published = published_hosts(s3, endpoints[pid]["dnsSuffix"])
        regions = []
        for code, info in sorted(part["regions"].items()):
            if code.endswith("-global"):
                continue  # pseudo-region, not a place a bucket lives
            entry = s3.get(code, {})
            tags = {tuple(sorted(v.get("tags", []))) for v in entry.get("variants", [])}
            regions.append(
                {
                    "code": code,
                    "name": info.get("description", code),
                    "listed_for_s3": code in s3,
                    "fips": ("fips",) in tags,
                    "dualstack": ("dualstack",) in tags,
                    "hosts": published.get(code, {}),
                }
            )
        out_parts.append(
            {
                "id": pid,
                "name": endpoints[pid]["partitionName"],
                "dns_suffix": part["outputs"]["dnsSuffix"],
                "region_regex": part["regionRegex"],
                "regions": regions,
            }
        )
    doc = {
        "source": (
            f"botocore {botocore.__version__}: data/partitions.json (regions, dnsSuffix, "
            "regionRegex) and data/endpoints.json (S3 entries: the hosts each region's entry, "
            "its fips, dualstack and fips+dualstack variants, and the pseudo-regions scoped to "
            "it list)"
        ),
        "as_of": date.today().isoformat(),
        "generated_by": "scripts/refresh_aws_data.py (make refresh-data)",
        "partitions": out_parts,
    }
    OUT.write_text(json.dumps(doc, indent=2) + "\n")
    print(f"wrote {OUT.relative_to(Path.cwd()) if OUT.is_relative_to(Path.cwd()) else OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
