"""Regenerate macros/data/aws_s3_regions.json from the pinned botocore.

botocore is the source of the region *lists* and of the curated FIPS/dual-stack flags; the
rules module never imports it. Run `make refresh-data` after bumping botocore in the lock,
then review the diff: `make test` checks the file against the pinned botocore again.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import botocore
from botocore.loaders import create_loader

OUT = Path(__file__).resolve().parent.parent / "macros" / "data" / "aws_s3_regions.json"
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
            "regionRegex) and data/endpoints.json (S3 entries and their explicit fips and "
            "dualstack variants)"
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
