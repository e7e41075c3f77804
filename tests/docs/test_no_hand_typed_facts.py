"""Nothing the rules know is typed by hand in docs/: hosts, config keys and field titles come from
macros. The scan strips Jinja expressions (their output is computed) but still refuses host
literals passed into them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gitpod_resources import aws, config, gcp
from tests.conftest import ROOT

DOCS = sorted((ROOT / "docs").rglob("*.md"))
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
HOST = re.compile(
    r"(?<![\w.-])(?:[\w-]+\.)*(?:amazonaws\.com(?:\.cn)?|amazonaws\.eu|c2s\.ic\.gov|"
    r"sc2s\.sgov\.gov|cloud\.adc-e\.uk|csp\.hci\.ic\.gov|gcr\.io|pkg\.dev)(?![\w-])"
)
KEY = re.compile(r"\b(?:containerRegistry|objectStorage|database|metadata)\.[a-zA-Z]")


def prose(text: str) -> str:
    """Page source without front matter, Jinja expressions and link targets."""
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    text = JINJA.sub(" ", text)
    return re.sub(r"\]\([^)]*\)", "]", text)


@pytest.mark.parametrize("path", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_host_or_key_typed_by_hand(path: Path) -> None:
    source = path.read_text()
    text = prose(source)
    assert not HOST.findall(text), f"{path.name}: type hosts through the rules macros"
    assert not KEY.findall(text), f"{path.name}: use key('...') for installer config keys"
    for expr in JINJA.findall(source):
        assert not HOST.findall(expr), f"{path.name}: host literal inside {expr!r}"


@pytest.mark.parametrize("path", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_region_or_title_typed_by_hand(path: Path) -> None:
    text = prose(path.read_text())
    words = set(re.findall(r"[a-z]+(?:-[a-z]+)*-?\d+", text))
    regions = set(aws.region_codes()) | {loc.code for loc in gcp.ar_locations()}
    assert not (words & regions), f"{path.name}: region codes typed by hand: {words & regions}"
    for item in config.KOTS_ITEMS.values():
        for form in (f'"{item.title}"', f"**{item.title}**"):
            assert form not in text, f"{path.name}: use field({item.name!r})"


def test_the_scan_catches_what_it_should() -> None:
    """The patterns are not vacuous: each hand-typed fact below is found."""
    assert HOST.findall(prose("use `s3.eu-west-1.amazonaws.com` here"))
    assert HOST.findall(prose("push to gcr.io/x"))
    assert HOST.findall("{{ 'europe-docker.pkg.dev' | code }}")
    assert KEY.findall(prose("set containerRegistry.inCluster"))
    assert not HOST.findall(prose("{{ s3_endpoint('eu-west-1') }}"))
