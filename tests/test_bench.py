"""scripts/bench.py's statistics: the build verdict rests on an interval for the median, so the
interval's ranks are held against the published table of distribution-free confidence intervals
for the median (Nair 1940, as reproduced in Conover's *Practical Nonparametric Statistics*)."""

from __future__ import annotations

import pytest

from scripts.bench import median_interval, verdict, verdict_within

#: n -> 1-based ranks (lower, upper) of the 95 % interval, from the published table.
TABLE_95 = {
    6: (1, 6),
    8: (1, 8),
    9: (2, 8),
    10: (2, 9),
    12: (3, 10),
    15: (4, 12),
    20: (6, 15),
    25: (8, 18),
    30: (10, 21),
}


@pytest.mark.parametrize(("n", "ranks"), TABLE_95.items())
def test_the_interval_has_the_tables_ranks(n: int, ranks: tuple[int, int]) -> None:
    values = [float(v) for v in range(n, 0, -1)]  # given unsorted: rank r is the value r
    assert median_interval(values) == (float(ranks[0]), float(ranks[1]))


def test_too_few_runs_give_every_value() -> None:
    """With 5 runs no pair of order statistics covers the median 95 % of the time."""
    assert median_interval([3.0, 1.0, 2.0, 5.0, 4.0]) == (1.0, 5.0)


def test_a_verdict_needs_the_whole_interval() -> None:
    assert verdict_within((0.05, 0.14), 0.15) == verdict(True)
    assert verdict_within((0.16, 0.30), 0.15) == verdict(False)
    assert verdict_within((0.10, 0.20), 0.15) == "within the noise"
