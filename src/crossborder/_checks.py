"""Argument checks shared by every public entry point."""

from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path

from crossborder.errors import InputError, InvalidDateError


def check_date(value: object, *, name: str = "as_of") -> _dt.date:
    """Return ``value`` if it is a plain ``datetime.date``, else raise.

    >>> check_date(_dt.date(2024, 1, 5))
    datetime.date(2024, 1, 5)
    >>> check_date("2024-01-05")
    Traceback (most recent call last):
    ...
    crossborder.errors.InvalidDateError: as_of must be a datetime.date, got str '2024-01-05'; ...
    """
    if isinstance(value, _dt.datetime):
        raise InvalidDateError(
            f"{name} must be a datetime.date, got a datetime {value!r}; pass value.date()",
            field=name,
        )
    if not isinstance(value, _dt.date):
        raise InvalidDateError(
            f"{name} must be a datetime.date, got {type(value).__name__} {value!r}; "
            f"pass e.g. datetime.date(2026, 1, 1) or date.fromisoformat('2026-01-01')",
            field=name,
        )
    return value


def check_path(value: object, *, name: str = "path") -> Path:
    """Return ``value`` as a ``Path`` if it is a non-empty text or path-like, else raise.

    >>> check_path("rates.csv")
    PosixPath('rates.csv')
    >>> check_path(None)
    Traceback (most recent call last):
    ...
    crossborder.errors.InputError: path must be a file path (text or pathlib.Path), got ...None
    """
    if isinstance(value, str) and value.strip():
        return Path(value)
    if isinstance(value, os.PathLike):
        return Path(value)
    raise InputError(
        f"{name} must be a file path (text or pathlib.Path), got {type(value).__name__} {value!r}",
        field=name,
    )
