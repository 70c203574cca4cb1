"""FX risk of a multi-currency position: parametric and historical VaR, expected shortfall, stress.

A position is the functional-currency value held in each foreign currency
(long positive). Risk figures are statistics: they are computed in floating
point and returned rounded to the functional currency's minor unit.

Quantile convention (historical): with ``N`` scenarios and confidence ``c``,
``k = ceil(N x (1 - c))``; VaR is the ``k``-th worst loss and expected
shortfall the mean of the ``k`` worst losses (500 scenarios at 99%: the 5th
worst loss, and the mean of the 5 worst), as in Hull, *Risk Management and
Financial Institutions*, historical simulation.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from statistics import NormalDist
from typing import Any

from pydantic import BaseModel, ConfigDict

from crossborder._checks import check_date
from crossborder.errors import InputError, InvalidAmountError, RateUnavailableError
from crossborder.explain._model import Explainer, Explanation
from crossborder.money._currency import normalise_code
from crossborder.money._money import Money
from crossborder.money._rounding import RoundingMode

__all__ = ["RiskResult", "historical_var", "parametric_var", "stress"]


class RiskResult(BaseModel):
    """A risk figure (a loss, positive) and how it was computed."""

    model_config = ConfigDict(frozen=True)

    var: Money
    expected_shortfall: Money | None = None
    confidence: Decimal
    horizon_days: int
    scenarios: int | None = None
    explanation: Explanation


def _values(positions: Mapping[str, Money], *, currencies: bool = True) -> dict[str, float]:
    """Each position's functional value as a float (statistics), keyed by currency or factor."""
    if not isinstance(positions, Mapping) or not positions:
        raise InputError(
            "positions: give the functional value held in each currency, "
            "e.g. {'USD': Money.of('1000000', 'EUR')}"
        )
    if not all(isinstance(m, Money) for m in positions.values()):
        raise InputError("positions: every value must be Money")
    if len({m.currency for m in positions.values()}) != 1:
        raise InputError("positions: every value must be in the one functional currency")
    key = normalise_code if currencies else str
    return {key(code): float(money.amount) for code, money in positions.items()}


def _confidence(confidence: Decimal | str, horizon_days: int) -> tuple[Decimal, float]:
    if isinstance(confidence, float):
        raise InvalidAmountError("confidence must be a Decimal or text such as '0.99'")
    try:
        c = Decimal(confidence)
    except (ArithmeticError, TypeError, ValueError):
        raise InvalidAmountError(f"confidence {confidence!r} is not a number") from None
    if not c.is_finite() or not Decimal("0.5") <= c < 1:
        raise InvalidAmountError(f"confidence must be from 0.5 to below 1, got {c}")
    if type(horizon_days) is not int or not 1 <= horizon_days <= 250:
        raise InputError(
            f"horizon_days must be a whole number of days from 1 to 250, got {horizon_days!r}"
        )
    return c, math.sqrt(horizon_days)


def _statistic(value: object, what: str) -> float:
    """A finite number for a statistic (Decimal, text, int or float)."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | float | str):
        raise InvalidAmountError(f"{what} must be a number, got {type(value).__name__}")
    try:
        number = float(Decimal(value) if isinstance(value, str) else value)
    except (ArithmeticError, ValueError):
        raise InvalidAmountError(f"{what} {value!r} is not a number") from None
    if not math.isfinite(number):
        raise InvalidAmountError(f"{what} must be finite, got {value!r}")
    return number


def _money(value: float, currency: str) -> Money:
    return Money.of(Decimal(repr(value)), currency, rounding=RoundingMode.HALF_EVEN)


def parametric_var(
    positions: Mapping[str, Money],
    covariance: Mapping[tuple[str, str], Decimal | str | float],
    *,
    confidence: Decimal | str = "0.99",
    horizon_days: int = 1,
    z: Decimal | str | None = None,
) -> RiskResult:
    """Variance-covariance VaR: ``z x sqrt(w' S w) x sqrt(horizon)``, normal returns, zero mean.

    ``covariance`` holds daily return covariances keyed by currency pairs
    (one of ``(a, b)`` or ``(b, a)`` is enough); ``z`` defaults to the exact
    normal quantile of ``confidence``. Hull's example (Risk Management and
    Financial Institutions, ch. "Model-Building Approach"): USD 10m with
    daily volatility 2%, USD 5m with 1%, correlation 0.3, 10 days, z = 2.33:

    >>> pos = {"A": Money.of("10000000", "USD"), "B": Money.of("5000000", "USD")}
    >>> cov = {("A", "A"): "0.0004", ("B", "B"): "0.0001", ("A", "B"): "0.00006"}
    >>> parametric_var(pos, cov, horizon_days=10, z="2.33").var
    Money('1622657.23', 'USD')
    """
    values = _values(positions, currencies=False)
    currency = next(iter(positions.values())).currency
    c, root = _confidence(confidence, horizon_days)
    quantile = _statistic(z, "z") if z is not None else NormalDist().inv_cdf(float(c))
    if not quantile > 0:
        raise InvalidAmountError(f"z must be positive, got {z!r}")
    if not isinstance(covariance, Mapping):
        raise InputError("covariance maps pairs of risk factors to daily covariances")
    names = sorted(values)
    variance = 0.0
    for a in names:
        for b in names:
            cov = covariance.get((a, b), covariance.get((b, a)))
            if cov is None:
                raise InputError(f"the covariance of {a} and {b} is missing")
            variance += values[a] * values[b] * _statistic(cov, f"the covariance of {a} and {b}")
    if variance < 0:
        raise InvalidAmountError("the covariance matrix is not positive semi-definite here")
    sigma = math.sqrt(variance)
    var = quantile * sigma * root
    ex = Explainer.packaged()
    ex.step(
        "parametric VaR",
        positions={k: str(v) for k, v in positions.items()},
        daily_sd=f"{sigma:.2f}",
        z=f"{quantile:.6f}",
        horizon=f"{horizon_days} days (square-root-of-time)",
        output=f"{var:.2f}",
    )
    return RiskResult(
        var=_money(var, currency),
        confidence=c,
        horizon_days=horizon_days,
        explanation=ex.done(),
    )


def historical_var(
    positions: Mapping[str, Money],
    *,
    rates: Any,
    as_of: _dt.date,
    days: int = 500,
    confidence: Decimal | str = "0.99",
    horizon_days: int = 1,
) -> RiskResult:
    """Historical-simulation VaR and expected shortfall from the rate history.

    Each of the last ``days`` daily changes of each currency against the
    functional currency (ECB fixings up to ``as_of``, common fixing days only)
    is applied to today's position: scenario P&L = sum of value x relative
    change. Loss quantile as in the module docstring; the horizon scales by
    the square root of time.
    """
    import numpy as np

    values = _values(positions)
    functional = next(iter(positions.values())).currency
    c, root = _confidence(confidence, horizon_days)
    if type(days) is not int or not 20 <= days <= 10_000:
        raise InputError(f"days must be a whole number from 20 to 10,000, got {days!r}")
    day = check_date(as_of)
    names = sorted(values)
    history = _history(rates, [*names, functional], day, days + 1)
    base = history[functional]
    changes = []
    for code in names:
        # functional per unit of the currency: (EUR/functional) / (EUR/code)
        level = base / history[code]
        changes.append(level[1:] / level[:-1] - 1.0)
    matrix = np.vstack(changes)  # currencies x scenarios
    pnl = np.asarray([values[c] for c in names]) @ matrix
    losses = np.sort(-pnl)[::-1]  # worst first
    k = math.ceil(len(losses) * (1 - c))  # exact: (1 - 0.99) in floats is above 0.01
    var = float(losses[k - 1]) * root
    shortfall = float(losses[:k].mean()) * root
    ex = Explainer.packaged()
    ex.step(
        "historical simulation",
        currencies=", ".join(names),
        scenarios=len(losses),
        window=f"{len(losses)} daily changes to {day}",
        quantile=f"{k}th worst loss of {len(losses)} (k = ceil(N x (1 - {c})))",
        horizon=f"{horizon_days} days (square-root-of-time)",
        output=f"VaR {var:.2f}, expected shortfall {shortfall:.2f}",
    )
    return RiskResult(
        var=_money(var, functional),
        expected_shortfall=_money(shortfall, functional),
        confidence=c,
        horizon_days=horizon_days,
        scenarios=len(losses),
        explanation=ex.done(),
    )


def _history(rates: Any, codes: Sequence[str], day: _dt.date, count: int) -> dict[str, Any]:
    """EUR/x fixings of each currency on the last ``count`` days all of them were fixed."""
    import bisect

    import numpy as np

    from crossborder.fx._rates import _check_in_use

    column = getattr(rates, "column", None)
    if not callable(column):
        raise InputError("historical VaR needs a rate history such as EcbRates")
    foreign = [c for c in dict.fromkeys(codes) if c != "EUR"]
    columns = {}
    for code in foreign:
        _check_in_use(code, day)
        columns[code] = column(code)
    dates = columns[foreign[0]][0] if foreign else []
    rows: list[int] = []
    i = bisect.bisect_right(dates, day) - 1
    while i >= 0 and len(rows) < count:  # newest first, days on which every currency fixed
        if all(columns[c][1][i] is not None for c in foreign):
            rows.append(i)
        i -= 1
    if len(rows) < count:
        raise RateUnavailableError(
            f"only {len(rows)} days on which {', '.join(codes)} were all fixed up to {day}; "
            f"{count} are needed"
        )
    rows.reverse()
    if (day - dates[rows[-1]]).days > 7:
        raise RateUnavailableError(
            f"the common fixings of {', '.join(codes)} end on {dates[rows[-1]]}, more than a "
            f"week before {day}: a currency has stopped being fixed or the data needs an update"
        )
    out = {c: np.asarray([float(columns[c][1][r]) for r in rows]) for c in foreign}
    out["EUR"] = np.ones(count)
    return out


def stress(positions: Mapping[str, Money], shocks: Mapping[str, Decimal | str]) -> dict[str, Money]:
    """Profit or loss of each position if a currency moves by a shock (``"-0.10"``: 10% weaker).

    Use ``"*"`` to shock every currency not named; returns each currency's
    P&L and the ``total``.

    >>> pos = {"USD": Money.of("1000000", "EUR"), "GBP": Money.of("-250000", "EUR")}
    >>> stress(pos, {"*": "-0.10"})["total"]
    Money('-75000.00', 'EUR')
    """
    _values(positions)
    if not isinstance(shocks, Mapping) or not shocks:
        raise InputError("shocks: give at least one, e.g. {'USD': '-0.10'} or {'*': '0.05'}")
    parsed = {}
    for code, shock in shocks.items():
        if isinstance(shock, float):
            raise InvalidAmountError("shocks must be Decimal or text such as '-0.10'")
        try:
            value = Decimal(shock)
        except (ArithmeticError, TypeError, ValueError):
            raise InvalidAmountError(f"shock {shock!r} is not a number") from None
        if not value.is_finite() or value <= -1:
            raise InvalidAmountError(f"a shock must be above -1 (-100%), got {value}")
        parsed[code if code == "*" else normalise_code(code)] = value
    out: dict[str, Money] = {}
    total = None
    for code, money in positions.items():
        shock = parsed.get(normalise_code(code), parsed.get("*", Decimal(0)))
        pnl = money.multiply(shock, rounding=RoundingMode.HALF_EVEN)
        out[normalise_code(code)] = pnl
        total = pnl if total is None else total + pnl
    assert total is not None
    out["total"] = total
    return out
