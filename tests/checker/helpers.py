"""What the checker tests share: the checker run in-process on a YAML text (no catch-all: a bug
fails the test), the failing/passing case shape, and the config fragments the cases are built of.

Expected endpoints come from botocore's S3 ruleset (tests/oracles.py), not from the rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from textwrap import dedent

from gitpod_resources import checker
from gitpod_resources.checker import FileResult, Finding
from gitpod_resources.schema import LATEST, Release
from tests.oracles import botocore_s3_host

#: A fixed "today", after Container Registry's write shutdown.
TODAY = date(2026, 11, 29)
FILE = "gitpod.config.yaml"


def run(text: str, today: date = TODAY, release: Release = LATEST) -> FileResult:
    return checker.check_bytes(dedent(text).lstrip("\n").encode(), FILE, today, release)


def findings(text: str, today: date = TODAY) -> list[Finding]:
    result = run(text, today)
    assert result.unusable is None, result.unusable
    return result.findings


def codes(text: str, today: date = TODAY) -> set[str]:
    return {f.code for f in findings(text, today)}


def laughs(levels: int = 9) -> str:
    """The classic alias bomb: 9 levels of 9 aliases, 9**9 strings once expanded."""
    lines = ["apiVersion: v1", "experimental:", "  l0: &l0 [lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels + 1):
        lines.append(f"  l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


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
