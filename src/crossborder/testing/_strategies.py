from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from crossborder.money._currency import load_exponents, load_table
from crossborder.money._money import INT64_MAX, INT64_MIN, Money
from crossborder.rules._book import RuleBook, resolve_book

# Shrinking goes toward the first element: the simplest, most familiar cases.
_PREFERRED_CURRENCIES = ("EUR", "USD", "GBP", "JPY", "KWD", "CHF")
_PREFERRED_COUNTRIES = ("DE", "US", "FR", "GB", "CN", "JP")
_PREFERRED_SUBDIVISIONS = ("ES-CN", "US-CA", "CA-QC", "GB-NIR", "FR-971", "FI-01")


def _ordered(preferred: Sequence[str], everything: Iterable[str]) -> list[str]:
    rest = sorted(set(everything) - set(preferred))
    return [c for c in preferred if c in set(everything)] + rest


def currencies(
    *, exponents: Sequence[int] | None = None, active_on: _dt.date | None = None
) -> st.SearchStrategy[str]:
    """ISO 4217 codes usable as Money currencies, shrinking toward EUR.

    Args:
        exponents: only currencies with these minor-unit exponents (e.g. ``[0, 3]``).
        active_on: only currencies in use on this date.
    """
    if exponents is not None and (
        isinstance(exponents, str | int) or not all(type(e) is int for e in exponents)
    ):
        raise InvalidArgument(f"exponents must be a list of ints, got {exponents!r}")
    if active_on is not None and (
        not isinstance(active_on, _dt.date) or isinstance(active_on, _dt.datetime)
    ):
        raise InvalidArgument(f"active_on must be a datetime.date, got {active_on!r}")
    table = load_table()
    codes = [
        c.code
        for c in table.values()
        if c.exponent is not None
        and (exponents is None or c.exponent in exponents)
        and (active_on is None or c.in_use(active_on))
    ]
    if not codes:
        raise InvalidArgument(f"no currency has exponents={exponents!r}, active_on={active_on}")
    return st.sampled_from(_ordered(_PREFERRED_CURRENCIES, codes))


def money(
    *,
    currencies: st.SearchStrategy[str] | Sequence[str] | None = None,
    min_minor: int = INT64_MIN,
    max_minor: int = INT64_MAX,
) -> st.SearchStrategy[Money]:
    """Money values, shrinking toward zero euros.

    Edge cases come up on purpose: zero, one minor unit either way, the
    signed 64-bit limits (clipped to the bounds), exponent-0 and exponent-3
    currencies.

    Args:
        currencies: a strategy or list of codes; all usable currencies by default.
        min_minor: smallest amount in minor units.
        max_minor: largest amount in minor units.
    """
    for name, bound in (("min_minor", min_minor), ("max_minor", max_minor)):
        if type(bound) is not int or not INT64_MIN <= bound <= INT64_MAX:
            raise InvalidArgument(f"{name} must be an int in the signed 64-bit range")
    if min_minor > max_minor:
        raise InvalidArgument(f"min_minor={min_minor} is above max_minor={max_minor}")
    if currencies is None:
        codes: st.SearchStrategy[str] = globals()["currencies"]()
    elif isinstance(currencies, st.SearchStrategy):
        codes = currencies
    else:
        if isinstance(currencies, str) or not currencies:
            raise InvalidArgument("currencies must be a strategy or a non-empty list of codes")
        for code in currencies:
            if load_exponents().get(code) is None:
                raise InvalidArgument(f"{code!r} is not a currency Money can hold")
        codes = st.sampled_from(list(currencies))
    edges = sorted(
        {v for v in (0, 1, -1, min_minor, max_minor) if min_minor <= v <= max_minor},
        key=abs,
    )
    amounts = st.one_of(st.sampled_from(edges), st.integers(min_minor, max_minor))
    return st.builds(Money.from_minor, amounts, codes)


def country_codes(*, include_user_assigned: bool = True) -> st.SearchStrategy[str]:
    """ISO 3166-1 alpha-2 codes (and XK), shrinking toward DE."""
    import pycountry

    from crossborder.codes._codes import USER_ASSIGNED

    if not isinstance(include_user_assigned, bool):
        raise InvalidArgument(
            f"include_user_assigned must be a bool, got {include_user_assigned!r}"
        )

    codes = {c.alpha_2 for c in pycountry.countries}
    if include_user_assigned:
        codes |= set(USER_ASSIGNED)
    return st.sampled_from(_ordered(_PREFERRED_COUNTRIES, codes))


def subdivision_codes(*, countries: Sequence[str] | None = None) -> st.SearchStrategy[str]:
    """ISO 3166-2 subdivision codes, optionally of some countries only, shrinking toward ES-CN."""
    import pycountry

    if countries is not None and (isinstance(countries, str) or not countries):
        raise InvalidArgument("countries must be a non-empty list of alpha-2 codes")
    wanted = set(countries) if countries is not None else None
    codes = {s.code for s in pycountry.subdivisions if wanted is None or s.country_code in wanted}
    if not codes:
        raise InvalidArgument(f"no subdivisions for countries={countries!r}")
    return st.sampled_from(_ordered(_PREFERRED_SUBDIVISIONS, codes))


def hs_codes(*, lengths: Sequence[int] = (6, 8, 10)) -> st.SearchStrategy[str]:
    """Normalised HS codes (digits only) of the given lengths, shrinking toward ``010000``."""
    if (
        isinstance(lengths, int | str)
        or not lengths
        or any(type(n) is not int or not 6 <= n <= 10 for n in lengths)
    ):
        raise InvalidArgument(f"lengths must be a list of numbers from 6 to 10, got {lengths!r}")
    chapters = st.integers(1, 97).filter(lambda c: c != 77).map(lambda c: f"{c:02d}")

    def fill(chapter: str, length: int) -> st.SearchStrategy[str]:
        tail = st.text("0123456789", min_size=length - 2, max_size=length - 2)
        return tail.map(lambda t: chapter + t)

    return st.tuples(chapters, st.sampled_from(sorted(lengths))).flatmap(lambda p: fill(*p))


def rule_dates(
    *, rule_ids: Sequence[str] | None = None, rules: RuleBook | None = None
) -> st.SearchStrategy[_dt.date]:
    """Dates inside the data, with the days either side of every version change on purpose.

    Args:
        rule_ids: only the boundaries and ranges of these rules (all rules by default).
        rules: the rule book (the packaged rules by default).
    """
    from crossborder.errors import CrossborderError

    try:
        book = resolve_book(rules)
    except CrossborderError as exc:
        raise InvalidArgument(str(exc)) from None
    if rule_ids is not None and (
        isinstance(rule_ids, str) or not all(isinstance(r, str) for r in rule_ids)
    ):
        raise InvalidArgument(f"rule_ids must be a list of rule ids, got {rule_ids!r}")
    unknown = [r for r in rule_ids or () if r not in book]
    if unknown:
        raise InvalidArgument(f"no such rules: {unknown}")
    chosen = list(book) if rule_ids is None else [book.rule(r) for r in rule_ids]
    if not chosen:
        raise InvalidArgument("no rules to draw dates from")
    one = _dt.timedelta(days=1)
    # every chosen rule has a version on every drawn date: the overlap of their ranges
    low = max(rule.covered[0] for rule in chosen)
    ends = [rule.covered[1] for rule in chosen if rule.covered[1] is not None]
    high = (min(ends) - one) if ends else _dt.date(low.year + 60, 12, 31)
    if low > high:
        raise InvalidArgument(f"the rules {[r.id for r in chosen]} cover no date in common")
    edges: set[_dt.date] = set()
    for rule in chosen:
        for version in rule.versions:
            edges.update({version.valid_from, version.valid_from - one})
            if version.valid_to is not None:
                edges.update({version.valid_to, version.valid_to - one})
    inside = sorted(d for d in edges if low <= d <= high) or [low]
    return st.one_of(st.sampled_from(inside), st.dates(low, high))


_DESTINATIONS = ("DE", "FR", "GB", "AU", "NZ", "NO", "CH", "SG", "JP", "CA-ON", "US-CA", "IT", "PL")


def shipments(
    *,
    destinations: Sequence[str] = _DESTINATIONS,
    currency: str = "USD",
    origins: Sequence[str] = ("CN", "US", "DE", "GB", "JP"),
    max_lines: int = 5,
    max_unit_minor: int = 100_000,
) -> st.SearchStrategy[Any]:
    """Cross-border orders for ``crossborder.tax.landed_cost``, shrinking toward one cheap line.

    HS codes come from the packaged tariffs (so most lines are quotable),
    with incomplete and missing codes on purpose.

    Args:
        destinations: where the orders go (countries or subdivisions).
        currency: the order currency.
        origins: where goods come from and ship from.
        max_lines: most lines in an order.
        max_unit_minor: highest unit price, in minor units.
    """
    from crossborder.tax._shipment import Line, Seller, Shipment

    if isinstance(destinations, str) or not destinations:
        raise InvalidArgument("destinations must be a non-empty list of places")
    if isinstance(origins, str) or not origins:
        raise InvalidArgument("origins must be a non-empty list of countries")
    if type(max_lines) is not int or not 1 <= max_lines <= 200:
        raise InvalidArgument(f"max_lines must be an int from 1 to 200, got {max_lines!r}")
    if type(max_unit_minor) is not int or max_unit_minor < 1:
        raise InvalidArgument("max_unit_minor must be a positive int")
    if load_exponents().get(currency) is None:
        raise InvalidArgument(f"{currency!r} is not a currency Money can hold")
    book = RuleBook.packaged()
    codes = sorted({r.id.rsplit(".", 1)[1] for r in book if ".tariff." in r.id})
    hs = st.one_of(
        st.sampled_from(codes),
        st.sampled_from(codes).map(lambda c: c[:6]),
        st.sampled_from(codes).map(lambda c: c[:4]),
        st.none(),
    )
    lines = st.builds(
        Line,
        description=st.just("item"),
        hs_code=hs,
        quantity=st.integers(1, 5),
        unit_price=money(currencies=[currency], min_minor=0, max_minor=max_unit_minor),
        origin=st.sampled_from(list(origins)),
        unit_weight_kg=st.sampled_from([None, Decimal("0.25"), Decimal("1.5")]),
    )
    sellers = st.builds(
        Seller,
        kind=st.sampled_from(["marketplace", "direct"]),
        established_in=st.sampled_from(list(origins)),
        registered=st.booleans(),
    )
    charges = st.one_of(
        st.none(), money(currencies=[currency], min_minor=0, max_minor=max_unit_minor // 10 or 1)
    )
    return st.builds(
        Shipment,
        lines=st.lists(lines, min_size=1, max_size=max_lines).map(tuple),
        shipping=charges,
        insurance=charges,
        ship_from=st.sampled_from(list(origins)),
        destination=st.sampled_from(list(destinations)),
        seller=sellers,
        incoterm=st.sampled_from(["DAP", "DDP"]),
        mode=st.sampled_from(["courier", "post"]),
    )
