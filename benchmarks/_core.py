"""Core benchmarks: import time, Money arithmetic, allocation."""

from __future__ import annotations

import subprocess
import sys
import time
import timeit
from collections.abc import Callable
from decimal import ROUND_DOWN, Decimal
from typing import Any


def best_of(func: Callable[[], Any], *, number: int, repeat: int = 5) -> float:
    """Seconds per call: the best of ``repeat`` runs of ``number`` calls."""
    return min(timeit.repeat(func, number=number, repeat=repeat)) / number


def import_seconds(module: str, *, runs: int = 15) -> float:
    """Best wall time to start Python and import ``module``, less a bare start-up."""

    def once(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        return time.perf_counter() - start

    bare = min(once("pass") for _ in range(runs))
    return max(min(once(f"import {module}") for _ in range(runs)) - bare, 1e-6)


def bench_import() -> dict[str, Any]:
    ours = import_seconds("crossborder")
    theirs = import_seconds("moneyed")
    return {
        "name": "import crossborder vs import moneyed",
        "ours": f"{ours * 1e3:.1f} ms",
        "reference": f"{theirs * 1e3:.1f} ms (py-moneyed)",
        "ratio": theirs / ours,
        "ratio_meaning": "how many times faster our import is (target >= 1)",
        "target": 1.0,
    }


def bench_first_money() -> dict[str, Any]:
    ours = import_seconds("crossborder.money; crossborder.money.Money.of('1.00', 'EUR')")
    theirs = import_seconds("moneyed; moneyed.Money('1.00', 'EUR')")
    return {
        "name": "import crossborder.money + first Money vs the same with py-moneyed",
        "ours": f"{ours * 1e3:.1f} ms (reads the ISO 4217 table, no pydantic)",
        "reference": f"{theirs * 1e3:.1f} ms (py-moneyed)",
        "ratio": theirs / ours,
        "ratio_meaning": "how many times faster to the first Money (target >= 1)",
        "target": 1.0,
    }


def bench_money_ops() -> dict[str, Any]:
    import moneyed

    from crossborder.money import Money, RoundingMode

    rate = Decimal("0.19")
    half_up = RoundingMode.HALF_UP

    def ours() -> None:
        a = Money.of("12.34", "EUR")
        b = a + a
        b.multiply(rate, rounding=half_up)

    def theirs() -> None:
        a = moneyed.Money("12.34", "EUR")
        b = a + a
        (b * rate).round(2)

    ours()
    theirs()
    t_ours = best_of(ours, number=20_000)
    t_theirs = best_of(theirs, number=20_000)
    return {
        "name": "Money.of + add + multiply (rounded) vs py-moneyed",
        "ours": f"{1 / t_ours:,.0f} ops/s",
        "reference": f"{1 / t_theirs:,.0f} ops/s (py-moneyed)",
        "ratio": t_theirs / t_ours,
        "ratio_meaning": "our throughput / py-moneyed's (target >= 1)",
        "target": 1.0,
    }


def _decimal_allocate(total: Decimal, ratios: list[int]) -> list[Decimal]:
    """Reference: the same contract (largest remainder, ties to the earlier part) in Decimal."""
    weight = Decimal(sum(ratios))
    cent = Decimal("0.01")
    exact = [total * r / weight for r in ratios]
    parts = [share.quantize(cent, rounding=ROUND_DOWN) for share in exact]
    leftover = int((total - sum(parts)) / cent)
    order = sorted(range(len(parts)), key=lambda i: (parts[i] - exact[i], i))
    for i in order[:leftover]:
        parts[i] += cent
    return parts


def bench_allocate() -> dict[str, Any]:
    from crossborder.money import Money, allocate

    total = Money.from_minor(1_000_000, "EUR")
    ratios = [(i * 7919) % 1000 + 1 for i in range(1000)]
    ours = [p.amount for p in allocate(total, ratios)]
    assert ours == _decimal_allocate(total.amount, ratios), "reference disagrees"
    t_ours = best_of(lambda: allocate(total, ratios), number=20)
    t_ref = best_of(lambda: _decimal_allocate(total.amount, ratios), number=20)
    return {
        "name": "allocate 1,000,000 units over 1,000 ratios vs the same contract in Decimal",
        "ours": f"{t_ours * 1e3:.2f} ms",
        "reference": f"{t_ref * 1e3:.2f} ms (Decimal shares, largest remainder)",
        "ratio": t_ref / t_ours,
        "ratio_meaning": "how many times faster than the Decimal version (target >= 1)",
        "target": 1.0,
    }


BENCHMARKS = [bench_import, bench_first_money, bench_money_ops, bench_allocate]
