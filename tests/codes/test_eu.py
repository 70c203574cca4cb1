"""EU membership, euro area and VAT area, checked on both sides of each change."""

import datetime as dt

import pytest
from hypothesis import given

from crossborder.codes import currency_of, eu_status, in_eu, in_eu_vat_area, in_euro_area
from crossborder.errors import InvalidCodeError, InvalidDateError, NoApplicableRuleError
from crossborder.testing import country_codes, rule_dates, subdivision_codes
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
    assert in_eu_vat_area("GB", postal_code="BT1 5GS", allow_provisional=True, as_of=D(2024, 1, 1))
    assert not in_eu_vat_area(
        "GB", postal_code="SW1A 1AA", allow_provisional=True, as_of=D(2024, 1, 1)
    )
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
    status = eu_status(place, postal_code=postal, allow_provisional=True, as_of=D(2026, 1, 1))
    assert status.provisional == (postal is not None and "-" not in place and len(place) == 2)
    assert status.eu_member
    assert not status.vat_area_goods
    assert not status.vat_area_services
    assert territory in status.excluded_territory
    assert_explained(status, rule_ids=["eu.vat_area.excluded_territories"])


def test_mainland_is_inside():
    for place, postal in (("ES", "28001"), ("DE", "10115"), ("IT", "00100"), ("FR", None)):
        assert in_eu_vat_area(
            place, postal_code=postal, allow_provisional=True, as_of=D(2026, 1, 1)
        )


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


def test_postal_codes_need_allow_provisional():
    from crossborder.errors import ProvisionalRuleError

    with pytest.raises(ProvisionalRuleError, match="allow_provisional"):
        eu_status("DE", postal_code="78266", as_of=D(2026, 1, 1))


@pytest.mark.parametrize(
    ("place", "currency"),
    [
        ("FR-NC", "XPF"),
        ("FR-PF", "XPF"),
        ("NL-AW", "AWG"),
        ("NL-CW", "XCG"),
        ("NL-BQ1", "USD"),
        ("CN-HK", "HKD"),
        ("CN-MO", "MOP"),
        ("US-PR", "USD"),
        ("GP", "EUR"),
    ],
)
def test_overseas_countries_and_territories(place, currency):
    """Art. 355(2) TFEU and Annex II: the OCTs are outside the EU and its VAT area."""
    day = D(2026, 6, 1)
    assert currency_of(place, as_of=day) == currency
    if place[:2] in ("FR", "NL"):
        assert not in_eu(place, as_of=day)
        assert not in_eu_vat_area(place, as_of=day)
        assert not in_euro_area(place, as_of=day)


def test_monaco_and_french_oct_postal_codes():
    day = D(2026, 6, 1)
    monaco = eu_status("FR", postal_code="98000", allow_provisional=True, as_of=day)
    assert (monaco.country, monaco.eu_member, monaco.vat_area_goods) == ("MC", False, True)
    noumea = eu_status("FR", postal_code="98800", allow_provisional=True, as_of=day)
    assert not noumea.eu_member
    assert not noumea.vat_area_goods


def test_territory_data_starts_2007_and_says_so():
    assert in_eu("DE", as_of=D(2000, 1, 1))
    assert not in_eu("US", as_of=D(2000, 1, 1))
    for place in ("AX", "GP"):
        with pytest.raises(NoApplicableRuleError, match="2007-01-01"):
            in_eu(place, as_of=D(2000, 1, 1))


@given(subdivision_codes(countries=["FR", "NL", "ES", "FI", "GR", "PT", "DK"]))
def test_subdivisions_of_member_states(place):
    status = eu_status(place, as_of=D(2026, 6, 1))
    if status.vat_area_services:
        assert status.eu_member
        assert status.excluded_territory is None
    assert_explained(status)


def test_overlay_with_a_wrong_value_shape_names_the_rule(tmp_path):
    from crossborder.errors import RuleDataError
    from crossborder.rules import RuleBook

    (tmp_path / "bad.toml").write_text(
        """
kind = "rules"
schema = 1
title = "bad"
jurisdiction = "EU"
review_by = 2027-01-01
[[rules]]
id = "eu.member_states"
title = "wrong shape"
[[rules.versions]]
valid_from = 1990-01-01
value = "ATDEFR"
[[rules.versions.citations]]
title = "x"
url = "https://example.org"
pinpoint = "p"
retrieved = 2026-11-25
"""
    )
    book = RuleBook.packaged().with_overlay(tmp_path)
    with pytest.raises(RuleDataError, match=r"eu\.member_states@1990-01-01") as info:
        in_eu("TD", as_of=D(2024, 1, 1), rules=book)
    assert info.value.path.endswith("bad.toml")
