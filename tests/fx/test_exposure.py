"""FX exposure per currency and bucket, hedged and open, table and chart."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crossborder.errors import CrossborderError, InputError, InvalidAmountError
from crossborder.fx import FixedRates, Hedge, Position, exposure, positions_from_csv
from crossborder.money import Money
from crossborder.testing import money

DAY = dt.date(2026, 3, 2)
RATES = FixedRates.from_mapping({"EUR/USD": "1.0850", "EUR/GBP": "0.8450", "EUR/JPY": "162.50"})


def position(kind, amount, currency, due=None, **kw):
    return Position(kind=kind, amount=Money.of(amount, currency), due=due, **kw)


def test_netting_buckets_and_hedges():
    book = [
        position("receivable", "100000", "USD", dt.date(2026, 4, 15)),
        position("payable", "30000", "USD", dt.date(2026, 4, 20)),
        position("forecast_sale", "500000", "USD", dt.date(2026, 9, 30), type="economic"),
        position("cash", "-2500", "GBP"),
        position("payable", "10000", "GBP", dt.date(2026, 2, 27)),  # overdue
        position("receivable", "5000", "EUR", dt.date(2026, 4, 1)),  # functional: no exposure
    ]
    hedges = [Hedge(amount=Money.of("-50000", "USD"), value_date=dt.date(2026, 4, 30))]
    report = exposure(book, functional="EUR", as_of=DAY, rates=RATES, hedges=hedges)
    cells = {(c.currency, c.bucket): c for c in report.cells}
    assert set(cells) == {("GBP", "due"), ("GBP", "spot"), ("USD", "1-3M"), ("USD", "6-12M")}
    usd = cells[("USD", "1-3M")]
    assert (usd.net, usd.hedged, usd.open) == (
        Money.of("70000", "USD"),
        Money.of("-50000", "USD"),
        Money.of("20000", "USD"),
    )
    assert usd.open_functional == Money.of("18433.18", "EUR")  # 20000 / 1.0850, half-even
    assert cells[("USD", "6-12M")].by_type == {"economic": Money.of("500000", "USD")}
    assert cells[("GBP", "due")].net == Money.of("-10000", "GBP")
    assert report.buckets[:2] == ("due", "spot")


@settings(max_examples=100)
@given(
    st.lists(
        money(currencies=["USD", "GBP", "JPY"], min_minor=1, max_minor=10**9),
        min_size=1,
        max_size=20,
    ),
    st.data(),
)
def test_cells_add_up_to_the_positions(amounts, data):
    kinds = ["receivable", "payable", "committed_sale", "forecast_purchase"]
    book = [
        Position(
            kind=data.draw(st.sampled_from(kinds)),
            amount=a,
            due=DAY + dt.timedelta(days=data.draw(st.integers(0, 800))),
        )
        for a in amounts
    ]
    report = exposure(book, functional="EUR", as_of=DAY, rates=RATES)
    for code in ("USD", "GBP", "JPY"):
        total = sum((p.signed.minor for p in book if p.amount.currency == code), 0)
        cells = sum((c.net.minor for c in report.cells if c.currency == code), 0)
        assert cells == total
    assert sum(c.positions for c in report.cells) == len(book)


def test_table_csv_and_chart(tmp_path):
    book = [
        position("receivable", "100000", "USD", dt.date(2026, 4, 15)),
        position("payable", "8000000", "JPY", dt.date(2026, 12, 1)),
    ]
    hedges = [Hedge(amount=Money.of("-60000", "USD"), value_date=dt.date(2026, 4, 15))]
    report = exposure(book, functional="EUR", as_of=DAY, rates=RATES, hedges=hedges)
    report.to_csv(tmp_path / "exposure.csv")
    text = (tmp_path / "exposure.csv").read_text()
    assert text.splitlines()[0] == "currency,bucket,net,hedged,open,net_EUR,open_EUR,positions"
    chart = report.plot(tmp_path / "exposure.png")
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(InputError):
        report.plot(tmp_path / "exposure.txt")


def test_positions_from_csv(tmp_path):
    path = tmp_path / "positions.csv"
    path.write_text(
        "kind,currency,amount,due,type,ref\n"
        "receivable,USD,1200.50,2026-04-15,transaction,INV-1\n"
        "cash,GBP,-300,,,\n"
    )
    book = positions_from_csv(path)
    assert [p.signed for p in book] == [Money.of("1200.50", "USD"), Money.of("-300", "GBP")]
    path.write_text("kind,currency,amount,due\nreceivable,USD,1.5e3,2026-04-15\n")
    with pytest.raises(InputError, match="row 2"):
        positions_from_csv(path)


@pytest.mark.parametrize(
    ("positions", "error"),
    [
        ([], InputError),
        ("positions", InputError),
        ([{"kind": "receivable", "amount": {"amount": "10", "currency": "USD"}}], InputError),
        (
            [{"kind": "loan", "amount": {"amount": "10", "currency": "USD"}, "due": "2026-04-01"}],
            InputError,
        ),
        (
            [
                {
                    "kind": "payable",
                    "amount": {"amount": "-10", "currency": "USD"},
                    "due": "2026-04-01",
                }
            ],
            InvalidAmountError,
        ),
        (
            [
                {
                    "kind": "payable",
                    "amount": {"amount": "10", "currency": "XYZ"},
                    "due": "2026-04-01",
                }
            ],
            CrossborderError,
        ),
        (
            [
                {
                    "kind": "payable",
                    "amount": {"amount": "10", "currency": "CHF"},
                    "due": "2026-04-01",
                }
            ],
            CrossborderError,
        ),  # no CHF rate
    ],
)
def test_junk_is_refused(positions, error):
    with pytest.raises(error):
        exposure(positions, functional="EUR", as_of=DAY, rates=RATES)


@pytest.mark.parametrize("buckets", [(), (3, 1), (0, 3), ("1",), "1,3", (1.5,)])
def test_junk_buckets(buckets):
    book = [position("receivable", "1", "USD", dt.date(2026, 4, 1))]
    with pytest.raises(InputError):
        exposure(book, functional="EUR", as_of=DAY, rates=RATES, buckets=buckets)
