import datetime as dt
from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crossborder.errors import (
    CrossborderError,
    InputError,
    InvalidAmountError,
    InvalidCodeError,
    RateUnavailableError,
)
from crossborder.fx import FixedRates, RateProvider, convert, get_rate
from crossborder.money import Money, RoundingMode
from crossborder.testing import money
from crossborder.testing.invariants import assert_explained

DAY = dt.date(2026, 1, 5)
RATES = FixedRates(
    [
        ("EUR", "USD", None, "1.0850"),
        ("EUR", "JPY", None, "160.50"),
        ("EUR", "KWD", DAY, "0.3330"),
    ]
)


def test_provider_protocol():
    assert isinstance(RATES, RateProvider)


def test_direct_inverse_identity():
    q = get_rate("EUR", "USD", as_of=DAY, provider=RATES)
    assert (q.rate, q.derivation, q.source) == (Decimal("1.0850"), "direct", "fixed table")
    inv = get_rate("USD", "EUR", as_of=DAY, provider=RATES)
    assert inv.derivation == "inverse"
    assert inv.ratio == (200, 217)  # 1 / 1.0850, exactly
    assert inv.legs == ("1 / EUR/USD 1.0850",)
    same = get_rate("EUR", "eur", as_of=DAY, provider=None)
    assert same.rate == 1


def test_dated_entries_only_on_their_day():
    assert get_rate("EUR", "KWD", as_of=DAY, provider=RATES).rate == Decimal("0.3330")
    with pytest.raises(RateUnavailableError, match="no EUR/KWD rate for 2026-01-06"):
        get_rate("EUR", "KWD", as_of=DAY + dt.timedelta(days=1), provider=RATES)


def test_convert_exact_across_exponents():
    assert convert(Money.of("100.00", "EUR"), "USD", as_of=DAY, rates=RATES).converted == Money.of(
        "108.50", "USD"
    )
    assert convert(Money.of("10.00", "EUR"), "JPY", as_of=DAY, rates=RATES).converted == Money.of(
        "1605", "JPY"
    )
    # 1000 JPY / 160.50 = 6.2305... EUR
    assert convert(Money.of("1000", "JPY"), "EUR", as_of=DAY, rates=RATES).converted == Money.of(
        "6.23", "EUR"
    )
    # inverse applied exactly: 108.50 USD / 1.0850 = 100 EUR exactly
    assert convert(Money.of("108.50", "USD"), "EUR", as_of=DAY, rates=RATES).converted == Money.of(
        "100.00", "EUR"
    )
    down = convert(
        Money.of("10.00", "USD"), "EUR", as_of=DAY, rates=RATES, rounding=RoundingMode.DOWN
    )
    assert down.converted == Money.of("9.21", "EUR")


def test_convert_is_explained():
    c = convert(Money.of("10.00", "USD"), "EUR", as_of=DAY, rates=RATES)
    assert_explained(c)
    assert "1 / EUR/USD 1.0850" in c.explanation.to_text()


def test_cross_rates_are_the_exact_product_of_the_legs():
    q = get_rate("USD", "JPY", as_of=DAY, provider=RATES)
    assert q.derivation == "cross"
    assert q.ratio == (32100, 217)  # 160.50 / 1.0850, exactly
    # 108.50 USD -> exactly 100 EUR -> exactly 16050 JPY
    assert convert(Money.of("108.50", "USD"), "JPY", as_of=DAY, rates=RATES).converted == Money.of(
        "16050", "JPY"
    )
    with pytest.raises(RateUnavailableError, match="via EUR"):
        get_rate("USD", "CHF", as_of=DAY, provider=RATES)


def test_errors():
    with pytest.raises(RateUnavailableError, match="pass rates="):
        convert(Money.of("1", "EUR"), "USD", as_of=DAY)
    with pytest.raises(InvalidAmountError, match="float"):
        FixedRates([("EUR", "USD", None, 1.08)])
    with pytest.raises(InvalidAmountError, match="positive"):
        FixedRates([("EUR", "USD", None, "0")])
    with pytest.raises(InvalidAmountError, match="not a number"):
        FixedRates([("EUR", "USD", None, "1,08")])
    with pytest.raises(InvalidCodeError):
        FixedRates([("EUR", "XYZ", None, "1.08")])
    with pytest.raises(InvalidAmountError):
        FixedRates.from_mapping({"EURUSD": "1.08"})
    with pytest.raises(InvalidAmountError):
        convert(1.5, "USD", as_of=DAY, rates=RATES)


@given(money(currencies=["USD"], min_minor=0, max_minor=10**12))
def test_round_trip_within_one_rounding_step(m):
    there = convert(m, "EUR", as_of=DAY, rates=RATES).converted
    back = convert(there, "USD", as_of=DAY, rates=RATES).converted
    # one EUR cent is worth 1.085 US cents: the round trip may be off by one cent
    assert abs(back.minor - m.minor) <= 1


@given(st.decimals(min_value=Decimal("0.0001"), max_value=Decimal(10000), places=4))
def test_identity_needs_no_provider(amount):
    m = Money.of(amount, "KWD", rounding=RoundingMode.HALF_UP)
    assert convert(m, "KWD", as_of=DAY).converted == m


def test_rates_from_csv_and_parquet(tmp_path):
    csv_file = tmp_path / "rates.csv"
    csv_file.write_text("base,quote,date,rate\nEUR,USD,2026-01-05,1.0850\nEUR,GBP,,0.8450\n")
    rates = FixedRates.from_file(csv_file)
    day = dt.date(2026, 1, 5)
    assert rates.fixing("EUR", "USD", day) == Decimal("1.0850")
    assert rates.fixing("EUR", "USD", dt.date(2026, 1, 6)) is None
    assert get_rate("GBP", "USD", as_of=day, provider=rates).derivation == "cross"
    parquet = tmp_path / "rates.parquet"
    pq.write_table(
        pa.table(
            {
                "base": ["EUR"],
                "quote": ["CHF"],
                "date": [day],
                "rate": pa.array([Decimal("0.9350")], pa.decimal128(10, 4)),
            }
        ),
        parquet,
    )
    assert FixedRates.from_file(parquet).fixing("EUR", "CHF", day) == Decimal("0.9350")


@pytest.mark.parametrize(
    "text",
    [
        "base,quote,date,rate\nEUR,USD,2026-01-05,NaN\n",
        "base,quote,date,rate\nEUR,USD,2026-01-05,-1\n",
        "base,quote,date,rate\nEUR,USD,2026-01-05,0\n",
        "base,quote,date,rate\nEUR,USD,2026-01-05,abc\n",
        "base,quote,date,rate\nEUR,USD,2026-01-05,1.1\nEUR,USD,2026-01-05,1.2\n",
        "base,quote,date,rate\nEUR,USD,05/01/2026,1.1\n",
        "base,quote,rate\nEUR,USD,1.1\n",
        "base,quote,date,rate\nEUR,XYZ,2026-01-05,1.1\n",
    ],
)
def test_junk_rate_tables_are_refused(tmp_path, text):
    path = tmp_path / "rates.csv"
    path.write_text(text)
    with pytest.raises(CrossborderError):
        FixedRates.from_file(path)


def test_float_parquet_rates_are_refused(tmp_path):
    path = tmp_path / "rates.parquet"
    pq.write_table(
        pa.table({"base": ["EUR"], "quote": ["USD"], "date": [None], "rate": [1.085]}), path
    )
    with pytest.raises(InvalidAmountError, match="floating point"):
        FixedRates.from_file(path)
    with pytest.raises(InputError):
        FixedRates.from_file(tmp_path / "missing.csv")
