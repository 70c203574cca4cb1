"""Landed cost for many orders at once: decided per order, computed per column.

Each order's regime, rates and thresholds are found exactly as :func:`landed_cost`
finds them (without building an explanation). The line arithmetic (conversion into
the tax currency, delivery charges shared by value, customs value, duty, tax,
rounding per line or per document, totals) then runs on int64 minor units in NumPy
over the whole batch; products that could leave int64 are computed on Python ints.
Orders with what the columns do not cover (specific or compound duties, duty
ranges for incomplete HS codes, unquotable lines, flat duties, Japan's customs
computation, the Swiss minimum, personal-use valuation) are quoted one by one with
:func:`landed_cost`. Either way the figures are the same (property-tested).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from crossborder._checks import check_date
from crossborder._columns import MODES, SAFE, allocate, engines, mul, muldiv
from crossborder.errors import CrossborderError, InputError
from crossborder.fx._rates import RateProvider, RateQuote, minor_ratio
from crossborder.money._money import Money, _ratio
from crossborder.rules._book import RuleBook
from crossborder.tax._landed import (
    FIXED_TAX,
    Regime,
    _base_parts,
    _charged_reason,
    _charges,
    _digits,
    _family,
    _flag_duty,
    _line_rate,
    _Quote,
    _run,
    _settle,
    _shipment_of,
    _sources,
    _valuation,
    _zero_tax_reason,
)
from crossborder.tax._shipment import LandedCost, Shipment
from crossborder.tax._tariff import TariffProvider

__all__ = ["BatchQuotes", "landed_cost_batch"]

_REASONS = (
    "charged",
    "charged_at_checkout",
    "collected_by_marketplace",
    "zero_rated",
    "rounded_to_zero",
    "exempt",
    "not_applicable",
    "below_threshold",
    "relief_low_value",
    "reverse_charge",
)
_REASON = {name: code for code, name in enumerate(_REASONS)}
_DUTY_REASON = {"none": "not_applicable", "relief": "relief_low_value"}
_DUTY_REASON["exempt_low_value"] = "below_threshold"


@dataclass(frozen=True)
class BatchQuotes:
    """Quotes for a batch of orders, as two Arrow tables in minor units.

    Attributes:
        orders: one row per order, in input order: ``order`` (its position),
            ``regime``, ``currency`` (of every amount in the row and of its
            lines), ``order_currency``, ``goods_value`` (in the order
            currency), ``duty_total``, ``tax_total``, ``due_at_checkout``,
            ``due_at_checkout_order_currency``, ``due_at_delivery``,
            ``landed_total``, ``fx_rate``, ``complete``, ``charges``,
            ``warnings``, and ``error_type`` / ``error`` for an order that
            could not be quoted (its other fields are then null): one bad
            order never stops the batch.
        lines: one row per line: ``order``, ``line``, ``hs_code``,
            ``status``, ``value``, ``customs_value``, ``duty`` (null when not
            quoted), ``duty_min``, ``duty_max``, ``duty_reason``, ``tax``,
            ``tax_rate`` (exact decimal text), ``tax_reason``, ``problem``.
        one_by_one: how many orders were quoted one at a time (their
            features are outside the columnar kernel).
    """

    orders: Any  # pyarrow.Table
    lines: Any  # pyarrow.Table
    one_by_one: int


def landed_cost_batch(
    shipments: Iterable[Shipment | dict[str, Any]],
    *,
    as_of: _dt.date,
    rates: RateProvider | None = None,
    tariff: TariffProvider | None = None,
    rules: RuleBook | None = None,
    progress: Callable[[int], None] | None = None,
) -> BatchQuotes:
    """Quote many orders at once: the same figures as :func:`landed_cost`, as tables.

    Needs the ``batch`` extra (NumPy and Arrow). An order that cannot be quoted
    (an unknown destination, a missing rate...) gets its typed error in the
    ``error_type`` and ``error`` columns; the others are quoted. Explanations are
    not built: quote one order with :func:`landed_cost` to see its reasoning.

    Args:
        shipments: the orders (models, or their dict form).
        as_of: the date of the sales.
        rates: exchange rates, as for :func:`landed_cost`.
        tariff: duty rates, as for :func:`landed_cost`.
        rules: a rule book with overlays, as for :func:`landed_cost`.
        progress: called with the number of orders read so far, every 1,000.
    """
    np, pa = engines("landed_cost_batch")
    as_of = check_date(as_of)
    book, provider = _sources(rates, tariff, rules)
    if isinstance(shipments, str | bytes | dict) or not isinstance(shipments, Iterable):
        raise InputError(f"shipments must be an iterable of orders, got {type(shipments).__name__}")
    quotes: dict[tuple[str, str], RateQuote] = {}  # one date, one provider: shared by every order
    cols = _Columns()
    slow: list[tuple[int, LandedCost | CrossborderError]] = []
    count = 0
    for count, raw in enumerate(shipments, 1):
        k = count - 1
        try:
            s = _shipment_of(raw)
            q = _Quote(s, as_of, book, rates, provider, explain=False, quotes=quotes)
            if not cols.add(k, q):
                full = _Quote(s, as_of, book, rates, provider, quotes=quotes)
                slow.append((k, _run(full)))
        except CrossborderError as exc:
            slow.append((k, exc))
        if progress is not None and count % 1000 == 0:
            progress(count)
    if progress is not None and count % 1000:
        progress(count)
    fast_orders, fast_lines = cols.compute(np, pa)
    slow_orders, slow_lines = _slow_tables(pa, slow)
    return BatchQuotes(
        orders=pa.concat_tables([fast_orders, slow_orders]).sort_by("order"),
        lines=pa.concat_tables([fast_lines, slow_lines]).sort_by(
            [("order", "ascending"), ("line", "ascending")]
        ),
        one_by_one=sum(1 for _, r in slow if isinstance(r, LandedCost)),
    )


@dataclass
class _Order:
    k: int
    s: Shipment
    regime: str
    currency: str
    goods: int
    fx: str | None
    warnings: list[str]
    shape: tuple[tuple[str, str, str, str], ...]  # the charges: name, collector, due, part


class _Columns:
    """The orders the kernel takes, gathered as rows of ints, then computed as columns."""

    LINE = ("order", "index", "unit", "qty", "term")
    TERM = (
        "duty_num",
        "duty_den",
        "free",
        "taxed",
        "tax_num",
        "tax_den",
        "zero_reason",
        "fixed_reason",
    )
    ORDER = (
        "fx_num",
        "fx_den",
        "back_num",
        "back_den",
        "tariff",
        "border",
        "charged_reason",
        "duty_reason",
        "shipping",
        "insurance",
        "cif",
        "delivery_taxable",
        "add_transport",
        "add_duty",
        "invoice",
        "mode",
        "checkout_duty",
        "checkout_tax",
        "delivery_duty",
        "delivery_tax",
    )

    def __init__(self) -> None:
        self.line: list[tuple[int, ...]] = []
        self.order: list[tuple[int, ...]] = []
        self.orders: list[_Order] = []
        self.hs: list[str | None] = []
        self.term: list[tuple[int, ...]] = []
        self.term_text: list[str | None] = []
        self.growth: list[int] = []  # how many times a line's value its duty and tax can reach
        # a line's terms by what decides them, with the warnings finding them gave
        self.known: dict[tuple[Any, ...], tuple[int, tuple[tuple[bool, str], ...]]] = {}
        self.shapes: dict[
            tuple[Any, ...], tuple[tuple[tuple[str, str, str, str], ...], tuple[int, ...]]
        ] = {}
        self.scales: dict[RateQuote, tuple[int, int]] = {}
        self.computes: dict[str, bool] = {}  # one date for the batch: one answer per family
        self.rate_text: dict[RateQuote, str] = {}

    def add(self, k: int, q: _Quote) -> bool:
        """Gather order ``k`` if the kernel covers it (else nothing is kept)."""
        s = q.s
        regime, goods = _settle(q)
        if (
            regime.duty not in ("tariff", "none", "relief", "exempt_low_value")
            or regime.tax not in ("checkout", "border", *FIXED_TAX)
            or regime.id.startswith("ch.import")
            or _family(q) == "ch"
            or q.personal_factor is not None
            or self._computes(q)
        ):
            return False
        q.method = _valuation(q)
        order = len(self.orders)
        context = (q.dest, regime.duty, regime.tax, regime.tax_place)
        known, rows, value, growth = self.known, [], 0, 1
        for i, line in enumerate(s.lines):
            key = (*context, line.hs_code, line.origin, line.category)
            entry = known.get(key)
            if entry is None:
                warned = len(q.warnings)
                found = _terms(q, regime, i)
                if found is None:
                    return False
                self.term.append(found[0])
                self.term_text.append(found[1])
                self.growth.append(_growth(found[0]))
                prefix = f"line {i + 1}: "
                said = tuple(  # kept without the line number, to be said again for other lines
                    (True, w.removeprefix(prefix)) if w.startswith(prefix) else (False, w)
                    for w in q.warnings[warned:]
                )
                entry = known[key] = (len(self.term) - 1, said)
            else:
                for numbered, text in entry[1]:
                    q.warnings.append(f"line {i + 1}: {text}" if numbered else text)
            term = entry[0]
            if i == 0 and regime.tax == "border":
                _base_parts(q)  # where the per-order path first looks for it
            unit = line.unit_price.minor
            rows.append((order, i, unit, line.quantity, term))
            value += unit * line.quantity
            if self.growth[term] > growth:
                growth = self.growth[term]
        fx = self._scale(q.fx) if q.fx is not None else (1, 1)
        back = self._scale(q.quote(q.currency, s.currency)) if q.currency != s.currency else (1, 1)
        extra = (s.shipping.minor if s.shipping else 0) + (s.insurance.minor if s.insurance else 0)
        if max(*fx, *back) >= SAFE or ((value + extra) * fx[0] // fx[1] + 1) * growth * 4 >= SAFE:
            return False  # near int64: the per-order path gives the same answer or typed error
        shape, due = self._shape(q, regime)
        parts = q.base_parts or frozenset()
        cif = q.method == "CIF"
        self.order.append(
            (
                *fx,
                *back,
                int(regime.duty == "tariff"),
                int(regime.tax == "border"),
                _REASON[_charged_reason(regime)],
                -1 if regime.duty == "tariff" else _REASON[_DUTY_REASON[regime.duty]],
                q.to(s.shipping, q.currency).minor if s.shipping else 0,
                q.to(s.insurance, q.currency).minor if s.insurance else 0,
                int(cif),
                int(q.delivery_taxable),
                int("transport_to_border" in parts and not cif),
                int("duty" in parts),
                int(q.level == "invoice" and regime.tax not in FIXED_TAX),
                MODES.index(q.mode),
                *due,
            )
        )
        self.line += rows
        self.hs += [line.hs_code for line in s.lines]
        fx_text = None
        if q.fx is not None:
            fx_text = self.rate_text.get(q.fx) or self.rate_text.setdefault(q.fx, str(q.fx.rate))
        self.orders.append(
            _Order(
                k,
                s,
                regime.id,
                q.currency,
                goods.minor,
                fx_text,
                list(dict.fromkeys(q.warnings + regime.warnings)),
                shape,
            )
        )
        return True

    def _computes(self, q: _Quote) -> bool:
        """Whether the customs authority computes the import tax itself (Japan)."""
        family = _family(q)
        found = self.computes.get(family)
        if found is None:
            rule = q.find(f"{family}.import_tax.computation")
            found = self.computes[family] = rule is not None
        return found

    def _scale(self, quote: RateQuote) -> tuple[int, int]:
        found = self.scales.get(quote)
        if found is None:
            found = self.scales[quote] = minor_ratio(quote)
        return found

    def _shape(
        self, q: _Quote, regime: Regime
    ) -> tuple[tuple[tuple[str, str, str, str], ...], tuple[int, ...]]:
        """The order's charges when duty and tax are due, found once per kind of order.

        Also whether the duty and the tax are due at checkout and at delivery.
        """
        key = (
            regime.id,
            regime.duty,
            regime.tax,
            regime.tax_collector,
            regime.duty_collector,
            q.s.incoterm,
            q.country,
        )
        shape = self.shapes.get(key)
        if shape is None:
            one, two = Money.from_minor(1, q.currency), Money.from_minor(2, q.currency)
            charges = tuple(
                (c.name, c.collector, c.due, "duty" if c.amount.minor == 1 else "tax")
                for c in _charges(q.s, regime, q.country, one, two)
            )
            due = tuple(
                int(any(c[2] == when and c[3] == part for c in charges))
                for when in ("checkout", "delivery")
                for part in ("duty", "tax")
            )
            shape = self.shapes[key] = (charges, due)
        return shape

    def compute(self, np: Any, pa: Any) -> tuple[Any, Any]:
        """Every gathered order's figures: an orders table and a lines table."""
        if not self.orders:
            return _orders_schema(pa).empty_table(), _lines_schema(pa).empty_table()
        lines = np.asarray(self.line, dtype=np.int64)
        terms = np.asarray(self.term, dtype=np.int64)[lines[:, 4]]
        orders = np.asarray(self.order, dtype=np.int64)
        li = {name: lines[:, j] for j, name in enumerate(self.LINE)}
        li.update({name: terms[:, j] for j, name in enumerate(self.TERM)})
        od = {name: orders[:, j] for j, name in enumerate(self.ORDER)}
        order = li["order"]
        per = {name: od[name][order] for name in ("tariff", "border", "charged_reason")}
        starts = np.flatnonzero(np.r_[1, np.diff(order)])
        modes = od["mode"][order]
        value = muldiv(
            np, mul(np, li["unit"], li["qty"]), od["fx_num"][order], od["fx_den"][order], None
        )
        transport = _spread(np, od["shipping"], value, order, starts) + _spread(
            np, od["insurance"], value, order, starts
        )
        customs = value + transport * od["cif"][order]
        duty = muldiv(np, customs, li["duty_num"], li["duty_den"], modes) * per["tariff"]
        checkout = value + transport * od["delivery_taxable"][order]
        border = customs + transport * od["add_transport"][order] + duty * od["add_duty"][order]
        base = np.where(per["border"] == 1, border, checkout)
        taxed = li["taxed"] == 1
        tax = np.where(taxed, muldiv(np, base, li["tax_num"], li["tax_den"], modes), 0)
        tax_reason = np.where(
            taxed, np.where(tax == 0, li["zero_reason"], per["charged_reason"]), li["fixed_reason"]
        )
        tax, tax_reason = _per_document(np, od, li, base, tax, tax_reason, modes, per)
        duty_reason = np.where(
            per["tariff"] == 1,
            np.where(
                duty != 0,
                _REASON["charged"],
                np.where(li["free"] == 1, _REASON["zero_rated"], _REASON["rounded_to_zero"]),
            ),
            od["duty_reason"][order],
        )
        duty_total = np.add.reduceat(duty, starts)
        tax_total = np.add.reduceat(tax, starts)
        due = duty_total * od["checkout_duty"] + tax_total * od["checkout_tax"]
        later = duty_total * od["delivery_duty"] + tax_total * od["delivery_tax"]
        landed = np.add.reduceat(value, starts) + od["shipping"] + od["insurance"]
        landed = landed + duty_total + tax_total
        amounts = {"duty": duty_total.tolist(), "tax": tax_total.tolist()}
        ks = np.asarray([o.k for o in self.orders], dtype=np.int64)
        reasons = pa.array(_REASONS)
        currencies = pa.array([o.currency for o in self.orders])
        null = pa.nulls(len(order), pa.int64())
        orders_table = pa.table(
            {
                "order": ks,
                "destination": [o.s.destination for o in self.orders],
                "regime": [o.regime for o in self.orders],
                "currency": currencies,
                "order_currency": [o.s.currency for o in self.orders],
                "goods_value": np.asarray([o.goods for o in self.orders], dtype=np.int64),
                "duty_total": duty_total,
                "tax_total": tax_total,
                "due_at_checkout": due,
                "due_at_checkout_order_currency": muldiv(
                    np, due, od["back_num"], od["back_den"], None
                ),
                "due_at_delivery": later,
                "landed_total": landed,
                "fx_rate": pa.array([o.fx for o in self.orders], pa.string()),
                "complete": np.ones(len(ks), dtype=bool),
                "charges": [
                    [
                        {"name": n, "amount": amounts[part][j], "collector": c, "due": d}
                        for n, c, d, part in o.shape
                        if amounts[part][j]
                    ]
                    for j, o in enumerate(self.orders)
                ],
                "warnings": [o.warnings for o in self.orders],
                "error_type": pa.nulls(len(ks), pa.string()),
                "error": pa.nulls(len(ks), pa.string()),
            },
            schema=_orders_schema(pa),
        )
        lines_table = pa.table(
            {
                "order": ks[order],
                "line": li["index"],
                "currency": currencies.take(order),
                "hs_code": pa.array(self.hs, pa.string()),
                "status": pa.array(["quoted"]).take(np.zeros(len(order), dtype=np.int64)),
                "value": value,
                "customs_value": customs,
                "duty": duty,
                "duty_min": null,
                "duty_max": null,
                "duty_reason": reasons.take(duty_reason),
                "tax": tax,
                "tax_rate": pa.array(self.term_text, pa.string()).take(li["term"]),
                "tax_reason": reasons.take(tax_reason),
                "problem": pa.nulls(len(order), pa.string()),
            },
            schema=_lines_schema(pa),
        )
        return orders_table, lines_table


def _growth(terms: tuple[int, ...]) -> int:
    """A bound on (1 + duty rate) x (1 + tax rate) for a line's terms, as a whole number."""
    duty = -(-terms[0] // terms[1]) + 1
    tax = -(-terms[4] // terms[5]) + 1 if terms[3] else 1
    return duty * tax


def _terms(q: _Quote, regime: Regime, i: int) -> tuple[tuple[int, ...], str | None] | None:
    """Line ``i``'s duty and tax terms as ints (and its tax rate as text), or ``None``.

    ``None`` when the line needs what the kernel does not do (a specific,
    minimum or maximum duty, a range, no tariff line, rates beyond int64).
    """
    line = q.s.lines[i]
    duty = (0, 1, 0)
    if regime.duty == "tariff":
        digits, _ = _digits(line.hs_code)
        if digits is None:
            return None
        match = q.tariff.match(
            q.dest, digits, origin=line.origin, as_of=q.as_of, preferential=False
        )
        if match is None or len(match.lines) != 1:
            return None
        rate = match.lines[0]
        if rate.specific or rate.minimum or rate.maximum:
            return None
        _flag_duty(q, i, match.lines)
        duty = (*_ratio(rate.ad_valorem, what="duty"), int(not rate.ad_valorem))
    if regime.tax in FIXED_TAX:
        tax: tuple[int, ...] = (0, 0, 1, 0, _REASON[FIXED_TAX[regime.tax]])
        text = None
    else:
        found = _line_rate(q, regime, i)
        tax = (1, *_ratio(found.rate, what="rate"), _REASON[_zero_tax_reason(found)], -1)
        text = str(found.rate)
    terms = (*duty, *tax)
    return (terms, text) if max(terms) < SAFE else None


def _spread(np: Any, amounts: Any, values: Any, order: Any, starts: Any) -> Any:
    """Delivery charges shared over each order's lines by value (equally if all are free)."""
    if not amounts.any():
        return np.zeros(len(values), dtype=np.int64)
    return allocate(np, amounts, values, order, starts)


def _per_document(
    np: Any, od: Any, li: Any, base: Any, tax: Any, reason: Any, modes: Any, per: Any
) -> tuple[Any, Any]:
    """Tax rounded once per rate and document, then shared over the lines by base."""
    pick = (od["invoice"][li["order"]] == 1) & (li["taxed"] == 1)
    if not pick.any():
        return tax, reason
    rows = np.flatnonzero(pick)
    keys = np.lexsort((li["tax_den"][rows], li["tax_num"][rows], li["order"][rows]))
    rows = rows[keys]
    key = np.stack([li["order"][rows], li["tax_num"][rows], li["tax_den"][rows]])
    starts = np.flatnonzero(np.r_[1, np.any(np.diff(key, axis=1) != 0, axis=0)])
    group = np.cumsum(np.r_[0, np.any(np.diff(key, axis=1) != 0, axis=0)])
    bases = base[rows]
    total = muldiv(
        np,
        np.add.reduceat(bases, starts),
        li["tax_num"][rows][starts],
        li["tax_den"][rows][starts],
        modes[rows][starts],
    )
    shares = allocate(np, total, bases, group, starts)
    charged = per["charged_reason"][rows]
    old = reason[rows]
    rated = li["tax_num"][rows] != 0
    new = np.where(
        (shares == 0) & rated,
        _REASON["rounded_to_zero"],
        np.where((shares != 0) & (old == _REASON["rounded_to_zero"]), charged, old),
    )
    tax, reason = tax.copy(), reason.copy()
    tax[rows], reason[rows] = shares, new
    return tax, reason


def _charge(c: Any) -> dict[str, Any]:
    return {"name": c.name, "amount": c.amount.minor, "collector": c.collector, "due": c.due}


def rows_of(k: int, quote: LandedCost) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A :class:`LandedCost` as a batch order row and its line rows."""
    order = {
        "order": k,
        "destination": quote.destination,
        "regime": quote.regime,
        "currency": quote.currency,
        "order_currency": quote.order_currency,
        "goods_value": quote.goods_value.minor,
        "duty_total": quote.duty_total.minor,
        "tax_total": quote.tax_total.minor,
        "due_at_checkout": quote.due_at_checkout.minor,
        "due_at_checkout_order_currency": quote.due_at_checkout_order_currency.minor,
        "due_at_delivery": quote.due_at_delivery.minor,
        "landed_total": quote.landed_total.minor,
        "fx_rate": str(quote.fx.rate) if quote.fx is not None else None,
        "complete": quote.complete,
        "charges": [_charge(c) for c in quote.charges],
        "warnings": list(quote.warnings),
        "error_type": None,
        "error": None,
    }
    lines = [
        {
            "order": k,
            "line": line.index,
            "currency": quote.currency,
            "hs_code": line.hs_code,
            "status": line.status,
            "value": line.value.minor,
            "customs_value": line.customs_value.minor,
            "duty": _minor(line.duty),
            "duty_min": _minor(line.duty_min),
            "duty_max": _minor(line.duty_max),
            "duty_reason": line.duty_reason,
            "tax": _minor(line.tax),
            "tax_rate": str(line.tax_rate) if line.tax_rate is not None else None,
            "tax_reason": line.tax_reason,
            "problem": line.problem,
        }
        for line in quote.lines
    ]
    return order, lines


def _minor(money: Money | None) -> int | None:
    return money.minor if money is not None else None


def _slow_tables(
    pa: Any, results: list[tuple[int, LandedCost | CrossborderError]]
) -> tuple[Any, Any]:
    """Orders quoted one by one (or refused), as tables like the kernel's."""
    order_rows: list[dict[str, Any]] = []
    line_rows: list[dict[str, Any]] = []
    for k, result in results:
        if isinstance(result, CrossborderError):
            row: dict[str, Any] = dict.fromkeys(_orders_schema(pa).names)
            row.update(order=k, error_type=type(result).__name__, error=str(result))
            order_rows.append(row)
        else:
            order, lines = rows_of(k, result)
            order_rows.append(order)
            line_rows += lines
    return (
        pa.Table.from_pylist(order_rows, schema=_orders_schema(pa)),
        pa.Table.from_pylist(line_rows, schema=_lines_schema(pa)),
    )


def _orders_schema(pa: Any) -> Any:
    text, money = pa.string(), pa.int64()
    charge = pa.struct([("name", text), ("amount", money), ("collector", text), ("due", text)])
    return pa.schema(
        [
            ("order", pa.int64()),
            ("destination", text),
            ("regime", text),
            ("currency", text),
            ("order_currency", text),
            ("goods_value", money),
            ("duty_total", money),
            ("tax_total", money),
            ("due_at_checkout", money),
            ("due_at_checkout_order_currency", money),
            ("due_at_delivery", money),
            ("landed_total", money),
            ("fx_rate", text),
            ("complete", pa.bool_()),
            ("charges", pa.list_(charge)),
            ("warnings", pa.list_(text)),
            ("error_type", text),
            ("error", text),
        ]
    )


def _lines_schema(pa: Any) -> Any:
    text, money = pa.string(), pa.int64()
    return pa.schema(
        [
            ("order", pa.int64()),
            ("line", pa.int64()),
            ("currency", text),
            ("hs_code", text),
            ("status", text),
            ("value", money),
            ("customs_value", money),
            ("duty", money),
            ("duty_min", money),
            ("duty_max", money),
            ("duty_reason", text),
            ("tax", money),
            ("tax_rate", text),
            ("tax_reason", text),
            ("problem", text),
        ]
    )
