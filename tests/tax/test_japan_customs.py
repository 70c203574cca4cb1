"""Japan Customs' own computation of duty and import consumption tax."""

import datetime as dt

from crossborder.money import Money
from crossborder.tax import (
    Buyer,
    LayeredTariff,
    Line,
    PackagedTariff,
    Seller,
    Shipment,
    TariffTable,
    landed_cost,
)


def test_customs_answer_1111_worked_example():
    """Japan Customs, Customs Answer 1111 (Calculation method of amount of tariff duty,
    consumption tax, etc.): item A CIF 534,795 yen at 14 % duty and the 7.8 % national rate,
    item B CIF 126,258 yen at 14 % and the reduced 6.24 % rate.

    Duty: 534,000 x 14 % = 74,760 -> 74,700; 126,000 x 14 % = 17,640 -> 17,600.
    National tax: 609,000 x 7.8 % = 47,502 -> 47,500; 143,000 x 6.24 % = 8,923 -> 8,900;
    total 56,400. Local tax: 47,500 x 22/78 = 13,397; 8,900 x 22/78 = 2,510; 15,907 -> 15,900.
    """
    tariff = LayeredTariff(
        TariffTable.from_records(
            [{"destination": "JP", "hs_code": "9999", "origin": "*", "ad_valorem": "0.14"}],
            name="example rates",
        ),
        PackagedTariff(),
    )
    lines = [
        Line(
            description="A",
            hs_code="999900",
            quantity=1,
            unit_price=Money.of("534795", "JPY"),
            origin="US",
            category="standard",
        ),
        Line(
            description="B",
            hs_code="999900",
            quantity=1,
            unit_price=Money.of("126258", "JPY"),
            origin="US",
            category="reduced",
        ),
    ]
    order = Shipment(
        lines=lines,
        ship_from="US",
        destination="JP",
        seller=Seller(established_in="US"),
        buyer=Buyer(kind="business", vat_id="T1234567890123"),
    )
    q = landed_cost(order, as_of=dt.date(2026, 3, 2), tariff=tariff)
    # the tax base uses each item's duty rounded down (74,700 and 17,600); the duty total is
    # the items' unrounded duties, added and rounded down: 74,760 + 17,640 = 92,400
    assert q.duty_total == Money.of("92400", "JPY")
    step = next(s for s in q.explanation.steps if s.action == "customs duty total")
    assert step.inputs["items"] == "[74760 JPY, 17640 JPY]"
    assert q.tax_total == Money.of("72300", "JPY")  # 56,400 national + 15,900 local
    assert "jp.import_tax.computation" in {r.rule_id for r in q.explanation.rules_used}
