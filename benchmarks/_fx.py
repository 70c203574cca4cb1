"""FX benchmarks: converting a million rows at once against a per-row loop."""

from __future__ import annotations

import itertools
import time
from typing import Any


def _rows(n: int) -> Any:
    """n payouts in 30 currencies on random days of 2025 (weekends included), in minor units."""
    import numpy as np
    import pyarrow as pa

    from crossborder.fx import EcbRates

    ecb = EcbRates.packaged()
    live = [c for c in ecb.currencies if ecb.last_fixing_date(c) == ecb.last_date][:29]
    rng = np.random.default_rng(2025)
    days = np.datetime64("2025-01-01") + rng.integers(0, 365, n)
    return pa.table(
        {
            "amount": rng.integers(1, 10**7, n),
            "currency": pa.array(rng.choice([*live, "EUR"], n)),
            "date": pa.array(days.astype("datetime64[D]")),
        }
    )


def bench_convert_many() -> dict[str, Any]:
    from currency_converter import CurrencyConverter

    from crossborder.fx import EcbRates, RatePolicy, convert_many
    from crossborder.money._currency import exponent_of

    n = 1_000_000
    table, ecb = _rows(n), EcbRates.packaged()
    policy = RatePolicy.last_fixing(max_age_days=5)
    convert_many(table.slice(0, 1000), "EUR", rates=ecb, policy=policy)
    ours = warm = float("inf")
    for _ in range(3):
        fresh = EcbRates(ecb.path)  # no quotes kept from an earlier run: every rate derived
        start = time.perf_counter()
        convert_many(table, "EUR", rates=fresh, policy=policy)
        ours = min(ours, time.perf_counter() - start)
        start = time.perf_counter()
        convert_many(table, "EUR", rates=fresh, policy=policy)  # the quotes kept by the provider
        warm = min(warm, time.perf_counter() - start)
    oracle = CurrencyConverter(fallback_on_missing_rate=True, fallback_on_wrong_date=True)
    sample = table.slice(0, 100_000)
    rows = zip(
        sample.column("amount").to_pylist(),
        sample.column("currency").to_pylist(),
        sample.column("date").to_pylist(),
        strict=True,
    )
    start = time.perf_counter()
    for minor, code, day in rows:  # the same job row by row: floats, rounded to cents at the end
        scale = 10 ** exponent_of(code)
        round(oracle.convert(minor / scale, code, "EUR", date=day) * 100)
    loop = (time.perf_counter() - start) * (n / sample.num_rows)
    rows_per_s = n / ours
    return {
        "name": "convert_many: 1,000,000 rows, 30 currencies, days across 2025, to EUR (ECB)",
        "ours": f"{ours * 1000:.0f} ms ({rows_per_s / 1e6:.1f} M rows/s; target 5 M rows/s; "
        f"again with the same provider: {warm * 1000:.0f} ms)",
        "reference": f"{loop * 1000:.0f} ms (CurrencyConverter.convert in a per-row loop)",
        "ratio": loop / ours,
        "ratio_meaning": "how many times the per-row loop's throughput (target >= 100)",
        "target": 100.0,
        "meets_target": loop / ours >= 100 and rows_per_s >= 5e6,
        "rows_per_s": round(rows_per_s),
    }


def bench_hedge_plan() -> dict[str, Any]:
    import datetime as dt
    import random
    from decimal import Decimal

    from crossborder.fx import HedgeLayer, HedgePolicy, Market, Position, hedge_plan
    from crossborder.money import Money

    rng = random.Random(7)
    day = dt.date(2026, 3, 2)
    codes = ["USD", "GBP", "JPY", "CHF", "SEK", "NOK", "PLN", "CAD", "AUD", "CNY"]
    kinds = ["receivable", "payable", "committed_sale", "forecast_sale", "forecast_purchase"]
    book = [
        Position(
            kind=rng.choice(kinds),
            amount=Money.from_minor(rng.randint(10_000, 10**9), rng.choice(codes)),
            due=day + dt.timedelta(days=rng.randint(1, 540)),
        )
        for _ in range(10_000)
    ]
    policy = HedgePolicy(
        layers=[
            HedgeLayer(
                up_to_months=m,
                target=Decimal(t),
                minimum=Decimal(t) - Decimal("0.1"),
                maximum=Decimal(t) + Decimal("0.1"),
            )
            for m, t in ((6, "0.8"), (12, "0.5"), (18, "0.2"))
        ]
    )
    market = Market(
        spot={c: Decimal("1") / Decimal(i + 2) for i, c in enumerate(codes)},
        rates={**{c: Decimal("0.03") for c in codes}, "EUR": Decimal("0.02")},
    )
    start = time.perf_counter()
    plan = hedge_plan(book, policy, functional="EUR", market=market, as_of=day)
    ours = time.perf_counter() - start

    def floor() -> None:  # the netting and target arithmetic alone, in bare Decimal
        sums: dict[tuple[str, int], Decimal] = {}
        for p in book:
            assert p.due is not None
            months = (p.due - day).days // 30
            key = (p.amount.currency, min(months, 18))
            sums[key] = sums.get(key, Decimal(0)) + p.signed.amount
        for (_, months), net in sums.items():
            target = (
                Decimal("0.8") if months < 6 else Decimal("0.5") if months < 12 else Decimal("0.2")
            )
            (-net * target).quantize(Decimal("0.01"))

    start = time.perf_counter()
    floor()
    reference = time.perf_counter() - start
    return {
        "name": "hedge_plan: 10,000 positions in 10 currencies, 3 layers, forwards per due date",
        "ours": f"{ours * 1000:.0f} ms ({len(plan.trades):,} forwards)",
        "reference": f"{reference * 1000:.0f} ms (netting and targets alone in bare Decimal)",
        "ratio": reference / ours,
        "ratio_meaning": "floor / ours: the share of our time the bare arithmetic needs",
        "target": 0.0,
    }


def bench_historical_var() -> dict[str, Any]:
    from crossborder.fx import EcbRates, historical_var
    from crossborder.money import Money

    ecb = EcbRates.packaged()
    live = [c for c in ecb.currencies if ecb.last_fixing_date(c) == ecb.last_date][:30]
    held = {c: Money.of(str(100_000 * (i + 1)), "EUR") for i, c in enumerate(live) if c != "EUR"}
    day = ecb.last_date
    historical_var(held, rates=ecb, as_of=day, days=500)
    start = time.perf_counter()
    ours = historical_var(held, rates=ecb, as_of=day, days=500)
    elapsed = time.perf_counter() - start

    def loop() -> float:  # the same simulation in plain Python
        columns = {c: dict(zip(*ecb.column(c), strict=True)) for c in held}
        days = sorted(
            set.intersection(
                *({d for d, v in col.items() if v and d <= day} for col in columns.values())
            )
        )[-501:]
        losses = []
        for a, b in itertools.pairwise(days):
            pnl = 0.0
            for c, money in held.items():
                level_a, level_b = 1 / float(columns[c][a]), 1 / float(columns[c][b])
                pnl += float(money.amount) * (level_b / level_a - 1)
            losses.append(-pnl)
        losses.sort(reverse=True)
        return losses[4]

    start = time.perf_counter()
    check = loop()
    reference = time.perf_counter() - start
    assert abs(check - float(ours.var.amount)) < 0.01, (check, ours.var)
    return {
        "name": f"historical VaR and ES: 500 days x {len(held)} currencies (ECB history)",
        "ours": f"{elapsed * 1000:.1f} ms",
        "reference": f"{reference * 1000:.1f} ms (the same simulation in plain Python loops)",
        "ratio": reference / elapsed,
        "ratio_meaning": "how many times faster than the plain loops (target >= 1)",
        "target": 1.0,
    }


BENCHMARKS = [bench_convert_many, bench_hedge_plan, bench_historical_var]
