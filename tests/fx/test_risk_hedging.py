"""VaR (Hull's examples), stress, hedge plans and effectiveness tests."""

import datetime as dt
import itertools
from decimal import Decimal as D  # noqa: N817 (short, for the many policy figures)

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crossborder.errors import CrossborderError, InputError, InvalidAmountError
from crossborder.fx import (
    EcbRates,
    Hedge,
    HedgeLayer,
    HedgePolicy,
    Market,
    Position,
    dollar_offset,
    hedge_plan,
    historical_var,
    parametric_var,
    regression_test,
    stress,
)
from crossborder.money import Money

USD = "USD"


def test_hull_single_position_and_portfolio():
    """Hull, Risk Management and Financial Institutions (3rd ed.), ch. 15: Microsoft USD 10m
    at 2% a day gives a 10-day 99% VaR of USD 1,473,621 with z = 2.33; AT&T USD 5m at 1%
    gives USD 368,405; the two with correlation 0.3 give USD 1,622,657."""
    cov = {("A", "A"): "0.0004", ("B", "B"): "0.0001", ("A", "B"): "0.00006"}
    a = parametric_var({"A": Money.of("10000000", USD)}, cov, horizon_days=10, z="2.33")
    b = parametric_var({"B": Money.of("5000000", USD)}, cov, horizon_days=10, z="2.33")
    both = parametric_var(
        {"A": Money.of("10000000", USD), "B": Money.of("5000000", USD)},
        cov,
        horizon_days=10,
        z="2.33",
    )
    assert round(a.var.amount) == 1473621
    assert round(b.var.amount) == 368405
    assert round(both.var.amount) == 1622657
    exact = parametric_var({"A": Money.of("10000000", USD)}, cov, horizon_days=10)
    assert exact.var < a.var  # the exact 99% quantile is 2.3263..., below Hull's 2.33


def test_historical_var_quantile_convention():
    ecb = EcbRates.packaged()
    pos = {"USD": Money.of("1000000", "EUR"), "GBP": Money.of("500000", "EUR")}
    r = historical_var(pos, rates=ecb, as_of=dt.date(2026, 10, 30), days=500)
    assert r.scenarios == 500
    assert "5th worst loss of 500" in r.explanation.to_text()
    assert r.expected_shortfall >= r.var > Money.zero("EUR")
    ten = historical_var(pos, rates=ecb, as_of=dt.date(2026, 10, 30), days=500, horizon_days=10)
    assert abs(ten.var.amount - r.var.amount * D(10).sqrt()) < D("0.02")


def test_historical_var_by_hand():
    """The 5th worst of 500 scenario losses, recomputed from the ECB columns directly."""
    ecb = EcbRates.packaged()
    day = dt.date(2025, 6, 30)
    dates, usd = ecb.column("USD")
    fixed = [(d, float(v)) for d, v in zip(dates, usd, strict=True) if v and d <= day][-501:]
    # EUR functional, long USD worth EUR 1m: value moves with EUR per USD = 1 / (EUR/USD)
    losses = sorted(
        (-(1_000_000 * ((1 / b) / (1 / a) - 1)) for (_, a), (_, b) in itertools.pairwise(fixed)),
        reverse=True,
    )
    r = historical_var({"USD": Money.of("1000000", "EUR")}, rates=ecb, as_of=day)
    assert abs(float(r.var.amount) - losses[4]) < 0.01
    assert abs(float(r.expected_shortfall.amount) - sum(losses[:5]) / 5) < 0.01


def test_stress():
    pos = {"USD": Money.of("1000000", "EUR"), "GBP": Money.of("-250000", "EUR")}
    out = stress(pos, {"USD": "-0.10", "*": "0.05"})
    assert out == {
        "USD": Money.of("-100000", "EUR"),
        "GBP": Money.of("-12500", "EUR"),
        "total": Money.of("-112500", "EUR"),
    }


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: stress({}, {"*": "0.1"}), InputError),
        (lambda: stress({"USD": Money.of("1", "EUR")}, {"*": 0.1}), InvalidAmountError),
        (lambda: stress({"USD": Money.of("1", "EUR")}, {"*": "-1"}), InvalidAmountError),
        (
            lambda: stress({"USD": Money.of("1", "EUR"), "GBP": Money.of("1", "USD")}, {"*": "0"}),
            InputError,
        ),
        (lambda: parametric_var({"A": Money.of("1", USD)}, {}), InputError),
        (
            lambda: parametric_var({"A": Money.of("1", USD)}, {("A", "A"): "1"}, confidence=0.99),
            InvalidAmountError,
        ),
        (
            lambda: parametric_var({"A": Money.of("1", USD)}, {("A", "A"): "1"}, confidence="1"),
            InvalidAmountError,
        ),
        (
            lambda: parametric_var({"A": Money.of("1", USD)}, {("A", "A"): "1"}, horizon_days=0),
            InputError,
        ),
        (
            lambda: historical_var(
                {"USD": Money.of("1", "EUR")}, rates=None, as_of=dt.date(2025, 1, 2)
            ),
            InputError,
        ),
        (
            lambda: historical_var(
                {"USD": Money.of("1", "EUR")}, rates=EcbRates.packaged(), as_of=dt.date(1999, 3, 1)
            ),
            CrossborderError,
        ),
        (
            lambda: historical_var(
                {"BGN": Money.of("1", "EUR")},
                rates=EcbRates.packaged(),
                as_of=dt.date(2026, 10, 30),
                days=600,
            ),
            CrossborderError,
        ),
    ],
)
def test_junk_risk_inputs(call, error):
    with pytest.raises(error):
        call()


POLICY = HedgePolicy(
    layers=[
        HedgeLayer(up_to_months=6, target=D("0.8"), minimum=D("0.7"), maximum=D("0.9")),
        HedgeLayer(up_to_months=12, target=D("0.5"), minimum=D("0.4"), maximum=D("0.6")),
    ],
    min_trade=D("1000"),
)
MARKET = Market(
    spot={"USD": D("0.92"), "GBP": D("1.16")},
    rates={"USD": D("0.05"), "GBP": D("0.045"), "EUR": D("0.03")},
)
DAY = dt.date(2026, 3, 2)


def receivable(amount, due, currency="USD"):
    return Position(kind="receivable", amount=Money.of(amount, currency), due=due)


def test_plan_brings_buckets_to_target_and_leaves_the_band_alone():
    book = [
        receivable("100000", dt.date(2026, 4, 15)),
        receivable("50000", dt.date(2026, 5, 20)),
        receivable("200000", dt.date(2026, 10, 1)),
    ]
    hedged = [
        Hedge(amount=Money.of("-100000", "USD"), value_date=dt.date(2026, 9, 30), rate=D("0.9100"))
    ]  # already 50% of the 6-12M bucket: inside 40-60%
    plan = hedge_plan(
        book, POLICY, functional="EUR", market=MARKET, as_of=DAY, existing_hedges=hedged
    )
    cover = {b.bucket: b for b in plan.buckets}
    assert cover["1-3M"].trade == Money.of("-120000", "USD")  # 80% of 150,000
    assert cover["6-12M"].trade == Money.zero("USD")
    by_date = {t.value_date: t.amount for t in plan.trades}
    assert by_date == {
        dt.date(2026, 4, 15): Money.of("-80000", "USD"),
        dt.date(2026, 5, 20): Money.of("-40000", "USD"),
    }
    assert D("0.91") < plan.blended_rate["USD"] < D("0.93")


@settings(max_examples=100)
@given(st.lists(st.integers(min_value=1, max_value=10**9), min_size=1, max_size=12), st.data())
def test_trades_sum_to_their_bucket(amounts, data):
    book = [
        receivable(str(D(a) / 100), DAY + dt.timedelta(days=data.draw(st.integers(1, 360))))
        for a in amounts
    ]
    plan = hedge_plan(book, POLICY, functional="EUR", market=MARKET, as_of=DAY)
    for bucket in plan.buckets:
        dealt = sum((t.amount.minor for t in plan.trades if t.bucket == bucket.bucket), 0)
        assert dealt == bucket.trade.minor


def test_the_ladder_rolls():
    """A position 8 months out is covered 50%; four months later it is 4 months out and
    the next plan tops the cover up to 80%."""
    book = [receivable("100000", dt.date(2026, 11, 2))]
    first = hedge_plan(book, POLICY, functional="EUR", market=MARKET, as_of=DAY)
    assert first.trades[0].amount == Money.of("-50000", "USD")
    hedges = [
        Hedge(amount=t.amount, value_date=t.value_date, rate=t.forward_rate) for t in first.trades
    ]
    later = hedge_plan(
        book,
        POLICY,
        functional="EUR",
        market=MARKET,
        as_of=dt.date(2026, 7, 1),
        existing_hedges=hedges,
    )
    assert later.trades[0].amount == Money.of("-30000", "USD")


def test_policy_from_toml(tmp_path):
    path = tmp_path / "policy.toml"
    path.write_text(
        'min_trade = "5000"\n[thresholds]\nGBP = "20000"\n'
        '[[layers]]\nup_to_months = 6\ntarget = "0.8"\nminimum = "0.7"\nmaximum = "0.9"\n'
    )
    policy = HedgePolicy.from_toml(path)
    assert policy.thresholds == {"GBP": D("20000")}
    path.write_text(
        '[[layers]]\nup_to_months = 6\ntarget = "0.8"\nminimum = "0.9"\nmaximum = "1"\n'
    )
    with pytest.raises(InputError, match="minimum <= target"):
        HedgePolicy.from_toml(path)


def test_dollar_offset_and_regression():
    r = dollar_offset(["-95", "-130", "0.4"], ["100", "100", "-0.2"], materiality="1")
    assert [p.effective for p in r.periods] == [True, False, True]
    assert r.periods[2].immaterial
    reg = regression_test(["-98", "-51", "-152", "-199", "-75"], ["100", "50", "150", "200", "80"])
    assert reg.effective
    assert reg.f_statistic > 100
    flat = regression_test(["5", "-3", "8", "-1"], ["100", "50", "150", "200"])
    assert not flat.effective


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: dollar_offset([], []), InputError),
        (lambda: dollar_offset(["1"], ["1", "2"]), InputError),
        (lambda: dollar_offset([1.5], ["1"]), InvalidAmountError),
        (lambda: dollar_offset(["NaN"], ["1"]), InvalidAmountError),
        (lambda: regression_test(["1", "2"], ["1", "2"]), InputError),
        (lambda: regression_test(["1", "1", "1"], ["1", "2", "3"]), InputError),
        (lambda: hedge_plan([], POLICY, functional="EUR", market=MARKET, as_of=DAY), InputError),
        (
            lambda: hedge_plan(
                [receivable("1", DAY)], "policy", functional="EUR", market=MARKET, as_of=DAY
            ),
            InputError,
        ),
    ],
)
def test_junk_hedging_inputs(call, error):
    with pytest.raises(error):
        call()
