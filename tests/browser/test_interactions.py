"""What a reader does on the built site, in Chromium: switch linked tabs, copy an example, search,
use only the keyboard, switch the palette. Copied text is checked against the rules module."""

from __future__ import annotations

import re
import shlex
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from gitpod_resources import aws, config
from macros import render, theme
from macros import site as glue
from tests.browser.conftest import Recorder
from tests.browser.helpers import (
    SCHEMES,
    SitePage,
    assert_no_axe_violations,
    open_page,
    site_pages,
    wait_for_quiet_network,
)
from tests.conftest import Site
from tests.examples import Example, examples

#: One page for the module, handed to each test as a new context would start it.
pytestmark = [pytest.mark.browser, pytest.mark.shared_page]


PAGES = site_pages()
COPY_BUTTON = theme.COPY_BUTTON
NOT_COPIED = "(the copy button wrote nothing)"

#: Each example tab set: the label of its checked tab, whether only that tab's body shows, and
#: all its labels.
_TAB_STATE = """
() => [...document.querySelectorAll('div.gp-example .tabbed-set')].map(set => {
  const inputs = [...set.querySelectorAll(':scope > input')];
  const labels = [...set.querySelectorAll(':scope > .tabbed-labels > label')]
    .map(l => l.textContent.trim());
  const blocks = [...set.querySelectorAll(':scope > .tabbed-content > .tabbed-block')];
  const i = inputs.findIndex(input => input.checked);
  const shown = blocks.map(b => b.getClientRects().length > 0);
  return [labels[i], shown.every((s, j) => s === (j === i)), labels];
})
"""


def pages_with_examples(site: Site, at_least: int = 1) -> list[tuple[SitePage, list[Example]]]:
    found = [(p, examples(site.soup(p.built), p.built)) for p in PAGES]
    return [(p, exs) for p, exs in found if len(exs) >= at_least]


def wait_until(check: Callable[[], Any], timeout: float = 10.0) -> Any:
    """Poll ``check`` until it returns something truthy or ``timeout`` passes; return the last."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.02)  # each check is a round trip to the page already


def tab_label(scope: Any, label: str) -> Any:
    return scope.locator(".tabbed-labels > label").filter(
        has_text=re.compile(rf"^\s*{re.escape(label)}\s*$")
    )


def all_tabs_show(page: Any, label: str) -> bool:
    """Every example tab set that has ``label`` (at least two) shows that tab, and only it."""
    having = [
        (checked, only) for checked, only, labels in page.evaluate(_TAB_STATE) if label in labels
    ]
    return len(having) >= 2 and all(checked == label and only for checked, only in having)


def tabs_settle_on(page: Any, label: str) -> bool:
    """Wait (Material switches linked tabs from a script) until ``all_tabs_show(label)``."""
    return bool(wait_until(lambda: all_tabs_show(page, label), 10))


def linked_label(page: Any, ex: Example, besides: str) -> str:
    """A label of ``ex`` other than ``besides`` that at least one other example shares."""
    state = page.evaluate(_TAB_STATE)
    shared = [lab for lab in ex.tabs if lab != besides and sum(lab in s[2] for s in state) >= 2]
    assert shared, f"{ex.page} {ex.kind}: no tab label shared with another example: {state}"
    return render.TAB_CONFIG if render.TAB_CONFIG in shared else shared[0]


# --- linked content tabs ----------------------------------------------------------------------


def test_linked_tabs_switch_every_example_and_survive_reload(
    page: Any, base_url: str, recorder: Recorder, site: Site
) -> None:
    """Choosing a tab in one example switches every example on the page; a reload keeps it,
    and so does the next page (Material keeps the choice for the whole site)."""
    pages = pages_with_examples(site, at_least=2)
    assert pages, "no page with two examples to link"
    chosen = ""
    for site_page, exs in pages:
        open_page(page, base_url, site_page)
        if chosen and sum(chosen in s[2] for s in page.evaluate(_TAB_STATE)) >= 2:
            assert all_tabs_show(page, chosen), (
                f"{site_page.url_path}: {chosen!r} chosen on the page before, shows "
                f"{page.evaluate(_TAB_STATE)}"
            )
        current = page.evaluate(_TAB_STATE)[-1][0]
        target = linked_label(page, exs[-1], besides=current)
        last = page.locator("div.gp-example").nth(len(exs) - 1)
        last.scroll_into_view_if_needed()
        tab_label(last, target).click()
        assert tabs_settle_on(page, target), (
            f"{site_page.url_path}: after choosing {target!r} in the last example: "
            f"{page.evaluate(_TAB_STATE)}"
        )
        page.reload(wait_until="load")
        assert tabs_settle_on(page, target), (
            f"{site_page.url_path}: after reload: {page.evaluate(_TAB_STATE)}"
        )
        chosen = linked_label(page, exs[0], besides=target)
        first = page.locator("div.gp-example").first
        first.scroll_into_view_if_needed()
        tab_label(first, chosen).click()
        assert tabs_settle_on(page, chosen), (
            f"{site_page.url_path}: after choosing {chosen!r} in the first example: "
            f"{page.evaluate(_TAB_STATE)}"
        )
    recorder.assert_clean()


# --- copy buttons -----------------------------------------------------------------------------


def read_clipboard(page: Any) -> str:
    return str(page.evaluate("navigator.clipboard.readText()"))


#: Read the clipboard, then reset it to ``next`` for the following click: one round trip.
_TAKE_CLIPBOARD = """
async next => {
  const text = await navigator.clipboard.readText();
  await navigator.clipboard.writeText(next);
  return text;
}
"""

#: Number the copy buttons of the code blocks outside the examples (``data-gp-copy``); for each:
#: the text its block shows (without the final newline), whether the block is visible (a block
#: folded away in a <details> is not) and whether it got its button. Material mounts a block (adds
#: its button) once it is on screen (``content.lazy``): each visible block is scrolled to and its
#: button waited for, as a reader's scrolling brings it.
_LIVE_BLOCKS = """
async selector => {
  const out = [];
  const blocks = [...document.querySelectorAll('pre:not(div.gp-example pre)')];
  for (const [k, pre] of blocks.entries()) {
    const code = pre.querySelector('code');
    const box = pre.getBoundingClientRect();
    const visible = box.width > 0 && box.height > 0
      && getComputedStyle(pre).visibility !== 'hidden'
      && !pre.closest('details:not([open])');
    let button = null;
    if (visible) {
      pre.scrollIntoView({block: 'center', behavior: 'instant'});
      for (let t = 0; t < 150 && !(button = pre.querySelector(selector)); t++)
        await new Promise(r => setTimeout(r, 20));
      if (button) button.dataset.gpCopy = String(k);
    }
    out.push([(code ? code.textContent : '').replace(/\\n$/, ''), visible, button !== null]);
  }
  return out;
}
"""


#: Reset the clipboard to ``next``, bring copy button ``k`` to the middle of the viewport at once
#: (no smooth scrolling) and return the point a reader's mouse would click.
_AIM_AT_COPY_BUTTON = """
async ([k, next]) => {
  await navigator.clipboard.writeText(next);
  const button = document.querySelector(`[data-gp-copy='${k}']`);
  button.scrollIntoView({block: 'center', inline: 'center', behavior: 'instant'});
  const box = button.getBoundingClientRect();
  return [box.x + box.width / 2, box.y + box.height / 2];
}
"""


def take_copy(page: Any) -> str:
    """What the click just made put on the clipboard, leaving ``NOT_COPIED`` there for the next
    one; a copy that completes after the click returned is waited for (up to 5 s)."""
    copied = str(page.evaluate(_TAKE_CLIPBOARD, NOT_COPIED))
    if copied == NOT_COPIED:
        copied = str(wait_until(lambda: (t := read_clipboard(page)) != NOT_COPIED and t, 5) or "")
        page.evaluate("text => navigator.clipboard.writeText(text)", NOT_COPIED)
    return copied or NOT_COPIED


def click_numbered_copy_button(page: Any, k: int) -> str:
    """Click copy button ``k`` (numbered by ``_LIVE_BLOCKS``) with the mouse; return the copy.

    The same real click as Playwright's ``click()`` in two round trips instead of its
    actionability checks: if anything covered the button, the click would land on that instead
    and the clipboard would keep ``NOT_COPIED`` (the check fails, it does not pass silently).
    """
    x, y = page.evaluate(_AIM_AT_COPY_BUTTON, [k, NOT_COPIED])
    page.mouse.click(x, y)
    return take_copy(page)


def click_copy(page: Any, button: Any) -> str:
    """Click the copy ``button`` (a real mouse click); return what landed on the clipboard.

    The clipboard holds ``NOT_COPIED`` before the click (reset by the previous read, in the same
    round trip). Playwright's actionability waits stay: a linked-tab switch scrolls the page
    after the tab click, and a click must not land where the button was before that.
    """
    button.click()
    return take_copy(page)


#: The in-page half of the copy checks: for each job, bring the element to the middle of the
#: viewport, prove it is what a pointer at its centre would hit (Playwright's hit-target check:
#: shown and not covered), click it; for a copy button, return what the clipboard then holds
#: (reset to ``notCopied`` before each click). A job is ``["block", k]`` (copy button ``k`` as
#: numbered by ``_LIVE_BLOCKS``) or ``["tab", i, label, n]`` (in example ``i``: click the tab
#: ``label``, then every copy button of tab block ``n``, in order). One round trip for as many as
#: the evaluate's user gesture (which the copy needs, as after a click) lasts: ``click_all``.
_CLICK_ALL = """
async ([selector, notCopied, jobs]) => {
  const hit = (el, what) => {
    el.scrollIntoView({block: 'center', inline: 'center', behavior: 'instant'});
    const box = el.getBoundingClientRect();
    const top = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
    if (!(box.width > 0 && box.height > 0) || !top || !el.contains(top)) {
      const instead = top ? top.outerHTML.slice(0, 120) : 'nothing';
      throw new Error(`${what}: not clickable at its centre, which hits ${instead}`);
    }
    el.click();
  };
  // Material mounts a block (adds its copy button) once it is on screen (content.lazy).
  const buttonOf = async (pre, what) => {
    pre.scrollIntoView({block: 'center', inline: 'center', behavior: 'instant'});
    for (let t = 0; t < 150; t++) {
      const button = pre.querySelector(selector);
      if (button) return button;
      await new Promise(r => setTimeout(r, 20));
    }
    throw new Error(`${what}: no copy button once the block was on screen`);
  };
  const copy = async (button, what) => {
    await navigator.clipboard.writeText(notCopied);
    hit(button, what);
    for (let t = 0; t < 100; t++) {
      const text = await navigator.clipboard.readText();
      if (text !== notCopied) return text;
      await new Promise(r => setTimeout(r, 20));
    }
    return notCopied;
  };
  const out = [];
  // The gesture this evaluate runs with expires after a few seconds (sooner on a busy machine);
  // without it the copy fails. Return what is done: the caller calls again with a fresh one.
  // A copy that wrote nothing once the gesture had lapsed is given that fresh gesture (its job
  // is redone), unless it was this call's first job: then it had one, and "nothing" stands.
  const lapsed = text => text === notCopied && !navigator.userActivation.isActive && out.length;
  for (const job of jobs) {
    if (!navigator.userActivation.isActive) return out;
    if (job[0] === 'block') {
      const button = document.querySelector(`[data-gp-copy='${job[1]}']`);
      const text = await copy(button, `block ${job[1]}`);
      if (lapsed(text)) return out;
      out.push(text);
      continue;
    }
    const [, i, label, n] = job;
    const example = document.querySelectorAll('div.gp-example')[i];
    const tab = [...example.querySelectorAll('.tabbed-labels > label')]
      .find(l => l.textContent.trim() === label);
    hit(tab, `example ${i} tab ${label}`);
    const block = example.querySelectorAll('.tabbed-content > .tabbed-block')[n];
    const copied = [];
    for (const pre of block.querySelectorAll('pre')) {
      const what = `example ${i} tab ${label}`;
      copied.push(await copy(await buttonOf(pre, what), what));
    }
    if (copied.some(lapsed)) return out;
    out.push(copied);
  }
  return out;
}
"""


def click_all(page: Any, jobs: list[list[object]]) -> list[Any]:
    """Run ``_CLICK_ALL`` over ``jobs``, calling again for the rest while each call does some."""
    done: list[Any] = []
    while len(done) < len(jobs):
        more = page.evaluate(_CLICK_ALL, [COPY_BUTTON, NOT_COPIED, jobs[len(done) :]])
        assert more, f"no click done with a fresh user gesture, at job {jobs[len(done)]}"
        done += more
    return done


def installer_key_paths(doc: dict[str, Any], prefix: str = "") -> list[str]:
    """Dotted paths of ``doc`` down to the first path the rules know (or to a leaf)."""
    paths = []
    for name, value in doc.items():
        path = f"{prefix}{name}"
        if path in config.INSTALLER_KEYS or not isinstance(value, dict):
            paths.append(path)
        else:
            paths += installer_key_paths(value, f"{path}.")
    return paths


def validate_against_rules(ex: Example, label: str, copied: str) -> str:
    """Check copied text against the rules module; say how (exact rules output, or key-level)."""
    if ex.kind.startswith("registry:"):
        setup = glue.build_registry_setup(ex.kind.split(":", 1)[1], ex.inputs)
        if label == render.TAB_CONFIG:
            assert yaml.safe_load(copied) == config.installer_config(setup)
            assert copied == config.installer_yaml(setup).removesuffix("\n")
            return "exact"
        if label == render.TAB_SECRET:
            command = config.secret_command(setup)
            assert command is not None, f"{ex.kind}: rules make no secret, page shows one"
            assert copied == command.removesuffix("\n")
            return "exact"
    # An example kind this file does not know yet: still hold it to the rules' vocabulary.
    if label == render.TAB_CONFIG:
        doc = yaml.safe_load(copied)
        assert doc["apiVersion"] == config.INSTALLER_API_VERSION
        for path in installer_key_paths(doc):
            config.installer_key(path)  # raises RuleError naming an unknown key
        return "keys"
    if label == render.TAB_SECRET:
        argv = shlex.split(copied.replace("\\\n", " "))
        assert argv[:3] == ["kubectl", "create", "secret"], argv
        return "shape"
    raise AssertionError(f"{ex.page} {ex.kind}: code in tab {label!r}, which the rules lack")


@pytest.mark.parametrize("site_page", PAGES, ids=[p.id for p in PAGES])
def test_copy_buttons_copy_exactly_the_snippet(
    page: Any, base_url: str, recorder: Recorder, site: Site, site_page: SitePage
) -> None:
    """Each example's copy button puts the snippet on the clipboard, and the rules agree.

    Material copies a block without its final newline (a pasted command does not run by
    itself); apart from that the clipboard holds exactly the text the page shows. Code blocks
    outside the examples are held to the same "copies what it shows". One test per page, so
    the pages spread over the xdist workers.
    """
    how: dict[str, int] = {}
    exs = examples(site.soup(site_page.built), site_page.built)
    open_page(page, base_url, site_page)
    page.evaluate("text => navigator.clipboard.writeText(text)", NOT_COPIED)
    # The first block outside the examples and the first example are clicked with Playwright's
    # mouse (a real pointer click proves the button takes one); all the others in one round
    # trip (``_CLICK_ALL``: the same hit test, then a click). Every copy is compared alike.
    # Blocks outside the examples, as the page shows them (scripts may add some).
    blocks = page.evaluate(_LIVE_BLOCKS, COPY_BUTTON)
    no_button = [k for k, (shown, visible, button) in enumerate(blocks) if visible and not button]
    assert not no_button, f"{site_page.url_path}: blocks {no_button} never got a copy button"
    live = [
        (k, shown)
        for k, (shown, visible, _) in enumerate(blocks)
        if shown and visible  # not empty, not folded away in a <details>
    ]
    copies = [click_numbered_copy_button(page, k) for k, _ in live[:1]]
    copies += click_all(page, [["block", k] for k, _ in live[1:]])
    for (k, shown), copied in zip(live, copies, strict=True):
        assert copied == shown, f"{site_page.url_path} block {k}: copied {copied!r}"
        how["as shown"] = how.get("as shown", 0) + 1
    tabs = [
        (i, ex, n, label, [c.get_text() for c in ex.tabs[label].select("pre > code")])
        for i, ex in enumerate(exs)
        for n, label in enumerate(ex.tabs)
    ]
    tabs = [t for t in tabs if t[4]]
    in_page = [t for t in tabs if t[0] > 0]
    copied_in_page = click_all(page, [["tab", i, label, n] for i, _, n, label, _ in in_page])
    by_tab = dict(zip([(i, n) for i, _, n, _, _ in in_page], copied_in_page, strict=True))
    for i, ex, n, label, snippets in tabs:
        context = f"{site_page.url_path} {ex.kind} {ex.inputs} tab {label!r}"
        if i == 0:
            where = page.locator("div.gp-example").nth(i)
            # As a reader does: the tab on screen first, then the click. Clicked at once after
            # Playwright's own scroll, Material's linked tabs put the page back where it was,
            # far from the block, which then never gets its copy button (content.lazy).
            tab = tab_label(where, label)
            tab.scroll_into_view_if_needed()
            page.wait_for_timeout(50)
            tab.click()
            shown = where.locator(".tabbed-content > .tabbed-block").nth(n).locator("pre")
            assert shown.count() == len(snippets), f"{context}: code blocks"
            copied_here = [
                click_copy(page, shown.nth(j).locator(COPY_BUTTON)) for j in range(len(snippets))
            ]
        else:
            copied_here = by_tab[(i, n)]
            assert len(copied_here) == len(snippets), f"{context}: code blocks"
        for snippet, copied in zip(snippets, copied_here, strict=True):
            assert copied == snippet.removesuffix("\n"), f"{context}: copied {copied!r}"
            kind = validate_against_rules(ex, label, copied)
            how[kind] = how.get(kind, 0) + 1
    # Every example had a snippet held to the rules, registry examples character for character.
    held = sum(n for kind, n in how.items() if kind != "as shown")
    assert held >= len(exs), f"{site_page.url_path}: {len(exs)} examples, {how}"
    registry = sum(1 for ex in exs if ex.kind.startswith("registry:"))
    assert how.get("exact", 0) >= registry, f"{site_page.url_path}: {registry} registry, {how}"
    recorder.assert_clean()


# --- search -----------------------------------------------------------------------------------


def search(page: Any, base_url: str, query: str, found: Callable[[list[str]], bool]) -> list[str]:
    """Type ``query`` into the search box of a fresh home page; return the result page paths
    once ``found`` accepts them (the index loads in a worker: results come when it is ready),
    or whatever shows after 20 s."""
    page.goto(base_url, wait_until="load")
    page.locator(theme.SEARCH_INPUT).focus()
    page.keyboard.type(query, delay=20)

    def hits() -> list[str]:
        links = page.eval_on_selector_all(theme.SEARCH_RESULT_LINK, "as => as.map(a => a.href)")
        return sorted({urlsplit(href).path for href in links})

    wait_until(lambda: found(hits()), 20)
    return hits()


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_search_finds_ecr_on_the_container_registry_page(
    page: Any, base_url: str, recorder: Recorder, scheme: str
) -> None:
    """The search dialog finds ECR, and, open with its results, passes axe in this palette."""
    page.emulate_media(color_scheme=scheme)
    found = search(page, base_url, "ECR", lambda hits: "/container-registry/" in hits)
    assert "/container-registry/" in found, f"searching 'ECR' found {found}"
    assert_no_axe_violations(page, f"the search dialog ({scheme})", theme.SEARCH_DIALOG)
    recorder.assert_clean()


def test_search_finds_the_regions_the_examples_use(
    page: Any, base_url: str, recorder: Recorder, site: Site
) -> None:
    """Typing a region code an example uses finds a page that shows that region code."""
    regions = sorted(
        {
            ex.inputs["region"]
            for _, exs in pages_with_examples(site)
            for ex in exs
            if ex.inputs.get("region") in aws.region_codes()
        }
    )
    assert regions, "no example uses an AWS region"
    by_path = {f"/{p.path}": site.soup(p.built).get_text() for p in PAGES}
    for region in regions:

        def showing(hits: list[str], region: str = region) -> list[str]:
            return [path for path in hits if region in by_path.get(path, "")]

        found = search(page, base_url, region, lambda hits: bool(showing(hits)))
        assert showing(found), f"searching {region!r} found {found}, none shows {region!r}"
    recorder.assert_clean()


# --- keyboard ---------------------------------------------------------------------------------


def tab_until(page: Any, selector: str, limit: int = 300) -> bool:
    """Press Tab until the focused element matches ``selector``; False if it never does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement?.matches(s) ?? false", selector):
            return True
    return False


def test_tabs_and_copy_buttons_work_from_the_keyboard(
    page: Any, base_url: str, recorder: Recorder, site: Site
) -> None:
    """Tab reaches a tab set, arrow keys switch it (and every linked set), Enter copies."""
    site_page, exs = pages_with_examples(site, at_least=2)[0]
    open_page(page, base_url, site_page)
    assert tab_until(page, "div.gp-example .tabbed-set > input"), "Tab never reached a tab set"
    # The focused radio button's set: its labels, and which one is checked (the focused one).
    labels, checked = page.evaluate(
        """() => {
          const set = document.activeElement.closest('.tabbed-set');
          const labels = [...set.querySelectorAll(':scope > .tabbed-labels > label')];
          const inputs = [...set.querySelectorAll(':scope > input')];
          return [labels.map(l => l.textContent.trim()), inputs.indexOf(document.activeElement)];
        }"""
    )
    following = labels[(checked + 1) % len(labels)]
    page.keyboard.press("ArrowRight")
    assert tabs_settle_on(page, following), page.evaluate(_TAB_STATE)

    assert tab_until(page, f"div.gp-example :is({COPY_BUTTON})"), "Tab never reached a copy button"
    where: tuple[int, int, str] = page.evaluate(
        """() => {
          const button = document.activeElement;
          const example = button.closest('div.gp-example');
          const set = example.querySelector('.tabbed-set');
          const blocks = [...set.querySelectorAll(':scope > .tabbed-content > .tabbed-block')];
          return [[...document.querySelectorAll('div.gp-example')].indexOf(example),
                  blocks.indexOf(button.closest('.tabbed-block')),
                  button.closest('pre').querySelector('code').textContent];
        }"""
    )
    example_index, block_index, shown = where
    page.evaluate("text => navigator.clipboard.writeText(text)", NOT_COPIED)
    page.keyboard.press("Enter")
    copied = wait_until(lambda: (t := read_clipboard(page)) != NOT_COPIED and t, 5)
    assert copied == shown.removesuffix("\n"), f"Enter on the copy button copied {copied!r}"
    ex = exs[example_index]
    validate_against_rules(ex, list(ex.tabs)[block_index], copied)
    recorder.assert_clean()


# --- palette ----------------------------------------------------------------------------------


def palette(page: Any) -> tuple[str, str]:
    return tuple(  # type: ignore[return-value]
        page.evaluate(
            "[document.body.getAttribute('data-md-color-scheme'),"
            " getComputedStyle(document.body).backgroundColor]"
        )
    )


def test_palette_toggle_switches_and_keeps_the_choice(
    page: Any, base_url: str, recorder: Recorder
) -> None:
    """The toggle flips light <-> dark (colours change, not just an attribute); reloads keep it."""
    home = PAGES[[p.path for p in PAGES].index("")]
    open_page(page, base_url, home, "light")
    light = palette(page)
    assert light[0] == "default"
    toggle = page.locator(theme.PALETTE_TOGGLE)

    toggle.click()
    dark = wait_until(lambda: (p := palette(page))[0] == "slate" and p, 5)
    assert dark, f"still {palette(page)} after the toggle"
    assert dark[1] != light[1], "the background colour did not change"
    # The palette is applied by a script in <body>, before ``load``.
    page.reload(wait_until="load")
    assert palette(page)[0] == "slate", "dark did not survive a reload"
    page.goto(base_url + PAGES[-1].path, wait_until="load")
    assert palette(page)[0] == "slate", "dark did not carry to another page"

    toggle.click()
    assert wait_until(lambda: palette(page) == light, 5), palette(page)
    page.reload(wait_until="load")
    assert palette(page) == light, "light did not survive a reload"
    wait_for_quiet_network(page, recorder, "/" + theme.SEARCH_INDEX)
    recorder.assert_clean()
