"""Regression cases from a review of the FX package: each was a wrong answer or a crash."""

import datetime as dt
from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from crossborder.errors import (
    AmountOutOfRangeError,
    CrossborderError,
    InputError,
    InvalidAmountError,
    RateUnavailableError,
)
from crossborder.fx import (
    FixedRates,
    Hedge,
    HedgeLayer,
    HedgePolicy,
    Market,
    MonetaryItem,
    Position,
    convert,
    convert_many,
    convert_parquet,
    exposure,
    forward_rate,
    forward_value,
    hedge_plan,
    install_ecb_file,
    parametric_var,
    revalue,
    spot_date,
)
from crossborder.money import Money

DAY = dt.date(2026, 1, 5)


def test_int64_minimum_is_converted_exactly_or_refused():
    table = pa.table({"amount": pa.array([-(2**63), 1000], pa.int64()), "currency": ["USD"] * 2})
    half = FixedRates.from_mapping({"USD/EUR": "0.5"})
    out = convert_many(table, "EUR", rates=half, as_of=DAY).column("converted").to_pylist()
    one = convert(Money.from_minor(-(2**63), "USD"), "EUR", as_of=DAY, rates=half)
    assert out == [one.converted.minor, 500]
    triple = FixedRates.from_mapping({"USD/EUR": "3"})
    with pytest.raises(AmountOutOfRangeError):
        convert_many(table, "EUR", rates=triple, as_of=DAY)
    with pytest.raises(AmountOutOfRangeError):
        convert(Money.from_minor(-(2**63), "USD"), "EUR", as_of=DAY, rates=triple)


def test_rounding_given_as_text_is_used_or_refused():
    rates = FixedRates.from_mapping({"EUR/USD": "3"})
    item = MonetaryItem(
        ref="x",
        side="asset",
        amount=Money.of("10.01", "USD"),
        carrying=Money.of("9", "EUR"),
        account="a",
    )
    floor = revalue([item], functional="EUR", as_of=DAY, rates=rates, rounding="floor")
    assert floor.items[0].revalued == Money.of("3.33", "EUR")
    assert convert(
        Money.of("10.01", "USD"), "EUR", as_of=DAY, rates=rates, rounding="floor"
    ).converted == Money.of("3.33", "EUR")
    with pytest.raises(InvalidAmountError):
        revalue([item], functional="EUR", as_of=DAY, rates=rates, rounding="bogus")
    book = [Position(kind="receivable", amount=Money.of("10.01", "USD"), due=dt.date(2026, 2, 1))]
    with pytest.raises(InvalidAmountError):
        exposure(book, functional="EUR", as_of=DAY, rates=rates, rounding="bogus")


POLICY = HedgePolicy(
    layers=[
        HedgeLayer(
            up_to_months=6, target=Decimal("0.5"), minimum=Decimal("0.4"), maximum=Decimal("0.6")
        ),
        HedgeLayer(
            up_to_months=18, target=Decimal("0.2"), minimum=Decimal("0.1"), maximum=Decimal("0.3")
        ),
    ]
)
MARKET = Market(spot={"usd": "0.92"}, rates={"usd": "0.05", "EUR": "0.03"})


def test_over_hedged_buckets_are_unwound():
    receivable = Position(
        kind="receivable", amount=Money.of("100000", "USD"), due=dt.date(2026, 3, 20)
    )
    sold = Hedge(amount=Money.of("-100000", "USD"), value_date=dt.date(2026, 3, 20))
    plan = hedge_plan(
        [receivable], POLICY, functional="EUR", market=MARKET, as_of=DAY, existing_hedges=[sold]
    )
    assert [(t.amount, t.value_date) for t in plan.trades] == [
        (Money.of("50000", "USD"), dt.date(2026, 3, 20))
    ]
    paid = Position(kind="payable", amount=Money.of("100000", "USD"), due=dt.date(2026, 3, 25))
    flat = hedge_plan(
        [receivable, paid],
        POLICY,
        functional="EUR",
        market=MARKET,
        as_of=DAY,
        existing_hedges=[sold],
    )
    assert sum(t.amount.minor for t in flat.trades) == 10_000_000  # the sale is bought back


def test_layers_beyond_twelve_months_apply():
    far = Position(kind="receivable", amount=Money.of("100000", "USD"), due=dt.date(2027, 3, 1))
    plan = hedge_plan([far], POLICY, functional="EUR", market=MARKET, as_of=DAY)
    assert [(b.bucket, str(b.trade)) for b in plan.buckets] == [("12-18M", "-20000.00 USD")]
    with pytest.raises(InputError, match="horizon"):
        hedge_plan([far], POLICY, functional="EUR", market=MARKET, as_of=DAY, buckets=(1, 3, 12))


def test_a_market_without_a_rate_is_refused():
    far = Position(kind="receivable", amount=Money.of("100000", "GBP"), due=dt.date(2026, 3, 1))
    with pytest.raises(RateUnavailableError, match="GBP"):
        hedge_plan(
            [far],
            POLICY,
            functional="EUR",
            market=Market(spot={"GBP": "1.16"}, rates={"EUR": "0.03"}),
            as_of=DAY,
        )


def test_forward_inputs_out_of_range_are_typed():
    args = {"start": DAY, "end": dt.date(2027, 1, 5)}
    with pytest.raises(InvalidAmountError):
        forward_rate(
            "EURUSD", "1.1", base_rate="0", quote_rate="1e9", compounding="continuous", **args
        )
    with pytest.raises(InputError):
        forward_value(
            Money.of("1", "EUR"),
            "USD",
            strike="1",
            forward="1.1",
            spot="1",
            quote_rate="0.01",
            valuation_date=DAY,
            value_date=dt.date(2026, 6, 1),
            compounding="annual",
        )
    with pytest.raises(InvalidAmountError):
        parametric_var({"A": Money.of("1", "USD")}, {("A", "A"): "1"}, z="abc")
    with pytest.raises(InvalidAmountError):
        parametric_var({"A": Money.of("1", "USD")}, {("A", "A"): "1"}, confidence="NaN")


def test_parquet_is_replaced_only_when_whole(tmp_path):
    rates = FixedRates.from_mapping({"EUR/USD": "1.085"})
    source, target = tmp_path / "in.parquet", tmp_path / "out.parquet"
    pq.write_table(pa.table({"amount": [1, 2], "currency": ["USD", "GBP"]}), source)
    with pytest.raises(RateUnavailableError):
        convert_parquet(source, target, "EUR", rates=rates, as_of=DAY)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == [source]
    empty = tmp_path / "empty.parquet"
    pq.write_table(
        pa.table({"amount": pa.array([], pa.int64()), "currency": pa.array([], pa.string())}), empty
    )
    assert convert_parquet(empty, target, "EUR", rates=rates, as_of=DAY) == 0
    assert pq.read_table(target).num_rows == 0
    with pytest.raises(InputError, match="amout"):
        convert_parquet(source, target, "EUR", rates=rates, as_of=DAY, amout="x")


def test_output_columns_are_not_doubled():
    rates = FixedRates.from_mapping({"EUR/USD": "1.085"})
    once = convert_many(
        pa.table({"amount": [1], "currency": ["USD"]}), "EUR", rates=rates, as_of=DAY
    )
    assert b"crossborder.conversion" in once.schema.metadata
    with pytest.raises(InputError, match="already has"):
        convert_many(once, "EUR", rates=rates, as_of=DAY)


def test_crosses_of_two_t_plus_one_currencies_are_t_plus_two():
    assert spot_date("USDCAD", dt.date(2026, 3, 3)).value_date == dt.date(2026, 3, 4)
    assert spot_date("CADTRY", dt.date(2026, 3, 3)).value_date == dt.date(2026, 3, 5)


def test_a_currency_that_ended_is_refused_even_to_itself():
    with pytest.raises(RateUnavailableError, match="Bulgaria"):
        convert(Money.of("10", "BGN"), "BGN", as_of=dt.date(2026, 3, 1))


def test_a_partial_ecb_file_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("CROSSBORDER_HOME", str(tmp_path / "home"))
    recent = tmp_path / "recent.csv"
    recent.write_text("Date,USD,JPY\n2026-11-02,1.1180,175.1\n2026-10-30,1.1172,175.68\n")
    with pytest.raises(InputError, match="full history"):
        install_ecb_file(recent)
    assert not (tmp_path / "home").exists()


def test_junk_rounding_in_batches():
    with pytest.raises(CrossborderError):
        convert_many(
            pa.table({"amount": [1], "currency": ["USD"]}),
            "EUR",
            rates=FixedRates.from_mapping({"EUR/USD": "1.1"}),
            as_of=DAY,
            rounding="nearest",
        )


def test_value_dates_far_out_are_typed_errors():
    from crossborder.errors import NotFoundError
    from crossborder.fx import value_date

    with pytest.raises(NotFoundError):
        value_date("EURUSD", dt.date(9999, 12, 30), "SPOT")
    with pytest.raises(NotFoundError):
        value_date("EURUSD", dt.date(2190, 1, 4), "99Y")


def test_rate_errors_name_the_real_cause():
    from crossborder.fx import EcbRates, get_rate

    with pytest.raises(RateUnavailableError, match="starts on 1999-01-04"):
        get_rate("USD", "EUR", as_of=dt.date(1990, 1, 2), provider=EcbRates.packaged())
    receivable = Position(kind="receivable", amount=Money.of("1", "CHF"), due=dt.date(2026, 2, 1))
    with pytest.raises(RateUnavailableError, match="no spot for CHF"):
        hedge_plan([receivable], POLICY, functional="EUR", market=MARKET, as_of=DAY)


def test_an_older_ecb_file_is_refused(tmp_path, monkeypatch):
    import zipfile

    from crossborder.fx import EcbRates

    monkeypatch.setenv("CROSSBORDER_HOME", str(tmp_path / "home"))
    with zipfile.ZipFile(EcbRates.packaged().path) as archive:
        lines = archive.read("eurofxref-hist.csv").decode().splitlines()
    old = [lines[0]] + [x for x in lines[1:] if x[:4] <= "2020"]
    path = tmp_path / "old.csv"
    path.write_text("\n".join(old))
    with pytest.raises(InputError, match="would not be used"):
        install_ecb_file(path)
