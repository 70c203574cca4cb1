from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal

from crossborder.errors import InvalidAmountError
from crossborder.money._money import Money, _new, _ratio

MAX_PARTS = 10_000_000


def allocate(total: Money, ratios: Sequence[int | Decimal], *, cash: bool = False) -> list[Money]:
    """Share ``total`` out in proportion to ``ratios``; the parts always sum to ``total``.

    Each part first gets the whole units (minor units, or cash steps with
    ``cash=True``) of its exact share, rounded toward zero. The units left
    over go one each to the parts with the largest remainders; ties go to the
    earlier part. A zero ratio always gets zero. A negative total is shared
    as its absolute value and every part negated, so ``allocate(-t, r)`` is
    ``[-p for p in allocate(t, r)]``.

    Args:
        total: the amount to share.
        ratios: non-negative ints or Decimals, at least one of them positive.
        cash: share in steps of the currency's cash increment (CHF 0.05);
            ``total`` must then be a whole number of steps.

    >>> allocate(Money.of("100.00", "EUR"), [1, 1, 1])
    [Money('33.34', 'EUR'), Money('33.33', 'EUR'), Money('33.33', 'EUR')]
    >>> allocate(Money.of("0.05", "EUR"), [Decimal("0.2"), Decimal("0.8")])
    [Money('0.01', 'EUR'), Money('0.04', 'EUR')]
    >>> allocate(Money.of("10.00", "CHF"), [1, 1, 1], cash=True)
    [Money('3.35', 'CHF'), Money('3.35', 'CHF'), Money('3.30', 'CHF')]
    """
    if not isinstance(total, Money):
        raise InvalidAmountError(f"total must be Money, got {type(total).__name__} {total!r}")
    if isinstance(ratios, str | bytes) or not isinstance(ratios, Sequence):
        raise InvalidAmountError(
            f"ratios must be a list of ints or Decimals, got {type(ratios).__name__}"
        )
    if not ratios:
        raise InvalidAmountError("ratios is empty: there must be at least one part")
    if all(type(r) is int for r in ratios):
        weights = [int(r) for r in ratios]
    else:
        fractions = [_ratio(r, what="ratio") for r in ratios]
        common = math.lcm(*(den for _, den in fractions))
        weights = [num * (common // den) for num, den in fractions]
    if min(weights) < 0:
        raise InvalidAmountError(f"ratios must not be negative, got {list(ratios)!r}")
    weight_sum = sum(weights)
    if weight_sum == 0:
        raise InvalidAmountError("all ratios are zero: there is nothing to share by")
    step = total.currency_info.cash_increment if cash else 1
    units, odd = divmod(abs(total.minor), step)
    if odd:
        raise InvalidAmountError(
            f"{total} is not a whole number of cash steps of {step} minor units; "
            "round it with total.round_to_cash() first",
            total=total,
        )
    scaled = [units * w for w in weights]
    shares = [s // weight_sum for s in scaled]
    leftover = units - sum(shares)
    if leftover:  # fewer than len(weights): the largest remainders, earlier parts first
        rests = [s % weight_sum for s in scaled]
        # a stable sort keeps earlier parts first among equal remainders, also in reverse
        for i in sorted(range(len(rests)), key=rests.__getitem__, reverse=True)[:leftover]:
            shares[i] += 1
    factor = -step if total.minor < 0 else step
    currency = total.currency
    return [_new(s * factor, currency) for s in shares]


def split(total: Money, n: int, *, cash: bool = False) -> list[Money]:
    """Split ``total`` into ``n`` parts as equal as possible, larger parts first.

    >>> split(Money.of("10.00", "EUR"), 3)
    [Money('3.34', 'EUR'), Money('3.33', 'EUR'), Money('3.33', 'EUR')]
    """
    if type(n) is not int or not 1 <= n <= MAX_PARTS:
        raise InvalidAmountError(f"n must be an int from 1 to {MAX_PARTS:,}, got {n!r}", n=n)
    return allocate(total, [1] * n, cash=cash)
