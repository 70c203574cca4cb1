from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crossborder.errors import InvalidAmountError
from crossborder.money import Money, allocate, split
from crossborder.testing import money
from crossborder.testing.invariants import assert_sums_to

ratios = st.lists(
    st.one_of(
        st.integers(0, 10**6),
        st.decimals(min_value=0, max_value=1000, places=4, allow_nan=False),
    ),
    min_size=1,
    max_size=30,
).filter(lambda rs: any(r > 0 for r in rs))


def test_remainder_goes_to_largest_remainders_then_earlier_parts():
    assert allocate(Money.from_minor(100, "EUR"), [1, 1, 1]) == [
        Money.from_minor(34, "EUR"),
        Money.from_minor(33, "EUR"),
        Money.from_minor(33, "EUR"),
    ]
    # shares 3.5, 3.5, 3.0 of 10: remainders .5, .5, 0 -> first two get the extra unit
    assert [m.minor for m in allocate(Money.from_minor(10, "EUR"), [35, 35, 30])] == [4, 3, 3]
    # shares 1.5 and 3.5: a tie on remainders goes to the earlier part
    assert [m.minor for m in allocate(Money.from_minor(5, "EUR"), [3, 7])] == [2, 3]
    assert [m.minor for m in allocate(Money.from_minor(5, "EUR"), [2, 8])] == [1, 4]
    assert [m.minor for m in allocate(Money.from_minor(7, "EUR"), [0, 1, 0, 1])] == [0, 4, 0, 3]


def test_negative_total_is_the_mirror_image():
    pos = allocate(Money.from_minor(100, "EUR"), [1, 2, 3])
    neg = allocate(Money.from_minor(-100, "EUR"), [1, 2, 3])
    assert neg == [-p for p in pos]


def test_cash_allocation_in_steps():
    parts = allocate(Money.of("10.00", "CHF"), [1, 1, 1], cash=True)
    assert [p.minor for p in parts] == [335, 335, 330]
    assert all(p.minor % 5 == 0 for p in parts)
    with pytest.raises(InvalidAmountError, match="round_to_cash"):
        allocate(Money.of("10.02", "CHF"), [1, 1], cash=True)


@pytest.mark.parametrize(
    ("ratios", "message"),
    [
        ([], "empty"),
        ([0, 0], "all ratios are zero"),
        ([1, -1], "negative"),
        ([0.5, 0.5], "float"),
        ("11", "list"),
        ([Decimal("NaN")], "finite"),
        ([True, 1], "int or a Decimal"),
    ],
)
def test_bad_ratios(ratios, message):
    with pytest.raises(InvalidAmountError, match=message):
        allocate(Money.of("1", "EUR"), ratios)


def test_bad_split():
    for n in (0, -1, 1.5, "3", None):
        with pytest.raises(InvalidAmountError):
            split(Money.of("1", "EUR"), n)
    with pytest.raises(InvalidAmountError):
        allocate(100, [1])


@given(money(min_minor=-(10**12), max_minor=10**12), ratios)
def test_allocation_sums_exactly_and_is_proportional(total, rs):
    parts = allocate(total, rs)
    assert_sums_to(parts, total)
    weight = sum(rs)
    for part, r in zip(parts, rs, strict=True):
        exact = Decimal(total.minor) * Decimal(r) / Decimal(weight)
        assert abs(Decimal(part.minor) - exact) < 1
        if r == 0:
            assert part.minor == 0


@given(money(min_minor=0, max_minor=10**9), st.integers(1, 50))
def test_split_is_as_equal_as_possible(total, n):
    parts = split(total, n)
    assert_sums_to(parts, total)
    assert max(p.minor for p in parts) - min(p.minor for p in parts) <= 1
    assert [p.minor for p in parts] == sorted((p.minor for p in parts), reverse=True)
