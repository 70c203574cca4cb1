"""convert_many and convert_parquet give, row by row, what convert gives."""

import datetime as dt

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crossborder.errors import (
    AmountOutOfRangeError,
    CrossborderError,
    InputError,
    InvalidAmountError,
)
from crossborder.fx import (
    EcbRates,
    FixedRates,
    RatePolicy,
    convert,
    convert_many,
    convert_parquet,
)
from crossborder.money import Money, RoundingMode

ECB = EcbRates.packaged()
LIVE = [c for c in ECB.currencies if ECB.last_fixing_date(c) == ECB.last_date] + ["EUR"]
POLICY = RatePolicy.last_fixing(max_age_days=5)
DAYS = st.dates(min_value=dt.date(2023, 1, 6), max_value=dt.date(2026, 10, 30))
ROWS = st.lists(
    st.tuples(st.integers(min_value=-(10**15), max_value=10**15), st.sampled_from(LIVE), DAYS),
    min_size=1,
    max_size=40,
)


@settings(max_examples=150)
@given(ROWS, st.sampled_from(LIVE), st.sampled_from(list(RoundingMode)))
def test_batch_equals_one_by_one(rows, to, rounding):
    table = pa.table(
        {
            "amount": [r[0] for r in rows],
            "currency": [r[1] for r in rows],
            "date": pa.array([r[2] for r in rows], pa.date32()),
        }
    )
    expected = []
    for minor, code, day in rows:
        try:
            one = convert(
                Money.from_minor(minor, code),
                to,
                as_of=day,
                rates=ECB,
                policy=POLICY,
                rounding=rounding,
            )
        except AmountOutOfRangeError:  # beyond int64 in the target currency: both refuse
            with pytest.raises(AmountOutOfRangeError):
                convert_many(table, to, rates=ECB, policy=POLICY, rounding=rounding)
            return
        expected.append((one.converted.minor, str(one.quote.rate), one.quote.fixing_date))
    out = convert_many(table, to, rates=ECB, policy=POLICY, rounding=rounding)
    got = zip(
        out.column("converted").to_pylist(),
        out.column("rate").to_pylist(),
        out.column("fixing_date").to_pylist(),
        strict=True,
    )
    assert list(got) == expected


def test_huge_amounts_and_rates_stay_exact():
    """Products beyond int64 are computed on Python ints for those rows only."""
    rates = FixedRates.from_mapping({"EUR/IDR": "20275.17", "EUR/USD": "1.0850"})
    big = 9 * 10**18 // 2
    table = pa.table({"amount": [big, 1, -big], "currency": ["USD", "USD", "USD"]})
    day = dt.date(2026, 1, 5)
    with pytest.raises(CrossborderError):  # 4.5e18 USD cents is more IDR than int64 holds
        convert_many(table, "IDR", rates=rates, as_of=day)
    out = convert_many(table, "EUR", rates=rates, as_of=day)
    expect = [
        convert(Money.from_minor(a, "USD"), "EUR", as_of=day, rates=rates).converted.minor
        for a in (big, 1, -big)
    ]
    assert out.column("converted").to_pylist() == expect


def test_pandas_polars_and_one_date_for_all():
    rates = FixedRates.from_mapping({"EUR/USD": "1.0850"})
    frame = pd.DataFrame({"cents": [1000, 2500], "ccy": ["USD", "EUR"]})
    day = dt.date(2026, 1, 5)
    out = convert_many(frame, "USD", rates=rates, as_of=day, amount="cents", currency="ccy")
    assert out.column("converted").to_pylist() == [1000, 2713]
    out = convert_many(
        pl.from_pandas(frame), "USD", rates=rates, as_of=day, amount="cents", currency="ccy"
    )
    assert out.column("converted").to_pylist() == [1000, 2713]


def test_parquet_in_and_out(tmp_path):
    n = 5000
    rng = np.random.default_rng(7)
    source, target = tmp_path / "in.parquet", tmp_path / "out.parquet"
    table = pa.table(
        {
            "amount": rng.integers(0, 10**8, n),
            "currency": pa.array(rng.choice(["USD", "GBP", "JPY", "EUR"], n)),
            "date": pa.array(
                (np.datetime64("2025-03-01") + rng.integers(0, 60, n)).astype("datetime64[D]")
            ),
        }
    )
    pq.write_table(table, source, row_group_size=1000)
    seen = []
    rows = convert_parquet(
        source,
        target,
        "EUR",
        rates=ECB,
        policy=POLICY,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert rows == n
    assert seen[-1] == (n, n)
    written = pq.read_table(target)
    direct = convert_many(table, "EUR", rates=ECB, policy=POLICY)
    assert written.column("converted").to_pylist() == direct.column("converted").to_pylist()
    assert written.column("rate").type == pa.string()


@pytest.mark.parametrize(
    ("table", "error"),
    [
        (pa.table({"amount": [1.5], "currency": ["USD"]}), InvalidAmountError),
        (pa.table({"amount": [float("nan")], "currency": ["USD"]}), InvalidAmountError),
        (
            pa.table({"amount": pa.array([None, 1], pa.int64()), "currency": ["USD", "USD"]}),
            InvalidAmountError,
        ),
        (pa.table({"amount": [1], "currency": [None]}), InputError),
        (pa.table({"amount": [1], "currency": ["XYZ"]}), CrossborderError),
        (pa.table({"amount": [1], "currency": ["BGN"]}), CrossborderError),  # ended 2026-01-01
        (pa.table({"amount": [1]}), InputError),
        ("not a table", InputError),
    ],
)
def test_junk_tables_are_refused(table, error):
    rates = FixedRates.from_mapping({"EUR/USD": "1.0850", "EUR/BGN": "1.95583"})
    with pytest.raises(error):
        convert_many(table, "EUR", rates=rates, as_of=dt.date(2026, 3, 2))


def test_junk_dates_and_files(tmp_path):
    table = pa.table({"amount": [1], "currency": ["USD"], "date": ["2026-13-01"]})
    with pytest.raises(InputError):
        convert_many(table, "EUR", rates=ECB)
    with pytest.raises(InputError):
        convert_many(
            pa.table({"amount": [1], "currency": ["USD"], "date": pa.array([None], pa.date32())}),
            "EUR",
            rates=ECB,
        )
    with pytest.raises(InputError):
        convert_parquet(tmp_path / "none.parquet", tmp_path / "out.parquet", "EUR", rates=ECB)
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"PAR1 not really")
    with pytest.raises(InputError):
        convert_parquet(bad, tmp_path / "out.parquet", "EUR", rates=ECB)


def test_empty_table():
    out = convert_many(
        pa.table({"amount": pa.array([], pa.int64()), "currency": pa.array([], pa.string())}),
        "EUR",
        rates=ECB,
        as_of=dt.date(2026, 3, 2),
    )
    assert out.num_rows == 0
    assert "converted" in out.column_names
