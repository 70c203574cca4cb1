"""Junk at every public tax entry point: a typed error or a correct answer, never a crash.

A typed error is a ``CrossborderError`` (for the models ``Shipment``, ``Line``,
``Seller`` and ``Buyer`` also a pydantic ``ValidationError``). Crashes found by
the sweep are listed in ``KNOWN`` and marked strict xfail, so a fix shows up.
"""

import contextlib
import datetime as dt
import math
import os
from decimal import Decimal

import pytest
from pydantic import ValidationError

from crossborder.errors import (
    AmountOutOfRangeError,
    CrossborderError,
    CurrencyMismatchError,
    InputError,
    InvalidDateError,
    NoApplicableRuleError,
    RateUnavailableError,
    RuleDataError,
)
from crossborder.fx import FixedRates
from crossborder.money import INT64_MAX, Money
from crossborder.tax import (
    Buyer,
    LandedCost,
    LayeredTariff,
    Line,
    PackagedTariff,
    PriceBreakdown,
    Seller,
    Shipment,
    TariffTable,
    TaxRate,
    is_valid_vat_id,
    landed_cost,
    price_breakdown,
    validate_vat_id,
    vat_rate,
)

D = dt.date
DAY = D(2026, 1, 1)
EUR10 = Money.of("10.00", "EUR")
JUNK = {
    "None": None,
    "empty": "",
    "euro sign": "€",
    "comma decimal": "1,5",
    "float": 0.1,
    "float nan": math.nan,
    "Decimal NaN": Decimal("NaN"),
    "Decimal sNaN": Decimal("sNaN"),
    "minus one": -1,
    "10**30": 10**30,
    "unknown code": "ZZ",
    "unknown subdivision": "XX-YY",
    "date 1900": D(1900, 1, 1),
    "datetime": dt.datetime(2024, 1, 1, 12, 0),
    "object": object(),
    "list": [],
    "dict": {},
    "True": True,
}


def line(**changes):
    fields = {
        "description": "cotton T-shirt",
        "hs_code": "61091000",
        "quantity": 1,
        "unit_price": EUR10,
        "origin": "CN",
    }
    return Line(**{**fields, **changes})


def ship(**changes):
    fields = {
        "lines": (line(),),
        "ship_from": "CN",
        "destination": "DE",
        "seller": Seller(established_in="CN"),
    }
    return Shipment(**{**fields, **changes})


SHIPMENT = ship()
ROW = {"destination": "EU", "hs_code": "610910", "origin": "*", "ad_valorem": "0.05"}


def table_match(**row):
    table = TariffTable.from_records([{**ROW, **row}])
    return table.match("DE", "61091000", origin="CN", as_of=DAY, preferential=True)


CALLS = {
    "vat_rate(place)": lambda j: vat_rate(j, as_of=DAY),
    "vat_rate(as_of)": lambda j: vat_rate("DE", as_of=j),
    "vat_rate(category)": lambda j: vat_rate("DE", as_of=DAY, category=j),
    "vat_rate(locality)": lambda j: vat_rate("US-CA", as_of=DAY, locality=j),
    "vat_rate(rules)": lambda j: vat_rate("DE", as_of=DAY, rules=j),
    "vat_rate(allow_provisional)": lambda j: vat_rate("DE", as_of=DAY, allow_provisional=j),
    "price_breakdown(price)": lambda j: price_breakdown(j, place="DE", as_of=DAY),
    "price_breakdown(place)": lambda j: price_breakdown(EUR10, place=j, as_of=DAY),
    "price_breakdown(as_of)": lambda j: price_breakdown(EUR10, place="DE", as_of=j),
    "price_breakdown(category)": lambda j: price_breakdown(
        EUR10, place="DE", as_of=DAY, category=j
    ),
    "price_breakdown(tax_included)": lambda j: price_breakdown(
        EUR10, place="DE", as_of=DAY, tax_included=j
    ),
    "price_breakdown(locality)": lambda j: price_breakdown(
        EUR10, place="US-CA", as_of=DAY, locality=j
    ),
    "landed_cost(shipment)": lambda j: landed_cost(j, as_of=DAY),
    "landed_cost(as_of)": lambda j: landed_cost(SHIPMENT, as_of=j),
    "landed_cost(rates)": lambda j: landed_cost(SHIPMENT, as_of=DAY, rates=j),
    "landed_cost(tariff)": lambda j: landed_cost(SHIPMENT, as_of=DAY, tariff=j),
    "landed_cost(rules)": lambda j: landed_cost(SHIPMENT, as_of=DAY, rules=j),
    "landed_cost(dict destination)": lambda j: landed_cost(
        {**SHIPMENT.model_dump(), "destination": j}, as_of=DAY
    ),
    "landed_cost(line hs_code)": lambda j: landed_cost(ship(lines=(line(hs_code=j),)), as_of=DAY),
    "landed_cost(line category)": lambda j: landed_cost(ship(lines=(line(category=j),)), as_of=DAY),
    "validate_vat_id(id)": lambda j: validate_vat_id(j),
    "validate_vat_id(country)": lambda j: validate_vat_id("DE136695976", country=j),
    "is_valid_vat_id(id)": lambda j: is_valid_vat_id(j),
    "is_valid_vat_id(country)": lambda j: is_valid_vat_id("DE136695976", country=j),
    "TariffTable.from_records(records)": lambda j: TariffTable.from_records(j),
    "TariffTable.from_records(row)": lambda j: TariffTable.from_records([j]),
    "TariffTable.from_records(name)": lambda j: TariffTable.from_records([ROW], name=j),
    **{
        f"TariffTable row {field}": (lambda f: lambda j: table_match(**{f: j}))(field)
        for field in (
            "destination",
            "hs_code",
            "origin",
            "ad_valorem",
            "specific",
            "currency",
            "valid_from",
            "valid_to",
            "preferential",
        )
    },
    # ints are file descriptors to open(): tested apart (test_from_csv_takes_paths_not_fds)
    "TariffTable.from_csv(path)": lambda j: TariffTable.from_csv("-1" if isinstance(j, int) else j),
    "LayeredTariff(provider)": lambda j: LayeredTariff(j).match(
        "DE", "61091000", origin="CN", as_of=DAY, preferential=False
    ),
    "Line(quantity)": lambda j: line(quantity=j),
    "Line(unit_price)": lambda j: line(unit_price=j),
    "Line(origin)": lambda j: line(origin=j),
    "Line(description)": lambda j: line(description=j),
    "Line(unit_weight_kg)": lambda j: line(unit_weight_kg=j),
    "Seller(established_in)": lambda j: Seller(established_in=j),
    "Seller(kind)": lambda j: Seller(established_in="CN", kind=j),
    "Seller(registered)": lambda j: Seller(established_in="CN", registered=j),
    "Seller(eu_cross_border_sales)": lambda j: Seller(established_in="FR", eu_cross_border_sales=j),
    "Buyer(kind)": lambda j: Buyer(kind=j),
    "Buyer(vat_id)": lambda j: Buyer(kind="business", vat_id=j),
    "Shipment(destination)": lambda j: ship(destination=j),
    "Shipment(ship_from)": lambda j: ship(ship_from=j),
    "Shipment(shipping)": lambda j: ship(shipping=j),
    "Shipment(lines)": lambda j: ship(lines=j),
    "Shipment(incoterm)": lambda j: ship(incoterm=j),
    "Shipment(mode)": lambda j: ship(mode=j),
}
MODELS = ("Line(", "Seller(", "Buyer(", "Shipment(", "landed_cost(line ")
NOT_ITERABLE = {k for k, v in JUNK.items() if not isinstance(v, str | list | dict)}
EVERY_NON_PROVIDER = set(JUNK)
KNOWN: dict[str, tuple[set[str], str]] = {}  # every crash the sweep found is fixed


# what a crash looks like: a bare built-in error, or pytest.fail for a leaked ValidationError
CRASHES = (TypeError, ValueError, AttributeError, pytest.fail.Exception)


def _cases():
    for call in CALLS:
        crashes, reason = KNOWN.get(call, ((), ""))
        for name, junk in JUNK.items():
            marks = (
                pytest.mark.xfail(strict=True, reason=reason, raises=CRASHES)
                if name in crashes
                else ()
            )
            yield pytest.param(call, junk, id=f"{call}-{name}", marks=marks)


def _sane(call, result):
    """An answer to junk must still be a right answer."""
    if isinstance(result, TaxRate):
        assert result.rate == Decimal("0.19") or call.endswith("(locality)")
    elif isinstance(result, PriceBreakdown):
        assert result.net + result.tax == result.gross
    elif isinstance(result, LandedCost):
        assert result.tax_total.currency == "EUR"
    elif call.startswith("is_valid_vat_id"):
        assert isinstance(result, bool)


@pytest.mark.parametrize(("call", "junk"), list(_cases()))
def test_junk_gives_a_typed_error_or_an_answer(call, junk):
    try:
        result = CALLS[call](junk)
    except CrossborderError as exc:
        assert str(exc), "an error must say what was wrong"
        return
    except ValidationError:
        if call.startswith(MODELS):
            return
        pytest.fail(f"{call}({junk!r}) leaked a pydantic ValidationError")
    _sane(call, result)


NEVER_VALID = {"None": None, "empty": "", "euro sign": "€", "float": 0.1, "object": object()}
DEFAULTS_TO_NONE = {
    "vat_rate(locality)",
    "vat_rate(rules)",
    "price_breakdown(locality)",
    "landed_cost(rates)",
    "landed_cost(tariff)",
    "landed_cost(rules)",
    "landed_cost(line hs_code)",
    "validate_vat_id(country)",
    "is_valid_vat_id(country)",
    "Seller(eu_cross_border_sales)",
    "Buyer(vat_id)",
    "Shipment(shipping)",
    "Line(unit_weight_kg)",
}
ANSWERS_ANYTHING = {
    "vat_rate(allow_provisional)",  # truthy or falsy: DE has no provisional rate
    "is_valid_vat_id(id)",  # returns False
    "TariffTable.from_records(name)",
    "TariffTable row origin",  # '' means any origin
    "TariffTable row specific",  # '' means none
    "TariffTable row currency",  # unused without a specific duty
    "TariffTable row valid_from",
    "TariffTable row valid_to",
    "TariffTable row preferential",
    "TariffTable row ad_valorem",  # '' and None mean 0
    "Line(description)",
    "Buyer(kind)",
    "landed_cost(line hs_code)",  # the line is unquotable instead
}


@pytest.mark.parametrize("junk", NEVER_VALID.values(), ids=NEVER_VALID)
@pytest.mark.parametrize(
    "call", [c for c in CALLS if c not in DEFAULTS_TO_NONE | ANSWERS_ANYTHING], ids=str
)
def test_never_valid_junk_is_refused(call, junk):
    """Junk that is never valid must raise, not answer."""
    if call == "TariffTable.from_records(records)" and junk == "":
        pytest.skip("an empty string is an empty sequence of rows: an empty table")
    with pytest.raises(Exception) as info:  # noqa: PT011 - the sweep above checks the type
        CALLS[call](junk)
    assert not isinstance(info.value, AssertionError)


def test_unquotable_hs_code_junk_makes_the_line_unquotable():
    """Above EUR 150 the duty needs the code: junk makes the line unquotable, not the order."""
    price = Money.of("200.00", "EUR")
    for junk in ("", "€", "1,5", "ZZ", "XX-YY", "６１０９１０００"):
        order = ship(lines=(line(hs_code=junk, unit_price=price), line(unit_price=price)))
        quote, fine = landed_cost(order, as_of=DAY).lines
        assert quote.status == "unquotable", junk
        assert quote.problem
        assert fine.status == "quoted"


# --- quantities, amounts, currencies, dates ----------------------------------------------------


@pytest.mark.parametrize("quantity", [0, -1, 1_000_001, 1.5, "2", None])
def test_quantity_must_be_a_positive_whole_number(quantity):
    if quantity == "2":  # pydantic's lax mode takes a numeric string: a correct answer
        assert line(quantity=quantity).quantity == 2
        return
    with pytest.raises(ValidationError):
        line(quantity=quantity)


def test_negative_prices_are_refused():
    with pytest.raises(ValidationError, match="must not be negative"):
        line(unit_price=Money.of("-0.01", "EUR"))
    with pytest.raises(ValidationError, match="must not be negative"):
        ship(shipping=Money.of("-1.00", "EUR"))


def test_unit_weight_must_be_positive_and_finite():
    for bad in (Decimal(0), Decimal(-1), Decimal("NaN"), Decimal("Infinity")):
        with pytest.raises(ValidationError):
            line(unit_weight_kg=bad)


def test_business_buyer_needs_a_vat_id():
    with pytest.raises(ValidationError, match="vat_id"):
        Buyer(kind="business")


def test_extra_fields_are_refused():
    with pytest.raises(ValidationError):
        Seller(established_in="CN", registerd=True)


def test_mixed_currencies_across_lines():
    with pytest.raises(ValidationError) as info:
        ship(lines=(line(), line(unit_price=Money.of("10.00", "USD"))))
    assert isinstance(info.value.errors()[0]["ctx"]["error"], CurrencyMismatchError)


def test_shipping_in_another_currency():
    with pytest.raises(ValidationError) as info:
        ship(shipping=Money.of("5.00", "GBP"))
    assert isinstance(info.value.errors()[0]["ctx"]["error"], CurrencyMismatchError)


MIXED = {
    "lines": [
        {
            "description": "a",
            "quantity": 1,
            "unit_price": {"amount": "1.00", "currency": "EUR"},
            "origin": "CN",
        },
        {
            "description": "b",
            "quantity": 1,
            "unit_price": {"amount": "1.00", "currency": "USD"},
            "origin": "CN",
        },
    ],
    "ship_from": "CN",
    "destination": "DE",
    "seller": {"established_in": "CN"},
}


def test_mixed_currencies_in_a_dict_order_is_an_input_error():
    with pytest.raises(InputError, match="one currency"):
        landed_cost(MIXED, as_of=DAY)


def test_mixed_currencies_in_a_dict_order_is_a_currency_mismatch():
    with pytest.raises(CurrencyMismatchError):
        landed_cost(MIXED, as_of=DAY)


def test_conversion_without_a_rate_provider():
    order = ship(lines=(line(unit_price=Money.of("10.00", "USD")),))
    with pytest.raises(RateUnavailableError, match="pass rates="):
        landed_cost(order, as_of=DAY)


def test_rate_provider_without_the_pair():
    order = ship(lines=(line(unit_price=Money.of("10.00", "USD")),))
    with pytest.raises(RateUnavailableError):
        landed_cost(order, as_of=DAY, rates=FixedRates.from_mapping({"GBP/JPY": "190"}))


def test_rates_must_be_a_provider():
    with pytest.raises(InputError, match="RateProvider"):
        landed_cost(SHIPMENT, as_of=DAY, rates={"EUR/USD": "1.1"})


def test_amounts_too_large_for_64_bits():
    huge = line(unit_price=Money.from_minor(INT64_MAX, "EUR"), quantity=1_000_000)
    with pytest.raises(AmountOutOfRangeError):
        landed_cost(ship(lines=(huge,)), as_of=DAY)
    with pytest.raises(AmountOutOfRangeError):
        price_breakdown(
            Money.from_minor(INT64_MAX, "EUR"), place="DE", as_of=DAY, tax_included=False
        )


def test_dates_outside_the_data():
    with pytest.raises(NoApplicableRuleError):
        vat_rate("DE", as_of=D(1900, 1, 1))
    with pytest.raises(NoApplicableRuleError):
        landed_cost(SHIPMENT, as_of=D(1900, 1, 1))
    with pytest.raises(NoApplicableRuleError):
        price_breakdown(EUR10, place="DE", as_of=D(2018, 12, 31))
    # far ahead: the open-ended versions still answer
    assert vat_rate("DE", as_of=D(2100, 1, 1)).rate == Decimal("0.19")
    assert PackagedTariff().match(
        "DE", "61091000", origin="CN", as_of=D(2100, 1, 1), preferential=False
    )


@pytest.mark.parametrize(
    "call",
    [
        lambda d: vat_rate("DE", as_of=d),
        lambda d: price_breakdown(EUR10, place="DE", as_of=d),
        lambda d: landed_cost(SHIPMENT, as_of=d),
        lambda d: TariffTable.from_records([ROW]).match(
            "DE", "61091000", origin="CN", as_of=d, preferential=False
        ),
    ],
    ids=["vat_rate", "price_breakdown", "landed_cost", "TariffTable.match"],
)
@pytest.mark.parametrize("day", [dt.datetime(2026, 1, 1), "2026-01-01", 20260101])
def test_a_date_must_be_a_date(call, day):
    with pytest.raises(InvalidDateError):
        call(day)


def test_from_csv_takes_paths_not_fds():
    read, write = os.pipe()
    os.write(write, b"destination,hs_code,ad_valorem\nEU,610910,0.05\n")
    os.close(write)
    ours = os.fstat(read)
    try:
        with pytest.raises(CrossborderError):
            TariffTable.from_csv(read)
        assert os.fstat(read).st_ino == ours.st_ino  # still ours, still open
    finally:
        with contextlib.suppress(OSError):  # close it only if the number is still our pipe
            if (os.fstat(read).st_ino, os.fstat(read).st_dev) == (ours.st_ino, ours.st_dev):
                os.close(read)


def test_rule_data_error_names_the_table():
    with pytest.raises(RuleDataError) as info:
        TariffTable.from_records([{**ROW, "hs_code": "61A9"}], name="supplier list")
    assert info.value.path == "supplier list"
    assert "supplier list, row 1" in str(info.value)
