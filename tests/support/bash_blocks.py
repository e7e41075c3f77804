"""The bash blocks of a built page in the order a reader runs them, whichever tab they pick:
which variable a block reads before any earlier block (or itself) set it.

A page's tab sets outside the examples (region, CA) are alternatives the reader picks one of, and
sets with the same labels switch together (linked tabs); an example's tabs are views of one
config, any of which the reader may use. Shared by the platform-page and prose tests.
"""

from __future__ import annotations

import itertools
import re

from bs4 import BeautifulSoup, Tag

#: Where a block sets a variable: ``NAME=`` at a line's start or after a space (``export A=a
#: B=b``, ``env A=a cmd``), and the names ``read`` reads into (``read -rsp 'Prompt: ' NAME``).
SETS = re.compile(
    r"(?m)(?:^|\s)([A-Z_][A-Z0-9_]*)=|read -r[a-z]*(?: '[^']*')? ([A-Z0-9_ ]+?)(?: <|$| &&)"
)
USES = re.compile(r"\$\{?([A-Z_][A-Z0-9_]*)")


def _labels(tabbed: Tag) -> list[str]:
    return [lab.get_text(strip=True) for lab in tabbed.select(":scope > .tabbed-labels > label")]


def _in_example(el: Tag) -> bool:
    return el.find_parent("div", class_="gp-example") is not None


def linked_choices(soup: BeautifulSoup) -> list[dict[str, str]]:
    """Every choice a reader can make among the page's tab sets outside the examples: one label
    per set of labels (linked sets choose alike). One empty choice on a page without any."""
    groups: dict[str, list[str]] = {}
    for tabbed in soup.select("article .tabbed-set"):
        if _in_example(tabbed) or tabbed.find_parent("div", class_="gp-example"):
            continue
        labels = _labels(tabbed)
        groups["|".join(labels)] = labels
    keys = list(groups)
    return [dict(zip(keys, c, strict=True)) for c in itertools.product(*groups.values())]


def shown(el: Tag, choice: dict[str, str]) -> bool:
    """Whether ``el`` is in the tab the reader picked, in every enclosing tab set."""
    for block in el.find_parents("div", class_="tabbed-block"):
        if _in_example(block):
            continue
        tabbed = block.find_parent("div", class_="tabbed-set")
        assert tabbed is not None
        labels = _labels(tabbed)
        index = tabbed.select(":scope > .tabbed-content > .tabbed-block").index(block)
        if choice["|".join(labels)] != labels[index]:
            return False
    return True


def undefined_reads(soup: BeautifulSoup) -> list[tuple[dict[str, str], str, str]]:
    """(tab choice, variable, block) for each variable a block reads before it is set."""
    found = []
    for choice in linked_choices(soup):
        defined: set[str] = set()
        for code in soup.select("article div.language-bash pre code"):
            if not shown(code, choice):
                continue
            text = code.get_text()
            events = [(m.start(), "set", m[1] or m[2]) for m in SETS.finditer(text)]
            events += [(m.start(), "use", m[1]) for m in USES.finditer(text)]
            for _, kind, names in sorted(events):
                for variable in names.split():
                    if kind == "set":
                        defined.add(variable)
                    elif variable not in defined:
                        found.append((choice, variable, text))
    return found
