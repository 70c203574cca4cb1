"""Codes: countries, subdivisions, currencies and HS codes, and dated EU facts.

Annotated pydantic types normalise and validate input; an unknown code
raises :class:`~crossborder.errors.InvalidCodeError` with a hint.

>>> from pydantic import TypeAdapter
>>> TypeAdapter(CountryCode).validate_python(" fr ")
'FR'
>>> TypeAdapter(HSCode).validate_python("6109.10.00")
'61091000'

EU membership, the euro area and the VAT area are rule data, so answers
follow the date asked about:

>>> import datetime
>>> day = datetime.date(2023, 1, 1)
>>> in_euro_area("HR", as_of=day - datetime.timedelta(days=1)), in_euro_area("HR", as_of=day)
(False, True)
"""

from crossborder.codes._codes import (
    CountryCode,
    CurrencyCode,
    HSCode,
    PlaceCode,
    SubdivisionCode,
    country_code,
    currency_code,
    hs_code,
    place_code,
    subdivision_code,
)
from crossborder.codes._eu import (
    EUStatus,
    currency_of,
    eu_status,
    in_eu,
    in_eu_vat_area,
    in_euro_area,
)

__all__ = [
    "CountryCode",
    "CurrencyCode",
    "EUStatus",
    "HSCode",
    "PlaceCode",
    "SubdivisionCode",
    "country_code",
    "currency_code",
    "currency_of",
    "eu_status",
    "hs_code",
    "in_eu",
    "in_eu_vat_area",
    "in_euro_area",
    "place_code",
    "subdivision_code",
]
