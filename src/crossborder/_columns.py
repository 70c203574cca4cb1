"""Exact integer arithmetic on columns: int64 where it cannot overflow, Python ints where it can.

The columnar twins of :func:`crossborder.money.round_div` and
:func:`crossborder.money.allocate`, shared by the batch paths of the tax and
FX modules, which give the same figures as their one-at-a-time versions.
"""

from __future__ import annotations

from typing import Any

from crossborder.errors import InputError
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
        elif len(array):
            bound *= int(np.abs(array).max())
    return bound < SAFE


def mul(np: Any, a: Any, b: Any) -> Any:
    if fits(np, a, b):
        return a * b
    return a.astype(object) * b.astype(object)


def muldiv(np: Any, a: Any, num: Any, den: Any, modes: Any) -> Any:
    """``a * num / den`` rounded per element (``modes`` codes; ``None``: half-up), exactly."""
    if fits(np, a, num) and fits(np, den, 2):
        n, d = a * num, den
    else:
        n, d = a.astype(object) * num.astype(object), den.astype(object)
    floor, rest = _divmod(np, n, d)
    neg = n < 0
    nonzero = rest != 0
    twice = rest * 2
    above, tie = twice > d, twice == d
    if modes is None:
        return _back(np, floor + (above | (tie & ~neg)).astype(np.int64))
    up = np.zeros(len(n), dtype=bool)
    for code, mode in enumerate(MODES):
        where = modes == code
        if not where.any():
            continue
        if mode is RoundingMode.CEILING:
            rule = nonzero
        elif mode is RoundingMode.FLOOR:
            rule = np.zeros(len(n), dtype=bool)
        elif mode is RoundingMode.DOWN:
            rule = nonzero & neg
        elif mode is RoundingMode.UP:
            rule = nonzero & ~neg
        elif mode is RoundingMode.HALF_UP:
            rule = above | (tie & ~neg)
        elif mode is RoundingMode.HALF_DOWN:
            rule = above | (tie & neg)
        else:  # HALF_EVEN
            rule = above | (tie & (floor % 2 != 0))
        up |= where & rule.astype(bool)
    return _back(np, floor + up.astype(np.int64))


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
            raise InputError("an amount in the batch leaves the signed 64-bit range")
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
