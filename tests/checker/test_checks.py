"""One failing and one passing input per check: the failing one must report the code at the
expected dotted path and line, the passing one (the same config, corrected) must not.

Expected endpoints come from botocore's S3 ruleset (tests/oracles.py), not from the rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from gitpod_resources import checker
from tests.checker.helpers import codes, findings
from tests.oracles import botocore_s3_host


@dataclass(frozen=True)
class Case:
    code: str
    name: str
    bad: str
    path: str
    line: int
    good: str
    #: Words the message or fix must contain (the finding explains itself).
    says: tuple[str, ...] = ()


def installer(body: str) -> str:
    return "apiVersion: v1\n" + body


def kots(values: str) -> str:
    return "apiVersion: kots.io/v1beta1\nkind: ConfigValues\nspec:\n  values:\n" + values


EXTERNAL = """\
containerRegistry:
  inCluster: false
  external:
    url: {url}
    certificate:
      kind: secret
      name: container-registry
"""

S3 = """\
containerRegistry:
  inCluster: true
  s3storage:
    bucket: {bucket}
    region: {region}
    endpoint: {endpoint}
    certificate:
      kind: secret
      name: container-registry-s3-backend
"""

#: The admin console's credential items (required: the installer's secrets are made from them);
#: password items are set with ``valuePlaintext`` in a ConfigValues file.
KOTS_LOGIN = """\
    reg_username:
      value: "<registry username>"
    reg_password:
      valuePlaintext: "<registry password>"
"""
KOTS_S3_KEYS = """\
    reg_incluster_storage_s3_accesskey:
      value: "<access key ID>"
    reg_incluster_storage_s3_secretkey:
      valuePlaintext: "<secret access key>"
"""

KOTS_EXTERNAL = (
    """\
    reg_incluster:
      value: "0"
    reg_url:
      value: {url}
    reg_server:
      value: {server}
"""
    + KOTS_LOGIN
)

KOTS_URL_ONLY = (
    '    reg_incluster:\n      value: "0"\n    reg_url:\n      value: {url}\n' + KOTS_LOGIN
)

KOTS_S3 = (
    """\
    reg_incluster:
      value: "1"
    reg_incluster_storage:
      value: s3
    reg_incluster_storage_s3_region:
      value: {region}
    reg_incluster_storage_s3_endpoint:
      value: {endpoint}
    reg_incluster_storage_s3_bucketname:
      value: gitpod-registry
"""
    + KOTS_S3_KEYS
)


def ext(url: str) -> str:
    return installer(EXTERNAL.format(url=url))


def s3(bucket: str = "gitpod-registry", region: str = "eu-west-2", endpoint: str = "") -> str:
    endpoint = endpoint or botocore_s3_host(region)
    return installer(S3.format(bucket=bucket, region=region, endpoint=endpoint))


GOOD_EXT = ext("harbor.example.com/gitpod")
GOOD_GAR = ext("europe-west2-docker.pkg.dev/my-gcp-project/gitpod")

CASES = [
    Case(
        "REG201",
        "external without inCluster",
        GOOD_EXT.replace("  inCluster: false\n", ""),
        "containerRegistry.inCluster",
        2,
        GOOD_EXT,
        ("accepts", "not used"),
    ),
    Case(
        "REG202",
        "inCluster false without external",
        installer("containerRegistry:\n  inCluster: false\n"),
        "containerRegistry.external",
        2,
        GOOD_EXT,
    ),
    Case(
        "REG202",
        "s3storage without endpoint",
        s3().replace(f"    endpoint: {botocore_s3_host('eu-west-2')}\n", ""),
        "containerRegistry.s3storage.endpoint",
        4,
        s3(),
    ),
    Case(
        "REG202",
        "admin console without a URL",
        kots('    reg_incluster:\n      value: "0"\n' + KOTS_LOGIN),
        "spec.values.reg_url.value",
        4,
        kots(KOTS_EXTERNAL.format(url="harbor.example.com/gitpod", server="harbor.example.com")),
    ),
    Case(
        "REG203",
        "ECR URL",
        ext("123456789012.dkr.ecr.eu-west-2.amazonaws.com"),
        "containerRegistry.external.url",
        5,
        s3(),
        ("ECR", "s3storage"),
    ),
    Case(
        "REG203",
        "ECR in the admin console",
        kots(
            KOTS_EXTERNAL.format(
                url="123456789012.dkr.ecr.us-east-1.amazonaws.com/gitpod",
                server="123456789012.dkr.ecr.us-east-1.amazonaws.com",
            )
        ),
        "spec.values.reg_url.value",
        8,
        kots(KOTS_S3.format(region="us-east-1", endpoint=botocore_s3_host("us-east-1"))),
        ("S3",),
    ),
    Case(
        "REG204",
        "URL with two trailing slashes (the installer strips one)",
        ext("harbor.example.com/gitpod//"),
        "containerRegistry.external.url",
        5,
        GOOD_EXT,
        ("trailing slash", "'harbor.example.com/gitpod'"),
    ),
    Case(
        "REG217",
        "URL with a trailing slash",
        ext("harbor.example.com/gitpod/"),
        "containerRegistry.external.url",
        5,
        GOOD_EXT,
        ("strips", "'harbor.example.com/gitpod/base-images'", "'harbor.example.com/gitpod'"),
    ),
    Case(
        "REG218",
        "Docker Hub namespace as the URL",
        ext("myorg/gitpod"),
        "containerRegistry.external.url",
        5,
        ext("registry.example.com/myorg/gitpod"),
        ("Docker Hub", "'myorg'"),
    ),
    Case(
        "REG219",
        "Secret name with capitals and an underscore",
        GOOD_EXT.replace("name: container-registry", "name: Container_Registry"),
        "containerRegistry.external.certificate.name",
        8,
        GOOD_EXT,
        ("'container-registry'",),
    ),
    Case(
        "REG220",
        "port above 65535 in the URL",
        ext("harbor.example.com:65536/gitpod"),
        "containerRegistry.external.url",
        5,
        ext("harbor.example.com:5000/gitpod"),
        ("1-65535",),
    ),
    Case(
        "REG220",
        "port 0 in the S3 backend endpoint",
        s3(endpoint="minio.example.com:0"),
        "containerRegistry.s3storage.endpoint",
        7,
        s3(endpoint="minio.example.com:9000"),
        ("1-65535",),
    ),
    Case(
        "REG221",
        "npm format Artifact Registry host",
        ext("europe-west2-npm.pkg.dev/my-gcp-project/gitpod"),
        "containerRegistry.external.url",
        5,
        GOOD_GAR,
        ("'europe-west2-docker.pkg.dev'", "npm"),
    ),
    Case(
        "REG204",
        "URL with a scheme",
        ext("https://harbor.example.com"),
        "containerRegistry.external.url",
        5,
        ext("harbor.example.com"),
        ("scheme",),
    ),
    Case(
        "REG205",
        "endpoint with a scheme",
        s3(endpoint="https://s3.eu-west-2.amazonaws.com"),
        "containerRegistry.s3storage.endpoint",
        7,
        s3(),
        ("scheme", botocore_s3_host("eu-west-2")),
    ),
    Case(
        "REG205",
        "endpoint with a trailing slash",
        s3(endpoint=botocore_s3_host("eu-west-2") + "/"),
        "containerRegistry.s3storage.endpoint",
        7,
        s3(),
        ("slash",),
    ),
    Case(
        "REG206",
        "global endpoint outside us-east-1",
        s3(endpoint="s3.amazonaws.com"),
        "containerRegistry.s3storage.endpoint",
        7,
        s3(),
        ("503", botocore_s3_host("eu-west-2")),
    ),
    Case(
        "REG206",
        "wrong partition suffix",
        s3(region="cn-north-1", endpoint="s3.cn-north-1.amazonaws.com"),
        "containerRegistry.s3storage.endpoint",
        7,
        s3(region="cn-north-1"),
        (botocore_s3_host("cn-north-1"),),
    ),
    Case(
        "REG206",
        "region typo in the endpoint",
        s3(endpoint="s3.eu-wset-2.amazonaws.com"),
        "containerRegistry.s3storage.endpoint",
        7,
        s3(),
        (botocore_s3_host("eu-west-2"),),
    ),
    Case(
        "REG206",
        "admin console's pre-filled endpoint",
        kots(KOTS_S3.format(region="ap-southeast-2", endpoint="s3.amazonaws.com")),
        "spec.values.reg_incluster_storage_s3_endpoint.value",
        12,
        kots(KOTS_S3.format(region="ap-southeast-2", endpoint=botocore_s3_host("ap-southeast-2"))),
        (botocore_s3_host("ap-southeast-2"),),
    ),
    Case(
        "REG207",
        "region typo",
        s3(region="eu-west-2").replace("region: eu-west-2", "region: eu-wset-2"),
        "containerRegistry.s3storage.region",
        6,
        s3(region="eu-west-2"),
        ("'eu-west-2'",),
    ),
    Case(
        "REG208",
        "bucket with an underscore",
        s3(bucket="gitpod_registry"),
        "containerRegistry.s3storage.bucket",
        5,
        s3(bucket="gitpod-registry"),
        ("'gitpod-registry'",),
    ),
    Case(
        "REG208",
        "bucket that looks like an IP address",
        s3(bucket="192.168.5.4"),
        "containerRegistry.s3storage.bucket",
        5,
        s3(bucket="gitpod-192-168-5-4"),
    ),
    Case(
        "REG209",
        "server of another host",
        kots(KOTS_EXTERNAL.format(url="harbor.example.com/gitpod", server="harbor.example.org")),
        "spec.values.reg_server.value",
        10,
        kots(KOTS_EXTERNAL.format(url="harbor.example.com/gitpod", server="harbor.example.com")),
        ("'harbor.example.com'",),
    ),
    Case(
        "REG209",
        "server left empty, URL with a path",
        kots(KOTS_URL_ONLY.format(url="harbor.example.com/x")),
        "spec.values.reg_url.value",
        8,
        kots(
            '    reg_incluster:\n      value: "0"\n    reg_url:\n      value: harbor.example.com\n'
            + KOTS_LOGIN
        ),
        ("empty",),
    ),
    Case(
        "REG222",
        "Docker Hub as the registry",
        ext("docker.io/myorg/gitpod"),
        "containerRegistry.external.url",
        5,
        GOOD_EXT,
        ("registry-1.docker.io", "docker.io"),
    ),
    Case(
        "REG210",
        "GCR server with the project path",
        kots(
            KOTS_EXTERNAL.format(url="gcr.io/my-gcp-project/gitpod", server="gcr.io/my-gcp-project")
        ),
        "spec.values.reg_server.value",
        10,
        kots(KOTS_EXTERNAL.format(url="gcr.io/my-gcp-project/gitpod", server="gcr.io")),
        ("'gcr.io'",),
    ),
    Case(
        "REG211",
        "unknown Artifact Registry location",
        ext("europe-west99-docker.pkg.dev/my-gcp-project/gitpod"),
        "containerRegistry.external.url",
        5,
        GOOD_GAR,
    ),
    Case(
        "REG212",
        "project name instead of ID",
        ext("europe-west2-docker.pkg.dev/1234567/gitpod"),
        "containerRegistry.external.url",
        5,
        GOOD_GAR,
        ("project",),
    ),
    Case(
        "REG212",
        "GCR without a project",
        ext("eu.gcr.io"),
        "containerRegistry.external.url",
        5,
        ext("eu.gcr.io/my-gcp-project"),
    ),
    Case(
        "REG213",
        "Artifact Registry URL without a repository",
        ext("us-docker.pkg.dev/my-gcp-project"),
        "containerRegistry.external.url",
        5,
        ext("us-docker.pkg.dev/my-gcp-project/gitpod"),
        ("repository",),
    ),
    Case(
        "REG213",
        "invalid repository name",
        ext("us-docker.pkg.dev/my-gcp-project/9gitpod"),
        "containerRegistry.external.url",
        5,
        ext("us-docker.pkg.dev/my-gcp-project/gitpod"),
    ),
    Case(
        "REG214",
        "gcr.io after the shutdown",
        ext("gcr.io/my-gcp-project/gitpod"),
        "containerRegistry.external.url",
        5,
        GOOD_GAR,
        ("2025-03-18", "Artifact Registry", "us-docker.pkg.dev/my-gcp-project/gitpod"),
    ),
    Case(
        "REG215",
        "external with inCluster true",
        GOOD_EXT.replace("inCluster: false", "inCluster: true"),
        "containerRegistry.external",
        4,
        GOOD_EXT,
    ),
    Case(
        "REG216",
        "s3storage with inCluster false",
        s3().replace("inCluster: true", "inCluster: false")
        + "  external:\n    url: harbor.example.com\n"
        "    certificate: {kind: secret, name: container-registry}\n",
        "containerRegistry.s3storage",
        4,
        s3(),
    ),
    Case(
        "KOTS301",
        "typo in an item name",
        kots('    reg_incluster:\n      value: "1"\n    reg_incluster_storge:\n      value: s3\n'),
        "spec.values.reg_incluster_storge",
        7,
        kots(
            '    reg_incluster:\n      value: "1"\n    reg_incluster_storage:\n      value: none\n'
        ),
        ("reg_incluster_storage",),
    ),
    Case(
        "KOTS302",
        "item written as a bare value",
        kots('    reg_incluster: "1"\n'),
        "spec.values.reg_incluster",
        5,
        kots('    reg_incluster:\n      value: "1"\n'),
    ),
    Case(
        "KOTS303",
        "reg_incluster written as false",
        kots(
            KOTS_EXTERNAL.format(url="harbor.example.com/gitpod", server="harbor.example.com")
        ).replace('value: "0"', 'value: "false"'),
        "spec.values.reg_incluster.value",
        6,
        kots(KOTS_EXTERNAL.format(url="harbor.example.com/gitpod", server="harbor.example.com")),
        ("external-container-registry", "'0'"),
    ),
    Case(
        "KOTS303",
        "storage written as S3",
        kots(KOTS_S3.format(region="eu-west-2", endpoint=botocore_s3_host("eu-west-2"))).replace(
            "value: s3\n", "value: S3\n"
        ),
        "spec.values.reg_incluster_storage.value",
        8,
        kots(KOTS_S3.format(region="eu-west-2", endpoint=botocore_s3_host("eu-west-2"))),
        ("'s3'", "volume"),
    ),
    Case(
        "KOTS304",
        "reg_incluster written as true",
        kots('    reg_incluster:\n      value: "true"\n'),
        "spec.values.reg_incluster.value",
        6,
        kots('    reg_incluster:\n      value: "1"\n'),
        ("in-cluster registry", "'1'"),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.code}-{c.name}")
def test_bad_input_reports_the_code_at_the_path_and_line(case: Case) -> None:
    hits = [f for f in findings(case.bad) if f.code == case.code]
    assert hits, f"{case.code} not reported; got {[(f.code, f.path) for f in findings(case.bad)]}"
    assert [(f.path, f.line) for f in hits] == [(case.path, case.line)]
    text = hits[0].message + " " + hits[0].fix
    for word in case.says:
        assert word in text, f"{word!r} not in {text!r}"


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.code}-{c.name}")
def test_corrected_input_passes(case: Case) -> None:
    found = findings(case.good)
    assert case.code not in {f.code for f in found}
    assert [f for f in found if f.severity == "error"] == []


def test_every_check_has_cases() -> None:
    from tests.checker.test_checks_storage_database import CASES as STORAGE_DATABASE_CASES
    from tests.checker.test_structure import CASES as STRUCTURE_CASES

    covered = {c.code for c in CASES + STORAGE_DATABASE_CASES + STRUCTURE_CASES}
    assert {c.code for c in checker.all_checks()} == covered


@pytest.mark.parametrize(
    "server",
    ["https://index.docker.io/v1/", "docker.io", "index.docker.io", "registry-1.docker.io"],
)
def test_docker_hubs_names_are_not_a_server_mismatch(server: str) -> None:
    """Docker Hub's key in a Docker config file (``docker login`` writes the first) is one of
    its names, not a wrong host: REG222 says what 2022.11 does with Docker Hub, REG209 stays out."""
    config = kots(KOTS_EXTERNAL.format(url="docker.io/myorg/gitpod", server=server))
    assert "REG209" not in codes(config)
    assert "REG222" in codes(config)


def test_gcr_warning_starts_on_the_shutdown_day() -> None:
    config = ext("gcr.io/my-gcp-project/gitpod")
    assert "REG214" not in codes(config, today=date(2025, 3, 17))
    assert "REG214" in codes(config, today=date(2025, 3, 18))


def test_s3_compatible_endpoints_are_not_held_to_aws_regions() -> None:
    config = s3(region="eu-west-2").replace(botocore_s3_host("eu-west-2"), "minio.example.com")
    assert codes(config.replace("eu-west-2", "garage-1")) == set()


def test_us_east_1_keeps_the_default_endpoint() -> None:
    assert codes(s3(region="us-east-1", endpoint="s3.amazonaws.com")) == set()
    assert botocore_s3_host("us-east-1") == "s3.amazonaws.com"


def test_open_sections_are_not_checked_key_by_key() -> None:
    config = installer(
        "workspace: {runtime: {fsShiftMethod: fuse}, whatever: 1}\n"
        "experimental: {webapp: {x: 1}}\n"
        "objectStorage:\n  inCluster: true\n  resources: {requests: {memory: 2Gi}}\n"
    )
    assert codes(config) == set()


def test_findings_point_at_the_value() -> None:
    [hit] = findings(s3(endpoint="s3.amazonaws.com"))
    assert (hit.line, hit.column) == (7, 15)
