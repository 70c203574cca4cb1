"""Regime decisions checked against the official texts, one case each."""

import datetime as dt
from decimal import Decimal

import pytest

from crossborder.errors import (
    InputError,
    InvalidAmountError,
    NotFoundError,
    RateUnavailableError,
)
from crossborder.fx import get_rate
from crossborder.money import Money
from crossborder.tax import Buyer, Line, Seller, Shipment, landed_cost

D = dt.date
DAY = D(2026, 3, 2)


def line(price, currency="EUR", origin="CN", quantity=1):
    return Line(
        description="T-shirt",
        hs_code="6109100010",
        quantity=quantity,
        unit_price=Money.of(price, currency),
        origin=origin,
    )


def order(lines, to, ship_from, seller, shipping=None, **extra):
    currency = lines[0].unit_price.currency
    return Shipment(
        lines=lines,
        destination=to,
        ship_from=ship_from,
        seller=seller,
        shipping=Money.of(shipping, currency) if shipping else None,
        **extra,
    )


def who(q):
    return [(c.name, c.amount, c.collector, c.due) for c in q.charges]


def test_eu_threshold_needs_dispatch_from_the_member_state_of_establishment():
    """Art. 59c(1)(a)-(b) of Directive 2006/112/EC: the EUR 10,000 rule is for a supplier
    established in one member state whose goods are dispatched from that state."""
    seller = Seller(established_in="FR", eu_cross_border_sales=Money.of("5000.00", "EUR"))
    q = landed_cost(order([line("100.00", origin="FR")], "DE", "PL", seller), as_of=DAY)
    assert q.regime == "eu.distance_sale.oss"
    assert who(q) == [("VAT/GST", Money.of("19.00", "EUR"), "seller", "checkout")]


@pytest.mark.parametrize(
    ("to", "ship_from", "established", "currency", "regime"),
    [
        ("FR", "FR", "FR", "EUR", "eu.domestic"),
        ("DE", "FR", "FR", "EUR", "eu.distance_sale.oss"),
        ("GB", "GB", "GB", "GBP", "gb.domestic"),
    ],
)
def test_a_marketplace_is_not_the_supplier_of_a_locally_established_seller(
    to, ship_from, established, currency, regime
):
    """Art. 14a(2): deemed supplier only for a taxable person not established in the EU;
    HMRC: online marketplaces are liable for UK goods sold by overseas businesses."""
    seller = Seller(kind="marketplace", established_in=established)
    q = landed_cost(
        order([line("100.00", currency, origin=ship_from)], to, ship_from, seller), as_of=DAY
    )
    assert q.regime == regime
    assert {c.collector for c in q.charges} == {"seller"}


def test_a_marketplace_is_the_supplier_of_a_non_eu_sellers_eu_stock():
    seller = Seller(kind="marketplace", established_in="CN")
    q = landed_cost(order([line("100.00")], "FR", "DE", seller), as_of=DAY)
    assert q.regime == "eu.deemed_supplier"
    assert "eu.deemed_supplier" in {r.rule_id for r in q.explanation.rules_used}


def test_distance_sales_before_july_2021_are_refused_not_guessed():
    seller = Seller(kind="marketplace", established_in="CN")
    with pytest.raises(NotFoundError, match="2021-07-01"):
        landed_cost(order([line("100.00")], "FR", "DE", seller), as_of=D(2021, 3, 2))


def test_singapore_registered_vendor_charges_every_low_value_item():
    """Singapore Customs, GST on low-value goods: each item of S$400 or less from a
    GST-registered vendor bears GST at sale, even when the parcel totals more."""
    seller = Seller(established_in="CN", registered=True)
    q = landed_cost(order([line("300.00", "SGD", quantity=2)], "SG", "CN", seller), as_of=DAY)
    assert q.regime == "sg.low_value"
    assert who(q) == [("VAT/GST", Money.of("54.00", "SGD"), "seller", "checkout")]


def test_singapore_border_relief_is_tested_on_the_cif_value():
    """IRAS: import GST applies when the CIF value exceeds S$400: 390 + 20 freight = 410."""
    seller = Seller(established_in="CN")
    q = landed_cost(order([line("390.00", "SGD")], "SG", "CN", seller, shipping="20.00"), as_of=DAY)
    assert q.regime == "sg.import.standard"
    assert q.tax_total == Money.of("36.90", "SGD")
    small = landed_cost(order([line("100.00", "SGD")], "SG", "CN", seller), as_of=DAY)
    assert small.regime == "sg.import.low_value"
    assert small.charges == ()


def test_us_marketplace_collects_only_where_the_facilitator_law_is_in_force():
    """Missouri's marketplace facilitator duty starts 2023-01-01 (us-mo rule)."""
    seller = Seller(kind="marketplace", established_in="US")
    before = landed_cost(
        order([line("100.00", "USD", origin="US")], "US-MO", "US-CA", seller), as_of=D(2022, 6, 1)
    )
    assert before.charges == ()
    assert any("use tax" in w for w in before.warnings)
    after = landed_cost(
        order([line("100.00", "USD", origin="US")], "US-MO", "US-CA", seller), as_of=D(2023, 6, 1)
    )
    assert {c.collector for c in after.charges} == {"marketplace"}


def test_delivery_on_a_free_item_is_still_taxed():
    seller = Seller(established_in="CN", registered=True)
    q = landed_cost(order([line("0.00")], "DE", "CN", seller, shipping="10.00"), as_of=DAY)
    assert q.tax_total == Money.of("1.90", "EUR")


def test_ddp_border_charges_are_paid_by_the_seller_at_checkout():
    seller = Seller(established_in="CN")
    q = landed_cost(order([line("200.00")], "DE", "CN", seller, incoterm="DDP"), as_of=DAY)
    assert {(c.collector, c.due) for c in q.charges} == {("seller", "checkout")}


def test_distance_sales_figure_must_be_in_euro():
    """No koruna figure is packaged (the Czech VAT Act states EUR 10,000), so CZK is refused."""
    seller = Seller(established_in="CZ", eu_cross_border_sales=Money.of("256530.00", "CZK"))
    with pytest.raises(InputError, match="EUR"):
        landed_cost(order([line("100.00", origin="CZ")], "DE", "CZ", seller), as_of=DAY)


class Broken:
    name = "broken"

    def __init__(self, value):
        self.value = value

    def fixing(self, base, quote, day):
        if isinstance(self.value, Exception):
            raise self.value
        return self.value


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (1.085, InvalidAmountError),
        (Decimal(0), InvalidAmountError),
        (Decimal("NaN"), InvalidAmountError),
        (ConnectionError("offline"), RateUnavailableError),
    ],
)
def test_rate_providers_are_checked(value, error):
    with pytest.raises(error):
        get_rate("EUR", "USD", as_of=DAY, provider=Broken(value))


def test_business_buyer_under_eur_150_keeps_the_duty_relief():
    seller = Seller(established_in="CN")
    q = landed_cost(
        order(
            [line("100.00")], "DE", "CN", seller, buyer=Buyer(kind="business", vat_id="DE136695976")
        ),
        as_of=DAY,
    )
    assert q.lines[0].duty_reason == "relief_low_value"


def test_national_currency_threshold_comes_from_an_overlay(tmp_path):
    """Art. 59c(5): a member state without the euro states the threshold in its currency.
    The packaged rule carries PL, SE and RO (HR until 2022, all provisional); a user overlay
    replaces the whole packaged rule, here with an enacted version holding the Polish figure."""
    from crossborder.fx import FixedRates
    from crossborder.rules import RuleBook

    (tmp_path / "pl.toml").write_text(
        """
kind = "rules"
schema = 1
title = "Polish equivalent of the EUR 10,000 threshold"
jurisdiction = "PL"
review_by = 2027-06-30
[[rules]]
id = "eu.oss.distance_sales_threshold_national"
title = "EUR 10,000 in national currencies"
[[rules.versions]]
valid_from = 2021-07-01
value = { PL = { amount = 42000, currency = "PLN" } }
[[rules.versions.citations]]
title = "Ustawa o podatku od towarow i uslug"
url = "https://isap.sejm.gov.pl/isap.nsf/DocDetails.xsp?id=WDU20040540535"
pinpoint = "art. 22a"
retrieved = 2026-11-25
"""
    )
    book = RuleBook.packaged().with_overlay(tmp_path)
    rates = FixedRates.from_mapping({"EUR/PLN": "4.2500"})

    def regime(sales):
        seller = Seller(established_in="PL", eu_cross_border_sales=Money.of(sales, "PLN"))
        item = Line(
            description="x",
            hs_code="61091000",
            quantity=1,
            unit_price=Money.of("500.00", "PLN"),
            origin="PL",
        )
        q = landed_cost(order([item], "DE", "PL", seller), as_of=DAY, rates=rates, rules=book)
        return q.regime, q.currency

    assert regime("41500.00") == ("eu.distance_sale.origin", "PLN")  # 42,000.00: at the limit
    assert regime("41500.01")[0] == "eu.distance_sale.oss"


@pytest.mark.parametrize(
    ("country", "currency", "sales", "day", "rate"),
    [
        # 99,180.00 + 500.00 = SEK 99,680.00 (Skatteverket), then one ore over
        ("SE", "SEK", "99180.00", DAY, "11.0000"),
        # 41,500.00 + 500.00 = PLN 42,000.00 (art. 22a ust. 1 pkt 3 of the VAT Act)
        ("PL", "PLN", "41500.00", DAY, "4.2500"),
        # HRK 77,000.00 (adviser's note, provisional), only before Croatia adopted the euro
        ("HR", "HRK", "76500.00", D(2022, 6, 1), "7.5000"),
    ],
)
def test_packaged_national_currency_threshold(country, currency, sales, day, rate):
    """Art. 59c(5): the packaged national figures, at the limit and one minor unit over.
    landed_cost reads the rule with provisional versions allowed and says so in the
    explanation and a warning; the strict rule look-up refuses the provisional version."""
    from crossborder.errors import ProvisionalRuleError
    from crossborder.fx import FixedRates
    from crossborder.rules import get_rule

    rates = FixedRates.from_mapping({f"EUR/{currency}": rate})

    def quote(amount):
        seller = Seller(established_in=country, eu_cross_border_sales=Money.of(amount, currency))
        item = Line(
            description="x",
            hs_code="61091000",
            quantity=1,
            unit_price=Money.of("500.00", currency),
            origin=country,
        )
        return landed_cost(order([item], "DE", country, seller), as_of=day, rates=rates)

    at_limit = quote(sales)
    assert (at_limit.regime, at_limit.currency) == ("eu.distance_sale.origin", currency)
    used = {r.rule_id: r for r in at_limit.explanation.rules_used}
    national = used["eu.oss.distance_sales_threshold_national"]
    assert (national.status, national.source) == ("provisional", "packaged")
    assert any(f"{currency} figure" in w and "provisional" in w for w in at_limit.warnings)
    over = Money.of(sales, currency) + Money.from_minor(1, currency)
    assert quote(str(over.amount)).regime == "eu.distance_sale.oss"
    rule_id = "eu.oss.distance_sales_threshold_national"
    with pytest.raises(ProvisionalRuleError):
        get_rule(rule_id, as_of=day)
    allowed = get_rule(rule_id, as_of=day, allow_provisional=True)
    assert allowed.value[country]["currency"] == currency


def test_croatian_kuna_figure_ends_with_the_euro():
    """Croatia adopted the euro on 2023-01-01: from then its sellers count EUR 10,000."""
    seller = Seller(established_in="HR", eu_cross_border_sales=Money.of("76500.00", "HRK"))
    item = line("500.00", origin="HR")
    with pytest.raises(InputError, match="HRK"):
        landed_cost(order([item], "DE", "HR", seller), as_of=D(2023, 6, 1))
