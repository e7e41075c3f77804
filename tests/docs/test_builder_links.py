"""Every example on the site offers the configuration builder with its values filled in.

Each example's link is read from the built HTML, resolved against its page, and its query read
as the builder reads it; what the builder must show for it (``tests/support/builder_oracle``:
the rules and the checker, not the builder's export) must contain what the example shows, value
for value: its admin console rows, its part of the installer config, its secret commands.
"""

from __future__ import annotations

import posixpath
from urllib.parse import parse_qsl, urlsplit

import yaml

from tests.conftest import Site
from tests.docs.component_checks import codes, examples_of
from tests.examples import Example
from tests.support.builder_oracle import expected

#: The installer config's top-level keys each kind of example writes.
SECTIONS = {
    "registry": ("containerRegistry",),
    "storage": ("metadata", "objectStorage"),
    "database": ("database",),
}
GROUP = {"registry": 0, "storage": 1, "database": 2}


def builder_link(site: Site, ex: Example) -> tuple[str, dict[str, str]]:
    """The example's one builder link: (path it resolves to, its query as the page reads it)."""
    div = next(
        d
        for d in site.soup(ex.page).select("div.gp-example")
        if d["data-example"] == ex.kind and d["data-inputs"] == _inputs_attr(ex)
    )
    hrefs = [str(a["href"]) for a in div.select("a[href]") if "builder/" in str(a["href"])]
    assert len(hrefs) == 1, (ex.page, ex.kind, hrefs)
    split = urlsplit(hrefs[0])
    base = posixpath.dirname(ex.page)
    path = posixpath.normpath(posixpath.join(base, split.path))
    return path, dict(parse_qsl(split.query, keep_blank_values=True))


def _inputs_attr(ex: Example) -> str:
    import json

    return json.dumps(ex.inputs, sort_keys=True)


def all_examples(site: Site) -> list[Example]:
    return examples_of(site, "")


def test_every_example_links_the_builder_with_what_it_shows(site: Site) -> None:
    found = all_examples(site)
    kinds = {ex.kind.split(":")[0] for ex in found}
    assert kinds == {"registry", "storage", "database", "together"}, kinds
    for ex in found:
        path, state = builder_link(site, ex)
        assert path == "builder", (ex.page, path)
        want = expected(state)
        assert want.errors == {}, (ex.page, ex.kind, want.errors)
        assert want.kots is not None and want.yaml is not None and want.secrets is not None
        doc = yaml.safe_load(want.yaml)
        shown = ex.yaml()
        component = ex.kind.split(":")[0]
        if component == "together":
            assert ex.kots_rows() == [tuple(r) for _, rows in want.kots for r in rows], ex.page
            assert shown == doc, (ex.page, ex.kind)
            assert codes(ex) == want.secrets, (ex.page, ex.kind)
            continue
        rows = want.kots[GROUP[component]][1]
        assert ex.kots_rows() == [tuple(r) for r in rows], (ex.page, ex.kind)
        for key in SECTIONS[component]:
            assert shown.get(key) == doc.get(key), (ex.page, ex.kind, key)
        for command in codes(ex):
            assert command in want.secrets, (ex.page, ex.kind, command)
