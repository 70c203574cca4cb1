"""FX exposure: positions in foreign currencies netted per currency and time bucket.

Receivables, cash, and committed or forecast sales are long the foreign
currency; payables and committed or forecast purchases are short. Each
bucket's net is converted into the functional currency once, at the rate of
the stated date; hedges (forward purchases or sales of the foreign currency)
reduce what is open.
"""

from __future__ import annotations

import csv
import datetime as _dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from crossborder._checks import check_date, check_path
from crossborder.errors import CrossborderError, InputError, InvalidAmountError
from crossborder.explain._model import Explainer, Explanation
from crossborder.fx._rates import RatePolicy, RateProvider, RateQuote, apply_rate, get_rate
from crossborder.money._currency import normalise_code
from crossborder.money._money import Money, _check_mode
from crossborder.money._rounding import RoundingMode

__all__ = [
    "BUCKETS",
    "ExposureCell",
    "ExposureReport",
    "Hedge",
    "Position",
    "exposure",
    "positions_from_csv",
]

PositionKind = Literal[
    "receivable",
    "payable",
    "cash",
    "committed_sale",
    "committed_purchase",
    "forecast_sale",
    "forecast_purchase",
]
ExposureType = Literal["transaction", "translation", "economic"]
_SHORT = {"payable", "committed_purchase", "forecast_purchase"}
BUCKETS: tuple[int, ...] = (1, 3, 6, 12)  # month edges: 0-1M, 1-3M, 3-6M, 6-12M, 12M+


class Position(BaseModel):
    """An amount owed, held or expected in a currency.

    Attributes:
        kind: receivable, payable, cash, committed or forecast sale or purchase.
        amount: how much, positive (cash may be negative: an overdraft).
        due: when it is due or expected; ``None`` for cash.
        type: transaction, translation or economic exposure.
        ref: your reference (an invoice number).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: PositionKind
    amount: Money
    due: _dt.date | None = None
    type: ExposureType = "transaction"
    ref: str | None = None

    @property
    def signed(self) -> Money:
        """Long positive, short negative."""
        return -self.amount if self.kind in _SHORT else self.amount


class Hedge(BaseModel):
    """An outstanding forward: ``amount`` of the foreign currency bought (positive) or sold."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    amount: Money
    value_date: _dt.date
    rate: Decimal | None = None
    ref: str | None = None


class ExposureCell(BaseModel):
    """One currency in one time bucket."""

    model_config = ConfigDict(frozen=True)

    currency: str
    bucket: str
    net: Money
    hedged: Money
    open: Money
    by_type: dict[str, Money]
    net_functional: Money
    open_functional: Money
    positions: int


class ExposureReport(BaseModel):
    """Net exposure per currency and bucket, in the currency and the functional currency."""

    model_config = ConfigDict(frozen=True)

    functional: str
    as_of: _dt.date
    buckets: tuple[str, ...]
    cells: tuple[ExposureCell, ...]
    quotes: tuple[RateQuote, ...]
    explanation: Explanation

    def rows(self) -> list[dict[str, Any]]:
        """One flat row per cell (amounts as decimal text), for tables and CSV."""
        return [
            {
                "currency": c.currency,
                "bucket": c.bucket,
                "net": str(c.net.amount),
                "hedged": str(c.hedged.amount),
                "open": str(c.open.amount),
                f"net_{self.functional}": str(c.net_functional.amount),
                f"open_{self.functional}": str(c.open_functional.amount),
                "positions": c.positions,
            }
            for c in self.cells
        ]

    def to_csv(self, path: str | Path) -> None:
        """Write :meth:`rows` as CSV."""
        rows = self.rows()
        with Path(path).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]) if rows else ["currency"])
            writer.writeheader()
            writer.writerows(rows)

    def plot(self, path: str | Path) -> Path:
        """A bar chart of hedged and open exposure by currency and bucket (extra ``plot``)."""
        from crossborder.fx._plots import exposure_chart

        return exposure_chart(self, Path(path))


def _bucket(due: _dt.date | None, as_of: _dt.date, edges: Sequence[int]) -> str:
    if due is None:
        return "spot"
    if due <= as_of:
        return "due"
    months = (due.year - as_of.year) * 12 + due.month - as_of.month - (due.day < as_of.day)
    low = 0
    for edge in edges:
        if months < edge:
            return f"{low}-{edge}M"
        low = edge
    return f"{low}M+"


def _labels(edges: Sequence[int]) -> tuple[str, ...]:
    labels, low = ["due", "spot"], 0
    for edge in edges:
        labels.append(f"{low}-{edge}M")
        low = edge
    labels.append(f"{low}M+")
    return tuple(labels)


def exposure(
    positions: Iterable[Position],
    *,
    functional: str,
    as_of: _dt.date,
    rates: RateProvider | None,
    hedges: Iterable[Hedge] = (),
    buckets: Sequence[int] = BUCKETS,
    policy: RatePolicy | None = None,
    rounding: RoundingMode = RoundingMode.HALF_EVEN,
) -> ExposureReport:
    """Net foreign-currency exposure per currency and time bucket.

    Buckets are months after ``as_of`` (``due`` for overdue items, ``spot``
    for cash); hedges fall into the bucket of their value date. Functional
    amounts use each currency's rate for ``as_of`` (with ``policy``), applied
    once per cell.

    >>> from crossborder.fx import FixedRates
    >>> day = _dt.date(2026, 3, 2)
    >>> book = [Position(kind="receivable", amount=Money.of("100000", "USD"),
    ...                  due=_dt.date(2026, 4, 15)),
    ...         Position(kind="payable", amount=Money.of("30000", "USD"),
    ...                  due=_dt.date(2026, 4, 20))]
    >>> report = exposure(book, functional="EUR", as_of=day,
    ...                   rates=FixedRates.from_mapping({"EUR/USD": "1.0850"}))
    >>> cell = report.cells[0]
    >>> cell.bucket, cell.net, cell.net_functional
    ('1-3M', Money('70000.00', 'USD'), Money('64516.13', 'EUR'))
    """
    day = check_date(as_of)
    home = normalise_code(functional)
    rounding = _check_mode(rounding)
    edges = _edges(buckets)
    items = _listed(positions, Position, "positions")
    if not items:
        raise InputError("no positions: give at least one receivable, payable, cash or forecast")
    hedge_items = _listed(hedges, Hedge, "hedges")
    labels = _labels(edges)
    net: dict[tuple[str, str], dict[str, Any]] = {}
    for p in items:
        if p.amount.minor < 0 and p.kind != "cash":
            raise InvalidAmountError(f"{p.kind} {p.ref or ''} amount must be positive: {p.amount}")
        if p.due is None and p.kind != "cash":
            raise InputError(f"{p.kind} {p.ref or ''} needs a due date")
        if p.amount.currency == home:
            continue
        cell = net.setdefault(
            (p.amount.currency, _bucket(p.due, day, edges)), {"n": 0, "h": 0, "t": {}, "k": 0}
        )
        cell["n"] += p.signed.minor
        cell["t"][p.type] = cell["t"].get(p.type, 0) + p.signed.minor
        cell["k"] += 1
    for h in hedge_items:
        if h.amount.currency == home:
            raise InputError(f"hedge {h.ref or ''} is in the functional currency {home}")
        cell = net.setdefault(
            (h.amount.currency, _bucket(h.value_date, day, edges)),
            {"n": 0, "h": 0, "t": {}, "k": 0},
        )
        cell["h"] += h.amount.minor
    ex = Explainer.packaged()
    quotes: dict[str, RateQuote] = {}
    cells = []
    for (code, bucket), sums in sorted(
        net.items(), key=lambda kv: (kv[0][0], labels.index(kv[0][1]))
    ):
        if code not in quotes:
            quotes[code] = q = get_rate(code, home, as_of=day, provider=rates, policy=policy)
            ex.step(
                "rate",
                pair=f"{code}/{home}",
                fixing_date=q.fixing_date,
                source=q.source,
                output=q.rate,
            )
        q = quotes[code]
        net_m = Money.from_minor(sums["n"], code)
        hedged_m = Money.from_minor(sums["h"], code)
        open_m = net_m + hedged_m
        cells.append(
            ExposureCell(
                currency=code,
                bucket=bucket,
                net=net_m,
                hedged=hedged_m,
                open=open_m,
                by_type={k: Money.from_minor(v, code) for k, v in sorted(sums["t"].items())},
                net_functional=apply_rate(net_m, q, rounding=rounding),
                open_functional=apply_rate(open_m, q, rounding=rounding),
                positions=sums["k"],
            )
        )
    ex.step(
        "net per currency and bucket",
        positions=len(items),
        hedges=len(hedge_items),
        skipped_in_functional=sum(1 for p in items if p.amount.currency == home),
        rounding=rounding.name,
        output=f"{len(cells)} cells",
    )
    return ExposureReport(
        functional=home,
        as_of=day,
        buckets=labels,
        cells=tuple(cells),
        quotes=tuple(quotes.values()),
        explanation=ex.done(),
    )


def _edges(buckets: Sequence[int]) -> tuple[int, ...]:
    if isinstance(buckets, str | bytes) or not isinstance(buckets, Sequence) or not buckets:
        raise InputError(f"buckets are month edges such as (1, 3, 6, 12), got {buckets!r}")
    edges = tuple(buckets)
    if any(type(e) is not int or e < 1 for e in edges) or list(edges) != sorted(set(edges)):
        raise InputError(f"buckets must be increasing whole months from 1, got {buckets!r}")
    return edges


def _listed(values: Iterable[Any], model: type[BaseModel], what: str) -> list[Any]:
    if isinstance(values, str | bytes | dict) or not isinstance(values, Iterable):
        raise InputError(f"{what} must be a list, got {type(values).__name__}")
    out = []
    for i, value in enumerate(values):
        if isinstance(value, model):
            out.append(value)
            continue
        try:
            out.append(model.model_validate(value))
        except ValidationError as exc:
            first = exc.errors()[0]
            original = first.get("ctx", {}).get("error")
            if isinstance(original, CrossborderError):
                raise original from exc
            where = ".".join(str(p) for p in first["loc"])
            raise InputError(f"{what}[{i}]: {first['msg']} at {where}") from exc
    return out


def positions_from_csv(path: str | Path) -> list[Position]:
    """Positions from a CSV with columns ``kind, currency, amount, due, type, ref``.

    ``amount`` is decimal text; ``due`` is YYYY-MM-DD (empty for cash); ``type``
    and ``ref`` may be left out.
    """
    path = check_path(path)
    if not path.is_file():
        raise InputError(f"no positions file at {path}")
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeError, csv.Error) as exc:
        raise InputError(f"{path}: cannot read the positions ({exc})") from exc
    out = []
    for number, row in enumerate(rows, 2):
        try:
            due = (row.get("due") or "").strip()
            out.append(
                Position(
                    kind=(row.get("kind") or "").strip(),
                    amount=Money.of((row.get("amount") or "").strip(), row.get("currency") or ""),
                    due=_dt.date.fromisoformat(due) if due else None,
                    type=(row.get("type") or "transaction").strip(),
                    ref=(row.get("ref") or None),
                )
            )
        except (CrossborderError, ValidationError, ValueError) as exc:
            raise InputError(f"{path}: row {number}: {exc}".splitlines()[0]) from exc
    return out
