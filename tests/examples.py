"""Read the provider examples back out of the built HTML, the way a reader copies them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import yaml
from bs4 import BeautifulSoup, Tag


@dataclass
class Example:
    page: str
    kind: str
    inputs: dict[str, str]
    tabs: dict[str, Tag]

    def kots_rows(self, label: str = "Admin console") -> list[tuple[str, str]]:
        rows = []
        for tr in self.tabs[label].select("table tbody tr"):
            cells = tr.find_all("td")
            rows.append((cells[0].get_text(), cells[1].get_text()))
        return rows

    def code(self, label: str) -> str | None:
        block = self.tabs[label].select_one("pre code")
        return None if block is None else block.get_text()

    def yaml(self, label: str = "Installer config") -> Any:
        text = self.code(label)
        assert text is not None, f"{self.page} {self.kind}: no code block in {label!r}"
        return yaml.safe_load(text)


def examples(soup: BeautifulSoup, page: str) -> list[Example]:
    out = []
    for div in soup.select("div.gp-example"):
        tabbed = div.select_one("div.tabbed-set")
        assert tabbed is not None, f"{page}: example without tabs"
        labels = [lab.get_text() for lab in tabbed.select(".tabbed-labels > label")]
        blocks = tabbed.select(".tabbed-content > .tabbed-block")
        assert len(labels) == len(blocks), f"{page}: {labels} vs {len(blocks)} tab bodies"
        out.append(
            Example(
                page=page,
                kind=str(div["data-example"]),
                inputs=json.loads(str(div["data-inputs"])),
                tabs=dict(zip(labels, blocks, strict=True)),
            )
        )
    return out
