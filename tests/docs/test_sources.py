"""Every statement about Gitpod cites its source at a release tag (macros/sources.py).

The links the site renders point at files of gitpod-io/gitpod at one of the four 2022.11 tag
commits, never at a branch; every check names the claims it rests on and the check page shows
their sources; every registered claim is cited somewhere a reader sees it.
"""

from __future__ import annotations

import importlib
import pkgutil
import re

import gitpod_resources
from gitpod_resources import checker, releases, sources
from tests.conftest import Site

GITPOD_LINK = re.compile(r"^https://github\.com/gitpod-io/gitpod/(?P<kind>[a-z]+)/(?P<ref>[^/]+)/")
TAG_COMMITS = {t.commit for t in releases.TAGS.values()}
#: Not a statement about Gitpod: the checker could not read the input at all.
NO_CLAIM = {"CFG100"}


def site_links(site: Site) -> list[tuple[str, str]]:
    return [
        (page, str(a["href"]))
        for page in site.pages()
        for a in site.soup(page).select("a[href]")
        if str(a["href"]).startswith("https://github.com/gitpod-io/gitpod")
    ]


def test_every_link_into_gitpods_repository_is_pinned_to_a_release_tag(site: Site) -> None:
    links = site_links(site)
    assert len(links) > 20, "the site cites its sources"
    for page, href in links:
        found = GITPOD_LINK.match(href)
        assert found is not None, (page, href)
        assert found["kind"] == "blob" and found["ref"] in TAG_COMMITS, (page, href)


def test_every_check_rests_on_claims_with_sources() -> None:
    missing = [c.code for c in checker.all_checks() if not c.claims and c.code not in NO_CLAIM]
    assert missing == [], f"checks without a source: {missing}"
    for chk in checker.all_checks():
        for claim_id in chk.claims:
            assert sources.get(claim_id).sources, (chk.code, claim_id)


def test_the_check_page_shows_each_checks_sources(site: Site) -> None:
    for div in site.soup("check/index.html").select("div.gp-check"):
        code = str(div["data-code"])
        line = div.select_one("p.gp-source")
        if code in NO_CLAIM:
            continue
        assert line is not None, code
        assert line.select("a[href]"), code


def all_claims() -> dict[str, sources.Claim]:
    """Every claim the package registers: a module registers its claims when it is imported, so
    every module is imported first (run alone, this test would otherwise see only the claims of
    the modules some other test happened to import)."""
    for module in pkgutil.walk_packages(gitpod_resources.__path__, "gitpod_resources."):
        if not module.name.endswith(".__main__"):  # that one runs the command line
            importlib.import_module(module.name)
    return sources.claims()


def test_every_claim_is_cited_where_a_reader_sees_it(site: Site) -> None:
    shown = {
        str(a["href"])
        for page in site.pages()
        for a in site.soup(page).select("p.gp-source a[href]")
    }
    claims = all_claims()
    assert "aws.s3-location-constraint" in claims, "the prerequisites' claims are registered"
    missing = [c.id for c in claims.values() if not {s.url for s in c.sources} & shown]
    assert missing == [], f"claims cited nowhere a reader sees them: {missing}"


def test_a_claims_sources_are_read_at_releases_it_holds_for() -> None:
    for claim in all_claims().values():
        for source in claim.sources:
            if isinstance(source, sources.Source):
                assert source.release in claim.releases, (claim.id, source)
            else:
                assert source.url.startswith("https://"), (claim.id, source)


def test_a_source_link_names_the_file_lines_and_tag() -> None:
    source = sources.gitpod("install/kots/manifests/kots-config.yaml", 55, 61)
    assert source.url == (
        "https://github.com/gitpod-io/gitpod/blob/9ae8bfde2182c87b9a652f432c8061dce6994678/"
        "install/kots/manifests/kots-config.yaml#L55-L61"
    )
    assert source.label == "kots-config.yaml, lines 55-61, at 2022.11.3"
