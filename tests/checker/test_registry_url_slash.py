"""A registry URL with a trailing slash works: the installer strips it (issue #16).

install/installer/pkg/components/image-builder-mk3/configmap.go:31 at 2022.11.0, 2022.11.1,
release-2022.11.2 and 2022.11.3 (the same line at every tag):
``registryName = strings.TrimSuffix(ctx.Config.ContainerRegistry.External.URL, "/")``, then
``fmt.Sprintf("%s/base-images", registryName)`` and ``"%s/workspace-images"``. ``TrimSuffix``
removes one slash: a second one is left in the repository names.
"""

from __future__ import annotations

from gitpod_resources.checker.model import Severity
from tests.checker.helpers import findings


def external(url: str) -> str:
    return (
        "apiVersion: v1\ncontainerRegistry:\n  inCluster: false\n  external:\n"
        f"    url: {url}\n    certificate:\n      kind: secret\n      name: container-registry\n"
    )


def kots_external(url: str) -> str:
    return (
        "apiVersion: kots.io/v1beta1\nkind: ConfigValues\nspec:\n  values:\n"
        '    reg_incluster:\n      value: "0"\n'
        f"    reg_url:\n      value: {url}\n"
        "    reg_server:\n      value: harbor.example.com\n"
        '    reg_username:\n      value: "<registry username>"\n'
        '    reg_password:\n      valuePlaintext: "<registry password>"\n'
    )


def go_trim_suffix(url: str) -> str:
    """Go's strings.TrimSuffix(url, "/"): one slash."""
    return url[:-1] if url.endswith("/") else url


def test_one_trailing_slash_is_no_error() -> None:
    for config in (external, kots_external):
        found = findings(config("harbor.example.com/gitpod/"))
        assert [f for f in found if f.severity is Severity.ERROR] == [], found


def test_at_most_a_warning_that_says_what_the_installer_loads() -> None:
    url = "harbor.example.com/gitpod/"
    found = findings(external(url))
    assert len(found) == 1 and found[0].severity is Severity.WARNING
    loaded = go_trim_suffix(url)
    assert f"{loaded}/base-images" in found[0].message
    assert "strip" in found[0].message


def test_a_host_alone_with_a_slash_too() -> None:
    found = findings(external("harbor.example.com:5000/"))
    assert [f for f in found if f.severity is Severity.ERROR] == [], found


def test_two_slashes_leave_one_and_that_is_an_error() -> None:
    """TrimSuffix strips one: 'gitpod//base-images' is no repository name."""
    found = findings(external("harbor.example.com/gitpod//"))
    assert "REG204" in {f.code for f in found if f.severity is Severity.ERROR}
