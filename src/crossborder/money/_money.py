from __future__ import annotations

import re
from decimal import Context, Decimal
from typing import TYPE_CHECKING, Any, NoReturn

from crossborder.errors import (
    AmountOutOfRangeError,
    CurrencyMismatchError,
    InvalidAmountError,
    PrecisionError,
)
from crossborder.money._currency import (
    _exponents,
    exponent_of,
    load_table,
    normalise_code,
)
from crossborder.money._rounding import RoundingMode, round_div

if TYPE_CHECKING:
    import moneyed
    from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
    from pydantic.json_schema import JsonSchemaValue
    from pydantic_core import CoreSchema

    from crossborder.money._currency_model import Currency

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
_NUMBER = re.compile(r"([+-]?)([0-9]+)(?:\.([0-9]+))?")
_RATIOS: dict[Decimal, tuple[int, int]] = {}
_TEXT: dict[tuple[int, str], str] = {}
_EXACT = Context(prec=60)  # int64 has 19 digits: never rounds, whatever the caller's context


class Money:
    """An exact amount of one currency: integer minor units and an ISO 4217 code.

    Build it with :meth:`of`, :meth:`from_minor` or :meth:`zero`. Amounts are
    never floats; arithmetic never mixes currencies; any rounding is named.

    >>> price = Money.of("12.34", "EUR")
    >>> price.minor, price.currency, price.amount
    (1234, 'EUR', Decimal('12.34'))
    >>> price + Money.of("0.66", "EUR")
    Money('13.00', 'EUR')
    >>> price.multiply(Decimal("0.19"), rounding=RoundingMode.HALF_UP)
    Money('2.34', 'EUR')
    >>> Money.of(0.1, "EUR")
    Traceback (most recent call last):
    ...
    crossborder.errors.InvalidAmountError: float amounts are not accepted...
    """

    __slots__ = ("_currency", "_minor")
    _minor: int
    _currency: str

    def __init__(self, *args: object, **kwargs: object) -> None:
        raise TypeError("build Money with Money.of(amount, currency), from_minor() or zero()")

    @classmethod
    def of(
        cls, amount: str | int | Decimal, currency: str, *, rounding: RoundingMode | None = None
    ) -> Money:
        """An amount in major units (``"12.34"``, ``12``, ``Decimal("12.34")``).

        Raises:
            InvalidAmountError: a float, NaN, infinity, ``None`` or text that is not a number.
            PrecisionError: more decimals than the currency has and no ``rounding``.
            AmountOutOfRangeError: beyond the signed 64-bit range of minor units.
            InvalidCodeError: an unknown currency code.
        """
        exponent = _exponents.get(currency) if type(currency) is str else None
        if exponent is None:
            code = normalise_code(currency)
            exponent = exponent_of(code)
        else:
            code = currency
        if rounding is not None and rounding.__class__ is not RoundingMode:
            rounding = _check_mode(rounding)
        negative, coefficient, scale = _parse(amount)
        shift = exponent - scale
        if shift >= 0:
            minor = coefficient * 10**shift
        else:
            divisor = 10**-shift
            if coefficient % divisor:
                if rounding is None:
                    raise PrecisionError(
                        f"{code} has {exponent} decimal place(s); {amount!s} has more: "
                        "pass rounding=RoundingMode.HALF_UP (or another mode) to round it",
                        amount=amount,
                        currency=code,
                    )
                mode = _check_mode(rounding)
                minor = round_div(-coefficient if negative else coefficient, divisor, mode)
                return _new(minor, code)
            minor = coefficient // divisor
        return _new(-minor if negative else minor, code)

    @classmethod
    def from_minor(cls, minor: int, currency: str) -> Money:
        """An amount in minor units: ``Money.from_minor(1234, "EUR")`` is EUR 12.34."""
        if type(minor) is not int:
            if isinstance(minor, int) and not isinstance(minor, bool):
                minor = int(minor)
            else:
                _reject(minor, what="minor units", expected="an int")
        code = normalise_code(currency)
        exponent_of(code)
        return _new(minor, code)

    @classmethod
    def zero(cls, currency: str) -> Money:
        """Zero of ``currency``."""
        return cls.from_minor(0, currency)

    @property
    def minor(self) -> int:
        """The amount in minor units (cents for EUR, yen for JPY, fils for KWD)."""
        return self._minor

    @property
    def currency(self) -> str:
        """The ISO 4217 code."""
        return self._currency

    @property
    def currency_info(self) -> Currency:
        """The currency's table entry (name, exponent, cash increment, validity)."""
        return load_table()[self._currency]

    @property
    def amount(self) -> Decimal:
        """The amount in major units, at the currency's exponent: ``Decimal('12.34')``."""
        return Decimal(self._minor).scaleb(-exponent_of(self._currency), context=_EXACT)

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError("Money is immutable")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError("Money is immutable")

    def __reduce__(self) -> tuple[Any, ...]:
        return (Money.from_minor, (self._minor, self._currency))

    def __repr__(self) -> str:
        return f"Money('{self.amount}', '{self._currency}')"

    def __str__(self) -> str:
        key = (self._minor, self._currency)
        text = _TEXT.get(key)
        if text is None:
            exponent = _exponents.get(self._currency) or 0
            if not exponent:
                text = f"{self._minor} {self._currency}"
            else:
                whole, frac = divmod(abs(self._minor), 10**exponent)
                sign = "-" if self._minor < 0 else ""
                text = f"{sign}{whole}.{frac:0{exponent}d} {self._currency}"
            if len(_TEXT) > 50_000:  # explanations render the same amounts again and again
                _TEXT.clear()
            _TEXT[key] = text
        return text

    def __hash__(self) -> int:
        return hash((self._minor, self._currency))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Money):
            return self._minor == other._minor and self._currency == other._currency
        return NotImplemented

    def _same(self, other: object, op: str) -> int:
        if not isinstance(other, Money):
            raise CurrencyMismatchError(
                f"cannot {op} Money and {type(other).__name__} {other!r}; "
                f"use Money.of(..., '{self._currency}')",
                currency=self._currency,
            )
        if other._currency != self._currency:
            raise CurrencyMismatchError(
                f"cannot {op} {self._currency} and {other._currency}; convert one first "
                "(crossborder.fx) so the conversion is explicit",
                currency=self._currency,
                other=other._currency,
            )
        return other._minor

    def __lt__(self, other: Money) -> bool:
        return self._minor < self._same(other, "compare")

    def __le__(self, other: Money) -> bool:
        return self._minor <= self._same(other, "compare")

    def __gt__(self, other: Money) -> bool:
        return self._minor > self._same(other, "compare")

    def __ge__(self, other: Money) -> bool:
        return self._minor >= self._same(other, "compare")

    def __add__(self, other: Money) -> Money:
        if other.__class__ is Money and other._currency == self._currency:
            return _new(self._minor + other._minor, self._currency)
        return _new(self._minor + self._same(other, "add"), self._currency)

    def __radd__(self, other: object) -> Money:
        if type(other) is int and other == 0:  # sum() starts from 0
            return self
        return _new(self._minor + self._same(other, "add"), self._currency)

    def __sub__(self, other: Money) -> Money:
        if other.__class__ is Money and other._currency == self._currency:
            return _new(self._minor - other._minor, self._currency)
        return _new(self._minor - self._same(other, "subtract"), self._currency)

    def __neg__(self) -> Money:
        return _new(-self._minor, self._currency)

    def __pos__(self) -> Money:
        return self

    def __abs__(self) -> Money:
        return _new(abs(self._minor), self._currency)

    def __bool__(self) -> bool:
        return self._minor != 0

    def __mul__(self, factor: int) -> Money:
        if type(factor) is int:
            return _new(self._minor * factor, self._currency)
        raise TypeError(
            f"Money * {type(factor).__name__} is not exact in general; use "
            "money.multiply(factor, rounding=RoundingMode.HALF_UP) (ints multiply exactly)"
        )

    __rmul__ = __mul__

    def __truediv__(self, other: object) -> NoReturn:
        raise TypeError("use money.divide(divisor, rounding=...) or split(money, n)")

    def multiply(self, factor: int | Decimal, *, rounding: RoundingMode) -> Money:
        """``self * factor``, rounded once to the currency's exponent with ``rounding``.

        >>> Money.of("10.00", "EUR").multiply(Decimal("0.075"), rounding=RoundingMode.HALF_EVEN)
        Money('0.75', 'EUR')
        """
        num, den = _ratio(factor, what="factor")
        mode = rounding if rounding.__class__ is RoundingMode else _check_mode(rounding)
        return _new(round_div(self._minor * num, den, mode), self._currency)

    def divide(self, divisor: int | Decimal, *, rounding: RoundingMode) -> Money:
        """``self / divisor``, rounded once with ``rounding``; see :func:`split` to share out."""
        num, den = _ratio(divisor, what="divisor")
        if num == 0:
            raise InvalidAmountError("cannot divide Money by zero", currency=self._currency)
        return _new(round_div(self._minor * den, num, _check_mode(rounding)), self._currency)

    def round_to_cash(self, *, rounding: RoundingMode = RoundingMode.HALF_UP) -> Money:
        """Round to the currency's cash increment (CHF 0.05, DKK 0.50, whole SEK).

        >>> Money.of("10.03", "CHF").round_to_cash()
        Money('10.05', 'CHF')
        >>> Money.of("10.02", "CHF").round_to_cash()
        Money('10.00', 'CHF')
        """
        step = self.currency_info.cash_increment
        units = round_div(self._minor, step, _check_mode(rounding))
        return _new(units * step, self._currency)

    def to_moneyed(self) -> moneyed.Money:
        """The same amount as a py-moneyed ``Money`` (exact ``Decimal`` amount)."""
        import moneyed

        try:
            currency = moneyed.get_currency(self._currency)
        except moneyed.CurrencyDoesNotExist:
            from crossborder.errors import InvalidCodeError

            raise InvalidCodeError(
                f"py-moneyed does not know {self._currency}", code=self._currency
            ) from None
        return moneyed.Money(self.amount, currency)

    @classmethod
    def from_moneyed(cls, value: moneyed.Money, *, rounding: RoundingMode | None = None) -> Money:
        """Our Money from a py-moneyed ``Money``; extra decimals need ``rounding``."""
        import moneyed

        if not isinstance(value, moneyed.Money):
            raise InvalidAmountError(
                f"expected a moneyed.Money, got {type(value).__name__}", value=value
            )
        return cls.of(value.amount, value.currency.code, rounding=rounding)

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        from pydantic_core import core_schema

        return core_schema.no_info_plain_validator_function(
            _validate,
            serialization=core_schema.plain_serializer_function_ser_schema(
                _serialise, when_used="json"
            ),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "title": "Money",
            "description": "An exact amount: decimal string at the currency's exponent.",
            "type": "object",
            "properties": {
                "amount": {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$"},
                "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
            },
            "required": ["amount", "currency"],
            "additionalProperties": False,
        }


_new_object = object.__new__
_set_minor = vars(Money)["_minor"].__set__  # the slot descriptors, bypassing __setattr__
_set_currency = vars(Money)["_currency"].__set__


def _new(minor: int, currency: str) -> Money:
    """The one place a Money is built: range-checked, then frozen."""
    if not INT64_MIN <= minor <= INT64_MAX:
        raise AmountOutOfRangeError(
            f"{minor} minor units of {currency} is outside the signed 64-bit range "
            f"[{INT64_MIN}, {INT64_MAX}] that batch engines can hold",
            minor=minor,
            currency=currency,
        )
    self: Money = _new_object(Money)
    _set_minor(self, minor)
    _set_currency(self, currency)
    return self


def _validate(value: object) -> Money:
    if isinstance(value, Money):
        return value
    if isinstance(value, dict) and set(value) == {"amount", "currency"}:
        return Money.of(value["amount"], value["currency"])
    raise InvalidAmountError(
        f'expected Money or {{"amount": "12.34", "currency": "EUR"}}, got {value!r}'
    )


def _serialise(value: Money) -> dict[str, str]:
    return {"amount": str(value.amount), "currency": value.currency}


def _check_mode(rounding: object) -> RoundingMode:
    if isinstance(rounding, RoundingMode):
        return rounding
    try:
        return RoundingMode(rounding)  # type: ignore[arg-type]
    except ValueError:
        names = ", ".join(m.name for m in RoundingMode)
        raise InvalidAmountError(
            f"rounding must be a RoundingMode ({names}), got {rounding!r}", rounding=rounding
        ) from None


def _reject(value: object, *, what: str, expected: str) -> NoReturn:
    if isinstance(value, float):
        if "str" in expected:
            example = f"'{value}'"
        elif "Decimal" in expected:
            example = f"Decimal('{value}')"
        else:
            example = "a whole number"
        raise InvalidAmountError(
            f"float {what} are not accepted: {value!r} is binary floating point and cannot "
            f"hold decimal amounts exactly; pass {expected}, e.g. {example}",
            value=value,
        )
    raise InvalidAmountError(f"{what} must be {expected}, got {type(value).__name__} {value!r}")


def _parse(amount: object) -> tuple[bool, int, int]:
    """(negative, coefficient, decimals) of an exact amount; raises on junk."""
    if type(amount) is str:
        lead = amount[:1]
        whole, dot, frac = (amount[1:] if lead in "+-" else amount).partition(".")
        if (
            whole.isdigit()
            and whole.isascii()
            and (not dot or (frac.isdigit() and frac.isascii()))
            and len(amount) <= 80
        ):
            coefficient = int(whole + frac)
            return lead == "-" and coefficient != 0, coefficient, len(frac)
        match = _NUMBER.fullmatch(amount.strip()) if len(amount) <= 80 else None
        if match is None:
            raise InvalidAmountError(_bad_text(amount), amount=amount)
        sign, whole, frac = match.groups()
        frac = frac or ""
        coefficient = int(whole + frac)
        return sign == "-" and coefficient != 0, coefficient, len(frac)
    if isinstance(amount, Decimal):
        if not amount.is_finite():
            raise InvalidAmountError(f"amount must be finite, got {amount!r}", amount=amount)
        sign, digits, exp = amount.as_tuple()
        assert isinstance(exp, int)
        if not any(digits):
            return False, 0, 0
        if len(digits) <= 80:
            while exp < 0 and digits[-1] == 0:  # trailing zeros after the point are exact
                digits, exp = digits[:-1], exp + 1
        if len(digits) + exp > 40 or exp < -40:
            raise AmountOutOfRangeError(
                f"{amount} has too many digits for an amount (at most 40 either side of the point)",
                amount=amount,
            )
        coefficient = int("".join(map(str, digits)))
        if exp >= 0:
            return bool(sign) and coefficient != 0, coefficient * 10**exp, 0
        return bool(sign) and coefficient != 0, coefficient, -exp
    if isinstance(amount, int) and not isinstance(amount, bool):
        return amount < 0, abs(int(amount)), 0
    _reject(amount, what="amounts", expected="a str, int or Decimal")


def _bad_text(text: str) -> str:
    stripped = text.strip()
    if not stripped:
        return "amount is an empty string; pass a number such as '12.34'"
    if len(stripped) > 80:
        return f"amount text of {len(stripped)} characters is far too long to be an amount"
    if "," in stripped:
        return (
            f"amount {text!r} looks like a localised number; use a dot for decimals and no "
            "thousands separator, e.g. '1234.5'"
        )
    if any(ch.isalpha() or not ch.isascii() for ch in stripped.replace("e", "")):
        return f"amount {text!r} is not a plain number; leave out currency symbols and codes"
    return f"amount {text!r} is not a plain decimal number such as '12.34' or '-5'"


def _ratio(value: object, *, what: str) -> tuple[int, int]:
    if value.__class__ is Decimal and value.is_finite():  # sNaN cannot even be hashed
        cached = _RATIOS.get(value)
        if cached is not None:
            return cached
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise InvalidAmountError(f"{what} must be finite, got {value!r}", value=value)
        _sign, digits, exp = value.as_tuple()
        assert isinstance(exp, int)
        if abs(len(digits) + exp) > 60:
            raise AmountOutOfRangeError(f"{what} {value} is out of range", value=value)
        ratio = value.as_integer_ratio()
        if len(_RATIOS) < 4096:  # rates repeat: VAT rates, FX rates of the day
            _RATIOS[value] = ratio
        return ratio
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value), 1
    _reject(value, what=f"{what}s", expected="an int or a Decimal")
