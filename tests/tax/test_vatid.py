"""VAT identifiers: format and checksum offline with python-stdnum."""

import pytest

from crossborder.errors import InvalidCodeError, InvalidVatIdError
from crossborder.tax import is_valid_vat_id, validate_vat_id


@pytest.mark.parametrize(
    ("vat_id", "country", "owner", "scheme"),
    [
        ("DE136695976", None, "DE", "EU VAT"),
        ("ATU13585627", None, "AT", "EU VAT"),
        ("EL 094259216", None, "GR", "EU VAT"),
        ("EL094259216", "GR", "GR", "EU VAT"),
        ("XI 980780684", None, "GB", "EU VAT"),
        ("GB 980780684", None, "GB", "GB VAT"),
        ("53 004 085 616", "AU", "AU", "AU ABN"),
        ("NO 974 760 673 MVA", None, "NO", "NO MVA"),
        ("CHE-116.281.710 MWST", None, "CH", "CH UID/MWST"),
    ],
)
def test_valid(vat_id, country, owner, scheme):
    v = validate_vat_id(vat_id, country=country)
    assert (v.country, v.scheme) == (owner, scheme)
    assert is_valid_vat_id(vat_id, country=country)


@pytest.mark.parametrize(
    ("vat_id", "country", "reason"),
    [
        ("DE136695970", None, "checksum"),
        ("DE13669597", None, "length"),
        ("XI 980780685", None, "checksum"),
        ("123456789", None, "country"),
        ("123456789", "US", "country"),
        ("DE136695976", "FR", "country"),
        ("", None, "format"),
        (None, None, "format"),
        ("€", None, "country"),
    ],
)
def test_invalid(vat_id, country, reason):
    with pytest.raises(InvalidVatIdError) as info:
        validate_vat_id(vat_id, country=country)
    assert info.value.reason == reason
    assert not is_valid_vat_id(vat_id, country=country)


def test_bad_country_code():
    with pytest.raises(InvalidCodeError):
        validate_vat_id("123", country="UK")
    assert not is_valid_vat_id("123", country="UK")
