"""Markdown for the prerequisite commands (:mod:`gitpod_resources.prerequisites`) and the checks
that close a platform page (:mod:`gitpod_resources.platforms`).

A prerequisites block is the variables snippet first (every step reads it), then one code block
per step under its title, what to know, and the sources of the claims beside them. It is wrapped
like an example (``div.gp-prereq`` with the kind and the inputs) so the tests can compute the same
block from the rules and compare.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence

from gitpod_resources import aws, config, platforms, prerequisites, sources
from gitpod_resources.errors import RuleError
from gitpod_resources.prerequisites import Prerequisites
from macros.render import cite, code, code_block, table, tabs

#: What the variables block says first: the reader's values, before anything reads them.
VARIABLES_LEAD = "Set your values first; every command below reads them:"


def _wrap(kind: str, inputs: dict[str, str], body: str) -> str:
    attrs = (
        f'class="gp-prereq" data-prereq="{html.escape(kind)}" '
        f"data-inputs='{html.escape(json.dumps(inputs, sort_keys=True), quote=True)}'"
    )
    return f"<div {attrs} markdown>\n\n{body}\n\n</div>"


def body(pre: Prerequisites) -> str:
    """The variables, each step's title and command, the notes and the sources, in order."""
    parts = [VARIABLES_LEAD, code_block("bash", pre.variables)]
    for n, step in enumerate(pre.steps, start=1):
        parts += [f"**{n}. {step.title}.**", code_block("bash", step.command)]
    if pre.notes:
        parts.append("\n".join(f"- {note}" for note in pre.notes))
    parts.append(cite([sources.get(c) for c in pre.claims]))
    return "\n\n".join(parts)


def block(kind: str, inputs: dict[str, str], pre: Prerequisites) -> str:
    """One set of prerequisites, wrapped for the tests."""
    return _wrap(kind, inputs, body(pre))


def region_label(region: str) -> str:
    """A tab's label: the region code, validated (short, so four labels fit a narrow screen
    without a scrolling label strip; the page says which partition each is in)."""
    return aws.validate_region(region).code


def aws_by_region(regions: Sequence[str], inputs: dict[str, str]) -> str:
    """:func:`prerequisites.aws_s3` for each region, one content tab each (the commands differ by
    region: the LocationConstraint, and the ARN partition of the policy)."""
    items = []
    for region in regions:
        values = {**inputs, "region": region}
        items.append(
            (region_label(region), block("aws", values, prerequisites.build("aws", values)))
        )
    return tabs(items)


def ca_config_block() -> str:
    """The installer config's ``customCACert`` (the secret is a step of the Harbor block)."""
    return f"Add to {code(config.CONFIG_FILE)}:\n\n" + code_block(
        "yaml", config.to_yaml(prerequisites.ca_config())
    )


def check_commands(platform: str, private_ca: str = "no") -> str:
    """The check, then the probe, each a block of its own (each copies on its own)."""
    if private_ca not in ("yes", "no"):
        raise RuleError("private_ca", private_ca, "'yes' or 'no'")
    probe = platforms.probe_command(platform, private_ca=private_ca == "yes")
    attrs = f'class="gp-checks" data-platform="{html.escape(platform)}"'
    body = "\n\n".join(
        [
            code_block("bash", platforms.check_command()),
            code_block("bash", probe),
        ]
    )
    return f"<div {attrs} markdown>\n\n{body}\n\n</div>"


#: The two ways a registry's certificate is signed, as the on-prem page's linked tabs name them.
CA_LABELS = ("Certificate from a public CA", "Certificate from your own CA")


def harbor_by_ca(inputs: dict[str, str]) -> str:
    """:func:`prerequisites.harbor` without and with a private CA, one content tab each (with a
    private CA, curl trusts it and Gitpod gets it as ``customCACert``)."""
    items = []
    for label, private in zip(CA_LABELS, ("no", "yes"), strict=True):
        values = {**inputs, "private_ca": private}
        items.append((label, block("harbor", values, prerequisites.build("harbor", values))))
    return tabs(items)


def ca_config_by_ca() -> str:
    """What the installer config adds for each CA tab: nothing, or ``customCACert``."""
    nothing = "Nothing to add for a certificate from a public CA."
    return tabs(list(zip(CA_LABELS, (nothing, ca_config_block()), strict=True)))


def checks_by_ca(platform: str) -> str:
    """:func:`check_commands` without and with a private CA, in the same linked tabs."""
    return tabs(
        [
            (label, check_commands(platform, private))
            for label, private in zip(CA_LABELS, ("no", "yes"), strict=True)
        ]
    )


#: The columns of :func:`region_table`.
REGION_COLUMNS = ("Region", "S3 endpoint", "LocationConstraint", "Policy ARNs")


def region_table(regions: Sequence[str]) -> str:
    """What a region changes on the AWS page: its partition, the S3 endpoint both components
    take, the LocationConstraint a new bucket names (none in us-east-1) and the ARN prefix."""
    rows = []
    for region in regions:
        constraint = aws.location_constraint(region)
        rows.append(
            (
                f"{code(region)}<br>{aws.partition_of(region).name}",
                code(aws.s3_endpoint(region)),
                "the region" if constraint == region else "none",
                code(f"arn:{aws.arn_partition(region)}:s3:::"),
            )
        )
    return table(REGION_COLUMNS, rows)
