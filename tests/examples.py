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


def created_secrets(commands: str) -> dict[str, set[str]]:
    """Secret name -> data keys, for each ``kubectl create secret`` in a shell snippet.

    ``docker-registry`` secrets hold ``.dockerconfigjson``; ``generic`` ones the keys of their
    ``--from-literal=KEY=...`` and ``--from-file=KEY=...`` (or the file's base name) flags.
    """
    import shlex

    argv = shlex.split(commands.replace("\\\n", " "), comments=True)
    out: dict[str, set[str]] = {}
    starts = [i for i, a in enumerate(argv) if a == "kubectl"]
    for n, start in enumerate(starts):
        cmd = argv[start : starts[n + 1] if n + 1 < len(starts) else len(argv)]
        assert cmd[1:3] == ["create", "secret"], cmd
        kind, name = cmd[3], cmd[4]
        keys: set[str] = set()
        if kind == "docker-registry":
            keys.add(".dockerconfigjson")
        for arg in cmd[5:]:
            flag, _, value = arg.partition("=")
            if flag == "--from-literal":
                keys.add(value.partition("=")[0])
            elif flag == "--from-file":
                key, sep, path = value.partition("=")
                keys.add(key if sep else path.rsplit("/", 1)[-1])
        assert name not in out, f"secret {name} created twice"
        out[name] = keys
    return out
