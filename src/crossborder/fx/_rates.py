from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict

from crossborder._checks import check_date
from crossborder.errors import InvalidAmountError, RateUnavailableError
from crossborder.explain._model import Explainer, Explanation
from crossborder.money._currency import normalise_code
from crossborder.money._money import Money, _ratio
from crossborder.money._rounding import RoundingMode, round_div


@runtime_checkable
class RateProvider(Protocol):
    """A source of exchange-rate fixings.

    ``fixing`` returns the rate of one ``base`` in ``quote`` fixed on
    ``day`` exactly, or ``None`` when the source has no fixing for that
    pair on that day. Deriving inverse and cross rates, and choosing a
    fixing for a day without one, is done by :func:`get_rate`, so every
    provider behaves the same way.
    """

    @property
    def name(self) -> str:
        """Short name of the source, recorded in every quote."""
        ...

    def fixing(self, base: str, quote: str, day: _dt.date) -> Decimal | None:
        """The direct fixing for ``base``/``quote`` on ``day``, or ``None``."""
        ...


class FixedRates:
    """Rates you supply: for tests, and for users with their own rates.

    Each entry is ``(base, quote, day, rate)``; ``day=None`` makes the rate
    valid on every date. Rates are ``Decimal`` or ``str``; floats are refused.

    >>> rates = FixedRates([("EUR", "USD", None, "1.0850")])
    >>> rates.fixing("EUR", "USD", _dt.date(2026, 1, 5))
    Decimal('1.0850')
    """

    def __init__(
        self,
        entries: Iterable[tuple[str, str, _dt.date | None, Decimal | str]],
        *,
        name: str = "fixed table",
    ) -> None:
        self._name = name
        self._dated: dict[tuple[str, str, _dt.date], Decimal] = {}
        self._undated: dict[tuple[str, str], Decimal] = {}
        for base, quote, day, rate in entries:
            pair = (normalise_code(base), normalise_code(quote))
            value = _rate(rate)
            if day is None:
                self._undated[pair] = value
            else:
                self._dated[(*pair, check_date(day, name="day"))] = value

    @classmethod
    def from_mapping(
        cls, rates: Mapping[str, Decimal | str], *, name: str = "fixed table"
    ) -> FixedRates:
        """From ``{"EUR/USD": "1.085"}``: undated rates."""
        entries = []
        for pair, rate in rates.items():
            base, sep, quote = pair.partition("/")
            if not sep:
                raise InvalidAmountError(f"rate keys look like 'EUR/USD', got {pair!r}")
            entries.append((base, quote, None, rate))
        return cls(entries, name=name)

    @property
    def name(self) -> str:
        return self._name

    def fixing(self, base: str, quote: str, day: _dt.date) -> Decimal | None:
        return self._dated.get((base, quote, day), self._undated.get((base, quote)))


def _rate(value: object) -> Decimal:
    if isinstance(value, str):
        try:
            value = Decimal(value.strip())
        except ArithmeticError:
            raise InvalidAmountError(f"rate {value!r} is not a number", rate=value) from None
    if isinstance(value, float) or not isinstance(value, Decimal):
        raise InvalidAmountError(
            f"rates must be Decimal or str, got {type(value).__name__} {value!r}"
            + ("; floats cannot hold decimal rates exactly" if isinstance(value, float) else ""),
            rate=value,
        )
    if not value.is_finite() or value <= 0:
        raise InvalidAmountError(
            f"a rate must be a positive finite number, got {value}", rate=value
        )
    return value


class RateQuote(BaseModel):
    """An exchange rate and where it came from.

    Attributes:
        base: the currency converted from.
        quote: the currency converted to (``1 base = rate quote``).
        rate: the rate (an inverse rate is shown to 28 significant digits).
        fixing: the published number the rate comes from (``rate`` itself, or
            the fixing it is the inverse of); conversions use it exactly.
        as_of: the date asked for.
        fixing_date: the date of the fixing used.
        source: the provider's name.
        derivation: ``identity``, ``direct``, ``inverse`` (1 / quote-base fixing).
    """

    model_config = ConfigDict(frozen=True)

    base: str
    quote: str
    rate: Decimal
    fixing: Decimal
    as_of: _dt.date
    fixing_date: _dt.date
    source: str
    derivation: Literal["identity", "direct", "inverse"]


def get_rate(
    base: str,
    quote: str,
    *,
    as_of: _dt.date,
    provider: RateProvider | None,
) -> RateQuote:
    """The rate of ``base`` in ``quote`` fixed on ``as_of``, direct or inverted.

    >>> rates = FixedRates([("EUR", "USD", None, "1.25")])
    >>> get_rate("USD", "EUR", as_of=_dt.date(2026, 1, 5), provider=rates).rate
    Decimal('0.8')
    """
    as_of = check_date(as_of)
    base, quote = normalise_code(base), normalise_code(quote)
    if base == quote:
        return RateQuote(
            base=base,
            quote=quote,
            rate=Decimal(1),
            fixing=Decimal(1),
            as_of=as_of,
            fixing_date=as_of,
            source="identity",
            derivation="identity",
        )
    if provider is None:
        raise RateUnavailableError(
            f"converting {base} to {quote} needs a rate provider: pass rates=",
            base=base,
            quote=quote,
            as_of=as_of,
        )
    direct = provider.fixing(base, quote, as_of)
    if direct is not None:
        return RateQuote(
            base=base,
            quote=quote,
            rate=direct,
            fixing=direct,
            as_of=as_of,
            fixing_date=as_of,
            source=provider.name,
            derivation="direct",
        )
    inverse = provider.fixing(quote, base, as_of)
    if inverse is not None:
        return RateQuote(
            base=base,
            quote=quote,
            rate=Decimal(1) / inverse,
            fixing=inverse,
            as_of=as_of,
            fixing_date=as_of,
            source=provider.name,
            derivation="inverse",
        )
    raise RateUnavailableError(
        f"{provider.name} has no {base}/{quote} rate for {as_of}",
        base=base,
        quote=quote,
        as_of=as_of,
    )


class Conversion(BaseModel):
    """A converted amount, the rate used and the explanation."""

    model_config = ConfigDict(frozen=True)

    original: Money
    converted: Money
    quote: RateQuote
    rounding: RoundingMode
    explanation: Explanation


def convert(
    money: Money,
    to: str,
    *,
    as_of: _dt.date,
    rates: RateProvider | None = None,
    rounding: RoundingMode = RoundingMode.HALF_UP,
) -> Conversion:
    """Convert ``money`` into ``to`` at the provider's rate for ``as_of``, rounded once.

    >>> rates = FixedRates([("EUR", "USD", None, "1.0850")])
    >>> convert(Money.of("100.00", "EUR"), "USD", as_of=_dt.date(2026, 1, 5), rates=rates).converted
    Money('108.50', 'USD')
    """
    if not isinstance(money, Money):
        raise InvalidAmountError(f"money must be Money, got {type(money).__name__} {money!r}")
    target = normalise_code(to)
    quote = get_rate(money.currency, target, as_of=as_of, provider=rates)
    from crossborder.money._currency import exponent_of

    shift = exponent_of(target) - exponent_of(money.currency)
    num, den = _ratio(quote.fixing, what="rate")
    if quote.derivation == "inverse":
        num, den = den, num
    num *= money.minor * (10**shift if shift > 0 else 1)
    den *= 10**-shift if shift < 0 else 1
    converted = Money.from_minor(round_div(num, den, rounding), target)
    from crossborder.rules._book import RuleBook

    ex = Explainer(data_version=RuleBook.packaged().data_version)
    ex.step(
        "convert",
        amount=money,
        rate=f"1 {quote.base} = {quote.rate} {quote.quote}"
        if quote.derivation != "inverse"
        else f"1 / {quote.fixing} ({quote.quote}/{quote.base} fixing)",
        fixing_date=quote.fixing_date,
        source=f"{quote.source} ({quote.derivation})",
        rounding=rounding.name,
        output=converted,
    )
    return Conversion(
        original=money, converted=converted, quote=quote, rounding=rounding, explanation=ex.done()
    )
