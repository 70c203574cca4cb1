from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema

from crossborder.errors import InvalidCodeError
from crossborder.money._currency import normalise_code

USER_ASSIGNED = {"XK": "Kosovo"}
_COUNTRY_HINTS = {
    "UK": "the ISO 3166 code of the United Kingdom is GB",
    "EL": "EL is Greece's VAT prefix; the ISO 3166 code is GR",
    "XI": "XI is Northern Ireland's VAT prefix; use the subdivision GB-NIR",
    "EU": "EU is not a country; name a member state",
}
# Sports and vehicle codes people type for countries (not ISO 3166): a hint only.
_NON_ISO = {
    "GER": "DE",
    "SUI": "CH",
    "NED": "NL",
    "POR": "PT",
    "DEN": "DK",
    "GRE": "GR",
    "CRO": "HR",
    "RSA": "ZA",
    "UAE": "AE",
    "KSA": "SA",
    "ENG": "GB",
}
_HS_SEPARATORS = re.compile(r"[\s.\-]")


_COUNTRIES: dict[str, str] = {}
_SUBDIVISIONS: dict[str, str] = {}


def _text(value: object, what: str, example: str) -> str:
    if not isinstance(value, str):
        raise InvalidCodeError(
            f"{what} must be a string such as {example!r}, got {type(value).__name__} {value!r}",
            code=value,
        )
    return value.strip().upper()


def country_code(value: object) -> str:
    """Normalise an ISO 3166-1 alpha-2 code (or XK), raising with a hint if unknown.

    >>> country_code(" de ")
    'DE'
    >>> country_code("UK")
    Traceback (most recent call last):
    ...
    crossborder.errors.InvalidCodeError: unknown country code 'UK' (the ISO 3166 code ...)
    """
    import pycountry

    known = _COUNTRIES.get(value) if type(value) is str else None
    if known is not None:
        return known
    code = _text(value, "a country code", "DE")
    if code in USER_ASSIGNED or (len(code) == 2 and pycountry.countries.get(alpha_2=code)):
        if len(_COUNTRIES) < 10_000:  # the texts seen valid: orders repeat the same few
            _COUNTRIES[value] = code  # type: ignore[index]
        return code
    hint = _COUNTRY_HINTS.get(code)
    if hint is None and len(code) == 3 and code.isalpha():
        match = pycountry.countries.get(alpha_3=code)
        if match:
            hint = f"{code} is the alpha-3 code of {match.name}; use {match.alpha_2}"
        elif code in _NON_ISO:
            hint = f"{code} is not alpha-2 (nor any ISO 3166 code); did you mean {_NON_ISO[code]}?"
        else:
            hint = "country codes are ISO 3166-1 alpha-2, two letters such as DE"
    elif hint is None and len(code) > 3:
        try:
            match = pycountry.countries.lookup(value.strip() if isinstance(value, str) else "")
            hint = f"use the code {match.alpha_2} for {match.name}"
        except LookupError:
            hint = "country codes are ISO 3166-1 alpha-2, two letters such as DE"
    elif hint is None and not code:
        hint = "the code is empty"
    raise InvalidCodeError(f"unknown country code {value!r}", code=value, hint=hint)


def country_name(code: str) -> str:
    """The short English name of a country: ``country_name("BG")`` is ``'Bulgaria'``."""
    import pycountry

    found = pycountry.countries.get(alpha_2=country_code(code))
    if found is None:  # user-assigned codes such as XK
        return code
    return str(getattr(found, "common_name", None) or found.name)


def find_subdivision(code: str) -> Any:
    """Pycountry's record of an ISO 3166-2 code, or ``None``."""
    import pycountry

    return pycountry.subdivisions.get(code=code)  # type: ignore[no-untyped-call]


def subdivision_code(value: object) -> str:
    """Normalise an ISO 3166-2 subdivision code such as ``ES-CN`` or ``US-CA``.

    >>> subdivision_code("us-ca")
    'US-CA'
    """
    known = _SUBDIVISIONS.get(value) if type(value) is str else None
    if known is not None:
        return known
    code = _text(value, "a subdivision code", "ES-CN")
    if find_subdivision(code) is not None:
        if len(_SUBDIVISIONS) < 10_000:
            _SUBDIVISIONS[value] = code  # type: ignore[index]
        return code
    country, _, rest = code.partition("-")
    if not rest:
        hint = "subdivision codes are COUNTRY-PART, e.g. ES-CN, US-CA, CA-QC"
    else:
        try:
            country_code(country)
        except InvalidCodeError as exc:
            hint = f"the country part is wrong: {exc}"
        else:
            hint = f"{country} has no subdivision {rest} in ISO 3166-2"
    raise InvalidCodeError(f"unknown subdivision code {value!r}", code=value, hint=hint)


def place_code(value: object) -> str:
    """A country (``DE``) or a subdivision (``ES-CN``), normalised."""
    if isinstance(value, str) and "-" in value:
        return subdivision_code(value)
    return country_code(value)


def currency_code(value: object) -> str:
    """Normalise an ISO 4217 code known to the library (active or retired)."""
    return normalise_code(value)


def hs_code(value: object) -> str:
    """Normalise an HS code to 6 to 10 digits: ``"6109.10.00"`` becomes ``"61091000"``.

    >>> hs_code("6109.10.00")
    '61091000'
    """
    if isinstance(value, int) and not isinstance(value, bool):
        raise InvalidCodeError(
            f"HS code must be a string (a number loses leading zeros), got int {value!r}; "
            "pass e.g. '0901.21'",
            code=value,
        )
    if not isinstance(value, str):
        raise InvalidCodeError(
            f"HS code must be a string such as '6109.10', got {type(value).__name__} {value!r}",
            code=value,
        )
    digits = _HS_SEPARATORS.sub("", value)
    if not digits.isdigit() or not digits.isascii():
        raise InvalidCodeError(f"HS code {value!r} must contain only digits", code=value)
    if not 6 <= len(digits) <= 10:
        raise InvalidCodeError(
            f"HS code {value!r} has {len(digits)} digits; an HS code has 6 to 10 "
            "(a 4-digit heading is not a full code)",
            code=value,
        )
    chapter = int(digits[:2])
    if not (1 <= chapter <= 97) or chapter == 77:
        raise InvalidCodeError(
            f"HS code {value!r} names chapter {digits[:2]}, which does not exist "
            "(chapters run 01 to 97; 77 is reserved)",
            code=value,
        )
    return digits


def _schema(pattern: str, description: str, examples: list[str]) -> dict[str, Any]:
    return {"type": "string", "pattern": pattern, "description": description, "examples": examples}


CountryCode = Annotated[
    str,
    BeforeValidator(country_code),
    WithJsonSchema(_schema("^[A-Z]{2}$", "ISO 3166-1 alpha-2 country code (or XK)", ["DE"])),
]
SubdivisionCode = Annotated[
    str,
    BeforeValidator(subdivision_code),
    WithJsonSchema(_schema("^[A-Z]{2}-[A-Z0-9]{1,3}$", "ISO 3166-2 subdivision", ["ES-CN"])),
]
PlaceCode = Annotated[
    str,
    BeforeValidator(place_code),
    WithJsonSchema(
        _schema(
            "^[A-Z]{2}(-[A-Z0-9]{1,3})?$", "Country (ISO 3166-1) or subdivision", ["DE", "ES-CN"]
        )
    ),
]
CurrencyCode = Annotated[
    str,
    BeforeValidator(currency_code),
    WithJsonSchema(_schema("^[A-Z]{3}$", "ISO 4217 currency code", ["EUR"])),
]
HSCode = Annotated[
    str,
    BeforeValidator(hs_code),
    WithJsonSchema(_schema("^[0-9]{6,10}$", "Harmonized System code, 6 to 10 digits", ["610910"])),
]
