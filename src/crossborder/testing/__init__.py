"""Hypothesis strategies for property-testing code that uses crossborder.

Strategies are plural nouns with keyword-only options; they shrink toward
the simplest, most familiar case (EUR, DE, zero) and draw edge cases on
purpose. Installing the package registers ``st.from_type(Money)``.

>>> from hypothesis import given
>>> from crossborder.testing import money
>>> @given(money(currencies=["EUR"]))
... def test_adding_zero(m):
...     assert m + Money.zero("EUR") == m
>>> from crossborder.money import Money
>>> test_adding_zero()
"""

from crossborder.testing import invariants
from crossborder.testing._strategies import (
    country_codes,
    currencies,
    hs_codes,
    money,
    rule_dates,
    shipments,
    subdivision_codes,
)

__all__ = [
    "country_codes",
    "currencies",
    "hs_codes",
    "invariants",
    "money",
    "rule_dates",
    "shipments",
    "subdivision_codes",
]
