"""Measure the configuration builder: time from a keystroke to the updated output, and its weight.

For ``make bench`` (a measurement, never a test assertion). It builds the site (or takes
``--site-dir``), serves it on a free loopback port, opens the builder with a whole AWS stack,
types into the registry's bucket field in Debian's Chromium and prints the median and 95th
percentile of

- keystroke to output: ``keydown`` until the installer YAML has changed (a MutationObserver);
- keystroke to frame: ``keydown`` until the next animation frame after that change;
- update: the page script's own work per keystroke (validate, fill, write the DOM and URL).

On a shared, loaded machine the first two include time the browser waits for a CPU; the third
is the script's share. The target is one animation frame (16 ms).

Then the builder's own weight, raw and gzip-compressed as the static server sends it: the page's
HTML (the embedded data included, and on its own), its script and its stylesheet.

Usage::

    .venv/bin/python scripts/bench_builder.py [--site-dir site] [-n 60]
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `scripts` importable
    sys.path.insert(0, str(ROOT))

from scripts.lighthouse import CHROME_FLAGS, CHROMIUM  # noqa: E402
from scripts.static_server import serve  # noqa: E402

#: Installed before typing: records keydown, output mutation and the next frame per keystroke.
INSTRUMENT = """() => {
    window.gpBench = [];
    let t0 = null;
    window.addEventListener("keydown", () => { t0 = performance.now(); }, true);
    const target = document.getElementById("gp-out-yaml");
    new MutationObserver(() => {
        if (t0 === null) return;
        const start = t0;
        const out = performance.now();
        t0 = null;
        requestAnimationFrame(() => {
            window.gpBench.push({
                output: out - start,
                frame: performance.now() - start,
                update: window.gpBuilder.lastUpdateMs,
            });
        });
    }).observe(target, {childList: true, characterData: true, subtree: true});
}"""


#: The whole AWS stack (what a reader on AWS types into): the registry's bucket is the field typed.
STATE = (
    "platform=aws&registry=in-cluster-s3&storage=s3&database=external&aws_region=eu-west-2"
    "&registry_bucket=gitpod&storage_bucket=gitpod-workspaces&db_host=mysql.example.com&db_ca=no"
)
FIELD = "#gp-registry-bucket"


def measure(page: Any, base_url: str, keystrokes: int = 60) -> list[dict[str, float]]:
    """Type ``keystrokes`` characters into the bucket field; one timing per keystroke."""
    page.goto(base_url + "builder/?" + STATE)
    page.wait_for_selector("#gp-builder[data-ready]", state="attached")
    page.evaluate(INSTRUMENT)
    page.focus(FIELD)
    for n in range(keystrokes):
        if n % 40 == 39:  # stay within 63 characters: start over, untimed
            page.fill(FIELD, "gitpod")
        page.keyboard.press("abcdefghij"[n % 10])
        page.wait_for_function(f"window.gpBench.length >= {n + 1}")
    timings: list[dict[str, float]] = page.evaluate("window.gpBench")
    return timings


def weight(site_dir: Path) -> list[tuple[str, int, int]]:
    """(what, bytes, gzip-compressed bytes) of the builder's own files and its embedded data."""
    page = (site_dir / "builder" / "index.html").read_bytes()
    data = rb'<script type="application/json" id="gp-builder-data">(.*?)</script>'
    found = re.search(data, page, re.S)
    parts = [
        ("page HTML", page),
        ("  of which the embedded data", found.group(1) if found else b""),
        ("builder.js", (site_dir / "javascripts" / "builder.js").read_bytes()),
        ("builder.css", (site_dir / "stylesheets" / "builder.css").read_bytes()),
    ]
    return [(name, len(data), len(gzip.compress(data, 9))) for name, data in parts]


def summary(name: str, values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (
        f"{name}: median {statistics.median(ordered):.2f} ms, p95 {p95:.2f} ms (n={len(ordered)})"
    )


def build(out: Path) -> Path:
    mkdocs = Path(sys.executable).parent / "mkdocs"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run(
        [str(mkdocs), "build", "--strict", "-q", "-d", str(out)], cwd=ROOT, env=env, check=True
    )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site-dir", type=Path, help="a built site (default: build one)")
    parser.add_argument("-n", "--keystrokes", type=int, default=60)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        site_dir = args.site_dir or build(Path(tmp) / "site")
        sizes = weight(site_dir)
        with serve(site_dir) as base_url, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROME_FLAGS)
            try:
                timings = measure(browser.new_page(), base_url, args.keystrokes)
            finally:
                browser.close()
    for name, raw, packed in sizes:
        print(f"builder weight, {name}: {raw / 1024:.1f} KB, {packed / 1024:.1f} KB gzip")
    print(summary("builder keystroke to output", [t["output"] for t in timings]))
    print(summary("builder keystroke to frame", [t["frame"] for t in timings]))
    print(summary("builder script update", [t["update"] for t in timings]))
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
