"""Business days, spot and value dates, day counts: market cases and QuantLib as the oracle."""

import datetime as dt
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
import QuantLib as ql  # noqa: N813 (the name QuantLib documents)
from hypothesis import given, settings
from hypothesis import strategies as st

from crossborder.errors import CrossborderError, InputError, InvalidCodeError, NotFoundError
from crossborder.fx import is_business_day, spot_date, value_date, year_fraction
from crossborder.rules import RuleBook

BOOK = RuleBook.packaged()
COVERED = sorted({r.id.split(".")[1].upper() for r in BOOK if r.id.startswith("fx.")})
DIFFERENCES = tomllib.loads((Path(__file__).parent / "calendar_differences.toml").read_text())
ORACLES = {
    "EUR": ql.TARGET(),
    "USD": ql.UnitedStates(ql.UnitedStates.FederalReserve),
    "GBP": ql.UnitedKingdom(ql.UnitedKingdom.Settlement),
    "JPY": ql.Japan(),
    "CHF": ql.Switzerland(),
    "CAD": ql.Canada(ql.Canada.Settlement),
    "AUD": ql.Australia(),
}


def test_thanksgiving_does_not_move_eurusd_spot():
    """T+1 (26 Nov 2026) is a US holiday but counts as a EUR business day: spot is Friday.

    A calendar that joined both currencies for the count would give Monday 30 November.
    """
    trade = dt.date(2026, 11, 25)
    assert spot_date("EURUSD", trade).value_date == dt.date(2026, 11, 27)
    naive, day, count = None, trade, 0
    while count < 2:
        day += dt.timedelta(days=1)
        if is_business_day("EUR", day) and is_business_day("USD", day):
            count += 1
    naive = day
    assert naive == dt.date(2026, 11, 30)


def test_latin_american_currencies_count_the_usd_holiday():
    assert spot_date("USDMXN", dt.date(2026, 11, 25)).value_date == dt.date(2026, 11, 30)


def test_t_plus_one_pairs():
    assert spot_date("USDCAD", dt.date(2026, 3, 3)).value_date == dt.date(2026, 3, 4)
    assert spot_date("USDCAD", dt.date(2026, 11, 25)).value_date == dt.date(2026, 11, 27)
    assert spot_date("USDTRY", dt.date(2026, 3, 3)).value_date == dt.date(2026, 3, 4)


def test_crosses_settle_on_a_usd_business_day_too():
    """EUR/GBP traded Wednesday 2026-05-20: T+2 is Friday 22, then Monday 25 is a
    US and UK holiday: the Friday stands. Traded Thursday 21: T+2 is Monday 25 (UK
    and US closed), then Tuesday 26."""
    assert spot_date("EURGBP", dt.date(2026, 5, 20)).value_date == dt.date(2026, 5, 22)
    assert spot_date("EURGBP", dt.date(2026, 5, 21)).value_date == dt.date(2026, 5, 26)


@settings(max_examples=300)
@given(
    st.sampled_from(COVERED),
    st.sampled_from(COVERED),
    st.dates(min_value=dt.date(2005, 1, 1), max_value=dt.date(2030, 12, 31)),
)
def test_spot_is_never_a_holiday_of_either_currency(base, quote, trade):
    if base == quote:
        return
    spot = spot_date(base + quote, trade).value_date
    assert spot > trade
    for code in {base, quote, "USD"}:
        assert is_business_day(code, spot), f"{base}{quote} spot {spot} is closed in {code}"


@pytest.mark.parametrize("code", sorted(ORACLES))
def test_calendars_agree_with_quantlib(code):
    """Every business day 2010-2030 agrees with QuantLib, but for listed differences."""
    listed = {d["date"]: d["why"] for d in DIFFERENCES.get(code, [])}
    found = {}
    day = dt.date(2010, 1, 1)
    while day <= dt.date(2030, 12, 31):
        ours = is_business_day(code, day)
        theirs = ORACLES[code].isBusinessDay(ql.Date(day.day, day.month, day.year))
        if ours != theirs:
            found[day] = "ours open" if ours else "QuantLib open"
        day += dt.timedelta(days=1)
    assert set(found) == set(listed), sorted(set(found) ^ set(listed))[:10]


def test_tenors_roll_as_the_market_does():
    trade = dt.date(2026, 11, 24)
    got = {t: value_date("EURUSD", trade, t) for t in ("ON", "TN", "SPOT", "SN", "1W", "1M")}
    assert (got["ON"].start, got["ON"].value_date) == (trade, dt.date(2026, 11, 25))
    assert (got["TN"].start, got["TN"].value_date) == (dt.date(2026, 11, 25), dt.date(2026, 11, 27))
    assert got["SN"].value_date == dt.date(2026, 11, 30)
    assert got["1W"].value_date == dt.date(2026, 12, 4)
    assert got["1M"].value_date == dt.date(2026, 12, 28)  # 27 December is a Sunday
    with pytest.raises(NotFoundError, match="no TN"):
        value_date("EURUSD", dt.date(2026, 11, 25), "TN")  # T+1 is Thanksgiving


def test_end_of_month_and_modified_following():
    # spot Thursday 30 April 2026 is April's last business day: 1M is 29 May (31st a Sunday)
    trade = dt.date(2026, 4, 28)
    assert spot_date("EURUSD", trade).value_date == dt.date(2026, 4, 30)
    assert value_date("EURUSD", trade, "1M").value_date == dt.date(2026, 5, 29)
    assert value_date("EURUSD", trade, "3M").value_date == dt.date(2026, 7, 31)
    # spot Friday 29 January 2027 is January's last business day: 1M is 26 February
    spot = spot_date("EURUSD", dt.date(2027, 1, 27)).value_date
    assert spot == dt.date(2027, 1, 29)
    assert value_date("EURUSD", dt.date(2027, 1, 27), "1M").value_date == dt.date(2027, 2, 26)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (dt.date(2026, 1, 5), dt.date(2026, 4, 7)),
        (dt.date(2026, 1, 31), dt.date(2026, 3, 31)),
        (dt.date(2026, 1, 30), dt.date(2026, 3, 31)),
        (dt.date(2026, 2, 28), dt.date(2026, 8, 31)),
        (dt.date(2024, 2, 29), dt.date(2025, 2, 28)),
        (dt.date(2025, 12, 31), dt.date(2026, 12, 31)),
    ],
)
def test_day_counts_agree_with_quantlib(start, end):
    qs, qe = ql.Date(start.day, start.month, start.year), ql.Date(end.day, end.month, end.year)
    for basis, counter in (
        ("ACT/360", ql.Actual360()),
        ("ACT/365F", ql.Actual365Fixed()),
        ("30/360", ql.Thirty360(ql.Thirty360.BondBasis)),
    ):
        ours = year_fraction(start, end, basis)
        assert abs(float(ours) - counter.yearFraction(qs, qe)) < 1e-15
        assert isinstance(ours, Decimal)


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("EURUSD", dt.date(2026, 1, 5), "0M"), InputError),
        (("EURUSD", dt.date(2026, 1, 5), "3X"), InputError),
        (("EURUSD", dt.date(2026, 1, 5), ""), InputError),
        (("EURUSD", dt.date(2026, 1, 5), None), InputError),
        (("EUREUR", dt.date(2026, 1, 5), "SPOT"), InvalidCodeError),
        (("EURUS", dt.date(2026, 1, 5), "SPOT"), InvalidCodeError),
        ((None, dt.date(2026, 1, 5), "SPOT"), InvalidCodeError),
        (("EURXYZ", dt.date(2026, 1, 5), "SPOT"), InvalidCodeError),
        (("EURUSD", "2026-01-05", "SPOT"), CrossborderError),
        (("EURUSD", dt.date(1990, 1, 5), "SPOT"), NotFoundError),
        (("EURVND", dt.date(2026, 1, 5), "SPOT"), NotFoundError),
    ],
)
def test_junk_is_refused(args, error):
    with pytest.raises(error):
        value_date(*args)


def test_junk_day_counts():
    with pytest.raises(InputError):
        year_fraction(dt.date(2026, 1, 1), dt.date(2026, 2, 1), "ACT/ACT")
