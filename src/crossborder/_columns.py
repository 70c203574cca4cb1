"""Exact integer arithmetic on columns: int64 where it cannot overflow, Python ints where it can.

The columnar twins of :func:`crossborder.money.round_div` and
:func:`crossborder.money.allocate`, shared by the batch paths of the tax and
FX modules, which give the same figures as their one-at-a-time versions.
"""

from __future__ import annotations

from typing import Any

from crossborder.errors import AmountOutOfRangeError, InputError
from crossborder.money._rounding import RoundingMode

MODES = tuple(RoundingMode)
SAFE = 2**62  # int64 products below this cannot overflow


def engines(what: str) -> tuple[Any, Any]:
    """NumPy and Arrow, or a typed error saying which extra installs them."""
    try:
        import numpy
        import pyarrow
    except ImportError as exc:  # pragma: no cover - the batch extra is a test dependency
        raise InputError(f"{what} needs NumPy and Arrow: pip install 'crossborder[batch]'") from exc
    return numpy, pyarrow


def fits(np: Any, *arrays: Any) -> bool:
    """Whether the product of the arrays' largest magnitudes stays inside int64."""
    bound = 1
    for array in arrays:
        if isinstance(array, int):
            bound *= abs(array)
        elif len(array):  # Python ints: abs() of the int64 minimum would overflow in NumPy
            bound *= max(abs(int(array.min())), abs(int(array.max())))
    return bound < SAFE


def mul(np: Any, a: Any, b: Any) -> Any:
    if fits(np, a, b):
        return a * b
    return a.astype(object) * b.astype(object)


def muldiv(np: Any, a: Any, num: Any, den: Any, modes: Any) -> Any:
    """``a * num / den`` rounded per element (``modes`` codes; ``None``: half-up), exactly.

    Rows whose product fits int64 are computed in int64, the others on Python ints.
    """
    if fits(np, a, num) and fits(np, den, 2):
        return _rounded(np, a * num, den, modes)
    small = (a > -SAFE) & (a < SAFE)  # np.abs() overflows at the int64 minimum
    safe = small & (np.abs(np.where(small, a, 0)) <= SAFE // np.maximum(np.abs(num), 1))
    safe &= den < SAFE // 2
    out = np.empty(len(a), dtype=np.int64)
    big = ~safe
    if safe.any():
        rows = modes[safe] if modes is not None and not isinstance(modes, int) else modes
        out[safe] = _rounded(np, a[safe] * num[safe], den[safe], rows)
    rows = modes[big] if modes is not None and not isinstance(modes, int) else modes
    wide = a[big].astype(object) * num[big].astype(object)
    out[big] = _rounded(np, wide, den[big].astype(object), rows)
    return out


def _rounded(np: Any, n: Any, d: Any, modes: Any) -> Any:
    """``n / d`` rounded per element with ``modes`` (``None``: half-up)."""
    floor, rest = _divmod(np, n, d)
    neg = n < 0
    twice = rest * 2
    if modes is None or isinstance(modes, int):  # one mode for every row
        mode = RoundingMode.HALF_UP if modes is None else MODES[modes]
        return _back(np, floor + _up(np, mode, floor, neg, rest, twice, d).astype(np.int64))
    up = np.zeros(len(n), dtype=bool)
    for code, mode in enumerate(MODES):
        where = modes == code
        if where.any():
            up |= where & _up(np, mode, floor, neg, rest, twice, d).astype(bool)
    return _back(np, floor + up.astype(np.int64))


def _up(np: Any, mode: RoundingMode, floor: Any, neg: Any, rest: Any, twice: Any, d: Any) -> Any:
    """Where ``floor`` goes up by one under ``mode`` (``rest`` is the floor remainder)."""
    if mode is RoundingMode.FLOOR:
        return np.zeros(len(floor), dtype=bool)
    if mode is RoundingMode.CEILING:
        return rest != 0
    if mode is RoundingMode.DOWN:
        return (rest != 0) & neg
    if mode is RoundingMode.UP:
        return (rest != 0) & ~neg
    above, tie = twice > d, twice == d
    if mode is RoundingMode.HALF_UP:
        return above | (tie & ~neg)
    if mode is RoundingMode.HALF_DOWN:
        return above | (tie & neg)
    return above | (tie & (floor % 2 != 0))  # HALF_EVEN


def _divmod(np: Any, a: Any, b: Any) -> tuple[Any, Any]:
    """Floor quotient and remainder, also of Python-int (object) arrays."""
    if a.dtype == object:
        return a // b, a % b
    return np.divmod(a, b)  # type: ignore[no-any-return]


def _back(np: Any, array: Any) -> Any:
    """An int64 array again (amounts are int64 by the Money contract: checked)."""
    if array.dtype == object:
        from crossborder.money._money import INT64_MAX, INT64_MIN

        if any(not INT64_MIN <= int(v) <= INT64_MAX for v in array):
            raise AmountOutOfRangeError("an amount in the batch leaves the signed 64-bit range")
        return array.astype(np.int64)
    return array


def allocate(np: Any, totals: Any, weights: Any, group: Any, starts: Any) -> Any:
    """Each group's total shared by weight (largest remainder, ties to the earlier member).

    The columnar twin of :func:`crossborder.money.allocate`; a group whose
    weights are all zero shares equally.
    """
    sums = np.add.reduceat(weights, starts)
    weights = np.where(sums[group] == 0, 1, weights)
    sums = np.add.reduceat(weights, starts)
    if fits(np, totals, weights):
        scaled = totals[group] * weights
    else:
        scaled = totals.astype(object)[group] * weights.astype(object)
    shares, rests = _divmod(np, scaled, sums[group])
    shares = _back(np, shares)
    left = totals - np.add.reduceat(shares, starts)
    n = len(weights)
    ranked = np.lexsort((np.arange(n), _neg(np, rests), group))
    position = np.empty(n, dtype=np.int64)
    position[ranked] = np.arange(n) - starts[group[ranked]]
    return shares + (position < left[group]).astype(np.int64)


def _neg(np: Any, rests: Any) -> Any:
    """Sort keys for remainders, largest first (exact, also beyond int64)."""
    if rests.dtype != object:
        return -rests
    order = sorted(set(rests.tolist()), reverse=True)
    rank = {value: i for i, value in enumerate(order)}
    return np.asarray([rank[v] for v in rests.tolist()], dtype=np.int64)
