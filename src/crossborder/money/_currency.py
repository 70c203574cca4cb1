from __future__ import annotations

import datetime as _dt
import os
import re
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


def _text() -> str:
    local = os.path.join(os.path.dirname(__file__), "data", "iso4217.toml")
    if os.path.exists(local):  # an ordinary install: no need for importlib.resources
        with open(local, encoding="utf-8") as handle:
            return handle.read()
    from importlib import resources

    return resources.files("crossborder").joinpath(DATA_FILE).read_text(encoding="utf-8")


_CODE = re.compile(r'^code = "([A-Z]{3})"$', re.MULTILINE)
_EXPONENT = re.compile(r"^exponent = ([0-9])$", re.MULTILINE)


def scan_exponents(text: str) -> dict[str, int | None]:
    """Code -> exponent straight from the file's lines: the fast path of the first Money.

    The data test checks that it agrees with a full TOML parse of the same file.
    """
    found: dict[str, int | None] = {}
    for block in text.split("\n[[currencies]]\n")[1:]:
        head = block.split("\n[[", 1)[0]  # the entry's own keys, before its citations
        code, exponent = _CODE.search(head), _EXPONENT.search(head)
        if code is None:
            raise RuleDataError(
                f"{DATA_FILE}: a [[currencies]] entry without a code", path=DATA_FILE
            )
        found[code.group(1)] = int(exponent.group(1)) if exponent else None
    return found


def _raw() -> dict[str, Any]:
    try:
        return tomllib.loads(_text(), parse_float=Decimal)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RuleDataError(
            f"{DATA_FILE}: not valid TOML: {exc}", path=DATA_FILE, field=None
        ) from exc


def load_exponents() -> dict[str, int | None]:
    """Code -> ISO exponent, read once without pydantic (Money needs nothing more)."""
    if not _exponents:
        with _lock:
            if not _exponents:
                found = scan_exponents(_text())
                if not found or any(e is not None and e > 4 for e in found.values()):
                    raise RuleDataError(f"{DATA_FILE}: no usable exponents", path=DATA_FILE)
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
    if code.__class__ is str and code in _exponents:  # the usual case: already a known code
        return code
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
