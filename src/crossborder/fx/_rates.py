from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Context, Decimal
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict

from crossborder._checks import check_date, check_path
from crossborder.errors import (
    CrossborderError,
    InputError,
    InvalidAmountError,
    RateUnavailableError,
)
from crossborder.explain._model import Explainer, Explanation, construct
from crossborder.money._currency import exponent_of, get_currency, normalise_code
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
        self._quotes: dict[tuple[object, ...], RateQuote] = {}  # see get_rate
        self._derived: dict[tuple[object, ...], object] = {}
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

    @classmethod
    def from_file(cls, path: str | Path, *, name: str | None = None) -> FixedRates:
        """From a CSV or Parquet table with columns ``base, quote, date, rate``.

        An empty ``date`` makes a rate valid every day. Rates are decimal text
        (or Parquet decimals); float columns, NaN and a pair given twice for the
        same day are refused.
        """
        path = check_path(path)
        if not path.is_file():
            raise InputError(f"no rates table at {path}")
        rows = _parquet_rows(path) if path.suffix == ".parquet" else _csv_rows(path)
        entries, seen = [], set()
        for number, row in enumerate(rows, 2):
            missing = {"base", "quote", "date", "rate"} - set(row)
            if missing:
                raise InputError(f"{path}: columns {sorted(missing)} are missing")
            day = row["date"]
            if isinstance(day, str):
                try:
                    day = _dt.date.fromisoformat(day.strip()) if day.strip() else None
                except ValueError:
                    raise InputError(f"{path}: row {number}: {day!r} is not a date") from None
            key = (str(row["base"]).strip().upper(), str(row["quote"]).strip().upper(), day)
            if key in seen:
                raise InputError(f"{path}: row {number}: {key[0]}/{key[1]} on {day} given twice")
            seen.add(key)
            rate = row["rate"]
            try:
                _rate(rate)
            except CrossborderError as exc:
                raise InvalidAmountError(f"{path}: row {number}: {exc}") from exc
            entries.append((key[0], key[1], day, rate))
        return cls(entries, name=name or path.name)

    @property
    def name(self) -> str:
        return self._name

    def fixing(self, base: str, quote: str, day: _dt.date) -> Decimal | None:
        return self._dated.get((base, quote, day), self._undated.get((base, quote)))


def _csv_rows(path: Path) -> list[dict[str, Any]]:
    import csv

    with path.open(newline="", encoding="utf-8-sig") as handle:
        return [{k.strip(): v for k, v in row.items() if k} for row in csv.DictReader(handle)]


def _parquet_rows(path: Path) -> list[dict[str, Any]]:
    from crossborder._columns import engines

    _, pa = engines("reading a Parquet rates table")
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except Exception as exc:  # pyarrow raises its own error types for a bad file
        raise InputError(f"{path}: not a readable Parquet file ({exc})") from exc
    if "rate" in table.column_names and pa.types.is_floating(table.schema.field("rate").type):
        raise InvalidAmountError(
            f"{path}: the rate column is floating point, which cannot hold decimal rates "
            "exactly; store rates as text or as a decimal type"
        )
    return table.to_pylist()  # type: ignore[no-any-return]


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


@dataclass(frozen=True)
class RatePolicy:
    """What :func:`get_rate` does on a day without a fixing (a weekend, a TARGET holiday).

    ``RatePolicy.exact()`` (the default) raises; ``RatePolicy.last_fixing(max_age_days=n)``
    uses the last fixing on or before the day, at most ``n`` days earlier, and the
    quote's ``fixing_date`` says which day that was.

    >>> RatePolicy.last_fixing(max_age_days=4)
    RatePolicy(max_age_days=4)
    """

    max_age_days: int = 0

    def __post_init__(self) -> None:
        days = self.max_age_days
        if type(days) is not int or not 0 <= days <= 366:
            raise InvalidAmountError(f"max_age_days must be an int from 0 to 366, got {days!r}")

    @classmethod
    def exact(cls) -> RatePolicy:
        """Only a fixing on the day itself."""
        return cls(0)

    @classmethod
    def last_fixing(cls, *, max_age_days: int = 5) -> RatePolicy:
        """The last fixing on or before the day, at most ``max_age_days`` before it."""
        return cls(max_age_days)


def get_rate(
    base: str,
    quote: str,
    *,
    as_of: _dt.date,
    provider: RateProvider | None,
    pivot: str = "EUR",
    policy: RatePolicy | None = None,
) -> RateQuote:
    """The rate of ``base`` in ``quote`` fixed on ``as_of``: direct, inverted, or cross.

    A cross rate goes through ``pivot`` (EUR, the ECB's base) and is the
    exact product of its two legs, both fixed on the same day. A currency not
    in use on the day (BGN from 2026, HRK from 2023) is refused with what
    replaced it.

    >>> rates = FixedRates([("EUR", "USD", None, "1.25"), ("EUR", "JPY", None, "160")])
    >>> get_rate("USD", "EUR", as_of=_dt.date(2026, 1, 5), provider=rates).rate
    Decimal('0.8')
    >>> q = get_rate("USD", "JPY", as_of=_dt.date(2026, 1, 5), provider=rates)
    >>> q.rate, q.derivation, q.legs
    (Decimal('128'), 'cross', ('1 / EUR/USD 1.25', 'EUR/JPY 160'))
    """
    as_of = check_date(as_of)
    base, quote, pivot = normalise_code(base), normalise_code(quote), normalise_code(pivot)
    policy = RatePolicy.exact() if policy is None else policy
    if not isinstance(policy, RatePolicy):
        raise InvalidAmountError(f"policy must be a RatePolicy, got {type(policy).__name__}")
    # the library's own providers never change once built: their quotes can be kept
    kept = getattr(provider, "_quotes", None)
    key = (base, quote, as_of, pivot, policy.max_age_days)
    if type(kept) is dict:
        hit = kept.get(key)
        if hit is not None:  # it passed every check when it was made
            return hit  # type: ignore[no-any-return]
    found, day = _rate_terms(base, quote, as_of, provider, pivot, policy)
    source = "identity" if found[2] == "identity" else getattr(provider, "name", "")
    made = _quote(base, quote, as_of, day, found, source)
    if type(kept) is dict and len(kept) < 200_000:
        kept[key] = made
    return made


def _rate_terms(
    base: str,
    quote: str,
    as_of: _dt.date,
    provider: RateProvider | None,
    pivot: str,
    policy: RatePolicy,
) -> tuple[_Derived, _dt.date]:
    """The derivation of ``base``/``quote`` for ``as_of`` (codes checked) and its fixing day."""
    _check_in_use(base, as_of)
    if quote != base:
        _check_in_use(quote, as_of)
    if base == quote:
        return _IDENTITY, as_of
    if provider is None:
        raise RateUnavailableError(
            f"converting {base} to {quote} needs a rate provider: pass rates=",
            base=base,
            quote=quote,
            as_of=as_of,
        )
    derived = getattr(provider, "_derived", None)
    for age in range(policy.max_age_days + 1):
        day = as_of - _dt.timedelta(days=age)
        if type(derived) is dict:  # a day's derivation, kept for the other dates that reach it
            if len(derived) > 200_000:
                derived.clear()
            step = (base, quote, pivot, day)
            found = (
                derived[step]
                if step in derived
                else derived.setdefault(step, _derive(provider, base, quote, pivot, day))
            )
        else:
            found = _derive(provider, base, quote, pivot, day)
        if found is not None:
            return found, day
    raise RateUnavailableError(
        _missing(provider, base, quote, pivot, as_of, policy),
        base=base,
        quote=quote,
        as_of=as_of,
    )


_Derived = tuple[tuple[int, int], Decimal, Derivation, tuple[str, ...]]


def _derive(
    provider: RateProvider, base: str, quote: str, pivot: str, day: _dt.date
) -> _Derived | None:
    """(exact ratio in lowest terms, rate, derivation, legs) from one day's fixings, or ``None``."""
    leg = _leg(provider, base, quote, day)
    if leg is not None:
        derivation: Derivation = "inverse" if leg[2].startswith("1 /") else "direct"
        return _prepared(leg[0], leg[1], derivation, (leg[2],))
    if pivot not in (base, quote):
        first = _leg(provider, base, pivot, day)
        second = _leg(provider, pivot, quote, day) if first is not None else None
        if first is not None and second is not None:
            legs = (first[2], second[2])
            return _prepared(first[0] * second[0], first[1] * second[1], "cross", legs)
    return None


def _prepared(num: int, den: int, derivation: Derivation, legs: tuple[str, ...]) -> _Derived:
    g = math.gcd(num, den)
    num, den = num // g, den // g
    rate = _EXACT.divide(Decimal(num), Decimal(den)).normalize(_EXACT)
    return (num, den), rate, derivation, legs


_IDENTITY: _Derived = ((1, 1), Decimal(1), "identity", ())


def _quote(
    base: str, quote: str, as_of: _dt.date, day: _dt.date, found: _Derived, source: str
) -> RateQuote:
    ratio, rate, derivation, legs = found
    return construct(  # every field is built and checked here: no re-validation
        RateQuote,
        base=base,
        quote=quote,
        rate=rate,
        ratio=ratio,
        as_of=as_of,
        fixing_date=day,
        source=source,
        derivation=derivation,
        legs=legs,
    )


def _check_in_use(code: str, day: _dt.date) -> None:
    """Refuse a currency that was not in use on ``day``, saying what replaced it."""
    life = _LIFE.get(code)
    if life is None:
        cur = get_currency(code)
        life = _LIFE[code] = (cur.valid_from or _dt.date.min, cur.valid_to or _dt.date.max)
    if life[0] <= day < life[1]:
        return
    cur = get_currency(code)
    if cur.valid_to is not None and day >= cur.valid_to:
        why = _euro_adoption(cur.valid_to) if cur.replaced_by == "EUR" else ""
        raise RateUnavailableError(
            f"{code} ({cur.name}) has no rate on {day}: it was replaced by {cur.replaced_by} "
            f"on {cur.valid_to}{why}" + (f" ({cur.note})" if cur.note else ""),
            currency=code,
            as_of=day,
        )
    if cur.valid_from is not None and day < cur.valid_from:
        raise RateUnavailableError(
            f"{code} ({cur.name}) has no rate on {day}: it was introduced on {cur.valid_from}",
            currency=code,
            as_of=day,
        )


_LIFE: dict[str, tuple[_dt.date, _dt.date]] = {}  # each code's days in use


def _euro_adoption(day: _dt.date) -> str:
    """', when Bulgaria adopted the euro' for the day a member state joined the euro area."""
    from crossborder.codes._codes import country_name
    from crossborder.rules._book import RuleBook

    book = RuleBook.packaged()
    now = book.find("eu.euro_area", as_of=day)
    before = book.find("eu.euro_area", as_of=day - _dt.timedelta(days=1))
    if now is None or before is None:
        return ""
    joined = sorted(set(now.value) - set(before.value))
    names = " and ".join(country_name(c) for c in joined)
    return f", when {names} adopted the euro" if joined else ""


def _missing(
    provider: RateProvider,
    base: str,
    quote: str,
    pivot: str,
    as_of: _dt.date,
    policy: RatePolicy,
) -> str:
    """Why there is no rate, and what to do about it."""
    window = (
        f"for {as_of} ({as_of:%A})"
        if not policy.max_age_days
        else f"from {as_of - _dt.timedelta(days=policy.max_age_days)} to {as_of}"
    )
    text = f"{provider.name} has no {base}/{quote} rate {window} (direct, inverse or via {pivot})"
    first = getattr(provider, "first_date", None)
    if isinstance(first, _dt.date) and as_of < first:
        return f"{text}: its data starts on {first}"
    last = getattr(provider, "last_date", None)
    if isinstance(last, _dt.date) and as_of > last:
        return (
            f"{text}: its data ends on {last}; install newer data with `crossborder fx update FILE`"
        )
    ended = getattr(provider, "last_fixing_date", None)
    if callable(ended):
        for code in (base, quote):
            day = ended(code) if code != "EUR" else None
            if isinstance(day, _dt.date) and day < as_of:
                return f"{text}: the last {code} fixing in the data is {day}"
    if not policy.max_age_days:
        text += (
            "; on a weekend or holiday pass policy=RatePolicy.last_fixing(max_age_days=5) "
            "(on the command line: --last 5) to use the last fixing before it"
        )
    return text


def apply_rate(money: Money, quote: RateQuote, *, rounding: RoundingMode) -> Money:
    """``money`` times the quote's exact rate, in the quote currency, rounded once."""
    num, den = minor_ratio(quote)
    return _new(round_div(money.minor * num, den, _check_mode(rounding)), quote.quote)


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
    policy: RatePolicy | None = None,
) -> Conversion:
    """Convert ``money`` into ``to`` at the provider's rate for ``as_of``, rounded once.

    >>> rates = FixedRates([("EUR", "USD", None, "1.0850")])
    >>> convert(Money.of("100.00", "EUR"), "USD", as_of=_dt.date(2026, 1, 5), rates=rates).converted
    Money('108.50', 'USD')
    """
    if not isinstance(money, Money):
        raise InvalidAmountError(f"money must be Money, got {type(money).__name__} {money!r}")
    target = normalise_code(to)
    rounding = _check_mode(rounding)
    quote = get_rate(money.currency, target, as_of=as_of, provider=rates, policy=policy)
    converted = apply_rate(money, quote, rounding=rounding)
    ex = Explainer.packaged()
    ex.step(
        "convert",
        amount=money,
        rate=f"1 {quote.base} = {quote.rate} {quote.quote}",
        fixings="; ".join(quote.legs) or "same currency",
        as_of=quote.as_of,
        fixing_date=quote.fixing_date,
        policy=(
            f"last fixing up to {policy.max_age_days} days before"
            if policy is not None and policy.max_age_days
            else "exact day"
        ),
        source=f"{quote.source} ({quote.derivation})",
        rounding=rounding.name,
        output=converted,
    )
    return Conversion(
        original=money, converted=converted, quote=quote, rounding=rounding, explanation=ex.done()
    )
