"""IAS 21 revaluation and settlement: worked example, properties, balanced journals."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crossborder.errors import CrossborderError, CurrencyMismatchError, InputError
from crossborder.fx import FixedRates, MonetaryItem, revalue, settle
from crossborder.money import Money

YEAR_END = dt.date(2025, 12, 31)


def item(side, amount, currency, carrying, ref="X"):
    return MonetaryItem(
        ref=ref,
        side=side,
        amount=Money.of(amount, currency),
        carrying=Money.of(carrying, "EUR"),
        account=f"{side} {currency}",
    )


def balanced(lines):
    totals = {}
    for line in lines:
        sign = 1 if line.side == "debit" else -1
        for m in (line.amount, line.foreign):
            if m is not None:
                totals[m.currency] = totals.get(m.currency, 0) + sign * m.minor
    return all(v == 0 for v in totals.values())


def test_worked_example_through_a_year_end():
    """IAS 21.21 / 21.23(a) / 21.28: sale at 1.10, year end at 1.05, paid at 1.08."""
    sale = item("asset", "10000", "USD", "9090.91", "INV-1")
    closing = revalue(
        [sale], functional="EUR", as_of=YEAR_END, rates=FixedRates.from_mapping({"EUR/USD": "1.05"})
    )
    assert closing.net_gain == Money.of("432.90", "EUR")
    carried = sale.model_copy(update={"carrying": closing.items[0].revalued})
    paid = settle(
        carried,
        settled=Money.of("10000", "USD"),
        on=dt.date(2026, 1, 15),
        rates=FixedRates.from_mapping({"EUR/USD": "1.08"}),
        cash_account="USD bank",
    )
    assert paid.realised == Money.of("-264.55", "EUR")
    # over both periods: 9,259.26 received for 9,090.91 booked = +168.35
    assert closing.net_gain + paid.realised == Money.of("168.35", "EUR")
    assert balanced(closing.lines)
    assert balanced(paid.lines)


def test_liabilities_lose_when_the_foreign_currency_strengthens():
    payable = item("liability", "500000", "JPY", "3125.00")  # booked at 160
    r = revalue(
        [payable],
        functional="EUR",
        as_of=YEAR_END,
        rates=FixedRates.from_mapping({"EUR/JPY": "150"}),
    )
    assert r.items[0].revalued == Money.of("3333.33", "EUR")
    assert r.net_gain == Money.of("-208.33", "EUR")
    assert [(x.side, x.account) for x in r.lines] == [
        ("credit", "liability JPY"),
        ("debit", "unrealised FX loss"),
    ]


@settings(max_examples=150)
@given(
    st.sampled_from(["asset", "liability"]),
    st.integers(min_value=1, max_value=10**9),
    st.integers(min_value=0, max_value=10**9),
    st.decimals(min_value="0.5", max_value="2.5", places=4),
    st.decimals(min_value="0.5", max_value="2.5", places=4),
    st.integers(min_value=1, max_value=100),
)
def test_revalue_then_settle_adds_up(side, minor, carrying, closing, paid_rate, percent):
    it = MonetaryItem(
        ref="P",
        side=side,
        amount=Money.from_minor(minor, "USD"),
        carrying=Money.from_minor(carrying, "EUR"),
        account="item",
    )
    r = revalue(
        [it],
        functional="EUR",
        as_of=YEAR_END,
        rates=FixedRates.from_mapping({"EUR/USD": str(closing)}),
    )
    assert balanced(r.lines)
    carried = it.model_copy(update={"carrying": r.items[0].revalued})
    part = Money.from_minor(max(1, minor * percent // 100), "USD")
    s = settle(
        carried,
        settled=part,
        on=dt.date(2026, 1, 15),
        cash_account="bank",
        rates=FixedRates.from_mapping({"EUR/USD": str(paid_rate)}),
    )
    assert balanced(s.lines)
    if s.remaining is not None:
        assert s.remaining.amount + part == it.amount
        released = next(x.amount for x in s.lines if x.account == "item")
        assert s.remaining.carrying + released == carried.carrying


@pytest.mark.parametrize(
    ("items", "error"),
    [
        ([], InputError),
        ([item("asset", "100", "EUR", "100")], InputError),  # functional currency
        (
            [
                MonetaryItem(
                    ref="X",
                    side="asset",
                    amount=Money.of("1", "USD"),
                    carrying=Money.of("1", "GBP"),
                    account="a",
                )
            ],
            CurrencyMismatchError,
        ),
        (
            [
                {
                    "ref": "X",
                    "side": "both",
                    "amount": {"amount": "1", "currency": "USD"},
                    "carrying": {"amount": "1", "currency": "EUR"},
                    "account": "a",
                }
            ],
            InputError,
        ),
        ([item("asset", "100", "CHF", "95")], CrossborderError),  # no rate
    ],
)
def test_junk_is_refused(items, error):
    with pytest.raises(error):
        revalue(
            items,
            functional="EUR",
            as_of=YEAR_END,
            rates=FixedRates.from_mapping({"EUR/USD": "1.05"}),
        )


def test_junk_settlements():
    it = item("asset", "100", "USD", "90")
    rates = FixedRates.from_mapping({"EUR/USD": "1.05"})
    with pytest.raises(CurrencyMismatchError):
        settle(it, settled=Money.of("10", "GBP"), on=YEAR_END, rates=rates, cash_account="b")
    with pytest.raises(CrossborderError):
        settle(it, settled=Money.of("101", "USD"), on=YEAR_END, rates=rates, cash_account="b")
