from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Iterable, Mapping
from decimal import Context, Decimal
from typing import Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict

from crossborder._checks import check_date
from crossborder.errors import CrossborderError, InvalidAmountError, RateUnavailableError
from crossborder.explain._model import Explainer, Explanation, construct
from crossborder.money._currency import exponent_of, normalise_code
from crossborder.money._money import Money, _check_mode, _new
from crossborder.money._rounding import RoundingMode, round_div

_EXACT = Context(prec=28)
Derivation = Literal["identity", "direct", "inverse", "cross"]


@runtime_checkable
class RateProvider(Protocol):
    """A source of exchange-rate fixings.

    ``fixing`` returns the rate of one ``base`` in ``quote`` fixed on
    ``day`` exactly (a ``Decimal``), or ``None`` when the source has no
    fixing for that pair on that day. Deriving inverse and cross rates is
    done by :func:`get_rate`, so every provider behaves the same way. A day
    without a fixing (a weekend) has no rate: pass the rate of the day you
    mean, or a provider that maps each day to its applicable rate (customs
    rates apply for a whole month).
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
    """An exchange rate, exactly, and where it came from.

    Attributes:
        base: the currency converted from.
        quote: the currency converted to (``1 base = rate quote``).
        rate: the rate as a decimal (inverse and cross rates to 28 significant digits).
        ratio: the exact rate as a fraction ``(numerator, denominator)``;
            conversions use it, so no intermediate rounding ever happens.
        as_of: the date asked for.
        fixing_date: the date of the fixing(s) used.
        source: the provider's name.
        derivation: ``identity``, ``direct``, ``inverse`` (1 / the quote-base
            fixing) or ``cross`` (through the pivot currency).
        legs: the fixings used, e.g. ``("EUR/USD 1.0850", "EUR/JPY 160.50")``.
    """

    model_config = ConfigDict(frozen=True)

    base: str
    quote: str
    rate: Decimal
    ratio: tuple[int, int]
    as_of: _dt.date
    fixing_date: _dt.date
    source: str
    derivation: Derivation
    legs: tuple[str, ...] = ()


def _fixing(provider: RateProvider, base: str, quote: str, day: _dt.date) -> Decimal | None:
    """A provider's fixing, checked: a float, zero, NaN or a failing provider is a typed error."""
    try:
        found = provider.fixing(base, quote, day)
    except CrossborderError:
        raise
    except Exception as exc:
        raise RateUnavailableError(
            f"{getattr(provider, 'name', 'the rate provider')} failed for {base}/{quote} on "
            f"{day}: {exc}",
            base=base,
            quote=quote,
            as_of=day,
        ) from exc
    return None if found is None else _rate(found)


def _leg(
    provider: RateProvider, base: str, quote: str, day: _dt.date
) -> tuple[int, int, str] | None:
    """(numerator, denominator, description) of base/quote from a direct or inverse fixing."""
    direct = _fixing(provider, base, quote, day)
    if direct is not None:
        num, den = direct.as_integer_ratio()
        return num, den, f"{base}/{quote} {direct}"
    inverse = _fixing(provider, quote, base, day)
    if inverse is not None:
        num, den = inverse.as_integer_ratio()
        return den, num, f"1 / {quote}/{base} {inverse}"
    return None


def get_rate(
    base: str,
    quote: str,
    *,
    as_of: _dt.date,
    provider: RateProvider | None,
    pivot: str = "EUR",
) -> RateQuote:
    """The rate of ``base`` in ``quote`` fixed on ``as_of``: direct, inverted, or cross.

    A cross rate goes through ``pivot`` (EUR, the ECB's base) and is the
    exact product of its two legs.

    >>> rates = FixedRates([("EUR", "USD", None, "1.25"), ("EUR", "JPY", None, "160")])
    >>> get_rate("USD", "EUR", as_of=_dt.date(2026, 1, 5), provider=rates).rate
    Decimal('0.8')
    >>> q = get_rate("USD", "JPY", as_of=_dt.date(2026, 1, 5), provider=rates)
    >>> q.rate, q.derivation, q.legs
    (Decimal('128'), 'cross', ('1 / EUR/USD 1.25', 'EUR/JPY 160'))
    """
    as_of = check_date(as_of)
    base, quote, pivot = normalise_code(base), normalise_code(quote), normalise_code(pivot)

    def made(
        num: int, den: int, derivation: Derivation, legs: tuple[str, ...], source: str
    ) -> RateQuote:
        g = math.gcd(num, den)
        num, den = num // g, den // g
        rate = _EXACT.divide(Decimal(num), Decimal(den))
        return construct(  # every field is built and checked here: no re-validation
            RateQuote,
            base=base,
            quote=quote,
            rate=rate.normalize(_EXACT),
            ratio=(num, den),
            as_of=as_of,
            fixing_date=as_of,
            source=source,
            derivation=derivation,
            legs=legs,
        )

    if base == quote:
        return made(1, 1, "identity", (), "identity")
    if provider is None:
        raise RateUnavailableError(
            f"converting {base} to {quote} needs a rate provider: pass rates=",
            base=base,
            quote=quote,
            as_of=as_of,
        )
    leg = _leg(provider, base, quote, as_of)
    if leg is not None:
        return made(
            leg[0],
            leg[1],
            "inverse" if leg[2].startswith("1 /") else "direct",
            (leg[2],),
            provider.name,
        )
    if pivot not in (base, quote):
        first, second = _leg(provider, base, pivot, as_of), _leg(provider, pivot, quote, as_of)
        if first is not None and second is not None:
            return made(
                first[0] * second[0],
                first[1] * second[1],
                "cross",
                (first[2], second[2]),
                provider.name,
            )
    raise RateUnavailableError(
        f"{provider.name} has no {base}/{quote} rate for {as_of} (direct, inverse or via {pivot})",
        base=base,
        quote=quote,
        as_of=as_of,
    )


def apply_rate(money: Money, quote: RateQuote, *, rounding: RoundingMode) -> Money:
    """``money`` times the quote's exact rate, in the quote currency, rounded once."""
    num, den = minor_ratio(quote)
    return _new(round_div(money.minor * num, den, rounding), quote.quote)


def minor_ratio(quote: RateQuote) -> tuple[int, int]:
    """The quote's exact rate as minor units of the quote currency per minor unit of the base.

    >>> rates = FixedRates([("EUR", "JPY", None, "160.5")])
    >>> minor_ratio(get_rate("EUR", "JPY", as_of=_dt.date(2026, 1, 5), provider=rates))
    (321, 200)
    """
    shift = exponent_of(quote.quote) - exponent_of(quote.base)
    num, den = quote.ratio
    return num * 10 ** max(shift, 0), den * 10 ** max(-shift, 0)


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
    converted = apply_rate(money, quote, rounding=_check_mode(rounding))
    from crossborder.rules._book import packaged_data_version

    ex = Explainer(data_version=packaged_data_version())
    ex.step(
        "convert",
        amount=money,
        rate=f"1 {quote.base} = {quote.rate} {quote.quote}",
        fixings="; ".join(quote.legs) or "same currency",
        fixing_date=quote.fixing_date,
        source=f"{quote.source} ({quote.derivation})",
        rounding=rounding.name,
        output=converted,
    )
    return Conversion(
        original=money, converted=converted, quote=quote, rounding=rounding, explanation=ex.done()
    )
