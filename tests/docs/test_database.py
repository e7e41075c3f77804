"""The database page: examples equal the rules and name the secrets the installer validates."""

from __future__ import annotations

import json
import re

from bs4 import Tag

from gitpod_resources import database
from tests.conftest import Site
from tests.docs.component_checks import examples_of
from tests.examples import Example
from tests.oracles import KOTS_TITLES_DATABASE

PAGE = "database/index.html"


def database_examples(site: Site) -> list[Example]:
    return examples_of(site, "database:")


def test_every_option_has_an_example(site: Site) -> None:
    kinds = {e.kind for e in database_examples(site) if e.page == PAGE}
    assert kinds == {"database:in-cluster", "database:external", "database:cloudsql"}
    assert any(e.inputs.get("ca_cert") == "yes" for e in database_examples(site))


def test_the_admin_console_rows_say_what_the_config_does(site: Site) -> None:
    for ex in database_examples(site):
        section = ex.yaml()["database"]
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
        "ca.crt",
        "<project>:<region>:<instance>",
        # deployment.go line 27 and constants.go line 8 at the 2022.11 tags
        "cloudsqlproxy-cloud-sql-proxy",
        # the init job's SQL and session-handler.ts line 80
        "gitpod-sessions",
    ):
        assert fact in text, fact
    assert "2022-12-13" not in text  # the tag commit's date is no release


def test_tls_is_a_key_of_2022_11_1_and_says_so(site: Site) -> None:
    """database.ssl is in config.go at 2022.11.1, .2 and .3 and not at 2022.11.0."""
    section = _section(site, "tls")
    text = " ".join(section.get_text().split())
    assert "2022.11.1 and later" in text and "2022.11.0 installer refuses" in text
    assert "after 2022.11" not in text and "November 2022" not in text
    source = section.select_one("p.gp-source")
    assert source is not None and "from 2022.11.1" in source.get_text()


def _section(site: Site, anchor: str) -> Tag:
    """The heading ``anchor`` and everything up to the next heading of its level or higher."""
    soup = site.soup(PAGE)
    heading = soup.find(id=anchor)
    assert isinstance(heading, Tag), anchor
    wrapper = soup.new_tag("div")
    level = int(heading.name[1])
    for sibling in list(heading.next_siblings):
        if isinstance(sibling, Tag) and sibling.name in {f"h{n}" for n in range(1, level + 1)}:
            break
        wrapper.append(sibling.__copy__() if isinstance(sibling, Tag) else str(sibling))
    return wrapper


def _user_blocks(site: Site) -> list[Tag]:
    return [d for d in site.soup(PAGE).select("div.gp-db-user") if isinstance(d, Tag)]


def test_the_user_commands_come_before_the_config_and_equal_the_rules(site: Site) -> None:
    """External and Cloud SQL: the database and user to create, then the example's tabs."""
    blocks = _user_blocks(site)
    assert {str(b["data-example"]) for b in blocks} == {"database:external", "database:cloudsql"}
    for block in blocks:
        example = block.find_next_sibling("div")
        assert example is not None and "gp-example" in example.get("class", [])
        assert example["data-example"] == block["data-example"]
        inputs = json.loads(str(block["data-inputs"]))
        setup = database.build(str(block["data-example"]).split(":", 1)[1], inputs)
        shown = [c.get_text() for c in block.select("div.language-bash pre code")]
        assert shown == [database.user_variables(setup), *database.user_commands(setup)]


def test_every_variable_a_user_command_reads_is_set_before_it(site: Site) -> None:
    """The reader's values as shell variables, defined first: the page's snippets (namespace,
    password, keys) and the block's own exports come before each command."""
    codes = [c.get_text() for c in site.soup(PAGE).select("article div.language-bash pre code")]
    assert len(_user_blocks(site)) == 2
    for block in _user_blocks(site):
        commands = [c.get_text() for c in block.select("div.language-bash pre code")][1:]
        for command in commands:
            before = "\n".join(codes[: codes.index(command)])
            assert set(USED.findall(command)) <= _set_in(before), command


USED = re.compile(r"\$\{?([A-Z_]+)")
READ = re.compile(r"read -rsp '[^']*' ([A-Z_]+)")


def _set_in(shell: str) -> set[str]:
    """Variables a snippet exports or reads (``export A=1 B=2``, ``read -rsp '...' C``)."""
    names = set(READ.findall(shell))
    for line in shell.splitlines():
        if line.startswith("export "):
            words = line.partition("#")[0].split()[1:]
            names |= {w.partition("=")[0] for w in words}
    return names
