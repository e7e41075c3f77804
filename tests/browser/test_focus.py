"""Keyboard focus and target size, in Chromium, with real Tab presses.

Every element the Tab key reaches, on every page, must be on screen and show a focus indicator
that is more than a colour change: an outline at least 2 CSS px wide whose colour has 3:1
contrast with what is behind it (WCAG 1.4.11), read from the computed style while the element
matches ``:focus-visible``. A visually hidden input that takes the focus for its label (the
palette toggle, a content tab) shows the indicator on that label. Nothing invisible takes the
focus: not the search results box while the search is closed, not a zero-sized element. Copy
buttons are at least 24 x 24 CSS px (WCAG 2.2 target size).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from macros import theme
from tests.browser.helpers import SitePage, open_page, settle, site_pages

pytestmark = pytest.mark.browser

PAGES = site_pages()
DESKTOP = {"width": 1280, "height": 800}
#: Pages walked in the dark palette too (the header, the navigation, tabs, tables, the check
#: page's entries): every page in the light one.
DARK = {"", "container-registry/", "check/", "reference/s3-endpoints/"}
VISITS = [(p, "light") for p in PAGES] + [(p, "dark") for p in PAGES if p.path in DARK]
#: More Tab presses than any page has focus stops; a walk that has not come round by then fails.
LIMIT = 600

#: The focused element as a reader sees it: where the indicator is drawn (the element, or the
#: label of a hidden input), whether it is shown on screen, its outline, and the colour behind the
#: outline. Colours come back as [r, g, b, a] in 0-255 (alpha 0-1), blended over the page.
_FOCUSED = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const describe = e => {
    const cls = typeof e.className === 'string' && e.className.trim()
      ? '.' + e.className.trim().split(/\\s+/).filter(c => c !== 'focus-visible').join('.') : '';
    const text = (e.getAttribute('aria-label') || e.textContent || '').trim().replace(/\\s+/g, ' ');
    return `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${cls} "${text.slice(0, 40)}"`;
  };
  const parse = c => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return [0, 0, 0, 0];
    const v = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return [v[0], v[1], v[2], v.length > 3 ? v[3] : 1];
  };
  const over = (top, below) => {
    const a = top[3];
    return [0, 1, 2].map(i => top[i] * a + below[i] * (1 - a)).concat([1]);
  };
  const background = e => {
    const layers = [];
    for (let p = e; p; p = p.parentElement) {
      const c = parse(getComputedStyle(p).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] === 1) break;
    }
    return layers.reverse().reduce((below, c) => over(c, below), [255, 255, 255, 1]);
  };
  let shown = el;
  const box = el.getBoundingClientRect();
  if ((box.width < 1 || box.height < 1) && el.id && el.matches('input')) {
    // A content tab's label names its input. The palette's inputs share one visible label, the
    // button for the other palette (neither input need be checked: Tab lands on the first).
    const palette = el.matches('.md-option') &&
      [...el.form.querySelectorAll('label')].find(l => l.checkVisibility());
    shown = palette || document.querySelector(`label[for="${el.id}"]`) || el;
  }
  const r = shown.getBoundingClientRect();
  const cs = getComputedStyle(shown);
  const offset = parseFloat(cs.outlineOffset);
  const behind = background(offset < 0 ? shown : shown.parentElement || shown);
  return {
    focused: describe(el),
    shown: describe(shown),
    size: [r.width, r.height],
    onScreen: r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth,
    visible: shown.checkVisibility({opacityProperty: true, visibilityProperty: true}),
    outline: [cs.outlineStyle, parseFloat(cs.outlineWidth)],
    colour: over(parse(cs.outlineColor), behind),
    behind,
  };
}
"""


def luminance(rgb: list[float]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: list[float], b: list[float]) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def problems(focus: dict[str, Any]) -> list[str]:
    """What is wrong with one focused element's indicator (nothing, for a good one)."""
    out = []
    if focus["size"][0] < 1 or focus["size"][1] < 1 or not focus["visible"]:
        out.append(f"invisible ({focus['size'][0]:.0f} x {focus['size'][1]:.0f} px)")
    elif not focus["onScreen"]:
        out.append("off screen")
    style, width = focus["outline"]
    if style in ("none", "hidden") or width < 2:
        out.append(f"no outline ({style} {width:g}px)")
    elif (ratio := contrast(focus["colour"], focus["behind"])) < 3:
        out.append(f"outline at {ratio:.1f}:1 against its background")
    return out


@pytest.fixture
def desktop(browser: Any) -> Iterator[Any]:
    """A fresh browser context per test: Material keeps the palette a page chose in local
    storage, and the next page would open in it whatever the system asks for."""
    context = browser.new_context(viewport=DESKTOP)
    try:
        yield context.new_page()
    finally:
        context.close()


#: Transitions off: each press is read in its end state at once (waiting for Material's 125-250 ms
#: colour fades made the walk of the check page take half a minute).
_NO_TRANSITIONS = "*, *::before, *::after { transition: none !important; }"


def walk(page: Any) -> list[dict[str, Any]]:
    """Press Tab from the top of the page until the focus leaves the page or comes round to
    where it started; what each press focused, in its end state."""
    page.add_style_tag(content=_NO_TRANSITIONS)
    seen: list[dict[str, Any]] = []
    first = None
    for _ in range(LIMIT):
        page.keyboard.press("Tab")
        focus = page.evaluate(_FOCUSED)
        if focus is None or focus["focused"] == first:
            return seen
        first = first or focus["focused"]
        seen.append(focus)
    raise AssertionError(f"{page.url}: still tabbing after {LIMIT} presses")


@pytest.mark.parametrize(("site_page", "scheme"), VISITS, ids=[f"{p.id}-{s}" for p, s in VISITS])
def test_every_focus_stop_shows_an_outline(
    desktop: Any, base_url: str, site_page: SitePage, scheme: str
) -> None:
    open_page(desktop, base_url, site_page, scheme)
    stops = walk(desktop)
    assert len(stops) > 10, f"{site_page.url_path}: only {len(stops)} focus stops"
    wrong = [f"{f['focused']}: {', '.join(p)}" for f in stops if (p := problems(f))]
    assert not wrong, f"{site_page.url_path} ({scheme}), {len(wrong)} of {len(stops)}:\n" + (
        "\n".join(dict.fromkeys(wrong))
    )


def test_tab_from_the_search_field_skips_the_closed_results_box(
    desktop: Any, base_url: str
) -> None:
    """Material closes the search when Tab leaves its field; the next stop is the page, not the
    results box the closed search leaves zero pixels tall (it takes focus: tabindex=0)."""
    desktop.goto(base_url, wait_until="load")
    for _ in range(10):
        desktop.keyboard.press("Tab")
        if desktop.evaluate("s => document.activeElement.matches(s)", theme.SEARCH_INPUT):
            break
    else:
        raise AssertionError("Tab never reached the search field")
    desktop.keyboard.press("Tab")
    settle(desktop)
    focus = desktop.evaluate(_FOCUSED)
    assert focus is not None, "the focus left the page"
    assert "md-search" not in focus["focused"], focus
    assert not problems(focus), focus


#: Every copy button's size; Material gives a code block its buttons once it is on screen.
_COPY_BUTTONS = """
(selector) => [...document.querySelectorAll(selector)].map(b => {
  const r = b.getBoundingClientRect();
  return [b.closest('pre').textContent.trim().slice(0, 30), r.width, r.height];
})
"""


#: Open every <details> and bring each part of the page onto a tall screen in turn (two frames
#: each, for Material's observer to mount the code blocks there); the number of code blocks shown.
_MOUNT_EVERY_BLOCK = """
async (step) => {
  document.querySelectorAll('article details').forEach(d => { d.open = true; });
  const frame = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  for (let y = 0; y < document.documentElement.scrollHeight; y += step) {
    scrollTo(0, y);
    await frame();
  }
  // Material gives a block its buttons once it is shown: the blocks of the tabs shown, not the
  // builder's own blocks (no-copy: they carry their own button).
  return [...document.querySelectorAll('article pre > code')]
    .filter(c => c.checkVisibility() && !c.closest('.no-copy')).length;
}
"""


def test_copy_buttons_are_at_least_24_px(desktop: Any, base_url: str) -> None:
    """Every copy button of every page (every <details> opened, every block brought on screen
    so that Material mounts it) is at least 24 x 24 CSS px."""
    measured = 0
    small = []
    tall = {"width": DESKTOP["width"], "height": 8000}
    desktop.set_viewport_size(tall)
    try:
        for site_page in PAGES:
            open_page(desktop, base_url, site_page)
            blocks = desktop.evaluate(_MOUNT_EVERY_BLOCK, tall["height"] - 500)
            desktop.wait_for_function(
                "([s, n]) => document.querySelectorAll(s).length >= n",
                arg=[theme.COPY_BUTTON, blocks],
            )
            sizes = desktop.evaluate(_COPY_BUTTONS, theme.COPY_BUTTON)
            measured += len(sizes)
            small += [
                (site_page.url_path, code, round(w, 1), round(h, 1))
                for code, w, h in sizes
                if w < 24 or h < 24
            ]
    finally:
        desktop.set_viewport_size(DESKTOP)
    assert measured > 100, f"only {measured} copy buttons measured"
    assert not small, f"{len(small)} of {measured} copy buttons under 24 x 24 px: {small[:5]}"
