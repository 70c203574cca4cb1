"""Business days, FX spot and value dates, and day counts, from dated convention rules.

Each currency's settlement calendar (a calendar of the ``holidays`` package:
a financial market such as ``XECB`` for TARGET, or a country with its
subdivision and holiday categories, e.g. bank holidays),
its weekend (Gulf weekends changed), its spot lag and its money-market day
count are rules in ``fx/data/conventions.toml``, each with its sources.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as _dt
import re
import threading
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from crossborder._checks import check_date
from crossborder.errors import InputError, InvalidCodeError, NotFoundError
from crossborder.explain._model import Explainer, Explanation, RuleRef
from crossborder.money._currency import normalise_code
from crossborder.rules._book import AppliedRule, RuleBook, resolve_book

__all__ = [
    "DAY_COUNTS",
    "TENORS",
    "ValueDate",
    "is_business_day",
    "money_market_basis",
    "spot_date",
    "value_date",
    "year_fraction",
]

DayCount = Literal["ACT/360", "ACT/365F", "30/360"]
DAY_COUNTS: tuple[str, ...] = ("ACT/360", "ACT/365F", "30/360")
TENORS: tuple[str, ...] = ("ON", "TN", "SPOT", "SN", "1W", "2W", "1M", "2M", "3M", "6M", "9M", "1Y")
_DAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
_TENOR = re.compile(r"^(\d{1,2})([DWMY])$")
_LOCK = threading.Lock()
_CALENDARS: dict[tuple[tuple[str, str], ...], Any] = {}


class ValueDate(BaseModel):
    """When a currency pair's deal settles, and why.

    Attributes:
        pair: ``EUR/USD``.
        trade_date: the day the deal was struck.
        tenor: ``SPOT``, ``ON``, ``TN``, ``SN``, ``1W``, ``3M``...
        start: when the period begins (the trade date for ON, T+1 for TN, spot otherwise).
        value_date: when it settles (the end of the period).
        explanation: the calendars, spot lag and rolls used, with their rules.
    """

    model_config = ConfigDict(frozen=True)

    pair: str
    trade_date: _dt.date
    tenor: str
    start: _dt.date
    value_date: _dt.date
    explanation: Explanation


def _pair(pair: object) -> tuple[str, str]:
    if not isinstance(pair, str):
        raise InvalidCodeError(f"a currency pair is text such as 'EURUSD', got {pair!r}", code=pair)
    text = pair.replace("/", "").replace(" ", "").upper()
    if len(text) != 6:
        raise InvalidCodeError(
            f"a currency pair is six letters such as 'EURUSD', got {pair!r}", code=pair
        )
    base, quote = normalise_code(text[:3]), normalise_code(text[3:])
    if base == quote:
        raise InvalidCodeError(f"{pair!r} has the same currency twice", code=pair)
    return base, quote


class _Calendars:
    """Business-day answers for one rule book, with the rules they came from."""

    def __init__(self, book: RuleBook, ex: Explainer | None = None) -> None:
        self.book = book
        self.ex = ex
        self.used: dict[str, RuleRef] = {}

    def rule(self, currency: str, kind: str, day: _dt.date) -> AppliedRule:
        rule_id = f"fx.{currency.lower()}.{kind}"
        try:
            applied = self.book.get(rule_id, as_of=day, allow_provisional=True)
        except NotFoundError as exc:
            raise NotFoundError(
                f"no {kind.replace('_', ' ')} for {currency} on {day} in the FX conventions: {exc}",
                code=currency,
            ) from exc
        self.used.setdefault(applied.ref.ref, applied.ref)
        return applied

    def holidays(self, currency: str, day: _dt.date) -> Any:
        spec = self.rule(currency, "calendar", day).value
        key = tuple(sorted((str(k), str(v)) for k, v in spec.items()))
        found = _CALENDARS.get(key)
        if found is None:
            import holidays

            with _LOCK:
                if "financial" in spec:
                    found = holidays.financial_holidays(spec["financial"])
                else:
                    found = holidays.country_holidays(
                        spec["country"],
                        subdiv=spec.get("subdiv"),
                        categories=tuple(spec.get("categories", ("public",))),
                    )
                _CALENDARS[key] = found
        return found

    def open(self, currency: str, day: _dt.date) -> bool:
        """Whether ``currency`` settles on ``day``: not its weekend, not a holiday."""
        weekend = self.rule(currency, "weekend", day).value["days"]
        if _DAYS[day.weekday()] in weekend:
            return False
        return day not in self.holidays(currency, day)

    def all_open(self, currencies: tuple[str, ...], day: _dt.date) -> bool:
        return all(self.open(c, day) for c in currencies)

    def next_open(self, currencies: tuple[str, ...], day: _dt.date) -> _dt.date:
        day += _dt.timedelta(days=1)
        for _ in range(60):
            if self.all_open(currencies, day):
                return day
            day += _dt.timedelta(days=1)
        raise NotFoundError(f"no common business day of {', '.join(currencies)} near {day}")


def is_business_day(currency: str, day: _dt.date, *, rules: RuleBook | None = None) -> bool:
    """Whether ``currency`` settles on ``day`` (its weekend and holidays, as of that day).

    >>> thanksgiving = _dt.date(2026, 11, 26)
    >>> is_business_day("USD", thanksgiving), is_business_day("EUR", thanksgiving)
    (False, True)
    """
    return _Calendars(resolve_book(rules)).open(normalise_code(currency), check_date(day))


def spot_date(pair: str, trade_date: _dt.date, *, rules: RuleBook | None = None) -> ValueDate:
    """The market spot date of a currency pair for a trade date.

    T+2 (T+1 for USD/CAD, USD/TRY, USD/PHP, USD/RUB: the spot-lag rules),
    business days counted on the non-USD currencies' calendars; a USD holiday
    on the first day counts only for the currencies whose rule says so (Latin
    American ones). The spot date is then rolled to a day on which both
    currencies, and USD, settle.

    >>> spot_date("EURUSD", _dt.date(2026, 11, 25)).value_date  # Thanksgiving on T+1
    datetime.date(2026, 11, 27)
    """
    base, quote = _pair(pair)
    trade = _in_range(check_date(trade_date, name="trade_date"))
    ex = Explainer(data_version=resolve_book(rules).data_version)
    cal = _Calendars(resolve_book(rules), ex)
    spot = _spot(cal, base, quote, trade)
    return _result(cal, ex, base, quote, trade, "SPOT", spot, spot)


def _spot(cal: _Calendars, base: str, quote: str, trade: _dt.date) -> _dt.date:
    """Each non-USD currency's own spot (its lag on its calendar), the later one, then rolled.

    The lag counts business days of the currency alone; on the first day a USD
    holiday also counts where the currency's rule says so. A cross of two T+1
    currencies is T+2 (their T+1 is against USD). The later date is then rolled
    to a day on which both currencies and USD settle.
    """
    others = tuple(c for c in (base, quote) if c != "USD")
    found = []
    for code in others:
        lag = cal.rule(code, "spot_lag", trade).value
        days = int(lag["days"]) if len(others) == 1 else max(int(lag["days"]), 2)
        usd_counts = lag.get("usd_holiday_on_first_day") == "counts"
        day = trade
        for step in range(days):
            day = cal.next_open((code, "USD") if step == 0 and usd_counts else (code,), day)
        found.append((day, code, days, usd_counts))
    day = max(d for d, _, _, _ in found)
    settle = tuple(dict.fromkeys((base, quote, "USD")))
    rolled = day if cal.all_open(settle, day) else cal.next_open(settle, day)
    if cal.ex is not None:
        for own, code, days, usd_counts in found:
            cal.ex.step(
                f"{code} spot lag",
                business_days=days,
                usd_holiday_on_first_day="counts" if usd_counts else "ignored",
                output=own,
            )
        if rolled != day:
            cal.ex.step(
                "roll to a day all settle", currencies=", ".join(settle), date=day, output=rolled
            )
    return rolled


def value_date(
    pair: str, trade_date: _dt.date, tenor: str, *, rules: RuleBook | None = None
) -> ValueDate:
    """The value date of a tenor: ON, TN, SPOT, SN, or weeks, months and years from spot.

    Weeks roll Following; months and years roll Modified Following on both
    currencies' calendars, with the end-of-month rule (from the last business
    day of a month to the last business day of the target month).

    >>> value_date("EURUSD", _dt.date(2026, 11, 25), "1M").value_date
    datetime.date(2026, 12, 28)
    """
    base, quote = _pair(pair)
    trade = _in_range(check_date(trade_date, name="trade_date"))
    if not isinstance(tenor, str) or not tenor.strip():
        raise InputError(f"tenor is text such as '3M', got {tenor!r}")
    name = tenor.strip().upper()
    ex = Explainer(data_version=resolve_book(rules).data_version)
    cal = _Calendars(resolve_book(rules), ex)
    both = (base, quote)
    spot = _spot(cal, base, quote, trade)
    if name in ("ON", "TN"):
        start = trade if name == "ON" else cal.next_open(both, trade)
        end = cal.next_open(both, start) if name == "ON" else spot
        if not cal.all_open(both, start) or end > spot or start >= end:
            raise NotFoundError(
                f"{base}/{quote} has no {name} deal for {trade}: it must start on a day both "
                f"currencies settle and end by spot ({spot})",
                code=f"{base}/{quote}",
            )
        return _result(cal, ex, base, quote, trade, name, start, end)
    if name == "SPOT":
        return _result(cal, ex, base, quote, trade, name, spot, spot)
    if name == "SN":
        return _result(cal, ex, base, quote, trade, name, spot, cal.next_open(both, spot))
    match = _TENOR.match(name)
    if match is None:
        raise InputError(f"unknown tenor {tenor!r}: use ON, TN, SPOT, SN or e.g. 1W, 3M, 1Y")
    count, unit = int(match.group(1)), match.group(2)
    _in_range(trade + _dt.timedelta(days=count * 366 if unit == "Y" else count * 31))
    if count == 0:
        raise InputError(f"tenor {tenor!r} has no length")
    if unit in "DW":
        end = spot + _dt.timedelta(days=count * (7 if unit == "W" else 1))
        end = end if cal.all_open(both, end) else cal.next_open(both, end)
        ex.step("add to spot, roll Following", tenor=name, output=end)
        return _result(cal, ex, base, quote, trade, name, spot, end)
    months = count * (12 if unit == "Y" else 1)
    end = _add_months(cal, both, spot, months, ex)
    return _result(cal, ex, base, quote, trade, name, spot, end)


def _add_months(
    cal: _Calendars, both: tuple[str, str], spot: _dt.date, months: int, ex: Explainer
) -> _dt.date:
    year, month = divmod(spot.month - 1 + months, 12)
    year, month = spot.year + year, month + 1
    last = _calendar.monthrange(year, month)[1]
    end_of_month = _last_open(cal, both, spot.year, spot.month) == spot
    if end_of_month:
        end = _last_open(cal, both, year, month)
        ex.step("end-of-month rule", spot=spot, output=end)
        return end
    end = _dt.date(year, month, min(spot.day, last))
    rolled = end if cal.all_open(both, end) else cal.next_open(both, end)
    if rolled.month != end.month:  # Modified Following: stay in the month
        rolled = _last_open(cal, both, year, month)
    ex.step("add months to spot, roll Modified Following", months=months, date=end, output=rolled)
    return rolled


def _last_open(cal: _Calendars, both: tuple[str, str], year: int, month: int) -> _dt.date:
    day = _dt.date(year, month, _calendar.monthrange(year, month)[1])
    while not cal.all_open(both, day):
        day -= _dt.timedelta(days=1)
    return day


def _result(
    cal: _Calendars,
    ex: Explainer,
    base: str,
    quote: str,
    trade: _dt.date,
    tenor: str,
    start: _dt.date,
    end: _dt.date,
) -> ValueDate:
    for ref in cal.used.values():
        ex.step("convention", rule_id=ref.rule_id, output=ref.status, rule=ref)
    return ValueDate(
        pair=f"{base}/{quote}",
        trade_date=trade,
        tenor=tenor,
        start=start,
        value_date=end,
        explanation=ex.done(),
    )


def _in_range(day: _dt.date) -> _dt.date:
    """Dates whose value dates stay inside the calendar the conventions cover."""
    if not _dt.date(1999, 1, 1) <= day <= _dt.date(2199, 12, 31):
        raise NotFoundError(
            f"{day} is outside the years FX value dates are computed for (1999-2199)"
        )
    return day


def money_market_basis(currency: str, *, as_of: _dt.date, rules: RuleBook | None = None) -> str:
    """The day count of a currency's money-market rates: ``ACT/360`` or ``ACT/365F``.

    >>> money_market_basis("GBP", as_of=_dt.date(2026, 1, 5))
    'ACT/365F'
    """
    cal = _Calendars(resolve_book(rules))
    value = cal.rule(normalise_code(currency), "money_market_basis", check_date(as_of)).value
    return str(value["day_count"])


def year_fraction(start: _dt.date, end: _dt.date, basis: str) -> Decimal:
    """The exact year fraction from ``start`` to ``end`` under a day count.

    ``ACT/360`` and ``ACT/365F`` divide the actual days; ``30/360`` is the
    ISDA 30/360 bond basis (day 31 becomes 30; an end on the 31st becomes 30
    when the start is the 30th or 31st).

    >>> year_fraction(_dt.date(2026, 1, 31), _dt.date(2026, 3, 31), "30/360")
    Decimal('0.1666666666666666666666666667')
    """
    start, end = check_date(start, name="start"), check_date(end, name="end")
    if basis not in DAY_COUNTS:
        raise InputError(f"day count {basis!r} is not one of {', '.join(DAY_COUNTS)}")
    if basis == "ACT/360":
        return Decimal((end - start).days) / 360
    if basis == "ACT/365F":
        return Decimal((end - start).days) / 365
    d1, d2 = min(start.day, 30), end.day
    if d2 == 31 and d1 == 30:
        d2 = 30
    days = 360 * (end.year - start.year) + 30 * (end.month - start.month) + d2 - d1
    return Decimal(days) / 360
