"""Reference tables: one row per region, location or host, each row anchored by its code.

Rows are raw HTML (``<tr id="eu-central-2">``) because a Markdown table cannot carry a row id;
MkDocs collects ids from raw HTML too, so ``s3-endpoints.md#eu-central-2`` passes strict anchor
validation. Tables have no ``class`` so Material styles them like any other table; tests find
them by ``data-gp-table``. Pure functions over the rules, no MkDocs import.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from gitpod_resources import aws, config, gcp, registry

NONE = "\u2014"  # em dash: "AWS publishes no such host"

#: Column headers, shared with the tests that parse the built tables.
#: The endpoint column is titled like the admin console field it fills.
S3_COLUMNS = (
    "Region",
    config.kots_title("reg_incluster_storage_s3_endpoint"),
    "FIPS endpoint",
    "Dual-stack endpoint",
)
AR_COLUMNS = (
    "Location",
    "Docker host",
    config.kots_title("reg_url"),
    config.kots_title("reg_server"),
)
GCR_COLUMNS = ("Host", "Served by Artifact Registry location", "Artifact Registry repository")
ECR_COLUMNS = ("Partition", "Private registry host", "Example", "Source")

#: Example inputs for the registry columns (a reader swaps in their own).
EXAMPLE_PROJECT = "my-gcp-project"
EXAMPLE_REPOSITORY = "gitpod"
EXAMPLE_ACCOUNT = "123456789012"


def code(text: str) -> str:
    return f"<code>{escape(text)}</code>"


def note(text: str) -> str:
    return f"<br><small>{text}</small>"


def html_table(
    kind: str,
    header: Sequence[str],
    rows: Iterable[tuple[str, Sequence[str]]],
    attrs: str = "",
) -> str:
    """A raw HTML table; ``rows`` are (row id, cells as HTML). One line per row, no blank lines."""
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    lines = [f'<table data-gp-table="{escape(kind)}"{attrs}>', f"<thead><tr>{head}</tr></thead>"]
    lines.append("<tbody>")
    for row_id, cells in rows:
        tds = "".join(f"<td>{c}</td>" for c in cells)
        lines.append(f'<tr id="{escape(row_id)}">{tds}</tr>')
    lines += ["</tbody>", "</table>"]
    return "\n".join(lines)


def source_line(source: str, as_of: str) -> str:
    return f"*Source: {escape(source)}. As of {escape(as_of)}.*"


# --- S3 ------------------------------------------------------------------------------------------


def s3_row(region: aws.Region) -> tuple[str, list[str]]:
    hosts = aws.s3_hosts(region.code)
    place = code(region.code) + note(escape(region.name))
    if not region.listed_for_s3:
        place += note("new: in botocore's partition data, not yet in its S3 endpoint list")
    endpoint = code(hosts.endpoint)
    if hosts.endpoint != hosts.regional:
        endpoint += note(f"the default; regional form: {code(hosts.regional)}")
    fips = code(hosts.fips) if hosts.fips else NONE
    dualstack = code(hosts.dualstack) if hosts.dualstack else NONE
    return region.code, [place, endpoint, fips, dualstack]


def s3_partition_table(partition_id: str) -> str:
    part = aws.partition(partition_id)
    return html_table(
        "s3-endpoints",
        S3_COLUMNS,
        (s3_row(r) for r in part.regions),
        f' data-partition="{escape(part.id)}"',
    )


def s3_endpoint_tables(level: int = 2) -> str:
    """One section per partition, in the data file's order, each with its table."""
    hashes = "#" * level
    parts = []
    for part in aws.partitions():
        fips = sum(1 for r in part.regions if r.fips)
        dualstack = sum(1 for r in part.regions if r.dualstack)
        intro = (
            f"Partition {code(part.id)}, DNS suffix {code(part.dns_suffix)}: "
            f"{len(part.regions)} region{'s' if len(part.regions) != 1 else ''}, "
            f"{fips} with a published FIPS host, {dualstack} with a published dual-stack host."
        )
        if part.id == "aws-cn":
            intro += " S3 in China has no FIPS endpoints: AWS's rules reject FIPS there."
        parts.append(
            f"{hashes} {part.name} {{ #{part.id} }}\n\n{intro}\n\n{s3_partition_table(part.id)}"
        )
    source, as_of = aws.data_source()
    parts.append(source_line(source, as_of))
    return "\n\n".join(parts)


# --- Artifact Registry ----------------------------------------------------------------------------


def ar_row(location: gcp.ArLocation) -> tuple[str, list[str]]:
    setup = registry.gar(location.code, EXAMPLE_PROJECT, EXAMPLE_REPOSITORY)
    kind = "multi-region" if location.multi_region else "region"
    return location.code, [
        code(location.code) + note(kind),
        code(location.docker_host),
        code(setup.url or ""),
        code(setup.server or ""),
    ]


def ar_location_table() -> str:
    """Every Artifact Registry location: multi-regions first, then regions, as in the data file."""
    source, as_of = gcp.ar_data_source()
    table = html_table("ar-locations", AR_COLUMNS, (ar_row(loc) for loc in gcp.ar_locations()))
    return f"{table}\n\n{source_line(source, as_of)}"


# --- Container Registry (gcr.io) ------------------------------------------------------------------


def gcr_host_table() -> str:
    rows = (
        (h.host, [code(h.host), code(h.ar_location), code(h.ar_repository)])
        for h in gcp.gcr_hosts()
    )
    return html_table("gcr-hosts", GCR_COLUMNS, rows)


def gcr_timeline() -> str:
    """The deprecation and shutdown dates as a Markdown list, oldest first, with the source."""
    items = [f"- **{m.date.isoformat()}**: {escape(m.event)}." for m in gcp.gcr_timeline()]
    source, as_of = gcp.gcr_data_source()
    return "\n".join(items) + "\n\n" + source_line(source, as_of)


# --- ECR (not supported; for recognising the host) ------------------------------------------------


def ecr_row(part: aws.Partition) -> tuple[str, list[str]]:
    example_region = next((r for r in part.regions if r.listed_for_s3), part.regions[0])
    example = aws.ecr_registry_host(EXAMPLE_ACCOUNT, example_region.code)
    if part.id in aws.ECR_DOCUMENTED_PARTITIONS:
        source = "AWS documentation"
    else:
        source = (
            "(inference) the partition's DNS suffix, as botocore's ECR API endpoint uses it; "
            "not in AWS's public documentation"
        )
    return f"ecr-{part.id}", [
        escape(part.name) + note(code(part.id)),
        code(aws.ecr_host_pattern(part.id)),
        code(example),
        source,
    ]


def ecr_host_table() -> str:
    """The ECR private registry host per partition, so a reader recognises one."""
    return html_table("ecr-hosts", ECR_COLUMNS, (ecr_row(p) for p in aws.partitions()))
