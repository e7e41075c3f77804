"""Lighthouse (npm, pinned in package-lock.json) run against Debian's Chromium, for audit and bench.

``make node`` installs it into node_modules/ (``npm ci``, only when the lock changed).
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROME_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PRESETS = ("mobile", "desktop")
"""Lighthouse's default config is the mobile preset (Moto G Power, slow 4G); desktop is a flag."""


@dataclass(frozen=True)
class Report:
    url: str
    preset: str
    scores: dict[str, float]
    """Category id -> score 0..100."""
    failing: dict[str, list[str]]
    """Category id -> ``audit-id: title`` of each scored audit below 1 in it."""
    raw: dict[str, Any]

    def transfer_bytes(self, exclude: tuple[str, ...] = ()) -> int:
        """Bytes on the wire (compressed) of every request, minus URLs containing ``exclude``."""
        return sum(int(item.get("transferSize") or 0) for item in self._requests(exclude))

    def request_count(self, exclude: tuple[str, ...] = ()) -> int:
        """Requests of the page load, minus URLs containing ``exclude``."""
        return len(self._requests(exclude))

    def _requests(self, exclude: tuple[str, ...]) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = self.raw["audits"]["network-requests"]["details"]["items"]
        return [item for item in items if not any(part in item["url"] for part in exclude)]


def _failed(audit: dict[str, Any]) -> bool:
    if audit.get("scoreDisplayMode") == "error":
        return True
    score = audit.get("score")
    return score is not None and score < 1


def _describe(audit_id: str, audit: dict[str, Any]) -> str:
    """``id: title [first failing elements]``, enough to find the element without the JSON."""
    items = (audit.get("details") or {}).get("items") or []
    nodes = [str(i["node"].get("selector")) for i in items if isinstance(i.get("node"), dict)]
    where = f" [{', '.join(nodes[:3])}{', ...' if len(nodes) > 3 else ''}]" if nodes else ""
    return f"{audit_id}: {audit['title']}{where}"


def available() -> tuple[bool, str]:
    """Whether Lighthouse and Chromium are installed, and what is missing if not."""
    if not LIGHTHOUSE.exists():
        return False, f"no {LIGHTHOUSE.relative_to(ROOT)}: run `make node` (needs node and npm)"
    if not CHROMIUM.exists():
        return False, f"no Chromium at {CHROMIUM}: apt-get install chromium"
    return True, ""


def version() -> str:
    out = subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True, timeout=60)
    return out.stdout.strip()


def run(url: str, preset: str = "mobile", categories: tuple[str, ...] = ()) -> Report:
    """One Lighthouse run of ``url``; raises RuntimeError naming the URL when Lighthouse fails."""
    if preset not in PRESETS:
        raise ValueError(f"preset: {preset!r} is not valid; expected one of {', '.join(PRESETS)}")
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as tmp:
        out = Path(tmp) / "report.json"
        argv = [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={out}",
            f"--chrome-flags={' '.join(CHROME_FLAGS)}",
            "--disable-full-page-screenshot",
        ]
        if preset == "desktop":
            argv.append("--preset=desktop")
        if categories:
            argv.append(f"--only-categories={','.join(categories)}")
        env = {**os.environ, "CHROME_PATH": str(CHROMIUM), "TMPDIR": tmp}
        result = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=300)
        if result.returncode != 0 or not out.exists():
            raise RuntimeError(f"lighthouse failed on {url}: {result.stderr.strip()[-2000:]}")
        raw = json.loads(out.read_text(encoding="utf-8"))
    if raw.get("runtimeError"):
        raise RuntimeError(f"lighthouse failed on {url}: {raw['runtimeError']}")
    scores: dict[str, float] = {}
    failing: dict[str, list[str]] = {}
    for cat_id, cat in raw["categories"].items():
        score = cat.get("score")
        scores[cat_id] = -1.0 if score is None else round(score * 100, 1)
        failing[cat_id] = [
            _describe(ref["id"], raw["audits"][ref["id"]])
            for ref in cat["auditRefs"]
            if ref.get("weight", 0) > 0 and _failed(raw["audits"][ref["id"]])
        ]
    return Report(url=url, preset=preset, scores=scores, failing=failing, raw=raw)
