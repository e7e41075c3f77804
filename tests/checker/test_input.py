"""Bad input and limits: detection, several documents, alias bombs, depth, size, bytes.

Each hostile input must end as "unusable" (exit 2 with a reason) or as findings, never as an
exception or a hang; how fast that happens is measured by ``make bench-checker``, not here.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gitpod_resources import checker
from gitpod_resources.checker import tree
from gitpod_resources.cli import status
from tests.checker.helpers import findings, laughs, run
from tests.conftest import examples


def test_detects_installer_config_and_admin_console_export() -> None:
    assert run("apiVersion: v1\ndomain: gitpod.example.com\n").documents == [
        (1, checker.DocKind.INSTALLER)
    ]
    kots = "apiVersion: kots.io/v1beta1\nkind: ConfigValues\nspec:\n  values: {}\n"
    assert run(kots).documents == [(1, checker.DocKind.KOTS)]
    # The loader assumes v1 when apiVersion is absent.
    assert run("containerRegistry: {inCluster: true}\n").documents == [
        (1, checker.DocKind.INSTALLER)
    ]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "no YAML document"),
        ("---\n", "no YAML document"),
        ("- a\n- b\n", "expected a mapping"),
        ("just text\n", "expected a mapping"),
        ("apiVersion: v1\nkind: Secret\ndata: {}\n", "'Secret'"),
        ("apiVersion: apps/v1\nkind: Deployment\n", "apiVersion: 'apps/v1'"),
        ("name: x\n", "unknown document kind"),
        ("kind: ConfigValues\nspec: {}\n", "spec.values"),
        ("a: [\n", "not valid YAML"),
        ("a: 1\n\tb: 2\n", "not valid YAML"),
    ],
)
def test_unusable_documents_are_named(text: str, says: str) -> None:
    result = run(text)
    assert result.unusable is not None and says in result.unusable
    assert "\n" not in result.unusable


def test_every_document_is_checked_with_file_lines() -> None:
    text = (
        "apiVersion: v1\ncontainerRegistry: {inCluster: true}\n"
        "---\n"
        "apiVersion: v1\ncontainerRegistry:\n  inCluster: false\n"
    )
    result = run(text)
    assert result.documents == [(1, checker.DocKind.INSTALLER), (2, checker.DocKind.INSTALLER)]
    got = [(f.document, f.code, f.line) for f in result.findings]
    assert got == [(2, "CFG108", 4), (2, "REG202", 5)]


def test_an_unusable_document_among_good_ones_is_rejected_by_number() -> None:
    result = run("apiVersion: v1\ncontainerRegistry:\n  inCluster: false\n---\n- a\n")
    assert result.unusable is not None and result.unusable.startswith("document 2:")
    assert [(f.document, f.code) for f in result.findings] == [(1, "REG202"), (2, "CFG100")]
    assert status([result]) == 2


def test_a_document_that_is_not_yaml_does_not_hide_the_others() -> None:
    text = (
        "apiVersion: v1\ncontainerRegistry:\n  inCluster: false\n"  # 1: REG202
        "---\napiVersion: v1\ncontainerRegistry: [\n"  # 2: not valid YAML
        "---\napiVersion: v1\ncontainerRegistry:\n  inCluster: true\n  s3storag: {}\n"  # 3
    )
    result = run(text)
    got = [(f.document, f.code, f.line) for f in result.findings]
    assert (1, "REG202", 2) in got and (3, "CFG101", 11) in got, got
    [problem] = result.problems
    assert (problem.document, problem.line) == (2, 7)
    assert problem.message.startswith("document 2: not valid YAML"), problem.message
    assert result.documents == [(1, checker.DocKind.INSTALLER), (3, checker.DocKind.INSTALLER)]


def test_trailing_separator_is_not_a_document() -> None:
    assert run("apiVersion: v1\ndomain: gitpod.example.com\n---\n").unusable is None


def test_billion_laughs_is_refused() -> None:
    result = run(laughs())
    assert result.unusable is not None and "aliases expand" in result.unusable


def test_moderate_alias_reuse_is_fine() -> None:
    text = (
        "apiVersion: v1\nexperimental:\n  ref: &ref {kind: secret, name: r}\n"
        "certificate: *ref\nlicense: *ref\n"
    )
    assert findings(text) == []


def test_self_referencing_alias_is_refused() -> None:
    for text in ("apiVersion: v1\nexperimental: &a [*a]\n", "a: &a {b: *a}\n"):
        result = run(text)
        assert result.unusable is not None and "refers to its own anchor" in result.unusable


def test_deep_nesting_is_refused_before_the_composer_recurses() -> None:
    """Past the limit, the parser's events are refused before anything is composed; far past
    it, libyaml's own scanner refuses first (it stops at 1000 levels)."""
    cases = {
        "[" * 100 + "]" * 100: "nested deeper than 64 levels",
        "".join("  " * i + "a:\n" for i in range(500)): "nested deeper than 64 levels",
        "[" * 5000 + "]" * 5000: "exceeded maximum nesting depth",
    }
    for text, says in cases.items():
        result = run(text)
        assert result.unusable is not None and says in result.unusable, result.unusable


def test_aliases_cannot_stack_depth_past_the_limit() -> None:
    lines = ["apiVersion: v1", "experimental:"]
    for i in range(5):
        inner = f"*d{i - 1}" if i else "x"
        lines.append(f"  d{i}: &d{i} " + "[" * 30 + inner + "]" * 30)
    result = run("\n".join(lines) + "\n")
    assert result.unusable is not None and "nest deeper" in result.unusable


def test_too_many_values_are_refused() -> None:
    text = "apiVersion: v1\nexperimental:\n" + "- a\n" * (tree.MAX_NODES + 10)
    result = run(text)
    assert result.unusable is not None and str(tree.MAX_NODES) in result.unusable


def test_multi_megabyte_file_is_refused_unread(tmp_path: object) -> None:
    big = b"apiVersion: v1\ndomain: " + b"a" * (3 * 1024 * 1024) + b"\n"
    result = checker.check_bytes(big, "big.yaml")
    assert result.unusable is not None and "larger than" in result.unusable


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)),
        b"\xff\xfe\x00",
        b"a: \x07\n",
        "apiVersion: v1\ndomain: x\n".encode("utf-16"),
        b"apiVersion: v1\ndomain: " + b"9" * 6000 + b"\n",
        b"apiVersion: v1\ndomain: 2001-13-45\n",
        b"apiVersion: v1\ndomain: !custom x\ncontainerRegistry: !!binary AAAA\n",
        b"apiVersion: v1\n? [a, b]\n: 1\n",
        b"apiVersion: v1\ncontainerRegistry:\n  <<: 1\n",
    ],
)
def test_odd_bytes_end_in_findings_or_a_reason(data: bytes) -> None:
    result = checker.check_bytes(data, "odd.yaml")
    assert (result.unusable is None) or ("\n" not in result.unusable)
    assert status([result]) in (0, 1, 2)


# --- properties ---------------------------------------------------------------------------------

KNOWN_KEYS = [
    "apiVersion",
    "kind",
    "containerRegistry",
    "inCluster",
    "external",
    "url",
    "certificate",
    "name",
    "s3storage",
    "bucket",
    "region",
    "endpoint",
    "spec",
    "values",
    "value",
    "reg_incluster",
    "reg_url",
    "reg_server",
    "reg_incluster_storage",
    "reg_incluster_storage_s3_endpoint",
    "reg_incluster_storage_s3_region",
    "objectStorage",
    "metadata",
    "s3",
    "cloudStorage",
    "azure",
    "credentials",
    "project",
    "serviceAccount",
    "blobQuota",
    "database",
    "cloudSQL",
    "instance",
    "ssl",
    "caCert",
    "store_provider",
    "store_region",
    "store_s3_endpoint",
    "store_s3_bucket",
    "store_gcp_project",
    "db_incluster",
    "db_cloudsql_enabled",
    "db_cloudsql_instance",
    "db_host",
    "db_port",
    "db_username",
    "<<",
]
VALUES = [
    "v1",
    "ConfigValues",
    "secret",
    "0",
    "1",
    "s3",
    "gcr.io/p",
    "gcr.io/my-gcp-project/gitpod",
    "eu.gcr.io",
    "europe-west2-docker.pkg.dev/my-gcp-project/gitpod",
    "xx-docker.pkg.dev",
    "123456789012.dkr.ecr.eu-west-2.amazonaws.com",
    "s3.amazonaws.com",
    "s3.cn-north-1.amazonaws.com",
    "https://s3.eu-west-2.amazonaws.com/",
    "eu-west-2",
    "cn-north-1",
    "EU-WEST-2",
    "",
    " ",
    "/",
    "a:b",
    "gcp",
    "azure",
    "incluster",
    "europe-west2",
    "europe-west2-a",
    "local",
    "my-gcp-project",
    "my-gcp-project:europe-west2:gitpod-mysql",
    "p:r:i:x",
    "3306",
    "70000",
    "mysql.example.com:3306",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.sampled_from(VALUES),
    st.text(max_size=30),
)
keys = st.one_of(st.sampled_from(KNOWN_KEYS), st.text(max_size=12))
documents = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=5)
    ),
    max_leaves=25,
)


def _status_of(data: bytes) -> int:
    result = checker.check_bytes(data, "prop.yaml")
    for f in result.findings:
        assert f.line >= 1 and f.column >= 1 and f.code and f.message and f.fix
    if result.unusable is not None:
        assert "\n" not in result.unusable
    return status([result])


def dump(doc: object) -> bytes:
    """``doc`` as YAML text: libyaml's emitter when PyYAML has it (the checker parses either)."""
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(doc, Dumper=dumper, allow_unicode=True).encode()


@settings(max_examples=examples(default=100, thorough=300), deadline=None)
@given(documents, st.sampled_from(["installer", "storage", "database", "kots", "raw"]), scalars)
def test_any_yaml_document_exits_0_1_or_2(doc: object, wrap: str, region: object) -> None:
    if wrap == "installer":
        doc = {"apiVersion": "v1", "containerRegistry": doc}
    elif wrap == "storage":
        doc = {"apiVersion": "v1", "metadata": {"region": region}, "objectStorage": doc}
    elif wrap == "database":
        doc = {"apiVersion": "v1", "database": doc}
    elif wrap == "kots":
        doc = {"apiVersion": "kots.io/v1beta1", "kind": "ConfigValues", "spec": {"values": doc}}
    assert _status_of(dump(doc)) in (0, 1, 2)


@settings(max_examples=examples(default=200, thorough=300), deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_exit_0_1_or_2(data: bytes) -> None:
    assert _status_of(data) in (0, 1, 2)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!|>'\"#,? \n\t<")), max_size=120))
def test_any_yaml_like_text_exits_0_1_or_2(text: str) -> None:
    assert _status_of(("apiVersion: v1\n" + text).encode()) in (0, 1, 2)


def _some(**fields: st.SearchStrategy[object]) -> st.SearchStrategy[dict[str, object]]:
    """A mapping with any subset of the fields: the shape of a section, values arbitrary."""
    return st.fixed_dictionaries({}, optional=fields)


refs = st.one_of(scalars, _some(kind=scalars, name=scalars))
storage_sections = _some(
    inCluster=scalars,
    s3=st.one_of(scalars, _some(endpoint=scalars, bucket=scalars, credentials=refs)),
    cloudStorage=st.one_of(scalars, _some(project=scalars, serviceAccount=refs)),
    azure=st.one_of(scalars, _some(credentials=refs)),
)
database_sections = _some(
    inCluster=scalars,
    external=st.one_of(scalars, _some(certificate=refs)),
    cloudSQL=st.one_of(scalars, _some(instance=scalars, serviceAccount=refs)),
    ssl=st.one_of(scalars, _some(caCert=refs)),
)
kots_items = st.dictionaries(
    st.sampled_from(
        [k for k in KNOWN_KEYS if k.startswith(("store_", "db_"))] + ["store_x", "db_x"]
    ),
    st.one_of(scalars, _some(value=scalars, default=scalars)),
    max_size=8,
)


@settings(max_examples=examples(default=100, thorough=300), deadline=None)
@given(storage_sections, database_sections, scalars, kots_items)
def test_any_storage_and_database_shape_exits_0_1_or_2(
    storage: object, database: object, region: object, items: object
) -> None:
    """The object storage and database checks reach every branch of their sections' shape."""
    installer = {
        "apiVersion": "v1",
        "metadata": {"region": region},
        "objectStorage": storage,
        "database": database,
    }
    kots = {"apiVersion": "kots.io/v1beta1", "kind": "ConfigValues", "spec": {"values": items}}
    for doc in (installer, kots):
        assert _status_of(dump(doc)) in (0, 1, 2)
