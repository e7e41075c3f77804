"""The configuration builder in a real browser, held against the Python rules.

Every expected value comes from the rules (``registry.*`` composing, ``config.*`` rendering,
``RuleError`` messages), never from the page's export: the script must reproduce the rules.
"""

from __future__ import annotations

import random
from typing import Any
from urllib.parse import urlencode

import pytest

from gitpod_resources import aws, config, gcp, validation
from gitpod_resources.errors import RuleError
from gitpod_resources.registry import Option
from macros import builder, theme
from tests.browser.conftest import Recorder
from tests.browser.helpers import axe_violations, describe_violations, wait_for_quiet_network

#: One page for the module, handed to each test as a new context would start it.
pytestmark = [pytest.mark.browser, pytest.mark.shared_page]


Outcome = dict[str, Any]


def expected(option: str, inputs: dict[str, str]) -> Outcome:
    setup = builder.COMPOSERS[Option(option)](**inputs)
    return {
        "kots": [list(row) for row in config.kots_fields(setup)],
        "yaml": config.installer_yaml(setup),
        "command": config.secret_command(setup),
    }


def rule_error(option: str, inputs: dict[str, str]) -> RuleError:
    with pytest.raises(RuleError) as err:
        builder.COMPOSERS[Option(option)](**inputs)
    return err.value


def open_builder(page: Any, base_url: str, query: dict[str, str] | None = None) -> None:
    """Load the builder (with ``query`` as its link) and wait for exactly what the tests need:
    the script has read the link and drawn the form (``data-ready``), not for images or fonts."""
    url = base_url + "builder/" + ("?" + urlencode(query) if query is not None else "")
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector("#gp-builder[data-ready]", state="attached")


def assert_clean(page: Any, recorder: Recorder) -> None:
    """Once everything the last load asked for has arrived (up to the search index that
    Material's worker fetches after load): nothing foreign, failed or logged as an error."""
    wait_for_quiet_network(page, recorder, "/" + theme.SEARCH_INDEX)
    recorder.assert_clean()


#: What the reader sees and copies, or null when the outputs are withheld.
_SHOWN = """
() => {
    const out = document.getElementById("gp-builder-output");
    const rows = Array.from(document.querySelectorAll("#gp-out-kots tr")).map((tr) => [
        tr.cells[0].textContent, tr.cells[1].querySelector("code").textContent]);
    const yaml = document.getElementById("gp-out-yaml").textContent;
    const block = document.getElementById("gp-out-command-block");
    const command = block.hidden ? null : document.getElementById("gp-out-command").textContent;
    if (out.hidden) return rows.length || yaml || command ? "hidden but not empty" : null;
    return {kots: rows, yaml: yaml, command: command};
}
"""


def shown(page: Any) -> Outcome | None:
    """What the reader sees and copies, or None when the outputs are withheld."""
    return page.evaluate(_SHOWN)


def drive(page: Any, option: str, inputs: dict[str, str]) -> None:
    """Fill the form the way a reader does: choose the option, then each field."""
    page.select_option("#gp-option", option)
    for f in builder.FORMS[Option(option)]:
        if f.items:
            page.select_option(f"#{f.control_id}", inputs[f.param])
        else:
            page.fill(f"#{f.control_id}", inputs[f.param])


#: For each sample, what a reader's choosing and typing does to the form, in one round trip:
#: each control (visible, as Playwright requires before it acts) gets its value, then the
#: events typing or choosing fires on it: ``input``, then ``change`` (which a select fires at
#: once and a text box when focus leaves it). Then: what ``_SHOWN`` returns, each field's
#: error text and ``aria-invalid``, and the address bar.
_DRIVE_ALL = (
    """
([option, fields, samples]) => {
  const shown = """
    + _SHOWN
    + """;
  const set = (id, value) => {
    const el = document.getElementById(id);
    if (el.getClientRects().length === 0) throw new Error(`#${id} is not shown`);
    el.value = value;
    if (el.value !== value) throw new Error(`#${id} cannot take ${JSON.stringify(value)}`);
    el.dispatchEvent(new Event("input", {bubbles: true}));
    el.dispatchEvent(new Event("change", {bubbles: true}));
  };
  return samples.map((inputs) => {
    set("gp-option", option);
    for (const [id, param] of fields) set(id, inputs[param]);
    const errors = fields.map(([id]) => [
      document.getElementById(id + "-error").textContent,
      document.getElementById(id).getAttribute("aria-invalid")]);
    return [shown(), errors, location.href];
  });
}
"""
)


def drive_all(
    page: Any, option: str, samples: list[dict[str, str]]
) -> list[tuple[Outcome | None, dict[str, tuple[str, str | None]], str]]:
    """``drive`` each sample in turn, in the page: for each, what ``shown`` returns, each
    field's (error text, aria-invalid) and the link."""
    fields = [(f.control_id, f.param) for f in builder.FORMS[Option(option)]]
    got = page.evaluate(_DRIVE_ALL, [option, fields, samples])
    return [
        (out, {param: tuple(e) for (_, param), e in zip(fields, errors, strict=True)}, link)
        for out, errors, link in got
    ]


def field_error(page: Any, option: str, param: str) -> tuple[str, str | None]:
    f = next(f for f in builder.FORMS[Option(option)] if f.param == param)
    text = page.text_content(f"#{f.control_id}-error") or ""
    return text, page.get_attribute(f"#{f.control_id}", "aria-invalid")


def cases() -> list[tuple[str, dict[str, str]]]:
    out: list[tuple[str, dict[str, str]]] = [("in-cluster", {})]
    for part in aws.partitions():
        picks = {part.regions[0].code, part.regions[-1].code}
        out += [
            ("in-cluster-s3", {"region": r, "bucket": "gitpod-registry"}) for r in sorted(picks)
        ]
    out.append(("in-cluster-s3", {"region": aws.GLOBAL_REGION, "bucket": "gitpod-registry"}))
    for bucket in ("yes", "null", "123", "1.5", "1e3", "2001-12-14", "0x1f", "a.b-c"):
        out.append(("in-cluster-s3", {"region": "eu-west-2", "bucket": bucket}))
    out += [("gcr", {"host": h.host, "project": "my-gcp-project"}) for h in gcp.gcr_hosts()]
    locations = [loc.code for loc in gcp.ar_locations()]
    for loc in locations[:3] + locations[3::9]:
        out.append(("gar", {"location": loc, "project": "my-gcp-project", "repository": "gitpod"}))
    out.append(("gar", {"location": "us", "project": "proj-123456", "repository": "no"}))
    # A domain-scoped project: its colon becomes a slash in the URL (the page derives it).
    out.append(("gar", {"location": "us", "project": "example.com:my-proj", "repository": "g"}))
    out.append(("gcr", {"host": "eu.gcr.io", "project": "example.com:my-proj"}))
    for host, path in [
        ("harbor.example.com", "gitpod"),
        ("registry.example.com:5000", "team/gitpod"),
        ("harbor.example.com", ""),
        ("1.5", ""),
        ("localhost", ""),
        ("1:20", ""),
    ]:
        out.append(("generic", {"host": host, "path": path}))
    return out


@pytest.mark.parametrize("option", [o.value for o in Option if o in builder.COMPOSERS])
def test_outputs_equal_the_rules_and_the_link_reproduces_them(
    page: Any, base_url: str, recorder: Recorder, option: str
) -> None:
    """Drive the form through every sample of one option; reload the last one's link."""
    samples = [inputs for opt, inputs in cases() if opt == option]
    open_builder(page, base_url)
    # The first sample chosen and typed by Playwright (the controls are shown and take input),
    # the rest set in one round trip with the same events (``drive_all``).
    drive(page, option, samples[0])
    assert shown(page) == expected(option, samples[0]), samples[0]
    links = [(page.url, samples[0])]
    for inputs, (out, _, link) in zip(
        samples[1:], drive_all(page, option, samples[1:]), strict=True
    ):
        assert out == expected(option, inputs), inputs
        links.append((link, inputs))
    for link, inputs in links[:: max(1, len(links) // 4)]:
        page.goto(link, wait_until="domcontentloaded")
        page.wait_for_selector("#gp-builder[data-ready]", state="attached")
        assert shown(page) == expected(option, inputs), link
        assert page.url == link
    assert_clean(page, recorder)


INVALID = [
    ("in-cluster-s3", {"region": "eu-west-2", "bucket": "my_bucket"}, "bucket"),
    ("in-cluster-s3", {"region": "eu-west-2", "bucket": "ab"}, "bucket"),
    ("in-cluster-s3", {"region": "eu-west-2", "bucket": "192.168.5.4"}, "bucket"),
    ("in-cluster-s3", {"region": "eu-west-2", "bucket": "xn--bucket"}, "bucket"),
    ("in-cluster-s3", {"region": "eu-west-2", "bucket": 'Ünïcode\'s "bucket"'}, "bucket"),
    ("gcr", {"host": "gcr.io", "project": "My-Project"}, "project"),
    ("gcr", {"host": "gcr.io", "project": "abcde"}, "project"),
    ("generic", {"host": "harbor", "path": "gitpod"}, "host"),
    (
        "gar",
        {"location": "europe-west2", "project": "my-gcp-project", "repository": "Gitpod"},
        "repository",
    ),
    ("gar", {"location": "europe-west2", "project": "1project", "repository": "gitpod"}, "project"),
    ("generic", {"host": "https://harbor.example.com", "path": "gitpod"}, "host"),
    ("generic", {"host": "harbor.example.com/x", "path": "gitpod"}, "host"),
    ("generic", {"host": "123456789012.dkr.ecr.eu-west-1.amazonaws.com", "path": "x"}, "host"),
    ("generic", {"host": "harbor.example.com", "path": "Team"}, "path"),
    ("generic", {"host": "harbor.example.com", "path": "team/"}, "path"),
    ("generic", {"host": "harbor.example.com", "path": "a//b"}, "path"),
]


def test_typed_invalid_input_shows_pythons_message_and_no_output(
    page: Any, base_url: str, recorder: Recorder
) -> None:
    open_builder(page, base_url)
    typed = set()
    for option, inputs, param in INVALID:
        err = rule_error(option, inputs)
        assert err.field == param
        if option not in typed:  # the first per option typed by Playwright (see drive_all)
            typed.add(option)
            drive(page, option, inputs)
            assert field_error(page, option, param) == (str(err), "true"), inputs
            assert shown(page) is None, inputs
            continue
        [(out, errors, _)] = drive_all(page, option, [inputs])
        assert errors[param] == (str(err), "true"), inputs
        assert out is None, inputs
    assert_clean(page, recorder)


UNKNOWN = [
    ("in-cluster-s3", {"region": "eu-wset-1", "bucket": "gitpod-registry"}, "region"),
    ("in-cluster-s3", {"region": "EU-WEST-1", "bucket": "gitpod-registry"}, "region"),
    ("in-cluster-s3", {"region": " eu-west-1", "bucket": "gitpod-registry"}, "region"),
    ("in-cluster-s3", {"region": "https://eu-west-1", "bucket": "gitpod-registry"}, "region"),
    ("in-cluster-s3", {"region": "us-foo-1", "bucket": "gitpod-registry"}, "region"),
    ("in-cluster-s3", {"region": "mars", "bucket": "gitpod-registry"}, "region"),
    ("in-cluster-s3", {"region": "", "bucket": "gitpod-registry"}, "region"),
    (
        "gar",
        {"location": "europe-wset2", "project": "my-gcp-project", "repository": "g"},
        "location",
    ),
    (
        "gar",
        {"location": "Europe-West2 ", "project": "my-gcp-project", "repository": "g"},
        "location",
    ),
    (
        "gar",
        {"location": "us-docker.pkg.dev", "project": "my-gcp-project", "repository": "g"},
        "location",
    ),
    ("gar", {"location": "mars1", "project": "my-gcp-project", "repository": "g"}, "location"),
    ("gcr", {"host": "docker.pkg.dev", "project": "my-gcp-project"}, "host"),
]


def test_unknown_list_value_in_a_link_shows_pythons_message(
    page: Any, base_url: str, recorder: Recorder
) -> None:
    for option, inputs, param in UNKNOWN:
        err = rule_error(option, inputs)
        assert err.field == param
        open_builder(page, base_url, {"option": option, **inputs})
        assert field_error(page, option, param) == (str(err), "true"), inputs
        assert shown(page) is None, inputs
    assert_clean(page, recorder)


def test_an_unknown_option_in_a_link_shows_pythons_message(
    page: Any, base_url: str, recorder: Recorder
) -> None:
    from gitpod_resources import registry

    with pytest.raises(RuleError) as err:
        registry.provider("quay")
    open_builder(page, base_url, {"option": "quay"})
    assert page.text_content("#gp-option-error") == str(err.value)
    assert page.get_attribute("#gp-option", "aria-invalid") == "true"
    assert shown(page) is None
    assert_clean(page, recorder)


def test_ecr_explains_and_links_to_the_recipe(page: Any, base_url: str, recorder: Recorder) -> None:
    open_builder(page, base_url)
    assert page.is_hidden("#gp-builder-ecr")
    page.select_option("#gp-option", "ecr")
    assert page.is_visible("#gp-builder-ecr")
    hrefs = page.eval_on_selector_all("#gp-builder-ecr a", "els => els.map(a => a.href)")
    assert any(h.endswith("/container-registry/#amazon-ecr") for h in hrefs), hrefs
    assert any(h.endswith("/container-registry/#in-cluster-s3") for h in hrefs), hrefs
    assert shown(page) is None
    page.select_option("#gp-option", "in-cluster")
    assert page.is_hidden("#gp-builder-ecr")
    assert_clean(page, recorder)


def test_the_script_gives_pythons_message_for_any_value(page: Any, base_url: str) -> None:
    """Hundreds of values per spec, crafted and random (Unicode, quotes, whitespace)."""
    rng = random.Random(20261129)
    alphabet = "abcxyz019.-_:/ AZ'\"\\\t\u00e9\u00a0\u200b\U0001f600"
    values = ["", " ", "a", "A", "ab", "a" * 64, "eu-west-1.", "europe-west2-docker.pkg.dev"]
    values += ["s3.eu-west-1.amazonaws.com", "https://eu-west-1/x", "a.b.c", "Eu-Wset-1", "mars"]
    values += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 14))) for _ in range(300)]
    values += [
        "eu-" + "".join(rng.choice("westa-12") for _ in range(rng.randint(3, 9))) for _ in range(60)
    ]
    values += ["".join(rng.choice("ab") for _ in range(rng.randint(200, 260))) for _ in range(3)]
    open_builder(page, base_url)
    lists = {
        "aws_regions": aws.region_codes(),
        "ar_locations": builder.known("ar_locations"),
        "gcr_hosts": builder.known("gcr_hosts"),
        "": (),
    }
    for spec in builder.specs():
        items = next((f.items for fs in builder.FORMS.values() for f in fs if f.spec == spec), "")
        known = [o.value for o in Option] if spec.name == "option" else list(lists[items])
        got = page.evaluate(
            "([spec, values, known]) => values.map((v) => gpBuilder.check(spec, v, 'f', known))",
            [spec.name, values, known],
        )
        for value, message in zip(values, got, strict=True):
            try:
                validation.run(spec, value, "f", known)
                want = None
            except RuleError as err:
                want = str(err)
            assert message == want, (spec.name, value)


def test_every_exported_pattern_compiles_in_the_browser(page: Any, base_url: str) -> None:
    open_builder(page, base_url)
    patterns = [
        c[key]
        for spec in builder.export()["specs"].values()
        for c in spec["checks"]
        for key in ("pattern", "bad_chars", "extract")
        if key in c
    ]
    assert patterns
    broken = page.evaluate(
        """(ps) => ps.filter((p) => { try { new RegExp(p, "u"); return false; }
                                      catch (e) { return true; } })""",
        patterns,
    )
    assert broken == []


def test_close_matches_are_difflibs(page: Any, base_url: str) -> None:
    import difflib

    rng = random.Random(7)
    words = [
        "".join(rng.choice("aeiou-stw12") for _ in range(rng.randint(0, 12))) for _ in range(300)
    ]
    words.append("e" * 250 + "west")
    open_builder(page, base_url)
    for known in (list(aws.region_codes()), list(builder.known("ar_locations"))):
        for cutoff in (0.6, 0.0):
            got = page.evaluate(
                "([ws, known, c]) => ws.map((w) => gpBuilder.closeMatches(w, known, 3, c))",
                [words, known, cutoff],
            )
            for word, matches in zip(words, got, strict=True):
                assert matches == difflib.get_close_matches(word, known, 3, cutoff), word


def test_keyboard_only(page: Any, base_url: str, recorder: Recorder) -> None:
    """Tab to each control, choose with the arrow keys, type: the outputs follow."""
    open_builder(page, base_url)
    page.focus("#gp-option")
    page.keyboard.press("ArrowDown")  # the option after the in-cluster default
    assert page.input_value("#gp-option") == Option.IN_CLUSTER_S3.value
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "gp-aws-region"
    page.keyboard.press("ArrowDown")
    region = page.input_value("#gp-aws-region")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "gp-s3-bucket"
    page.keyboard.type("gitpod-images")
    assert shown(page) == expected("in-cluster-s3", {"region": region, "bucket": "gitpod-images"})
    assert_clean(page, recorder)


def test_copy_buttons_copy_the_outputs(page: Any, base_url: str, recorder: Recorder) -> None:
    inputs = {"location": "europe-west2", "project": "my-gcp-project", "repository": "gitpod"}
    want = expected("gar", inputs)
    open_builder(page, base_url, {"option": "gar", **inputs})
    rows = page.locator("#gp-out-kots tr")
    assert rows.count() == len(want["kots"])
    for n, (_title, value) in enumerate(want["kots"]):
        rows.nth(n).locator("button").click()
        assert page.evaluate("navigator.clipboard.readText()") == value
    page.click("label[for=gp-tab-2]")
    page.locator("#gp-out-yaml").locator("xpath=..").locator("xpath=..").locator(
        theme.COPY_BUTTON
    ).click()
    assert page.evaluate("navigator.clipboard.readText()") == want["yaml"].rstrip("\n")
    assert_clean(page, recorder)


def test_no_request_after_load(page: Any, base_url: str, recorder: Recorder) -> None:
    """Everything the page needs is in it: typing asks the network for nothing."""
    open_builder(page, base_url)
    page.wait_for_load_state("networkidle")
    before = len(recorder.requests)
    drive(page, "gar", {"location": "us", "project": "my-gcp-project", "repository": "gitpod"})
    drive(page, "in-cluster-s3", {"region": "eu-west-2", "bucket": "gitpod-images"})
    assert shown(page) is not None
    # Chromium asks for the favicon again when the address changes; nothing else may load.
    later = [u for u in recorder.requests[before:] if not u.endswith("/favicon.png")]
    assert later == []
    assert_clean(page, recorder)


#: The builder's own parts; the site-wide accessibility test covers the theme around them.
AXE_CONTEXT = {
    "include": [
        ["#gp-builder"],
        ["#gp-builder-output"],
        ["#gp-builder-ecr"],
        ["#gp-builder-status"],
        [theme.CONTENT],
    ],
    "exclude": [[theme.FOOTER]],
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_state_passes_axe(page: Any, base_url: str, scheme: str) -> None:
    """Outputs, flagged errors, an unknown link value and the ECR panel: WCAG 2.1 A and AA.

    Each output tab is checked while it is shown (axe skips hidden content); ``axe_violations``
    waits for the tab's transitions to end first, so mid-fade colours are never measured.
    """
    page.emulate_media(color_scheme=scheme, reduced_motion="reduce")
    states = [
        {"option": "gar", "location": "us", "project": "my-gcp-project", "repository": "gitpod"},
        {"option": "in-cluster-s3", "region": "eu-wset-1", "bucket": "my_bucket"},
        {"option": "generic", "host": "harbor.example.com", "path": "Team"},
        {"option": "ecr"},
        {"option": "quay"},
    ]
    for query in states:
        open_builder(page, base_url, query)
        for n in (1, 2, 3) if page.is_visible("#gp-builder-output") else (0,):
            if n:
                page.click(f"label[for=gp-tab-{n}]")
            found = axe_violations(page, AXE_CONTEXT)
            assert not found, describe_violations(found, f"builder {query} tab {n} ({scheme})")
