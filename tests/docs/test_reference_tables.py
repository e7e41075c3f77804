"""The reference tables, parsed from the built HTML, against the rules and independent oracles.

S3 rows are checked against botocore's ruleset and its region lists (both ways: a missing region
fails, and so does a row botocore cannot justify). Artifact Registry rows are checked against the
data file read directly and the ``<location>-docker.pkg.dev`` pattern; Container Registry rows
against the mapping the issue states from Google's transition table. Anchors are checked in the
HTML, under MkDocs' strict anchor validation, and in the search index.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from gitpod_resources import aws, registry
from macros import tables, theme
from tests.conftest import ROOT, Site, require
from tests.oracles import KOTS_TITLES, botocore_s3_host, botocore_s3_regions
from tests.support.small_site import small_site
from tests.support.warm_mkdocs import mkdocs_build_warm

S3_PAGE = "reference/s3-endpoints/index.html"
AR_PAGE = "reference/artifact-registry/index.html"
GCR_PAGE = "reference/container-registry-hosts/index.html"
REGISTRY_PAGE = "container-registry/index.html"
ECR_PAGE = "reference/ecr-hosts/index.html"
DATA = ROOT / "gitpod_resources" / "data"
NONE = "\u2014"
AR_HOST = re.compile(r"^(?P<loc>[a-z]+(?:-[a-z]+\d+)?)-docker\.pkg\.dev$")
#: Google's transition table, as the issue states it (gcr.io and us.gcr.io to us, ...).
GCR_TO_AR = {"gcr.io": "us", "us.gcr.io": "us", "eu.gcr.io": "europe", "asia.gcr.io": "asia"}


def rows(site: Site, page: str, kind: str) -> list[tuple[Tag, Tag]]:
    """(table, row) for every body row of every ``data-gp-table=kind`` table on ``page``."""
    found = []
    for table in site.soup(page).select(f'table[data-gp-table="{kind}"]'):
        for tr in table.select("tbody > tr"):
            found.append((table, tr))
    return found


def cells(tr: Tag) -> list[Tag]:
    return tr.find_all("td", recursive=False)


def first_code(td: Tag) -> str | None:
    """The value a reader copies from a cell: its first code span, or None for a dash."""
    code = td.find("code")
    if code is None:
        assert td.get_text(strip=True) == NONE, td
        return None
    return str(code.get_text())


def squash(text: str) -> str:
    """Whitespace collapsed and Markdown backticks dropped, to compare source text with HTML."""
    return " ".join(text.replace("`", "").split())


def page_text(site: Site, page: str) -> str:
    return squash(site.soup(page).get_text())


def headers(site: Site, page: str, kind: str) -> list[tuple[str, ...]]:
    return [
        tuple(th.get_text(strip=True) for th in t.select("thead th"))
        for t in site.soup(page).select(f'table[data-gp-table="{kind}"]')
    ]


# --- S3 endpoints ------------------------------------------------------------------------------


def test_s3_one_table_per_partition_in_order(site: Site) -> None:
    soup = site.soup(S3_PAGE)
    tables_ = soup.select('table[data-gp-table="s3-endpoints"]')
    ids = [t["data-partition"] for t in tables_]
    assert ids == [p.id for p in aws.partitions()]
    for table in tables_:
        heading = table.find_previous(["h2", "h3"])
        assert heading is not None and heading["id"] == table["data-partition"]
    endpoint_field = KOTS_TITLES["reg_incluster_storage_s3_endpoint"]
    expected = ("Region", endpoint_field, "FIPS endpoint", "Dual-stack endpoint")
    assert set(headers(site, S3_PAGE, "s3-endpoints")) == {expected}


def test_s3_rows_are_exactly_the_regions_botocore_knows(site: Site) -> None:
    """Completeness both ways, per partition: nothing missing, nothing unjustified, no repeats."""
    shown: dict[str, list[str]] = {}
    for table, tr in rows(site, S3_PAGE, "s3-endpoints"):
        shown.setdefault(str(table["data-partition"]), []).append(str(tr["id"]))
    oracle = botocore_s3_regions()
    assert set(shown) == set(oracle)
    for pid, codes in shown.items():
        assert len(codes) == len(set(codes)), f"{pid}: a region appears twice"
        assert set(codes) == oracle[pid], pid
        assert codes == sorted(codes), f"{pid}: rows not in code order"


def test_s3_rows_equal_the_rules_and_botocore(site: Site) -> None:
    checked = 0
    for _, tr in rows(site, S3_PAGE, "s3-endpoints"):
        code = str(tr["id"])
        region, endpoint, fips, dualstack = cells(tr)
        assert first_code(region) == code
        assert aws.validate_region(code).name in region.get_text()
        assert first_code(endpoint) == aws.s3_endpoint(code) == botocore_s3_host(code)
        assert first_code(fips) == aws.s3_fips_endpoint(code)
        assert first_code(dualstack) == aws.s3_dualstack_endpoint(code)
        if first_code(fips):
            assert first_code(fips) == botocore_s3_host(code, fips=True)
        if first_code(dualstack):
            assert first_code(dualstack) == botocore_s3_host(code, dualstack=True)
        checked += 1
    assert checked == 48


def test_us_east_1_row_shows_the_default_and_its_regional_form(site: Site) -> None:
    tr = site.soup(S3_PAGE).find("tr", id="us-east-1")
    assert isinstance(tr, Tag)
    endpoint = cells(tr)[1]
    codes = [c.get_text() for c in endpoint.find_all("code")]
    assert codes == [
        botocore_s3_host("us-east-1"),
        botocore_s3_host("us-east-1", regional=True),
    ]
    assert "regional form" in endpoint.get_text()


@pytest.mark.parametrize("code", ["me-west-1", "sa-west-1"])
def test_partition_data_only_regions_are_marked(site: Site, code: str) -> None:
    tr = site.soup(S3_PAGE).find("tr", id=code)
    assert isinstance(tr, Tag)
    assert "partition data" in cells(tr)[0].get_text()


def test_s3_page_cites_source_and_as_of(site: Site) -> None:
    doc = json.loads((DATA / "aws_s3_regions.json").read_text())
    text = page_text(site, S3_PAGE)
    assert squash(doc["source"]) in text
    assert f"As of {doc['as_of']}" in text


# --- Artifact Registry -------------------------------------------------------------------------


def test_ar_rows_are_the_data_file_locations(site: Site) -> None:
    doc = json.loads((DATA / "artifact_registry_locations.json").read_text())
    expected = doc["multi_regions"] + doc["regions"]
    shown = [str(tr["id"]) for _, tr in rows(site, AR_PAGE, "ar-locations")]
    assert shown == expected
    assert len(doc["multi_regions"]) == 3
    assert len(doc["regions"]) == 44
    assert len(set(shown)) == 47
    url_field, server_field = KOTS_TITLES["reg_url"], KOTS_TITLES["reg_server"]
    assert headers(site, AR_PAGE, "ar-locations") == [
        ("Location", "Docker host", url_field, server_field)
    ]
    text = page_text(site, AR_PAGE)
    assert f"As of {doc['as_of']}" in text and squash(doc["source"]) in text


def test_ar_rows_follow_the_host_pattern_and_the_gar_rule(site: Site) -> None:
    doc = json.loads((DATA / "artifact_registry_locations.json").read_text())
    multi = set(doc["multi_regions"])
    for _, tr in rows(site, AR_PAGE, "ar-locations"):
        loc = str(tr["id"])
        where, host, url, server = (first_code(td) for td in cells(tr))
        assert where == loc
        assert host == f"{loc}-docker.pkg.dev"
        match = AR_HOST.match(host or "")
        assert match and match["loc"] == loc
        assert ("multi-region" in cells(tr)[0].get_text()) == (loc in multi)
        assert url == f"{host}/{tables.EXAMPLE_PROJECT}/{tables.EXAMPLE_REPOSITORY}"
        assert server == host
        setup = registry.gar(loc, tables.EXAMPLE_PROJECT, tables.EXAMPLE_REPOSITORY)
        assert (url, server) == (setup.url, setup.server)
        assert registry.registry_server(url or "") == server


# --- Container Registry and ECR ----------------------------------------------------------------


def test_gcr_rows_map_to_the_ar_locations_google_states(site: Site) -> None:
    shown = {}
    for _, tr in rows(site, GCR_PAGE, "gcr-hosts"):
        host, location, repository = (first_code(td) for td in cells(tr))
        assert tr["id"] == host
        assert repository == host
        shown[host] = location
    assert shown == GCR_TO_AR
    ar_ids = {str(tr["id"]) for _, tr in rows(site, AR_PAGE, "ar-locations")}
    assert set(shown.values()) <= ar_ids


def test_gcr_timeline_dates_from_the_data_file(site: Site) -> None:
    doc = json.loads((DATA / "container_registry_hosts.json").read_text())
    items = [li.get_text() for li in site.soup(GCR_PAGE).select("#timeline ~ ul > li")]
    assert [i.split(":")[0] for i in items] == [m["date"] for m in doc["timeline"]]
    assert "2025-03-18" in [m["date"] for m in doc["timeline"]]
    assert f"As of {doc['as_of']}" in page_text(site, GCR_PAGE)


def test_ecr_rows_one_per_partition_in_the_reference_section(site: Site) -> None:
    """The ECR hosts are reference material: their own page, which says ECR does not work and
    links the recipe; the container registry page's ECR section links the table."""
    soup = site.soup(ECR_PAGE)
    table = soup.select_one('table[data-gp-table="ecr-hosts"]')
    assert table is not None
    intro = " ".join(p.get_text(" ") for p in soup.select("article p"))
    assert "does not work with Amazon ECR" in " ".join(intro.split())
    links = [str(a["href"]) for a in soup.select("article a[href]")]
    assert any(h.endswith("container-registry/#in-cluster-s3") for h in links), links
    registry = site.soup(REGISTRY_PAGE)
    assert registry.select_one('table[data-gp-table="ecr-hosts"]') is None
    ecr = registry.find(id="amazon-ecr")
    assert ecr is not None
    section = ecr.find_next_siblings("p")
    assert any("reference/ecr-hosts/" in str(a["href"]) for p in section for a in p.select("a"))
    shown = {}
    for _, tr in rows(site, ECR_PAGE, "ecr-hosts"):
        part, pattern, example, source = cells(tr)
        pid = first_code(part)
        assert tr["id"] == f"ecr-{pid}"
        shown[pid] = first_code(pattern)
        assert aws.is_ecr_host(first_code(example) or "")
        documented = "(inference)" not in source.get_text()
        assert documented == (pid in aws.ECR_DOCUMENTED_PARTITIONS)
    assert list(shown) == [p.id for p in aws.partitions()]
    assert shown["aws"] == "<account>.dkr.ecr.<region>.amazonaws.com"
    assert shown["aws-cn"] == "<account>.dkr.ecr.<region>.amazonaws.com.cn"


def test_registry_page_links_its_endpoint_rule_to_the_s3_table(site: Site) -> None:
    hrefs = [a["href"] for a in site.soup(REGISTRY_PAGE).select(".admonition a[href]")]
    assert any(re.search(r"reference/s3-endpoints/#[a-z]+-[a-z]+-\d$", str(h)) for h in hrefs)


# --- anchors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "kinds"),
    [
        (S3_PAGE, ["s3-endpoints"]),
        (AR_PAGE, ["ar-locations"]),
        (GCR_PAGE, ["gcr-hosts"]),
        (ECR_PAGE, ["ecr-hosts"]),
    ],
)
def test_every_row_has_a_unique_anchor(site: Site, page: str, kinds: list[str]) -> None:
    soup = site.soup(page)
    all_ids = Counter(str(el["id"]) for el in soup.find_all(id=True))
    repeated = [i for i, n in all_ids.items() if n > 1]
    assert not repeated, f"{page}: ids used twice: {repeated}"
    for kind in kinds:
        found = rows(site, page, kind)
        assert found
        for _, tr in found:
            assert tr.get("id"), f"{page}: a {kind} row has no anchor"


def _s3_page_site(tmp_path: Path, anchor: str) -> Path:
    page = (ROOT / "docs" / "reference" / "s3-endpoints.md").read_text()
    link = f"# Links\n\n[a region](s3-endpoints.md#{anchor})\n"
    return small_site(tmp_path, {"index.md": link, "s3-endpoints.md": page})


def test_strict_build_accepts_a_link_to_a_region_row(tmp_path: Path) -> None:
    result = mkdocs_build_warm(_s3_page_site(tmp_path, "eu-central-2"), tmp_path / "site")
    assert result.returncode == 0, result.stderr[-3000:]


def test_strict_build_rejects_a_link_to_a_missing_region(tmp_path: Path) -> None:
    result = mkdocs_build_warm(_s3_page_site(tmp_path, "eu-central-9"), tmp_path / "site")
    assert result.returncode != 0
    assert "eu-central-9" in result.stderr


def test_the_main_build_validates_row_links() -> None:
    """The real pages link to rows, so ``make build`` (strict) checks those anchors too."""
    sources = "".join(p.read_text() for p in (ROOT / "docs").rglob("*.md"))
    assert re.search(r"\(reference/s3-endpoints\.md#[a-z]+-[a-z]+-\d\)", sources)


# --- search ------------------------------------------------------------------------------------


def stop_words(site_dir: Path) -> set[str]:
    """The stop word list the shipped search worker applies (lunr's English list)."""
    workers = list((site_dir / "assets" / "javascripts" / "workers").glob("search.*.js"))
    require(bool(workers), "Material's search worker is not in the built site")
    text = workers[0].read_text()
    found = re.search(r"generateStopWordFilter\((\[[^\]]*\])\)", text)
    assert found, "stop word list not found in the search worker"
    return set(json.loads(found.group(1)))


def lunr_tokens(text: str, separator: str, stop: set[str]) -> list[str]:
    """Tokens as the index sees them: markup removed, split on the separator, lowercased."""
    plain = BeautifulSoup(text, "html.parser").get_text(" ")
    return [t for t in re.split(separator, plain.lower()) if t and t not in stop]


@pytest.fixture(scope="module")
def search_index(site_dir: Path) -> dict[str, object]:
    path = site_dir / theme.SEARCH_INDEX
    assert path.exists(), "the built site has no search index"
    index: dict[str, object] = json.loads(path.read_text())
    return index


def test_search_finds_every_region_and_location_by_its_code(
    site: Site, site_dir: Path, search_index: dict[str, object]
) -> None:
    """For each code, a section of its reference page holds the query's tokens in sequence."""
    config = search_index["config"]
    assert isinstance(config, dict)
    separator = str(config["separator"])
    stop = stop_words(site_dir) if "stopWordFilter" in config.get("pipeline", []) else set()
    docs = search_index["docs"]
    assert isinstance(docs, list)
    sections = {
        prefix: [
            lunr_tokens(d["text"], separator, stop)
            for d in docs
            if str(d["location"]).startswith(prefix)
        ]
        for prefix in ("reference/s3-endpoints/", "reference/artifact-registry/")
    }
    wanted = [("reference/s3-endpoints/", c) for c in aws.region_codes()]
    wanted += [
        ("reference/artifact-registry/", str(tr["id"]))
        for _, tr in rows(site, AR_PAGE, "ar-locations")
    ]
    missing = []
    for prefix, code in wanted:
        query = lunr_tokens(code, separator, stop)
        assert query, f"{code}: every token of the code is a stop word"
        n = len(query)
        hit = any(
            tokens[i : i + n] == query
            for tokens in sections[prefix]
            for i in range(len(tokens) - n + 1)
        )
        if not hit:
            missing.append(code)
    assert not missing, f"not findable by code: {missing}"


def test_the_search_check_can_fail() -> None:
    """The token check is not vacuous: a code absent from a section is not found in it."""
    tokens = lunr_tokens("<code>eu-central-1</code> Europe", r"[\s\-]+", set())
    assert tokens == ["eu", "central", "1", "europe"]
    assert tokens[0:3] != lunr_tokens("eu-central-2", r"[\s\-]+", set())


def test_the_aws_recipe_is_not_under_the_ecr_heading(site: Site) -> None:
    """A reader on AWS finds the recipe under its own heading, before ECR's."""
    soup = site.soup(REGISTRY_PAGE)
    recipe = soup.find(id="in-cluster-s3")
    assert recipe is not None and recipe.name == "h2", "the recipe has its own h2"
    headings = [str(h.get("id")) for h in soup.select("article h2")]
    assert headings.index("in-cluster-s3") < headings.index("amazon-ecr"), headings
    examples = soup.select('div.gp-example[data-example="registry:in-cluster-s3"]')
    assert examples
    for ex in examples:
        assert ex.find_previous("h2") is recipe
