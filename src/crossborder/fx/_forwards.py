"""FX forwards by covered interest parity, forward points, and the value of an open forward.

Rates are decimal fractions (``Decimal("0.0525")``); negative rates are fine.
Each currency accrues on its own money-market day count (``ACT/360`` for EUR
and USD, ``ACT/365F`` for GBP...), from the conventions rules unless given.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Context, Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict

from crossborder._checks import check_date
from crossborder.errors import InputError, InvalidAmountError
from crossborder.explain._model import Explainer, Explanation
from crossborder.fx._dates import _pair, money_market_basis, year_fraction
from crossborder.money._money import Money
from crossborder.money._rounding import RoundingMode
from crossborder.rules._book import RuleBook, resolve_book

__all__ = ["ForwardQuote", "ForwardValue", "forward_rate", "forward_value"]

Compounding = Literal["simple", "continuous"]
_PRECISE = Context(prec=34)


class ForwardQuote(BaseModel):
    """A forward rate and how it was reached.

    Attributes:
        pair: ``EUR/USD`` (1 base = rate quote).
        spot: the spot rate.
        forward: the outright forward rate (34 significant digits).
        points: forward minus spot, in pips (1/10,000; 1/100 for JPY quotes).
        start: the spot date the interest accrues from.
        end: the forward value date.
        base_fraction: the base currency's year fraction on its day count.
        quote_fraction: the quote currency's year fraction on its day count.
        explanation: the inputs, day counts and formula used.
    """

    model_config = ConfigDict(frozen=True)

    pair: str
    spot: Decimal
    forward: Decimal
    points: Decimal
    start: _dt.date
    end: _dt.date
    base_fraction: Decimal
    quote_fraction: Decimal
    explanation: Explanation


class ForwardValue(BaseModel):
    """The mark-to-market of an open forward, in the quote and the base currency.

    Attributes:
        in_quote: value to the buyer of the base currency, in the quote currency.
        in_base: the same value in the base currency, at the spot rate.
        exact: the unrounded value in the quote currency.
        explanation: the forward, discount factor and formula used.
    """

    model_config = ConfigDict(frozen=True)

    in_quote: Money
    in_base: Money
    exact: Decimal
    explanation: Explanation


def _decimal(value: object, what: str) -> Decimal:
    if isinstance(value, str):
        try:
            value = Decimal(value)
        except ArithmeticError:
            raise InvalidAmountError(f"{what} {value!r} is not a number") from None
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        extra = "; floats cannot hold decimal rates exactly" if isinstance(value, float) else ""
        raise InvalidAmountError(f"{what} must be a Decimal or text, got {value!r}{extra}")
    value = Decimal(value)
    if not value.is_finite():
        raise InvalidAmountError(f"{what} must be finite, got {value}")
    return value


def _growth(rate: Decimal, fraction: Decimal, compounding: str) -> Decimal:
    """What 1 grows to over ``fraction`` of a year at ``rate``."""
    if compounding not in ("simple", "continuous"):
        raise InputError(f"compounding is 'simple' or 'continuous', got {compounding!r}")
    try:
        if compounding == "simple":
            growth = _PRECISE.add(1, _PRECISE.multiply(rate, fraction))
        else:
            growth = _PRECISE.exp(_PRECISE.multiply(rate, fraction))
    except ArithmeticError:
        raise InvalidAmountError(
            f"a rate of {rate} over {fraction} years is out of range"
        ) from None
    if growth <= 0:
        raise InvalidAmountError(f"a rate of {rate} over {fraction} years leaves nothing")
    return growth


def _basis(currency: str, given: str | None, day: _dt.date, book: RuleBook) -> str:
    return given if given is not None else money_market_basis(currency, as_of=day, rules=book)


def forward_rate(
    pair: str,
    spot: Decimal | str,
    *,
    base_rate: Decimal | str,
    quote_rate: Decimal | str,
    start: _dt.date,
    end: _dt.date,
    base_basis: str | None = None,
    quote_basis: str | None = None,
    compounding: Compounding = "simple",
    rules: RuleBook | None = None,
) -> ForwardQuote:
    """The outright forward by covered interest parity.

    ``F = S x (1 + r_quote x t_quote) / (1 + r_base x t_base)`` with simple
    money-market rates, or ``S x exp(r_quote x t_quote - r_base x t_base)``
    with continuous compounding; each ``t`` on its currency's day count.

    >>> import datetime as dt
    >>> q = forward_rate("EURUSD", "1.0850", base_rate="0.0200", quote_rate="0.0450",
    ...                  start=dt.date(2026, 1, 5), end=dt.date(2026, 4, 7))
    >>> round(q.forward, 6), round(q.points, 2)
    (Decimal('1.091897'), Decimal('68.97'))
    """
    base, quote = _pair(pair)
    start, end = check_date(start, name="start"), check_date(end, name="end")
    if end <= start:
        raise InputError(f"the forward date {end} must be after the start {start}")
    if compounding not in ("simple", "continuous"):
        raise InputError(f"compounding is 'simple' or 'continuous', got {compounding!r}")
    s = _decimal(spot, "spot")
    if s <= 0:
        raise InvalidAmountError(f"spot must be positive, got {s}")
    rb, rq = _decimal(base_rate, "base_rate"), _decimal(quote_rate, "quote_rate")
    book = resolve_book(rules)
    bb, qb = _basis(base, base_basis, start, book), _basis(quote, quote_basis, start, book)
    tb, tq = year_fraction(start, end, bb), year_fraction(start, end, qb)
    growth_q, growth_b = _growth(rq, tq, compounding), _growth(rb, tb, compounding)
    try:
        forward = _PRECISE.divide(_PRECISE.multiply(s, growth_q), growth_b)
    except ArithmeticError:
        raise InvalidAmountError("the forward is out of range for these rates") from None
    pip = Decimal("0.01") if quote == "JPY" else Decimal("0.0001")
    points = _PRECISE.divide(_PRECISE.subtract(forward, s), pip)
    ex = Explainer(data_version=book.data_version)
    ex.step(
        "forward by covered interest parity",
        pair=f"{base}/{quote}",
        spot=s,
        base_rate=f"{rb} {bb} over {tb} years",
        quote_rate=f"{rq} {qb} over {tq} years",
        compounding=compounding,
        output=forward,
    )
    return ForwardQuote(
        pair=f"{base}/{quote}",
        spot=s,
        forward=forward,
        points=points,
        start=start,
        end=end,
        base_fraction=tb,
        quote_fraction=tq,
        explanation=ex.done(),
    )


def forward_value(
    notional: Money,
    quote_currency: str,
    *,
    strike: Decimal | str,
    forward: Decimal | str,
    spot: Decimal | str,
    quote_rate: Decimal | str,
    valuation_date: _dt.date,
    value_date: _dt.date,
    quote_basis: str | None = None,
    compounding: Compounding = "simple",
    rounding: RoundingMode = RoundingMode.HALF_EVEN,
    rules: RuleBook | None = None,
) -> ForwardValue:
    """Mark-to-market of a forward to buy ``notional`` (base) for ``strike`` (quote per base).

    ``V = N x (F - K) x DF_quote``, the discount factor on the quote
    currency's rate from the valuation date to the value date; a negative
    notional is a sale. In the base currency: ``V / S``.

    >>> import datetime as dt
    >>> v = forward_value(Money.of("1000000", "EUR"), "USD", strike="1.0800", forward="1.0918",
    ...                   spot="1.0850", quote_rate="0.0450", valuation_date=dt.date(2026, 1, 5),
    ...                   value_date=dt.date(2026, 4, 7))
    >>> v.in_quote, v.in_base
    (Money('11665.84', 'USD'), Money('10751.93', 'EUR'))
    """
    if not isinstance(notional, Money):
        raise InvalidAmountError(f"notional must be Money, got {type(notional).__name__}")
    base, quote = _pair(notional.currency + str(quote_currency).strip().upper())
    valued, settles = (
        check_date(valuation_date, name="valuation_date"),
        check_date(value_date, name="value_date"),
    )
    if settles < valued:
        raise InputError(f"the forward settled on {settles}, before the valuation date {valued}")
    k, f, s = _decimal(strike, "strike"), _decimal(forward, "forward"), _decimal(spot, "spot")
    if min(k, f, s) <= 0:
        raise InvalidAmountError("strike, forward and spot must be positive")
    rq = _decimal(quote_rate, "quote_rate")
    book = resolve_book(rules)
    qb = _basis(quote, quote_basis, valued, book)
    tq = year_fraction(valued, settles, qb)
    discount = _PRECISE.divide(1, _growth(rq, tq, compounding))
    try:
        exact = _PRECISE.multiply(
            _PRECISE.multiply(notional.amount, _PRECISE.subtract(f, k)), discount
        )
    except ArithmeticError:
        raise InvalidAmountError("the value is out of range for these inputs") from None
    in_quote = Money.of(exact, quote, rounding=rounding)
    in_base = Money.of(_PRECISE.divide(exact, s), base, rounding=rounding)
    ex = Explainer(data_version=book.data_version)
    ex.step(
        "forward mark-to-market",
        notional=notional,
        strike=k,
        forward=f,
        discount_factor=f"{discount} ({rq} {qb} over {tq} years)",
        output=in_quote,
    )
    ex.step("in the base currency at spot", spot=s, output=in_base)
    return ForwardValue(in_quote=in_quote, in_base=in_base, exact=exact, explanation=ex.done())
