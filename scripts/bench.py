"""`make bench`: measure the site's speed and size; write bench/report.md and print it.

A reporter, never a test: timings on a shared 2-core machine are noisy, so each figure is a
median with its range beside its target ("meets" or "misses"), never asserted. The parts:

- lighthouse: Lighthouse performance of every page, mobile and desktop presets, and the page
  weight (compressed bytes of a first load) from the same runs;
- build: `mkdocs build` of (a) the site, (a0) the same with the builder export's cache emptied,
  (b) the same config with mkdocs-macros pointed at an empty module over the pre-rendered
  pages, (c) the pre-rendered pages without the macros plugin, alternating; the rules' own
  cost is (a - b) / a, and (a0 - b) / a0 when the export is computed;
- tests: `make test`, wall time and the whole machine's busy core-seconds;
- builder: the builder page's keystroke-to-output time in Chromium.

Usage: ``python scripts/bench.py [--only PART]... [--pages /,/builder/] [--runs 3]
[--build-runs 7] [--test-runs 1]``. A run narrowed by --only or --pages prints its report and
leaves bench/report.md as it is.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `scripts` importable
    sys.path.insert(0, str(ROOT))

from macros import builder, theme  # noqa: E402
from scripts import bench_builder, lighthouse  # noqa: E402
from scripts.static_server import serve  # noqa: E402

BIN = Path(sys.executable).parent
REPORT = ROOT / "bench" / "report.md"
PARTS = ("lighthouse", "build", "tests", "builder")
PRERENDER_HOOK = ROOT / "scripts" / "bench_prerender_hook.py"
EMPTY_MODULE = ROOT / "scripts" / "bench_macros_stub"  # mkdocs-macros adds the .py

# Targets (issue 18).
PERF_MOBILE = 90
PERF_DESKTOP = 100
PAGE_KB = 150
RULES_COST = 0.10
TEST_WALL_S = 100.0
TEST_CORE_S = 200.0
KEYSTROKE_MS = 16.0
KEYSTROKES = 20
NOT_WEIGHED = (theme.SEARCH_INDEX.rsplit("/", 1)[-1],)
"""Material fetches the search index on load for the search box; the weight leaves it out."""


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# --- formatting ----------------------------------------------------------------------------------


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def with_range(values: Sequence[float], fmt: Callable[[float], str]) -> str:
    """``median (min-max)``, or the one value."""
    if len(values) < 2:
        return fmt(median(values))
    return f"{fmt(median(values))} ({fmt(min(values))}-{fmt(max(values))})"


def plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def verdict(ok: bool) -> str:
    return "meets" if ok else "**misses**"


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


FIGURE_HEADER = ("Figure", "Median (range)", "Target", "")


def ceiling_row(
    figure: str, values: Sequence[float], fmt: str, ceiling: float, unit: str = ""
) -> tuple[str, str, str, str]:
    """A row under ``FIGURE_HEADER``: the figure's median (range), in ``fmt`` and ``unit``,
    against the most it may be."""
    suffix = f" {unit}" if unit else ""
    return (
        figure,
        with_range(values, (fmt + suffix).format),
        f"≤ {ceiling:.0f}{suffix}",
        verdict(median(values) <= ceiling),
    )


# --- machine and tools ---------------------------------------------------------------------------


def first_line(argv: Sequence[str]) -> str:
    try:
        result = subprocess.run(list(argv), capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unavailable ({exc.__class__.__name__})"
    lines = (result.stdout.strip() or result.stderr.strip()).splitlines()
    return lines[0] if lines else "unknown"


def load_average() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def environment() -> dict[str, str]:
    env = {
        "CPU cores": str(os.cpu_count()),
        "Load average (1/5/15 min) at start": load_average(),
        "Date (UTC)": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M"),
        "Python": platform.python_version(),
    }
    for dist in ("mkdocs", "mkdocs-material", "mkdocs-macros-plugin", "pytest", "pytest-xdist"):
        try:
            env[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            env[dist] = "not installed"
    env["Node"] = first_line(["node", "--version"])
    env["Lighthouse"] = lighthouse.version() if lighthouse.LIGHTHOUSE.exists() else "missing"
    env["Chromium"] = first_line([str(lighthouse.CHROMIUM), "--version"])
    return env


# --- builds --------------------------------------------------------------------------------------


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def mkdocs_build(
    config: Path, site_dir: Path, env: dict[str, str] | None = None
) -> tuple[float, float]:
    """(wall s, CPU s) of one ``mkdocs build --strict`` in a subprocess started in the project
    root (mkdocs-macros asks git there); raises on a failed build."""
    cpu, start = children_cpu(), time.perf_counter()
    result = subprocess.run(
        [str(BIN / "mkdocs"), "build", "--strict", "-q", "-f", str(config), "-d", str(site_dir)],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
        capture_output=True,
        text=True,
        timeout=600,
    )
    wall = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"mkdocs build -f {config} failed:\n{result.stderr[-3000:]}")
    return wall, children_cpu() - cpu


def plugin_name(entry: object) -> str:
    """``search`` for both ``- search`` and ``- search: {...}`` in ``plugins``."""
    return next(iter(entry)) if isinstance(entry, dict) else str(entry)


def macros_options(cfg: dict[str, Any]) -> dict[str, Any]:
    """The mkdocs-macros entry of ``plugins`` (a KeyError if the config has none)."""
    for entry in cfg.get("plugins", []):
        if plugin_name(entry) == "macros" and isinstance(entry["macros"], dict):
            options: dict[str, Any] = entry["macros"]
            return options
    raise KeyError("mkdocs.yml: no macros plugin with options")


def variant(docs_dir: Path, *, macros_module: Path | None) -> dict[str, Any]:
    """mkdocs.yml usable from a temporary file: paths made absolute, pages from ``docs_dir``,
    mkdocs-macros loading ``macros_module`` (or left out when None)."""
    cfg: dict[str, Any] = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    cfg["docs_dir"] = str(docs_dir)
    cfg["watch"] = []
    theme = cfg.get("theme")
    if isinstance(theme, dict) and theme.get("custom_dir"):
        theme["custom_dir"] = str(ROOT / theme["custom_dir"])
    cfg["hooks"] = [str(ROOT / hook) for hook in cfg.get("hooks", [])]
    if macros_module is None:
        cfg["plugins"] = [p for p in cfg["plugins"] if plugin_name(p) != "macros"]
    else:
        macros_options(cfg)["module_name"] = str(macros_module)
    return cfg


def write_config(cfg: dict[str, Any], path: Path) -> Path:
    path.write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")
    return path


def prepare_builds(work: Path) -> dict[str, Path]:
    """The three configs, after writing the pre-rendered pages (the site's docs with every page's
    Markdown as mkdocs-macros rendered it) to ``work/prerendered``."""
    cfg = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    docs = ROOT / cfg.get("docs_dir", "docs")
    rules = ROOT / macros_options(cfg)["module_name"]
    # Byte-compile the rules and the empty module once, so that no build pays for compiling
    # them (PYTHONDONTWRITEBYTECODE, set in some shells, would make every build compile).
    if rules.is_dir():
        compileall.compile_dir(rules, quiet=1)
    compileall.compile_file(EMPTY_MODULE.with_suffix(".py"), quiet=1)
    prerendered = work / "prerendered"
    shutil.copytree(docs, prerendered)  # assets as they are; the hook overwrites the pages
    dump = variant(docs, macros_module=rules)
    dump["hooks"].append(str(PRERENDER_HOOK))
    mkdocs_build(
        write_config(dump, work / "dump.yml"),
        work / "dump-site",
        {"BENCH_PRERENDER_DIR": str(prerendered)},
    )
    return {
        "a": ROOT / "mkdocs.yml",
        "a0": ROOT / "mkdocs.yml",
        "b": write_config(variant(prerendered, macros_module=EMPTY_MODULE), work / "b.yml"),
        "c": write_config(variant(prerendered, macros_module=None), work / "c.yml"),
    }


def identical_pages(a: Path, b: Path) -> str:
    pages = sorted(p.relative_to(a) for p in a.rglob("*.html"))
    same = sum((b / p).is_file() and (a / p).read_bytes() == (b / p).read_bytes() for p in pages)
    return f"{same} of {len(pages)}"


BUILDS = {
    "a": "(a) the site: `mkdocs build` as is",
    "a0": "(a0) the same, the builder export computed (its cache emptied before the build)",
    "b": "(b) pre-rendered pages, mkdocs-macros with an empty module",
    "c": "(c) pre-rendered pages, no macros plugin",
}


def part_build(work: Path, runs: int) -> list[str]:
    log(f"build: pre-rendering the pages, then {runs} alternating runs of (a), (a0), (b), (c)")
    configs = prepare_builds(work)
    wall: dict[str, list[float]] = {key: [] for key in BUILDS}
    cpu: dict[str, list[float]] = {key: [] for key in BUILDS}
    order = list(BUILDS)
    for i in range(runs):
        n = i % len(order)
        for key in order[n:] + order[:n]:  # rotate: no build always follows another
            if key == "a0":
                shutil.rmtree(builder.CACHE_DIR, ignore_errors=True)
            w, c = mkdocs_build(configs[key], work / f"site-{key}")
            wall[key].append(w)
            cpu[key].append(c)
        log(f"  run {i + 1}: " + ", ".join(f"({k}) {wall[k][-1]:.2f} s" for k in BUILDS))

    def cost(
        times: dict[str, list[float]], x: str, y: str, of: str = "a"
    ) -> tuple[float, list[float]]:
        """(x - y) / of from the medians, and the same ratio run by run."""
        per_run = zip(times[x], times[y], times[of], strict=True)
        return (median(times[x]) - median(times[y])) / median(times[of]), [
            (xi - yi) / ai for xi, yi, ai in per_run
        ]

    rules, rules_runs = cost(cpu, "a", "b")
    cold, cold_runs = cost(cpu, "a0", "b", of="a0")
    rules_wall, _ = cost(wall, "a", "b")
    plugin, plugin_runs = cost(cpu, "b", "c")

    def pct(x: float) -> str:
        return f"{x:.1%}"

    out = [f"## Build cost ({plural(runs, 'alternating run')} of each build)", ""]
    out += [
        "CPU seconds: user + system time of the `mkdocs build` process (what the build itself",
        "costs; wall seconds also count waiting for a core on a shared machine).",
        "",
    ]
    out += table(
        ["Build", "CPU s, median (range)", "Wall s, median (range)"],
        [
            (label, with_range(cpu[k], "{:.2f}".format), with_range(wall[k], "{:.2f}".format))
            for k, label in BUILDS.items()
        ],
    )
    out += table(
        ["Figure", "Value (range over runs)", "Target", ""],
        [
            (
                "rules' own cost, (a - b) / a in CPU s: the rules module, its macro calls and "
                f"the pages' Jinja (wall: {pct(rules_wall)})",
                f"{pct(rules)} ({pct(min(rules_runs))} to {pct(max(rules_runs))})",
                f"≤ {RULES_COST:.0%}",
                verdict(rules <= RULES_COST),
            ),
            (
                "the same when the builder export is computed, (a0 - b) / a0 in CPU s: the first "
                "build after the rules change (the export is cached by a hash of the rules)",
                f"{pct(cold)} ({pct(min(cold_runs))} to {pct(max(cold_runs))})",
                f"≤ {RULES_COST:.0%}",
                verdict(cold <= RULES_COST),
            ),
            (
                "mkdocs-macros' own cost, (b - c) / a in CPU s: the plugin with nothing to render",
                f"{pct(plugin)} ({pct(min(plugin_runs))} to {pct(max(plugin_runs))})",
                "",
                "",
            ),
        ],
    )
    out += [
        "HTML files byte-identical to (a)'s (the comparison is fair when all are): "
        f"(b) {identical_pages(work / 'site-a', work / 'site-b')}, "
        f"(c) {identical_pages(work / 'site-a', work / 'site-c')}.",
        "",
    ]
    return out


# --- Lighthouse performance and page weight ------------------------------------------------------


def site_pages(site_dir: Path) -> list[str]:
    """Site paths of every page (``/``, ``/builder/``, ...), 404 page and theme assets excluded."""
    found = []
    for html in site_dir.rglob("index.html"):
        rel = html.relative_to(site_dir).parent.as_posix()
        if "assets" not in html.parts:
            found.append("/" if rel == "." else f"/{rel}/")
    return sorted(found)


def part_lighthouse(site_dir: Path, runs: int, only_pages: Sequence[str]) -> list[str]:
    pages = site_pages(site_dir)
    if only_pages:
        unknown = sorted(set(only_pages) - set(pages))
        if unknown:
            raise SystemExit(f"bench: --pages: no such page {', '.join(unknown)}")
        pages = [p for p in pages if p in only_pages]
    log(f"lighthouse: {runs} runs of {len(pages)} pages, mobile and desktop")
    score: dict[tuple[str, str], list[float]] = {}
    weight: dict[str, list[float]] = {p: [] for p in pages}
    requests: dict[str, list[float]] = {p: [] for p in pages}
    cpu_index: list[float] = []
    with serve(site_dir) as base_url:
        for i in range(runs):
            for page in pages:
                for preset in lighthouse.PRESETS:
                    report = lighthouse.run(base_url + page.lstrip("/"), preset, ("performance",))
                    score.setdefault((page, preset), []).append(report.scores["performance"])
                    cpu_index.append(float(report.raw["environment"]["benchmarkIndex"]))
                    if preset == "mobile":
                        weight[page].append(report.transfer_bytes(NOT_WEIGHED) / 1024)
                        requests[page].append(report.request_count(NOT_WEIGHED))
                    log(f"  run {i + 1} {page} {preset}: {report.scores['performance']:g}")

    def perf(page: str, preset: str, target: int) -> tuple[str, str, str]:
        values = score[(page, preset)]
        at_least = f"≥ {target}" if target < 100 else "100"
        return with_range(values, "{:g}".format), at_least, verdict(median(values) >= target)

    out = [f"## Lighthouse performance ({plural(runs, 'run')} per page and preset)", ""]
    out += [
        "Lighthouse's performance score (0-100) of each page served as a static host serves it",
        "(scripts/static_server.py); median (range). Mobile: an emulated mid-range phone on slow",
        "4G with the CPU slowed 4x; desktop: a desktop on a fast link.",
        "",
    ]
    out += table(
        ["Page", "Mobile", "Target", "", "Desktop", "Target", ""],
        [
            (page, *perf(page, "mobile", PERF_MOBILE), *perf(page, "desktop", PERF_DESKTOP))
            for page in pages
        ],
    )
    out += [
        "Lighthouse's CPU benchmark index of this machine during the runs (higher is faster; a",
        "busy machine scores lower on mobile, whose 4x slowdown comes on top): "
        f"{with_range(cpu_index, '{:.0f}'.format)}.",
        "",
        "## Page weight",
        "",
        "Compressed bytes a page transfers on a first load (Lighthouse's mobile runs), search",
        "index excluded; median.",
        "",
    ]
    out += table(
        ["Page", "Transferred", "Requests", "Target", ""],
        [
            (
                page,
                f"{median(weight[page]):.1f} KB",
                f"{median(requests[page]):.0f}",
                f"≤ {PAGE_KB} KB",
                verdict(median(weight[page]) <= PAGE_KB),
            )
            for page in pages
        ],
    )
    return out


# --- make test -----------------------------------------------------------------------------------


def busy_core_seconds() -> float:
    """Core-seconds the whole machine has been busy since boot, from /proc/stat: user, nice,
    system, irq and softirq (steal is the host's; guest is already in user and nice).

    Chromium's processes are not children pytest waits for, so RUSAGE_CHILDREN misses them.
    """
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq = fields[:7]
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def part_tests(runs: int) -> list[str]:
    subprocess.run(["make", "--no-print-directory", "setup"], cwd=ROOT, check=True)
    wall: list[float] = []
    busy: list[float] = []
    outcomes: list[str] = []
    for i in range(runs):
        log(f"tests: `make test`, run {i + 1} of {runs}")
        start, busy0 = time.perf_counter(), busy_core_seconds()
        result = subprocess.run(
            ["make", "--no-print-directory", "test"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=3600,
        )
        wall.append(time.perf_counter() - start)
        busy.append(busy_core_seconds() - busy0)
        lines = result.stdout.strip().splitlines() or ["no output"]
        tail = lines[-1].strip("= ")
        # pytest's short summary names each failed test ("FAILED tests/...::test - reason").
        failed = [
            line.split(" - ")[0].removeprefix("FAILED ")
            for line in lines
            if line.startswith("FAILED ")
        ]
        outcomes.append(tail if result.returncode == 0 else f"FAILED: {tail} ({', '.join(failed)})")
        log(f"  {wall[-1]:.1f} s, {busy[-1]:.0f} busy core-s: {outcomes[-1]}")
    out = [f"## `make test` ({plural(runs, 'run')})", ""]
    out += [
        "Wall: seconds from start to end of `make test`, dependencies installed. Busy core-s: the",
        "whole machine's busy CPU time meanwhile (/proc/stat user+nice+system+irq+softirq), so",
        "Chromium is counted, and so is any other engineer's work on a shared machine.",
        "",
    ]
    out += table(
        FIGURE_HEADER,
        [
            ceiling_row("wall", wall, "{:.0f}", TEST_WALL_S, "s"),
            ceiling_row("busy core-seconds", busy, "{:.0f}", TEST_CORE_S),
        ],
    )
    out += [f"pytest said: {'; '.join(outcomes)}.", ""]
    return out


# --- builder keystroke ---------------------------------------------------------------------------


def part_builder(site_dir: Path, runs: int) -> list[str]:
    from playwright.sync_api import sync_playwright

    log(f"builder: {runs} runs of {KEYSTROKES} keystrokes")
    run_medians: list[float] = []
    with serve(site_dir) as base_url, sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(lighthouse.CHROMIUM), args=lighthouse.CHROME_FLAGS
        )
        try:
            for _ in range(runs):
                context = browser.new_context()
                timings = bench_builder.measure(context.new_page(), base_url, KEYSTROKES)
                run_medians.append(median([t["output"] for t in timings]))
                context.close()
        finally:
            browser.close()
    out = ["## Builder", ""]
    out += [
        "Milliseconds from a keystroke in the builder's bucket field to the updated installer",
        f"YAML, in Chromium: each run's median of {KEYSTROKES} keystrokes; median (range) of the",
        "runs. 16 ms is one frame at 60 Hz.",
        "",
    ]
    out += table(
        FIGURE_HEADER,
        [ceiling_row("keystroke to output", run_medians, "{:.1f}", KEYSTROKE_MS, "ms")],
    )
    return out


# --- main ----------------------------------------------------------------------------------------


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--only", action="append", choices=PARTS, help="measure only this part (repeatable)"
    )
    parser.add_argument("--pages", help="Lighthouse only these pages, e.g. /,/builder/")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse and builder runs")
    parser.add_argument("--build-runs", type=int, default=7, help="runs of each build")
    parser.add_argument("--test-runs", type=int, default=1, help="runs of `make test`")
    args = parser.parse_args(argv)
    parts = args.only or list(PARTS)
    only_pages = [p.strip() for p in (args.pages or "").split(",") if p.strip()]
    partial = bool(args.only or only_pages)

    ok, why = lighthouse.available()
    if "lighthouse" in parts and not ok:
        print(f"bench: {why}", file=sys.stderr)
        return 2
    if "builder" in parts and not lighthouse.CHROMIUM.exists():
        print(
            f"bench: no Chromium at {lighthouse.CHROMIUM}: apt-get install chromium",
            file=sys.stderr,
        )
        return 2

    env = environment()
    out = [
        "# Bench report",
        "",
        "Written by `make bench` (scripts/bench.py) on every run; never edited by hand. Each",
        "figure is a median with its range over the runs given; the machine is shared, so the",
        "load average is part of the result.",
        "",
    ]
    sections: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        work = Path(tmp)
        if "build" in parts:
            sections += part_build(work, args.build_runs)
        site_dir = work / "site-a"
        if {"lighthouse", "builder"} & set(parts) and not site_dir.is_dir():
            mkdocs_build(ROOT / "mkdocs.yml", site_dir)
        if "lighthouse" in parts:
            sections = part_lighthouse(site_dir, args.runs, only_pages) + sections
        if "builder" in parts:
            sections += part_builder(site_dir, args.runs)
    if "tests" in parts:
        sections += part_tests(args.test_runs)
    env["Load average (1/5/15 min) at end"] = load_average()
    out += ["## Machine and tools", "", *table(["", ""], list(env.items())), *sections]
    report = "\n".join(out).rstrip() + "\n"
    if not partial:
        REPORT.write_text(report, encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
