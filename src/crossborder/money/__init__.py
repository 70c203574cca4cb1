"""Exact money: integer minor units with an ISO 4217 currency.

>>> from decimal import Decimal
>>> from crossborder.money import Money, RoundingMode, allocate
>>> net = Money.of("19.99", "EUR")
>>> vat = net.multiply(Decimal("0.19"), rounding=RoundingMode.HALF_UP)
>>> vat, net + vat
(Money('3.80', 'EUR'), Money('23.79', 'EUR'))
>>> sum(allocate(Money.of("10.00", "EUR"), [1, 2, 4])) == Money.of("10.00", "EUR")
True
"""

from typing import TYPE_CHECKING

from crossborder.money._allocate import allocate, split
from crossborder.money._currency import currencies, find_currency, get_currency
from crossborder.money._money import INT64_MAX, INT64_MIN, Money
from crossborder.money._rounding import RoundingMode

if TYPE_CHECKING:
    from crossborder.money._currency_model import Currency

__all__ = [
    "INT64_MAX",
    "INT64_MIN",
    "Currency",
    "Money",
    "RoundingMode",
    "allocate",
    "currencies",
    "find_currency",
    "get_currency",
    "split",
]


def __getattr__(name: str) -> object:
    # Currency is a pydantic model: imported on first use, so Money stays light.
    if name == "Currency":
        from crossborder.money._currency_model import Currency

        return Currency
    raise AttributeError(f"module 'crossborder.money' has no attribute {name!r}")
