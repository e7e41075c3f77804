"""The troubleshooting page's symptom sections, built: each one findable by the error text a
reader sees (in its heading), with its symptom, cause and fix, the sources of its claims, and
commands that are the rules' own; every platform page leads to them."""

from __future__ import annotations

import re

import pytest
from bs4 import Tag

from gitpod_resources import symptoms
from gitpod_resources.errors import RuleError
from tests.conftest import Site

PAGE = "troubleshooting/index.html"
PLATFORMS = ("aws", "gcp", "on-prem")
#: What a reader searches for: each must be in the heading of a symptom section, as code.
ERROR_TEXTS = (
    "NoSuchBucket",
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "Access denied for user",
    "UNAUTHORIZED",
    "DENIED",
    "UNSUPPORTED",
    "NAME_UNKNOWN",
)


def sections(site: Site) -> dict[str, list[Tag]]:
    """Each h3 below "During and after the install", with its elements up to the next heading."""
    soup = site.soup(PAGE)
    start = soup.find(id="install")
    assert isinstance(start, Tag)
    out: dict[str, list[Tag]] = {}
    current: list[Tag] | None = None
    for el in start.find_next_siblings():
        if not isinstance(el, Tag):
            continue
        if el.name == "h2":
            break
        if el.name == "h3":
            current = out.setdefault(str(el["id"]), [el])
        elif current is not None:
            current.append(el)
    return out


def test_each_symptom_has_its_error_text_in_a_heading(site: Site) -> None:
    found = sections(site)
    assert len(found) >= 8
    headings = " ".join(els[0].get_text(" ") for els in found.values())
    codes = {c.get_text() for els in found.values() for c in els[0].select("code")}
    for text in ERROR_TEXTS:
        assert any(text in c for c in codes), f"no section heading quotes {text!r}: {headings}"
    assert "503" in headings


def test_each_symptom_section_has_symptom_cause_fix_and_sources(site: Site) -> None:
    for anchor, els in sections(site).items():
        starts = [el.get_text(" ", strip=True).split(".")[0] for el in els if el.name == "p"]
        for part in ("Symptom", "Cause", "Fix"):
            assert part in starts, (anchor, starts)
        assert starts.index("Symptom") < starts.index("Cause") < starts.index("Fix"), anchor
        cited = [a for el in els for a in el.select("p.gp-source a[href]")]
        assert cited, f"#{anchor}: no source cited"


def test_the_commands_are_the_rules(site: Site) -> None:
    shown = {c.get_text() for els in sections(site).values() for c in _codes(els)}
    assert symptoms.logs_command("registry") in shown
    assert symptoms.restart_command("registry") in shown


def _codes(els: list[Tag]) -> list[Tag]:
    return [c for el in els for c in el.select("pre code")]


def test_every_platform_page_leads_to_the_symptoms(site: Site) -> None:
    anchors = set(sections(site))
    for platform in PLATFORMS:
        soup = site.soup(f"putting-together/{platform}/index.html")
        linked = {
            m[1]
            for a in soup.select("article a[href]")
            if (m := re.match(r"^\.\./\.\./troubleshooting/#(.+)$", str(a["href"])))
        }
        assert linked & anchors, f"{platform}: no link to a symptom section"
        assert linked <= anchors | {"probe-findings"}, linked


@pytest.mark.parametrize("fn", [symptoms.logs_command, symptoms.restart_command])
def test_an_unknown_deployment_is_one_line_naming_the_field(fn: object) -> None:
    with pytest.raises(RuleError) as caught:
        fn("server")  # type: ignore[operator]
    assert str(caught.value).startswith("deployment: 'server' is not valid; expected one of ")
