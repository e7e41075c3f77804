"""One small site per failure mode, built in a temp dir with the project's own mkdocs.yml.

Each test copies the real configuration (same plugins, same macros module, same strictness) and
swaps in a single page, so what fails here fails ``make build`` too. One test runs the real
``mkdocs`` command in a subprocess; the others run the same command line in a fork of a process
that has MkDocs imported already (:mod:`tests.sites.warm_mkdocs`), which is faster and equal.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

from tests.conftest import ROOT, mkdocs_build
from tests.sites.warm_mkdocs import mkdocs_build_warm


def small_site(tmp_path: Path, pages: dict[str, str]) -> Path:
    """A copy of the project config with only ``pages`` under docs/."""
    text = (ROOT / "mkdocs.yml").read_text()
    cfg = yaml.safe_load(text)
    cfg["nav"] = [{Path(name).stem: name} for name in pages]
    cfg["hooks"] = [str(ROOT / h) for h in cfg.get("hooks", [])]
    cfg["watch"] = []
    if "custom_dir" in cfg.get("theme", {}):
        cfg["theme"]["custom_dir"] = str(ROOT / cfg["theme"]["custom_dir"])
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(cfg, sort_keys=False))
    for package in ("macros", "gitpod_resources"):
        shutil.copytree(ROOT / package, tmp_path / package)
    docs = tmp_path / "docs"
    # The real docs/ minus its pages: stylesheets and other assets the config refers to.
    shutil.copytree(ROOT / "docs", docs, ignore=shutil.ignore_patterns("*.md"))
    for name, body in pages.items():
        (docs / name).write_text(body)
    return tmp_path / "mkdocs.yml"


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


def test_an_unknown_macro_fails_the_build(tmp_path: Path) -> None:
    config = small_site(tmp_path, {"index.md": "# Typo\n\n{{ s3_endpointt('eu-west-1') }}\n"})
    result = mkdocs_build_warm(config, tmp_path / "site")
    assert result.returncode != 0
    assert "index.md" in result.stderr


def test_an_undefined_variable_fails_the_build(tmp_path: Path) -> None:
    config = small_site(tmp_path, {"index.md": "# Undefined\n\n{{ rules.no_such_fact }}\n"})
    result = mkdocs_build_warm(config, tmp_path / "site")
    assert result.returncode != 0
    assert "no_such_fact" in result.stderr


def test_a_dead_link_fails_the_build(tmp_path: Path) -> None:
    config = small_site(tmp_path, {"index.md": "# Links\n\n[gone](missing.md)\n"})
    result = mkdocs_build_warm(config, tmp_path / "site")
    assert result.returncode != 0
    assert "missing.md" in result.stderr


def test_a_dead_anchor_fails_the_build(tmp_path: Path) -> None:
    pages = {"index.md": "# Anchors\n\n[there](other.md#nowhere)\n", "other.md": "# Other\n"}
    result = mkdocs_build_warm(small_site(tmp_path, pages), tmp_path / "site")
    assert result.returncode != 0
    assert "nowhere" in result.stderr


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


def test_a_table_inside_a_table_stops_the_build_with_one_line(tmp_path: Path) -> None:
    """macros/table_hooks.py cannot pre-wrap a nested table: it says so, naming the page."""
    nested = "<table><tr><td><table><tr><td>1</td></tr></table></td></tr></table>"
    config = small_site(tmp_path, {"index.md": f"# Nested\n\n{nested}\n"})
    result = mkdocs_build_warm(config, tmp_path / "site")
    assert result.returncode != 0
    assert "index.md: a table inside a table" in result.stderr
    assert "Traceback" not in result.stderr
