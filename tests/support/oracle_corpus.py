"""The corpus the checker and the installer's loader must read alike (tests/checker/
test_installer_oracle.py) and the editors' JSON Schemas must agree with (test_config_schema.py):
the site's YAML blocks, configs generated from the installer's keys and every kind of scalar, and
the comparison itself.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

from hypothesis import strategies as st

from gitpod_resources import checker, schema
from gitpod_resources.checker import loader
from gitpod_resources.checker.model import DocKind
from gitpod_resources.checker.tree import compose_documents, to_tree
from gitpod_resources.schema import Mapping, ObjectRef, Release
from tests.conftest import Site
from tests.support import installer_oracle
from tests.support.installer_oracle import InstallerOracle

RELEASES = list(Release)


def disagreement(oracle: InstallerOracle, document: str, release: Release) -> str | None:
    """Why the checker and the installer read ``document`` differently, or None if they agree
    (None also for a document the checker does not take for an installer config)."""
    result = checker.check_bytes(document.encode(), "corpus.yaml", release=release)
    first = [f for f in result.findings if f.document == 1]
    if (1, DocKind.INSTALLER) not in result.documents:
        return None
    verdict = oracle.load(release, document)
    ours = sorted({f.code for f in first if f.code in loader.LOAD_FAILS})
    shown = f"--- document ({release.value}) ---\n{document}\n"
    if bool(ours) != (not verdict.ok):
        installer = "loads it" if verdict.ok else f"fails: {verdict.error}"
        return f"{shown}checker: {ours or 'loads it'}\ninstaller: {installer}"
    if verdict.ok:
        [(_, node)] = compose_documents(document.encode())[:1]
        assert not isinstance(node, Exception)
        tree = to_tree(node)
        assert isinstance(tree, checker.YMap)
        mine = installer_oracle.effective(loader.load(tree, release).canonical, release)
        if mine != verdict.effective:
            return (
                f"{shown}checker reads:   {json.dumps(mine, sort_keys=True)}\n"
                f"installer reads: {json.dumps(verdict.effective, sort_keys=True)}"
            )
    return None


#: A comparison of one document at one release: why two readers differ, or None.
Comparison = Callable[[InstallerOracle, str, Release], str | None]


def assert_agree(
    oracle: InstallerOracle,
    documents: list[tuple[str, str]],
    compare: Comparison = disagreement,
) -> None:
    """``compare`` finds nothing in any (origin, document) at any release; else the first five."""
    problems = []
    for origin, document in documents:
        for release in RELEASES:
            found = compare(oracle, document, release)
            if found is not None:
                problems.append(f"[{origin}]\n{found}")
                break
    assert not problems, f"{len(problems)} disagreements:\n\n" + "\n\n".join(problems[:5])


# --- the corpus -----------------------------------------------------------------------------------


def site_documents(site: Site) -> list[tuple[str, str]]:
    out = []
    for page in site.pages():
        for div in site.soup(page).select("div.language-yaml.highlight pre code"):
            out.append((page, div.get_text()))
    return out


#: Scalars of every kind, as written: YAML 1.1 and Go-specific numbers, booleans, nulls, quoted
#: forms, the non-finite floats.
SCALARS = [
    "true", "false", "yes", "no", "y", "n", "Y", "N", "on", "off", "On", "OFF", "True", "TRUE",
    "~", "null", "Null", "", '""', "''", '"true"', "'yes'", '"5"',
    "0", "5", "-3", "+12", "017", "08", "0o17", "0x1F", "0b101", "1_000", "99999999999999999999",
    "9223372036854775807", "18446744073709551615", "1e3", "1.5", "2.0", ".5", "-.5e2", "1e400",
    ".inf", "-.Inf", ".nan", "1:30", "2022-11-01", "2022-11-01T10:00:00Z", "12:30:00",
    "eu-west-2", "s3.eu-west-2.amazonaws.com", "gitpod", "secret", "Secret", "!!str 5",
    "!!int 5", "!!float 5", "!!binary aGVsbG8=", "[a, b]", "{}", "[]", "{kind: secret, name: x}",
]  # fmt: skip


def closed_paths(node: schema.Schema, prefix: str = "") -> Iterator[tuple[str, schema.Schema]]:
    """(dotted path, schema) of every key below the closed sections."""
    if isinstance(node, Mapping | ObjectRef):
        for key, child in node.keys.items():
            path = f"{prefix}.{key}" if prefix else key
            yield path, child
            yield from closed_paths(child, path)


PATHS = [p for p, _ in closed_paths(schema.installer_config(Release.R1)) if p != "apiVersion"]
EXTRA_KEYS = [*schema.LATER_KEYS, "containerRegistry.s3storag", "metadata.regoin", "workspace.x"]


def case_variant(key: str, flips: list[bool]) -> str:
    padded = (flips + [False] * len(key))[: len(key)]
    return "".join(c.swapcase() if f else c for c, f in zip(key, padded, strict=True))


def render(entries: list[tuple[list[str], str]], anchor: str | None) -> str:
    """YAML for (key path, scalar text) entries, written in order, keys repeated as given, so
    duplicates and several spellings stay; ``anchor``: a mapping path moved behind a merge."""
    lines = ["apiVersion: v1"]
    open_path: list[str] = []
    for path, text in entries:
        common = 0
        while common < min(len(open_path), len(path) - 1) and open_path[common] == path[common]:
            common += 1
        for depth in range(common, len(path) - 1):
            lines.append("  " * depth + f"{path[depth]}:")
        open_path = path[:-1]
        lines.append("  " * (len(path) - 1) + f"{path[-1]}: {text}".rstrip())
    body = "\n".join(lines) + "\n"
    if anchor:
        # Give the first mapping named `anchor` an anchor and merge it into `experimental`.
        marker = f"\n{anchor}:\n"
        if marker in body:
            body = body.replace(marker, f"\n{anchor}: &shared\n", 1)
            body += "experimental:\n  <<: *shared\n"
    return body


@st.composite
def configs(draw: st.DrawFn) -> str:
    count = draw(st.integers(1, 6))
    entries = []
    for _ in range(count):
        path = draw(st.sampled_from(PATHS + EXTRA_KEYS)).split(".")
        if draw(st.booleans()):
            at = draw(st.integers(0, len(path) - 1))
            flips = draw(st.lists(st.booleans(), min_size=1, max_size=len(path[at])))
            path[at] = case_variant(path[at], flips)
        text = draw(st.sampled_from(SCALARS))
        entries.append((path, text))
    entries.sort(key=lambda e: [k.lower() for k in e[0]])
    if draw(st.booleans()):
        at = draw(st.integers(0, len(entries) - 1))
        entries.insert(at + 1, entries[at])  # a key written again, in the same mapping
    anchor = draw(st.sampled_from([None, "containerRegistry", "metadata", "objectStorage"]))
    return render(entries, anchor)


def scalar_documents(text: str) -> list[str]:
    """The same scalar in a string, a boolean and an integer field, and as a key."""
    return [
        f"apiVersion: v1\nmetadata:\n  region: {text}\n",
        f"apiVersion: v1\ndatabase:\n  inCluster: {text}\n",
        f"apiVersion: v1\nobjectStorage:\n  blobQuota: {text}\n",
        f"apiVersion: v1\nexperimental:\n  {text or 'x'}: 1\n",
    ]


NUMBERISH = st.from_regex(
    r"[-+]?(0[xXoObB]?)?[0-9_]{0,25}(\.[0-9_]{0,6})?([eE][-+]?[0-9]{1,3})?", fullmatch=True
)
