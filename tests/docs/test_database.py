"""The database page: examples equal the rules and name the secrets the installer validates."""

from __future__ import annotations

from macros import database
from tests.conftest import Site
from tests.docs.component_checks import (
    check_secrets,
    check_tabs,
    check_titles,
    check_yaml_keys,
    codes,
    examples_of,
)
from tests.examples import Example
from tests.oracles import KOTS_TITLES_DATABASE

PAGE = "database/index.html"


def database_examples(site: Site) -> list[Example]:
    return examples_of(site, "database:")


def test_every_option_has_an_example(site: Site) -> None:
    kinds = {e.kind for e in database_examples(site) if e.page == PAGE}
    assert kinds == {"database:in-cluster", "database:external", "database:cloudsql"}
    assert any(e.inputs.get("ca_cert") == "yes" for e in database_examples(site))


def test_examples_equal_the_rules(site: Site) -> None:
    checked = 0
    for ex in database_examples(site):
        setup = database.build(ex.kind.split(":", 1)[1], ex.inputs)
        assert ex.kots_rows() == database.kots_fields(setup), ex
        assert ex.yaml() == database.installer_config(setup), ex
        assert codes(ex) == database.secret_commands(setup), ex
        checked += 1
    assert checked >= 4


def test_every_block_matches_the_installer_and_admin_console(site: Site) -> None:
    for ex in database_examples(site):
        check_tabs(ex)
        check_titles(ex)
        check_secrets(ex)
        section = check_yaml_keys(ex)["database"]
        rows = dict(ex.kots_rows())
        in_cluster = rows[KOTS_TITLES_DATABASE["db_incluster"]] == "checked"
        assert section["inCluster"] is in_cluster
        if "cloudSQL" in section:
            instance = section["cloudSQL"]["instance"]
            assert rows[KOTS_TITLES_DATABASE["db_cloudsql_instance"]] == instance
            assert len(instance.split(":")) == 3
            database.validate_cloudsql_instance(instance)
        if "external" in section:
            assert rows[KOTS_TITLES_DATABASE["db_cloudsql_enabled"]] == "unchecked"


def test_the_gotcha_comes_first(site: Site) -> None:
    article = site.soup(PAGE).select_one("article")
    assert article is not None
    first = article.select_one("div.admonition, h2")
    assert first is not None and first.name == "div" and "warning" in first["class"]
    assert "database.external.certificate" in first.get_text()


def test_page_states_version_name_and_role(site: Site) -> None:
    text = site.soup(PAGE).get_text()
    for fact in (
        "5.7",
        "roles/cloudsql.client",
        "2022-12-13",
        "ca.crt",
        "<project>:<region>:<instance>",
    ):
        assert fact in text, fact
