from __future__ import annotations

import datetime as _dt
import threading
from importlib import resources
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from crossborder._checks import check_date
from crossborder.errors import InvalidCodeError, RuleDataError
from crossborder.explain._model import Citation, Text

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


class Currency(BaseModel):
    """An ISO 4217 currency as the library knows it.

    Attributes:
        code: alphabetic code, e.g. ``EUR``.
        numeric: numeric code as three digits, e.g. ``978``.
        exponent: ISO minor unit (decimals); ``None`` where ISO says N.A. (XAU, XDR...).
        name: ISO English name.
        cash_increment: smallest cash step in minor units (CHF 5, DKK 50, SEK 100).
        valid_from: first day in use, for codes introduced since 2000.
        valid_to: first day no longer in use (exclusive), for retired codes.
        replaced_by: the code that replaced a retired one.
        citations: sources for the dates above.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
    numeric: Annotated[str, StringConstraints(pattern=r"^[0-9]{3}$")]
    exponent: int | None = Field(default=None, ge=0, le=4)
    name: Text
    cash_increment: int = Field(default=1, ge=1)
    valid_from: _dt.date | None = None
    valid_to: _dt.date | None = None
    replaced_by: str | None = None
    status: Literal["enacted", "provisional"] = "enacted"
    note: str | None = None
    citations: tuple[Citation, ...] = ()

    def in_use(self, as_of: _dt.date) -> bool:
        """Whether the code was the currency in use on ``as_of``."""
        as_of = check_date(as_of)
        started = self.valid_from is None or self.valid_from <= as_of
        return started and (self.valid_to is None or as_of < self.valid_to)


class CurrencyFile(BaseModel):
    """Schema of the packaged ISO 4217 table."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    kind: Literal["currencies"]
    schema_: Literal[1] = Field(alias="schema")
    title: Text
    review_by: _dt.date
    description: str | None = None
    citations: tuple[Citation, ...] = Field(min_length=1)
    currencies: tuple[Currency, ...] = Field(min_length=1)


_lock = threading.Lock()
_table: dict[str, Currency] = {}
_exponents: dict[str, int | None] = {}


def load_table() -> dict[str, Currency]:
    """The currency table, read once on first use."""
    if not _table:
        with _lock:
            if not _table:
                _table.update(_read())
                _exponents.update({c: cur.exponent for c, cur in _table.items()})
    return _table


def _read() -> dict[str, Currency]:
    from crossborder.rules._book import read_toml

    blob = resources.files("crossborder").joinpath(DATA_FILE).read_bytes()
    try:
        data = CurrencyFile.model_validate(read_toml(DATA_FILE, blob))
    except ValidationError as exc:
        field = ".".join(str(p) for p in exc.errors()[0]["loc"])
        raise RuleDataError(
            f"{DATA_FILE}: field {field}: {exc}", path=DATA_FILE, field=field
        ) from exc
    return {c.code: c for c in data.currencies}


def normalise_code(code: object) -> str:
    """Upper-case, trimmed code; :class:`InvalidCodeError` with a hint if unknown."""
    if isinstance(code, Currency):
        return code.code
    if not isinstance(code, str):
        raise InvalidCodeError(
            f"currency must be an ISO 4217 code such as 'EUR', got {type(code).__name__} {code!r}",
            code=code,
        )
    norm = code.strip().upper()
    if norm in _exponents or norm in load_table():
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
        load_table()
        exponent = _exponents[code]
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
