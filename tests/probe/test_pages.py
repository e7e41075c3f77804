"""The guide's probe and troubleshooting pages, built: one troubleshooting section per finding code
(and none other), each with its symptom, cause and fix and the sources of its claims; the probe
page in the navigation, naming the environment variables the probe reads."""

from __future__ import annotations

import re

from bs4 import Tag

from gitpod_resources import config, database
from gitpod_resources.probe.findings import CODES
from gitpod_resources.sources import get as claim
from tests.conftest import ROOT, Site

TROUBLESHOOTING = "troubleshooting/index.html"
PROBE = "probe/index.html"


def _section(heading: Tag) -> list[Tag]:
    """The elements after a heading, up to the next heading."""
    out = []
    for sibling in heading.find_next_siblings():
        if not isinstance(sibling, Tag) or re.fullmatch(r"h[1-6]", sibling.name or ""):
            break
        out.append(sibling)
    return out


def test_one_troubleshooting_section_per_code(site: Site) -> None:
    soup = site.soup(TROUBLESHOOTING)
    sections = {h["id"]: h for h in soup.select("h3[id^=prb]")}
    assert sorted(sections) == sorted(c.anchor for c in CODES.values())
    for code in CODES.values():
        heading = sections[code.anchor]
        title = heading.get_text(" ", strip=True).rstrip("¶").strip()
        assert title == f"{code.code}: {code.title}", title
        body = _section(heading)
        starts = [p.get_text(" ", strip=True).split(".")[0] for p in body if p.name == "p"]
        for part in ("Symptom", "Cause", "Fix"):
            assert part in starts, (code.code, starts)
        cited = {a["href"] for el in body for a in el.select("a[href]")}
        for claim_id in code.claims:
            urls = {s.url for s in claim(claim_id).sources}
            assert urls & cited, f"{code.code}: claim {claim_id} is not cited in its section"


def test_the_probe_and_troubleshooting_pages_are_in_the_navigation(site: Site) -> None:
    nav = (ROOT / "mkdocs.yml").read_text()
    assert "probe.md" in nav and "troubleshooting.md" in nav
    links = {a["href"] for a in site.soup("index.html").select("nav a[href]")}
    assert any("probe/" in h for h in links) and any("troubleshooting/" in h for h in links)


def test_the_probe_page_names_the_variables_the_probe_reads(site: Site) -> None:
    """Its commands export every variable the probe reads, by the names the probe reads."""
    soup = site.soup(PROBE)
    text = soup.get_text(" ")
    commands = " ".join(c.get_text() for c in soup.select("pre code"))
    exported = set(re.findall(r"\b([A-Z][A-Z0-9_]*)=", commands))
    for variable in (
        config.ENV_REGISTRY_USERNAME,
        config.ENV_REGISTRY_PASSWORD,
        config.ENV_ACCESS_KEY,
        config.ENV_SECRET_KEY,
        database.ENV_PASSWORD,
    ):
        assert variable in exported, variable
    assert "{{" not in text, "a macro was not rendered"
