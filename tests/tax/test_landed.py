"""Landed cost: worked examples from the official guidance, thresholds and dates on both sides.

Every example fixes its exchange rates with ``FixedRates`` so that a threshold
is hit exactly, and works the duty and tax out by hand from the rates in the
data (the arithmetic is in the comments). Every result is also checked for
the invariants that hold for any quote: see ``consistent``.
"""

import datetime as dt
from decimal import Decimal

import pytest

from crossborder.errors import InvalidCodeError, NotFoundError, RateUnavailableError
from crossborder.fx import FixedRates
from crossborder.money import Money
from crossborder.tax import Buyer, LandedCost, Line, Seller, Shipment, landed_cost
from crossborder.testing.invariants import assert_explained, assert_sums_to

D = dt.date
# Rates chosen so that the thresholds fall on whole minor units:
#   USD 300.00 = EUR 150.00, USD 270.00 = GBP 135.00, USD 500.00 = AUD/NZD 1,000.00,
#   USD 300.00 = NOK 3,000.00, USD 32.00 = CAD 40.00, USD 120.00 = CAD 150.00.
RATES = FixedRates.from_mapping(
    {
        "EUR/USD": "2",
        "GBP/USD": "2",
        "USD/AUD": "2",
        "USD/NZD": "2",
        "USD/NOK": "10",
        "USD/CAD": "1.25",
        "USD/JPY": "100",
        "USD/CHF": "0.8",
    },
    name="test rates",
)
CN_SHOP = Seller(established_in="CN")
CN_IOSS = Seller(established_in="CN", registered=True)
MARKETPLACE = Seller(kind="marketplace", established_in="CN")
BUSINESS = Buyer(kind="business", vat_id="DE136695976")
CURRENCY = {
    "DE": "EUR",
    "FR": "EUR",
    "GB": "GBP",
    "AU": "AUD",
    "NZ": "NZD",
    "NO": "NOK",
    "CA-ON": "CAD",
    "CA-QC": "CAD",
    "JP": "JPY",
    "US-CA": "USD",
    "CH": "CHF",
}


def item(price, currency="EUR", *, hs="61091000", qty=1, origin="CN", **extra):
    """A line: by default one cotton T-shirt (EU/GB 12 %, US 16.5 %) made in China."""
    extra.setdefault("description", "cotton T-shirt")
    return Line(
        hs_code=hs, quantity=qty, unit_price=Money.of(price, currency), origin=origin, **extra
    )


def order(*lines, to, seller=CN_SHOP, ship_from="CN", shipping=None, **extra):
    cur = lines[0].unit_price.currency
    return Shipment(
        lines=lines,
        destination=to,
        ship_from=ship_from,
        seller=seller,
        shipping=Money.of(shipping, cur) if shipping is not None else None,
        **extra,
    )


def m(amount, currency):
    return Money.of(amount, currency)


def consistent(q: LandedCost, shipment: Shipment) -> LandedCost:
    """What holds for every quote: totals add up, zeros have reasons, it is explained."""
    zero = Money.zero(q.currency)
    assert_sums_to([line.duty or zero for line in q.lines], q.duty_total)
    assert_sums_to([line.tax or zero for line in q.lines], q.tax_total)
    assert_sums_to([c.amount for c in q.charges], q.duty_total + q.tax_total)
    assert_sums_to([c.amount for c in q.charges if c.due == "checkout"], q.due_at_checkout)
    assert_sums_to([c.amount for c in q.charges if c.due == "delivery"], q.due_at_delivery)
    assert q.due_at_checkout + q.due_at_delivery == sum(
        (c.amount for c in q.charges if c.due != "self_assessed"), zero
    )
    goods = sum((line.value for line in q.lines), zero)
    if shipment.shipping or shipment.insurance:
        assert q.landed_total > goods + q.duty_total + q.tax_total
    else:
        assert q.landed_total == goods + q.duty_total + q.tax_total
    if q.currency == q.order_currency:
        assert q.due_at_checkout_order_currency == q.due_at_checkout
        assert q.goods_value == goods
    assert q.complete == all(line.status == "quoted" for line in q.lines)
    for line in q.lines:
        if line.duty is not None and not line.duty:
            assert line.duty_reason != "charged", f"line {line.index}: zero duty needs a reason"
        if line.tax is not None and not line.tax:
            assert line.tax_reason not in (
                "charged",
                "charged_at_checkout",
                "collected_by_marketplace",
            )
        if line.status == "unquotable":
            assert line.problem
            assert (line.duty, line.duty_reason) == (None, "unquotable")
        if line.status == "estimate":
            assert line.duty_min < line.duty_max == line.duty
    for charge in q.charges:
        assert charge.amount.currency == q.currency
        assert charge.amount.minor > 0
    assert_explained(q)
    return q


def quote(shipment, day):
    return consistent(landed_cost(shipment, as_of=day, rates=RATES), shipment)


def charges(q):
    return [(c.name, c.amount, c.collector, c.due) for c in q.charges]


# --- European Union ----------------------------------------------------------------------------
BEFORE_FLAT = D(2026, 6, 30)
FLAT_DAY = D(2026, 7, 1)


@pytest.mark.parametrize(
    ("price", "currency"), [("150.00", "EUR"), ("300.00", "USD")], ids=["EUR", "USD"]
)
def test_eu_ioss_at_exactly_eur_150(price, currency):
    """IOSS covers consignments of an intrinsic value not exceeding EUR 150.

    European Commission, Explanatory Notes on VAT e-commerce rules (September 2020),
    chapter on the IOSS (Art. 369l of Directive 2006/112/EC); the EUR 150 customs duty
    relief of Art. 23 of Regulation (EC) No 1186/2009 still applies before 2026-07-01.
    """
    q = quote(order(item(price, currency), to="DE", seller=CN_IOSS), BEFORE_FLAT)
    assert q.regime == "eu.import.ioss"
    (line,) = q.lines
    assert line.value == m("150.00", "EUR")  # USD 300.00 / 2
    assert (line.duty, line.duty_reason) == (m("0.00", "EUR"), "relief_low_value")
    # 150.00 * 19 % = 28.50, charged at checkout by the seller, nothing at the border
    assert (line.tax, line.tax_rate, line.tax_reason) == (
        m("28.50", "EUR"),
        Decimal("0.19"),
        "charged_at_checkout",
    )
    assert charges(q) == [("VAT/GST", m("28.50", "EUR"), "seller", "checkout")]
    assert q.due_at_delivery == m("0.00", "EUR")
    # back in the order currency: EUR 28.50 * 2 = USD 57.00
    assert q.due_at_checkout_order_currency == m(
        "57.00" if currency == "USD" else "28.50", currency
    )
    assert_explained(q, rule_ids=["eu.import.ioss_threshold", "eu.customs.negligible_value_relief"])


@pytest.mark.parametrize(
    ("price", "currency"), [("150.01", "EUR"), ("300.02", "USD")], ids=["EUR", "USD"]
)
def test_eu_one_cent_over_eur_150_is_a_standard_import(price, currency):
    """Above EUR 150 the IOSS cannot be used: duty and import VAT at the border.

    Explanatory Notes on VAT e-commerce rules (2020), IOSS chapter; import VAT base per
    Art. 85-86 of Directive 2006/112/EC (customs value plus duty); CN 6109 10 00: 12 %.
    """
    q = quote(order(item(price, currency), to="DE", seller=CN_IOSS), BEFORE_FLAT)
    assert q.regime == "eu.import.standard"
    (line,) = q.lines
    assert line.customs_value == m("150.01", "EUR")  # USD 300.02 / 2 = 150.01
    # duty: 150.01 * 12 % = 18.0012 -> 18.00; VAT: (150.01 + 18.00) * 19 % = 31.9219 -> 31.92
    assert (line.duty, line.duty_reason, line.status) == (m("18.00", "EUR"), "charged", "quoted")
    assert [r.line for r in line.duty_rates] == ["61091000"]
    assert (line.tax, line.tax_reason) == (m("31.92", "EUR"), "charged")
    assert charges(q) == [
        ("customs duty", m("18.00", "EUR"), "carrier", "delivery"),
        ("import tax", m("31.92", "EUR"), "carrier", "delivery"),
    ]
    assert q.due_at_checkout == m("0.00", "EUR")
    assert q.complete


def test_eu_ddp_moves_the_border_charges_to_checkout():
    """DDP: the seller pays the border charges, so the buyer pays them at checkout."""
    q = quote(order(item("150.01"), to="DE", incoterm="DDP"), BEFORE_FLAT)
    # under DDP the seller pays the border charges and recovers them at checkout
    assert [(c.collector, c.due) for c in q.charges] == [("seller", "checkout")] * 2
    assert q.due_at_checkout == m("49.92", "EUR")  # 18.00 + 31.92


def test_eu_marketplace_is_the_deemed_supplier():
    """Art. 14a(1) of Directive 2006/112/EC: a marketplace facilitating the distance sale of
    imported goods up to EUR 150 is deemed to have supplied them and charges the VAT.

    Explanatory Notes on VAT e-commerce rules (2020), chapter on the deemed supplier.
    """
    q = quote(
        order(item("40.00", qty=2), to="DE", seller=MARKETPLACE, shipping="5.00"), BEFORE_FLAT
    )
    assert q.regime == "eu.import.ioss"
    assert "deemed supplier" in q.regime_title
    (line,) = q.lines
    # VAT on the sale price including delivery: (2 * 40.00 + 5.00) * 19 % = 16.15
    assert (line.tax, line.tax_reason) == (m("16.15", "EUR"), "collected_by_marketplace")
    assert charges(q) == [("VAT/GST", m("16.15", "EUR"), "marketplace", "checkout")]


def test_eu_marketplace_for_a_non_eu_seller_with_stock_in_the_eu():
    """Art. 14a(2): a marketplace is the deemed supplier of goods already in the EU sold by a
    seller not established in the EU, whatever the value; destination VAT via the OSS."""
    q = quote(order(item("400.00"), to="DE", ship_from="FR", seller=MARKETPLACE), BEFORE_FLAT)
    assert q.regime == "eu.deemed_supplier"
    (line,) = q.lines
    assert (line.duty, line.duty_reason) == (m("0.00", "EUR"), "not_applicable")
    assert (line.tax, line.tax_reason) == (m("76.00", "EUR"), "collected_by_marketplace")


def test_eu_import_vat_without_ioss_is_collected_by_the_carrier():
    """Without the IOSS the import VAT is due at the border (Explanatory Notes, special
    arrangements chapter): 20.00 * 19 % = 3.80 collected by the carrier."""
    q = quote(order(item("20.00"), to="DE"), BEFORE_FLAT)
    assert q.regime == "eu.import.low_value_no_ioss"
    assert charges(q) == [("import tax", m("3.80", "EUR"), "carrier", "delivery")]


@pytest.mark.parametrize(
    ("day", "seller", "regime", "tax", "collector"),
    [
        # up to 2021-06-30: no import VAT on consignments up to EUR 22 (Directive 2009/132/EC)
        (D(2021, 6, 30), CN_IOSS, "eu.import.small_consignment", "0.00", None),
        (D(2021, 6, 30), CN_SHOP, "eu.import.small_consignment", "0.00", None),
        # from 2021-07-01 VAT from the first euro: 20.00 * 19 % = 3.80
        (D(2021, 7, 1), CN_IOSS, "eu.import.ioss", "3.80", ("seller", "checkout")),
        (D(2021, 7, 1), CN_SHOP, "eu.import.low_value_no_ioss", "3.80", ("carrier", "delivery")),
    ],
)
def test_eu_22_euro_exemption_ends_on_2021_07_01(day, seller, regime, tax, collector):
    """Council Directive (EU) 2017/2455 and Council Decision (EU) 2020/1109: the EUR 22
    exemption is abolished and the IOSS starts on 1 July 2021."""
    q = quote(order(item("20.00"), to="DE", seller=seller), day)
    assert q.regime == regime
    (line,) = q.lines
    assert (line.duty, line.duty_reason) == (m("0.00", "EUR"), "relief_low_value")
    assert line.tax == m(tax, "EUR")
    if collector is None:
        assert line.tax_reason == "below_threshold"
        assert q.charges == ()
    else:
        assert [(c.collector, c.due) for c in q.charges] == [collector]


def test_eu_above_22_euro_before_july_2021_pays_import_vat_but_no_duty():
    q = quote(order(item("100.00"), to="DE"), D(2021, 6, 30))
    assert q.regime == "eu.import.standard"
    (line,) = q.lines
    assert (line.duty, line.duty_reason) == (m("0.00", "EUR"), "relief_low_value")
    assert charges(q) == [("import tax", m("19.00", "EUR"), "carrier", "delivery")]


def test_eu_flat_duty_starts_on_2026_07_01():
    """Council Regulation (EU) 2026/382, Art. 2: EUR 3 per item (per tariff subheading) on
    consignments up to EUR 150 imported under the IOSS, from 1 July 2026; before, the
    EUR 150 relief of Art. 23 of Regulation (EC) No 1186/2009."""
    shipment = order(
        item("30.00", qty=2),
        item("40.00", hs="91021100", description="wrist watch"),
        to="DE",
        seller=CN_IOSS,
    )
    before = quote(shipment, BEFORE_FLAT)
    assert before.regime == "eu.import.ioss"
    assert before.duty_total == m("0.00", "EUR")
    assert {line.duty_reason for line in before.lines} == {"relief_low_value"}

    after = quote(shipment, FLAT_DAY)
    assert after.regime == "eu.import.ioss"
    assert {line.duty_reason for line in after.lines} == {"flat_duty"}
    # two subheadings (6109 10, 9102 11): 2 * EUR 3 = 6.00; VAT on the sale: 100.00 * 19 % = 19.00
    assert charges(after) == [
        ("flat customs duty", m("6.00", "EUR"), "seller", "checkout"),
        ("VAT/GST", m("19.00", "EUR"), "seller", "checkout"),
    ]
    assert after.duty_total == m("6.00", "EUR")
    assert after.due_at_checkout == m("25.00", "EUR")
    assert any("provisional" in w for w in after.warnings)
    assert_explained(after, rule_ids=["eu.customs.low_value_flat_duty"])


@pytest.mark.parametrize(
    "lines",
    [
        (item("10.00", qty=5),),
        (item("10.00", hs="6109100010"), item("10.00", hs="6109.10.00")),
    ],
    ids=["five identical T-shirts", "one subheading on two lines"],
)
def test_eu_flat_duty_counts_tariff_subheadings_not_pieces(lines):
    """Reg. (EU) 2026/382: five identical T-shirts are one item, EUR 3."""
    q = quote(order(*lines, to="DE", seller=CN_IOSS), FLAT_DAY)
    assert [c.amount for c in q.charges if c.name == "flat customs duty"] == [m("3.00", "EUR")]


def test_eu_flat_duty_for_a_marketplace_is_collected_by_the_marketplace():
    q = quote(order(item("20.00"), to="DE", seller=MARKETPLACE), FLAT_DAY)
    assert charges(q) == [
        ("flat customs duty", m("3.00", "EUR"), "marketplace", "checkout"),
        ("VAT/GST", m("3.80", "EUR"), "marketplace", "checkout"),
    ]


def test_eu_flat_duty_on_postal_consignments_without_ioss():
    """Reg. (EU) 2026/382 Art. 2 (as read by the data, applies_to = ioss and postal): a postal
    consignment up to EUR 150 without IOSS pays EUR 3 at the border."""
    q = quote(order(item("100.00"), to="DE", mode="post"), FLAT_DAY)
    assert q.regime == "eu.import.low_value_no_ioss"
    assert ("flat customs duty", m("3.00", "EUR"), "carrier", "delivery") in charges(q)


def test_eu_courier_without_ioss_after_2026_07_01_pays_the_tariff():
    """Recital 6 of Reg. (EU) 2026/382: other low-value consignments pay the Common Customs
    Tariff. Duty 100.00 * 12 % = 12.00; VAT (100.00 + 12.00) * 19 % = 21.28."""
    q = quote(order(item("100.00"), to="DE", mode="courier"), FLAT_DAY)
    assert q.regime == "eu.import.low_value_no_ioss"
    assert charges(q) == [
        ("customs duty", m("12.00", "EUR"), "carrier", "delivery"),
        ("import tax", m("21.28", "EUR"), "carrier", "delivery"),
    ]


def test_eu_flat_duty_is_in_the_import_vat_base():
    q = landed_cost(order(item("100.00"), to="DE", mode="post"), as_of=FLAT_DAY, rates=RATES)
    assert q.tax_total == m("19.57", "EUR")


def test_eu_business_buyer_imports_and_pays_the_border_charges():
    """B2B imports stay outside the IOSS: duty and import VAT are the importer's (deductible).
    Up to EUR 150 the negligible-value duty relief (Art. 23 of Regulation 1186/2009) has no
    consumer condition, so EUR 100.00 pays no duty and VAT 100.00 * 19 % = 19.00; above it,
    EUR 200.00 pays duty 200.00 * 12 % = 24.00 and VAT (200.00 + 24.00) * 19 % = 42.56."""
    q = quote(order(item("100.00"), to="DE", buyer=BUSINESS), BEFORE_FLAT)
    assert q.regime == "eu.import.b2b"
    assert charges(q) == [("import tax", m("19.00", "EUR"), "buyer", "delivery")]
    assert q.lines[0].duty_reason == "relief_low_value"
    q = quote(order(item("200.00"), to="DE", buyer=BUSINESS), BEFORE_FLAT)
    assert charges(q) == [
        ("customs duty", m("24.00", "EUR"), "buyer", "delivery"),
        ("import tax", m("42.56", "EUR"), "buyer", "delivery"),
    ]


@pytest.mark.parametrize(
    ("price", "regime", "rate", "tax"),
    [
        # 9,900 + 100.00 = 10,000.00: within; French VAT 100.00 * 20 % = 20.00
        ("100.00", "eu.distance_sale.origin", "0.20", "20.00"),
        # 9,900 + 100.01 = 10,000.01: above; German VAT 100.01 * 19 % = 19.0019 -> 19.00
        ("100.01", "eu.distance_sale.oss", "0.19", "19.00"),
    ],
)
def test_eu_distance_sale_threshold_of_eur_10000(price, regime, rate, tax):
    """Art. 59c of Directive 2006/112/EC (Explanatory Notes, chapter on intra-EU distance
    sales): EUR 10,000 of EU-wide cross-border B2C sales, this and last year."""
    seller = Seller(established_in="FR", eu_cross_border_sales=m("9900.00", "EUR"))
    q = quote(
        order(item(price, origin="FR"), to="DE", ship_from="FR", seller=seller), D(2026, 1, 1)
    )
    assert q.regime == regime
    (line,) = q.lines
    assert (line.tax_rate, line.tax) == (Decimal(rate), m(tax, "EUR"))
    assert line.duty_reason == "not_applicable"


def test_eu_domestic_sale_from_stock_in_the_destination():
    q = quote(order(item("100.00"), to="DE", ship_from="DE", seller=MARKETPLACE), D(2026, 1, 1))
    assert q.regime == "eu.domestic"
    assert charges(q) == [("VAT/GST", m("19.00", "EUR"), "marketplace", "checkout")]


def test_eu_incomplete_hs_code_gives_a_duty_range():
    """CN 6110: 10.5 % (6110 11 10) to 12 % (the other lines): an estimate, not a quote.

    Line 1: 200.00 * 10.5 % = 21.00 .. 200.00 * 12 % = 24.00 (24.00 used in totals);
    VAT (200.00 + 24.00) * 19 % = 42.56. Line 2 (full code): duty 12.00, VAT 21.28.
    """
    q = quote(
        order(item("200.00", hs="6110", description="jumper"), item("100.00"), to="DE"),
        D(2026, 1, 1),
    )
    assert q.regime == "eu.import.standard"
    jumper, shirt = q.lines
    assert (jumper.status, jumper.duty_reason) == ("estimate", "estimate")
    assert (jumper.duty_min, jumper.duty_max, jumper.duty) == (
        m("21.00", "EUR"),
        m("24.00", "EUR"),
        m("24.00", "EUR"),
    )
    assert len(jumper.duty_rates) > 1
    assert "incomplete" in jumper.problem
    assert jumper.tax == m("42.56", "EUR")
    assert (shirt.status, shirt.duty, shirt.tax) == ("quoted", m("12.00", "EUR"), m("21.28", "EUR"))
    assert (shirt.duty_min, shirt.duty_max) == (None, None)
    assert q.duty_total == m("36.00", "EUR")
    assert not q.complete
    assert any("incomplete" in w for w in q.warnings)


def test_eu_six_digit_code_with_several_lines_beneath_is_an_estimate():
    """CN 6403 59: 8 % except 6403 59 11 (5 %): 200.00 -> 10.00 .. 16.00."""
    q = quote(order(item("200.00", hs="640359", description="shoes"), to="DE"), D(2026, 1, 1))
    (line,) = q.lines
    assert line.status == "estimate"
    assert (line.duty_min, line.duty_max) == (m("10.00", "EUR"), m("16.00", "EUR"))


def test_eu_incomplete_code_whose_lines_agree_is_a_quote():
    """Every CN line under 6109 is 12 %: the 4-digit code is enough."""
    q = quote(order(item("200.00", hs="6109"), to="DE"), D(2026, 1, 1))
    (line,) = q.lines
    assert (line.status, line.duty) == ("quoted", m("24.00", "EUR"))
    assert q.complete


@pytest.mark.parametrize(
    ("hs", "problem"),
    [(None, "no HS code"), ("", "no HS code"), ("61A9", "'61A9'"), ("123", "'123'")],
)
def test_eu_missing_or_malformed_hs_code_makes_one_line_unquotable(hs, problem):
    q = quote(
        order(item("100.00", hs=hs, description="mystery"), item("100.00"), to="DE"),
        D(2026, 1, 1),
    )
    bad, good = q.lines
    assert (bad.status, bad.duty, bad.duty_reason) == ("unquotable", None, "unquotable")
    assert problem in bad.problem
    assert (good.status, good.duty, good.tax) == ("quoted", m("12.00", "EUR"), m("21.28", "EUR"))
    assert not q.complete
    assert any(w.startswith("line 1:") for w in q.warnings)


def test_eu_code_not_in_the_tariff_data_is_unquotable():
    q = quote(order(item("300.00", hs="01012100", description="horse"), to="DE"), D(2026, 1, 1))
    (line,) = q.lines
    assert line.status == "unquotable"
    assert "no tariff line" in line.problem


def test_eu_zero_rate_tariff_line_gives_a_reason():
    q = landed_cost(
        order(item("500.00", hs="85171300", description="phone"), to="DE"),
        as_of=D(2026, 1, 1),
        rates=RATES,
    )
    (line,) = q.lines
    assert line.duty == m("0.00", "EUR")
    assert line.duty_reason != "charged"


def test_eu_same_input_same_bytes():
    def make():
        return order(
            item("200.00", hs="6110"),
            item("30.00", "EUR", hs=None),
            item("10.00", qty=3),
            to="DE",
            shipping="12.34",
        )

    first = landed_cost(make(), as_of=D(2026, 1, 1), rates=RATES).model_dump_json()
    second = landed_cost(make(), as_of=D(2026, 1, 1), rates=RATES).model_dump_json()
    assert first == second
    assert LandedCost.model_validate_json(first).model_dump_json() == first


# --- United Kingdom ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("price", "currency", "shipping"),
    [("135.00", "GBP", "10.00"), ("270.00", "USD", "20.00")],
    ids=["GBP", "USD"],
)
def test_gb_at_exactly_gbp_135_vat_is_charged_at_the_point_of_sale(price, currency, shipping):
    """HMRC, VAT and overseas goods sold directly to customers in the UK (and VATA 1994
    s 7(5B)): consignments of GBP 135 or less, VAT at the point of sale, no import VAT;
    customs duty relieved up to GBP 135. The threshold is the intrinsic value (no delivery).

    VAT on the sale including delivery: (135.00 + 10.00) * 20 % = 29.00."""
    q = quote(order(item(price, currency), to="GB", shipping=shipping), D(2026, 1, 1))
    assert q.regime == "gb.low_value"
    (line,) = q.lines
    assert (line.duty, line.duty_reason) == (m("0.00", "GBP"), "relief_low_value")
    assert (line.tax, line.tax_reason) == (m("29.00", "GBP"), "charged_at_checkout")
    assert charges(q) == [("VAT/GST", m("29.00", "GBP"), "seller", "checkout")]
    assert_explained(q, rule_ids=["gb.import.low_value_threshold"])


@pytest.mark.parametrize(
    ("price", "currency", "shipping"),
    [("135.01", "GBP", "10.00"), ("270.02", "USD", "20.00")],
    ids=["GBP", "USD"],
)
def test_gb_one_penny_over_gbp_135_is_an_import(price, currency, shipping):
    """HMRC (same guidance): above GBP 135 import VAT and duty are paid at the border.

    Customs value (CIF) 135.01 + 10.00 = 145.01; duty 12 % = 17.4012 -> 17.40;
    import VAT (145.01 + 17.40) * 20 % = 32.482 -> 32.48."""
    q = quote(order(item(price, currency), to="GB", shipping=shipping), D(2026, 1, 1))
    assert q.regime == "gb.import.standard"
    (line,) = q.lines
    assert line.customs_value == m("145.01", "GBP")
    assert (line.duty, line.tax) == (m("17.40", "GBP"), m("32.48", "GBP"))
    assert charges(q) == [
        ("customs duty", m("17.40", "GBP"), "carrier", "delivery"),
        ("import tax", m("32.48", "GBP"), "carrier", "delivery"),
    ]


def test_gb_marketplace_charges_the_vat():
    """VATA 1994 s 5A: the online marketplace is the deemed supplier up to GBP 135."""
    q = quote(order(item("50.00", "GBP"), to="GB", seller=MARKETPLACE), D(2026, 1, 1))
    assert q.regime == "gb.low_value"
    assert charges(q) == [("VAT/GST", m("10.00", "GBP"), "marketplace", "checkout")]
    assert q.lines[0].tax_reason == "collected_by_marketplace"


def test_gb_business_buyer_reverse_charges():
    """HMRC: a VAT-registered business customer accounts for the VAT (reverse charge)."""
    buyer = Buyer(kind="business", vat_id="GB980780684")
    q = quote(order(item("50.00", "GBP"), to="GB", buyer=buyer), D(2026, 1, 1))
    assert q.regime == "gb.low_value.b2b"
    (line,) = q.lines
    assert (line.tax, line.tax_reason) == (m("0.00", "GBP"), "reverse_charge")
    assert q.charges == ()


def test_gb_before_2021_is_not_covered():
    with pytest.raises(NotFoundError):
        landed_cost(order(item("50.00", "GBP"), to="GB"), as_of=D(2020, 12, 31), rates=RATES)


# --- Australia and New Zealand -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("price", "currency", "regime", "gst"),
    [
        # AUD 1,000.00 * 10 % = 100.00 at checkout
        ("1000.00", "AUD", "au.low_value", "100.00"),
        ("500.00", "USD", "au.low_value", "100.00"),
        # AUD 1,000.01 * 10 % = 100.001 -> 100.00 at the border
        ("1000.01", "AUD", "au.import.standard", "100.00"),
        ("500.01", "USD", "au.import.standard", "100.00"),  # = AUD 1,000.02
    ],
)
def test_au_low_value_goods_aud_1000(price, currency, regime, gst):
    """ATO, GST on low value imported goods; LCR 2018/1: goods with a customs value of
    AUD 1,000 or less, GST charged at the point of sale by a registered vendor."""
    q = quote(order(item(price, currency), to="AU", seller=CN_IOSS), D(2026, 1, 1))
    assert q.regime == regime
    (line,) = q.lines
    assert line.tax == m(gst, "AUD")
    if regime == "au.low_value":
        assert line.duty_reason == "below_threshold"
        assert charges(q) == [("VAT/GST", m(gst, "AUD"), "seller", "checkout")]
    else:
        assert line.status == "unquotable"  # no Australian tariff in the data
        assert charges(q) == [("import tax", m(gst, "AUD"), "carrier", "delivery")]


def test_au_items_under_the_threshold_in_a_consignment_over_it_are_taxed_at_the_border():
    """LCR 2018/1: goods in a consignment worth more than AUD 1,000 are taxed at the border."""
    q = quote(order(item("600.00", "AUD", qty=2), to="AU", seller=CN_IOSS), D(2026, 1, 1))
    assert q.regime == "au.import.standard"


def test_au_unregistered_vendor_collects_nothing_and_is_told():
    """An unregistered vendor has no right to charge GST, and the border collects none under
    AUD 1,000: nothing is added to the basket, and the result warns that the vendor may owe it."""
    q = quote(order(item("100.00", "AUD"), to="AU"), D(2026, 1, 1))
    assert q.regime == "au.import.low_value"
    assert charges(q) == []
    assert q.lines[0].tax_reason == "below_threshold"
    assert any("not registered" in w for w in q.warnings)


@pytest.mark.parametrize(
    ("price", "regime", "gst"),
    [
        ("1000.00", "nz.low_value", "150.00"),  # 1,000.00 * 15 %
        ("1000.01", "nz.import.standard", "150.00"),  # 150.0015 -> 150.00
        ("10.10", "nz.low_value", "1.51"),  # 1.515: half a cent is dropped (GST Act s 19O)
    ],
)
def test_nz_low_value_goods_nzd_1000(price, regime, gst):
    """Inland Revenue, GST on low-value imported goods: goods of NZD 1,000 or less per item,
    GST collected at the point of sale from 1 December 2019."""
    q = quote(order(item(price, "NZD"), to="NZ", seller=CN_IOSS), D(2026, 1, 1))
    assert q.regime == regime
    assert q.lines[0].tax == m(gst, "NZD")


def test_nz_scheme_starts_on_2019_12_01():
    shipment = order(item("100.00", "NZD"), to="NZ", seller=CN_IOSS)
    with pytest.raises(NotFoundError):
        landed_cost(shipment, as_of=D(2019, 11, 30), rates=RATES)
    assert quote(shipment, D(2019, 12, 1)).regime == "nz.low_value"


# --- Norway ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "regime"),
    [
        # below NOK 3,000 per item: 2,999.99 * 25 % = 749.9975 -> 750.00 at checkout
        ((item("2999.99", "NOK"),), "no.voec"),
        # the limit is per item: two items of 2,000 are both below
        ((item("2000.00", "NOK", qty=2),), "no.voec"),
        # exactly NOK 3,000 is not below: VAT at the border
        ((item("3000.00", "NOK"),), "no.import.standard"),
        ((item("300.00", "USD"),), "no.import.standard"),  # = NOK 3,000.00
        ((item("299.99", "USD"),), "no.voec"),  # = NOK 2,999.90
    ],
)
def test_no_voec_below_nok_3000_per_item(lines, regime):
    """Skatteetaten, VAT on low value imported goods (VOEC): items below NOK 3,000, VAT at
    the point of sale; shipping is not counted in the threshold test."""
    q = quote(order(*lines, to="NO", seller=CN_IOSS, shipping="0.00"), D(2026, 1, 1))
    assert q.regime == regime
    if regime == "no.voec":
        assert [c.collector for c in q.charges] == ["seller"]
        assert q.lines[0].duty_reason == "below_threshold"
    else:
        assert [c.due for c in q.charges] == ["delivery"]


def test_no_voec_value_worked_out():
    q = quote(order(item("2999.99", "NOK"), to="NO", seller=CN_IOSS), D(2026, 1, 1))
    assert charges(q) == [("VAT/GST", m("750.00", "NOK"), "seller", "checkout")]


def test_no_voec_starts_on_2020_04_01():
    shipment = order(item("500.00", "NOK"), to="NO", seller=CN_IOSS)
    assert quote(shipment, D(2020, 3, 31)).regime == "no.import.standard"
    assert quote(shipment, D(2020, 4, 1)).regime == "no.voec"


def test_no_small_shipments_below_nok_350_before_2024():
    q = landed_cost(order(item("200.00", "NOK"), to="NO"), as_of=D(2023, 6, 1), rates=RATES)
    assert q.tax_total == m("0.00", "NOK")


# --- Canada ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("price", "currency", "regime", "hst"),
    [
        ("40.00", "CAD", "ca.import.courier_low_value", "0.00"),
        ("32.00", "USD", "ca.import.courier_low_value", "0.00"),  # = CAD 40.00
        ("40.01", "CAD", "ca.import.courier_duty_free", "5.20"),  # 40.01 * 13 % = 5.2013
        ("32.01", "USD", "ca.import.courier_duty_free", "5.20"),  # = CAD 40.01
        ("150.00", "CAD", "ca.import.courier_duty_free", "19.50"),
        ("120.00", "USD", "ca.import.courier_duty_free", "19.50"),  # = CAD 150.00
        ("150.01", "CAD", "ca.import.standard", "19.50"),  # 19.5013
    ],
)
def test_ca_cusma_courier_thresholds(price, currency, regime, hst):
    """CBSA, CUSMA low-value shipment thresholds (SI/2020-34, Courier Imports Remission
    Order s 4.1): by courier from the US or Mexico, no duty or tax up to CAD 40, no duty up
    to CAD 150 (HST 13 % in Ontario at the border)."""
    q = quote(
        order(
            item(price, currency, origin="US"),
            to="CA-ON",
            ship_from="US",
            seller=Seller(established_in="US"),
        ),
        D(2026, 1, 1),
    )
    assert q.regime == regime
    (line,) = q.lines
    assert line.tax == m(hst, "CAD")
    if regime == "ca.import.courier_low_value":
        assert (line.duty_reason, line.tax_reason) == ("below_threshold", "below_threshold")
        assert q.charges == ()
    elif regime == "ca.import.courier_duty_free":
        assert line.duty_reason == "below_threshold"
        assert charges(q) == [("import tax", m(hst, "CAD"), "carrier", "delivery")]
    else:
        assert line.status == "unquotable"  # no Canadian tariff in the data


@pytest.mark.parametrize(
    ("ship_from", "mode", "price", "regime"),
    [
        ("US", "post", "20.00", "ca.import.low_value"),
        ("US", "post", "20.01", "ca.import.standard"),
        ("CN", "courier", "20.00", "ca.import.low_value"),
        ("CN", "courier", "20.01", "ca.import.standard"),
    ],
)
def test_ca_cad_20_by_post_or_from_elsewhere(ship_from, mode, price, regime):
    """CBSA Customs Notice 20-18 and D8-2-2: mail, and couriers from other countries, keep
    the CAD 20 threshold."""
    q = quote(
        order(item(price, "CAD", origin=ship_from), to="CA-ON", ship_from=ship_from, mode=mode),
        D(2026, 1, 1),
    )
    assert q.regime == regime


def test_ca_quebec_gst_and_qst_at_the_border():
    """100.00 * (5 % + 9.975 %) = 14.975 -> 14.98."""
    q = quote(order(item("100.00", "CAD", origin="US"), to="CA-QC", ship_from="US"), D(2026, 1, 1))
    assert q.lines[0].tax == m("14.98", "CAD")


def test_ca_needs_a_province():
    with pytest.raises(InvalidCodeError):
        landed_cost(order(item("100.00", "CAD"), to="CA"), as_of=D(2026, 1, 1), rates=RATES)


def test_ca_courier_from_the_us_before_cusma():
    shipment = order(item("30.00", "CAD", origin="US"), to="CA-ON", ship_from="US")
    q = landed_cost(shipment, as_of=D(2020, 6, 30), rates=RATES)
    assert q.regime == "ca.import.standard"


# --- Japan -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("price", "buyer", "regime"),
    [
        # personal use: 60 % of the retail price; 16,666 * 0.6 = 9,999.6 -> 9,999
        ("16666", Buyer(), "jp.import.low_value"),
        ("16670", Buyer(), "jp.import.standard"),  # 10,002
        # a business import is valued at the price itself
        ("10000", Buyer(kind="business", vat_id="5835678256246"), "jp.import.low_value"),
        ("10001", Buyer(kind="business", vat_id="5835678256246"), "jp.import.standard"),
    ],
)
def test_jp_jpy_10000_with_the_personal_use_valuation(price, buyer, regime):
    """Customs Tariff Act Art. 14 item 18 (JPY 10,000 or less: no duty, no import
    consumption tax) and the 60 % valuation of goods for personal use (Japan Customs)."""
    q = quote(order(item(price, "JPY"), to="JP", buyer=buyer), D(2026, 1, 1))
    assert q.regime == regime
    if regime == "jp.import.low_value":
        assert q.charges == ()
        assert q.lines[0].tax_reason == "below_threshold"


def test_jp_business_import_tax():
    """Customs Answer 1111: base 10,001 -> 10,000; national 10,000 * 7.8 % = 780 -> 700;
    local 700 * 22/78 = 197 -> 100: JPY 800 at the border (no Japanese tariff in the data)."""
    buyer = Buyer(kind="business", vat_id="5835678256246")
    q = quote(order(item("10001", "JPY"), to="JP", buyer=buyer), D(2026, 1, 1))
    assert charges(q) == [("import tax", m("800", "JPY"), "carrier", "delivery")]
    assert q.lines[0].status == "unquotable"


def test_jp_personal_use_value_is_the_tax_base():
    """60 % of JPY 20,000 = 12,000 is the base: national 12,000 * 7.8 % = 936 -> 900;
    local 900 * 22/78 = 253 -> 200 (Customs Answer 1111): JPY 1,100, not 2,000."""
    q = landed_cost(order(item("20000", "JPY"), to="JP"), as_of=D(2026, 1, 1), rates=RATES)
    assert q.tax_total == m("1100", "JPY")


# --- United States -----------------------------------------------------------------------------
US_SHOP = Seller(established_in="VN", registered=True)


@pytest.mark.parametrize(
    ("day", "price", "duty", "reason"),
    [
        ("2025-08-28", "800.00", "0.00", "below_threshold"),
        # 800.01 * 16.5 % = 132.00165 -> 132.00
        ("2025-08-28", "800.01", "132.00", "charged"),
        # suspended for all countries from 2025-08-29: 100.00 * 16.5 % = 16.50
        ("2025-08-29", "100.00", "16.50", "charged"),
        ("2026-11-25", "100.00", "16.50", "charged"),
    ],
)
def test_us_de_minimis_usd_800_and_its_suspension(day, price, duty, reason):
    """19 U.S.C. 1321(a)(2)(C): USD 800 per person per day; Executive Order 14324 (90 FR
    37775) suspended de minimis for all countries from 29 August 2025. State sales tax:
    California 7.25 % of the price, collected at checkout by a registered seller."""
    q = quote(
        order(item(price, "USD", origin="VN"), to="US-CA", ship_from="VN", seller=US_SHOP),
        D.fromisoformat(day),
    )
    assert q.regime == "us.import"
    (line,) = q.lines
    assert (line.duty, line.duty_reason) == (m(duty, "USD"), reason)
    # 800.00 * 7.25 % = 58.00; 800.01 * 7.25 % = 58.000725 -> 58.00; 100.00 -> 7.25
    assert line.tax == m("58.00" if price.startswith("800") else "7.25", "USD")
    assert ("sales tax", line.tax, "seller", "checkout") in charges(q)
    assert any("MFN rates only" in w for w in q.warnings)


def test_us_chinese_goods_lost_de_minimis_in_may_2025():
    """Executive Order 14256: no de minimis for products of China from 2 May 2025."""
    q = quote(order(item("100.00", "USD", origin="CN"), to="US-CA", seller=US_SHOP), D(2025, 6, 1))
    assert q.lines[0].duty == m("16.50", "USD")


def test_us_unregistered_seller_leaves_use_tax_to_the_buyer():
    q = quote(order(item("100.00", "USD", origin="VN"), to="US-CA", ship_from="VN"), D(2026, 1, 1))
    (line,) = q.lines
    assert (line.tax, line.tax_reason) == (m("0.00", "USD"), "not_applicable")
    assert any("use tax" in w for w in q.warnings)
    assert [c.name for c in q.charges] == ["customs duty"]


def test_us_needs_a_state():
    with pytest.raises(InvalidCodeError):
        landed_cost(order(item("10.00", "USD"), to="US"), as_of=D(2026, 1, 1), rates=RATES)


# --- Switzerland -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("price", "tax", "reason"),
    [
        ("61.79", "0.00", "below_threshold"),  # 61.79 * 8.1 % = 5.00499 -> 5.00: not collected
        ("61.80", "5.01", "charged"),  # 61.80 * 8.1 % = 5.0058 -> 5.01
    ],
)
def test_ch_import_vat_of_chf_5_or_less_is_not_collected(price, tax, reason):
    """MWSTG Art. 53(1)(a) and the ESTV mail-order guidance: no import tax when the tax is
    CHF 5 or less. Industrial goods (chapters 25-97) are duty-free from 2024-01-01."""
    q = quote(order(item(price, "CHF"), to="CH"), D(2026, 1, 1))
    assert q.regime == "ch.import.standard"
    (line,) = q.lines
    assert (line.duty, line.duty_reason) == (m("0.00", "CHF"), "exempt")
    assert (line.tax, line.tax_reason) == (m(tax, "CHF"), reason)
    assert q.tax_total == m(tax, "CHF")
    assert_explained(q, rule_ids=["ch.import_vat.minimum_tax"])


def test_ch_registered_mail_order_seller_charges_at_checkout():
    q = quote(order(item("61.79", "CHF"), to="CH", seller=CN_IOSS), D(2026, 1, 1))
    assert q.regime == "ch.mail_order"
    assert charges(q) == [("VAT/GST", m("5.00", "CHF"), "seller", "checkout")]


def test_ch_platform_is_the_deemed_supplier_from_2025():
    shipment = order(item("100.00", "CHF"), to="CH", seller=MARKETPLACE)
    assert quote(shipment, D(2025, 1, 1)).regime == "ch.platform"
    assert quote(shipment, D(2024, 12, 31)).regime == "ch.import.standard"


# --- what every quote needs ----------------------------------------------------------------------


def test_conversion_needs_a_rate_provider():
    with pytest.raises(RateUnavailableError):
        landed_cost(order(item("10.00", "USD"), to="DE"), as_of=D(2026, 1, 1))


def test_exchange_rate_is_recorded():
    q = quote(order(item("300.00", "USD"), to="DE", seller=CN_IOSS), BEFORE_FLAT)
    assert (q.fx.base, q.fx.quote, q.fx.rate, q.fx.source) == (
        "USD",
        "EUR",
        Decimal("0.5"),
        "test rates",
    )
    assert (q.order_currency, q.currency) == ("USD", "EUR")


@pytest.mark.parametrize("destination", sorted(CURRENCY))
def test_every_destination_quotes_in_its_own_currency(destination):
    q = quote(
        order(item("25.00", "USD", origin="VN"), to=destination, ship_from="VN"), D(2026, 1, 1)
    )
    assert q.currency == CURRENCY[destination]
    assert q.goods_value == m("25.00", "USD")
