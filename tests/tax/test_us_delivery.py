"""Delivery charges in the US sales-tax base, as each state's rule says."""

import datetime as dt

from crossborder.money import Money
from crossborder.tax import Line, Seller, Shipment, landed_cost

DAY = dt.date(2026, 3, 2)


def quote(state, day=DAY):
    order = Shipment(
        lines=[
            Line(
                description="Lamp",
                hs_code="94054100",
                quantity=1,
                unit_price=Money.of("100.00", "USD"),
                origin="US",
            )
        ],
        shipping=Money.of("10.00", "USD"),
        ship_from="US-NJ" if state != "US-NJ" else "US-NY",
        destination=state,
        seller=Seller(established_in="US", registered=True),
    )
    return landed_cost(order, as_of=day)


def test_new_york_taxes_delivery():
    """NY Tax Bulletin ST-838: separately stated shipping on a taxable sale is taxable.
    4 % state rate on 100.00 + 10.00 = 4.40."""
    q = quote("US-NY")
    assert q.tax_total == Money.of("4.40", "USD")
    assert "us-ny.sales_tax.delivery_charges" in {r.rule_id for r in q.explanation.rules_used}


def test_texas_taxes_delivery():
    """Texas Rule 3.303: delivery charges are part of the sales price. 6.25 % of 110.00."""
    assert quote("US-TX").tax_total == Money.of("6.88", "USD")


def test_michigan_changed_in_2023():
    """Michigan Public Acts 20 and 21 of 2023: separately stated delivery exempt from
    2023-04-26. 6 % of 110.00 = 6.60 before, 6 % of 100.00 = 6.00 after."""
    assert quote("US-MI", dt.date(2023, 4, 25)).tax_total == Money.of("6.60", "USD")
    assert quote("US-MI", dt.date(2023, 4, 26)).tax_total == Money.of("6.00", "USD")


def test_california_excludes_separately_stated_delivery():
    """CDTFA Regulation 1628(a): separately stated carrier/mail delivery is excluded
    (up to actual cost). 7.25 % of 100.00 = 7.25, and the rule is no longer provisional."""
    q = quote("US-CA")
    assert q.tax_total == Money.of("7.25", "USD")
    assert not any("provisional" in w for w in q.warnings)


def test_kansas_changed_in_2023():
    """K.S.A. 79-3602(ll) as amended by 2022 H.B. 2136 (KDOR Notice 23-02): separately
    stated delivery charges excluded from 2023-07-01; before, taxable (KDOR Notice 07-06).
    6.5 % of 110.00 = 7.15 before, 6.5 % of 100.00 = 6.50 after (the new version is
    provisional: the notice was read only in secondary summaries)."""
    assert quote("US-KS", dt.date(2023, 6, 30)).tax_total == Money.of("7.15", "USD")
    after = quote("US-KS", dt.date(2023, 7, 1))
    assert after.tax_total == Money.of("6.50", "USD")
    assert any("provisional" in w for w in after.warnings)


def test_provisional_state_rules_are_flagged():
    """Maryland's rule is still provisional (current Tax-Gen. § 11-101 text not read)."""
    q = quote("US-MD")
    assert q.tax_total == Money.of("6.00", "USD")  # 6 % of 100.00: delivery excluded
    assert any("provisional" in w for w in q.warnings)
