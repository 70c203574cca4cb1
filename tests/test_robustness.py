"""Junk at every public entry point: a typed error or a correct answer, never a crash."""

import datetime as dt
import math
from decimal import Decimal

import pytest
from pydantic import ValidationError

import crossborder.codes as codes
import crossborder.money as money
import crossborder.rules as rules
import crossborder.testing as testing
from crossborder.errors import CrossborderError
from crossborder.money import Money, RoundingMode

JUNK = [
    None,
    Decimal("sNaN"),
    "",
    "€",
    "1,5",
    0.1,
    math.nan,
    Decimal("NaN"),
    Decimal("-Infinity"),
    -1,
    10**30,
    "ZZ",
    "ZZZ",
    dt.date(1900, 1, 1),
    dt.datetime(2024, 1, 1, 12, 0),
    object(),
    [],
    True,
]
DAY = dt.date(2024, 6, 1)
EUR = Money.of("10.00", "EUR")

# Each entry point with the junk put in one argument at a time.
CALLS = {
    "Money.of(amount)": lambda j: Money.of(j, "EUR"),
    "Money.of(currency)": lambda j: Money.of("1", j),
    "Money.of(rounding)": lambda j: Money.of("1.005", "EUR", rounding=j),
    "Money.from_minor(minor)": lambda j: Money.from_minor(j, "EUR"),
    "Money.from_minor(currency)": lambda j: Money.from_minor(1, j),
    "Money.zero": lambda j: Money.zero(j),
    "Money.multiply(factor)": lambda j: EUR.multiply(j, rounding=RoundingMode.HALF_UP),
    "Money.multiply(rounding)": lambda j: EUR.multiply(Decimal("0.5"), rounding=j),
    "Money.divide(divisor)": lambda j: EUR.divide(j, rounding=RoundingMode.HALF_UP),
    "Money.round_to_cash(rounding)": lambda j: EUR.round_to_cash(rounding=j),
    "Money.from_moneyed": lambda j: Money.from_moneyed(j),
    "Money.__add__": lambda j: EUR + j,
    "Money.__lt__": lambda j: EUR < j,
    "allocate(total)": lambda j: money.allocate(j, [1, 2]),
    "allocate(ratios)": lambda j: money.allocate(EUR, j),
    "allocate(ratio)": lambda j: money.allocate(EUR, [1, j]),
    "split(n)": lambda j: money.split(EUR, j),
    "get_currency": lambda j: money.get_currency(j),
    "find_currency": lambda j: money.find_currency(j),
    "currencies(as_of)": lambda j: money.currencies(as_of=j),
    "country_code": lambda j: codes.country_code(j),
    "subdivision_code": lambda j: codes.subdivision_code(j),
    "place_code": lambda j: codes.place_code(j),
    "currency_code": lambda j: codes.currency_code(j),
    "hs_code": lambda j: codes.hs_code(j),
    "eu_status(place)": lambda j: codes.eu_status(j, as_of=DAY),
    "eu_status(as_of)": lambda j: codes.eu_status("DE", as_of=j),
    "eu_status(postal_code)": lambda j: codes.eu_status(
        "DE", as_of=DAY, postal_code=j, allow_provisional=True
    ),
    "eu_status(rules)": lambda j: codes.eu_status("DE", as_of=DAY, rules=j),
    "in_eu": lambda j: codes.in_eu(j, as_of=DAY),
    "in_eu(as_of)": lambda j: codes.in_eu("FR", as_of=j),
    "in_euro_area": lambda j: codes.in_euro_area(j, as_of=DAY),
    "in_eu_vat_area": lambda j: codes.in_eu_vat_area(j, as_of=DAY),
    "in_eu_vat_area(supply)": lambda j: codes.in_eu_vat_area("DE", as_of=DAY, supply=j),
    "currency_of": lambda j: codes.currency_of(j, as_of=DAY),
    "currency_of(as_of)": lambda j: codes.currency_of("DE", as_of=j),
    "get_rule(id)": lambda j: rules.get_rule(j, as_of=DAY),
    "get_rule(as_of)": lambda j: rules.get_rule("eu.member_states", as_of=j),
    "find_rule(id)": lambda j: rules.find_rule(j, as_of=DAY),
    "find_rule(as_of)": lambda j: rules.find_rule("eu.member_states", as_of=j),
    "RuleBook.with_overlay": lambda j: rules.RuleBook.packaged().with_overlay(j),
    "RuleBook.rule": lambda j: rules.RuleBook.packaged().rule(j),
}

COVERED = {
    "money": {"Money", "allocate", "split", "get_currency", "find_currency", "currencies"},
    "codes": {
        "country_code",
        "subdivision_code",
        "place_code",
        "currency_code",
        "hs_code",
        "eu_status",
        "in_eu",
        "in_euro_area",
        "in_eu_vat_area",
        "currency_of",
    },
    "rules": {"get_rule", "find_rule", "RuleBook"},
}
NOT_CALLABLE_WITH_INPUT = {
    # types and constants: validated through the models and calls that use them
    "money": {"INT64_MAX", "INT64_MIN", "Currency", "RoundingMode"},
    "codes": {"CountryCode", "SubdivisionCode", "PlaceCode", "CurrencyCode", "HSCode", "EUStatus"},
    "rules": {"AppliedRule", "Rule", "RuleFile", "RuleVersion", "SourceFile"},
}


@pytest.mark.parametrize("module", [money, codes, rules], ids=lambda m: m.__name__)
def test_sweep_covers_every_public_name(module):
    key = module.__name__.rsplit(".", 1)[1]
    assert set(module.__all__) == COVERED[key] | NOT_CALLABLE_WITH_INPUT[key]


@pytest.mark.parametrize("junk", JUNK, ids=repr)
@pytest.mark.parametrize("call", CALLS, ids=str)
def test_junk_gives_a_typed_error_or_an_answer(call, junk):
    try:
        CALLS[call](junk)
    except CrossborderError as exc:
        assert str(exc), "an error must say what was wrong"
    except ValidationError:
        pytest.fail(f"{call}({junk!r}) leaked a pydantic ValidationError")


def test_sweep_catches_what_it_should():
    """Junk that is never valid must raise, not answer."""
    never_valid = [None, "", "€", 0.1, math.nan, object()]
    must_raise = [c for c in CALLS if not c.startswith(("find_", "Money.__"))]
    for call in must_raise:
        for junk in never_valid:
            if (
                call in ("currencies(as_of)", "eu_status(postal_code)", "eu_status(rules)")
                and junk is None
            ):
                continue  # None is the documented default
            with pytest.raises(CrossborderError):
                CALLS[call](junk)


def test_strategies_reject_bad_arguments_eagerly():
    from hypothesis.errors import InvalidArgument

    for bad in (
        lambda: testing.money(min_minor=5, max_minor=1),
        lambda: testing.money(min_minor=1.5),
        lambda: testing.money(currencies="EUR"),
        lambda: testing.currencies(exponents=[7]),
        lambda: testing.currencies(exponents=2),
        lambda: testing.currencies(active_on="2024-01-01"),
        lambda: testing.hs_codes(lengths=[4]),
        lambda: testing.subdivision_codes(countries=["ZZ"]),
        lambda: testing.subdivision_codes(countries="DE"),
    ):
        with pytest.raises(InvalidArgument):
            bad()
