"""The S3 endpoint rules against botocore, for every region of every partition it knows.

The oracle is botocore's own S3 endpoint ruleset (``EndpointProvider`` with the bundled ruleset
and partition data), the code path real requests take; ``client.meta.endpoint_url`` is not used.
Region lists come from ``get_available_regions('s3', partition_name=p)`` for every partition and
from partitions.json, so a region botocore knows but the rules lack fails, and so does a region
the rules know but botocore does not.
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections.abc import Callable
from pathlib import Path

import botocore
import pytest
from botocore.exceptions import EndpointResolutionError

from gitpod_resources import aws, registry
from gitpod_resources.errors import RuleError
from tests.conftest import ROOT
from tests.oracles import (
    botocore_curated_s3_variant,
    botocore_ecr_api_host,
    botocore_partitions,
    botocore_s3_host,
    botocore_s3_listed_regions,
    botocore_s3_regions,
)

PINNED_BOTOCORE = "1.44.8"
ORACLE = botocore_s3_regions()
ALL_REGIONS = sorted(r for regions in ORACLE.values() for r in regions)
PARTITION_OF = {r: p for p, regions in ORACLE.items() for r in regions}


def test_the_oracle_is_the_pinned_botocore() -> None:
    """Region lists change with every release: the lock pins the version these tests assume."""
    assert botocore.__version__ == PINNED_BOTOCORE
    # The research notes (botocore 1.44.8): 46 regions via get_available_regions, plus
    # me-west-1 and sa-west-1 that only partitions.json lists.
    assert len(ALL_REGIONS) == 48
    assert len(botocore_s3_listed_regions()) == 46
    assert {"me-west-1", "sa-west-1"} <= set(ALL_REGIONS) - botocore_s3_listed_regions()


# --- completeness, both ways -------------------------------------------------------------------


def test_the_rules_know_exactly_the_regions_botocore_knows() -> None:
    known = set(aws.region_codes())
    assert not set(ALL_REGIONS) - known, "botocore knows regions the rules lack"
    assert not known - set(ALL_REGIONS), "the rules list regions botocore cannot justify"
    assert len(aws.region_codes()) == len(known), "a region is listed twice"


def test_partitions_are_botocores_standard_first() -> None:
    ids = tuple(p.id for p in aws.partitions())
    assert set(ids) == set(botocore_partitions())
    assert len(ids) == len(set(ids)) and ids[0] == "aws"


@pytest.mark.parametrize("code", ALL_REGIONS)
def test_each_region_is_in_its_botocore_partition(code: str) -> None:
    """Both the data file's grouping and the rules' pattern match agree with botocore."""
    data_partition = next(p.id for p in aws.partitions() if code in {r.code for r in p.regions})
    assert data_partition == PARTITION_OF[code]
    assert aws.partition_of(code).id == PARTITION_OF[code]


@pytest.mark.parametrize("code", ALL_REGIONS)
def test_listed_for_s3_flag_matches_get_available_regions(code: str) -> None:
    region = aws.validate_region(code)
    assert region.listed_for_s3 == (code in botocore_s3_listed_regions())


# --- the endpoints -----------------------------------------------------------------------------


@pytest.mark.parametrize("code", ALL_REGIONS)
def test_endpoint_equals_botocore(code: str) -> None:
    """What the reader enters: the host a default botocore client sends to."""
    assert aws.s3_endpoint(code) == botocore_s3_host(code)


@pytest.mark.parametrize("code", ALL_REGIONS)
def test_regional_endpoint_equals_botocore_regional_mode(code: str) -> None:
    assert aws.s3_regional_endpoint(code) == botocore_s3_host(code, regional=True)


def test_only_us_east_1_differs_from_its_regional_form() -> None:
    differs = [c for c in ALL_REGIONS if botocore_s3_host(c) != botocore_s3_host(c, regional=True)]
    assert differs == [aws.GLOBAL_REGION]
    assert botocore_s3_host(aws.GLOBAL_REGION) == aws.GLOBAL_S3_ENDPOINT


#: The S3 host variants the rules show where AWS curates one: (botocore's tag, the rule).
VARIANTS = [("fips", aws.s3_fips_endpoint), ("dualstack", aws.s3_dualstack_endpoint)]


@pytest.mark.parametrize("code", ALL_REGIONS)
@pytest.mark.parametrize(("variant", "rule"), VARIANTS, ids=[v for v, _ in VARIANTS])
def test_variant_host_only_where_curated_and_as_resolved(
    variant: str, rule: Callable[[str], str | None], code: str
) -> None:
    """Shown: equals the ruleset's host of the variant and the curated one. Not shown: none is
    curated."""
    shown = rule(code)
    curated = botocore_curated_s3_variant(code, variant)
    assert shown == curated
    if shown is not None:
        resolved = botocore_s3_host(code, fips=variant == "fips", dualstack=variant == "dualstack")
        assert shown == resolved


@pytest.mark.parametrize("code", sorted(ORACLE["aws-cn"]))
def test_china_has_no_fips_because_the_ruleset_refuses_it(code: str) -> None:
    assert aws.s3_fips_endpoint(code) is None
    with pytest.raises(EndpointResolutionError, match="FIPS"):
        botocore_s3_host(code, fips=True)


def test_the_curated_counts_match_the_research_notes() -> None:
    """endpoints.json 1.44.8: FIPS for 6 aws + 2 GovCloud + 2 iso + 1 iso-b regions; dual-stack
    for 32 of 34 listed aws regions, both China and both GovCloud regions."""
    fips = {r.code for p in aws.partitions() for r in p.regions if r.fips}
    dual = {r.code for p in aws.partitions() for r in p.regions if r.dualstack}
    assert len(fips) == 11
    assert len(dual) == 36
    assert not fips & (ORACLE["aws-cn"] | ORACLE["aws-eusc"] | ORACLE["aws-iso-e"])


# --- the data file is what the script makes from the pinned botocore ---------------------------


def test_data_file_is_current_for_the_pinned_botocore(tmp_path: Path) -> None:
    """``make refresh-data`` would change nothing but the as-of date."""
    spec = importlib.util.spec_from_file_location(
        "refresh_aws_data", ROOT / "scripts" / "refresh_aws_data.py"
    )
    assert spec and spec.loader
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    script.OUT = tmp_path / "out.json"
    assert script.main() == 0
    fresh = json.loads(script.OUT.read_text())
    current = json.loads((ROOT / "gitpod_resources" / "data" / aws.DATA_FILE).read_text())
    fresh.pop("as_of")
    as_of = current.pop("as_of")
    assert fresh == current
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", as_of)
    assert PINNED_BOTOCORE in current["source"]


# --- bad input: one clear line that names the closest known regions ----------------------------


#: A value too far from every region code to propose one.
NOTHING = "<nothing>"


def named_regions(message: str) -> list[str]:
    """The region codes a message proposes ("closest known: a, b, c" or "enter 'x'")."""
    found = re.findall(r"closest known: ([a-z0-9, -]+)", message)
    names = [n.strip() for n in found[0].split(",")] if found else []
    names += re.findall(r"(?:enter|lowercase:) '([a-z0-9-]+)'", message)
    return names


@pytest.mark.parametrize(
    ("value", "proposes"),
    [
        ("eu-west-9", "eu-west-1"),
        ("eu-wset-1", "eu-west-1"),
        ("us-gov-east-2", "us-gov-east-1"),
        ("cn-north-2", "cn-north-1"),
        ("eusc-de-west-1", "eusc-de-east-1"),
        ("us-foo-1", None),
        ("mars", NOTHING),
        ("EU-WEST-1", "eu-west-1"),
        ("Eu-Central-2", "eu-central-2"),
        ("EU-WSET-1", "eu-west-1"),
        (" eu-west-1", "eu-west-1"),
        ("eu-west-1 ", "eu-west-1"),
        ("\teu-west-1\n", "eu-west-1"),
        ("https://eu-west-2", "eu-west-2"),
        ("https://s3.eu-west-2.amazonaws.com", "eu-west-2"),
        ("s3.cn-north-1.amazonaws.com.cn", "cn-north-1"),
        ("https://s3.amazonaws.com", NOTHING),
        ("eu-west-1.", "eu-west-1"),
        ("ap-southeast-2.", "ap-southeast-2"),
    ],
)
def test_bad_region_gets_one_line_naming_known_regions(value: str, proposes: str | None) -> None:
    with pytest.raises(RuleError) as err:
        aws.s3_endpoint(value)
    message = str(err.value)
    assert message.startswith(f"region: {value!r} is not valid; expected ")
    assert "\n" not in message
    names = named_regions(message)
    assert set(names) <= set(aws.region_codes()), message
    if proposes == NOTHING:
        assert names == [], message  # nothing is close: no far-away string instead
    elif proposes is not None:
        assert proposes in names, message


@pytest.mark.parametrize(("value", "fragment"), [("", "it is empty"), ("   ", "it is empty")])
def test_empty_region(value: str, fragment: str) -> None:
    with pytest.raises(RuleError, match=fragment) as err:
        aws.s3_endpoint(value)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("value", [None, 42, ["eu-west-1"]])
def test_region_that_is_not_text(value: object) -> None:
    with pytest.raises(RuleError, match="expected an AWS region code"):
        aws.s3_endpoint(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "rule", [aws.s3_fips_endpoint, aws.s3_dualstack_endpoint, aws.s3_regional_endpoint]
)
def test_every_endpoint_rule_rejects_what_s3_endpoint_rejects(rule: object) -> None:
    for value in ("eu-west-9", "EU-WEST-1", " eu-west-1", "eu-west-1.", "https://eu-west-1", ""):
        with pytest.raises(RuleError):
            rule(value)  # type: ignore[operator]


def test_the_registry_rule_passes_region_errors_through() -> None:
    with pytest.raises(RuleError, match=r"^region: 'eu-west-9'.*closest known: eu-west-\d"):
        registry.in_cluster_s3("gitpod-registry", "eu-west-9")


# --- ECR host per partition --------------------------------------------------------------------


@pytest.mark.parametrize("pid", sorted(ORACLE))
def test_ecr_host_uses_the_dns_suffix_botocore_gives_ecr(pid: str) -> None:
    """The registry host shares its suffix with the ECR API host botocore's ECR ruleset builds."""
    code = sorted(ORACLE[pid])[0]
    api = botocore_ecr_api_host(code)
    assert api.startswith(f"api.ecr.{code}.")
    suffix = api.removeprefix(f"api.ecr.{code}.")
    host = aws.ecr_registry_host("123456789012", code)
    assert host == f"123456789012.dkr.ecr.{code}.{suffix}"
    assert aws.is_ecr_host(host)
    assert aws.ecr_host_pattern(pid) == f"<account>.dkr.ecr.<region>.{suffix}"


def test_ecr_documented_forms() -> None:
    """AWS's docs: ``.amazonaws.com``, and ``.amazonaws.com.cn`` in China."""
    assert aws.ecr_host_pattern("aws") == "<account>.dkr.ecr.<region>.amazonaws.com"
    assert aws.ecr_host_pattern("aws-cn") == "<account>.dkr.ecr.<region>.amazonaws.com.cn"
    assert not aws.is_ecr_host("123456789012.dkr.ecr.eu-west-1.example.com")
    with pytest.raises(RuleError, match=r"^partition: 'aws-mars'"):
        aws.ecr_host_pattern("aws-mars")
