"""The JSON Schemas the site publishes for editors, against the installer's own loader.

For every document of the installer-oracle corpus (every YAML block of the site, every check's
examples, every case of the checker's tests, generated configs) and every release, read as the
installer's YAML library reads it (YAML 1.1: what an editor shows with ``yaml.yamlVersion: 1.1``):

- no document the installer's loader refuses is valid against the schema of that release;
- a document the loader takes that the schema refuses is one the checker warns about, for a
  spelling the installer reads differently from how it is written: a key in another case
  (CFG106), or a number or boolean where a string belongs (CFG107). Nothing else.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from jsonschema import Draft7Validator
from jsonschema.exceptions import ValidationError

from gitpod_resources import checker, goyaml, schema
from gitpod_resources.checker import config_schema, project
from gitpod_resources.checker.model import SITE_URL, DocKind
from gitpod_resources.checker.tree import YMap, YNode, YScalar, YSeq, compose_documents, to_tree
from gitpod_resources.schema import Release
from tests.checker import cases
from tests.conftest import ROOT, Site, examples
from tests.support.installer_oracle import InstallerOracle
from tests.support.oracle_corpus import (
    NUMBERISH,
    SCALARS,
    assert_agree,
    configs,
    scalar_documents,
    site_documents,
)

RELEASES = list(Release)
#: The codes for the spellings the schema refuses and the installer reads anyway.
NON_CANONICAL = {"CFG106": "key in another case", "CFG107": "number or boolean for a string"}


class DuplicateKeyError(Exception):
    """A mapping that writes a key twice: the editor's YAML reader refuses it."""


class NotJsonError(Exception):
    """What JSON cannot hold, so no JSON Schema can judge it; the installer refuses it anywhere
    (its YAML-to-JSON step fails): a ``.nan`` (a number to JSON Schema), and a mapping key that
    is null, a list, a mapping or an integer above int64. And one number: a value below int64
    that YAML reads as the float -2**63, which the installer writes as -9223372036854776000 and
    cannot decode, while to JSON it is the integer -2**63, the least int64. The refusals the
    schemas cannot make, listed here."""


def instance(node: YNode) -> object:
    """The JSON value of a document as the installer's YAML library resolves it."""
    if isinstance(node, YMap):
        if node.duplicates:
            raise DuplicateKeyError(node.duplicates[0].text)
        out = {}
        for key, value in node.pairs:
            name = goyaml.json_key(key.value) if key.tag else None
            if name is None:
                raise NotJsonError(f"mapping key {key.text!r}")
            out[key.text] = instance(value)
        return out
    if isinstance(node, YSeq):
        return [instance(item) for item in node.items]
    assert isinstance(node, YScalar)
    try:
        value = node.value
    except goyaml.GoYamlError:
        return {"unreadable scalar": node.text}  # of no type a field has
    if isinstance(value, float) and (math.isnan(value) or value == -(2**63)):
        raise NotJsonError(node.text)
    return value


@cache
def validator(release: Release) -> Draft7Validator:
    return Draft7Validator(config_schema.installer(release))


def schema_errors(document: str, release: Release) -> list[ValidationError] | None:
    """The schema's errors for the first document ([] if valid); None for :class:`NotJsonError`."""
    [(_, node), *_] = compose_documents(document.encode())
    assert not isinstance(node, Exception)
    tree = to_tree(node)
    try:
        value = instance(tree)
    except DuplicateKeyError as dup:
        return [ValidationError(f"duplicate key {dup}")]
    except NotJsonError:
        return None
    return list(validator(release).iter_errors(value))


def non_canonical(error: ValidationError, codes: set[str]) -> bool:
    """Whether the error is a spelling the checker warns about (and it did)."""
    if error.validator == "additionalProperties":
        props = error.schema.get("properties", {})
        extra = [k for k in error.instance if k not in props]
        cased = all(any(goyaml.equal_fold(p, k) for p in props) for k in extra)
        return cased and "CFG106" in codes
    if error.validator == "type" and "string" in error.validator_value:
        found = error.instance
        return isinstance(found, bool | int | float) and "CFG107" in codes
    return False


def disagreement(oracle: InstallerOracle, document: str, release: Release) -> str | None:
    result = checker.check_bytes(document.encode(), "corpus.yaml", release=release)
    if (1, DocKind.INSTALLER) not in result.documents:
        return None
    errors = schema_errors(document, release)
    if errors is None:  # see NotJsonError: not for a JSON Schema to judge
        return None
    verdict = oracle.load(release, document)
    shown = f"--- document ({release.value}) ---\n{document}\n"
    if not verdict.ok and not errors:
        return f"{shown}the installer refuses it ({verdict.error}); the schema accepts it"
    if verdict.ok and errors:
        codes = {f.code for f in result.findings if f.document == 1}
        other = [e for e in errors if not non_canonical(e, codes)]
        if other:
            where = "/".join(str(p) for p in other[0].absolute_path)
            return (
                f"{shown}the installer loads it; the schema refuses it at {where or 'the top'}: "
                f"{other[0].message} (checker: {sorted(codes)})"
            )
    return None


def example_documents() -> list[tuple[str, str]]:
    out = []
    for chk in checker.all_checks():
        out += [(f"{chk.code} example", chk.example), (f"{chk.code} corrected", chk.corrected)]
    return out


# --- the schema against the installer ------------------------------------------------------------


def test_every_check_example(oracle: InstallerOracle) -> None:
    assert_agree(oracle, example_documents(), disagreement)


def test_every_case_of_the_checker_tests(oracle: InstallerOracle) -> None:
    assert_agree(oracle, cases.documents(), disagreement)


def test_every_yaml_block_of_the_site(oracle: InstallerOracle, site: Site) -> None:
    assert_agree(oracle, site_documents(site), disagreement)


@settings(
    max_examples=examples(default=150, thorough=3000),
    suppress_health_check=[HealthCheck.too_slow],
)
@given(document=configs())
def test_generated_configs(oracle: InstallerOracle, document: str) -> None:
    for release in RELEASES:
        found = disagreement(oracle, document, release)
        assert found is None, found


def test_every_scalar_in_every_kind_of_field(oracle: InstallerOracle) -> None:
    texts = [*SCALARS, "1_000", "0b101", "0o17", "0x1F", "1e19", "1e18", "-9223372036854775809"]
    documents = [(t, d) for t in texts for d in scalar_documents(t)]
    assert_agree(oracle, documents, disagreement)


@settings(max_examples=examples(default=100, thorough=2000))
@given(text=NUMBERISH)
def test_numbers_in_every_kind_of_field(oracle: InstallerOracle, text: str) -> None:
    for document in scalar_documents(text):
        found = disagreement(oracle, document, schema.LATEST)
        assert found is None, found


def test_the_schema_refuses_what_it_should(oracle: InstallerOracle) -> None:
    """The corpus reaches every kind of refusal, so agreement on it means something."""
    cases = {
        "apiVersion: v1\ncontainerRegistry:\n  s3storag: {}\n": "additionalProperties",
        "apiVersion: v1\ndatabase:\n  inCluster: 'false'\n": "type",
        "apiVersion: v1\nobjectStorage:\n  blobQuota: 99999999999999999999\n": "maximum",
        "apiVersion: v1\ndatabase:\n  ssl: {caCert: {kind: secret, name: x}}\n": "2022.11.0",
    }
    for document, why in cases.items():
        release = Release.R0 if why == "2022.11.0" else schema.LATEST
        assert not oracle.load(release, document).ok, document
        errors = schema_errors(document, release)
        assert errors, document
        if why != "2022.11.0":
            assert errors[0].validator == why, (document, errors[0].validator)
    assert schema_errors("apiVersion: v1\ndatabase:\n  ssl: {}\n", Release.R1) == []


# --- the admin console schema ----------------------------------------------------------------


def kots_documents() -> list[tuple[str, str]]:
    return [
        (origin, text)
        for origin, text in [*example_documents(), *cases.documents()]
        if "ConfigValues" in text
    ]


def test_admin_console_exports_the_checker_reads_are_valid() -> None:
    validate = Draft7Validator(config_schema.admin_console())
    valid = refused = 0
    for origin, text in kots_documents():
        result = checker.check_bytes(text.encode(), "values.yaml")
        if (1, DocKind.KOTS) not in result.documents:
            continue
        value = yaml.safe_load(text)
        errors = list(validate.iter_errors(value))
        codes = {f.code for f in result.findings}
        if "KOTS302" in codes:
            refused += 1
            assert errors, f"{origin}: KOTS302, yet the schema accepts it"
        else:
            valid += 1
            assert not errors, f"{origin}: {errors[0].message}"
    assert valid > 20 and refused >= 1, (valid, refused)


# --- descriptions and links ------------------------------------------------------------------


def properties(node: dict[str, Any], path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    for key, child in node.get("properties", {}).items():
        where = f"{path}.{key}" if path else key
        yield where, child
        yield from properties(child, where)
    items = node.get("items")
    if isinstance(items, dict):
        yield f"{path}[]", items
        yield from properties(items, f"{path}[]")
    extra = node.get("additionalProperties")
    if isinstance(extra, dict):
        yield f"{path}.*", extra
        yield from properties(extra, f"{path}.*")


def all_schemas() -> dict[str, dict[str, Any]]:
    return {path: json.loads(text) for path, text in config_schema.files().items()}


def test_every_key_has_a_description_and_a_link_to_the_guide() -> None:
    for path, doc in all_schemas().items():
        Draft7Validator.check_schema(doc)
        assert doc["$id"] == f"{SITE_URL}{path}"
        keys = list(properties(doc))
        assert len(keys) > 10, path
        for key, node in keys:
            assert node.get("description"), (path, key)
            assert f"Guide: {SITE_URL}" in node["description"], (path, key)
            assert f"]({SITE_URL}" in node["markdownDescription"], (path, key)


def test_installer_schemas_have_the_keys_of_their_release() -> None:
    for release in RELEASES:
        keys = {k for k, _ in properties(config_schema.installer(release))}
        for path, added in schema.ADDED_IN.items():
            assert (path in keys) == (RELEASES.index(release) >= RELEASES.index(added)), path
        later = tuple(p for p, r in schema.ADDED_IN.items() if r > release)
        expected = {p for p in config_schema.INSTALLER_KEYS if not p.startswith(later or ("~",))}
        assert {k for k in keys if not k.endswith((".kind", ".name"))} == expected


def test_links_resolve_to_anchors_of_the_built_site(site: Site) -> None:
    links = set()
    for doc in all_schemas().values():
        for _, node in properties(doc):
            links.add(node["description"].rsplit("Guide: ", 1)[1])
    assert len(links) > 10
    for link in sorted(links):
        page, _, anchor = link.removeprefix(SITE_URL).partition("#")
        html = f"{page}index.html"
        assert html in site.pages(), link
        if anchor:
            assert site.soup(html).find(id=anchor) is not None, link


def test_the_site_publishes_the_schemas(site_dir: Path) -> None:
    for path, text in config_schema.files().items():
        assert (site_dir / path).read_text(encoding="utf-8") == text, path
    assert (site_dir / "schema" / "2022.11.3" / "installer-config.json").exists()
    assert (site_dir / "schema" / "admin-console-config-values.json").exists()


def test_the_check_page_shows_the_modeline_and_the_vs_code_setting(site: Site) -> None:
    text = site.soup("check/index.html").get_text()
    latest = config_schema.url(config_schema.installer_path(schema.LATEST))
    assert f"# yaml-language-server: $schema={latest}" in text
    assert '"yaml.schemas"' in text and latest in text
    assert config_schema.url(config_schema.ADMIN_CONSOLE_PATH) in text


# --- one documentation URL -------------------------------------------------------------------


def test_one_documentation_url_for_the_checker_and_the_site(site: Site) -> None:
    """pyproject.toml's Documentation URL is the checker's SITE_URL, the installed metadata's,
    mkdocs.yml's site_url (while it names one) and the built site's canonical links."""
    import subprocess
    import sys
    import tomllib

    documentation = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"][
        "Documentation"
    ]
    assert SITE_URL == project.documentation_url() == documentation
    installed = subprocess.run(
        [sys.executable, "-c", "from importlib import metadata; "
         "print(metadata.metadata('gitpod-resources').get_all('Project-URL'))"],
        cwd="/", capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert f"Documentation, {documentation}" in installed, "run `make setup` again"
    match = re.search(r"^site_url:\s*(\S+)\s*$", (ROOT / "mkdocs.yml").read_text(), re.M)
    if match is not None:
        assert match.group(1) == documentation
    canonical = site.soup("check/index.html").find("link", rel="canonical")
    assert canonical is not None and str(canonical["href"]) == f"{documentation}check/"


def test_the_build_hook_writes_the_schemas_and_refuses_another_site_url(tmp_path: Path) -> None:
    from types import SimpleNamespace

    from mkdocs.exceptions import PluginError

    from macros import hooks

    dev = SimpleNamespace(host="127.0.0.1", port=8000)
    config = {"site_url": SITE_URL, "site_dir": str(tmp_path), "dev_addr": dev}
    hooks.on_post_build(config)
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.json")) == sorted(
        config_schema.files()
    )
    hooks.on_post_build({**config, "site_url": "http://127.0.0.1:8000/"})  # mkdocs serve
    with pytest.raises(PluginError, match="is not the package's documentation URL"):
        hooks.on_post_build({**config, "site_url": "https://elsewhere.example.org/"})
