from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict

from crossborder._checks import check_date
from crossborder.codes._codes import place_code
from crossborder.errors import InvalidAmountError, InvalidCodeError, NotFoundError
from crossborder.explain._model import Explainer, Explanation, RuleRef
from crossborder.money._allocate import allocate
from crossborder.money._money import Money
from crossborder.money._rounding import RoundingMode
from crossborder.rules._book import AppliedRule, RuleBook, resolve_book

RATE_KINDS = (
    "standard",
    "reduced",
    "reduced_2",
    "reduced_3",
    "super_reduced",
    "super_reduced_2",
    "parking",
    "zero",
    "increased",
    "special",
    "border_region",
)
CATEGORIES = (
    "books",
    "ebooks",
    "newspapers",
    "childrens_clothing",
    "childrens_footwear",
    "food",
    "non_alcoholic_drinks",
    "medicines",
    "medical_devices",
    "sanitary_products",
    "baby_products",
)
_TAX_NAMES = {
    "AU": "GST",
    "NZ": "GST",
    "SG": "GST",
    "IN": "GST",
    "JP": "consumption tax",
    "ES-CN": "IGIC",
}


class TaxComponent(BaseModel):
    """One tax within a rate: Canada's GST and QST are two components of 14.975%."""

    model_config = ConfigDict(frozen=True)

    tax: str
    kind: str
    rate: Decimal
    rule: RuleRef


class TaxRate(BaseModel):
    """A consumption-tax rate in force at a place on a date, and why.

    Attributes:
        place: the country or subdivision asked about.
        category: the rate kind or product category asked for.
        kind: the rate kind it resolved to (``standard``, ``reduced``... or ``exempt``).
        rate: the total rate, a fraction (``Decimal('0.19')``), never percent.
        components: the taxes that make up ``rate``.
        notes: what the rate does not include (US local rates, a province).
        explanation: the rules used, with their sources.
    """

    model_config = ConfigDict(frozen=True)

    place: str
    as_of: _dt.date
    category: str
    kind: str
    rate: Decimal
    components: tuple[TaxComponent, ...]
    notes: tuple[str, ...] = ()
    explanation: Explanation


class _Lookup:
    """Shared state of one rate lookup: book, date, explanation."""

    def __init__(self, book: RuleBook, as_of: _dt.date, allow_provisional: bool) -> None:
        self.book = book
        self.as_of = as_of
        self.allow_provisional = allow_provisional
        self.ex = Explainer(data_version=book.data_version, overlays=book.overlays)
        self.notes: list[str] = []

    def get(self, rule_id: str) -> AppliedRule:
        return self.book.get(rule_id, as_of=self.as_of, allow_provisional=self.allow_provisional)


def _kind(lookup: _Lookup, prefix: str, category: str) -> str:
    if category in RATE_KINDS:
        return category
    if category not in CATEGORIES:
        raise InvalidCodeError(
            f"unknown category {category!r}",
            code=category,
            hint=f"use a rate kind ({', '.join(RATE_KINDS)}) "
            f"or a product category ({', '.join(CATEGORIES)})",
        )
    mapping = lookup.get(f"{prefix}.vat.categories")
    kind = str(mapping.value[category])
    lookup.ex.step("category to rate kind", category=category, output=kind, rule=mapping.ref)
    return kind


def _table_rate(
    lookup: _Lookup, prefix: str, rule_id: str, category: str, tax: str
) -> tuple[str, list[TaxComponent]]:
    kind = _kind(lookup, prefix, category)
    applied = lookup.get(rule_id)
    if kind == "exempt":
        lookup.ex.step("rate", kind=kind, output=Decimal(0), rule=applied.ref)
        return kind, [TaxComponent(tax=tax, kind=kind, rate=Decimal(0), rule=applied.ref)]
    table: dict[str, Any] = applied.value
    if kind not in table:
        raise NotFoundError(
            f"{prefix.upper()} has no {kind} rate on {lookup.as_of} "
            f"(rates in force: {', '.join(sorted(table))})",
            code=prefix,
            as_of=lookup.as_of,
        )
    rate = table[kind]
    if isinstance(rate, list):  # e.g. several increased rates: not one answer
        raise NotFoundError(
            f"{prefix.upper()} has several {kind} rates {rate}; name the product category",
            code=prefix,
        )
    lookup.ex.step(f"{tax} rate", kind=kind, output=rate, rule=applied.ref)
    return kind, [TaxComponent(tax=tax, kind=kind, rate=Decimal(rate), rule=applied.ref)]


def _canada(lookup: _Lookup, place: str, category: str) -> tuple[str, list[TaxComponent]]:
    if category != "standard":
        raise NotFoundError(
            "product categories are not covered for Canada: pass category='standard'",
            code=place,
        )
    gst = lookup.get("ca.gst.rate")
    gst_part = TaxComponent(tax="GST", kind="standard", rate=Decimal(gst.value), rule=gst.ref)
    if place == "CA":
        lookup.ex.step("GST rate", output=gst.value, rule=gst.ref)
        lookup.notes.append("federal GST only: pass a province (CA-ON, CA-QC...) for HST/QST/PST")
        return "standard", [gst_part]
    provincial = lookup.get(f"{place.lower()}.sales_tax")
    kind, rate = provincial.value["type"], Decimal(provincial.value["rate"])
    lookup.ex.step(
        "provincial sales tax", province=place, type=kind, output=rate, rule=provincial.ref
    )
    if kind == "HST":  # harmonized: replaces GST, the rate includes the federal part
        return "standard", [
            TaxComponent(tax="HST", kind="standard", rate=rate, rule=provincial.ref)
        ]
    lookup.ex.step("GST rate", output=gst.value, rule=gst.ref)
    if kind == "none":
        return "standard", [gst_part]
    other = TaxComponent(tax=kind, kind="standard", rate=rate, rule=provincial.ref)
    return "standard", [gst_part, other]


def _united_states(
    lookup: _Lookup, place: str, category: str, locality: str | None
) -> tuple[str, list[TaxComponent]]:
    if place == "US":
        raise InvalidCodeError(
            "the US has no national sales tax", code=place, hint="pass a state such as US-CA"
        )
    if category != "standard":
        raise NotFoundError(
            "product categories are not covered for US states: pass category='standard'",
            code=place,
        )
    state = lookup.get(f"{place.lower()}.sales_tax.state_rate")
    lookup.ex.step("state sales tax rate", state=place, output=state.value, rule=state.ref)
    parts = [
        TaxComponent(tax="sales tax", kind="standard", rate=Decimal(state.value), rule=state.ref)
    ]
    if locality is None:
        lookup.notes.append(
            f"state base rate only: local rates are not included; add them with an overlay "
            f"rule {place.lower()}.sales_tax.local.<locality> and pass locality="
        )
    else:
        local = lookup.get(f"{place.lower()}.sales_tax.local.{locality}")
        lookup.ex.step(
            "local sales tax rate", locality=locality, output=local.value, rule=local.ref
        )
        parts.append(
            TaxComponent(
                tax="local sales tax", kind="standard", rate=Decimal(local.value), rule=local.ref
            )
        )
    return "standard", parts


def vat_rate(
    place: str,
    *,
    as_of: _dt.date,
    category: str = "standard",
    locality: str | None = None,
    rules: RuleBook | None = None,
    allow_provisional: bool = False,
) -> TaxRate:
    """The VAT/GST/sales-tax rate at ``place`` on ``as_of`` for a rate kind or product category.

    ``place`` is a country or a subdivision where the tax differs: ``ES-CN``
    (IGIC, outside EU VAT), ``CA-QC`` (GST + QST), ``US-CA`` (state base
    rate; local rates only from a user overlay, with ``locality``).

    >>> import datetime
    >>> vat_rate("DE", as_of=datetime.date(2020, 8, 1)).rate
    Decimal('0.16')
    >>> [c.tax for c in vat_rate("CA-QC", as_of=datetime.date(2026, 1, 1)).components]
    ['GST', 'QST']
    """
    as_of = check_date(as_of)
    book = resolve_book(rules)
    if not isinstance(allow_provisional, bool):
        raise InvalidCodeError(
            f"allow_provisional must be True or False, got {allow_provisional!r}",
            code=allow_provisional,
        )
    key = (place, as_of, category, locality, allow_provisional)
    cache = book.memo("vat_rate")
    try:
        found = cache.get(key)
    except TypeError:  # unhashable junk: the checks below say what is wrong
        found = None
    if found is not None:
        return found  # type: ignore[no-any-return]
    cache[key] = rate = _vat_rate(place, as_of, category, locality, book, allow_provisional)
    return rate


def _vat_rate(
    place: str,
    as_of: _dt.date,
    category: str,
    locality: str | None,
    book: RuleBook,
    allow_provisional: bool,
) -> TaxRate:
    place = place_code(place)
    if not isinstance(category, str):
        raise InvalidCodeError(f"category must be a string, got {category!r}", code=category)
    if locality is not None and (not isinstance(locality, str) or not locality.isidentifier()):
        raise InvalidCodeError(
            f"locality must be a rule-id word such as 'los_angeles', got {locality!r}",
            code=locality,
        )
    lookup = _Lookup(book, as_of, allow_provisional)
    if "-" in place:
        place = _territory_with_rates(lookup, place)
    country = place[:2]
    own = f"{place.lower()}.vat.rates" if "-" in place else None
    if country == "CA":
        kind, parts = _canada(lookup, place, category)
    elif country == "US":
        kind, parts = _united_states(lookup, place, category, locality)
    elif place == "ES-CN":
        kind, parts = _table_rate(lookup, "es-cn", "es-cn.igic.rates", category, "IGIC")
    elif own is not None and own in lookup.book:
        kind, parts = _table_rate(lookup, place.lower(), own, category, "VAT")
    else:
        if "-" in place:
            _check_not_special_territory(lookup, place)
        prefix = country.lower()
        kind, parts = _table_rate(
            lookup, prefix, f"{prefix}.vat.rates", category, _TAX_NAMES.get(country, "VAT")
        )
    total = sum((p.rate for p in parts), Decimal(0))
    lookup.ex.step("total rate", output=total)
    return TaxRate(
        place=place,
        as_of=as_of,
        category=category,
        kind=kind,
        rate=total,
        components=tuple(parts),
        notes=tuple(lookup.notes),
        explanation=lookup.ex.done(),
    )


def _territory_with_rates(lookup: _Lookup, place: str) -> str:
    """A subdivision inside a territory with its own rates answers as that territory.

    ES-TF and ES-GC are the Canary Islands (ES-CN, IGIC). A region whose own
    rates the data does not hold (the Azores, PT-20) is refused, never given
    the mainland's.
    """
    from crossborder.codes._eu import EXCLUDED

    book = lookup.book
    excluded = book.find(EXCLUDED, as_of=lookup.as_of)
    for territory in excluded.value if excluded else ():
        if place in territory["codes"]:
            for code in territory["codes"]:
                prefix = code.lower()
                if f"{prefix}.vat.rates" in book or f"{prefix}.igic.rates" in book:
                    return str(code)
    regions = book.find(f"{place[:2].lower()}.vat.regions", as_of=lookup.as_of)
    if regions is not None and place in regions.value and f"{place.lower()}.vat.rates" not in book:
        raise NotFoundError(
            f"{place} ({regions.value[place]}) has its own regional VAT rates, which the data "
            "does not hold",
            code=place,
        )
    return place


def _check_not_special_territory(lookup: _Lookup, place: str) -> None:
    from crossborder.codes._eu import EXCLUDED

    excluded = lookup.book.find(EXCLUDED, as_of=lookup.as_of)
    for territory in excluded.value if excluded else ():
        if place in territory["codes"]:
            raise NotFoundError(
                f"{place} ({territory['name']}) is outside the EU VAT area and its own "
                "consumption tax is not covered",
                code=place,
            )


class PriceBreakdown(BaseModel):
    """Net, tax and gross of a price, each tax component, and the rounding used."""

    model_config = ConfigDict(frozen=True)

    net: Money
    tax: Money
    gross: Money
    taxes: tuple[tuple[str, Money], ...]
    rate: TaxRate
    rounding: RoundingMode
    explanation: Explanation


def _rounding(lookup: _Lookup, place: str) -> RoundingMode:
    tax = "igic" if place == "ES-CN" else "vat"
    own, country = f"{place.lower()}.{tax}.rounding", f"{place[:2].lower()}.{tax}.rounding"
    rule_id = own if own in lookup.book else country
    applied = lookup.book.find(rule_id, as_of=lookup.as_of, allow_provisional=True)
    if applied is None:
        lookup.ex.step("rounding", output="HALF_UP (no rounding rule in the data: assumed)")
        lookup.notes.append("no rounding rule in the data for this place: HALF_UP assumed")
        return RoundingMode.HALF_UP
    mode = RoundingMode(applied.value["mode"])
    lookup.ex.step(
        "rounding", level=applied.value.get("level", "invoice"), output=mode.name, rule=applied.ref
    )
    return mode


def price_breakdown(
    price: Money,
    *,
    place: str,
    as_of: _dt.date,
    category: str = "standard",
    tax_included: bool = True,
    locality: str | None = None,
    rules: RuleBook | None = None,
    allow_provisional: bool = False,
) -> PriceBreakdown:
    """Net, tax and gross from a tax-inclusive (or exclusive) price, rounded per the place's rule.

    Tax-inclusive: the tax is ``gross * rate / (1 + rate)`` rounded once, the
    net is the rest. Tax-exclusive: each component is ``net * rate`` rounded.
    Several components (GST + QST) share an inclusive tax in proportion to
    their rates, so the parts always add up to the price.

    >>> import datetime
    >>> b = price_breakdown(Money.of("119.00", "EUR"), place="DE", as_of=datetime.date(2026, 1, 1))
    >>> b.net, b.tax
    (Money('100.00', 'EUR'), Money('19.00', 'EUR'))
    """
    if not isinstance(price, Money):
        raise InvalidAmountError(f"price must be Money, got {type(price).__name__} {price!r}")
    if not isinstance(tax_included, bool):
        raise InvalidAmountError(f"tax_included must be True or False, got {tax_included!r}")
    rate = vat_rate(
        place,
        as_of=as_of,
        category=category,
        locality=locality,
        rules=rules,
        allow_provisional=allow_provisional,
    )
    lookup = _Lookup(resolve_book(rules), rate.as_of, allow_provisional)
    lookup.notes.extend(rate.notes)
    mode = _rounding(lookup, rate.place)
    rates = [c.rate for c in rate.components]
    if tax_included:
        tax = _exact_inclusive(price, rate.rate, mode)
        net = price - tax
        parts = allocate(tax, rates) if any(rates) else [Money.zero(price.currency) for _ in rates]
        gross = price
    else:
        net = price
        parts = [price.multiply(r, rounding=mode) for r in rates]
        tax = sum(parts, Money.zero(price.currency))
        gross = net + tax
    lookup.ex.step(
        "split price",
        price=price,
        tax_included=tax_included,
        rate=rate.rate,
        output=f"net {net}, tax {tax}, gross {gross}",
    )
    steps = rate.explanation.steps + lookup.ex.done().steps
    return PriceBreakdown(
        net=net,
        tax=tax,
        gross=gross,
        taxes=tuple((c.tax, p) for c, p in zip(rate.components, parts, strict=True)),
        rate=rate.model_copy(update={"notes": tuple(lookup.notes)}),
        rounding=mode,
        explanation=Explanation(
            steps=steps,
            data_version=rate.explanation.data_version,
            overlays=rate.explanation.overlays,
        ),
    )


def _exact_inclusive(gross: Money, rate: Decimal, mode: RoundingMode) -> Money:
    """``gross * rate / (1 + rate)`` rounded once, from exact integers."""
    from crossborder.money._money import _new, _ratio
    from crossborder.money._rounding import round_div

    num, den = _ratio(rate, what="rate")
    return _new(round_div(gross.minor * num, den + num, mode), gross.currency)
