"""Rounding per document vs per line, as each jurisdiction's rounding rule says."""

import datetime as dt

from crossborder.money import Money
from crossborder.rules import get_rule
from crossborder.tax import Line, Seller, Shipment, landed_cost
from crossborder.testing.invariants import assert_sums_to

DAY = dt.date(2026, 3, 2)


def order(destination):
    return Shipment(
        lines=[
            Line(
                description=f"sticker {i}",
                hs_code="49119900",
                quantity=1,
                unit_price=Money.of("0.13", "EUR"),
                origin="CN",
            )
            for i in range(3)
        ],
        ship_from="CN",
        destination=destination,
        seller=Seller(kind="marketplace", established_in="CN"),
    )


def test_per_document_rounding_rounds_once_and_shares_exactly():
    """DE rounds the VAT of the document (de.vat.rounding): 3 x 0.13 x 19 % = 0.0741 -> 0.07,
    where rounding each line would give 3 x 0.02 = 0.06."""
    assert (
        get_rule("de.vat.rounding", as_of=DAY, allow_provisional=True).value["level"] == "invoice"
    )
    q = landed_cost(order("DE"), as_of=DAY)
    assert q.tax_total == Money.of("0.07", "EUR")
    assert_sums_to([line.tax for line in q.lines], q.tax_total)
    assert [line.tax.minor for line in q.lines] == [3, 2, 2]
    assert all(line.tax_reason == "collected_by_marketplace" for line in q.lines)
    assert "tax rounded per document" in q.explanation.to_text()
