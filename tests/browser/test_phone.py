"""Every page on a phone, 360 and 390 CSS px wide (touch, mobile viewport): no identifier broken
inside a word, every table's last column reachable, the check page collapsed and each check's
anchor opening its entry.

Broken words are measured, not guessed: each word of the article's text is a DOM Range, and a
word whose Range has boxes on two lines is broken. Inline code is held harder, since it is an
identifier: code in a table stays on one line (the table scrolls sideways), and code elsewhere
that fits its line stays on one line; only code wider than a line may wrap, and then between
words only (at a dot, a slash, a hyphen or a space). Every <details> is opened and every content
tab shown first, so folded text is measured too; code blocks (<pre>) scroll and are left out.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from gitpod_resources.checker import all_checks
from gitpod_resources.checker.model import SITE_URL
from macros import theme
from macros.code_markup import LONG_INLINE, inline_breaks
from tests.browser.helpers import SitePage, site_pages

PHONES = {"360": {"width": 360, "height": 740}, "390": {"width": 390, "height": 844}}
PAGES = site_pages()
CHECK = next(p for p in PAGES if p.source == "check.md")

#: Shows every tab's block (only the checked one shows), so its text is laid out and measured at
#: the width it has when its tab is chosen.
_SHOW_EVERY_TAB = f"{theme.TABBED_SET} > .tabbed-content > {theme.TABBED_BLOCK} {{display: block}}"

#: The broken words of the article: "where: word (in its text)".
_BROKEN = """
(article) => {
  const root = document.querySelector(article);
  root.querySelectorAll('details').forEach(d => { d.open = true; });
  const lines = range => new Set([...range.getClientRects()].filter(r => r.width > 0)
    .map(r => Math.round(r.bottom))).size;
  const rangeOf = (node, start, end) => {
    const r = document.createRange(); r.setStart(node, start); r.setEnd(node, end); return r;
  };
  const split = (node, pattern) => [...node.data.matchAll(pattern)]
    .filter(m => lines(rangeOf(node, m.index, m.index + m[0].length)) > 1).map(m => m[0]);
  const shown = el => el.getClientRects().length > 0;
  const WORD = /[\\p{L}\\p{N}_]+/gu;
  const out = [];
  const codes = new Set();
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || !shown(el) || el.closest('pre, script, style')) continue;
    const code = el.closest('code, kbd, samp');
    const cell = el.closest('td, th') ? 'table' : 'text';
    if (!code) {
      const context = n.data.trim().slice(0, 60);
      for (const w of split(n, WORD)) out.push(`${cell}: ${w} (in ${context})`);
      continue;
    }
    if (codes.has(code)) continue;
    codes.add(code);
    const whole = document.createRange(); whole.selectNodeContents(code);
    const text = code.textContent;
    if (lines(whole) < 2) continue;
    if (code.closest('td, th')) {
      out.push(`table code on ${lines(whole)} lines: ${text}`);
      continue;
    }
    let block = code.parentElement;
    while (getComputedStyle(block).display.startsWith('inline')) block = block.parentElement;
    // Its width on one line: a copy that does not wrap, in the same block (same font).
    const copy = code.cloneNode(true);
    copy.style.cssText = 'position: absolute; visibility: hidden; white-space: nowrap; '
      + 'display: inline-block; max-width: none';
    copy.querySelectorAll('wbr').forEach(w => w.remove());  // a break even under nowrap
    block.appendChild(copy);
    const natural = copy.getBoundingClientRect().width;
    copy.remove();
    const bs = getComputedStyle(block);
    const line = block.clientWidth - parseFloat(bs.paddingLeft) - parseFloat(bs.paddingRight);
    if (natural <= line) {
      const fits = `${Math.round(natural)} of ${Math.round(line)} px`;
      out.push(`code that fits its line (${fits}) on ${lines(whole)} lines: ${text}`);
      continue;
    }
    const inner = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    for (let t = inner.nextNode(); t; t = inner.nextNode()) {
      for (const w of split(t, WORD)) out.push(`long code: ${w} (in ${text})`);
    }
  }
  return out;
}
"""

#: Each table of the article whose last column is out of reach once every box around it is
#: scrolled to its right end: a cell past the screen's edge or cut off by a box that does not
#: scroll; and each table that scrolls sideways with no focus stop to scroll it from.
_UNREACHABLE = """
([article, width]) => {
  const root = document.querySelector(article);
  root.querySelectorAll('details').forEach(d => { d.open = true; });
  const out = [];
  [...root.querySelectorAll('table')].forEach((table, i) => {
    if (!table.getClientRects().length) return;
    const boxes = [];
    for (let p = table.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o !== 'visible') boxes.push([p, o]);
    }
    const scrolling = o => o === 'auto' || o === 'scroll';
    for (const [box, o] of boxes) if (scrolling(o)) box.scrollLeft = box.scrollWidth;
    const scrolls = boxes.find(([b, o]) => scrolling(o) && b.scrollWidth > b.clientWidth + 1);
    const focusable = 'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])';
    if (scrolls && !scrolls[0].matches(focusable) && !scrolls[0].querySelector(focusable)) {
      out.push(`table ${i + 1} scrolls sideways but holds no focus stop`);
    }
    for (const row of table.rows) {
      const cell = row.cells[row.cells.length - 1];
      const r = cell.getBoundingClientRect();
      let right = width;
      for (const [box] of boxes) right = Math.min(right, box.getBoundingClientRect().right);
      if (r.right > right + 1) {
        const name = cell.textContent.trim().slice(0, 40);
        const ends = `ends at ${Math.round(r.right)} px, visible to ${Math.round(right)}`;
        out.push(`table ${i + 1}: last cell "${name}" ${ends}`);
        break;
      }
    }
  });
  return out;
}
"""


CASES = [(w, p) for w in PHONES for p in PAGES]
ON_EVERY_PAGE = pytest.mark.parametrize(
    ("phone_name", "phone_page"), CASES, ids=[f"{w}-{p.id}" for w, p in CASES]
)


@pytest.fixture(scope="module")
def phones(browser: Any) -> Iterator[dict[str, Any]]:
    """One mobile context per phone width for the module, a page each."""
    contexts = {
        name: browser.new_context(viewport=size, is_mobile=True, has_touch=True)
        for name, size in PHONES.items()
    }
    try:
        yield {name: c.new_page() for name, c in contexts.items()}
    finally:
        for c in contexts.values():
            c.close()


@pytest.fixture
def phone(phones: dict[str, Any], base_url: str, phone_name: str, phone_page: SitePage) -> Any:
    """The page of the test's phone with the test's site page loaded, every tab shown."""
    phone = phones[phone_name]
    response = phone.goto(base_url + phone_page.path, wait_until="load")
    assert response is not None and response.status == 200, phone_page.url_path
    phone.add_style_tag(content=_SHOW_EVERY_TAB)
    return phone


@pytest.mark.browser
@ON_EVERY_PAGE
def test_no_identifier_breaks_inside_a_word(
    phone: Any, phone_name: str, phone_page: SitePage
) -> None:
    broken = phone.evaluate(_BROKEN, theme.ARTICLE)
    assert not broken, (
        f"{phone_page.url_path} at {phone_name} px: {len(broken)} broken\n" + "\n".join(broken[:12])
    )


@pytest.mark.browser
@ON_EVERY_PAGE
def test_every_tables_last_column_is_reachable(
    phone: Any, phone_name: str, phone_page: SitePage
) -> None:
    found = phone.evaluate(_UNREACHABLE, [theme.ARTICLE, PHONES[phone_name]["width"]])
    assert not found, f"{phone_page.url_path} at {phone_name} px:\n" + "\n".join(found)


#: Per check entry: is it open, how tall is it, is its example shown.
_ENTRIES = """
() => [...document.querySelectorAll('.gp-check')].map(div => {
  const details = div.querySelector('details');
  return [div.dataset.code, !!(details && details.open), div.getBoundingClientRect().height,
          div.querySelector('pre').checkVisibility()];
})
"""


@pytest.mark.browser
@pytest.mark.parametrize("phone_name", list(PHONES))
def test_check_page_entries_are_collapsed(
    phones: dict[str, Any], base_url: str, phone_name: str
) -> None:
    """Unlinked, every check is one short line (code, title, severity) whose details open on
    demand: the example and the fix take no room until then."""
    phone = phones[phone_name]
    response = phone.goto(base_url + CHECK.path, wait_until="load")
    assert response is not None and response.status == 200
    entries = phone.evaluate(_ENTRIES)
    assert len(entries) == len(all_checks())
    screen = PHONES[phone_name]["height"]
    tall = [(code, round(h)) for code, is_open, h, shown in entries if is_open or shown]
    assert not tall, f"entries open or showing their example: {tall}"
    tall = [(code, round(h)) for code, _, h, _ in entries if h > screen / 6]
    assert not tall, f"collapsed entries taller than a sixth of the {screen} px screen: {tall}"


#: Whether the entry holding the element with this id is open, its example laid out, and its line
#: (summary) on screen below the header.
_SHOWN = """
([id, header]) => {
  const target = document.getElementById(id);
  const entry = target && target.closest('.gp-check');
  if (!entry) return 'no check entry holds #' + id;
  const details = entry.querySelector('details');
  if (!details) return 'the entry does not open or close';
  const line = entry.querySelector('summary').getBoundingClientRect();
  const top = document.querySelector(header).getBoundingClientRect().bottom;
  const example = entry.querySelector('pre');
  if (!details.open) return 'closed';
  if (!example.checkVisibility()) return 'example not shown';
  if (line.top < top - 1 || line.bottom > innerHeight) {
    return `entry line at ${Math.round(line.top)} px, shown: ${Math.round(top)}-${innerHeight}`;
  }
  return 'shown';
}
"""


def shown(phone: Any, anchor: str) -> str:
    """'shown' once the page shows the entry of ``anchor`` (Material opens and scrolls it after
    the navigation, in its own time), else what is wrong with it after 5 s."""
    args = [anchor, theme.HEADER]
    with contextlib.suppress(PlaywrightTimeout):
        phone.wait_for_function(f"args => ({_SHOWN})(args) === 'shown'", arg=args, timeout=5000)
    return str(phone.evaluate(_SHOWN, args))


def check_anchors() -> list[str]:
    """Every check's anchor on the check page; the checker's docs link is that anchor for every
    check whose explanation is not on a guide page."""
    anchors = [chk.anchor for chk in all_checks()]
    linked = [
        chk.docs_url.removeprefix(SITE_URL).partition("#")
        for chk in all_checks()
        if chk.docs_url.startswith(f"{SITE_URL}{CHECK.path}#")
    ]
    assert linked and all(anchor in anchors for _, _, anchor in linked)
    return anchors


@pytest.mark.browser
def test_every_check_anchor_opens_its_entry(phones: dict[str, Any], base_url: str) -> None:
    """The checker's docs links (…/check/#reg201) open the entry they name and scroll it into
    view: opened from elsewhere (a fresh load with the anchor, for the first, a middle and the last
    check) and followed on the page (every check, one after the other)."""
    phone = phones["390"]
    anchors = check_anchors()
    wrong = {}
    for anchor in (anchors[0], anchors[len(anchors) // 2], anchors[-1]):
        phone.goto("about:blank")
        phone.goto(f"{base_url}{CHECK.path}#{anchor}", wait_until="load")
        if (state := shown(phone, anchor)) != "shown":
            wrong[f"load #{anchor}"] = state
    for anchor in anchors:
        phone.goto(f"{base_url}{CHECK.path}#{anchor}")
        if (state := shown(phone, anchor)) != "shown":
            wrong[f"#{anchor}"] = state
    assert not wrong, f"check anchors that do not show their entry: {wrong}"
    assert urlsplit(phone.url).fragment == anchors[-1]


def test_long_inline_code_gets_break_opportunities_between_words_only() -> None:
    """macros/code_markup.py: <wbr> before dots and after slashes of long inline code, none in
    short code, code blocks or tables, and the text unchanged."""
    long = "europe-west2-docker.pkg.dev/my-gcp-project/gitpod"
    short = "s3.eu-west-2.amazonaws.com"[: LONG_INLINE - 1]
    html = (
        f"<p><code>{long}</code> <code>{short}</code> "
        "<code>&lt;location&gt;-docker.pkg.dev/&lt;project-id&gt;</code></p>"
        f"<pre><span></span><code>{long}</code></pre>"
        f"<table><tr><td><code>{long}</code></td></tr></table>"
    )
    out = inline_breaks(html)
    text = BeautifulSoup(html, "html.parser").get_text()
    assert BeautifulSoup(out, "html.parser").get_text() == text
    assert "europe-west2-docker<wbr>.pkg<wbr>.dev/<wbr>my-gcp-project/<wbr>gitpod" in out
    assert f"<code>{short}</code>" in out
    assert "-docker<wbr>.pkg<wbr>.dev/<wbr>&lt;project-id&gt;" in out
    assert f"<pre><span></span><code>{long}</code></pre>" in out
    assert f"<td><code>{long}</code></td>" in out
