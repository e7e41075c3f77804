"""Material for MkDocs as shipped: no script of ours patches it, its one overridden partial is
its own plus a name, and the build stops with one line outside the versions tested
(macros/theme.py)."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

import material

from macros import theme
from tests.conftest import ROOT, Site
from tests.support.small_site import small_site
from tests.support.warm_mkdocs import mkdocs_build_warm

MATERIAL = Path(material.__file__).resolve().parent / "templates"


def test_the_search_partial_is_materials_with_the_dialog_named() -> None:
    """overrides/partials/search.html: the installed Material's partial, plus the dialog's name
    (Lighthouse ``aria-dialog-name``); any other difference means Material moved on."""
    ours = (ROOT / "overrides/partials/search.html").read_text()
    shipped = (MATERIAL / "partials/search.html").read_text()
    named = ours.replace(" aria-label=\"{{ lang.t('search') }}\"", "", 1)
    assert named != ours, "the dialog's name is gone from the override"
    assert named == shipped, "Material's search partial changed: copy it again, name the dialog"


def test_no_script_of_ours_runs_on_a_page_but_the_builders(site: Site) -> None:
    ours = {p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*.js")}
    assert ours == {"javascripts/builder.js"}
    for page in site.pages():
        loaded = {
            str(s["src"]).rsplit("/", 1)[-1]
            for s in site.soup(page).select("script[src]")
            if "assets/javascripts/bundle." not in str(s["src"])  # Material's own bundle
        }
        assert loaded == ({"builder.js"} if page == "builder/index.html" else set()), page


def test_the_installed_material_is_one_the_suite_was_run_against() -> None:
    assert theme.version_problem() is None, metadata.version("mkdocs-material")


NARROWED = """\
from macros import theme


def on_config(config):
    theme.TESTED["mkdocs-material"] = ("0.1", "0.2")
    return config


on_config.mkdocs_priority = 200
"""


def test_a_material_outside_the_tested_range_stops_the_build_with_one_line(
    tmp_path: Path,
) -> None:
    config = small_site(tmp_path, {"index.md": "# Home\n"})
    (tmp_path / "narrow.py").write_text(NARROWED)
    text = config.read_text().replace("hooks:\n", f"hooks:\n- {tmp_path / 'narrow.py'}\n", 1)
    config.write_text(text)
    result = mkdocs_build_warm(config, tmp_path / "site")
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1, result.stderr
    assert "is outside the versions this site was tested with (>=0.1,<0.2)" in errors[0]
    assert "Traceback" not in result.stderr
