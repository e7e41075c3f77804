"""The configuration builder in a real browser, held against the rules, the checker and the oracles.

Every expected value comes from ``tests/support/builder_oracle.py`` (the rules composing each
component and ``gitpod_resources.stack`` merging them, the prerequisites' rules, the checker run on
the YAML the page shows) and the independent oracles of ``tests/oracles.py`` (admin console
titles, installer keys, botocore's S3 endpoints, cluster validation's secret keys), never from the
page's export: the script must reproduce the rules.
"""

from __future__ import annotations

import random
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gitpod_resources import aws, config, gcp, validation
from gitpod_resources.checker import check_bytes
from gitpod_resources.errors import RuleError
from macros import builder, theme
from tests.browser.conftest import Recorder
from tests.browser.helpers import assert_no_axe_violations, wait_for_quiet_network
from tests.conftest import Site
from tests.conftest import examples as example_count
from tests.examples import examples
from tests.support.builder_oracle import check_against_oracles, expected, reads
from tests.support.builder_states import states

#: One page for the module, handed to each test as a new context would start it.
pytestmark = [pytest.mark.browser, pytest.mark.shared_page]

COMPONENTS = ("registry", "storage", "database")


def open_builder(page: Any, base_url: str, query: dict[str, str] | None = None) -> None:
    """Load the builder (with ``query`` as its link) and wait for exactly what the tests need:
    the script has read the link and drawn the form (``data-ready``)."""
    url = base_url + "builder/" + ("?" + urlencode(query) if query is not None else "")
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector("#gp-builder[data-ready]", state="attached")


def assert_clean(page: Any, recorder: Recorder) -> None:
    """Once everything the last load asked for has arrived: nothing foreign, failed or logged
    as an error."""
    wait_for_quiet_network(page, recorder, "/" + theme.SEARCH_INDEX)
    recorder.assert_clean()


#: What the reader sees and copies, or null when the outputs are withheld. Each code block's
#: copy button must copy the block (trailing newline aside).
_SHOWN = """
() => {
    const out = document.getElementById("gp-builder-output");
    const texts = (sel) => Array.from(document.querySelectorAll(sel), (n) => n.textContent);
    const codes = (sel) => Array.from(document.querySelectorAll(sel + " pre"), (pre) => {
        const code = pre.querySelector("code").textContent;
        const button = pre.querySelector("button");
        if (button && button.getAttribute("data-clipboard-text") !== code.replace(/\\n$/, "")) {
            throw new Error("a copy button copies something else than its block");
        }
        return code;
    });
    if (out.hidden) return null;
    const kots = Array.from(document.querySelectorAll("#gp-out-kots > p"), (p) => [
        p.querySelector("strong").textContent,
        Array.from(p.nextElementSibling.querySelectorAll("table tbody tr"), (tr) => [
            tr.cells[0].textContent, tr.cells[1].querySelector("code").textContent])]);
    return {
        kots: kots,
        yaml: document.getElementById("gp-out-yaml").textContent,
        secrets: codes("#gp-out-secrets"),
        prereqs: codes("#gp-out-prereqs"),
        findings: texts("#gp-out-findings li"),
        warnings_hidden: document.getElementById("gp-out-warnings").hidden,
    };
}
"""

#: Each field's (error text, aria-invalid), for the fields shown.
_ERRORS = """
() => Object.fromEntries(Array.from(
    document.querySelectorAll(".gp-builder__field[data-param]:not([hidden])"), (div) => {
        const control = div.querySelector("input, select");
        return [div.dataset.param, [document.getElementById(control.id + "-error").textContent,
                                    control.getAttribute("aria-invalid")]];
    }))
"""


def shown(page: Any) -> dict[str, Any] | None:
    return page.evaluate(_SHOWN)


#: Set the form as a reader does, for each state in turn, in one round trip: each control (it
#: must be shown) gets its value, then the events choosing or typing fires on it (``input``,
#: then ``change``). Then: what ``_SHOWN`` and ``_ERRORS`` return, and the address bar.
_DRIVE_ALL = (
    """
(samples) => {
  const shown = """
    + _SHOWN
    + """;
  const errors = """
    + _ERRORS
    + """;
  const set = (id, value) => {
    const el = document.getElementById(id);
    if (el.getClientRects().length === 0) throw new Error(`#${id} is not shown`);
    if (el.type === "checkbox") el.checked = value === "yes";
    else {
      el.value = value;
      if (el.value !== value) throw new Error(`#${id} cannot take ${JSON.stringify(value)}`);
    }
    el.dispatchEvent(new Event("input", {bubbles: true}));
    el.dispatchEvent(new Event("change", {bubbles: true}));
  };
  return samples.map((state) => {
    set("gp-platform", state.platform);
    for (const c of ["registry", "storage", "database"]) set("gp-" + c, state[c]);
    for (const [param, value] of Object.entries(state)) {
      if (!["platform", "registry", "storage", "database"].includes(param)) {
        set("gp-" + param.replaceAll("_", "-"), value);
      }
    }
    return [shown(), errors(), location.href];
  });
}
"""
)


def drive(page: Any, state: dict[str, str]) -> None:
    """Fill the form with Playwright's own actions, as a reader does."""
    page.select_option("#gp-platform", state["platform"])
    for c in COMPONENTS:
        page.select_option(f"#gp-{c}", state[c])
    for param in reads(state):
        cid = "#gp-" + param.replace("_", "-")
        if param in ("private_ca", "db_ca"):
            page.set_checked(cid, state[param] == "yes")
        elif page.evaluate(f"document.querySelector('{cid}').tagName") == "SELECT":
            page.select_option(cid, state[param])
        else:
            page.fill(cid, state[param])


def drive_all(page: Any, states: list[dict[str, str]]) -> list[tuple[Any, Any, str]]:
    return [tuple(x) for x in page.evaluate(_DRIVE_ALL, states)]


def finding_text(code: str, message: str, fix: str) -> str:
    return f"{code} (warning): {message}. Fix: {fix}. About {code}"


def assert_shows_the_rules(state: dict[str, str], got: Any, errors: Any = None) -> None:
    """``got`` (what the page shows) is what the rules and the checker give for ``state``."""
    want = expected(state)
    if errors is not None:
        assert {p: e[0] for p, e in errors.items() if e[0]} == want.errors, state
        assert all((e[1] == "true") == bool(e[0]) for e in errors.values()), (state, errors)
    if want.errors:
        assert got is None, state
        return
    assert got is not None, (state, errors)
    assert got["kots"] == want.kots, state
    assert got["yaml"] == want.yaml, state
    assert got["secrets"] == want.secrets, state
    assert got["prereqs"] == want.prereq_commands, state
    # The warnings shown are the checker's findings on the very YAML the reader copies.
    findings = check_bytes(got["yaml"].encode(), config.CONFIG_FILE).findings
    assert got["findings"] == [finding_text(f.code, f.message, f.fix) for f in findings], state
    assert got["warnings_hidden"] == (not findings), state
    check_against_oracles(state, got["kots"], got["yaml"], got["secrets"])


def trim(state: dict[str, str]) -> dict[str, str]:
    """The state with only the fields its options read (what the address bar holds)."""
    return {k: v for k, v in state.items() if k in ("platform", *COMPONENTS, *reads(state))}


def samples(platform: str) -> list[dict[str, str]]:
    """States of one platform: each option, first and last list items, tricky values."""
    return [trim(s) for s in _samples(platform)]


def _samples(platform: str) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    if platform == "aws":
        base = {"platform": "aws", "registry": "in-cluster-s3", "storage": "s3"}
        base |= {"database": "external", "registry_bucket": "gitpod-registry"}
        base |= {"storage_bucket": "gitpod-workspaces", "db_host": "mysql.example.com"}
        base |= {"db_ca": "no"}
        for part in aws.partitions():
            for region in sorted({part.regions[0].code, part.regions[-1].code}):
                out.append(base | {"aws_region": region})
        out.append(base | {"aws_region": aws.GLOBAL_REGION, "db_ca": "yes"})
        for bucket in ("yes", "null", "123", "1e3", "2001-12-14", "a.b-c"):
            out.append(base | {"aws_region": "eu-west-2", "registry_bucket": bucket})
        out.append(base | {"aws_region": "ap-south-2", "registry": "in-cluster"})
        out.append(
            {"platform": "aws", "registry": "generic", "storage": "in-cluster"}
            | {"database": "in-cluster", "registry_host": "harbor.example.com"}
            | {"registry_path": "gitpod", "private_ca": "no"}
        )
    elif platform == "gcp":
        base = {"platform": "gcp", "registry": "gar", "storage": "gcs", "database": "cloudsql"}
        base |= {"gcp_project": "my-gcp-project", "ar_repository": "gitpod"}
        base |= {"db_instance": "gitpod-mysql"}
        locations = [loc.code for loc in gcp.ar_locations()]
        regions = list(gcp.region_codes())
        for loc, region in zip(locations[:3] + locations[3::11], regions[::9], strict=False):
            out.append(base | {"ar_location": loc, "gcp_region": region})
        out.append(
            base
            | {"ar_location": "us", "gcp_region": "us-east1", "gcp_project": "example.com:my-proj"}
        )
        for host in gcp.gcr_hosts():
            out.append(
                {"platform": "gcp", "registry": "gcr", "storage": "in-cluster"}
                | {"database": "external", "gcr_host": host.host, "gcp_project": "proj-123456"}
                | {"db_host": "10.0.0.7", "db_ca": "yes"}
            )
    else:
        base = {"platform": "on-prem", "registry": "generic", "storage": "in-cluster"}
        base |= {"database": "external", "db_host": "mysql.internal.example", "db_ca": "no"}
        for host, path, ca in [
            ("harbor.example.com", "gitpod", "no"),
            ("harbor.example.com", "gitpod", "yes"),
            ("registry.example.com:5000", "team/gitpod", "yes"),
            ("harbor.example.com", "", "no"),
            ("localhost:5000", "gitpod", "no"),
            ("docker.io", "my-org", "no"),
        ]:
            out.append(base | {"registry_host": host, "registry_path": path, "private_ca": ca})
        out.append(
            {"platform": "on-prem", "registry": "in-cluster", "storage": "in-cluster"}
            | {"database": "in-cluster"}
        )
    return out


@pytest.mark.parametrize("platform", ["aws", "gcp", "on-prem"])
def test_outputs_are_the_rules_and_the_link_reproduces_them(
    page: Any, base_url: str, recorder: Recorder, platform: str
) -> None:
    """Drive the form through every sample of one platform; reload some of the links."""
    states = samples(platform)
    open_builder(page, base_url)
    drive(page, states[0])
    assert_shows_the_rules(states[0], shown(page), page.evaluate(_ERRORS))
    links = [(page.url, states[0])]
    for state, (got, errors, link) in zip(states[1:], drive_all(page, states[1:]), strict=True):
        assert_shows_the_rules(state, got, errors)
        links.append((link, state))
    for link, state in links[:: max(1, len(links) // 3)]:
        page.goto(link, wait_until="domcontentloaded")
        page.wait_for_selector("#gp-builder[data-ready]", state="attached")
        assert_shows_the_rules(state, shown(page), page.evaluate(_ERRORS))
        assert page.url == link
    assert_clean(page, recorder)


TEXT = st.one_of(
    st.sampled_from(
        ["yes", "null", "123", "1e3", "docker.io", "registry-1.docker.io", "::1", "Gitpod", ""]
    ),
    st.sampled_from(["gitpod", "my-gcp-project", "example.com:my-proj", "harbor.example.com"]),
    st.text(alphabet="abz019.-_:/A ", max_size=16),
)


@settings(
    max_examples=example_count(default=3, thorough=12),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(batch=st.lists(states(TEXT), min_size=40, max_size=40))
def test_warnings_shown_are_the_checkers_on_the_copied_config(
    page: Any, base_url: str, batch: list[dict[str, str]]
) -> None:
    """Many inputs, drawn by Hypothesis and set in the form: the page shows a config exactly
    when the rules compose one, the real checker finds no error in the YAML shown, and the
    warnings shown are its findings on that YAML."""
    if "/builder/" not in page.url:  # the first example; the others go on with the same page
        open_builder(page, base_url)
    for state, (got, errors, _) in zip(batch, drive_all(page, batch), strict=True):
        assert_shows_the_rules(state, got, errors)


def st8(components: str, **fields: str) -> dict[str, str]:
    """A state from "platform registry storage database" and its fields."""
    names = ("platform", *COMPONENTS)
    return dict(zip(names, components.split(), strict=True)) | fields


IC = "in-cluster"
INVALID = [
    (
        st8(f"aws in-cluster-s3 {IC} {IC}", aws_region="eu-west-2", registry_bucket="my_bucket"),
        "registry_bucket",
    ),
    (
        st8(f"aws {IC} s3 {IC}", aws_region="eu-west-2", storage_bucket="192.168.5.4"),
        "storage_bucket",
    ),
    (
        st8(
            f"aws in-cluster-s3 s3 {IC}",
            aws_region="eu-west-2",
            registry_bucket="shared-one",
            storage_bucket="shared-one",
        ),
        "storage_bucket",
    ),
    (st8(f"gcp gcr {IC} {IC}", gcr_host="gcr.io", gcp_project="My-Project"), "gcp_project"),
    (
        st8(
            f"gcp gar {IC} {IC}",
            ar_location="europe-west2",
            gcp_project="my-gcp-project",
            ar_repository="Gitpod",
        ),
        "ar_repository",
    ),
    (
        st8(
            f"gcp {IC} {IC} cloudsql",
            gcp_project="my-gcp-project",
            gcp_region="europe-west2",
            db_instance="1db",
        ),
        "db_instance",
    ),
    (
        st8(
            f"on-prem generic {IC} {IC}",
            registry_host="harbor",
            registry_path="gitpod",
            private_ca="no",
        ),
        "registry_host",
    ),
    (
        st8(
            f"on-prem generic {IC} {IC}",
            registry_host="harbor.example.com",
            registry_path="Team",
            private_ca="no",
        ),
        "registry_path",
    ),
    (
        st8(
            f"on-prem generic {IC} {IC}",
            registry_host="123456789012.dkr.ecr.eu-west-1.amazonaws.com",
            registry_path="x",
            private_ca="no",
        ),
        "registry_host",
    ),
    (st8(f"on-prem {IC} {IC} external", db_host="mysql.example.com:3306", db_ca="no"), "db_host"),
]


def test_typed_invalid_input_shows_the_rules_message_and_no_output(
    page: Any, base_url: str, recorder: Recorder
) -> None:
    open_builder(page, base_url)
    state, param = INVALID[0]
    drive(page, state)
    want = expected(state)
    assert list(want.errors) == [param]
    text = page.text_content(f"#gp-{param.replace('_', '-')}-error")
    assert text == want.errors[param]
    assert shown(page) is None
    for (state, param), (got, errors, _) in zip(
        INVALID[1:], drive_all(page, [s for s, _ in INVALID[1:]]), strict=True
    ):
        want = expected(state)
        assert param in want.errors, state
        assert tuple(errors[param]) == (want.errors[param], "true"), state
        assert got is None, state
    assert_clean(page, recorder)


UNKNOWN = [
    (
        st8(
            f"aws in-cluster-s3 {IC} {IC}",
            aws_region="eu-wset-1",
            registry_bucket="gitpod-registry",
        ),
        "aws_region",
    ),
    (
        st8(
            f"aws in-cluster-s3 {IC} {IC}",
            aws_region="EU-WEST-1",
            registry_bucket="gitpod-registry",
        ),
        "aws_region",
    ),
    (
        st8(f"aws {IC} s3 {IC}", aws_region="https://eu-west-1", storage_bucket="gitpod-ws"),
        "aws_region",
    ),
    (
        st8(
            f"gcp gar {IC} {IC}",
            ar_location="europe-wset2",
            gcp_project="my-gcp-project",
            ar_repository="g",
        ),
        "ar_location",
    ),
    (
        st8(f"gcp {IC} gcs {IC}", gcp_region="europe-west2-a", gcp_project="my-gcp-project"),
        "gcp_region",
    ),
    (
        st8(f"gcp gcr {IC} {IC}", gcr_host="docker.pkg.dev", gcp_project="my-gcp-project"),
        "gcr_host",
    ),
    (st8(f"on-prem {IC} {IC} external", db_host="db.example.com", db_ca="maybe"), "db_ca"),
]


def test_an_unknown_value_in_a_link_shows_the_rules_message(
    page: Any, base_url: str, recorder: Recorder
) -> None:
    for state, param in UNKNOWN:
        want = expected(state)
        assert param in want.errors, state
        open_builder(page, base_url, state)
        errors = page.evaluate(_ERRORS)
        assert tuple(errors[param]) == (want.errors[param], "true"), state
        assert shown(page) is None, state
    assert_clean(page, recorder)


def test_a_platform_or_option_a_link_names_badly_is_named(
    page: Any, base_url: str, recorder: Recorder
) -> None:
    from macros import builder_state

    open_builder(page, base_url, {"platform": "azure"})
    with pytest.raises(RuleError) as err:
        builder_state.platform("azure")
    assert page.text_content("#gp-platform-error") == str(err.value)
    assert page.get_attribute("#gp-platform", "aria-invalid") == "true"
    assert shown(page) is None
    open_builder(page, base_url, {"platform": "on-prem", "registry": "gar"})
    offered = builder_state.platform("on-prem").options("registry")
    want = str(RuleError("registry", "gar", "one of " + ", ".join(offered)))
    assert page.text_content("#gp-registry-error") == want
    assert shown(page) is None
    assert_clean(page, recorder)


def test_ecr_explains_and_links_to_the_recipe(page: Any, base_url: str, recorder: Recorder) -> None:
    open_builder(page, base_url)
    assert page.is_hidden("#gp-builder-ecr")
    page.select_option("#gp-registry", "ecr")
    assert page.is_visible("#gp-builder-ecr")
    hrefs = page.eval_on_selector_all("#gp-builder-ecr a", "els => els.map(a => a.href)")
    assert any(h.endswith("/container-registry/#amazon-ecr") for h in hrefs), hrefs
    assert any(h.endswith("/container-registry/#in-cluster-s3") for h in hrefs), hrefs
    assert shown(page) is None
    page.select_option("#gp-registry", "in-cluster")
    assert page.is_hidden("#gp-builder-ecr")
    assert_clean(page, recorder)


def test_the_script_gives_pythons_message_for_any_value(page: Any, base_url: str) -> None:
    """Hundreds of values per spec, crafted and random (Unicode, quotes, whitespace)."""
    rng = random.Random(20261129)
    alphabet = "abcxyz019.-_:/% AZ'\"\\\t\u00e9\u00a0\u200b\U0001f600"
    values = ["", " ", "a", "A", "ab", "a" * 64, "eu-west-1.", "europe-west2-docker.pkg.dev"]
    values += ["s3.eu-west-1.amazonaws.com", "https://eu-west-1/x", "a.b.c", "Eu-Wset-1", "mars"]
    values += ["::1", "fe80::1%eth0", "1::2::3", "10.0.0.1", "010.0.0.1", "1:2:3:4:5:6:1.2.3.4"]
    values += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 14))) for _ in range(300)]
    values += [
        "eu-" + "".join(rng.choice("westa-12") for _ in range(rng.randint(3, 9))) for _ in range(60)
    ]
    values += ["".join(rng.choice("ab") for _ in range(rng.randint(200, 260))) for _ in range(3)]
    open_builder(page, base_url)
    lists = {name: list(builder.known(name)) for name in builder.lists()}
    for spec in builder.specs():
        items = next((f.items for f in builder.FIELDS if f.spec == spec), "")
        known = list(lists[items]) if items else ["yes", "no", "aws", "gcp", "on-prem"]
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
    page.focus("#gp-platform")
    assert page.input_value("#gp-platform") == "aws"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "gp-registry"
    page.keyboard.press("ArrowDown")  # the in-cluster registry, after the S3 recipe
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")  # in-cluster storage, after S3
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "gp-db-host"
    page.keyboard.type("mysql.example.com")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "gp-db-ca"
    page.keyboard.press("Space")
    state = {"platform": "aws", "registry": "in-cluster", "storage": "in-cluster"}
    state |= {"database": "external", "db_host": "mysql.example.com", "db_ca": "yes"}
    assert_shows_the_rules(state, shown(page), page.evaluate(_ERRORS))
    assert_clean(page, recorder)


def test_copy_buttons_copy_the_outputs(page: Any, base_url: str, recorder: Recorder) -> None:
    state = {"platform": "gcp", "registry": "gar", "storage": "gcs", "database": "cloudsql"}
    state |= {"ar_location": "europe-west2", "gcp_project": "my-gcp-project"}
    state |= {"ar_repository": "gitpod", "gcp_region": "europe-west2", "db_instance": "gitpod-sql"}
    want = expected(state)
    assert want.kots and want.yaml and want.secrets and want.prereq_commands
    open_builder(page, base_url, state)
    rows = page.locator("#gp-out-kots tr:has(td)")
    flat = [row for _, group in want.kots for row in group]
    assert rows.count() == len(flat)
    for n, (_title, value) in enumerate(flat[:4]):
        rows.nth(n).locator("button").click()
        assert page.evaluate("navigator.clipboard.readText()") == value
    for n in (0, 3):
        page.locator("#gp-out-prereqs pre").nth(n).locator("button").click()
        assert page.evaluate("navigator.clipboard.readText()") == want.prereq_commands[n].rstrip(
            "\n"
        )
    page.click("label[for=gp-tab-2]")
    page.locator("#gp-out-yaml").locator("xpath=..").locator("button").click()
    assert page.evaluate("navigator.clipboard.readText()") == want.yaml.rstrip("\n")
    page.click("label[for=gp-tab-3]")
    page.locator("#gp-out-secrets pre").nth(1).locator("button").click()
    assert page.evaluate("navigator.clipboard.readText()") == want.secrets[1].rstrip("\n")
    assert_clean(page, recorder)


def test_no_request_after_load(page: Any, base_url: str, recorder: Recorder) -> None:
    """Everything the page needs is in it: typing asks the network for nothing."""
    open_builder(page, base_url)
    page.wait_for_load_state("networkidle")
    before = len(recorder.requests)
    for state in (samples("gcp")[0], samples("aws")[0], samples("on-prem")[1]):
        drive(page, state)
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
    """Outputs with warnings and prerequisites, flagged errors, an unknown link value and the
    ECR panel: WCAG 2.1 A and AA, each output tab checked while it is shown."""
    page.emulate_media(color_scheme=scheme, reduced_motion="reduce")
    states = [
        samples("on-prem")[1],
        {"platform": "gcp", "registry": "gcr", "storage": "gcs", "database": "cloudsql"}
        | {"gcr_host": "eu.gcr.io", "gcp_project": "my-gcp-project", "gcp_region": "europe-west2"}
        | {"db_instance": "gitpod-mysql"},
        {"platform": "aws", "registry": "in-cluster-s3", "storage": "s3", "database": "external"}
        | {"aws_region": "eu-wset-1", "registry_bucket": "my_bucket", "storage_bucket": "ok-one"}
        | {"db_host": "Mysql", "db_ca": "no"},
        {"platform": "aws", "registry": "ecr"},
        {"platform": "quay"},
    ]
    for query in states:
        open_builder(page, base_url, query)
        for n in (1, 2, 3) if page.is_visible("#gp-builder-output") else (0,):
            if n:
                page.click(f"label[for=gp-tab-{n}]")
            assert_no_axe_violations(page, f"builder {query} tab {n} ({scheme})", AXE_CONTEXT)


#: Examples whose "open this in the builder" link is followed: (page, example kind).
FOLLOWED = [
    ("container-registry/", "registry:gar"),
    ("container-registry/", "registry:generic"),
    ("object-storage/", "storage:s3"),
    ("database/", "database:external"),
    ("database/", "database:cloudsql"),
    ("putting-together/gcp/", "together:gcp"),
    ("putting-together/on-prem/", "together:on-prem"),
]


def test_an_examples_link_opens_the_builder_with_its_values_and_outputs(
    page: Any, base_url: str, recorder: Recorder, site: Site
) -> None:
    """Click each example's link on its page: the builder's controls hold the example's values,
    and its outputs contain what the example shows, row for row and block for block."""
    for path, kind in FOLLOWED:
        ex = next(e for e in examples(site.soup(path + "index.html"), path) if e.kind == kind)
        page.goto(base_url + path, wait_until="domcontentloaded")
        link = page.locator(f'div.gp-example[data-example="{kind}"] a[href*="builder/"]').first
        link.click()
        page.wait_for_selector("#gp-builder[data-ready]", state="attached")
        query = dict(parse_qsl(urlsplit(page.url).query, keep_blank_values=True))
        for param, value in query.items():
            control = "#gp-" + param.replace("_", "-")
            if param in ("private_ca", "db_ca"):
                assert page.is_checked(control) == (value == "yes"), (kind, param)
            else:
                assert page.input_value(control) == value, (kind, param)
        got = shown(page)
        assert got is not None, (kind, page.evaluate(_ERRORS))
        assert_shows_the_rules(query, got, page.evaluate(_ERRORS))
        doc = yaml.safe_load(got["yaml"])
        component = kind.split(":")[0]
        if component == "together":
            assert ex.kots_rows() == [tuple(r) for _, rows in got["kots"] for r in rows], kind
            assert ex.yaml() == doc, kind
            assert [c.get_text() for c in ex.tabs["Secret"].select("pre code")] == got["secrets"]
            continue
        group = COMPONENTS.index(component)
        assert ex.kots_rows() == [tuple(r) for r in got["kots"][group][1]], kind
        sections = {"registry": ["containerRegistry"], "storage": ["metadata", "objectStorage"]}
        for key in sections.get(component, ["database"]):
            assert ex.yaml().get(key) == doc.get(key), (kind, key)
        for block in ex.tabs["Secret"].select("pre code"):
            assert block.get_text() in got["secrets"], kind
    assert_clean(page, recorder)


#: Elements of the article that reach past the screen's right edge, outside what scrolls on its
#: own (code blocks, Material's table wrapper, the tab labels).
_PAST_THE_EDGE = """
() => {
  const edge = document.documentElement.clientWidth + 1;
  return Array.from(document.querySelectorAll("article *"))
    .filter((e) => e.getBoundingClientRect().right > edge)
    .filter((e) => !e.closest("pre, .md-typeset__scrollwrap, .tabbed-labels"))
    .map((e) => e.tagName + " " + (e.textContent || "").slice(0, 40));
}
"""


@pytest.mark.parametrize("width", [360, 390])
def test_the_outputs_fit_a_phone(page: Any, base_url: str, width: int) -> None:
    """On a phone nothing is clipped: tables scroll sideways in Material's wrapper, code blocks
    on their own (WCAG 1.4.10)."""
    page.set_viewport_size({"width": width, "height": 800})
    for state in (samples("gcp")[-1], samples("aws")[0], samples("on-prem")[1]):
        open_builder(page, base_url, state)
        assert shown(page) is not None
        for n in (1, 2, 3):
            page.click(f"label[for=gp-tab-{n}]")
            assert page.evaluate(_PAST_THE_EDGE) == [], (state, n)
