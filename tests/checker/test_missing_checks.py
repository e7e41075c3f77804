"""Checks a user would expect that the checker lacked (issue #16), each with its own code.

Independent sources of the expectations:

* A registry URL's first segment is a registry host only if it has a dot or a port or is
  ``localhost``; otherwise Docker reads it as a Docker Hub namespace (the distribution
  reference grammar: ``reference.ParseNormalizedNamed`` / ``splitDockerDomain`` in
  github.com/distribution/reference, normalize.go: ``!strings.ContainsAny(name[:i], ".:") &&
  name[:i] != "localhost"`` means ``docker.io``).
* Kubernetes Secret names are DNS subdomains (RFC 1123): lowercase alphanumerics, '-' and
  '.', starting and ending alphanumeric, at most 253 characters (k8s.io/apimachinery
  ``IsDNS1123Subdomain``, re-implemented below).
* TCP ports are 1-65535.
* Artifact Registry hosts are ``<location>-<format>.pkg.dev`` and only ``docker`` serves images
  (docs.cloud.google.com/artifact-registry/docs/docker/names; the other formats' pages:
  ``-npm.pkg.dev``, ``-python.pkg.dev``, ``-maven.pkg.dev``, ``-apt.pkg.dev``, ``-yum.pkg.dev``,
  ``-go.pkg.dev``).
"""

from __future__ import annotations

import re

import pytest

from gitpod_resources.checker.model import Severity
from tests.checker.helpers import findings

#: k8s.io/apimachinery/pkg/util/validation: dns1123SubdomainFmt, DNS1123SubdomainMaxLength.
_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
K8S_SUBDOMAIN = re.compile(rf"{_LABEL}(\.{_LABEL})*")


def is_dns1123_subdomain(name: str) -> bool:
    return len(name) <= 253 and K8S_SUBDOMAIN.fullmatch(name) is not None


def external(url: str, secret: str = "container-registry") -> str:
    return (
        "apiVersion: v1\ncontainerRegistry:\n  inCluster: false\n  external:\n"
        f"    url: {url}\n    certificate:\n      kind: secret\n      name: {secret}\n"
    )


def registry_s3(endpoint: str = "s3.eu-west-2.amazonaws.com", secret: str = "reg-s3") -> str:
    return (
        "apiVersion: v1\ncontainerRegistry:\n  inCluster: true\n  s3storage:\n"
        "    bucket: gitpod-registry\n    region: eu-west-2\n"
        f"    endpoint: {endpoint}\n"
        f"    certificate:\n      kind: secret\n      name: {secret}\n"
    )


def storage_s3(endpoint: str = "s3.eu-west-2.amazonaws.com", secret: str = "storage-s3") -> str:
    return (
        "apiVersion: v1\nmetadata:\n  region: eu-west-2\nobjectStorage:\n  inCluster: false\n"
        f"  s3:\n    endpoint: {endpoint}\n    bucket: gitpod-workspaces\n"
        f"    credentials:\n      kind: secret\n      name: {secret}\n"
    )


def database_external(secret: str = "database", ca: str = "") -> str:
    text = (
        "apiVersion: v1\ndatabase:\n  inCluster: false\n  external:\n"
        f"    certificate:\n      kind: secret\n      name: {secret}\n"
    )
    if ca:
        text += f"  ssl:\n    caCert:\n      kind: secret\n      name: {ca}\n"
    return text


def errors(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in findings(text):
        if f.severity is Severity.ERROR:
            out.setdefault(f.code, []).append(f.path)
    return out


def new_codes(text: str, known: set[str]) -> set[str]:
    return {f.code for f in findings(text)} - known


# --- a registry URL whose first segment is no host ----------------------------------------------


@pytest.mark.parametrize(
    "url", ["myorg/gitpod", "gitpod", "myorg", "registry/gitpod", "team-a/images/gitpod"]
)
def test_a_docker_hub_namespace_is_not_a_registry_host(url: str) -> None:
    found = [f for f in findings(external(url)) if f.code == "REG218"]
    assert len(found) == 1, findings(external(url))
    first = url.partition("/")[0]
    assert f"'{first}'" in found[0].message and "Docker Hub" in found[0].message
    assert found[0].severity is Severity.ERROR


@pytest.mark.parametrize(
    "url",
    [
        "harbor.example.com/gitpod",
        "localhost/gitpod",
        "localhost:5000/gitpod",
        "registry:5000/gitpod",
        "10.0.0.5/gitpod",
        "europe-west2-docker.pkg.dev/my-gcp-project/gitpod",
    ],
)
def test_hosts_with_a_dot_a_port_or_localhost_are_hosts(url: str) -> None:
    assert "REG218" not in {f.code for f in findings(external(url))}


# --- Kubernetes Secret names --------------------------------------------------------------------

BAD_NAMES = ["Container-Registry", "my_secret", "-secret", "secret-", "a" * 254, "secret.", "sé"]
GOOD_NAMES = ["container-registry", "a", "my.secret-1", "a" * 253, "0secret"]


def test_the_oracle() -> None:
    assert not any(is_dns1123_subdomain(n) for n in BAD_NAMES)
    assert all(is_dns1123_subdomain(n) for n in GOOD_NAMES)


@pytest.mark.parametrize("name", BAD_NAMES)
def test_invalid_secret_names_are_reported_per_section(name: str) -> None:
    quoted = f'"{name}"'
    cases = [
        (external("harbor.example.com/gitpod", quoted), "REG219"),
        (registry_s3(secret=quoted), "REG219"),
        (storage_s3(secret=quoted), "STO112"),
        (database_external(secret=quoted), "DB108"),
        (database_external(ca=quoted), "DB108"),
    ]
    for text, code in cases:
        found = [f for f in findings(text) if f.code == code]
        assert len(found) == 1, (code, [(f.code, f.message) for f in findings(text)])
        assert found[0].severity is Severity.ERROR
        assert found[0].path.endswith(".name"), found[0].path


@pytest.mark.parametrize("name", GOOD_NAMES)
def test_valid_secret_names_pass(name: str) -> None:
    for text in (
        external("harbor.example.com/gitpod", name),
        registry_s3(secret=name),
        storage_s3(secret=name),
        database_external(secret=name, ca=name),
    ):
        assert not {f.code for f in findings(text)} & {"REG219", "STO112", "DB108"}


def test_the_admin_console_names_no_secrets() -> None:
    """ConfigValues have no Secret names: the KOTS templates use constant ones."""
    text = (
        "apiVersion: kots.io/v1beta1\nkind: ConfigValues\nspec:\n  values:\n"
        '    reg_incluster:\n      value: "0"\n    reg_url:\n      value: harbor.example.com/g\n'
        '    reg_username:\n      value: "u"\n    reg_password:\n      valuePlaintext: "p"\n'
    )
    assert not {f.code for f in findings(text)} & {"REG219", "STO112", "DB108"}


# --- ports --------------------------------------------------------------------------------------


@pytest.mark.parametrize("port", ["0", "65536", "99999", "123456"])
def test_a_registry_port_outside_1_65535(port: str) -> None:
    found = errors(external(f"harbor.example.com:{port}/gitpod"))
    assert "REG220" in found, found
    assert "REG204" not in found  # one finding for one problem
    found = errors(registry_s3(endpoint=f"minio.example.com:{port}"))
    assert "REG220" in found and "REG205" not in found, found
    found = errors(storage_s3(endpoint=f"minio.example.com:{port}"))
    assert "STO113" in found, found


@pytest.mark.parametrize("port", ["1", "443", "5000", "65535"])
def test_ports_in_range_pass(port: str) -> None:
    assert not errors(external(f"harbor.example.com:{port}/gitpod"))
    assert not errors(registry_s3(endpoint=f"minio.example.com:{port}"))
    assert "STO113" not in errors(storage_s3(endpoint=f"minio.example.com:{port}"))


@pytest.mark.parametrize("port", ["0", "65536", "3306x"])
def test_the_admin_console_database_port(port: str) -> None:
    text = (
        "apiVersion: kots.io/v1beta1\nkind: ConfigValues\nspec:\n  values:\n"
        '    db_incluster:\n      value: "0"\n    db_host:\n      value: mysql.example.com\n'
        f'    db_port:\n      value: "{port}"\n'
        '    db_password:\n      valuePlaintext: "p"\n'
    )
    found = errors(text)
    assert found.get("DB104") == ["spec.values.db_port.value"], found


# --- Artifact Registry hosts of other formats ---------------------------------------------------


@pytest.mark.parametrize("fmt", ["npm", "python", "maven", "apt", "yum", "go"])
def test_artifact_registry_hosts_of_other_formats(fmt: str) -> None:
    url = f"europe-west2-{fmt}.pkg.dev/my-gcp-project/gitpod"
    found = [f for f in findings(external(url)) if f.code == "REG221"]
    assert len(found) == 1
    assert found[0].fix.startswith("write 'europe-west2-docker.pkg.dev/my-gcp-project/gitpod'")
    assert fmt in found[0].message and "Docker" in found[0].message


def test_the_docker_format_host_passes() -> None:
    url = "europe-west2-docker.pkg.dev/my-gcp-project/gitpod"
    assert "REG221" not in {f.code for f in findings(external(url))}
