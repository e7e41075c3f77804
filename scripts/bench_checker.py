"""Bench the checker on hostile input: each case must end (exit 2 or findings) within budget.

Runs the installed ``gitpod-resources check -`` once per case and reports wall time and the
child's peak memory. Budgets: TIME_BUDGET_S seconds and RSS_BUDGET_MB megabytes per case.
Usage: ``make bench-checker`` (exit 1 if a budget is missed).
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMAND = Path(sys.executable).parent / "gitpod-resources"
TIME_BUDGET_S = 10.0
RSS_BUDGET_MB = 256


def laughs(levels: int) -> bytes:
    lines = ["apiVersion: v1", "experimental:", "  l0: &l0 [lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels + 1):
        lines.append(f"  l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
    return ("\n".join(lines) + "\n").encode()


def merge_bomb(levels: int) -> bytes:
    lines = ["apiVersion: v1", "experimental:", "  m0: &m0 {a: 1, b: 2}"]
    for i in range(1, levels + 1):
        lines.append(f"  m{i}: &m{i} {{<<: [*m{i - 1}, *m{i - 1}], k{i}: 1}}")
    return ("\n".join(lines) + "\n").encode()


CASES: dict[str, bytes] = {
    "billion laughs (9 levels)": laughs(9),
    "merge-key bomb (30 levels)": merge_bomb(30),
    "10k nested brackets": b"[" * 10_000 + b"]" * 10_000,
    "500 nested mappings": "".join("  " * i + "a:\n" for i in range(500)).encode(),
    "just under the size limit, one scalar": b"apiVersion: v1\ndomain: " + b"a" * 500_000,
    "just under the size limit, many values": b"apiVersion: v1\nexperimental:\n"
    + b"- a\n" * 120_000,
    "8 MiB file": b"apiVersion: v1\ndomain: " + b"a" * (8 * 1024 * 1024),
    "random bytes (64 KiB)": bytes((i * 7919) % 256 for i in range(65536)),
}


def main() -> int:
    failed = 0
    print(f"{'case':42} {'exit':>4} {'seconds':>8}  peak RSS (MB, max so far)")
    for name, data in CASES.items():
        start = time.perf_counter()
        proc = subprocess.run(
            [str(COMMAND), "check", "-"], input=data, capture_output=True, timeout=120
        )
        seconds = time.perf_counter() - start
        rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        ok = proc.returncode in (0, 1, 2)
        ok = ok and b"Traceback" not in proc.stderr and seconds <= TIME_BUDGET_S
        ok = ok and rss_mb <= RSS_BUDGET_MB
        failed += not ok
        flag = "" if ok else "  OVER BUDGET"
        print(f"{name:42} {proc.returncode:>4} {seconds:8.2f}  {rss_mb:7.1f}{flag}")
    print(f"budgets: {TIME_BUDGET_S} s and {RSS_BUDGET_MB} MB per case")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
