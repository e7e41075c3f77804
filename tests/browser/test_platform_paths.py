"""Each platform path as a reader follows it, in Chromium: the home page, the link to their
platform, the tab of their region or CA, then every code block of the page in order, copied with
its copy button. What lands on the clipboard is held to the rules (the same block computed from
the block's inputs) and to the suite's independent oracles (botocore's S3 endpoints and
partitions, the admin console's titles and the installer's keys as transcribed from Gitpod's
source, the secrets ``installer validate cluster`` requires); then the copied commands run, in
that order, in a reader's shell (tests/support/reader_shell.py: the cloud tools record, the
checker is the real one), so every variable is set before it is read and the secrets hold what
the earlier steps produced.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import botocore.session
import pytest
import yaml
from bs4 import BeautifulSoup, Tag

from gitpod_resources import config, database, platforms, prerequisites, stack
from macros import theme
from tests.browser.conftest import Recorder
from tests.conftest import Site
from tests.examples import created_secrets, examples
from tests.oracles import (
    CLUSTER_VALIDATION_SECRET_KEYS,
    KOTS_TITLES,
    KOTS_TITLES_DATABASE,
    KOTS_TITLES_STORAGE,
    TOP_LEVEL_KEYS,
    botocore_s3_host,
    secret_refs,
    unknown_keys,
)
from tests.support.bash_blocks import shown
from tests.support.builder_oracle import check_against_oracles, expected
from tests.support.reader_shell import (
    FAKE_KEY_ID,
    FAKE_ROBOT_SECRET,
    FAKE_SECRET_KEY,
    Call,
    ReaderShell,
    kubectl_secrets,
    reader_shell,
)

pytestmark = pytest.mark.browser

#: (platform, the tab the reader picks (None: the page has none), the link text on the home page)
PATHS = [
    ("aws", "eu-west-2", "AWS"),
    ("aws", "us-east-1", "AWS"),
    ("aws", "cn-north-1", "AWS"),
    ("aws", "us-gov-west-1", "AWS"),
    ("gcp", None, "Google Cloud"),
    ("on-prem", "Certificate from a public CA", "Your own registry"),
    ("on-prem", "Certificate from your own CA", "Your own registry"),
]
PAGE = {p: f"putting-together/{p}/" for p in ("aws", "gcp", "on-prem")}
ALL_TITLES = set(KOTS_TITLES.values()) | set(KOTS_TITLES_STORAGE.values())
ALL_TITLES |= set(KOTS_TITLES_DATABASE.values())
DB_PASSWORD = "reader-db-password"
NOT_COPIED = "(the copy button wrote nothing)"
#: The reader's own AWS identity, exported in their shell before they start.
READER_OWN_KEY = "AKIAREADEROWN"


@dataclass
class Block:
    """A code block of the page, where it sits, and what a reader must click to see it."""

    index: int  # among the article's <pre>, in document order
    text: str  # as the page shows it
    lang: str
    within: Tag | None  # the marked container: gp-prereq, gp-example, gp-db-user, gp-checks
    tab_input: str | None  # the example tab to open first (its input's id)


def reader_blocks(soup: BeautifulSoup, choice: dict[str, str]) -> list[Block]:
    """The blocks a reader who picked ``choice`` copies, in order (folded notes left closed)."""
    out = []
    for k, pre in enumerate(soup.select("article pre")):
        code = pre.select_one("code")
        if code is None or pre.find_parent("details") is not None or not shown(pre, choice):
            continue
        lang = next(
            (c.removeprefix("language-") for c in pre.parent.get("class", []) if "language-" in c),
            "",
        )
        within = pre.find_parent(
            "div", class_=["gp-prereq", "gp-example", "gp-db-user", "gp-checks"]
        )
        tab_input = None
        if within is not None and "gp-example" in within.get("class", []):
            block = pre.find_parent("div", class_="tabbed-block")
            tabbed = block.find_parent("div", class_="tabbed-set")
            blocks = tabbed.select(":scope > .tabbed-content > .tabbed-block")
            tab_input = str(tabbed.select(":scope > input")[blocks.index(block)]["id"])
        out.append(Block(k, code.get_text(), lang, within, tab_input))
    return out


def page_choice(soup: BeautifulSoup, tab: str | None) -> dict[str, str]:
    """The reader's pick in every tab set outside the examples (linked sets pick alike)."""
    choice = {}
    for tabbed in soup.select("article .tabbed-set"):
        if tabbed.find_parent("div", class_="gp-example") is not None:
            continue
        labels = [
            lab.get_text(strip=True) for lab in tabbed.select(":scope > .tabbed-labels > label")
        ]
        assert tab in labels, (tab, labels)
        choice["|".join(labels)] = tab
    assert (tab is None) == (not choice), f"tab {tab!r}, sets {choice}"
    return choice


_COPY = """
async ([index, selector, notCopied]) => {
  const pre = document.querySelectorAll('article pre')[index];
  pre.scrollIntoView({block: 'center', behavior: 'instant'});
  for (let t = 0; t < 150 && !pre.querySelector(selector); t++)
    await new Promise(r => setTimeout(r, 20));
  await navigator.clipboard.writeText(notCopied);
  return pre.querySelector(selector) !== null;
}
"""


def copy(page: Any, block: Block) -> str:
    """Open the block's tab if it has one, click its copy button (a real click), read the
    clipboard."""
    if block.tab_input is not None:
        page.locator(f"label[for='{block.tab_input}']").click()
    mounted = page.evaluate(_COPY, [block.index, theme.COPY_BUTTON, NOT_COPIED])
    assert mounted, f"block {block.index}: no copy button once on screen"
    page.locator("article pre").nth(block.index).locator(theme.COPY_BUTTON).first.click()
    for _ in range(100):
        text = str(page.evaluate("navigator.clipboard.readText()"))
        if text != NOT_COPIED:
            return text
        page.wait_for_timeout(20)
    return NOT_COPIED


def rules_text(block: Block, loose: set[str]) -> str:
    """What the rules compute for the block: from its container's kind and inputs, or one of the
    page's stand-alone snippets (namespace, password, CA fragment)."""
    div = block.within
    if div is None:
        assert block.text in loose, f"block {block.index} is no snippet the rules make"
        return block.text
    classes = div.get("class", [])
    if "gp-prereq" in classes:
        pre = prerequisites.build(str(div["data-prereq"]), json.loads(str(div["data-inputs"])))
        texts = [pre.variables, *(s.command for s in pre.steps)]
    elif "gp-example" in classes:
        s = stack.build(
            str(div["data-example"]).split(":", 1)[1], json.loads(str(div["data-inputs"]))
        )
        texts = [stack.installer_yaml(s), *stack.secret_commands(s)]
    elif "gp-db-user" in classes:
        option = str(div["data-example"]).split(":", 1)[1]
        setup = database.build(option, json.loads(str(div["data-inputs"])))
        texts = [database.user_variables(setup) or "", *database.user_commands(setup)]
    else:
        private = "own CA" in (block_tab_label(div) or "")
        texts = [
            platforms.check_command(),
            platforms.probe_command(str(div["data-platform"]), private_ca=private),
        ]
    assert block.text in texts, f"block {block.index}: not the rules' output for {classes}"
    return block.text


def block_tab_label(el: Tag) -> str | None:
    block = el.find_parent("div", class_="tabbed-block")
    if block is None:
        return None
    tabbed = block.find_parent("div", class_="tabbed-set")
    labels = [lab.get_text(strip=True) for lab in tabbed.select(":scope > .tabbed-labels > label")]
    return labels[tabbed.select(":scope > .tabbed-content > .tabbed-block").index(block)]


def arn_partition(region: str) -> str:
    """botocore's partitions.json: the ARN partition of ``region``."""
    data = botocore.session.get_session().get_data("partitions")["partitions"]
    (found,) = [p for p in data if region in p["regions"]]
    return str(found["outputs"]["name"])


@pytest.mark.parametrize(("platform", "tab", "link"), PATHS, ids=[f"{p}-{t}" for p, t, _ in PATHS])
def test_a_reader_follows_the_platform_path(
    page: Any,
    base_url: str,
    recorder: Recorder,
    site: Site,
    tmp_path: Path,
    platform: str,
    tab: str | None,
    link: str,
) -> None:
    # 1. The home page leads to the platform.
    page.goto(base_url, wait_until="load")
    page.locator("article a", has_text=re.compile(rf"^{re.escape(link)}$")).first.click()
    page.wait_for_url(base_url + PAGE[platform])
    soup = site.soup(PAGE[platform] + "index.html")
    # 2. The reader picks their tab (linked: every set of the page follows).
    choice = page_choice(soup, tab)
    if tab is not None:
        page.locator(
            "article .tabbed-labels > label", has_text=re.compile(rf"^\s*{re.escape(tab)}\s*$")
        ).first.click()
    # 3. Every block, copied with its button, is what the page shows and what the rules make.
    loose = {
        config.namespace_snippet(),
        database.env_snippet(),
        config.to_yaml(prerequisites.ca_config()),
    }
    copied: list[tuple[Block, str]] = []
    for block in reader_blocks(soup, choice):
        text = copy(page, block)
        assert text == block.text.removesuffix("\n"), f"block {block.index}: copied {text!r}"
        assert text == rules_text(block, loose).removesuffix("\n")
        copied.append((block, text))
    assert len(copied) >= 12, len(copied)
    # 4. The oracles: the config's keys and secrets, the admin console's titles, botocore.
    (ex,) = [e for e in examples(soup, PAGE[platform]) if e.kind == f"together:{platform}"]
    doc = ex.yaml()
    assert unknown_keys(doc, TOP_LEVEL_KEYS) == []
    assert {t for t, _ in ex.kots_rows()} <= ALL_TITLES
    commands = [t for b, t in copied if b.lang == "bash" and t.startswith("kubectl create")]
    made = {n: keys for c in commands for n, keys in created_secrets(c).items()}
    for path, name in secret_refs(doc).items():
        assert made[name] == CLUSTER_VALIDATION_SECRET_KEYS[path], path
    if platform == "aws":
        assert doc["containerRegistry"]["s3storage"]["endpoint"] == botocore_s3_host(
            doc["metadata"]["region"]
        )
        assert doc["objectStorage"]["s3"]["endpoint"] == botocore_s3_host(doc["metadata"]["region"])
    # 5. The copied commands, in the reader's order, in a reader's shell.
    shell = reader_shell(tmp_path / "reader")
    (shell.home / prerequisites.CA_FILE).write_text("-----BEGIN CERTIFICATE-----\n")
    script = ""
    for block, text in copied:
        in_example = block.within is not None and "gp-example" in block.within.get("class", [])
        if block.lang == "yaml" and in_example:
            script += f"cat > {config.CONFIG_FILE} <<'YAML'\n{text}\nYAML\n"
        elif block.lang == "yaml":  # a fragment the page says to add to the config
            script += f"cat >> {config.CONFIG_FILE} <<'YAML'\n{text}\nYAML\n"
        else:
            script += text + "\n"
    region = tab if platform == "aws" else "eu-west-2"
    done = shell.run(
        script,
        stdin=DB_PASSWORD + "\n",
        env={
            "FAKE_ARN_PARTITION": arn_partition(region),
            "AWS_ACCESS_KEY_ID": READER_OWN_KEY,
        },
    )
    assert done.returncode == 0, f"exit {done.returncode}: {done.stderr[-3000:]}"
    # What reached kubectl, by the secret the copied config names for each block.
    by_ref = {path: kubectl_secrets(shell)[name] for path, name in secret_refs(doc).items()}
    (probe,) = [c for c in shell.calls("gitpod-resources") if c.args[:1] == ["probe"]]
    db_secret = next(v for path, v in by_ref.items() if path.startswith("database."))
    assert db_secret["password"] == DB_PASSWORD == probe.env["DB_PASSWORD"]
    keys = json.loads(db_secret["encryptionKeys"])
    assert [k["primary"] for k in keys] == [True]
    if platform == "aws":
        check_aws(shell, by_ref, probe, tab or "")
    elif platform == "gcp":
        check_gcp(shell, by_ref, probe)
    else:
        check_on_prem(shell, by_ref, probe, doc, private="own CA" in (tab or ""))
    recorder.assert_clean()


def check_aws(
    shell: ReaderShell, by_ref: dict[str, dict[str, str]], probe: Call, region: str
) -> None:
    creates = [c.args for c in shell.calls("aws") if c.args[:2] == ["s3api", "create-bucket"]]
    assert len(creates) == 2
    for argv in creates:
        assert argv[argv.index("--region") + 1] == region
        # S3 API reference: a LocationConstraint naming the region, except in us-east-1.
        assert ("--create-bucket-configuration" in argv) == (region != "us-east-1")
        if region != "us-east-1":
            after = argv[argv.index("--create-bucket-configuration") + 1]
            assert after == f"LocationConstraint={region}"
    policy = json.loads((shell.home / prerequisites.POLICY_FILE).read_text())
    arns = [
        r
        for s in policy["Statement"]
        for r in ([s["Resource"]] if isinstance(s["Resource"], str) else s["Resource"])
    ]
    assert arns and all(a.startswith(f"arn:{arn_partition(region)}:s3:::") for a in arns), arns
    # Both secrets hold the key the last step created, and the probe gets it too.
    registry = by_ref["containerRegistry.s3storage.certificate"]
    assert (registry["s3AccessKey"], registry["s3SecretKey"]) == (FAKE_KEY_ID, FAKE_SECRET_KEY)
    storage = by_ref["objectStorage.s3.credentials"]
    assert (storage["accessKeyId"], storage["secretAccessKey"]) == (FAKE_KEY_ID, FAKE_SECRET_KEY)
    assert probe.env["S3_ACCESS_KEY_ID"] == FAKE_KEY_ID
    assert probe.env["AWS_ACCESS_KEY_ID"] == READER_OWN_KEY, "the reader's identity is kept"


def check_gcp(shell: ReaderShell, by_ref: dict[str, dict[str, str]], probe: Call) -> None:
    registry = by_ref["containerRegistry.external.certificate"]
    # Google's documented user for a service account key, and the key the step created.
    assert registry["username"] == "_json_key"
    assert json.loads(registry["password"])["type"] == "service_account"
    assert probe.env["REGISTRY_PASSWORD"] == registry["password"]
    assert json.loads(by_ref["database.cloudSQL.serviceAccount"]["credentials.json"])
    roles = {a for c in shell.calls("gcloud") for a in c.args if a.startswith("--role=")}
    # Google Cloud's roles: push to Artifact Registry, connect through the Cloud SQL proxy.
    assert {"--role=roles/artifactregistry.writer", "--role=roles/cloudsql.client"} <= roles


def check_on_prem(
    shell: ReaderShell,
    by_ref: dict[str, dict[str, str]],
    probe: Call,
    doc: dict[str, Any],
    private: bool,
) -> None:
    registry = by_ref["containerRegistry.external.certificate"]
    assert registry["server"] == doc["containerRegistry"]["external"]["url"].split("/")[0]
    assert registry["password"] == FAKE_ROBOT_SECRET == probe.env["REGISTRY_PASSWORD"]
    assert ("--ca-file" in probe.args) == private
    curls = shell.calls("curl")
    assert (
        json.loads(curls[0].stdin or "{}")["project_name"]
        == doc["containerRegistry"]["external"]["url"].split("/")[1]
    )
    assert all(("--cacert" in c.args) == private for c in curls)
    written = yaml.safe_load((shell.home / config.CONFIG_FILE).read_text())
    if private:
        (ca,) = [
            c
            for c in shell.calls("kubectl")
            if "ca.crt=" + prerequisites.CA_FILE in " ".join(c.args).replace("--from-file=", "")
        ]
        assert ca.args[3] == written["customCACert"]["name"]
    else:
        assert "customCACert" not in written


# --- the builder leg -------------------------------------------------------------------------

#: The reader's own values, typed into the builder after following the page's link.
READER_VALUES = {
    "aws": {
        "registry_bucket": "acme-gitpod-registry",
        "storage_bucket": "acme-gitpod-workspaces",
        "db_host": "mysql.acme.internal",
    },
    "gcp": {
        "gcp_project": "acme-gitpod",
        "gcp_region": "us-central1",
        "ar_location": "us-central1",
        "db_instance": "acme-sql",
    },
    "on-prem": {
        "registry_host": "harbor.acme.internal",
        "registry_path": "acme",
        "db_host": "mysql.acme.internal",
    },
}

#: Reset the clipboard, bring the builder's copy button ``k`` under ``selector`` to the middle
#: of the viewport and return the point a reader's mouse clicks (whatever is drawn there gets
#: the click: the builder's button, or a copy button the theme mounted over it).
_AIM = """
async ([selector, k, notCopied]) => {
  await navigator.clipboard.writeText(notCopied);
  const button = document.querySelectorAll(selector)[k];
  button.scrollIntoView({block: 'center', behavior: 'instant'});
  await new Promise(r => setTimeout(r, 50));
  const box = button.getBoundingClientRect();
  return [box.x + box.width / 2, box.y + box.height / 2];
}
"""


#: The builder's "Installer config" and "Secret" tabs (the second and third of its outputs).
YAML_TAB = "#gp-builder-output .tabbed-content > .tabbed-block:nth-of-type(2)"
SECRET_TAB = "#gp-builder-output .tabbed-content > .tabbed-block:nth-of-type(3)"


@pytest.mark.parametrize(("platform", "tab", "link"), PATHS, ids=[f"{p}-{t}" for p, t, _ in PATHS])
def test_a_reader_opens_the_builder_from_the_platform_page(
    page: Any,
    base_url: str,
    recorder: Recorder,
    site: Site,
    tmp_path: Path,
    platform: str,
    tab: str | None,
    link: str,
) -> None:
    """Platform page, its config's "open this in the builder", the reader's own values typed
    in, every block the builder gives copied with its copy button: the rules' output for those
    values, the oracles', and it runs in the reader's shell with the page's checks."""
    page.goto(base_url + PAGE[platform], wait_until="load")
    soup = site.soup(PAGE[platform] + "index.html")
    checks = [
        c.get_text().removesuffix("\n")
        for div in soup.select("div.gp-checks")
        if shown(div, page_choice(soup, tab))
        for c in div.select("pre code")
    ]
    namespace = config.namespace_snippet().removesuffix("\n")
    follow_the_builder(page, platform, tab, checks, namespace, tmp_path / "reader")
    recorder.assert_clean()


def set_field(page: Any, param: str, value: str) -> None:
    control = page.locator("#gp-" + param.replace("_", "-"))
    if control.evaluate("el => el.tagName") == "SELECT":
        control.select_option(value)
    elif control.get_attribute("type") == "checkbox":
        control.set_checked(value == "yes")
    else:
        control.fill(value)


def builder_copies(page: Any, selector: str) -> list[str]:
    """Click each of the builder's copy buttons under ``selector`` with the mouse, where the
    reader sees it; what each click left on the clipboard."""
    copies = []
    for k in range(page.locator(selector).count()):
        x, y = page.evaluate(_AIM, [selector, k, NOT_COPIED])
        page.mouse.move(x, y)
        page.mouse.click(x, y)
        text = NOT_COPIED
        for _ in range(100):
            text = str(page.evaluate("navigator.clipboard.readText()"))
            if text != NOT_COPIED:
                break
            page.wait_for_timeout(20)
        assert text != NOT_COPIED, f"{selector} {k}: the copy button wrote nothing"
        copies.append(text)
    return copies


def follow_the_builder(
    page: Any, platform: str, tab: str | None, checks: list[str], namespace: str, home: Path
) -> None:
    """Click the page's "open this in the builder", type the reader's own values, copy every
    block the builder gives; hold them to the rules and the oracles, and run them."""
    page.locator(f'div.gp-example[data-example="together:{platform}"] a[href*="builder/"]').click()
    page.wait_for_selector("#gp-builder[data-ready]", state="attached")
    values = dict(READER_VALUES[platform])
    if platform == "aws":
        values["aws_region"] = tab or ""
    if platform == "on-prem":
        values["private_ca"] = "yes" if "own CA" in (tab or "") else "no"
    for param, value in values.items():
        set_field(page, param, value)
    page.wait_for_selector("#gp-builder-output:not([hidden])", state="attached")
    state = dict(parse_qsl(urlsplit(page.url).query, keep_blank_values=True))
    assert state["platform"] == platform and values.items() <= state.items(), state
    want = expected(state)
    assert not want.errors, want.errors
    prereqs = builder_copies(page, "#gp-out-prereqs pre > button.gp-builder__copy")
    page.locator("label[for='gp-tab-2']").click()
    (yaml_text,) = builder_copies(page, f"{YAML_TAB} pre > button.gp-builder__copy")
    page.locator("label[for='gp-tab-3']").click()
    secret_tab = builder_copies(page, f"{SECRET_TAB} pre > button.gp-builder__copy")
    # The rules' outputs for the reader's values (copied without their final newline).
    assert prereqs == [c.removesuffix("\n") for c in want.prereq_commands or []]
    assert yaml_text == (want.yaml or "").removesuffix("\n")
    assert secret_tab[0] == namespace, "the builder sets the same namespace variable"
    assert secret_tab[1:] == [c.removesuffix("\n") for c in want.secrets or []]
    kots = page.evaluate(
        """() => Array.from(document.querySelectorAll("#gp-out-kots > p"), (p) => [
            p.querySelector("strong").textContent,
            Array.from(p.nextElementSibling.querySelectorAll("tbody tr"), (tr) => [
              tr.cells[0].textContent, tr.cells[1].querySelector("code").textContent])])"""
    )
    # The oracles: titles, installer keys, botocore's endpoints, the secrets cluster validation
    # reads; and, for AWS, the policy's partition as botocore names the region's.
    check_against_oracles(state, kots, yaml_text + "\n", [c + "\n" for c in secret_tab[1:]])
    doc = yaml.safe_load(yaml_text)
    if platform == "aws":
        region = state["aws_region"]
        assert doc["metadata"]["region"] == region
        assert doc["objectStorage"]["s3"]["endpoint"] == botocore_s3_host(region)
    # The reader runs them: the page's namespace line, the builder's blocks, the page's checks.
    shell = reader_shell(home)
    (shell.home / prerequisites.CA_FILE).write_text("-----BEGIN CERTIFICATE-----\n")
    script = namespace + "\n" + "".join(c + "\n" for c in prereqs)
    script += f"cat > {config.CONFIG_FILE} <<'YAML'\n{yaml_text}\nYAML\n"
    script += "".join(c + "\n" for c in secret_tab[1:]) + "".join(c + "\n" for c in checks)
    region = state.get("aws_region", "eu-west-2")
    done = shell.run(
        script,
        stdin=DB_PASSWORD + "\n",
        env={"FAKE_ARN_PARTITION": arn_partition(region), "AWS_ACCESS_KEY_ID": READER_OWN_KEY},
    )
    assert done.returncode == 0, f"exit {done.returncode}: {done.stderr[-3000:]}"
    by_ref = {path: kubectl_secrets(shell)[name] for path, name in secret_refs(doc).items()}
    (probe,) = [c for c in shell.calls("gitpod-resources") if c.args[:1] == ["probe"]]
    if platform == "aws":
        check_aws(shell, by_ref, probe, region)
    elif platform == "gcp":
        check_gcp(shell, by_ref, probe)
    else:
        check_on_prem(shell, by_ref, probe, doc, private=values["private_ca"] == "yes")
