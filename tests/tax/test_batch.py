"""landed_cost_batch gives, order by order, the figures landed_cost gives."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crossborder.errors import CrossborderError, InputError
from crossborder.money import Money
from crossborder.tax import Buyer, Line, Seller, Shipment, landed_cost, landed_cost_batch
from crossborder.tax._batch import rows_of
from crossborder.testing import shipments

from .test_properties import DATES, RATES

DAY = dt.date(2026, 3, 2)


def expected(orders, day, **kwargs):
    """The batch tables as landed_cost, one order at a time, would fill them."""
    order_rows, line_rows = [], []
    for k, order in enumerate(orders):
        try:
            quote = landed_cost(order, as_of=day, rates=RATES, **kwargs)
        except CrossborderError as exc:
            order_rows.append({"order": k, "error_type": type(exc).__name__, "error": str(exc)})
            continue
        row, lines = rows_of(k, quote)
        order_rows.append(row)
        line_rows += lines
    return order_rows, line_rows


def same(batch, orders, day, **kwargs):
    order_rows, line_rows = expected(orders, day, **kwargs)
    got = batch.orders.to_pylist()
    assert len(got) == len(order_rows)
    for row, want in zip(got, order_rows, strict=True):
        assert {k: row[k] for k in want} == want
    assert batch.lines.to_pylist() == line_rows


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(shipments(), min_size=1, max_size=6), DATES)
def test_batch_equals_one_by_one(orders, day):
    same(landed_cost_batch(orders, as_of=day, rates=RATES), orders, day)


CODES = ("61091000", "64041990", "42022290", "95030070", "85183000")


def item(i, cents, origin):
    """Line ``i`` of a test order: codes in turn, one line of children's clothing."""
    price = Money.from_minor(900 + 731 * i + cents, "USD")
    category = "childrens_clothing" if i == 3 else "standard"
    code = CODES[i % len(CODES)]
    return Line(
        description=f"item {i}",
        hs_code=code,
        quantity=1 + i % 3,
        unit_price=price,
        origin=origin,
        category=category,
    )


def order(dest, *, ship_from="CN", seller=None, buyer=None, cents=0, lines=4, shipping="7.50"):
    return Shipment(
        lines=[item(i, cents, ship_from[:2]) for i in range(lines)],
        shipping=Money.of(shipping, "USD") if shipping else None,
        ship_from=ship_from,
        destination=dest,
        seller=seller or Seller(established_in=ship_from[:2], registered=True),
        buyer=buyer or Buyer(),
    )


KERNEL_ORDERS = [
    order("DE", lines=10),  # EU standard import: CIF, tax rounded per document
    order("FR", cents=3, lines=2),  # IOSS before the flat duty
    order("GB", lines=3),  # point-of-sale VAT
    order("GB", lines=10, cents=9000),  # above GBP 135: duty and import VAT
    order("AU", lines=2),
    order("US-CA", ship_from="US"),  # domestic US sale, delivery not taxed in CA
    order("US-TX", ship_from="US"),  # Texas taxes delivery
    order("IT", ship_from="DE", seller=Seller(established_in="DE")),  # OSS distance sale
    order("IT", ship_from="DE", buyer=Buyer(kind="business", vat_id="IT00743110157")),
    order("NO", lines=1),
]


@pytest.mark.parametrize("day", [DAY, dt.date(2025, 3, 3)])
def test_common_orders_take_the_columnar_kernel(day):
    batch = landed_cost_batch(KERNEL_ORDERS, as_of=day, rates=RATES)
    assert batch.one_by_one == 0
    assert batch.orders.num_rows == len(KERNEL_ORDERS)
    same(batch, KERNEL_ORDERS, day)


def test_big_amounts_stay_exact():
    """Products beyond int64 are computed on Python ints, and stay exact."""
    rich = [order("DE", cents=10**15, lines=3), order("GB", cents=10**15 + 7, lines=2)]
    batch = landed_cost_batch(rich, as_of=DAY, rates=RATES)
    assert batch.one_by_one == 0
    same(batch, rich, DAY)


def test_one_bad_order_does_not_stop_the_batch():
    orders = [
        order("DE"),
        {**order("DE").model_dump(mode="json"), "destination": "XX-ZZ"},  # unknown place
        {"lines": []},  # not a shipment
        order("BR"),  # no import rules there
        order("GB"),
    ]
    batch = landed_cost_batch(orders, as_of=DAY, rates=RATES)
    errors = batch.orders.column("error_type").to_pylist()
    assert errors[0] is None
    assert errors[-1] is None
    assert all(errors[1:4])
    assert batch.orders.column("regime").to_pylist()[1:4] == [None, None, None]
    assert set(batch.lines.column("order").to_pylist()) == {0, 4}


def test_orders_outside_the_kernel_are_quoted_one_by_one():
    postal = order("DE", cents=1, lines=2).model_copy(update={"mode": "post"})
    jp = order("JP", cents=900_000, lines=3)  # Japan Customs computes the tax itself
    incomplete = order("DE", lines=2).model_copy(
        update={"lines": (order("DE").lines[0].model_copy(update={"hs_code": "6109"}),)}
    )
    canada = order("CA-ON", cents=20000, shipping="")  # no Canadian tariff lines: unquotable
    orders = [postal, jp, incomplete, canada, order("DE", cents=30000)]
    day = dt.date(2026, 8, 3)  # the EUR 3 flat duty applies
    batch = landed_cost_batch(orders, as_of=day, rates=RATES)
    assert batch.one_by_one == 4
    same(batch, orders, day)


def test_progress_is_reported():
    seen = []
    landed_cost_batch([order("GB")] * 2500, as_of=DAY, rates=RATES, progress=seen.append)
    assert seen == [1000, 2000, 2500]


def test_empty_batch_gives_empty_tables():
    batch = landed_cost_batch([], as_of=DAY, rates=RATES)
    assert (batch.orders.num_rows, batch.lines.num_rows, batch.one_by_one) == (0, 0, 0)
    assert "landed_total" in batch.orders.column_names


@pytest.mark.parametrize("junk", [None, "orders", 42, {"lines": []}, b"x"])
def test_junk_batches_are_refused(junk):
    with pytest.raises(InputError):
        landed_cost_batch(junk, as_of=DAY, rates=RATES)


@pytest.mark.parametrize("day", [None, "2026-03-02", 20260302, dt.datetime(2026, 3, 2)])
def test_junk_dates_are_refused(day):
    with pytest.raises(CrossborderError):
        landed_cost_batch([order("DE")], as_of=day, rates=RATES)


def test_junk_sources_are_refused():
    with pytest.raises(InputError):
        landed_cost_batch([order("DE")], as_of=DAY, rates={"EUR/USD": 1.08})
    with pytest.raises(InputError):
        landed_cost_batch([order("DE")], as_of=DAY, rates=RATES, tariff="EU")


def test_orders_beyond_int64_get_their_error_and_the_rest_is_quoted():
    huge = Shipment(
        lines=[
            Line(
                description="x",
                hs_code="61091000",
                quantity=1,
                unit_price=Money.from_minor(9 * 10**18, "GBP"),
                origin="CN",
            )
        ],
        ship_from="CN",
        destination="GB",
        seller=Seller(established_in="CN", registered=True),
    )
    with pytest.raises(CrossborderError):
        landed_cost(huge, as_of=DAY, rates=RATES)
    batch = landed_cost_batch([order("GB"), huge], as_of=DAY, rates=RATES)
    assert batch.orders.column("error_type").to_pylist() == [None, "AmountOutOfRangeError"]


def test_a_malformed_overlay_is_a_data_error_for_that_order(tmp_path):
    from crossborder.errors import RuleDataError
    from crossborder.rules import RuleBook

    (tmp_path / "de.toml").write_text(
        'kind = "rules"\nschema = 1\ntitle = "t"\njurisdiction = "DE"\nreview_by = 2027-06-30\n'
        '[[rules]]\nid = "de.vat.rounding"\ntitle = "t"\n[[rules.versions]]\n'
        'valid_from = 2019-01-01\nvalue = { level = "document" }\n'
        '[[rules.versions.citations]]\ntitle = "t"\nurl = "https://example.org/t"\n'
        'pinpoint = "p"\nretrieved = 2026-11-25\n'
    )
    book = RuleBook.packaged().with_overlay(tmp_path)
    with pytest.raises(RuleDataError, match=r"value\.mode"):
        landed_cost(order("DE"), as_of=DAY, rates=RATES, rules=book)
    batch = landed_cost_batch([order("DE"), order("GB")], as_of=DAY, rates=RATES, rules=book)
    assert batch.orders.column("error_type").to_pylist() == ["RuleDataError", None]
