import pickle
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from crossborder.errors import (
    AmountOutOfRangeError,
    CrossborderError,
    CurrencyMismatchError,
    InvalidAmountError,
    InvalidCodeError,
    PrecisionError,
)
from crossborder.money import INT64_MAX, INT64_MIN, Money, RoundingMode
from crossborder.testing import money


def test_of_str_int_decimal():
    assert Money.of("12.34", "EUR").minor == 1234
    assert Money.of(12, "EUR").minor == 1200
    assert Money.of(Decimal("12.3"), "eur").minor == 1230
    assert Money.of("-0.01", "EUR").minor == -1
    assert Money.of("1234", "JPY").amount == Decimal("1234")
    assert Money.of("1.234", "KWD").minor == 1234
    assert Money.of(" +5.5 ", "USD").minor == 550


def test_amount_keeps_the_currency_exponent():
    assert str(Money.of("12.3", "EUR").amount) == "12.30"
    assert str(Money.of("-0.5", "KWD").amount) == "-0.500"
    assert str(Money.of(7, "JPY").amount) == "7"


def test_trailing_zeros_beyond_exponent_are_exact():
    assert Money.of("12.3400", "EUR").minor == 1234
    assert Money.of(Decimal("1.000"), "JPY").minor == 1


def test_too_many_decimals_needs_rounding():
    with pytest.raises(PrecisionError, match="pass rounding="):
        Money.of("12.345", "EUR")
    assert Money.of("12.345", "EUR", rounding=RoundingMode.HALF_UP).minor == 1235
    assert Money.of("12.345", "EUR", rounding=RoundingMode.HALF_EVEN).minor == 1234
    assert Money.of("-12.345", "EUR", rounding=RoundingMode.HALF_UP).minor == -1235
    assert Money.of("0.5", "JPY", rounding="half_even").minor == 0


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (0.1, "float amounts are not accepted"),
        (float("nan"), "float"),
        (Decimal("NaN"), "finite"),
        (Decimal("Infinity"), "finite"),
        (None, "must be a str, int or Decimal"),
        ("", "empty string"),
        ("€5", "currency symbols"),
        ("1,5", "localised number"),
        ("1.234,56", "localised number"),
        ("12 EUR", "currency symbols"),
        ("1e3", "plain decimal"),
        ("abc", "not a plain number"),
        (True, "must be a str, int or Decimal"),
        ([1], "must be a str, int or Decimal"),
        ("9" * 200, "far too long"),
    ],
)
def test_junk_amounts(amount, message):
    with pytest.raises(InvalidAmountError, match=message) as info:
        Money.of(amount, "EUR")
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, CrossborderError)


def test_int64_range():
    assert Money.from_minor(INT64_MAX, "EUR").minor == INT64_MAX
    assert Money.from_minor(INT64_MIN, "EUR").minor == INT64_MIN
    with pytest.raises(AmountOutOfRangeError, match="64-bit"):
        Money.from_minor(INT64_MAX + 1, "EUR")
    with pytest.raises(AmountOutOfRangeError):
        Money.of("92233720368547758.08", "EUR")
    with pytest.raises(AmountOutOfRangeError):
        Money.of(Decimal("1E+400"), "EUR")
    with pytest.raises(AmountOutOfRangeError):
        Money.from_minor(INT64_MAX, "EUR") + Money.from_minor(1, "EUR")
    with pytest.raises(AmountOutOfRangeError):
        -Money.from_minor(INT64_MIN, "EUR")


def test_unknown_and_unusable_currencies():
    with pytest.raises(InvalidCodeError, match="did you mean EUR"):
        Money.of("1", "€")
    with pytest.raises(InvalidCodeError, match="three letters"):
        Money.of("1", "EURO1")
    with pytest.raises(InvalidCodeError, match="no minor unit"):
        Money.of("1", "XAU")
    with pytest.raises(InvalidCodeError):
        Money.of("1", None)


def test_from_minor_rejects_non_ints():
    for bad in (1.0, "12", Decimal(1), True, None):
        with pytest.raises(InvalidAmountError):
            Money.from_minor(bad, "EUR")


def test_arithmetic_and_comparison():
    a, b = Money.of("1.50", "EUR"), Money.of("0.75", "EUR")
    assert a + b == Money.of("2.25", "EUR")
    assert a - b == b
    assert -a == Money.of("-1.50", "EUR")
    assert abs(-a) == a
    assert a > b >= b
    assert b < a <= a
    assert sum([a, b, b]) == Money.of("3.00", "EUR")
    assert a * 3 == Money.of("4.50", "EUR")
    assert 2 * a == Money.of("3.00", "EUR")
    assert not Money.zero("EUR")
    assert bool(a)


def test_currency_mismatch():
    eur, usd = Money.of("1", "EUR"), Money.of("1", "USD")
    assert Money.zero("USD") != Money.zero("EUR")
    for op in (lambda: eur + usd, lambda: eur - usd, lambda: eur < usd, lambda: sum([eur, usd])):
        with pytest.raises(CurrencyMismatchError) as info:
            op()
        assert isinstance(info.value, TypeError)
    with pytest.raises(CurrencyMismatchError):
        eur + 1


def test_no_implicit_rounding():
    m = Money.of("10.00", "EUR")
    with pytest.raises(TypeError, match="multiply"):
        m * Decimal("0.5")
    with pytest.raises(TypeError, match="multiply"):
        m * 0.5
    with pytest.raises(TypeError, match="divide"):
        m / 2
    with pytest.raises(TypeError):
        m.multiply(Decimal("0.5"))


def test_multiply_and_divide():
    m = Money.of("10.00", "EUR")
    assert m.multiply(Decimal("0.19"), rounding=RoundingMode.HALF_UP) == Money.of("1.90", "EUR")
    assert Money.of("0.05", "EUR").multiply(
        Decimal("0.5"), rounding=RoundingMode.HALF_EVEN
    ) == Money.of("0.02", "EUR")
    assert m.divide(3, rounding=RoundingMode.HALF_UP) == Money.of("3.33", "EUR")
    assert m.divide(Decimal("0.3"), rounding=RoundingMode.DOWN) == Money.of("33.33", "EUR")
    with pytest.raises(InvalidAmountError, match="zero"):
        m.divide(0, rounding=RoundingMode.HALF_UP)
    with pytest.raises(InvalidAmountError, match="float"):
        m.multiply(0.19, rounding=RoundingMode.HALF_UP)
    with pytest.raises(InvalidAmountError, match="finite"):
        m.multiply(Decimal("NaN"), rounding=RoundingMode.HALF_UP)
    with pytest.raises(InvalidAmountError, match="RoundingMode"):
        m.multiply(2, rounding="nearest")


@pytest.mark.parametrize(
    ("amount", "mode", "expected"),
    [
        ("2.5", RoundingMode.HALF_UP, 3),
        ("-2.5", RoundingMode.HALF_UP, -3),
        ("2.5", RoundingMode.HALF_DOWN, 2),
        ("-2.5", RoundingMode.HALF_DOWN, -2),
        ("2.5", RoundingMode.HALF_EVEN, 2),
        ("3.5", RoundingMode.HALF_EVEN, 4),
        ("2.1", RoundingMode.UP, 3),
        ("-2.1", RoundingMode.UP, -3),
        ("2.9", RoundingMode.DOWN, 2),
        ("-2.9", RoundingMode.DOWN, -2),
        ("-2.1", RoundingMode.CEILING, -2),
        ("-2.1", RoundingMode.FLOOR, -3),
    ],
)
def test_rounding_modes_match_decimal(amount, mode, expected):
    assert Money.of(amount, "JPY", rounding=mode).minor == expected


@given(
    st.decimals(
        allow_nan=False, allow_infinity=False, places=6, min_value=-(10**12), max_value=10**12
    ),
    st.sampled_from(list(RoundingMode)),
)
def test_rounding_agrees_with_decimal_quantize(value, mode):
    import decimal

    modes = {
        RoundingMode.HALF_UP: decimal.ROUND_HALF_UP,
        RoundingMode.HALF_EVEN: decimal.ROUND_HALF_EVEN,
        RoundingMode.HALF_DOWN: decimal.ROUND_HALF_DOWN,
        RoundingMode.UP: decimal.ROUND_UP,
        RoundingMode.DOWN: decimal.ROUND_DOWN,
        RoundingMode.CEILING: decimal.ROUND_CEILING,
        RoundingMode.FLOOR: decimal.ROUND_FLOOR,
    }
    expected = value.quantize(Decimal("0.01"), rounding=modes[mode])
    assert Money.of(value, "EUR", rounding=mode).amount == expected


def test_immutable_hashable_picklable():
    m = Money.of("1.00", "EUR")
    with pytest.raises(AttributeError):
        m._minor = 5
    with pytest.raises(TypeError, match=r"Money\.of"):
        Money(1, "EUR")
    assert len({m, Money.from_minor(100, "EUR"), Money.from_minor(100, "USD")}) == 2
    assert pickle.loads(pickle.dumps(m)) == m
    assert repr(m) == "Money('1.00', 'EUR')"
    assert str(m) == "1.00 EUR"


def test_round_to_cash():
    assert Money.of("10.03", "CHF").round_to_cash() == Money.of("10.05", "CHF")
    assert Money.of("10.024", "CHF", rounding="half_up").round_to_cash() == Money.of("10.00", "CHF")
    assert Money.of("10.25", "DKK").round_to_cash() == Money.of("10.50", "DKK")
    assert Money.of("10.49", "SEK").round_to_cash() == Money.of("10", "SEK")
    assert Money.of("-10.03", "CHF").round_to_cash() == Money.of("-10.05", "CHF")
    assert Money.of("10.03", "EUR").round_to_cash() == Money.of("10.03", "EUR")
    assert Money.of("10.03", "CHF").round_to_cash(rounding=RoundingMode.DOWN) == Money.of(
        "10.00", "CHF"
    )


class Order(BaseModel):
    total: Money


def test_pydantic_round_trip_and_schema():
    order = Order(total=Money.of("12.34", "EUR"))
    assert order.model_dump_json() == '{"total":{"amount":"12.34","currency":"EUR"}}'
    assert Order.model_validate_json(order.model_dump_json()) == order
    assert Order.model_validate(order.model_dump()) == order
    assert Order.model_validate({"total": {"amount": "5", "currency": "jpy"}}).total.minor == 5
    schema = Order.model_json_schema()
    money_schema = schema["properties"]["total"]
    assert money_schema["required"] == ["amount", "currency"]
    assert money_schema["properties"]["amount"]["type"] == "string"


@pytest.mark.parametrize(
    "payload",
    [
        '{"total": {"amount": 12.34, "currency": "EUR"}}',
        '{"total": {"amount": "12.345", "currency": "EUR"}}',
        '{"total": {"amount": "12", "currency": "XXX1"}}',
        '{"total": {"amount": "12"}}',
        '{"total": "12 EUR"}',
        '{"total": null}',
    ],
)
def test_pydantic_rejects_junk(payload):
    with pytest.raises(ValidationError):
        Order.model_validate_json(payload)


def test_moneyed_interop():
    import moneyed

    m = Money.of("12.34", "EUR")
    theirs = m.to_moneyed()
    assert theirs == moneyed.Money(Decimal("12.34"), "EUR")
    assert Money.from_moneyed(theirs) == m
    with pytest.raises(PrecisionError):
        Money.from_moneyed(moneyed.Money(Decimal("1.005"), "EUR"))
    assert Money.from_moneyed(
        moneyed.Money(Decimal("1.005"), "EUR"), rounding=RoundingMode.HALF_UP
    ) == Money.of("1.01", "EUR")
    with pytest.raises(InvalidCodeError, match="py-moneyed"):
        Money.of("1", "XCG").to_moneyed()
    with pytest.raises(InvalidAmountError):
        Money.from_moneyed("12 EUR")


@given(money(), money())
def test_addition_commutes_when_in_range(a, b):
    if a.currency != b.currency:
        return
    try:
        total = a + b
    except AmountOutOfRangeError:
        assert not INT64_MIN <= a.minor + b.minor <= INT64_MAX
    else:
        assert total == b + a
        assert total - b == a


@given(money(min_minor=-(10**15), max_minor=10**15))
def test_amount_round_trips(m):
    assert Money.of(m.amount, m.currency) == m
    assert Money.of(str(m.amount), m.currency) == m
    assert Money.from_minor(m.minor, m.currency) == m


def test_amount_ignores_the_callers_decimal_context():
    from decimal import Inexact, localcontext

    m = Money.of("123456.78", "EUR")
    with localcontext() as ctx:
        ctx.prec = 5
        ctx.traps[Inexact] = True
        assert str(m.amount) == "123456.78"
        assert BaseModel.__name__  # unrelated: keep the context active across a dump
        assert (
            Order(total=m).model_dump_json() == '{"total":{"amount":"123456.78","currency":"EUR"}}'
        )


def test_decimal_zeros_and_trailing_zeros_are_exact():
    assert Money.of(Decimal("0E-100"), "EUR") == Money.zero("EUR")
    assert Money.of(Decimal("0E+100"), "EUR") == Money.zero("EUR")
    assert Money.of(Decimal("1." + "0" * 41), "EUR") == Money.of("1", "EUR")
    assert Money.of(Decimal("-0.00"), "EUR") == Money.zero("EUR")


def test_signalling_nan_and_junk_rounding_are_typed_errors():
    m = Money.of("1.00", "EUR")
    with pytest.raises(InvalidAmountError):
        m.multiply(Decimal("sNaN"), rounding=RoundingMode.HALF_UP)
    with pytest.raises(InvalidAmountError):
        Money.of(Decimal("sNaN"), "EUR")
    with pytest.raises(InvalidAmountError, match="RoundingMode"):
        Money.of("1.00", "EUR", rounding="junk")
    with pytest.raises(InvalidAmountError, match=r"Decimal\('1\.5'\)"):
        m.multiply(1.5, rounding=RoundingMode.HALF_UP)


def test_currency_table_loads_once_under_threads():
    import threading

    from crossborder.money import _currency

    _currency._exponents.clear()
    _currency._table.clear()
    errors = []

    def work():
        try:
            Money.of("1.00", "EUR")
            _currency.get_currency("JPY")
        except Exception as exc:  # pragma: no cover - the failure being tested for
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
