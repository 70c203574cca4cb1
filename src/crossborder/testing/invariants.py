"""Reusable assertions for property tests of money and explained results.

>>> from crossborder.money import Money, split
>>> assert_sums_to(split(Money.of("1.00", "EUR"), 3), Money.of("1.00", "EUR"))
"""

from crossborder.testing._invariants import assert_explained, assert_sums_to

__all__ = ["assert_explained", "assert_sums_to"]
