"""Forwards by covered interest parity against QuantLib's FX forward engine (the oracle)."""

import datetime as dt
from decimal import Decimal

import pytest
import QuantLib as ql  # noqa: N813 (the name QuantLib documents)
from hypothesis import given, settings
from hypothesis import strategies as st

from crossborder.errors import CrossborderError, InputError, InvalidAmountError
from crossborder.fx import forward_rate, forward_value
from crossborder.money import Money

COUNTERS = {"ACT/360": ql.Actual360(), "ACT/365F": ql.Actual365Fixed()}
RATES = st.decimals(min_value=Decimal("-0.01"), max_value=Decimal("0.5"), places=5)


def qdate(day):
    return ql.Date(day.day, day.month, day.year)


def discount(rate, basis, start, end, compounding):
    kind = ql.Simple if compounding == "simple" else ql.Continuous
    interest = ql.InterestRate(float(rate), COUNTERS[basis], kind, ql.Annual)
    return interest.discountFactor(qdate(start), qdate(end))


def quantlib_forward(spot, strike, notional, rb, rq, bb, qb, start, end, compounding):
    """QuantLib's FX forward engine: fair forward, NPV in the quote and the base currency."""
    ql.Settings.instance().evaluationDate = qdate(start)

    def curve(rate, basis):
        df = discount(rate, basis, start, end, compounding)
        return ql.YieldTermStructureHandle(
            ql.DiscountCurve([qdate(start), qdate(end)], [1.0, df], COUNTERS[basis])
        )

    deal = ql.FxForward(
        float(notional),
        ql.EURCurrency(),
        ql.USDCurrency(),
        float(strike),
        qdate(end),
        False,
        0,
        ql.NullCalendar(),
    )
    deal.setPricingEngine(
        ql.DiscountingFxForwardEngine(
            curve(rb, bb), curve(rq, qb), ql.QuoteHandle(ql.SimpleQuote(float(spot)))
        )
    )
    return deal.fairForwardRate(), deal.npvTargetCurrency(), deal.npvSourceCurrency()


@settings(max_examples=200)
@given(
    st.decimals(min_value=Decimal("0.005"), max_value=Decimal("20000"), places=4),
    RATES,
    RATES,
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 1, 1)),
    st.integers(min_value=1, max_value=3660),
    st.sampled_from(sorted(COUNTERS)),
    st.sampled_from(sorted(COUNTERS)),
    st.sampled_from(["simple", "continuous"]),
)
def test_forward_agrees_with_quantlib(spot, rb, rq, start, days, bb, qb, compounding):
    end = start + dt.timedelta(days=days)
    ours = forward_rate(
        "EURUSD",
        spot,
        base_rate=rb,
        quote_rate=rq,
        start=start,
        end=end,
        base_basis=bb,
        quote_basis=qb,
        compounding=compounding,
    )
    strike = spot * Decimal("0.98")
    theirs, npv_quote, npv_base = quantlib_forward(
        spot, strike, 1_000_000, rb, rq, bb, qb, start, end, compounding
    )
    assert abs(float(ours.forward) / theirs - 1) < 1e-10
    value = forward_value(
        Money.of("1000000", "EUR"),
        "USD",
        strike=strike,
        forward=ours.forward,
        spot=spot,
        quote_rate=rq,
        valuation_date=start,
        value_date=end,
        quote_basis=qb,
        compounding=compounding,
    )
    assert abs(float(value.exact) / npv_quote - 1) < 1e-9
    assert abs(float(value.exact / spot) / npv_base - 1) < 1e-9


def test_money_market_bases_come_from_the_conventions():
    start, end = dt.date(2026, 1, 5), dt.date(2026, 7, 6)
    q = forward_rate(
        "GBPUSD", "1.2650", base_rate="0.0475", quote_rate="0.0430", start=start, end=end
    )
    assert q.base_fraction == Decimal(182) / 365  # GBP: ACT/365F
    assert q.quote_fraction == Decimal(182) / 360  # USD: ACT/360
    theirs = (
        1.2650
        * discount("0.0475", "ACT/365F", start, end, "simple")
        / discount("0.0430", "ACT/360", start, end, "simple")
    )
    assert abs(float(q.forward) / theirs - 1) < 1e-12
    assert q.points < 0  # the higher-yielding base trades at a forward discount


def test_jpy_points_are_in_hundredths():
    q = forward_rate(
        "USDJPY",
        "150.00",
        base_rate="0.045",
        quote_rate="0.005",
        start=dt.date(2026, 1, 5),
        end=dt.date(2027, 1, 5),
    )
    assert abs(q.points - (q.forward - Decimal("150.00")) * 100) < Decimal("1e-20")


def test_mark_to_market_agrees_with_quantlib_discounting():
    valued, settles = dt.date(2026, 3, 2), dt.date(2026, 9, 2)
    v = forward_value(
        Money.of("-2500000", "EUR"),
        "USD",
        strike="1.1000",
        forward="1.0950",
        spot="1.0900",
        quote_rate="-0.0050",
        valuation_date=valued,
        value_date=settles,
    )
    df = discount("-0.0050", "ACT/360", valued, settles, "simple")
    expected = -2_500_000 * (1.0950 - 1.1000) * df
    assert abs(float(v.exact) - expected) < 1e-6
    assert v.in_quote == Money.of(f"{expected:.2f}", "USD")
    assert v.in_base.currency == "EUR"


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"base_rate": 0.02}, InvalidAmountError),
        ({"spot": "-1"}, InvalidAmountError),
        ({"spot": "abc"}, InvalidAmountError),
        ({"quote_rate": "NaN"}, InvalidAmountError),
        ({"end": dt.date(2026, 1, 5)}, InputError),
        ({"compounding": "annual"}, InputError),
        ({"base_basis": "ACT/ACT"}, InputError),
        ({"pair": "EURXYZ"}, CrossborderError),
        ({"base_rate": "-5"}, InvalidAmountError),  # -500 % for 92 days leaves nothing
    ],
)
def test_junk_is_refused(kwargs, error):
    args = {
        "pair": "EURUSD",
        "spot": "1.0850",
        "base_rate": "0.02",
        "quote_rate": "0.045",
        "start": dt.date(2026, 1, 5),
        "end": dt.date(2026, 4, 7),
    } | kwargs
    pair, spot = args.pop("pair"), args.pop("spot")
    with pytest.raises(error):
        forward_rate(pair, spot, **args)


def test_junk_forward_values_are_refused():
    good = {
        "strike": "1.08",
        "forward": "1.09",
        "spot": "1.085",
        "quote_rate": "0.04",
        "valuation_date": dt.date(2026, 1, 5),
        "value_date": dt.date(2026, 4, 7),
    }
    with pytest.raises(InvalidAmountError):
        forward_value(100, "USD", **good)
    with pytest.raises(InputError):
        forward_value(Money.of("1", "EUR"), "USD", **good | {"value_date": dt.date(2025, 1, 1)})
    with pytest.raises(InvalidAmountError):
        forward_value(Money.of("1", "EUR"), "USD", **good | {"strike": "0"})
