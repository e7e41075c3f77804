"""The platform pages (AWS, Google Cloud, your own registry), built: reachable from the home page,
every prerequisites block the rules' own output with its claims cited beside it, the AWS tabs
one region each with the partition botocore gives it, every variable a command reads set by an
earlier block whichever tab the reader picks, and the checks last."""

from __future__ import annotations

import json
import re

import botocore.session
from bs4 import Tag

from gitpod_resources import platforms, prerequisites, sources
from tests.conftest import Site
from tests.oracles import botocore_s3_host
from tests.support.bash_blocks import linked_choices, undefined_reads

PAGES = {
    "aws": "putting-together/aws/index.html",
    "gcp": "putting-together/gcp/index.html",
    "on-prem": "putting-together/on-prem/index.html",
}
#: The AWS page's region tabs: one region of each kind (a LocationConstraint or none, three
#: partitions), as a reader in China or GovCloud looks for theirs.
AWS_REGIONS = {"eu-west-2", "us-east-1", "cn-north-1", "us-gov-west-1"}


def blocks_of(el: Tag) -> list[str]:
    return [c.get_text() for c in el.select("pre code")]


def tab_label_of(el: Tag) -> str:
    """The label of the tab ``el`` is in ("" outside tabs)."""
    block = el.find_parent("div", class_="tabbed-block")
    if block is None:
        return ""
    tabbed = block.find_parent("div", class_="tabbed-set")
    assert tabbed is not None
    labels = [lab.get_text(strip=True) for lab in tabbed.select(".tabbed-labels > label")]
    return labels[tabbed.select(":scope > .tabbed-content > .tabbed-block").index(block)]


def prereq_blocks(site: Site, page: str) -> list[Tag]:
    return site.soup(page).select("div.gp-prereq")


def test_the_home_page_leads_to_each_platform(site: Site) -> None:
    article = site.soup("index.html").select_one("article")
    assert article is not None
    hrefs = {str(a["href"]) for a in article.select("a[href]")}
    for page in PAGES.values():
        assert page.removesuffix("index.html") in hrefs, page
    nav = {str(a["href"]) for a in site.soup("index.html").select("nav a[href]")}
    assert all(any(p.removesuffix("index.html") in h for h in nav) for p in PAGES.values())


def test_every_prerequisites_block_is_the_rules_output_with_its_claims(site: Site) -> None:
    seen = 0
    for page in site.pages():
        for div in prereq_blocks(site, page):
            kind = str(div["data-prereq"])
            inputs = json.loads(str(div["data-inputs"]))
            pre = prerequisites.build(kind, inputs)
            assert blocks_of(div) == [pre.variables] + [s.command for s in pre.steps], (
                page,
                kind,
                inputs,
            )
            cited = {str(a["href"]) for a in div.select("p.gp-source a[href]")}
            for claim in pre.claims:
                urls = {s.url for s in sources.get(claim).sources}
                assert urls <= cited, f"{page} {kind}: claim {claim} not cited beside the commands"
            seen += 1
    assert seen >= 8


def test_the_aws_tabs_are_one_region_each_in_botocores_partition(site: Site) -> None:
    partitions = botocore.session.get_session().get_data("partitions")["partitions"]

    def partition_of(region: str) -> str:
        (found,) = [p for p in partitions if region in p["regions"]]
        return str(found["outputs"]["name"])

    soup = site.soup(PAGES["aws"])
    regions = set()
    for block in soup.select(".tabbed-block"):
        div = block.select_one("div.gp-prereq")
        if div is None:
            continue
        region = json.loads(str(div["data-inputs"]))["region"]
        regions.add(region)
        policy = next(t for t in blocks_of(div) if t.startswith("cat > "))
        arns = re.findall(r'"(arn:[^"]+)"', policy)
        assert arns and all(a.startswith(f"arn:{partition_of(region)}:s3:::") for a in arns)
        create = next(t for t in blocks_of(div) if "create-bucket" in t)
        # S3 API reference: every region but us-east-1 names itself as the LocationConstraint.
        assert ("LocationConstraint" in create) == (region != "us-east-1"), region
    assert regions == AWS_REGIONS
    labels = [lab.get_text(strip=True) for lab in soup.select(".tabbed-labels > label")]
    assert set(labels) >= AWS_REGIONS, labels
    # The table of what a region changes, one row per tab, against botocore.
    table = soup.select_one("#region ~ div.md-typeset__scrollwrap table, #region ~ table")
    assert table is not None
    shown = {}
    for tr in table.select("tbody tr"):
        region, endpoint, constraint, arn = tr.find_all("td")
        code = region.select_one("code")
        assert code is not None
        shown[code.get_text()] = (endpoint.get_text(), constraint.get_text(), arn.get_text())
    assert set(shown) == AWS_REGIONS
    for region, (endpoint, constraint, arn) in shown.items():
        assert endpoint == botocore_s3_host(region), region
        assert (constraint == "none") == (region == "us-east-1"), region
        assert arn == f"arn:{partition_of(region)}:s3:::", region


def test_every_variable_a_command_reads_is_set_by_an_earlier_block(site: Site) -> None:
    """In the order a reader runs them, whichever region or CA tab they pick."""
    for name, page in PAGES.items():
        soup = site.soup(page)
        assert len(linked_choices(soup)) > 1 or name == "gcp", f"{page}: tabs to pick from"
        assert undefined_reads(soup) == [], name


def test_each_platform_page_ends_with_the_check_and_the_probe(site: Site) -> None:
    for name, page in PAGES.items():
        divs = site.soup(page).select("div.gp-checks")
        assert divs, page
        for div in divs:
            private = "own CA" in tab_label_of(div)
            assert str(div["data-platform"]) == name
            assert blocks_of(div) == [
                platforms.check_command(),
                platforms.probe_command(name, private_ca=private),
            ]
        headings = [h.get("id") for h in site.soup(page).select("article h2")]
        assert headings.index("check") > headings.index("configure"), (page, headings)
