"""The checker against the installer's own loader, run (tests/installer_oracle, release by release).

For every document of the corpus (every YAML block of the built site, every check's example,
every case of the checker's tests (test_cases.py), generated configs) and every 2022.11 release:

- the checker reports a load-level error (CFG101-CFG104) if and only if the installer's load
  fails;
- where both load it, the config the checker reads (its canonical tree, with the installer's
  defaults under it) is the config the installer loaded, value for value.

The Go program's structs are transcribed from install/installer/pkg/config/v1/config.go at the
four release tags (its sources name path, tag and lines); :func:`test_schema_has_the_keys_of_the
_installer_structs` holds gitpod_resources/schema.py to them, key path by key path.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from gitpod_resources import checker, config, schema
from gitpod_resources.schema import ListOf, Mapping, ObjectRef, Open, Release, Scalar
from tests.conftest import Site, examples
from tests.support import installer_oracle
from tests.support.installer_oracle import InstallerOracle
from tests.support.oracle_corpus import (
    NUMBERISH,
    RELEASES,
    SCALARS,
    assert_agree,
    configs,
    disagreement,
    scalar_documents,
    site_documents,
)

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


def test_every_yaml_block_of_the_site(oracle: InstallerOracle, site: Site) -> None:
    documents = site_documents(site)
    assert len(documents) > 20
    assert_agree(oracle, documents)


def test_every_check_example(oracle: InstallerOracle) -> None:
    assert_agree(oracle, [(c.code, c.example) for c in checker.all_checks()])


def test_the_installer_reads_the_first_document_only(oracle: InstallerOracle) -> None:
    """What CFG108 says: a later document, even one the installer would refuse, is ignored."""
    two = "apiVersion: v1\ndomain: gitpod.example.com\n---\napiVersion: v1\nmessageBus: {}\n"
    assert oracle.load(schema.LATEST, two).ok
    assert not oracle.load(schema.LATEST, two.split("---\n")[1]).ok
    codes = {f.code for f in checker.check_bytes(two.encode(), "two.yaml").findings}
    assert codes == {"CFG108", "CFG101"}


# --- generated configs ------------------------------------------------------------------------


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


@settings(max_examples=examples(default=150, thorough=3000))
@given(text=st.one_of(NUMBERISH, st.sampled_from(SCALARS)))
@example(text="0b-101")
@example(text="18446744073709551615")
@example(text="20000000000000010.")
@example(text="123456789.0")
@example(text="1e-7")
@example(text="3.4025000633641588e+38")  # float32 shortest form rounds past its largest
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
