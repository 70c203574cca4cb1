from __future__ import annotations

from enum import StrEnum


class RoundingMode(StrEnum):
    """How an exact result is brought to a whole number of minor units.

    ``HALF_UP`` rounds ties away from zero (commercial rounding, 2.5 -> 3,
    -2.5 -> -3); ``HALF_EVEN`` rounds ties to the even neighbour (banker's
    rounding); ``HALF_DOWN`` rounds ties toward zero; ``UP`` rounds away from
    zero; ``DOWN`` truncates toward zero; ``CEILING`` and ``FLOOR`` round
    toward positive and negative infinity.
    """

    HALF_UP = "half_up"
    HALF_EVEN = "half_even"
    HALF_DOWN = "half_down"
    UP = "up"
    DOWN = "down"
    CEILING = "ceiling"
    FLOOR = "floor"


def round_div(numerator: int, denominator: int, mode: RoundingMode) -> int:
    """``numerator / denominator`` rounded to an integer with ``mode``, exactly.

    >>> round_div(5, 2, RoundingMode.HALF_UP), round_div(-5, 2, RoundingMode.HALF_UP)
    (3, -3)
    >>> round_div(5, 2, RoundingMode.HALF_EVEN), round_div(7, 2, RoundingMode.HALF_EVEN)
    (2, 4)
    >>> round_div(-7, 3, RoundingMode.DOWN), round_div(-7, 3, RoundingMode.FLOOR)
    (-2, -3)
    """
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    floor, rest = divmod(numerator, denominator)
    if rest == 0:
        return floor
    ceil = floor + 1
    negative = numerator < 0
    if mode is RoundingMode.FLOOR:
        return floor
    if mode is RoundingMode.CEILING:
        return ceil
    if mode is RoundingMode.DOWN:
        return ceil if negative else floor
    if mode is RoundingMode.UP:
        return floor if negative else ceil
    twice = 2 * rest
    if twice != denominator:
        return floor if twice < denominator else ceil
    if mode is RoundingMode.HALF_UP:
        return floor if negative else ceil
    if mode is RoundingMode.HALF_DOWN:
        return ceil if negative else floor
    return floor if floor % 2 == 0 else ceil
