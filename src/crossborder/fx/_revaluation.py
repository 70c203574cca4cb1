"""Revaluing foreign-currency monetary items (IAS 21 / ASC 830) and settling them.

At each closing date a monetary item (a receivable, a payable, a foreign
bank balance) is translated at the closing rate (IAS 21.23(a)); the
difference from its carrying amount is an unrealised exchange gain or loss
in profit or loss (IAS 21.28; ASC 830-20-35-1). On settlement the difference
between what the cash is worth and the item's last carrying amount is the
realised gain or loss. Journal lines come out balanced in the functional
currency and in each foreign currency.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict

from crossborder._checks import check_date
from crossborder.errors import CurrencyMismatchError, InputError, InvalidAmountError
from crossborder.explain._model import Explainer, Explanation
from crossborder.fx._exposure import _listed
from crossborder.fx._rates import RatePolicy, RateProvider, apply_rate, get_rate
from crossborder.money._currency import normalise_code
from crossborder.money._money import Money, _check_mode
from crossborder.money._rounding import RoundingMode

__all__ = ["JournalLine", "MonetaryItem", "Revaluation", "Settlement", "revalue", "settle"]

Side = Literal["asset", "liability"]


class MonetaryItem(BaseModel):
    """A foreign-currency monetary item and its carrying amount in the functional currency.

    Attributes:
        ref: your reference (an invoice number).
        side: ``asset`` (receivable, bank balance) or ``liability`` (payable, loan).
        amount: the amount in the foreign currency, positive.
        carrying: its carrying amount in the functional currency, positive.
        account: the ledger account the item sits in.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    ref: str
    side: Side
    amount: Money
    carrying: Money
    account: str


class JournalLine(BaseModel):
    """One line of a journal: a debit or a credit, in the functional and the item's currency."""

    model_config = ConfigDict(frozen=True)

    account: str
    side: Literal["debit", "credit"]
    amount: Money
    foreign: Money | None = None
    ref: str
    memo: str


class ItemRevaluation(BaseModel):
    """One item at the closing rate."""

    model_config = ConfigDict(frozen=True)

    ref: str
    amount: Money
    carrying: Money
    rate: str
    revalued: Money
    difference: Money  # positive: a gain


class Revaluation(BaseModel):
    """The closing revaluation: each item, the journal, and the net unrealised result."""

    model_config = ConfigDict(frozen=True)

    as_of: _dt.date
    functional: str
    items: tuple[ItemRevaluation, ...]
    lines: tuple[JournalLine, ...]
    net_gain: Money
    explanation: Explanation


class Settlement(BaseModel):
    """A settled item: the realised difference, the journal, and what is left of the item."""

    model_config = ConfigDict(frozen=True)

    realised: Money  # positive: a gain
    lines: tuple[JournalLine, ...]
    remaining: MonetaryItem | None
    explanation: Explanation


def _check(item: MonetaryItem, home: str) -> None:
    if item.amount.currency == home:
        raise InputError(f"{item.ref}: the item is in the functional currency {home}")
    if item.carrying.currency != home:
        raise CurrencyMismatchError(
            f"{item.ref}: the carrying amount must be in {home}, got {item.carrying.currency}",
            currency=item.carrying.currency,
        )
    if item.amount.minor <= 0 or item.carrying.minor < 0:
        raise InvalidAmountError(f"{item.ref}: amounts are positive, got {item.amount}")


def _difference_lines(
    item: MonetaryItem, difference: Money, gain_account: str, loss_account: str, memo: str
) -> list[JournalLine]:
    """Book ``difference`` (positive: a gain) against the item's account."""
    if not difference:
        return []
    size, gain = abs(difference), difference.minor > 0
    # a gain raises an asset (a debit) or lowers a liability (a debit too), and vice versa
    item_side: Literal["debit", "credit"] = "debit" if gain else "credit"
    other: Literal["debit", "credit"] = "credit" if gain else "debit"
    result_account = gain_account if gain else loss_account
    return [
        JournalLine(account=item.account, side=item_side, amount=size, ref=item.ref, memo=memo),
        JournalLine(account=result_account, side=other, amount=size, ref=item.ref, memo=memo),
    ]


def revalue(
    items: Iterable[MonetaryItem],
    *,
    functional: str,
    as_of: _dt.date,
    rates: RateProvider | None,
    policy: RatePolicy | None = None,
    rounding: RoundingMode = RoundingMode.HALF_EVEN,
    gain_account: str = "unrealised FX gain",
    loss_account: str = "unrealised FX loss",
) -> Revaluation:
    """Revalue monetary items at the closing rate: differences and journal lines.

    A worked example (IAS 21.21, 21.23(a), 21.28): an entity with functional
    currency EUR sells goods for USD 10,000 when EUR 1 = USD 1.10, and books a
    receivable of EUR 9,090.91. At the year end EUR 1 = USD 1.05: the
    receivable is worth EUR 9,523.81, an unrealised gain of EUR 432.90.

    >>> from crossborder.fx import FixedRates
    >>> sale = MonetaryItem(ref="INV-1", side="asset", amount=Money.of("10000", "USD"),
    ...                     carrying=Money.of("9090.91", "EUR"), account="1200 receivables")
    >>> closing = FixedRates.from_mapping({"EUR/USD": "1.05"})
    >>> r = revalue([sale], functional="EUR", as_of=_dt.date(2025, 12, 31), rates=closing)
    >>> r.items[0].revalued, r.net_gain
    (Money('9523.81', 'EUR'), Money('432.90', 'EUR'))
    >>> [(line.side, line.account, str(line.amount)) for line in r.lines]
    [('debit', '1200 receivables', '432.90 EUR'), ('credit', 'unrealised FX gain', '432.90 EUR')]
    """
    day = check_date(as_of)
    home = normalise_code(functional)
    rounding = _check_mode(rounding)
    listed = _listed(items, MonetaryItem, "items")
    if not listed:
        raise InputError("no items to revalue")
    ex = Explainer.packaged()
    results, lines = [], []
    net = Money.zero(home)
    for item in listed:
        _check(item, home)
        q = get_rate(item.amount.currency, home, as_of=day, provider=rates, policy=policy)
        revalued = apply_rate(item.amount, q, rounding=rounding)
        change = revalued - item.carrying
        difference = change if item.side == "asset" else -change
        net = net + difference
        results.append(
            ItemRevaluation(
                ref=item.ref,
                amount=item.amount,
                carrying=item.carrying,
                rate=str(q.rate),
                revalued=revalued,
                difference=difference,
            )
        )
        memo = f"revaluation at {q.base}/{q.quote} {q.rate} fixed {q.fixing_date}"
        lines += _difference_lines(item, difference, gain_account, loss_account, memo)
        ex.step(
            f"revalue {item.ref}",
            amount=item.amount,
            carrying=item.carrying,
            closing_rate=f"{q.rate} ({q.source}, {q.fixing_date})",
            revalued=revalued,
            output=difference,
        )
    _balanced(lines)
    ex.step("net unrealised result", items=len(listed), output=net)
    return Revaluation(
        as_of=day,
        functional=home,
        items=tuple(results),
        lines=tuple(lines),
        net_gain=net,
        explanation=ex.done(),
    )


def settle(
    item: MonetaryItem,
    *,
    settled: Money,
    on: _dt.date,
    rates: RateProvider | None,
    cash_account: str,
    policy: RatePolicy | None = None,
    rounding: RoundingMode = RoundingMode.HALF_EVEN,
    gain_account: str = "realised FX gain",
    loss_account: str = "realised FX loss",
) -> Settlement:
    """Settle all or part of an item: the realised gain or loss against its carrying amount.

    Continuing the example: the customer pays USD 10,000 when EUR 1 = USD
    1.08. The cash is worth EUR 9,259.26 against a carrying amount of EUR
    9,523.81: a realised loss of EUR 264.55.

    >>> from crossborder.fx import FixedRates
    >>> sale = MonetaryItem(ref="INV-1", side="asset", amount=Money.of("10000", "USD"),
    ...                     carrying=Money.of("9523.81", "EUR"), account="1200 receivables")
    >>> s = settle(sale, settled=Money.of("10000", "USD"), on=_dt.date(2026, 1, 15),
    ...            rates=FixedRates.from_mapping({"EUR/USD": "1.08"}), cash_account="1020 USD bank")
    >>> s.realised, s.remaining is None
    (Money('-264.55', 'EUR'), True)
    """
    if not isinstance(item, MonetaryItem):
        item = _listed([item], MonetaryItem, "item")[0]
    home = item.carrying.currency
    _check(item, home)
    if not isinstance(settled, Money) or settled.currency != item.amount.currency:
        raise CurrencyMismatchError(
            f"{item.ref}: settle in {item.amount.currency}, got {settled!r}",
            currency=item.amount.currency,
        )
    if not 0 < settled.minor <= item.amount.minor:
        raise InvalidAmountError(f"{item.ref}: settle between 0 and {item.amount}, got {settled}")
    day = check_date(on, name="on")
    rounding = _check_mode(rounding)
    q = get_rate(settled.currency, home, as_of=day, provider=rates, policy=policy)
    cash = apply_rate(settled, q, rounding=rounding)
    # the share of the carrying amount released (rounded down), exact for a full settlement
    released = (
        item.carrying
        if settled == item.amount
        else Money.from_minor(
            item.carrying.minor * settled.minor // item.amount.minor, item.carrying.currency
        )
    )
    realised = cash - released if item.side == "asset" else released - cash
    memo = f"settlement at {q.base}/{q.quote} {q.rate} fixed {q.fixing_date}"
    asset = item.side == "asset"
    lines = [
        JournalLine(
            account=cash_account,
            side="debit" if asset else "credit",
            amount=cash,
            foreign=settled,
            ref=item.ref,
            memo=memo,
        ),
        JournalLine(
            account=item.account,
            side="credit" if asset else "debit",
            amount=released,
            foreign=settled,
            ref=item.ref,
            memo=memo,
        ),
    ]
    if realised:
        lines.append(
            JournalLine(
                account=gain_account if realised.minor > 0 else loss_account,
                side="credit" if realised.minor > 0 else "debit",
                amount=abs(realised),
                ref=item.ref,
                memo=memo,
            )
        )
    _balanced(lines)
    remaining = None
    if settled != item.amount:
        remaining = item.model_copy(
            update={"amount": item.amount - settled, "carrying": item.carrying - released}
        )
    ex = Explainer.packaged()
    ex.step(
        f"settle {item.ref}",
        settled=settled,
        rate=f"{q.rate} ({q.source}, {q.fixing_date})",
        cash_value=cash,
        carrying_released=released,
        output=realised,
    )
    return Settlement(
        realised=realised, lines=tuple(lines), remaining=remaining, explanation=ex.done()
    )


def _balanced(lines: list[JournalLine]) -> None:
    """Debits equal credits in the functional currency and in each foreign currency."""
    totals: dict[str, int] = {}
    for line in lines:
        sign = 1 if line.side == "debit" else -1
        for money in (line.amount, line.foreign):
            if money is not None:
                key = money.currency
                totals[key] = totals.get(key, 0) + sign * money.minor
    unbalanced = {k: v for k, v in totals.items() if v}
    if unbalanced:  # pragma: no cover - a defect, not an input error
        raise AssertionError(f"journal does not balance: {unbalanced}")
