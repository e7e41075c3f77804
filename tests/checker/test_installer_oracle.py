"""The checker against the installer's own loader, run (tests/installer_oracle, release by release).

For every document of the corpus (every YAML block of the built site, every check's example,
every case of the checker's tests, generated configs) and every 2022.11 release:

- the checker reports a load-level error (CFG101-CFG104) if and only if the installer's load
  fails;
- where both load it, the config the checker reads (its canonical tree, with the installer's
  defaults under it) is the config the installer loaded, value for value.

The Go program's structs are transcribed from install/installer/pkg/config/v1/config.go at the
four release tags (its sources name path, tag and lines); :func:`test_schema_has_the_keys_of_the
_installer_structs` holds macros/schema.py to them, key path by key path.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from gitpod_resources import checker, config, schema
from gitpod_resources.checker import loader
from gitpod_resources.checker.model import DocKind
from gitpod_resources.checker.tree import compose_documents, to_tree
from gitpod_resources.schema import ListOf, Mapping, ObjectRef, Open, Release, Scalar
from tests.conftest import Site, examples, require
from tests.support import installer_oracle
from tests.support.installer_oracle import InstallerOracle

RELEASES = list(Release)


@pytest.fixture(scope="session")
def oracle() -> Iterator[InstallerOracle]:
    require(installer_oracle.available(), installer_oracle.MISSING)
    running = InstallerOracle(installer_oracle.build())
    yield running
    running.close()


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


def assert_agree(oracle: InstallerOracle, documents: list[tuple[str, str]]) -> None:
    problems = []
    for origin, document in documents:
        for release in RELEASES:
            found = disagreement(oracle, document, release)
            if found is not None:
                problems.append(f"[{origin}]\n{found}")
                break
    assert not problems, f"{len(problems)} disagreements:\n\n" + "\n\n".join(problems[:5])


# --- the structs ----------------------------------------------------------------------------------


def schema_paths(node: schema.Schema, prefix: str = "", pointer: bool = False) -> dict[str, str]:
    """Key path -> the Go type the oracle prints for it (``*`` for a pointer field)."""
    star = "*" if pointer else ""
    if isinstance(node, Open):
        return {prefix: "open"}
    if isinstance(node, Mapping | ObjectRef):
        out = {prefix: f"{star}struct"} if prefix else {}
        for key, child in node.keys.items():
            path = f"{prefix}.{key}" if prefix else key
            out.update(schema_paths(child, path, key in node.pointers))
        return out
    if isinstance(node, ListOf):
        return {prefix: "list", **schema_paths(node.item, prefix + "[]")}
    kind = {Scalar.BOOL: "bool", Scalar.STRING: "string", Scalar.INT: "int"}[node]
    return {prefix: star + kind}


@pytest.mark.parametrize("release", RELEASES, ids=str)
def test_schema_has_the_keys_of_the_installer_structs(
    oracle: InstallerOracle, release: Release
) -> None:
    go = oracle.keys(release)
    go = {path: kind.replace("int64", "int") for path, kind in go.items()}
    ours = schema_paths(schema.installer_config(release))
    ours.pop(schema.API_VERSION_KEY)  # removed by the loader before decoding; not a field
    assert ours == go


def test_the_oracle_structs_name_their_source_at_every_release_tag() -> None:
    source = (installer_oracle.SOURCE / "structs.go").read_text()
    assert "install/installer/pkg/config/v1/config.go" in source
    for tag in schema.TAGS.values():
        assert tag.name in source and tag.commit[:8] in source, tag


# --- the corpus -------------------------------------------------------------------------------


def site_documents(site: Site) -> list[tuple[str, str]]:
    out = []
    for page in site.pages():
        for div in site.soup(page).select("div.language-yaml.highlight pre code"):
            out.append((page, div.get_text()))
    return out


def case_documents() -> list[tuple[str, str]]:
    from tests.checker.test_checks import CASES as REGISTRY
    from tests.checker.test_checks_storage_database import CASES as STORAGE_DATABASE
    from tests.checker.test_structure import CASES as STRUCTURE

    out = []
    for case in REGISTRY + STORAGE_DATABASE + STRUCTURE:
        out.append((f"{case.code} {case.name} (bad)", case.bad))
        out.append((f"{case.code} {case.name} (good)", case.good))
    return out


def test_every_yaml_block_of_the_site(oracle: InstallerOracle, site: Site) -> None:
    documents = site_documents(site)
    assert len(documents) > 20
    assert_agree(oracle, documents)


def test_every_check_example(oracle: InstallerOracle) -> None:
    assert_agree(oracle, [(c.code, c.example) for c in checker.all_checks()])


def test_every_case_of_the_checker_tests(oracle: InstallerOracle) -> None:
    documents = case_documents()
    assert len(documents) > 100
    assert_agree(oracle, documents)


def test_the_installer_reads_the_first_document_only(oracle: InstallerOracle) -> None:
    """What CFG108 says: a later document, even one the installer would refuse, is ignored."""
    two = "apiVersion: v1\ndomain: gitpod.example.com\n---\napiVersion: v1\nmessageBus: {}\n"
    assert oracle.load(schema.LATEST, two).ok
    assert not oracle.load(schema.LATEST, two.split("---\n")[1]).ok
    codes = {f.code for f in checker.check_bytes(two.encode(), "two.yaml").findings}
    assert codes == {"CFG108", "CFG101"}


# --- generated configs ------------------------------------------------------------------------

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


@settings(
    max_examples=examples(default=150, thorough=3000),
    suppress_health_check=[HealthCheck.too_slow],
)
@given(document=configs())
@example(document="apiVersion: v1\ncontainerRegistry:\n  S3Storage:\n    bucket: 20221101\n")
@example(document="apiVersion: v1\nmetadata:\n  region: y\n  Region: z\n")
@example(document="apiVersion: v1\nMetadata:\n  region: y\nmetadata:\n  shortname: z\n")
@example(document="apiVersion: v1\nobjectStorage:\n  maximumBackupCount: 5.0\n")
@example(document="apiVersion: v1\nworkspace:\n  x: .inf\n")
def test_generated_configs(oracle: InstallerOracle, document: str) -> None:
    for release in RELEASES:
        found = disagreement(oracle, document, release)
        assert found is None, found


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


@settings(max_examples=examples(default=150, thorough=3000))
@given(text=st.one_of(NUMBERISH, st.sampled_from(SCALARS)))
@example(text="0b-101")
@example(text="18446744073709551615")
@example(text="20000000000000010.")
@example(text="123456789.0")
@example(text="1e-7")
def test_scalars_read_as_the_installer_reads_them(oracle: InstallerOracle, text: str) -> None:
    """macros/checker/goyaml.py against Go: yaml.v2's resolution, the numbers it accepts, the
    text a number becomes in a string field, and the whole numbers an integer field takes."""
    for document in scalar_documents(text):
        found = disagreement(oracle, document, schema.LATEST)
        assert found is None, found


def test_the_generator_reaches_every_kind_of_verdict(oracle: InstallerOracle) -> None:
    """The generated corpus is not all one kind: it holds loads, refusals for each reason and
    accepted notes (CFG106, CFG107), so agreement on it means something."""
    seen: set[str] = set()
    loads = refusals = 0

    @settings(max_examples=300, database=None)
    @given(document=configs())
    def collect(document: str) -> None:
        nonlocal loads, refusals
        verdict = oracle.load(schema.LATEST, document)
        loads += verdict.ok
        refusals += not verdict.ok
        result = checker.check_bytes(document.encode(), "g.yaml")
        seen.update(f.code for f in result.findings if f.code.startswith("CFG"))

    collect()
    assert loads > 20 and refusals > 20, (loads, refusals)
    assert {"CFG101", "CFG102", "CFG103", "CFG104", "CFG106", "CFG107"} <= seen, seen


@settings(max_examples=examples(default=150, thorough=3000))
@given(text=st.one_of(NUMBERISH, st.sampled_from(SCALARS), st.text(min_size=0, max_size=12)))
@example(text="1e3")
@example(text="y")
@example(text="0o17")
def test_the_installer_reads_every_string_the_guide_writes_as_written(
    oracle: InstallerOracle, text: str
) -> None:
    """config.to_yaml (every installer config on the site and in the builder) against Go: a
    string field written by it loads as exactly that string."""
    document = "apiVersion: v1\n" + config.to_yaml({"metadata": {"region": text}})
    verdict = oracle.load(schema.LATEST, document)
    assert verdict.ok, (document, verdict.error)
    read = verdict.effective["metadata"].get("region", "")
    assert read == text, (document, read)
