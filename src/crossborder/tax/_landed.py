from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from crossborder._checks import check_date
from crossborder.codes._codes import hs_code as normalise_hs
from crossborder.codes._eu import currency_of, eu_status
from crossborder.errors import (
    CrossborderError,
    InputError,
    InvalidCodeError,
    NotFoundError,
    RuleDataError,
)
from crossborder.explain._model import Explainer, RuleRef, construct
from crossborder.fx._rates import RateProvider, RateQuote, get_rate, minor_ratio
from crossborder.money._allocate import allocate
from crossborder.money._money import Money, _new
from crossborder.money._rounding import RoundingMode, round_div
from crossborder.rules._book import AppliedRule, RuleBook, resolve_book
from crossborder.tax._rates import TaxRate, vat_rate
from crossborder.tax._shipment import (
    Charge,
    Collector,
    LandedCost,
    LineQuote,
    Reason,
    Shipment,
)
from crossborder.tax._tariff import DutyRate, PackagedTariff, TariffProvider

_HALF_UP = RoundingMode.HALF_UP
DutyMode = Literal["tariff", "relief", "flat", "none", "exempt_low_value"]
TaxMode = Literal["checkout", "border", "reverse_charge", "none", "below_threshold"]


@dataclass
class Regime:
    """How an order is taxed: decided once per order, applied to every line."""

    id: str
    title: str
    duty: DutyMode
    tax: TaxMode
    tax_collector: Collector
    duty_collector: Collector = "carrier"
    tax_place: str = ""  # whose rates apply (destination, or origin for small EU distance sales)
    flat_duty: Money | None = None
    warnings: list[str] = field(default_factory=list)


class _Unexplained(Explainer):
    """Records nothing: for quotes in a batch, which carry no explanation."""

    __slots__ = ()

    def step(self, action: str, *, output: Any, rule: Any = None, **inputs: Any) -> None:
        return None


class _Quote:
    """One landed-cost calculation: inputs, rules, explanation, conversions."""

    def __init__(
        self,
        shipment: Shipment,
        as_of: _dt.date,
        book: RuleBook,
        rates: RateProvider | None,
        tariff: TariffProvider,
        *,
        explain: bool = True,
        quotes: dict[tuple[str, str], RateQuote] | None = None,
    ) -> None:
        self.s = shipment
        self.as_of = as_of
        self.book = book
        self.rates = rates
        self.tariff = tariff
        self.ex = (Explainer if explain else _Unexplained)(
            data_version=book.data_version, overlays=book.overlays
        )
        self.warnings: list[str] = []
        self.dest = shipment.destination
        self.country = self.dest[:2]
        memo = book.memo("currency_of")
        key = (self.dest, as_of)
        self.currency = memo.get(key) or memo.setdefault(
            key, currency_of(self.dest, as_of=as_of, rules=book)
        )
        self.fx: RateQuote | None = None
        self.personal_factor: Decimal | None = None
        self.delivery_taxable = True  # VAT and GST tax delivery as part of the consideration
        self.exact_duties: dict[int, Money] = {}
        self.flat_items: set[str] = set()
        self.family: str | None = None
        self.method = "FOB"
        self.base_parts: frozenset[str] | None = None
        self.zero = Money.zero(self.currency)
        self.quotes: dict[tuple[str, str], RateQuote] = {} if quotes is None else quotes
        self.rates_cache: dict[tuple[str, str], tuple[TaxRate, str | None]] = {}
        self.ratios: dict[tuple[str, str], tuple[int, int]] = {}
        self.explaining = explain
        self.found: dict[tuple[str, _dt.date], AppliedRule | None] = book.memo("landed.find")
        self.tax_parts: dict[int, tuple[Money, Decimal]] = {}
        memo = book.memo("vat.rounding")
        key = (self.country, as_of)
        found: tuple[RoundingMode, str, RuleRef | None] | None = memo.get(key)
        if found is None:
            rule = book.find(
                f"{self.country.lower()}.vat.rounding", as_of=as_of, allow_provisional=True
            )
            found = memo[key] = _rounding_rule(rule)
        self.mode, self.level, ref = found
        if explain:
            self.ex.step(
                "rounding",
                output=self.mode.name if ref else "HALF_UP (no rounding rule in the data: assumed)",
                rule=ref,
            )

    # --- rules and money ---------------------------------------------------------------------
    def rule(self, rule_id: str) -> AppliedRule:
        """The version in force, provisional and repealed ones included (check ``in_force``)."""
        applied = self.book.get(
            rule_id, as_of=self.as_of, allow_provisional=True, include_repealed=True
        )
        if applied.version.status == "repealed":
            note = (applied.version.note or "repealed").split(".")[0]
            self.ex.step("rule not in force", rule_id=rule_id, output=note, rule=applied.ref)
        return applied

    def find(self, rule_id: str) -> AppliedRule | None:
        """The version in force, or ``None`` (no such rule, no data, or repealed)."""
        key = (rule_id, self.as_of)
        found = self.found.get(key, self)
        if found is self:
            found = self.found[key] = self.book.find(
                rule_id, as_of=self.as_of, allow_provisional=True
            )
        return found  # type: ignore[return-value]

    def to(self, money: Money, currency: str) -> Money:
        """``money`` in ``currency`` at the provider's rate for the date, rounded once."""
        if money.currency == currency:
            return money
        key = (money.currency, currency)
        ratio = self.ratios.get(key)
        if ratio is None:  # as apply_rate, with the pair's minor-unit ratio found once
            ratio = self.ratios[key] = minor_ratio(self.quote(*key))
        return _new(round_div(money.minor * ratio[0], ratio[1], _HALF_UP), currency)

    def method_for_border(self) -> str:
        """The customs valuation method (CIF or FOB) from the rules, without a step."""
        rule = self.find(f"{_family(self)}.customs.valuation_basis")
        return "CIF" if rule is not None and rule.value.get("method") == "CIF" else "FOB"

    def quote(self, base: str, quote: str) -> RateQuote:
        """The rate for the pair on the date, fetched once per quote."""
        found = self.quotes.get((base, quote))
        if found is None:
            found = self.quotes[(base, quote)] = get_rate(
                base, quote, as_of=self.as_of, provider=self.rates
            )
        return found

    def rate(self, place: str, category: str) -> TaxRate:
        """The rate for a category at a place (the standard rate, with a warning, if unmapped)."""
        key = (place, category)
        found = self.rates_cache.get(key)
        if found is None:
            found = self.rates_cache[key] = self._fetch_rate(place, category)
        if found[1] is not None:  # on every use: the warnings are de-duplicated at the end
            self.warnings.append(found[1])
        return found[0]

    def _fetch_rate(self, place: str, category: str) -> tuple[TaxRate, str | None]:
        unmapped = self.book.memo("landed.unmapped_category")
        missing = unmapped.get((place, category, self.as_of))
        if missing is None:
            try:
                found = vat_rate(
                    place,
                    as_of=self.as_of,
                    category=category,
                    rules=self.book,
                    allow_provisional=True,
                )
            except NotFoundError as exc:
                if category == "standard":
                    raise
                missing = f"{exc}: the standard rate is used for {category!r}"
                unmapped[(place, category, self.as_of)] = missing
            else:
                for part in found.components:
                    self.ex.step(
                        f"{part.tax} rate",
                        place=place,
                        category=category,
                        kind=part.kind,
                        output=part.rate,
                        rule=part.rule,
                    )
                return found, None
        return self.rate(place, "standard"), missing

    def threshold(self, rule: AppliedRule, value: Money, what: str) -> bool:
        """``value`` within the threshold of ``rule`` (amount, currency, inclusive).

        A threshold not in force on the date (a repealed version) is never met.
        """
        if rule.value is None:
            return False
        spec: dict[str, Any] = rule.value
        limit = Money.of(spec["amount"], spec["currency"])
        compared = self.to(value, limit.currency)
        within = compared <= limit if spec.get("inclusive", True) else compared < limit
        if not self.explaining:
            return within
        how = "at most" if spec.get("inclusive", True) else "below"
        shown = str(value)
        if value.currency != limit.currency:
            rate = self.quotes[(value.currency, limit.currency)]
            shown = f"{value} at {rate.rate} ({rate.source}, {rate.fixing_date}) = {compared}"
        basis, per = spec.get("basis", ""), spec.get("per", "consignment")
        self.ex.step(
            f"threshold test: {what}",
            value=shown,
            threshold=f"{how} {limit} ({basis}, per {per})",
            output="within" if within else "above",
            rule=rule.ref,
        )
        return within


def landed_cost(
    shipment: Shipment,
    *,
    as_of: _dt.date,
    rates: RateProvider | None = None,
    tariff: TariffProvider | None = None,
    rules: RuleBook | None = None,
) -> LandedCost:
    """Duties, taxes and fees on a cross-border order, who collects them, and why.

    Args:
        shipment: the order (lines, delivery charges, places, seller, buyer, incoterm).
        as_of: the date of the sale; every rule and rate is taken as in force that day.
        rates: exchange rates, needed when the order, the destination and the
            thresholds use different currencies (pass customs rates for the date,
            e.g. the EU's monthly Art. 53 UCC rates).
        tariff: duty rates; the packaged EU, UK and US tariffs by default. Layer
            your own with ``LayeredTariff(TariffTable.from_csv(...), PackagedTariff())``.
        rules: a rule book with overlays (the packaged rules by default).
    """
    as_of = check_date(as_of)
    shipment = _shipment_of(shipment)
    book, provider = _sources(rates, tariff, rules)
    q = _Quote(shipment, as_of, book, rates, provider)
    return _run(q)


def _sources(
    rates: RateProvider | None, tariff: TariffProvider | None, rules: RuleBook | None
) -> tuple[RuleBook, TariffProvider]:
    """The rule book and the tariff to use, after checking what the caller passed."""
    if rates is not None and not callable(getattr(rates, "fixing", None)):
        raise InputError(f"rates must be a RateProvider, got {type(rates).__name__}")
    book = resolve_book(rules)
    provider = tariff if tariff is not None else book.derived("tax.tariff", PackagedTariff)
    if not hasattr(provider, "match"):
        raise InputError(f"tariff must be a TariffProvider, got {type(provider).__name__}")
    return book, provider


def _shipment_of(value: object) -> Shipment:
    """``value`` as a Shipment (a model, or its dict or JSON form), or a typed error."""
    from pydantic import ValidationError

    if isinstance(value, Shipment):
        return value
    try:
        return Shipment.model_validate(value)
    except ValidationError as exc:
        first = exc.errors()[0]
        original = first.get("ctx", {}).get("error")
        if isinstance(original, CrossborderError):
            raise original from exc  # e.g. CurrencyMismatchError, InvalidCodeError
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(f"not a valid shipment: {first['msg']} at {where}") from exc


def _run(q: _Quote) -> LandedCost:
    s = q.s
    regime, goods = _settle(q)
    order_values = [line.unit_price * line.quantity for line in s.lines]
    values = [q.to(v, q.currency) for v in order_values]
    shipping = q.to(s.shipping, q.currency) if s.shipping else q.zero
    insurance = q.to(s.insurance, q.currency) if s.insurance else q.zero
    transport = [
        a + b for a, b in zip(_spread(shipping, values), _spread(insurance, values), strict=True)
    ]
    if shipping or insurance:
        q.ex.step(
            "delivery charges, shared over the lines by value",
            shipping=shipping,
            insurance=insurance,
            output="see each line's transport share",
        )
    method = q.method = _valuation(q)
    if q.personal_factor is not None:
        values_for_customs = [v.multiply(q.personal_factor, rounding=q.mode) for v in values]
    else:
        values_for_customs = values
    customs = [
        v + t if method == "CIF" else v for v, t in zip(values_for_customs, transport, strict=True)
    ]
    rows = [
        _line(q, regime, i, v, c, t)
        for i, (v, c, t) in enumerate(zip(values, customs, transport, strict=True))
    ]
    computation = q.find(f"{_family(q)}.import_tax.computation")
    if regime.tax == "border" and computation is not None and q.tax_parts:
        _customs_computation(q, rows, computation)
    elif q.level == "invoice" and q.tax_parts:
        _round_per_invoice(q, regime, rows)
    quotes = [_finish_line(q, row) for row in rows]
    return _totals(q, regime, goods, values, quotes, shipping + insurance)


def _rounding_rule(rule: AppliedRule | None) -> tuple[RoundingMode, str, RuleRef | None]:
    """(mode, level, rule) of a VAT rounding rule; a malformed one is a data error."""
    if rule is None:
        return RoundingMode.HALF_UP, "line", None
    value = rule.value if isinstance(rule.value, dict) else {}
    try:
        mode = RoundingMode(value["mode"])
    except (KeyError, ValueError):
        raise RuleDataError(
            f"{rule.ref.ref}: value.mode must be one of {', '.join(m.value for m in RoundingMode)}",
            path=rule.ref.source,
            field="value.mode",
        ) from None
    level = value.get("level", "line")
    if level not in ("line", "invoice"):
        raise RuleDataError(
            f"{rule.ref.ref}: value.level must be 'line' or 'invoice', got {level!r}",
            path=rule.ref.source,
            field="value.level",
        )
    return mode, str(level), rule.ref


def _settle(q: _Quote) -> tuple[Regime, Money]:
    """The regime and the goods value, in the order currency.

    Also switches ``q`` to the currency the tax is computed in, with its rate.
    """
    s = q.s
    if q.explaining:
        q.ex.step(
            "order",
            destination=q.dest,
            ship_from=s.ship_from,
            seller=s.seller.kind,
            buyer=s.buyer.kind,
            incoterm=s.incoterm,
            output=f"{len(s.lines)} line(s) in {s.currency}",
        )
    goods = Money.from_minor(
        sum(line.unit_price.minor * line.quantity for line in s.lines), s.currency
    )
    regime = _decide(q, goods)
    if q.explaining:
        q.ex.step("regime", output=f"{regime.id}: {regime.title}")
    if regime.tax_place[:2] != q.country:  # the origin's VAT: amounts in the origin's currency
        q.currency = currency_of(regime.tax_place, as_of=q.as_of, rules=q.book)
        q.zero = Money.zero(q.currency)
    if q.currency != s.currency:
        q.fx = q.quote(s.currency, q.currency)
    if q.fx is not None and q.explaining:
        q.ex.step(
            "exchange rate",
            pair=f"{s.currency}/{q.currency}",
            fixing_date=q.fx.fixing_date,
            source=q.fx.source,
            output=q.fx.rate,
        )
    return regime, goods


def _truncate(amount: Money, unit: int) -> Money:
    """Round down to a whole number of ``unit`` major units (Japan Customs' truncations)."""
    step = unit * 10 ** (amount.currency_info.exponent or 0)
    return Money.from_minor(amount.minor // step * step, amount.currency)


def _customs_computation(q: _Quote, rows: list[dict[str, Any]], rule: AppliedRule) -> None:
    """Import tax as the customs authority computes it (Japan: Customs Answer 1111).

    Per line: base truncated, national tax truncated, local tax as a fraction of it;
    then each total truncated, and the document's tax shared over the lines by base.
    """
    spec = rule.value
    unit, total_unit = int(spec["national_unit"]), int(spec["total_unit"])
    national_lines, local_lines = [], []
    for _i, (base, rate) in sorted(q.tax_parts.items()):
        national_rate = Decimal(rate) * Decimal(spec["national_share"])
        exact = _truncate(base, int(spec["base_unit"])).multiply(
            national_rate, rounding=RoundingMode.DOWN
        )
        local = _truncate(exact, unit).multiply(  # local tax on the rounded national tax
            Decimal(spec["local_numerator"]) / Decimal(spec["local_denominator"]),
            rounding=RoundingMode.DOWN,
        )
        national_lines.append(exact)
        local_lines.append(local)
    # the totals are the items' amounts before rounding, added, then rounded down
    national_total = _truncate(sum(national_lines, q.zero), total_unit)
    local_total = _truncate(sum(local_lines, q.zero), total_unit)
    total = national_total + local_total
    members = sorted(q.tax_parts)
    bases = [q.tax_parts[i][0] for i in members]
    shares = allocate(total, [b.minor for b in bases]) if any(bases) else [q.zero for _ in bases]
    q.ex.step(
        "import tax as customs computes it",
        national=national_total,
        local=local_total,
        lines=[i + 1 for i in members],
        output=[str(share) for share in shares],
        rule=rule.ref,
    )
    for i, share in zip(members, shares, strict=True):
        rows[i]["tax"] = share
        if not share:
            rows[i]["tax_reason"] = "rounded_to_zero"
    if q.exact_duties:  # the duty total, too, is the items' unrounded duty, added, rounded down
        lines = sorted(q.exact_duties)
        duty_total = _truncate(sum(q.exact_duties.values(), q.zero), total_unit)
        rounded = [rows[i]["duty"] or q.zero for i in lines]
        extra = duty_total - sum(rounded, q.zero)
        if extra.minor > 0:
            for i, add in zip(lines, allocate(extra, [d.minor or 1 for d in rounded]), strict=True):
                rows[i]["duty"] = (rows[i]["duty"] or q.zero) + add
        q.ex.step(
            "customs duty total",
            lines=[i + 1 for i in lines],
            items=[str(q.exact_duties[i]) for i in lines],
            output=duty_total,
            rule=rule.ref,
        )


def _round_per_invoice(q: _Quote, regime: Regime, rows: list[dict[str, Any]]) -> None:
    """Tax rounded once per rate on the whole document, then shared over the lines exactly."""
    groups: dict[Decimal, list[int]] = {}
    for i, (_, rate) in q.tax_parts.items():
        groups.setdefault(rate, []).append(i)
    for rate, members in sorted(groups.items()):
        bases = [q.tax_parts[i][0] for i in members]
        base = Money.from_minor(sum(b.minor for b in bases), q.currency)
        total = base.multiply(rate, rounding=q.mode)
        shares = (
            allocate(total, [b.minor for b in bases]) if any(bases) else [q.zero for _ in bases]
        )
        q.ex.step(
            "tax rounded per document, shared over the lines by base",
            rate=rate,
            lines=[i + 1 for i in members],
            base=base,
            total=total,
            output=[str(share) for share in shares],
        )
        for i, share in zip(members, shares, strict=True):
            reason = rows[i]["tax_reason"]
            if not share and rate:
                reason = "rounded_to_zero"
            elif share and reason == "rounded_to_zero":
                reason = _charged_reason(regime)
            rows[i]["tax"], rows[i]["tax_reason"] = share, reason


def _charged_reason(regime: Regime) -> Reason:
    if regime.tax != "checkout":
        return "charged"
    return (
        "collected_by_marketplace"
        if regime.tax_collector == "marketplace"
        else "charged_at_checkout"
    )


def _spread(amount: Money, values: list[Money]) -> list[Money]:
    """Delivery charges shared over lines by value (equally when every line is free)."""
    if not amount:
        return [Money.zero(amount.currency) for _ in values]
    if not any(v.minor for v in values):
        return allocate(amount, [1] * len(values))
    return allocate(amount, [v.minor for v in values])


def _valuation(q: _Quote) -> str:
    family = _family(q)
    rule = q.find(f"{family}.customs.valuation_basis")
    if rule is None:
        q.ex.step("valuation basis", output="FOB (no valuation rule in the data)")
        q.warnings.append(f"no customs valuation rule for {q.dest}: FOB assumed")
        return "FOB"
    method = rule.value.get("method") if isinstance(rule.value, dict) else None
    if method not in ("CIF", "FOB", "weight"):
        raise RuleDataError(
            f"{rule.ref.ref}: value.method must be 'CIF', 'FOB' or 'weight', got {method!r}",
            path=rule.ref.source,
            field="value.method",
        )
    q.ex.step("valuation basis", output=method, rule=rule.ref)
    return "CIF" if method == "CIF" else "FOB"  # weight-based duties value the goods FOB


def _family(q: _Quote) -> str:
    """Whose import rules apply: ``eu`` for member states, else the country."""
    if q.family is None:
        members = q.find("eu.member_states")
        q.family = "eu" if members is not None and q.country in members.value else q.country.lower()
    return q.family


# --- the regime decision -----------------------------------------------------------------------


def _decide(q: _Quote, goods: Money) -> Regime:
    family = _family(q)
    deciders = {
        "eu": _eu,
        "gb": _gb,
        "au": _gst_low_value,
        "nz": _gst_low_value,
        "sg": _gst_low_value,
        "no": _no,
        "ch": _ch,
        "ca": _ca,
        "jp": _jp,
        "us": _us,
    }
    decider = deciders.get(family)
    if decider is None:
        raise NotFoundError(
            f"no import rules for {q.dest} in the data: covered are the EU member states, GB, "
            "AU, NZ, SG, NO, CH, CA, JP and the US states",
            code=q.dest,
        )
    if q.dest == "GB-NIR" or (q.country == "GB" and q.dest != "GB" and _ni(q)):
        raise NotFoundError(
            "orders to Northern Ireland follow EU rules for goods with UK VAT; not covered yet",
            code=q.dest,
        )
    regime = decider(q, goods)
    regime.tax_place = regime.tax_place or q.dest
    return regime


def _nothing_due(regime_id: str, title: str) -> Regime:
    """Under a low-value threshold: no duty and no tax collected by anyone."""
    return Regime(
        regime_id, title, duty="exempt_low_value", tax="below_threshold", tax_collector="nobody"
    )


def _delivery(s: Shipment, goods: Money) -> Money:
    """Shipping plus insurance, in the order currency."""
    return sum((m for m in (s.shipping, s.insurance) if m), goods * 0)


def _border(q: _Quote, scheme: str, title: str) -> Regime:
    """The standard import: duty by the tariff and the import tax at the border."""
    return Regime(
        f"{scheme}.import.standard", title, duty="tariff", tax="border", tax_collector="carrier"
    )


def _ni(q: _Quote) -> bool:
    from crossborder.codes._eu import _within

    return _within(q.dest, "GB-NIR")


def _b2b(q: _Quote) -> bool:
    return q.s.buyer.kind == "business"


def _collector(q: _Quote) -> Collector:
    """Who collects where a marketplace is the deemed supplier of any seller's goods."""
    return "marketplace" if q.s.seller.kind == "marketplace" else "seller"


def _established_in_destination(q: _Quote) -> bool:
    """Whether the seller is established where the tax is due (EU-wide for the EU)."""
    seller = q.s.seller.established_in
    if _family(q) == "eu":
        return eu_status(seller, as_of=q.as_of, rules=q.book).vat_area_goods
    return seller == q.country


def _domestic(q: _Quote, scheme: str) -> Regime:
    # a marketplace is the deemed supplier of goods already in the destination only when the
    # seller is established elsewhere (Art. 14a(2) VAT Directive; UK: overseas sellers)
    deemed = q.s.seller.kind == "marketplace" and not _established_in_destination(q)
    if deemed and _family(q) == "eu":
        rule = q.find("eu.deemed_supplier")
        deemed = rule is not None
        q.ex.step(
            "marketplace as deemed supplier",
            seller=q.s.seller.established_in,
            output=deemed,
            rule=rule.ref if rule else None,
        )
    collector: Collector = "marketplace" if deemed else "seller"
    q.ex.step(
        "ships from stock in the destination", ship_from=q.s.ship_from, output="domestic sale"
    )
    return Regime(
        f"{scheme}.domestic",
        "domestic sale from stock in the destination",
        duty="none",
        tax="checkout",
        tax_collector=collector,
    )


def _inside(q: _Quote, place: str) -> bool:
    return place[:2] == q.country


def _eu(q: _Quote, goods: Money) -> Regime:
    s = q.s
    origin = eu_status(s.ship_from, as_of=q.as_of, rules=q.book)
    dest = eu_status(q.dest, as_of=q.as_of, rules=q.book)
    if not dest.vat_area_goods:
        raise NotFoundError(
            f"{q.dest} ({dest.excluded_territory}) is outside the EU VAT area: its own taxes are "
            "not covered",
            code=q.dest,
        )
    if origin.vat_area_goods:
        if _inside(q, s.ship_from):
            return _domestic(q, "eu")
        return _eu_distance_sale(q, goods)
    if _b2b(q):
        relief = q.rule("eu.customs.negligible_value_relief")
        b2b_duty: DutyMode = (
            "relief" if q.threshold(relief, goods, "duty relief (negligible value)") else "tariff"
        )
        return Regime(
            "eu.import.b2b",
            "import by a business: duty and import VAT at the border, VAT deductible by the buyer",
            duty=b2b_duty,
            tax="border",
            tax_collector="buyer",
            duty_collector="buyer",
        )
    ioss = q.find("eu.import.ioss_threshold")
    if ioss is None or ioss.version.status == "repealed":
        return _eu_before_ioss(q, goods)
    within = q.threshold(ioss, goods, "intrinsic value of the consignment (IOSS)")
    if not within:
        return _border(
            q, "eu", "standard import above EUR 150: customs duty and import VAT at the border"
        )
    registered = s.seller.kind == "marketplace" or s.seller.registered
    duty, flat = _eu_low_value_duty(q, goods, ioss=registered)
    if registered:
        who = (
            "the marketplace as deemed supplier (Art. 14a)"
            if s.seller.kind == "marketplace"
            else "the seller"
        )
        return Regime(
            "eu.import.ioss",
            f"IOSS: VAT charged at checkout by {who}",
            duty=duty,
            tax="checkout",
            tax_collector=_collector(q),
            flat_duty=flat,
        )
    return Regime(
        "eu.import.low_value_no_ioss",
        "low-value import without IOSS: import VAT at the "
        "border, collected by the carrier from the buyer",
        duty=duty,
        tax="border",
        tax_collector="carrier",
        flat_duty=flat,
    )


def _eu_low_value_duty(q: _Quote, goods: Money, *, ioss: bool) -> tuple[DutyMode, Money | None]:
    flat = q.find("eu.customs.low_value_flat_duty")
    if flat is not None and flat.version.status != "repealed":
        applies = set(flat.value.get("applies_to", ()))
        route = "ioss" if ioss else ("postal" if q.s.mode == "post" else "other")
        if route in applies:
            items = {_flat_item(line.hs_code, i) for i, line in enumerate(q.s.lines)}
            per = Money.of(flat.value["amount"], flat.value["currency"])
            amount = q.to(per, q.currency)
            if any(item.startswith("line ") for item in items):
                q.warnings.append(
                    "lines without a 6-digit HS code each count as their own item for the flat duty"
                )
            q.ex.step(
                "flat customs duty on a low-value consignment",
                per_item=per,
                items=sorted(items),
                output=amount * len(items),
                rule=flat.ref,
            )
            if flat.provisional:
                q.warnings.append(
                    "the EUR 3 flat duty rule is provisional: check who it applies to"
                )
            return "flat", amount
        q.ex.step(
            "flat customs duty", route=route, output="does not apply to this route", rule=flat.ref
        )
        return "tariff", None
    relief = q.rule("eu.customs.negligible_value_relief")
    if relief.version.status != "repealed" and q.threshold(
        relief, goods, "duty relief (negligible value)"
    ):
        return "relief", None
    return "tariff", None


def _flat_item(code: str | None, index: int) -> str:
    """The item a line belongs to for the flat duty: its 6-digit sub-heading, or itself."""
    return _heading(code) or f"line {index + 1}"


def _heading(code: str | None) -> str | None:
    try:
        return normalise_hs(code)[:6] if code else None
    except InvalidCodeError:
        return None


def _eu_before_ioss(q: _Quote, goods: Money) -> Regime:
    exempt = q.rule("eu.import.small_consignment_vat_exemption")
    vat_exempt = exempt.version.status != "repealed" and q.threshold(
        exempt, goods, "VAT exemption (EUR 22)"
    )
    relief = q.rule("eu.customs.negligible_value_relief")
    duty: DutyMode = (
        "relief" if q.threshold(relief, goods, "duty relief (negligible value)") else "tariff"
    )
    if vat_exempt:
        return Regime(
            "eu.import.small_consignment",
            "small consignment: no import VAT (before 2021-07-01)",
            duty=duty,
            tax="below_threshold",
            tax_collector="nobody",
        )
    return Regime(
        "eu.import.standard",
        "import: import VAT at the border",
        duty=duty,
        tax="border",
        tax_collector="carrier",
    )


def _eu_distance_sale(q: _Quote, goods: Money) -> Regime:
    s = q.s
    if _b2b(q):
        return Regime(
            "eu.intra_community_supply",
            "intra-Community supply to a business: zero-rated "
            "by the seller, VAT self-assessed by the buyer (reverse charge)",
            duty="none",
            tax="reverse_charge",
            tax_collector="buyer",
        )
    established = eu_status(s.seller.established_in, as_of=q.as_of, rules=q.book).vat_area_goods
    deemed_rule = q.find("eu.deemed_supplier")
    if s.seller.kind == "marketplace" and not established and deemed_rule is not None:
        q.ex.step(
            "marketplace as deemed supplier",
            seller=s.seller.established_in,
            output=True,
            rule=deemed_rule.ref,
        )
        return Regime(
            "eu.deemed_supplier",
            "marketplace as deemed supplier for a non-EU seller "
            "(Art. 14a(2)): destination VAT via OSS",
            duty="none",
            tax="checkout",
            tax_collector="marketplace",
        )
    threshold = q.find("eu.oss.distance_sales_threshold")
    if threshold is None or threshold.version.status == "repealed":
        raise NotFoundError("EU distance sales before 2021-07-01 are not covered", code=q.dest)
    # the threshold is for a seller established in one member state who dispatches from there
    from_home = established and s.ship_from[:2] == s.seller.established_in
    if from_home and s.seller.eu_cross_border_sales is not None:
        sales = s.seller.eu_cross_border_sales
        if sales.currency != "EUR":
            threshold = _national_threshold(q, sales.currency)
        total = sales + q.to(goods, sales.currency)
        if q.threshold(threshold, total, "EU-wide cross-border B2C sales including this order"):
            return Regime(
                "eu.distance_sale.origin",
                "distance sale under the EUR 10,000 threshold: VAT of the seller's member state",
                duty="none",
                tax="checkout",
                tax_collector="seller",
                tax_place=s.ship_from,
            )
    elif from_home:
        q.warnings.append(
            "seller.eu_cross_border_sales not given: the EUR 10,000 threshold is taken "
            "as exceeded (destination VAT)"
        )
    return Regime(
        "eu.distance_sale.oss",
        "intra-EU distance sale: destination VAT, declared via OSS",
        duty="none",
        tax="checkout",
        tax_collector="seller",
    )


def _national_threshold(q: _Quote, currency: str) -> AppliedRule:
    """The EUR 10,000 threshold in the seller's own currency (Art. 59c(5)), as a rule."""
    national = q.find("eu.oss.distance_sales_threshold_national")
    country = q.s.seller.established_in
    entry = national.value.get(country) if national is not None else None
    if national is None or entry is None or entry["currency"] != currency:
        raise InputError(
            f"seller.eu_cross_border_sales in {currency}: give it in EUR, or in the national "
            f"currency of {country} when that member state has its own figure in the data"
        )
    if national.provisional:
        q.warnings.append(
            f"the {entry['currency']} figure of the EUR 10,000 threshold is provisional: "
            "check it with the member state's tax authority"
        )
    spec = {**entry, "basis": "turnover", "per": "year", "inclusive": True}
    return AppliedRule(
        national.rule, national.version.model_copy(update={"value": spec}), national.ref
    )


def _gb(q: _Quote, goods: Money) -> Regime:
    s = q.s
    if _inside(q, s.ship_from):
        return _domestic(q, "gb")
    low = q.rule("gb.import.low_value_threshold")
    if low.version.status == "repealed":
        raise NotFoundError("UK imports before 2021-01-01 are not covered", code=q.dest)
    if q.threshold(low, goods, "intrinsic value of the consignment (GBP 135)"):
        duty: DutyMode = "relief"
        relief = q.rule("gb.customs.low_value_relief")
        if not q.threshold(relief, goods, "customs duty relief"):
            duty = "tariff"
        if _b2b(q):
            return Regime(
                "gb.low_value.b2b",
                "low-value goods to a VAT-registered business: reverse charge",
                duty=duty,
                tax="reverse_charge",
                tax_collector="buyer",
            )
        return Regime(
            "gb.low_value",
            "GBP 135 or less: UK VAT charged at the point of sale by the "
            f"{_collector(q)}, no import VAT",
            duty=duty,
            tax="checkout",
            tax_collector=_collector(q),
        )
    return Regime(
        "gb.import.standard",
        "above GBP 135: customs duty and import VAT at the border",
        duty="tariff",
        tax="border",
        tax_collector="buyer" if _b2b(q) else "carrier",
    )


def _gst_low_value(q: _Quote, goods: Money) -> Regime:
    """AU, NZ and SG: GST on low-value goods collected by the vendor or platform."""
    s = q.s
    cc = q.country.lower()
    if _inside(q, s.ship_from):
        return _domestic(q, cc)
    low = q.rule(f"{cc}.gst.low_value_goods")
    if low.value is None:
        raise NotFoundError(
            f"{q.country} low-value rules are not in force on {q.as_of}", code=q.dest
        )
    if low.value.get("per") == "item":
        items_low = all(
            q.threshold(low, q.to(line.unit_price, q.currency), f"item value ({line.description})")
            for line in s.lines
        )
    else:
        items_low = q.threshold(low, goods, "consignment value")
    border = _border_threshold(q, cc)
    transport = _delivery(s, goods)
    # AU and NZ test the consignment's customs value (FOB); SG its CIF value
    border_value = goods + transport if q.method_for_border() == "CIF" else goods
    below_border = border is None or q.threshold(border, border_value, "consignment at the border")
    registered = s.seller.kind == "marketplace" or s.seller.registered
    if items_low and _b2b(q):
        return Regime(
            f"{cc}.low_value.b2b",
            "low-value goods to a registered business: no GST charged by the vendor",
            duty="none",
            tax="reverse_charge",
            tax_collector="buyer",
        )
    # SG: a registered vendor charges GST on each low-value item whatever the parcel's total;
    # AU and NZ: not when the consignment is above the border threshold (GST at the border)
    if items_low and registered and (below_border or cc == "sg"):
        return Regime(
            f"{cc}.low_value",
            f"low-value goods: {q.country} GST charged at checkout by the {_collector(q)}",
            duty="exempt_low_value",
            tax="checkout",
            tax_collector=_collector(q),
        )
    if below_border:
        if items_low:
            q.warnings.append(
                f"the seller is not registered for {q.country} GST on low-value goods: nobody "
                "collects the GST here (the seller may owe it)"
            )
        return Regime(
            f"{cc}.import.low_value",
            "low-value consignment: no GST or duty collected at the border",
            duty="exempt_low_value",
            tax="below_threshold",
            tax_collector="nobody",
        )
    return Regime(
        f"{cc}.import.standard",
        "above the low-value threshold: duty and GST at the border",
        duty="tariff",
        tax="border",
        tax_collector="carrier",
    )


def _border_threshold(q: _Quote, cc: str) -> AppliedRule | None:
    ids = {
        "au": "au.import.taxable_importation_threshold",
        "nz": "nz.customs.de_minimis",
        "sg": "sg.import.gst_relief_threshold",
    }
    rule = q.find(ids[cc]) if cc in ids else None
    if rule is None or rule.value.get("basis") == "tax_amount":
        return None
    return rule


def _no(q: _Quote, goods: Money) -> Regime:
    s = q.s
    if _inside(q, s.ship_from):
        return _domestic(q, "no")
    voec = q.rule("no.voec.threshold")
    items_low = voec.version.status != "repealed" and all(
        q.threshold(voec, q.to(line.unit_price, q.currency), f"item price ({line.description})")
        for line in s.lines
    )
    registered = s.seller.kind == "marketplace" or s.seller.registered
    if items_low and registered and not _b2b(q):
        return Regime(
            "no.voec",
            "VOEC: Norwegian VAT charged at checkout, no VAT or duty at the border",
            duty="exempt_low_value",
            tax="checkout",
            tax_collector=_collector(q),
        )
    exemption = q.find("no.import.low_value_exemption")
    if exemption is not None and not _b2b(q):
        transport = _delivery(s, goods)
        if q.threshold(exemption, goods + transport, "value with transport (small shipment)"):
            return _nothing_due(
                "no.import.low_value",
                "small shipment under NOK 350 (until 2024): no VAT and no duty",
            )
    return _border(q, "no", "import: VAT and duty at the border")


def _ch(q: _Quote, goods: Money) -> Regime:
    s = q.s
    if _inside(q, s.ship_from):
        return _domestic(q, "ch")
    platform = q.find("ch.platform.deemed_supplier")
    if (
        s.seller.kind == "marketplace"
        and platform is not None
        and platform.version.status != "repealed"
    ):
        return Regime(
            "ch.platform",
            "platform as deemed supplier: Swiss VAT at checkout, import by the platform",
            duty="tariff",
            tax="checkout",
            tax_collector="marketplace",
        )
    if s.seller.registered:
        return Regime(
            "ch.mail_order",
            "registered mail-order seller: Swiss VAT at checkout, the seller imports",
            duty="tariff",
            tax="checkout",
            tax_collector="seller",
        )
    return _border(q, "ch", "import: VAT at the border (not collected at CHF 5 or less)")


def _ca(q: _Quote, goods: Money) -> Regime:
    s = q.s
    if _inside(q, s.ship_from):
        return _domestic(q, "ca")
    if "-" not in q.dest:
        raise InvalidCodeError(
            "for Canada pass the province (CA-ON, CA-QC...): the tax depends on it", code=q.dest
        )
    from_cusma = s.ship_from[:2] in ("US", "MX") and s.mode == "courier"
    if from_cusma:
        tax_free = q.rule("ca.import.cusma_courier_tax_threshold")
        duty_free = q.rule("ca.import.cusma_courier_duty_threshold")
        if q.threshold(tax_free, goods, "courier shipment from the US or Mexico (taxes)"):
            return _nothing_due(
                "ca.import.courier_low_value",
                "CAD 40 or less from the US or Mexico by courier: no duty and no tax",
            )
        if q.threshold(duty_free, goods, "courier shipment from the US or Mexico (duty)"):
            return Regime(
                "ca.import.courier_duty_free",
                "CAD 150 or less from the US or Mexico by courier: no duty, GST/HST at the border",
                duty="exempt_low_value",
                tax="border",
                tax_collector="carrier",
            )
    low = q.rule("ca.import.low_value_threshold")
    if q.threshold(low, goods, "low-value shipment"):
        return _nothing_due("ca.import.low_value", "CAD 20 or less: no duty and no tax")
    return _border(q, "ca", "import: duty and GST/HST at the border")


def _jp(q: _Quote, goods: Money) -> Regime:
    s = q.s
    if _inside(q, s.ship_from):
        return _domestic(q, "jp")
    low = q.rule("jp.import.de_minimis")
    value = goods
    basis = q.find("jp.customs.valuation_basis")
    factor = basis.value.get("personal_use_factor") if basis else None
    if factor is not None and not _b2b(q):
        # goods bought for personal use are valued at a share of the retail price; the
        # share is the customs value, so it is also the tax base (no rounding down
        # before the threshold test: JPY 10,000.8 is above JPY 10,000)
        q.personal_factor = Decimal(factor)
        value = goods.multiply(q.personal_factor, rounding=RoundingMode.CEILING)
        q.ex.step(
            "personal-use valuation",
            retail_price=goods,
            factor=factor,
            output=value,
            rule=basis.ref if basis else None,
        )
    transport = _delivery(s, goods)
    if q.threshold(low, value + transport, "taxable value of the consignment (CIF)"):
        return _nothing_due(
            "jp.import.low_value", "JPY 10,000 or less: no duty and no consumption tax"
        )
    return _border(q, "jp", "import: duty and consumption tax at the border")


def _us(q: _Quote, goods: Money) -> Regime:
    s = q.s
    if "-" not in q.dest:
        raise InvalidCodeError(
            "for the US pass the state (US-CA, US-NY...): sales tax depends on it", code=q.dest
        )
    collector: Collector = "seller" if s.seller.registered else "buyer"
    if s.seller.kind == "marketplace":
        facilitator = q.rule(f"{q.dest.lower()}.sales_tax.marketplace_facilitator")
        collects = bool(facilitator.value and facilitator.value.get("collects"))
        q.ex.step(
            "marketplace facilitator law", state=q.dest, output=collects, rule=facilitator.ref
        )
        if collects:
            collector = "marketplace"
    tax: TaxMode = "checkout" if collector != "buyer" else "none"
    if collector == "buyer":
        q.warnings.append(
            "nobody collects sales tax for this sale in this state: the buyer owes use tax"
        )
    elif s.shipping or s.insurance:
        q.delivery_taxable = _us_delivery_taxable(q)
    if _inside(q, s.ship_from):
        regime = _domestic(q, "us")
        regime.tax, regime.tax_collector = tax, collector
        return regime
    q.warnings.append(
        "US duties: MFN rates only; additional duties by origin (Section 301/232, "
        "IEEPA and successors) are not included unless your tariff table adds them"
    )
    dm = q.rule("us.import.de_minimis")
    duty: DutyMode = "tariff"
    if dm.version.status != "repealed":
        excluded = {line.origin for line in s.lines} & set(dm.value.get("excluded_origins", ()))
        if excluded:
            q.ex.step("de minimis", origins=sorted(excluded), output="excluded origin", rule=dm.ref)
        elif q.threshold(dm, goods, "fair retail value per person per day (de minimis)"):
            duty = "exempt_low_value"
    else:
        q.ex.step("de minimis", output="suspended or repealed on this date", rule=dm.ref)
    postal = q.find("us.import.postal_specific_duty")
    if s.mode == "post" and postal is not None and duty == "tariff":
        q.warnings.append(
            "postal shipment: the interim per-item postal duty option "
            "(us.import.postal_specific_duty) is not applied; the MFN tariff is used"
        )
    return Regime(
        "us.import",
        "import into the US: duty at the border, state sales tax at checkout",
        duty=duty,
        tax=tax,
        tax_collector=collector,
        duty_collector="carrier",
    )


def _us_delivery_taxable(q: _Quote) -> bool:
    """Whether the state taxes delivery charges stated separately on the invoice."""
    rule = q.find(f"{q.dest.lower()}.sales_tax.delivery_charges")
    if rule is None:
        q.warnings.append(
            f"whether {q.dest} taxes delivery charges is not in the data: only the goods are taxed"
        )
        return False
    treatment = str(rule.value["treatment"])
    taxable = treatment == "taxable"
    q.ex.step(
        "delivery charges in the sales tax base",
        state=q.dest,
        treatment=treatment,
        assumed="delivery stated separately on the invoice",
        output=taxable,
        rule=rule.ref,
    )
    if rule.provisional:
        q.warnings.append(f"the delivery-charge rule for {q.dest} is provisional")
    return taxable


# --- lines and totals --------------------------------------------------------------------------


def _digits(code: str | None) -> tuple[str | None, str | None]:
    """(HS digits, problem): 4 to 10 digits; a 4-digit heading gives an estimate."""
    found = _DIGITS.get(code) if type(code) is str else None
    if found is None:
        found = _read_digits(code)
        if type(code) is str:
            if len(_DIGITS) > 50_000:
                _DIGITS.clear()
            _DIGITS[code] = found
    return found


_DIGITS: dict[str, tuple[str | None, str | None]] = {}


def _read_digits(code: str | None) -> tuple[str | None, str | None]:
    if code is None or not str(code).strip():
        return None, "no HS code: duty cannot be quoted"
    digits = "".join(ch for ch in str(code) if ch not in " .-")
    if not digits.isdigit() or not digits.isascii() or not 4 <= len(digits) <= 10:
        return None, f"HS code {code!r} is not 4 to 10 digits: duty cannot be quoted"
    return digits, None


def _duty_amount(q: _Quote, rate: DutyRate, customs: Money, i: int) -> Money | None:
    computation = q.find(f"{_family(q)}.import_tax.computation")
    if computation is None and rate.specific is rate.minimum is rate.maximum is None:
        return customs.multiply(rate.ad_valorem, rounding=q.mode)  # ad valorem only
    line = q.s.lines[i]
    if computation is not None:  # customs truncates the value and the duty (Japan)
        customs = _truncate(customs, int(computation.value["base_unit"]))
        exact = customs.multiply(rate.ad_valorem, rounding=RoundingMode.DOWN)
        q.exact_duties[i] = exact
        duty = _truncate(exact, int(computation.value["national_unit"]))
    else:
        duty = customs.multiply(rate.ad_valorem, rounding=q.mode)

    def per_unit(spec: Any) -> Money | None:
        if spec is None:
            return None
        if spec.per == "kg":
            if line.unit_weight_kg is None:
                return None
            units = line.unit_weight_kg * line.quantity
        else:
            units = Decimal(line.quantity)
        amount = Money.of(spec.amount, spec.currency, rounding=q.mode).multiply(
            units, rounding=q.mode
        )
        return q.to(amount, q.currency)

    if rate.specific is not None:
        specific = per_unit(rate.specific)
        if specific is None:
            return None
        duty = duty + specific
    low, high = per_unit(rate.minimum), per_unit(rate.maximum)
    if (rate.minimum is not None and low is None) or (rate.maximum is not None and high is None):
        return None
    if low is not None and duty < low:
        duty = low
    if high is not None and duty > high:
        duty = high
    return duty


def _line(
    q: _Quote, regime: Regime, i: int, value: Money, customs: Money, transport: Money
) -> dict[str, Any]:
    """One line's fields (a LineQuote's, plus what its explanation step shows)."""
    line = q.s.lines[i]
    zero = q.zero
    status: Literal["quoted", "estimate", "unquotable"] = "quoted"
    problem: str | None = None
    duty: Money | None = zero
    duty_min = duty_max = None
    rates: tuple[DutyRate, ...] = ()
    reasons: dict[DutyMode, Reason] = {
        "none": "not_applicable",
        "relief": "relief_low_value",
        "exempt_low_value": "below_threshold",
        "flat": "flat_duty",
        "tariff": "charged",
    }
    duty_reason: Reason = reasons[regime.duty]
    if regime.duty == "flat" and regime.flat_duty is not None:
        item = _flat_item(line.hs_code, i)  # the first line of each item carries its flat duty
        if item not in q.flat_items:
            q.flat_items.add(item)
            duty = regime.flat_duty
    if regime.duty == "tariff":
        duty, duty_min, duty_max, rates, duty_reason, status, problem = _tariff_duty(q, i, customs)
    tax, tax_rate, tax_reason, base = _tax(q, regime, i, value, customs, transport, duty or zero)
    return {
        "index": i,
        "description": line.description,
        "hs_code": line.hs_code,
        "status": status,
        "value": value,
        "customs_value": customs,
        "duty": duty,
        "duty_min": duty_min,
        "duty_max": duty_max,
        "duty_reason": duty_reason,
        "duty_rates": rates,
        "tax": tax,
        "tax_rate": tax_rate,
        "tax_reason": tax_reason,
        "problem": problem,
        "_base": base,
        "_transport": transport,
    }


def _finish_line(q: _Quote, row: dict[str, Any]) -> LineQuote:
    """Record the line's step, with its final figures, and freeze it."""
    i, line = row["index"], q.s.lines[row["index"]]
    base, transport = row.pop("_base"), row.pop("_transport")
    rates, duty, tax = row["duty_rates"], row["duty"], row["tax"]
    q.ex.step(
        f"line {i + 1}: duty and tax",
        unit_price=line.unit_price,
        quantity=line.quantity,
        value=row["value"],
        transport_share=transport,
        customs_value=row["customs_value"],
        hs_code=line.hs_code,
        duty_reason=row["duty_reason"],
        duty_rate="; ".join(_describe_duty(r) for r in rates) or "-",
        duty=duty if duty is not None else "not quoted",
        tax_base=base if base is not None else "-",
        tax_rate=row["tax_rate"] if row["tax_rate"] is not None else "-",
        tax_reason=row["tax_reason"],
        output=f"duty {duty if duty is not None else 'not quoted'}, tax {tax}",
        rule=rates[0].rule if len(rates) == 1 and rates[0].rule else None,
    )
    return construct(LineQuote, **row)


def _describe_duty(rate: DutyRate) -> str:
    """A tariff line's duty as a reviewer reads it: '4.5 %, min 0.30 EUR/item, max 0.80 ...'."""
    known = _DESCRIBED.get(id(rate))
    if known is not None and known[0] is rate:  # the tariff hands out the same line objects
        return known[1]
    if len(_DESCRIBED) > 50_000:
        _DESCRIBED.clear()
    text = _describe(rate)
    _DESCRIBED[id(rate)] = (rate, text)
    return text


_DESCRIBED: dict[int, tuple[DutyRate, str]] = {}


def _describe(rate: DutyRate) -> str:
    parts = [f"{rate.line}: {(rate.ad_valorem * 100).normalize():f} %"]
    for label, spec in (("+", rate.specific), ("min", rate.minimum), ("max", rate.maximum)):
        if spec is not None:
            parts.append(f"{label} {spec.amount} {spec.currency}/{spec.per}")
    return " ".join(parts)


def _tariff_duty(q: _Quote, i: int, customs: Money) -> tuple[Any, ...]:
    line = q.s.lines[i]
    digits, problem = _digits(line.hs_code)
    if digits is None:
        return None, None, None, (), "unquotable", "unquotable", problem
    if _family(q) == "ch":
        basis = q.rule("ch.customs.valuation_basis")
        if basis.value.get("industrial_goods_duty_free") and int(digits[:2]) >= 25:
            q.ex.step(
                f"Swiss industrial goods, line {i + 1}",
                chapter=digits[:2],
                output="duty-free",
                rule=basis.ref,
            )
            return q.zero, None, None, (), "exempt", "quoted", None
    match = q.tariff.match(q.dest, digits, origin=line.origin, as_of=q.as_of, preferential=False)
    if match is None:
        return (
            None,
            None,
            None,
            (),
            "unquotable",
            "unquotable",
            (f"no tariff line for HS {digits} at {q.dest} in the tariff data"),
        )
    _flag_duty(q, i, match.lines)
    amounts = [_duty_amount(q, rate, customs, i) for rate in match.lines]
    if any(a is None for a in amounts):
        return (
            None,
            None,
            None,
            match.lines,
            "unquotable",
            "unquotable",
            ("a specific duty needs unit_weight_kg on the line"),
        )
    known = [a for a in amounts if a is not None]
    low, high = min(known), max(known)
    if low == high:
        free = all(not r.ad_valorem and r.specific is None for r in match.lines)
        reason = "charged" if low else "zero_rated" if free else "rounded_to_zero"
        return low, None, None, match.lines, reason, "quoted", None
    q.warnings.append(
        f"line {i + 1}: HS {digits} is incomplete; duty is a range over the {len(known)} "
        "tariff lines beneath it in the tariff data (the maximum is used in totals)"
    )
    return (
        high,
        low,
        high,
        match.lines,
        "estimate",
        "estimate",
        (f"HS code {digits} is incomplete: duty between {low} and {high}"),
    )


def _tax(
    q: _Quote, regime: Regime, i: int, value: Money, customs: Money, transport: Money, duty: Money
) -> tuple[Money, Decimal | None, Reason, Money | None]:
    zero = q.zero
    if regime.tax in FIXED_TAX:
        return zero, None, FIXED_TAX[regime.tax], None
    rate = _line_rate(q, regime, i)
    if regime.tax == "checkout":
        base = value + transport if q.delivery_taxable else value
    else:
        base = _import_base(q, customs, transport, duty)
    tax = base.multiply(rate.rate, rounding=q.mode)
    q.tax_parts[i] = (base, rate.rate)
    reason = _charged_reason(regime) if tax else _zero_tax_reason(rate)
    return tax, rate.rate, reason, base


FIXED_TAX: dict[TaxMode, Reason] = {
    "reverse_charge": "reverse_charge",
    "none": "not_applicable",
    "below_threshold": "below_threshold",
}


def _flag_duty(q: _Quote, i: int, rates: tuple[DutyRate, ...]) -> None:
    """Warn when a line's duty rests on tariff lines that are not confirmed."""
    unsure = [r.line for r in rates if r.rule is not None and r.rule.status != "enacted"]
    if unsure:
        q.warnings.append(
            f"line {i + 1}: provisional duty rate(s) for tariff line(s) {', '.join(unsure)}: "
            "confirm against the official tariff"
        )


def _line_rate(q: _Quote, regime: Regime, i: int) -> TaxRate:
    """The tax rate of line ``i`` where the regime charges tax (warned when not enacted)."""
    rate = q.rate(regime.tax_place, q.s.lines[i].category)
    if any(c.rule.status != "enacted" for c in rate.components):
        q.warnings.append(
            f"line {i + 1}: the tax rate uses a {rate.components[0].rule.status} rule"
        )
    return rate


def _zero_tax_reason(rate: TaxRate) -> Reason:
    """Why a line's tax came to zero at this rate."""
    if rate.kind == "exempt":
        return "exempt"
    if rate.rate:
        return "rounded_to_zero"
    return "zero_rated" if rate.kind != "standard" else "not_applicable"


_BASE_PARTS = frozenset(
    {
        "customs_value",
        "duty",
        "excise",
        "other_charges",
        "transport_to_border",
        "insurance_to_border",
        "transport_to_destination",
    }
)


def _import_base(q: _Quote, customs: Money, transport: Money, duty: Money) -> Money:
    parts = _base_parts(q)
    base = customs
    if "transport_to_border" in parts and q.method != "CIF":
        base = base + transport
    if "duty" in parts:
        base = base + duty
    return base


def _base_parts(q: _Quote) -> frozenset[str]:
    """What the import tax base adds to the customs value (found once per order)."""
    if q.base_parts is None:
        rule = q.find(f"{_family(q)}.import_vat.base")
        if rule is None:
            q.warnings.append(
                f"no import tax base rule for {q.dest}: customs value plus duty assumed"
            )
            q.base_parts = frozenset({"customs_value", "duty"})
            q.ex.step("import tax base", output="customs value + duty (assumed)")
        else:
            includes = rule.value.get("includes") if isinstance(rule.value, dict) else None
            if not isinstance(includes, list) or not set(includes) <= _BASE_PARTS:
                raise RuleDataError(
                    f"{rule.ref.ref}: value.includes must list parts of {sorted(_BASE_PARTS)}",
                    path=rule.ref.source,
                    field="value.includes",
                )
            q.base_parts = frozenset(includes)
            fob = q.method != "CIF"
            used = [p for p in includes if fob or p != "transport_to_border"]
            q.ex.step("import tax base", valuation=q.method, output=" + ".join(used), rule=rule.ref)
    return q.base_parts


def _totals(
    q: _Quote,
    regime: Regime,
    goods: Money,
    values: list[Money],
    lines: list[LineQuote],
    delivery_charges: Money,
) -> LandedCost:
    s = q.s
    zero = q.zero
    duty_total = Money.from_minor(sum(line.duty.minor for line in lines if line.duty), q.currency)
    tax_total = Money.from_minor(sum(line.tax.minor for line in lines if line.tax), q.currency)
    if tax_total and regime.id.startswith("ch.import") and _ch_minimum(q, tax_total):
        tax_total = zero
        lines = [
            line.model_copy(update={"tax": zero, "tax_reason": "below_threshold"}) for line in lines
        ]
    charges = _charges(s, regime, q.country, duty_total, tax_total)
    checkout = sum((c.amount for c in charges if c.due == "checkout"), zero)
    delivery = sum((c.amount for c in charges if c.due == "delivery"), zero)
    goods_dest = Money.from_minor(sum(v.minor for v in values), q.currency)
    landed = goods_dest + delivery_charges + duty_total + tax_total
    in_order = checkout if q.currency == s.currency else q.to(checkout, s.currency)
    complete = all(line.status == "quoted" for line in lines)
    q.warnings.extend(
        f"line {line.index + 1}: {line.problem}" for line in lines if line.status == "unquotable"
    )
    q.ex.step(
        "totals",
        duty=duty_total,
        tax=tax_total,
        at_checkout=checkout,
        at_delivery=delivery,
        output=landed,
    )
    return construct(
        LandedCost,
        destination=q.dest,
        as_of=q.as_of,
        regime=regime.id,
        regime_title=regime.title,
        currency=q.currency,
        order_currency=s.currency,
        goods_value=goods,
        lines=tuple(lines),
        charges=tuple(charges),
        duty_total=duty_total,
        tax_total=tax_total,
        due_at_checkout=checkout,
        due_at_checkout_order_currency=in_order,
        due_at_delivery=delivery,
        landed_total=landed,
        fx=q.fx,
        complete=complete,
        warnings=tuple(dict.fromkeys(q.warnings + regime.warnings)),
        explanation=q.ex.done(),
    )


def _charges(
    s: Shipment, regime: Regime, country: str, duty_total: Money, tax_total: Money
) -> list[Charge]:
    """The order's duty and tax charges: who collects each, and when it is due."""
    charges: list[Charge] = []
    border_due = "checkout" if s.incoterm == "DDP" else "delivery"
    if duty_total and regime.duty in ("flat", "tariff"):
        # a flat duty on an IOSS sale is charged at checkout with the VAT
        with_tax = regime.duty == "flat" and regime.tax == "checkout"
        charges.append(
            construct(
                Charge,
                name="flat customs duty" if regime.duty == "flat" else "customs duty",
                amount=duty_total,
                collector=regime.tax_collector if with_tax else _pays(s, regime.duty_collector),
                due="checkout" if with_tax else border_due,
            )
        )
    if tax_total:
        name = (
            "import tax"
            if regime.tax == "border"
            else "sales tax"
            if country == "US"
            else "VAT/GST"
        )
        due = {"checkout": "checkout", "border": border_due}.get(regime.tax, "self_assessed")
        collector = (
            _pays(s, regime.tax_collector) if regime.tax == "border" else regime.tax_collector
        )
        charges.append(construct(Charge, name=name, amount=tax_total, collector=collector, due=due))
    return charges


def _pays(s: Shipment, collector: Collector) -> Collector:
    """Under DDP the seller pays the border charges (and recovers them at checkout)."""
    return "seller" if s.incoterm == "DDP" and collector in ("carrier", "buyer") else collector


def _ch_minimum(q: _Quote, tax: Money) -> bool:
    rule = q.rule("ch.import_vat.minimum_tax")
    return q.threshold(rule, tax, "import VAT amount (not collected when small)")
