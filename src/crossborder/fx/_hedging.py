"""Hedge policies as data, hedge plans (forward trades), and hedge effectiveness tests.

A policy sets, per horizon, the share of the net exposure to cover (e.g.
80% up to 6 months, 50% to 12, 20% to 18) with a band inside which nothing
is traded, plus a minimum trade size. :func:`hedge_plan` brings each
currency and bucket back to its target with forwards; each bucket's trade is
shared over its positions by amount (exactly) and dealt for their due dates.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from crossborder._checks import check_date, check_path
from crossborder.errors import InputError, RateUnavailableError
from crossborder.explain._model import Explainer, Explanation
from crossborder.fx._exposure import BUCKETS, Hedge, Position, _bucket, _listed, exposure
from crossborder.fx._forwards import _decimal, forward_rate
from crossborder.money._allocate import allocate
from crossborder.money._currency import normalise_code
from crossborder.money._money import Money
from crossborder.money._rounding import RoundingMode

__all__ = [
    "HedgeLayer",
    "HedgePlan",
    "HedgePolicy",
    "HedgeTrade",
    "Market",
    "OffsetResult",
    "RegressionResult",
    "dollar_offset",
    "hedge_plan",
    "regression_test",
]


class HedgeLayer(BaseModel):
    """Cover for exposures due within ``up_to_months``: a target and the band left alone."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    up_to_months: int = Field(ge=1, le=120)
    target: Decimal = Field(ge=0, le=1)
    minimum: Decimal = Field(ge=0, le=1)
    maximum: Decimal = Field(ge=0, le=1)

    @model_validator(mode="after")
    def _band(self) -> HedgeLayer:
        if not self.minimum <= self.target <= self.maximum:
            raise ValueError("a layer needs minimum <= target <= maximum")
        return self


class HedgePolicy(BaseModel):
    """Layered hedge ratios by horizon, a minimum trade, and per-currency thresholds.

    ``thresholds`` maps a currency to the smallest open exposure (in the
    functional currency) worth hedging; ``min_trade`` is the smallest trade.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    layers: tuple[HedgeLayer, ...] = Field(min_length=1)
    min_trade: Decimal = Field(default=Decimal(0), ge=0)
    thresholds: dict[str, Decimal] = Field(default_factory=dict)

    @field_validator("thresholds")
    @classmethod
    def _codes(cls, value: dict[str, Decimal]) -> dict[str, Decimal]:
        return {normalise_code(k): v for k, v in value.items()}

    @model_validator(mode="after")
    def _ordered(self) -> HedgePolicy:
        months = [layer.up_to_months for layer in self.layers]
        if months != sorted(set(months)):
            raise ValueError("layers must have increasing horizons")
        return self

    @classmethod
    def from_toml(cls, path: str | Path) -> HedgePolicy:
        """A policy file: ``min_trade``, ``[thresholds]``, and ``[[layers]]`` tables."""
        import tomllib

        try:
            data = tomllib.loads(check_path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise InputError(f"{path}: not a readable policy file ({exc})") from exc
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise InputError(f"{path}: {first['msg']} at {where}") from exc

    def layer(self, months: int) -> HedgeLayer | None:
        """The layer covering an exposure due in ``months`` months, if any."""
        return next((x for x in self.layers if months <= x.up_to_months), None)


class Market(BaseModel):
    """What forwards are priced from: spot (functional per unit) and money-market rates."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    spot: dict[str, Decimal]
    rates: dict[str, Decimal]

    @field_validator("spot", "rates")
    @classmethod
    def _codes(cls, value: dict[str, Decimal]) -> dict[str, Decimal]:
        return {normalise_code(k): v for k, v in value.items()}

    def need(self, currency: str, functional: str) -> None:
        """Refuse a plan the market cannot price: a missing spot or money-market rate."""
        missing = [
            f"{what} {code}"
            for what, table, code in (
                ("spot", self.spot, currency),
                ("rate", self.rates, currency),
                ("rate", self.rates, functional),
            )
            if code not in table
        ]
        if missing:
            raise RateUnavailableError(f"the market has no {', '.join(missing)}")


class HedgeTrade(BaseModel):
    """A proposed forward: ``amount`` of the foreign currency bought (positive) or sold."""

    model_config = ConfigDict(frozen=True)

    currency: str
    bucket: str
    amount: Money
    value_date: _dt.date
    forward_rate: Decimal
    functional: Money


class BucketCover(BaseModel):
    """One currency and bucket: exposure, cover before and after, and the target."""

    model_config = ConfigDict(frozen=True)

    currency: str
    bucket: str
    exposure: Money
    hedged_before: Money
    target: Decimal
    trade: Money
    hedged_after: Money


class HedgePlan(BaseModel):
    """The trades, the cover per bucket, and the blended hedge rate per currency."""

    model_config = ConfigDict(frozen=True)

    trades: tuple[HedgeTrade, ...]
    buckets: tuple[BucketCover, ...]
    blended_rate: dict[str, Decimal]
    explanation: Explanation


def _months(bucket: str) -> int | None:
    """A bucket's upper edge in months (``None`` for due, spot and the open-ended last)."""
    if "-" not in bucket:
        return None
    return int(bucket.split("-")[1].rstrip("M"))


def hedge_plan(
    positions: Iterable[Position],
    policy: HedgePolicy,
    *,
    functional: str,
    market: Market,
    as_of: _dt.date,
    existing_hedges: Iterable[Hedge] = (),
    buckets: Sequence[int] | None = None,
) -> HedgePlan:
    """Forwards that bring each currency and bucket to the policy's target cover.

    A bucket whose cover is inside the layer's band is left alone; otherwise
    the trade restores the target. Cover is ``-hedged / exposure`` (selling
    forward what you are long). Each trade is shared over the bucket's
    positions by amount (the parts sum exactly to the trade) and dealt per
    due date at the covered-interest-parity forward. As time passes a
    position moves into a nearer bucket with a higher target, and the next
    plan tops its cover up: the ladder rolls.
    """
    day = check_date(as_of)
    home = normalise_code(functional)
    if not isinstance(policy, HedgePolicy):
        raise InputError(f"policy must be a HedgePolicy, got {type(policy).__name__}")
    if not isinstance(market, Market):
        raise InputError(f"market must be a Market, got {type(market).__name__}")
    items = _listed(positions, Position, "positions")
    hedges = _listed(existing_hedges, Hedge, "existing_hedges")
    horizons = [layer.up_to_months for layer in policy.layers]
    if buckets is None:  # the default edges, plus each layer's horizon
        buckets = sorted(set(BUCKETS) | set(horizons))
    elif not set(horizons) <= set(buckets):
        raise InputError(
            f"the buckets {list(buckets)} must include each layer's horizon {horizons}"
        )
    missing = sorted({p.amount.currency for p in items} - {home} - set(market.spot))
    if missing:
        raise RateUnavailableError(f"the market has no spot for {', '.join(missing)}")
    spot = market.spot
    report = exposure(
        items,
        functional=home,
        as_of=day,
        rates=_SpotRates(spot, home),
        hedges=hedges,
        buckets=buckets,
    )
    ex = Explainer(data_version=report.explanation.data_version)
    trades: list[HedgeTrade] = []
    covers: list[BucketCover] = []
    edges = tuple(buckets)
    for cell in report.cells:
        months = _months(cell.bucket)
        layer = policy.layer(months) if months is not None else None
        if layer is None:
            if cell.net or cell.hedged:
                ex.step(
                    f"no layer for {cell.currency} {cell.bucket}",
                    exposure=cell.net,
                    hedged=cell.hedged,
                    output="left as it is (beyond the policy's horizons, or due now)",
                )
            continue
        market.need(cell.currency, home)
        cover = Decimal(-cell.hedged.minor) / Decimal(cell.net.minor) if cell.net else None
        threshold = policy.thresholds.get(cell.currency, Decimal(0))
        small = abs(cell.open_functional.amount) < threshold
        trade = Money.zero(cell.currency)
        inside = cover is not None and layer.minimum <= cover <= layer.maximum
        if cover is None and cell.hedged:  # hedges without exposure: unwind them
            trade = -cell.hedged
        elif not small and not inside and cover is not None:
            wanted = -cell.net.multiply(layer.target, rounding=RoundingMode.HALF_EVEN)
            trade = wanted - cell.hedged
        trade_home = abs(trade.multiply(spot[cell.currency], rounding=RoundingMode.HALF_EVEN))
        if trade and trade_home.amount < policy.min_trade:
            trade = Money.zero(cell.currency)
        covers.append(
            BucketCover(
                currency=cell.currency,
                bucket=cell.bucket,
                exposure=cell.net,
                hedged_before=cell.hedged,
                target=layer.target,
                trade=trade,
                hedged_after=cell.hedged + trade,
            )
        )
        ex.step(
            f"cover {cell.currency} {cell.bucket}",
            exposure=cell.net,
            hedged=cell.hedged,
            cover=f"{cover:.4f}" if cover is not None else "no exposure",
            band=f"{layer.minimum}..{layer.maximum} (target {layer.target})",
            output=trade,
        )
        if trade:
            dealt = _deal(
                items, hedges, cell.currency, cell.bucket, trade, day, edges, home, market, ex
            )
            trades += dealt
    return HedgePlan(
        trades=tuple(trades),
        buckets=tuple(covers),
        blended_rate=_blended(hedges, trades, spot),
        explanation=ex.done(),
    )


def _deal(
    items: list[Position],
    hedges: list[Hedge],
    currency: str,
    bucket: str,
    trade: Money,
    day: _dt.date,
    edges: tuple[int, ...],
    home: str,
    market: Market,
    ex: Explainer,
) -> list[HedgeTrade]:
    """Share a bucket's trade by amount over what it offsets; one forward per date.

    That is the bucket's positions on the other side (the receivables and sales
    when the trade sells the currency forward), or, when there are none (the
    bucket is over-hedged), its existing hedges on the other side.
    """
    offsets: list[tuple[_dt.date, int]] = [
        (p.due, abs(p.signed.minor))
        for p in items
        if p.amount.currency == currency
        and p.due is not None
        and _bucket(p.due, day, edges) == bucket
        and (p.signed.minor > 0) == (trade.minor < 0)
    ]
    if not offsets:
        offsets = [
            (h.value_date, abs(h.amount.minor))
            for h in hedges
            if h.amount.currency == currency
            and _bucket(h.value_date, day, edges) == bucket
            and (h.amount.minor > 0) == (trade.minor < 0)
        ]
    if not offsets:  # pragma: no cover - a trade always offsets a position or a hedge
        raise AssertionError(f"nothing to deal the {bucket} {currency} trade against")
    parts = allocate(trade, [w for _, w in offsets])
    by_date: dict[_dt.date, Money] = {}
    for (due, _), part in zip(offsets, parts, strict=True):
        by_date[due] = by_date.get(due, Money.zero(currency)) + part
    out = []
    for due, amount in sorted(by_date.items()):
        if not amount:
            continue
        quote = forward_rate(
            currency + home,
            market.spot[currency],
            base_rate=market.rates[currency],
            quote_rate=market.rates[home],
            start=day,
            end=max(due, day + _dt.timedelta(days=1)),
        )
        ex.step(
            f"forward {currency}/{home} to {due}",
            amount=amount,
            spot=quote.spot,
            rates=f"{currency} {market.rates[currency]}, {home} {market.rates[home]}",
            year_fractions=f"{quote.base_fraction:.6f} / {quote.quote_fraction:.6f}",
            output=quote.forward,
        )
        out.append(
            HedgeTrade(
                currency=currency,
                bucket=bucket,
                amount=amount,
                value_date=due,
                forward_rate=quote.forward,
                functional=Money.of(
                    amount.amount * quote.forward, home, rounding=RoundingMode.HALF_EVEN
                ),
            )
        )
    return out


def _blended(
    hedges: list[Hedge], trades: list[HedgeTrade], spot: Mapping[str, Decimal]
) -> dict[str, Decimal]:
    """Notional-weighted average rate of existing hedges (their rate, else spot) and new trades."""
    sums: dict[str, list[Decimal]] = {}
    for h in hedges:
        rate = h.rate if h.rate is not None else spot.get(h.amount.currency, Decimal(0))
        acc = sums.setdefault(h.amount.currency, [Decimal(0), Decimal(0)])
        acc[0] += abs(h.amount.amount) * rate
        acc[1] += abs(h.amount.amount)
    for t in trades:
        acc = sums.setdefault(t.currency, [Decimal(0), Decimal(0)])
        acc[0] += abs(t.amount.amount) * t.forward_rate
        acc[1] += abs(t.amount.amount)
    return {c: (v / n).quantize(Decimal("1e-10")) for c, (v, n) in sorted(sums.items()) if n}


class _SpotRates:
    """The market's spot rates as a rate provider (functional per unit of each currency)."""

    def __init__(self, spot: Mapping[str, Decimal], home: str) -> None:
        self._spot, self._home = spot, home

    @property
    def name(self) -> str:
        return "market spot"

    def fixing(self, base: str, quote: str, day: _dt.date) -> Decimal | None:
        return self._spot.get(base) if quote == self._home else None


# --- effectiveness ------------------------------------------------------------------------------

_LOW, _HIGH = Decimal("0.8"), Decimal("1.25")


class PeriodOffset(BaseModel):
    """One period of a dollar-offset test."""

    model_config = ConfigDict(frozen=True)

    hedge: Decimal
    item: Decimal
    ratio: Decimal | None
    immaterial: bool
    effective: bool


class OffsetResult(BaseModel):
    """Dollar offset, period by period and cumulative, against the 80-125% band."""

    model_config = ConfigDict(frozen=True)

    periods: tuple[PeriodOffset, ...]
    cumulative_ratio: Decimal | None
    cumulative_effective: bool
    explanation: Explanation


def _numbers(values: Sequence[Any], what: str) -> list[Decimal]:
    if isinstance(values, str | bytes) or not isinstance(values, Sequence) or not values:
        raise InputError(f"{what} must be a non-empty list of changes")
    return [_decimal(v.amount if isinstance(v, Money) else v, what) for v in values]


def dollar_offset(
    hedge_changes: Sequence[Any],
    item_changes: Sequence[Any],
    *,
    materiality: Decimal | str = "0",
) -> OffsetResult:
    """The dollar-offset ratio ``-change in hedge / change in hedged item`` per period and overall.

    Effective within 80%-125%. A period in which both changes are below
    ``materiality`` (in absolute value) is immaterial: it passes, and says so,
    instead of producing a meaningless ratio from tiny denominators.

    >>> r = dollar_offset(["-95", "-110", "3"], ["100", "100", "-1"], materiality="10")
    >>> [(p.ratio, p.effective, p.immaterial) for p in r.periods]
    [(Decimal('0.95'), True, False), (Decimal('1.1'), True, False), (None, True, True)]
    >>> r.cumulative_ratio, r.cumulative_effective
    (Decimal('1.015075376884422110552763819'), True)
    """
    hedge, item = _numbers(hedge_changes, "hedge_changes"), _numbers(item_changes, "item_changes")
    if len(hedge) != len(item):
        raise InputError(f"{len(hedge)} hedge changes but {len(item)} item changes")
    floor = _numbers([materiality], "materiality")[0]
    periods = []
    for h, i in zip(hedge, item, strict=True):
        if abs(h) < floor and abs(i) < floor:
            periods.append(
                PeriodOffset(hedge=h, item=i, ratio=None, immaterial=True, effective=True)
            )
            continue
        ratio = -h / i if i else None
        ok = ratio is not None and _LOW <= ratio <= _HIGH
        periods.append(PeriodOffset(hedge=h, item=i, ratio=ratio, immaterial=False, effective=ok))
    total_h, total_i = sum(hedge, Decimal(0)), sum(item, Decimal(0))
    cumulative = -total_h / total_i if total_i else None
    ex = Explainer.packaged()
    ex.step(
        "dollar offset",
        periods=len(periods),
        band="80% to 125%",
        materiality=floor,
        failed=[i + 1 for i, p in enumerate(periods) if not p.effective],
        output=cumulative if cumulative is not None else "no change in the hedged item",
    )
    return OffsetResult(
        periods=tuple(periods),
        cumulative_ratio=cumulative,
        cumulative_effective=cumulative is not None and _LOW <= cumulative <= _HIGH,
        explanation=ex.done(),
    )


class RegressionResult(BaseModel):
    """Least squares of hedge changes on hedged-item changes."""

    model_config = ConfigDict(frozen=True)

    slope: Decimal
    intercept: Decimal
    r_squared: Decimal
    f_statistic: Decimal | None
    observations: int
    effective: bool
    explanation: Explanation


def regression_test(hedge_changes: Sequence[Any], item_changes: Sequence[Any]) -> RegressionResult:
    """Regression effectiveness: slope between -1.25 and -0.8 and R-squared of at least 0.8.

    ``F = R^2 / (1 - R^2) x (n - 2)`` with 1 and n - 2 degrees of freedom.

    >>> r = regression_test(["-98", "-51", "-152", "-199"], ["100", "50", "150", "200"])
    >>> round(r.slope, 4), round(r.r_squared, 4), r.effective
    (Decimal('-0.9960'), Decimal('0.9992'), True)
    """
    y, x = _numbers(hedge_changes, "hedge_changes"), _numbers(item_changes, "item_changes")
    if len(x) != len(y):
        raise InputError(f"{len(y)} hedge changes but {len(x)} item changes")
    n = len(x)
    if n < 3:
        raise InputError("a regression needs at least 3 periods")
    mx, my = sum(x, Decimal(0)) / n, sum(y, Decimal(0)) / n
    sxx = sum(((a - mx) ** 2 for a in x), Decimal(0))
    syy = sum(((b - my) ** 2 for b in y), Decimal(0))
    sxy = sum(((a - mx) * (b - my) for a, b in zip(x, y, strict=True)), Decimal(0))
    if not sxx or not syy:
        raise InputError("the changes do not vary: a regression cannot be fitted")
    slope = sxy / sxx
    r2 = sxy * sxy / (sxx * syy)
    f_stat = r2 / (1 - r2) * (n - 2) if r2 < 1 else None
    ok = -_HIGH <= slope <= -_LOW and r2 >= _LOW
    ex = Explainer.packaged()
    ex.step(
        "regression",
        observations=n,
        slope=slope,
        r_squared=r2,
        f_statistic=f_stat if f_stat is not None else "infinite (perfect fit)",
        criteria="-1.25 <= slope <= -0.8 and R^2 >= 0.8",
        output="effective" if ok else "not effective",
    )
    return RegressionResult(
        slope=slope,
        intercept=my - slope * mx,
        r_squared=r2,
        f_statistic=f_stat,
        observations=n,
        effective=ok,
        explanation=ex.done(),
    )
