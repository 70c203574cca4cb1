"""Convert columns of amounts at once: the same figures as :func:`convert`, row by row.

Each distinct (currency, date) pair gets its rate once from :func:`get_rate`
(same provider, same policy, so the same quote as one conversion); the rows
are then converted on int64 minor units in NumPy (Python ints where a product
could leave int64), rounded once with the named mode.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from crossborder._checks import check_date, check_path
from crossborder._columns import MODES, engines, muldiv
from crossborder.errors import InputError, InvalidAmountError
from crossborder.fx._rates import RatePolicy, RateProvider, _rate_terms
from crossborder.money._currency import normalise_code
from crossborder.money._money import _check_mode
from crossborder.money._rounding import RoundingMode

__all__ = ["convert_many", "convert_parquet"]


def convert_many(
    table: Any,
    to: str,
    *,
    rates: RateProvider | None,
    as_of: _dt.date | None = None,
    amount: str = "amount",
    currency: str = "currency",
    date: str = "date",
    policy: RatePolicy | None = None,
    rounding: RoundingMode = RoundingMode.HALF_UP,
) -> Any:
    """Convert a table's amounts (integer minor units) into ``to``: an Arrow table back.

    ``table`` is an Arrow table, a pandas or polars data frame, or anything
    Arrow can read as a table. The result is the input with three columns
    added: ``converted`` (minor units of ``to``), ``rate`` (the exact rate, as
    decimal text) and ``fixing_date``; its schema metadata
    (``crossborder.conversion``, JSON) records the source, policy, rounding and
    data version. Floats, nulls and NaN are refused: amounts are integers, and
    no row is dropped silently. Rows carry no per-row explanation: convert one
    amount with :func:`convert` to see its steps.

    Args:
        table: the rows to convert.
        to: the target currency.
        rates: the rate provider (e.g. ``EcbRates.default()``).
        as_of: one date for every row; otherwise each row's ``date`` column.
        amount: the column of integer minor units.
        currency: the column of ISO 4217 codes.
        date: the column of dates (ignored when ``as_of`` is given).
        policy: for days without a fixing, as for :func:`get_rate`.
        rounding: how each converted amount is rounded (once).

    >>> import pyarrow as pa
    >>> from crossborder.fx import FixedRates
    >>> rows = pa.table({"amount": [1000, 250], "currency": ["USD", "EUR"]})
    >>> rates = FixedRates.from_mapping({"EUR/USD": "1.0850"})
    >>> out = convert_many(rows, "EUR", rates=rates, as_of=_dt.date(2026, 1, 5))
    >>> out.column("converted").to_pylist(), out.column("rate").to_pylist()
    ([922, 250], ['0.9216589861751152073732718894', '1'])
    """
    np, pa = engines("convert_many")
    target = normalise_code(to)
    mode = _check_mode(rounding)
    table = _as_table(pa, table)
    taken = [name for name in _OUTPUT if name in table.column_names]
    if taken:
        raise InputError(
            f"the table already has column(s) {', '.join(taken)}, which convert_many adds: "
            "rename or drop them first"
        )
    amounts = _amounts(np, pa, table, amount)
    codes, code_index = _codes(np, pa, table, currency)
    if as_of is not None:
        first, span, day_index = check_date(as_of), 1, np.zeros(len(amounts), dtype=np.int64)
    else:
        first, span, day_index = _days(np, pa, table, date)
    key = code_index * span + day_index
    pairs, row_pair = _pairs(np, key, len(codes) * span)
    ratios, texts, fixed = [], [], []
    pivot, rules = "EUR", policy if policy is not None else RatePolicy.exact()
    if not isinstance(rules, RatePolicy):
        raise InvalidAmountError(f"policy must be a RatePolicy, got {type(rules).__name__}")
    shifts = {code: _shift(code, target) for code in codes}
    # per derivation (kept alive here, so its id stays its own): what every row needs
    terms: dict[int, tuple[Any, tuple[int, int], str]] = {}
    for pair in pairs.tolist():
        base, day = codes[pair // span], first + _dt.timedelta(days=pair % span)
        found, fixing = _rate_terms(base, target, day, rates, pivot, rules)
        known = terms.get(id(found))
        if known is None or known[0] is not found:
            (num, den), up = found[0], shifts[base]
            known = terms[id(found)] = (
                found,
                (num * 10 ** max(up, 0), den * 10 ** max(-up, 0)),
                str(found[1]),
            )
        ratios.append(known[1])
        texts.append(known[2])
        fixed.append(fixing)
    num = _column(np, [r[0] for r in ratios])[row_pair]
    den = _column(np, [r[1] for r in ratios])[row_pair]
    converted = muldiv(np, amounts, num, den, MODES.index(mode)) if len(amounts) else amounts
    index = pa.array(row_pair.astype(np.int32))
    out = (
        table.append_column("converted", pa.array(converted, pa.int64()))
        .append_column("rate", pa.DictionaryArray.from_arrays(index, pa.array(texts, pa.string())))
        .append_column(
            "fixing_date", pa.DictionaryArray.from_arrays(index, pa.array(fixed, pa.date32()))
        )
    )
    return out.replace_schema_metadata(
        {
            **(table.schema.metadata or {}),
            b"crossborder.conversion": _explain(rates, target, policy, mode, len(pairs)).encode(),
        }
    )


_OUTPUT = ("converted", "rate", "fixing_date")
_COLUMNS = {"amount", "currency", "date"}


def _shift(base: str, quote: str) -> int:
    """Decimal places between the minor units of ``base`` and ``quote`` (as minor_ratio)."""
    from crossborder.money._currency import exponent_of

    return exponent_of(quote) - exponent_of(base)


def _explain(
    rates: RateProvider | None,
    target: str,
    policy: RatePolicy | None,
    mode: RoundingMode,
    pairs: int,
) -> str:
    """How the table was converted, kept in its schema metadata (JSON)."""
    import json

    from crossborder.rules._book import packaged_data_version

    return json.dumps(
        {
            "to": target,
            "source": getattr(rates, "name", None),
            "policy": f"last fixing up to {policy.max_age_days} days before"
            if policy is not None and policy.max_age_days
            else "exact day",
            "rounding": mode.name,
            "rates_used": pairs,
            "method": "each currency and day rated once by get_rate; amount x exact rate, "
            "rounded once",
            "data_version": packaged_data_version(),
        }
    )


def convert_parquet(
    source: str | Path,
    target: str | Path,
    to: str,
    *,
    rates: RateProvider | None,
    as_of: _dt.date | None = None,
    policy: RatePolicy | None = None,
    rounding: RoundingMode = RoundingMode.HALF_UP,
    progress: Callable[[int, int], None] | None = None,
    **columns: str,
) -> int:
    """Convert a Parquet file batch by batch into another Parquet file; returns the row count.

    ``columns`` may rename ``amount``, ``currency`` and ``date`` as for
    :func:`convert_many`; ``progress`` is called with (rows done, rows in all).
    """
    _, pa = engines("convert_parquet")
    import pyarrow.parquet as pq

    source, target = check_path(source, name="source"), check_path(target, name="target")
    unknown = set(columns) - _COLUMNS
    if unknown:
        raise InputError(f"unknown column option(s) {sorted(unknown)}: use amount, currency, date")
    if not source.is_file():
        raise InputError(f"no Parquet file at {source}")
    if source.resolve() == target.resolve():
        raise InputError("write the converted rows to another file than the one read")
    try:
        reader = pq.ParquetFile(source)
    except Exception as exc:  # pyarrow raises its own error types for a bad file
        raise InputError(f"{source}: not a readable Parquet file ({exc})") from exc
    total, done = reader.metadata.num_rows, 0
    partial = target.with_name(f".{target.name}.partial")  # replaces the target only when whole
    writer = None
    try:
        batches = reader.iter_batches(batch_size=1 << 20)
        for batch in batches if total else [reader.schema_arrow.empty_table()]:
            out = convert_many(
                batch if isinstance(batch, pa.Table) else pa.Table.from_batches([batch]),
                to,
                rates=rates,
                as_of=as_of,
                policy=policy,
                rounding=rounding,
                **columns,
            )
            out = out.set_column(
                out.schema.get_field_index("rate"), "rate", out.column("rate").cast(pa.string())
            ).set_column(
                out.schema.get_field_index("fixing_date"),
                "fixing_date",
                out.column("fixing_date").cast(pa.date32()),
            )
            if writer is None:
                writer = pq.ParquetWriter(partial, out.schema)
            writer.write_table(out)
            done += out.num_rows
            if progress is not None:
                progress(done, total)
        if writer is not None:
            writer.close()
            writer = None
        os.replace(partial, target)
    finally:
        if writer is not None:
            writer.close()
        partial.unlink(missing_ok=True)
    return done


def _as_table(pa: Any, table: Any) -> Any:
    if isinstance(table, pa.Table):
        return table
    if hasattr(table, "to_arrow"):  # polars
        return table.to_arrow()
    try:
        return pa.table(table)  # pandas, dicts of columns, anything with __arrow_c_stream__
    except Exception as exc:  # Arrow raises several types for what it cannot read
        raise InputError(
            f"expected an Arrow table or a pandas/polars data frame, got {type(table).__name__}"
        ) from exc


def _field(table: Any, name: str) -> Any:
    if name not in table.column_names:
        raise InputError(f"no column {name!r} (columns: {', '.join(table.column_names)})")
    return table.column(name)


def _amounts(np: Any, pa: Any, table: Any, name: str) -> Any:
    col = _field(table, name)
    if not pa.types.is_integer(col.type):
        raise InvalidAmountError(
            f"column {name!r} must hold integer minor units, got {col.type}"
            + (
                "; floats cannot hold decimal amounts exactly"
                if pa.types.is_floating(col.type)
                else ""
            )
        )
    if col.null_count:
        raise InvalidAmountError(f"column {name!r} has {col.null_count} empty amounts")
    import pyarrow.compute as pc

    if pa.types.is_uint64(col.type) and len(col) and int(pc.max(col).as_py()) >= 2**63:
        raise InvalidAmountError(f"column {name!r} has amounts beyond the signed 64-bit range")
    return np.asarray(col.to_numpy(zero_copy_only=False), dtype=np.int64)


def _codes(np: Any, pa: Any, table: Any, name: str) -> tuple[list[str], Any]:
    col = _field(table, name)
    if col.null_count:
        raise InputError(f"column {name!r} has {col.null_count} rows without a currency")
    encoded = col.cast(pa.string()).dictionary_encode().combine_chunks()
    codes = [normalise_code(c) for c in encoded.dictionary.to_pylist()]
    return codes, np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int64)


def _days(np: Any, pa: Any, table: Any, name: str) -> tuple[_dt.date, int, Any]:
    """The first date, the number of days spanned, and each row's day as an offset."""
    col = _field(table, name)
    if col.null_count:
        raise InputError(f"column {name!r} has {col.null_count} rows without a date")
    try:
        col = col.cast(pa.date32())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise InputError(f"column {name!r} must hold dates (YYYY-MM-DD), got {col.type}") from exc
    days = np.asarray(col.combine_chunks().cast(pa.int32()).to_numpy(), dtype=np.int64)
    if not len(days):
        return _dt.date(1970, 1, 1), 1, days
    low, high = int(days.min()), int(days.max())
    return _dt.date(1970, 1, 1) + _dt.timedelta(days=low), high - low + 1, days - low


def _pairs(np: Any, key: Any, size: int) -> tuple[Any, Any]:
    """The distinct keys, and each row's position among them (no sort for small key spaces)."""
    if size > 4 * len(key) + 1_000_000:
        return np.unique(key, return_inverse=True)  # type: ignore[no-any-return]
    seen = np.zeros(size, dtype=bool)
    seen[key] = True
    pairs = np.flatnonzero(seen)
    where = np.empty(size, dtype=np.int64)
    where[pairs] = np.arange(len(pairs))
    return pairs, where[key]


def _column(np: Any, values: list[int]) -> Any:
    """Integers as an int64 column, or Python ints where one does not fit."""
    if all(-(2**63) <= v < 2**63 for v in values):
        return np.asarray(values, dtype=np.int64)
    return np.asarray(values, dtype=object)
