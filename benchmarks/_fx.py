"""FX benchmarks: converting a million rows at once against a per-row loop."""

from __future__ import annotations

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
    ours = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        convert_many(table, "EUR", rates=ecb, policy=policy)
        ours = min(ours, time.perf_counter() - start)
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
        "ours": f"{ours * 1000:.0f} ms ({rows_per_s / 1e6:.1f} M rows/s; target 5 M rows/s)",
        "reference": f"{loop * 1000:.0f} ms (CurrencyConverter.convert in a per-row loop)",
        "ratio": loop / ours,
        "ratio_meaning": "how many times the per-row loop's throughput (target >= 100)",
        "target": 100.0,
        "meets_target": loop / ours >= 100 and rows_per_s >= 5e6,
        "rows_per_s": round(rows_per_s),
    }


BENCHMARKS = [bench_convert_many]
