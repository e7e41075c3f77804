"""Pre-wrapped tables (macros/table_hooks.py) look and behave exactly as Material's own.

Oracle: Material itself. One small page with every kind of table the guide has (plain, aligned,
code and links inside, in an admonition, in each tab of a tab set, wider than a phone) is built
twice with the project's configuration: once as it is, once without the table hook, where
Material's script wraps the tables on load. In Chromium, on a phone in the dark palette and on a
desktop in the light one, after load:
- the content's markup is the same, but for our class on each table;
- every element of the content has the same computed style, property by property;
- a hovered row has the same style (Material's row highlight);
- no table is wrapped twice, and no table is left for Material's script to move.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from macros.table_hooks import PREWRAPPED_CLASS
from scripts.static_server import serve
from tests.browser.helpers import SCHEMES
from tests.sites.test_failure_modes import small_site
from tests.sites.warm_mkdocs import mkdocs_build_warm

pytestmark = pytest.mark.browser

TABLE_HOOK = "macros/table_hooks.py"

PAGE = """# Tables

| Name | Centre | Right |
|:-----|:------:|------:|
| `us-east-1` | <small>note</small> | [link](#tables) |
| plain | **bold** | 3 |

Text right after a table.

!!! note "In an admonition"

    | A | B |
    |---|---|
    | `a` | b |

=== "First tab"

    | Only in the first tab | Value |
    |---|---|
    | x | `y` |

=== "Second tab"

    | Only in the second tab | Value |
    |---|---|
    | z | w |

| c1 | c2 | c3 | c4 | c5 | c6 | c7 | c8 |
|----|----|----|----|----|----|----|----|
| `eu-central-1.amazonaws.com` | `ap-southeast-4.amazonaws.com` | wide | wide | wide | w | w | w |

<table class="author-chosen"><tr><td>A table with a class: neither wraps it</td></tr></table>
"""

VIEWPORTS = {"phone": {"width": 412, "height": 823}, "desktop": {"width": 1280, "height": 800}}
#: Each viewport once and each palette once: the table rules have no rule for one palette at one
#: width (Material's only media query among them is print), so pairs cover what can differ.
COMBINATIONS = [("phone", "dark"), ("desktop", "light")]

#: Every element of the content: its tag and classes (without ours), its computed style. As one
#: JSON string, or (``digest`` true) its SHA-256 only: the snapshot is megabytes, and handing it
#: over costs more than taking it, so the full one is fetched only to name a difference.
_SNAPSHOT = """
async ([cls, digest]) => {
  const root = document.querySelector('article');
  const els = [root, ...root.querySelectorAll('*')];
  const snapshot = JSON.stringify(els.map(el => {
    const cs = getComputedStyle(el);
    const style = {};
    // Rendered properties only: custom properties (--md-*) are inputs to them, and their order
    // differs between two documents.
    for (const name of cs) if (!name.startsWith('--')) style[name] = cs.getPropertyValue(name);
    const classes = [...el.classList].filter(c => c !== cls).join(' ');
    return [el.tagName + (classes ? '.' + classes : ''), style];
  }));
  if (!digest) return snapshot;
  const hash = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(snapshot));
  return [...new Uint8Array(hash)].map(b => b.toString(16).padStart(2, '0')).join('');
}
"""

_MARKUP = """
(cls) => document.querySelector('article').innerHTML.replaceAll(` class="${cls}"`, '')
"""

_WRAPPING = """
() => ({
  classless: document.querySelectorAll('article table:not([class])').length,
  twice: document.querySelectorAll('.md-typeset__table .md-typeset__table').length,
  wrapped: document.querySelectorAll('.md-typeset__scrollwrap > .md-typeset__table > table').length,
})
"""


@pytest.fixture(scope="module")
def two_sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """{"hook": base URL, "material": base URL}: the page built with and without the hook."""
    built: dict[str, Path] = {}
    for name in ("hook", "material"):
        where = tmp_path_factory.mktemp(f"tables-{name}")
        config = small_site(where, {"index.md": PAGE})
        if name == "material":
            cfg = yaml.safe_load(config.read_text())
            cfg["hooks"] = [h for h in cfg["hooks"] if not h.endswith(TABLE_HOOK)]
            config.write_text(yaml.safe_dump(cfg, sort_keys=False))
        result = mkdocs_build_warm(config, where / "site")
        assert result.returncode == 0, result.stderr
        built[name] = where / "site"
    with serve(built["hook"]) as hook, serve(built["material"]) as material:
        yield {"hook": hook, "material": material}


def _load(context: Any, base: str, scheme: str) -> Any:
    page = context.new_page()
    page.goto(base, wait_until="load")
    assert page.evaluate("document.body.dataset.mdColorScheme") == SCHEMES[scheme]
    page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
    return page


@pytest.mark.parametrize(
    ("viewport", "scheme"), COMBINATIONS, ids=[f"{v}-{s}" for v, s in COMBINATIONS]
)
def test_prewrapped_tables_equal_materials(
    browser: Any, two_sites: dict[str, str], viewport: str, scheme: str
) -> None:
    # One context for both: the two sites are two origins, so nothing is shared between them.
    context = browser.new_context(viewport=VIEWPORTS[viewport], color_scheme=scheme)
    pages = {name: _load(context, base, scheme) for name, base in two_sites.items()}
    try:
        hook, material = pages["hook"], pages["material"]
        # Material wrapped its class-less tables; ours were written wrapped and it left them.
        assert material.evaluate(_WRAPPING) == {"classless": 5, "twice": 0, "wrapped": 5}
        assert hook.evaluate(_WRAPPING) == {"classless": 0, "twice": 0, "wrapped": 5}
        assert hook.evaluate(_MARKUP, PREWRAPPED_CLASS) == material.evaluate(_MARKUP, "")

        digests = (
            hook.evaluate(_SNAPSHOT, [PREWRAPPED_CLASS, True]),
            material.evaluate(_SNAPSHOT, ["", True]),
        )
        if digests[0] != digests[1]:
            ours = json.loads(hook.evaluate(_SNAPSHOT, [PREWRAPPED_CLASS, False]))
            theirs = json.loads(material.evaluate(_SNAPSHOT, ["", False]))
            assert [tag for tag, _ in ours] == [tag for tag, _ in theirs]
            differences = [
                f"{tag}: {name} = {style.get(name)!r}, Material's {other.get(name)!r}"
                for (tag, style), (_, other) in zip(ours, theirs, strict=True)
                for name in sorted(set(style) | set(other))
                if style.get(name) != other.get(name)
            ]
            raise AssertionError(
                f"{len(differences)} computed-style differences:\n" + "\n".join(differences[:20])
            )

        hovered = {}
        for name, page in pages.items():
            row = page.locator("article table tbody tr").first
            box = row.bounding_box()  # the first table is on the first screen
            page.mouse.move(box["x"] + 5, box["y"] + 5)  # a real pointer over the row
            page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
            hovered[name] = row.evaluate(
                "r => [r.matches(':hover'), ...['background-color', 'box-shadow']"
                ".map(p => getComputedStyle(r)[p])]"
            )
        assert hovered["hook"] == hovered["material"]
        assert hovered["hook"][0], "the pointer should be over the row"
        assert hovered["hook"][2] != "none", "the hovered row should carry Material's highlight"
    finally:
        context.close()
