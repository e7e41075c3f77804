"""One small site per failure mode, built in a temp dir with the project's own mkdocs.yml.

Each test copies the real configuration (same plugins, same macros module, same strictness) and
swaps in a single page, so what fails here fails ``make build`` too. One test runs the real
``mkdocs`` command in a subprocess; the others run the same command line in a fork of a process
that has MkDocs imported already (:mod:`tests.support.warm_mkdocs`), which is faster and equal.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import mkdocs_build
from tests.support.small_site import small_site
from tests.support.warm_mkdocs import mkdocs_build_warm


def test_the_small_site_builds_when_nothing_is_wrong(tmp_path: Path) -> None:
    config = small_site(tmp_path, {"index.md": "# Fine\n\n{{ s3_endpoint('eu-west-1') }}\n"})
    result = mkdocs_build_warm(config, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert "s3.eu-west-1.amazonaws.com" in (tmp_path / "site" / "index.html").read_text()


def test_a_broken_macro_call_fails_the_build(tmp_path: Path) -> None:
    """The real ``mkdocs`` command in its own process: a failed build is a non-zero exit. The
    warm runner the other tests use answers the same status, stdout and stderr."""
    config = small_site(tmp_path, {"index.md": "# Broken\n\n{{ s3_endpoint('mars-north-1') }}\n"})
    result = mkdocs_build(config, tmp_path / "site")
    assert result.returncode != 0
    assert "mars-north-1" in result.stderr
    assert "index.md" in result.stderr
    warm = mkdocs_build_warm(config, tmp_path / "site")
    timing = re.compile(r"[0-9.]+ seconds")
    assert (warm.returncode, warm.stdout) == (result.returncode, result.stdout)
    assert timing.sub("", warm.stderr) == timing.sub("", result.stderr)


#: (failure mode, the pages of the small site, what the build's error output must name)
BROKEN_SITES = [
    ("unknown macro", {"index.md": "# Typo\n\n{{ s3_endpointt('eu-west-1') }}\n"}, "index.md"),
    (
        "undefined variable",
        {"index.md": "# Undefined\n\n{{ rules.no_such_fact }}\n"},
        "no_such_fact",
    ),
    ("dead link", {"index.md": "# Links\n\n[gone](missing.md)\n"}, "missing.md"),
    (
        "dead anchor",
        {"index.md": "# Anchors\n\n[there](other.md#nowhere)\n", "other.md": "# Other\n"},
        "nowhere",
    ),
]


@pytest.mark.parametrize(
    ("mode", "pages", "named"), BROKEN_SITES, ids=[m for m, _, _ in BROKEN_SITES]
)
def test_a_broken_site_fails_the_build_naming_the_mistake(
    tmp_path: Path, mode: str, pages: dict[str, str], named: str
) -> None:
    result = mkdocs_build_warm(small_site(tmp_path, pages), tmp_path / "site")
    assert result.returncode != 0, mode
    assert named in result.stderr, result.stderr


def test_a_helm_template_in_code_survives_verbatim(tmp_path: Path) -> None:
    helm = (
        "# Helm\n\n"
        "Inline `{{ .Values.registry.host }}` stays.\n\n"
        "```yaml\n"
        "image: {{ .Values.image.repository }}:{{ .Chart.AppVersion }}\n"
        "{{- if .Values.s3 }}\n"
        "regionEndpoint: {{ .Values.s3.regionEndpoint | quote }}\n"
        "{{- end }}\n"
        "```\n\n"
        '=== "Tab"\n\n'
        "    ```go\n"
        "    {{ range .Items }}{{ .Name }}{{ end }}\n"
        "    ```\n\n"
        "And a macro still works: {{ s3_endpoint('eu-west-1') }}\n"
    )
    result = mkdocs_build_warm(small_site(tmp_path, {"index.md": helm}), tmp_path / "site")
    assert result.returncode == 0, result.stderr
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((tmp_path / "site" / "index.html").read_text(), "html.parser")
    blocks = [c.get_text() for c in soup.select("pre code")]
    assert blocks[0] == (
        "image: {{ .Values.image.repository }}:{{ .Chart.AppVersion }}\n"
        "{{- if .Values.s3 }}\n"
        "regionEndpoint: {{ .Values.s3.regionEndpoint | quote }}\n"
        "{{- end }}\n"
    )
    assert blocks[1] == "{{ range .Items }}{{ .Name }}{{ end }}\n"
    inline = [c.get_text() for c in soup.select("p code")]
    assert "{{ .Values.registry.host }}" in inline
    assert "s3.eu-west-1.amazonaws.com" in inline
