"""EU membership, euro area and VAT area, checked on both sides of each change."""

import datetime as dt

import pytest
from hypothesis import given

from crossborder.codes import currency_of, eu_status, in_eu, in_eu_vat_area, in_euro_area
from crossborder.errors import InvalidCodeError, InvalidDateError, NoApplicableRuleError
from crossborder.testing import country_codes, rule_dates
from crossborder.testing.invariants import assert_explained

D = dt.date
DAY = dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("country", "joined"),
    [("PL", D(2004, 5, 1)), ("BG", D(2007, 1, 1)), ("RO", D(2007, 1, 1)), ("HR", D(2013, 7, 1))],
)
def test_accessions(country, joined):
    """Acts of Accession 2003, 2005 and 2012 (OJ L 236/2003, L 157/2005, L 112/2012)."""
    assert not in_eu(country, as_of=joined - DAY)
    assert in_eu(country, as_of=joined)


def test_brexit_membership_and_vat_transition():
    """Withdrawal Agreement, OJ C 384I/2019: exit 2020-01-31, transition to 2020-12-31."""
    assert in_eu("GB", as_of=D(2020, 1, 31))
    assert not in_eu("GB", as_of=D(2020, 2, 1))
    assert in_eu_vat_area("GB", as_of=D(2020, 12, 31))
    assert not in_eu_vat_area("GB", as_of=D(2021, 1, 1))


def test_northern_ireland_goods_not_services():
    """Protocol on Ireland/Northern Ireland, Art. 8: EU VAT rules on goods apply in NI."""
    assert in_eu_vat_area("GB-NIR", as_of=D(2021, 1, 1))
    assert not in_eu_vat_area("GB-NIR", supply="services", as_of=D(2021, 1, 1))
    assert in_eu_vat_area("GB-BFS", as_of=D(2024, 1, 1))  # Belfast, inside GB-NIR
    assert in_eu_vat_area("GB", postal_code="BT1 5GS", as_of=D(2024, 1, 1))
    assert not in_eu_vat_area("GB", postal_code="SW1A 1AA", as_of=D(2024, 1, 1))
    assert not in_eu_vat_area("GB-ENG", as_of=D(2024, 1, 1))


@pytest.mark.parametrize(
    ("country", "adopted"),
    [
        ("GR", D(2001, 1, 1)),
        ("SI", D(2007, 1, 1)),
        ("CY", D(2008, 1, 1)),
        ("MT", D(2008, 1, 1)),
        ("SK", D(2009, 1, 1)),
        ("EE", D(2011, 1, 1)),
        ("LV", D(2014, 1, 1)),
        ("LT", D(2015, 1, 1)),
        ("HR", D(2023, 1, 1)),
        ("BG", D(2026, 1, 1)),
    ],
)
def test_euro_adoption(country, adopted):
    assert not in_euro_area(country, as_of=adopted - DAY)
    assert in_euro_area(country, as_of=adopted)
    assert currency_of(country, as_of=adopted) == "EUR"
    assert currency_of(country, as_of=adopted - DAY) != "EUR"


def test_currency_of_outside_the_euro_area():
    assert currency_of("US", as_of=D(2026, 1, 1)) == "USD"
    assert currency_of("HR", as_of=D(2022, 12, 31)) == "HRK"
    assert currency_of("BG", as_of=D(2025, 12, 31)) == "BGN"
    assert currency_of("ME", as_of=D(2026, 1, 1)) == "EUR"
    assert currency_of("ES-CN", as_of=D(2026, 1, 1)) == "EUR"
    assert currency_of("CW", as_of=D(2025, 6, 1)) == "XCG"
    assert currency_of("GB-NIR", as_of=D(2025, 6, 1)) == "GBP"


@pytest.mark.parametrize(
    ("place", "postal", "territory"),
    [
        ("ES-CN", None, "Canary Islands"),
        ("ES", "35001", "Canary Islands"),
        ("ES-CE", None, "Ceuta"),
        ("ES-ML", None, "Melilla"),
        ("FR-971", None, "Guadeloupe"),
        ("GP", None, "Guadeloupe"),
        ("FR-974", None, "Réunion"),
        ("AX", None, "Åland"),
        ("FI-01", None, "Åland"),
        ("GR-69", None, "Mount Athos"),
        ("DE", "78266", "Büsingen"),
        ("DE", "27498", "Heligoland"),
        ("IT", "22061", "Campione"),
    ],
)
def test_territories_outside_the_vat_area(place, postal, territory):
    """Council Directive 2006/112/EC, Art. 6."""
    status = eu_status(place, postal_code=postal, as_of=D(2026, 1, 1))
    assert status.eu_member
    assert not status.vat_area_goods
    assert not status.vat_area_services
    assert territory in status.excluded_territory
    assert_explained(status, rule_ids=["eu.vat_area.excluded_territories"])


def test_mainland_is_inside():
    for place, postal in (("ES", "28001"), ("DE", "10115"), ("IT", "00100"), ("FR", None)):
        assert in_eu_vat_area(place, postal_code=postal, as_of=D(2026, 1, 1))


def test_monaco_is_treated_as_france():
    """Directive 2006/112/EC, Art. 7: Monaco is treated as part of France."""
    status = eu_status("MC", as_of=D(2026, 1, 1))
    assert status.vat_area_goods
    assert not status.eu_member


def test_explanation_cites_every_rule():
    status = eu_status("ES-CN", as_of=D(2026, 1, 1))
    e = assert_explained(
        status,
        rule_ids=["eu.member_states", "eu.euro_area", "eu.vat_area.states"],
    )
    assert "eu.member_states@" in e.to_text()
    assert "| 1 |" in e.to_markdown()


def test_bad_input():
    with pytest.raises(InvalidCodeError):
        in_eu("UK", as_of=D(2024, 1, 1))
    with pytest.raises(InvalidDateError):
        in_eu("DE", as_of="2024-01-01")
    with pytest.raises(InvalidCodeError):
        in_eu_vat_area("DE", supply="both", as_of=D(2024, 1, 1))
    with pytest.raises(InvalidCodeError):
        eu_status("DE", postal_code=" ", as_of=D(2024, 1, 1))
    with pytest.raises(NoApplicableRuleError):
        in_eu("DE", as_of=D(1980, 1, 1))


@given(
    country_codes(), rule_dates(rule_ids=["eu.vat_area.states", "eu.vat_area.excluded_territories"])
)
def test_vat_area_members_are_eu_members_or_special_cases(country, day):
    status = eu_status(country, as_of=day)
    if status.vat_area_services and not status.eu_member:
        assert country in {"MC", "IM", "GB"}
    assert_explained(status)
