import pytest
from hypothesis import given
from pydantic import BaseModel, ValidationError

from crossborder.codes import (
    CountryCode,
    CurrencyCode,
    HSCode,
    PlaceCode,
    SubdivisionCode,
    country_code,
    hs_code,
    subdivision_code,
)
from crossborder.errors import InvalidCodeError
from crossborder.testing import country_codes, hs_codes, subdivision_codes


class Address(BaseModel):
    country: CountryCode
    region: SubdivisionCode | None = None
    place: PlaceCode | None = None
    currency: CurrencyCode | None = None
    hs: HSCode | None = None


def test_normalisation():
    a = Address(country=" fr ", region="es-cn", place="us-ca", currency="eur", hs="6109.10.00")
    assert (a.country, a.region, a.place, a.currency, a.hs) == (
        "FR",
        "ES-CN",
        "US-CA",
        "EUR",
        "61091000",
    )
    assert country_code("XK") == "XK"
    assert subdivision_code("CA-QC") == "CA-QC"
    assert subdivision_code("GB-NIR") == "GB-NIR"
    assert hs_code("0901 21") == "090121"
    assert hs_code("8517-13-0000") == "8517130000"


@pytest.mark.parametrize(
    ("raw", "hint"),
    [
        ("UK", "GB"),
        ("EL", "GR"),
        ("XI", "GB-NIR"),
        ("GER", "not alpha-2"),
        ("DEU", "alpha-3 code of Germany; use DE"),
        ("Germany", "use the code DE"),
        ("", "empty"),
        ("ZZ", None),
    ],
)
def test_country_hints(raw, hint):
    with pytest.raises(InvalidCodeError) as info:
        country_code(raw)
    if hint:
        assert hint in str(info.value)
    assert info.value.code == raw


def test_ger_is_explained_as_not_alpha2():
    with pytest.raises(InvalidCodeError, match="alpha-2"):
        country_code("GER")


@pytest.mark.parametrize("raw", ["ES-XX", "ESCN", "UK-ENG", "", "ES-"])
def test_bad_subdivisions(raw):
    with pytest.raises(InvalidCodeError):
        subdivision_code(raw)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (610910, "leading zeros"),
        ("6109", "4-digit heading"),
        ("61091000001", "11 digits"),
        ("6109.1A", "only digits"),
        ("770000", "chapter 77"),
        ("980000", "chapter 98"),
        ("000000", "chapter 00"),
        (None, "string"),
        ("٦١٠٩١٠", "only digits"),
    ],
)
def test_bad_hs_codes(raw, message):
    with pytest.raises(InvalidCodeError, match=message):
        hs_code(raw)


@pytest.mark.parametrize("bad", [None, 12, 1.5, "€", "D", "DEX"])
def test_models_reject_junk(bad):
    with pytest.raises(ValidationError):
        Address(country=bad)


def test_json_schema_patterns():
    schema = Address.model_json_schema()["properties"]
    assert schema["country"]["pattern"] == "^[A-Z]{2}$"
    assert schema["hs"]["anyOf"][0]["pattern"] == "^[0-9]{6,10}$"


@given(country_codes())
def test_every_drawn_country_validates(code):
    assert country_code(code.lower()) == code


@given(subdivision_codes())
def test_every_drawn_subdivision_validates(code):
    assert subdivision_code(code) == code


@given(hs_codes())
def test_every_drawn_hs_code_validates(code):
    assert hs_code(code) == code
    dotted = code[:4] + "." + code[4:]
    assert hs_code(dotted) == code
