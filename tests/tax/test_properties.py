"""Properties of landed_cost over generated orders (crossborder.testing.shipments)."""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crossborder.fx import FixedRates
from crossborder.tax import landed_cost
from crossborder.testing import rule_dates, shipments
from crossborder.testing.invariants import assert_explained

RATES = FixedRates.from_mapping(
    {
        "EUR/USD": "1.0850",
        "EUR/GBP": "0.8450",
        "EUR/AUD": "1.6650",
        "EUR/JPY": "162.50",
        "EUR/CAD": "1.5150",
        "EUR/NOK": "11.650",
        "EUR/CHF": "0.9350",
        "EUR/SGD": "1.4550",
        "EUR/NZD": "1.8250",
        "EUR/PLN": "4.2500",
    }
)
DATES = st.one_of(
    st.sampled_from([dt.date(2026, 6, 30), dt.date(2026, 7, 1), dt.date(2025, 8, 28)]),
    rule_dates(rule_ids=["eu.import.ioss_threshold", "us.import.de_minimis"]).filter(
        lambda d: d >= dt.date(2023, 1, 1)
    ),
)
SLOW = settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])


@SLOW
@given(shipments(), DATES)
def test_totals_are_the_sum_of_lines_and_charges(order, day):
    q = landed_cost(order, as_of=day, rates=RATES)
    zero = q.duty_total.__class__.zero(q.currency)
    lines_duty = sum((line.duty or zero for line in q.lines), zero)
    assert q.duty_total == lines_duty  # the flat duty sits on the first line of each item
    assert q.tax_total == sum((line.tax or zero for line in q.lines), zero)
    due = sum((c.amount for c in q.charges if c.due in ("checkout", "delivery")), zero)
    assert q.due_at_checkout + q.due_at_delivery == due
    assert q.complete == all(line.status == "quoted" for line in q.lines)


@SLOW
@given(shipments(), DATES)
def test_a_zero_always_says_why(order, day):
    q = landed_cost(order, as_of=day, rates=RATES)
    for line in q.lines:
        if line.duty is not None and not line.duty:
            assert line.duty_reason != "charged" or line.duty_rates
        if line.tax is not None and not line.tax:
            assert line.tax_reason not in ("charged", "charged_at_checkout")
        if line.status == "unquotable":
            assert line.problem
        if line.status == "estimate":
            assert line.duty_min <= line.duty_max


@SLOW
@given(shipments(max_lines=3), DATES)
def test_same_input_same_bytes_and_every_step_cited(order, day):
    first = landed_cost(order, as_of=day, rates=RATES)
    second = landed_cost(order, as_of=day, rates=RATES)
    assert first.model_dump_json() == second.model_dump_json()
    assert_explained(first)
