"""Junk at every public entry point: a typed error or a correct answer, never a crash."""

import datetime as dt
import math
from decimal import Decimal

import pytest
from pydantic import ValidationError

import crossborder.codes as codes
import crossborder.fx as fx
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

RATES = fx.FixedRates.from_mapping({"EUR/USD": "1.0850", "EUR/GBP": "0.8450"})
USD = Money.of("100.00", "USD")
BOOK = [fx.Position(kind="receivable", amount=USD, due=dt.date(2024, 8, 1))]
POLICY = fx.HedgePolicy(
    layers=[
        fx.HedgeLayer(
            up_to_months=6, target=Decimal("0.8"), minimum=Decimal("0.7"), maximum=Decimal("0.9")
        )
    ]
)
MARKET = fx.Market(
    spot={"USD": Decimal("0.92")}, rates={"USD": Decimal("0.05"), "EUR": Decimal("0.03")}
)
ITEM = fx.MonetaryItem(
    ref="I", side="asset", amount=USD, carrying=Money.of("90", "EUR"), account="a"
)
HELD = {"USD": Money.of("1000", "EUR")}
FWD = {"base_rate": "0.02", "quote_rate": "0.04", "start": DAY, "end": dt.date(2024, 9, 2)}
VALUE = {
    "strike": "1.08",
    "forward": "1.09",
    "spot": "1.085",
    "quote_rate": "0.04",
    "valuation_date": DAY,
    "value_date": dt.date(2024, 9, 2),
}

FX_CALLS = {
    "get_rate(base)": lambda j: fx.get_rate(j, "EUR", as_of=DAY, provider=RATES),
    "get_rate(quote)": lambda j: fx.get_rate("USD", j, as_of=DAY, provider=RATES),
    "get_rate(as_of)": lambda j: fx.get_rate("USD", "EUR", as_of=j, provider=RATES),
    "get_rate(provider)": lambda j: fx.get_rate("USD", "EUR", as_of=DAY, provider=j),
    "get_rate(policy)": lambda j: fx.get_rate("USD", "EUR", as_of=DAY, provider=RATES, policy=j),
    "convert(money)": lambda j: fx.convert(j, "EUR", as_of=DAY, rates=RATES),
    "convert(to)": lambda j: fx.convert(USD, j, as_of=DAY, rates=RATES),
    "convert(rounding)": lambda j: fx.convert(USD, "EUR", as_of=DAY, rates=RATES, rounding=j),
    "FixedRates(rate)": lambda j: fx.FixedRates([("EUR", "USD", None, j)]),
    "FixedRates(day)": lambda j: fx.FixedRates([("EUR", "USD", j, "1.1")]),
    "FixedRates.from_mapping": lambda j: fx.FixedRates.from_mapping({"EUR/USD": j}),
    "FixedRates.from_file": lambda j: fx.FixedRates.from_file(j),
    "EcbRates(path)": lambda j: fx.EcbRates(j),
    "install_ecb_file": lambda j: fx.install_ecb_file(j),
    "RatePolicy": lambda j: fx.RatePolicy(j),
    "ForexPythonRates(timeout)": lambda j: fx.ForexPythonRates(timeout=j),
    "convert_many(table)": lambda j: fx.convert_many(j, "EUR", rates=RATES, as_of=DAY),
    "convert_many(to)": lambda j: fx.convert_many(
        {"amount": [1], "currency": ["USD"]}, j, rates=RATES, as_of=DAY
    ),
    "convert_many(as_of)": lambda j: fx.convert_many(
        {"amount": [1], "currency": ["USD"]}, "EUR", rates=RATES, as_of=j
    ),
    "convert_parquet(source)": lambda j: fx.convert_parquet(
        j, "/tmp/x.parquet", "EUR", rates=RATES
    ),
    "spot_date(pair)": lambda j: fx.spot_date(j, DAY),
    "spot_date(trade_date)": lambda j: fx.spot_date("EURUSD", j),
    "value_date(tenor)": lambda j: fx.value_date("EURUSD", DAY, j),
    "is_business_day(currency)": lambda j: fx.is_business_day(j, DAY),
    "is_business_day(day)": lambda j: fx.is_business_day("EUR", j),
    "money_market_basis": lambda j: fx.money_market_basis(j, as_of=DAY),
    "year_fraction(start)": lambda j: fx.year_fraction(j, DAY, "ACT/360"),
    "year_fraction(basis)": lambda j: fx.year_fraction(DAY, DAY, j),
    "forward_rate(spot)": lambda j: fx.forward_rate("EURUSD", j, **FWD),
    "forward_rate(base_rate)": lambda j: fx.forward_rate("EURUSD", "1.1", **FWD | {"base_rate": j}),
    "forward_rate(start)": lambda j: fx.forward_rate("EURUSD", "1.1", **FWD | {"start": j}),
    "forward_value(notional)": lambda j: fx.forward_value(j, "USD", **VALUE),
    "forward_value(strike)": lambda j: fx.forward_value(
        Money.of("1", "EUR"), "USD", **VALUE | {"strike": j}
    ),
    "exposure(positions)": lambda j: fx.exposure(j, functional="EUR", as_of=DAY, rates=RATES),
    "exposure(functional)": lambda j: fx.exposure(BOOK, functional=j, as_of=DAY, rates=RATES),
    "exposure(hedges)": lambda j: fx.exposure(
        BOOK, functional="EUR", as_of=DAY, rates=RATES, hedges=j
    ),
    "exposure(buckets)": lambda j: fx.exposure(
        BOOK, functional="EUR", as_of=DAY, rates=RATES, buckets=j
    ),
    "positions_from_csv": lambda j: fx.positions_from_csv(j),
    "hedge_plan(positions)": lambda j: fx.hedge_plan(
        j, POLICY, functional="EUR", market=MARKET, as_of=DAY
    ),
    "hedge_plan(policy)": lambda j: fx.hedge_plan(
        BOOK, j, functional="EUR", market=MARKET, as_of=DAY
    ),
    "hedge_plan(market)": lambda j: fx.hedge_plan(
        BOOK, POLICY, functional="EUR", market=j, as_of=DAY
    ),
    "HedgePolicy.from_toml": lambda j: fx.HedgePolicy.from_toml(j),
    "dollar_offset": lambda j: fx.dollar_offset(j, ["1"]),
    "regression_test": lambda j: fx.regression_test(j, ["1", "2", "3"]),
    "parametric_var(positions)": lambda j: fx.parametric_var(j, {("USD", "USD"): "0.0001"}),
    "parametric_var(covariance)": lambda j: fx.parametric_var(HELD, j),
    "historical_var(positions)": lambda j: fx.historical_var(
        j, rates=fx.EcbRates.packaged(), as_of=DAY
    ),
    "historical_var(as_of)": lambda j: fx.historical_var(
        HELD, rates=fx.EcbRates.packaged(), as_of=j
    ),
    "stress(positions)": lambda j: fx.stress(j, {"*": "0.1"}),
    "stress(shocks)": lambda j: fx.stress(HELD, j),
    "revalue(items)": lambda j: fx.revalue(j, functional="EUR", as_of=DAY, rates=RATES),
    "revalue(functional)": lambda j: fx.revalue([ITEM], functional=j, as_of=DAY, rates=RATES),
    "settle(item)": lambda j: fx.settle(j, settled=USD, on=DAY, rates=RATES, cash_account="b"),
    "settle(settled)": lambda j: fx.settle(ITEM, settled=j, on=DAY, rates=RATES, cash_account="b"),
}
CALLS |= FX_CALLS

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
    "fx": {name.split("(")[0].split(".")[0] for name in FX_CALLS},
}
NOT_CALLABLE_WITH_INPUT = {
    # types and constants: validated through the models and calls that use them
    "money": {"INT64_MAX", "INT64_MIN", "Currency", "RoundingMode"},
    "codes": {"CountryCode", "SubdivisionCode", "PlaceCode", "CurrencyCode", "HSCode", "EUStatus"},
    "rules": {"AppliedRule", "Rule", "RuleFile", "RuleVersion", "SourceFile"},
    # constants, protocols and result or input models: validated by the calls that take them
    "fx": {
        "BUCKETS",
        "DAY_COUNTS",
        "TENORS",
        "RateProvider",
        "Conversion",
        "ExposureCell",
        "ExposureReport",
        "ForwardQuote",
        "ForwardValue",
        "Hedge",
        "HedgeLayer",
        "HedgePlan",
        "HedgeTrade",
        "JournalLine",
        "Market",
        "MonetaryItem",
        "OffsetResult",
        "Position",
        "RateQuote",
        "RegressionResult",
        "Revaluation",
        "RiskResult",
        "Settlement",
        "ValueDate",
    },
}


@pytest.mark.parametrize("module", [money, codes, rules, fx], ids=lambda m: m.__name__)
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
                call
                in (
                    "currencies(as_of)",
                    "eu_status(postal_code)",
                    "eu_status(rules)",
                    "get_rate(policy)",
                    "FixedRates(day)",
                )
                and junk is None
            ):
                continue  # None is the documented default (an undated rate for FixedRates)
            if call == "ForexPythonRates(timeout)" and junk == 0.1:
                continue  # a timeout of 0.1 s is valid
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
