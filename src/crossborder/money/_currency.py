from __future__ import annotations

import datetime as _dt
import threading
import tomllib
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from crossborder.errors import InvalidCodeError, RuleDataError

if TYPE_CHECKING:
    from crossborder.money._currency_model import Currency, CurrencyFile

DATA_FILE = "money/data/iso4217.toml"

_HINTS = {
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY or CNY",
    "$": "USD, CAD, AUD or another dollar",
    "RMB": "CNY",
    "UKP": "GBP",
    "STG": "GBP",
    "NTD": "TWD",
    "RUR": "RUB",
    "SFR": "CHF",
    "EURO": "EUR",
}


_lock = threading.Lock()
_exponents: dict[str, int | None] = {}  # filled once, in one step: the fast path of Money
_table: dict[str, Currency] = {}  # validated entries, built on first get_currency()


def _raw() -> dict[str, Any]:
    from importlib import resources

    blob = resources.files("crossborder").joinpath(DATA_FILE).read_bytes()
    try:
        return tomllib.loads(blob.decode("utf-8"), parse_float=Decimal)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RuleDataError(
            f"{DATA_FILE}: not valid TOML: {exc}", path=DATA_FILE, field=None
        ) from exc


def load_exponents() -> dict[str, int | None]:
    """Code -> ISO exponent, read once without pydantic (Money needs nothing more)."""
    if not _exponents:
        with _lock:
            if not _exponents:
                found: dict[str, int | None] = {}
                for n, entry in enumerate(_raw().get("currencies", ())):
                    code, exponent = entry.get("code"), entry.get("exponent")
                    if not isinstance(code, str) or not (
                        exponent is None or (type(exponent) is int and 0 <= exponent <= 4)
                    ):
                        raise RuleDataError(
                            f"{DATA_FILE}: currencies.{n}: bad code or exponent",
                            path=DATA_FILE,
                            field=f"currencies.{n}",
                        )
                    found[code] = exponent
                _exponents.update(found)  # one C-level update: readers see all or nothing
    return _exponents


def load_table() -> dict[str, Currency]:
    """The validated currency table, read once on first use."""
    if not _table:
        with _lock:
            if not _table:
                _table.update(_validated())
    return _table


def read_currency_file() -> CurrencyFile:
    """The packaged ISO 4217 file, validated; :class:`RuleDataError` names the field."""
    from pydantic import ValidationError

    from crossborder.money._currency_model import CurrencyFile

    try:
        return CurrencyFile.model_validate(_raw())
    except ValidationError as exc:
        field = ".".join(str(p) for p in exc.errors()[0]["loc"])
        raise RuleDataError(
            f"{DATA_FILE}: field {field}: {exc.errors()[0]['msg']}", path=DATA_FILE, field=field
        ) from exc


def _validated() -> dict[str, Currency]:
    return {c.code: c for c in read_currency_file().currencies}


def normalise_code(code: object) -> str:
    """Upper-case, trimmed code; :class:`InvalidCodeError` with a hint if unknown."""
    if not isinstance(code, str):
        raise InvalidCodeError(
            f"currency must be an ISO 4217 code such as 'EUR', got {type(code).__name__} {code!r}",
            code=code,
        )
    norm = code.strip().upper()
    if norm in _exponents or norm in load_exponents():
        return norm
    hint = _HINTS.get(norm)
    if hint:
        hint = f"did you mean {hint}?"
    elif not norm:
        hint = "the code is empty"
    elif len(norm) != 3 or not norm.isalpha():
        hint = "ISO 4217 codes are three letters"
    raise InvalidCodeError(f"unknown ISO 4217 currency code {code!r}", code=code, hint=hint)


def exponent_of(code: str) -> int:
    """Minor-unit exponent of a known, normalised code; raises for codes without one."""
    try:
        exponent = _exponents[code]
    except KeyError:
        exponent = load_exponents()[code]
    if exponent is None:
        raise InvalidCodeError(
            f"{code} has no minor unit in ISO 4217 (N.A.) and cannot be an amount's currency",
            code=code,
        )
    return exponent


def get_currency(code: str) -> Currency:
    """The currency with this ISO 4217 code (active or retired).

    >>> get_currency("jpy").exponent
    0
    >>> get_currency("UKP")
    Traceback (most recent call last):
    ...
    crossborder.errors.InvalidCodeError: unknown ISO 4217 currency code 'UKP' (did you mean GBP?)
    """
    return load_table()[normalise_code(code)]


def find_currency(code: str) -> Currency | None:
    """Like :func:`get_currency`, but ``None`` for an unknown code."""
    try:
        return get_currency(code)
    except InvalidCodeError:
        return None


def currencies(*, as_of: _dt.date | None = None) -> tuple[Currency, ...]:
    """Every currency in the table, or those in use on ``as_of``, sorted by code."""
    table = load_table()
    chosen = table.values() if as_of is None else (c for c in table.values() if c.in_use(as_of))
    return tuple(sorted(chosen, key=lambda c: c.code))
