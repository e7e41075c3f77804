"""Every page on a small phone (360 x 740 CSS px, touch, mobile viewport): nothing makes the page
scroll sideways. Wide tables and long code lines must scroll inside their own box, as Material
intends; one that pushes the page wider makes every line of prose slide under the reader's thumb.

One context for the module (a small phone does not need a fresh one per page); each page is its
own test, named after the page.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.helpers import SitePage, site_pages

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}

#: Elements that stick out to the right of the phone's width and are not inside a box that
#: scrolls or clips them, with the page's scroll width and the viewport's width. On a mobile
#: viewport a page wider than the phone also widens the viewport (the browser zooms out to fit
#: it, and everything gets smaller), so all three are measured against the phone's width.
_SIDEWAYS = """
(width) => {
  const clips = el => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(p).overflowX)) return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width && r.right > width + 1 && !clips(el)) {
      const name = typeof el.className === 'string' && el.className.trim()
        ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
      out.push(`${el.tagName.toLowerCase()}${name} right=${Math.round(r.right)}`);
    }
  }
  const scrollWidth = document.documentElement.scrollWidth;
  return {scrollWidth, innerWidth, offenders: out.slice(0, 5)};
}
"""


@pytest.fixture(scope="module")
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.mark.parametrize("site_page", site_pages(), ids=lambda p: p.id)
def test_nothing_makes_the_page_scroll_sideways(
    phone: Any, base_url: str, site_page: SitePage
) -> None:
    response = phone.goto(base_url + site_page.path, wait_until="load")
    assert response is not None and response.status == 200
    found = phone.evaluate(_SIDEWAYS, PHONE["width"])
    wide = max(found["scrollWidth"], found["innerWidth"])
    assert wide <= PHONE["width"] and not found["offenders"], (
        f"{site_page.url_path} on a {PHONE['width']} px phone scrolls sideways: {found}"
    )
