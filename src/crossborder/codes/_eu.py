from __future__ import annotations

import datetime as _dt
from typing import Literal

from pydantic import BaseModel, ConfigDict

from crossborder._checks import check_date
from crossborder.codes._codes import find_subdivision, place_code
from crossborder.errors import InvalidCodeError, NotFoundError
from crossborder.explain._model import Explainer, Explanation
from crossborder.money._currency import load_table
from crossborder.rules._book import AppliedRule, RuleBook, resolve_book

MEMBERS = "eu.member_states"
EURO_AREA = "eu.euro_area"
VAT_STATES = "eu.vat_area.states"
EXCLUDED = "eu.vat_area.excluded_territories"
NI_GOODS = "eu.vat_area.northern_ireland_goods"
POSTAL_CODES = "eu.vat_area.territory_postal_codes"
OWN_ALPHA2 = "iso3166.subdivisions_with_alpha2"


class EUStatus(BaseModel):
    """Where a place stands towards the EU on a date, and why.

    Attributes:
        place: the country or subdivision asked about, normalised.
        country: the member state (or other country) it belongs to.
        eu_member: part of an EU member state.
        euro_area: part of a member state that uses the euro.
        vat_area_goods: inside the EU VAT area for supplies of goods
            (Northern Ireland is, from 2021).
        vat_area_services: inside the EU VAT area for services.
        excluded_territory: the special territory outside the VAT area it lies in.
        provisional: a provisional rule (the postal-code table) was used.
        explanation: the rules used, with their sources.
    """

    model_config = ConfigDict(frozen=True)

    place: str
    as_of: _dt.date
    postal_code: str | None
    country: str
    eu_member: bool
    euro_area: bool
    vat_area_goods: bool
    vat_area_services: bool
    excluded_territory: str | None
    provisional: bool = False
    explanation: Explanation


def _postal(code: str | None) -> str | None:
    if code is None:
        return None
    if not isinstance(code, str) or not code.strip():
        raise InvalidCodeError(f"postal_code must be a non-empty string, got {code!r}", code=code)
    norm = code.replace(" ", "").replace("-", "").upper()
    if not (norm.isascii() and norm.isalnum() and 2 <= len(norm) <= 10):
        raise InvalidCodeError(
            f"postal_code {code!r} is not a postal code (2 to 10 letters and digits)", code=code
        )
    return norm


class Territory(BaseModel):
    """An entry of ``eu.vat_area.excluded_territories``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    country: str
    codes: tuple[str, ...]
    in_eu: bool = True
    basis: str


class PostalArea(BaseModel):
    """An entry of ``eu.vat_area.territory_postal_codes``: postal codes to a place or territory."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    place: str | None = None
    territory: str | None = None
    country: str
    postal_codes: tuple[str, ...]
    postal_match: Literal["exact", "prefix"] = "exact"

    def matches(self, country: str, postal: str) -> bool:
        if country != self.country:
            return False
        if self.postal_match == "prefix":
            return any(postal.startswith(code) for code in self.postal_codes)
        return postal in self.postal_codes


Members = tuple[str, ...]
Territories = tuple[Territory, ...]


def _territory(book: RuleBook, place: str, as_of: _dt.date) -> tuple[Territory | None, AppliedRule]:
    excluded = book.get(EXCLUDED, as_of=as_of)
    territories: Territories = excluded.value_as(Territories)
    return next((t for t in territories if place in t.codes), None), excluded


def _ever_named(book: RuleBook, rule_id: str, place: str) -> bool:
    """Whether ``place`` appears in any version of a territory or code-map rule."""
    for version in book.rule(rule_id).versions:
        value = version.value or ()
        entries = value.values() if isinstance(value, dict) else value
        if place in value or any(
            isinstance(e, dict) and place in e.get("codes", ()) for e in entries
        ):
            return True
    return False


def _within(place: str, ancestor: str) -> bool:
    """Whether subdivision ``place`` is ``ancestor`` or lies inside it (ISO 3166-2 parents)."""
    node = find_subdivision(place) if "-" in place else None
    while node is not None:
        if node.code == ancestor:
            return True
        node = find_subdivision(node.parent_code) if node.parent_code else None
    return False


def eu_status(
    place: str,
    *,
    as_of: _dt.date,
    postal_code: str | None = None,
    allow_provisional: bool = False,
    rules: RuleBook | None = None,
) -> EUStatus:
    """EU membership, euro-area and VAT-area status of a country or subdivision.

    ``postal_code`` finds the special territories that have no ISO code of
    their own (Livigno, Campione d'Italia, Büsingen, Heligoland) and
    Northern Ireland within GB. The postal-code table is provisional (postal
    codes are the operators' facts, not the Directive's): using it needs
    ``allow_provisional=True``, and the result and its explanation flag it.

    >>> import datetime
    >>> s = eu_status("ES-CN", as_of=datetime.date(2026, 1, 1))
    >>> s.eu_member, s.vat_area_goods, s.excluded_territory
    (True, False, 'Canary Islands')
    >>> eu_status("GB-NIR", as_of=datetime.date(2026, 1, 1)).vat_area_goods
    True
    """
    as_of = check_date(as_of)
    book = resolve_book(rules)
    key = (place, as_of, postal_code, allow_provisional)
    cache = book.memo("eu_status")
    try:
        found = cache.get(key)
    except TypeError:  # unhashable junk: let the checks below say what is wrong
        found = None
    if found is not None:
        return found  # type: ignore[no-any-return]
    status = _eu_status(place, as_of, postal_code, allow_provisional, book)
    cache[key] = status
    return status


def _eu_status(
    place: str, as_of: _dt.date, postal_code: str | None, allow_provisional: bool, book: RuleBook
) -> EUStatus:
    place = asked = place_code(place)
    postal = _postal(postal_code)
    ex = Explainer(data_version=book.data_version, overlays=book.overlays)
    territory, excluded = _territory(book, place, as_of)
    provisional = False
    if territory is None and postal is not None:
        postal_rule = book.get(POSTAL_CODES, as_of=as_of, allow_provisional=allow_provisional)
        provisional = postal_rule.provisional
        areas: tuple[PostalArea, ...] = postal_rule.value_as(tuple[PostalArea, ...])
        area = next((a for a in areas if a.matches(place[:2], postal)), None)
        if area is not None and area.place is not None:
            place = area.place
            territory, excluded = _territory(book, place, as_of)
        elif area is not None:
            names = excluded.value_as(Territories)
            territory = next((t for t in names if t.name == area.territory), None)
        ex.step(
            "match postal code",
            place=asked,
            postal_code=postal,
            output=(area.place or area.territory) if area else "no special area",
            rule=postal_rule.ref,
        )
    country = territory.country if territory else place[:2]
    ex.step(
        "find special territory",
        place=place,
        output=territory.name if territory else "none",
        rule=excluded.ref,
    )
    members = book.get(MEMBERS, as_of=as_of)
    eu_member = country in members.value_as(Members) and not (territory and not territory.in_eu)
    ex.step("EU member state", country=country, output=eu_member, rule=members.ref)
    euro = book.get(EURO_AREA, as_of=as_of)
    euro_area = eu_member and country in euro.value_as(Members)
    ex.step("euro area", country=country, output=euro_area, rule=euro.ref)
    vat_states = book.get(VAT_STATES, as_of=as_of)
    in_vat_state = country in vat_states.value_as(Members)
    ex.step("state in EU VAT area", country=country, output=in_vat_state, rule=vat_states.ref)
    vat_services = in_vat_state and territory is None
    vat_goods = vat_services
    if not in_vat_state and _within(place, "GB-NIR"):
        ni = book.get(NI_GOODS, as_of=as_of)
        vat_goods = ni.value_as(bool)
        ex.step("Northern Ireland goods rule", place=place, output=vat_goods, rule=ni.ref)
    ex.step(
        "EU VAT area",
        goods=vat_goods,
        services=vat_services,
        output="inside" if vat_goods or vat_services else "outside",
    )
    return EUStatus(
        place=asked,
        as_of=as_of,
        postal_code=postal,
        country=country,
        eu_member=eu_member,
        euro_area=euro_area,
        vat_area_goods=vat_goods,
        vat_area_services=vat_services,
        excluded_territory=territory.name if territory else None,
        provisional=provisional,
        explanation=ex.done(),
    )


def _membership(
    place: str, as_of: _dt.date, rules: RuleBook | None
) -> tuple[RuleBook, _dt.date, str, bool]:
    """(book, date, member state or country, part of the EU) for membership questions.

    A member state's own code needs only the membership rule (data from
    1995); any other code may be a special territory, whose list starts later.
    """
    as_of = check_date(as_of)
    place = place_code(place)
    book = resolve_book(rules)
    members: Members = book.get(MEMBERS, as_of=as_of).value_as(Members)
    if place in members:
        return book, as_of, place, True
    if not _ever_named(book, EXCLUDED, place):  # never a special territory: no need to ask
        return book, as_of, place[:2], place[:2] in members
    territory, _ = _territory(book, place, as_of)
    country = territory.country if territory else place[:2]
    return book, as_of, country, country in members and not (territory and not territory.in_eu)


def in_eu(place: str, *, as_of: _dt.date, rules: RuleBook | None = None) -> bool:
    """Whether ``place`` is part of an EU member state on ``as_of`` (data from 1995).

    >>> import datetime
    >>> in_eu("GB", as_of=datetime.date(2020, 1, 31)), in_eu("GB", as_of=datetime.date(2020, 2, 1))
    (True, False)
    """
    return _membership(place, as_of, rules)[3]


def in_euro_area(place: str, *, as_of: _dt.date, rules: RuleBook | None = None) -> bool:
    """Whether ``place`` is part of a euro-area member state on ``as_of`` (data from 1999)."""
    book, as_of, country, member = _membership(place, as_of, rules)
    return member and country in book.get(EURO_AREA, as_of=as_of).value_as(Members)


def in_eu_vat_area(
    place: str,
    *,
    as_of: _dt.date,
    supply: Literal["goods", "services"] = "goods",
    postal_code: str | None = None,
    allow_provisional: bool = False,
    rules: RuleBook | None = None,
) -> bool:
    """Whether ``place`` is inside the EU VAT area for ``supply`` on ``as_of``.

    >>> import datetime
    >>> in_eu_vat_area("GB", as_of=datetime.date(2020, 12, 31))
    True
    >>> in_eu_vat_area("DE", postal_code="78266", allow_provisional=True,
    ...                as_of=datetime.date(2026, 1, 1))
    False
    """
    if supply not in ("goods", "services"):
        raise InvalidCodeError(f"supply must be 'goods' or 'services', got {supply!r}", code=supply)
    status = eu_status(
        place,
        as_of=as_of,
        postal_code=postal_code,
        allow_provisional=allow_provisional,
        rules=rules,
    )
    return status.vat_area_goods if supply == "goods" else status.vat_area_services


def _own_alpha2(book: RuleBook, place: str, as_of: _dt.date) -> str | None:
    """The ISO 3166-1 code a subdivision or territory also has (CN-HK is HK, FR-NC is NC)."""
    if "-" not in place:
        return place
    if _ever_named(book, EXCLUDED, place):
        territory, _ = _territory(book, place, as_of)
        own = [c for c in territory.codes if len(c) == 2] if territory else []
        if own:
            return own[0]
    if _ever_named(book, OWN_ALPHA2, place):
        mapping: dict[str, str] = book.get(OWN_ALPHA2, as_of=as_of).value_as(dict[str, str])
        return mapping.get(place)
    return None


def currency_of(place: str, *, as_of: _dt.date, rules: RuleBook | None = None) -> str:
    """The currency in use in ``place`` on ``as_of`` (EU data from 1995).

    The euro-area rule decides for EU member states from 1999; elsewhere the
    answer comes from CLDR's dated territory currencies (babel), limited to
    codes our ISO 4217 table has in use on that date.

    >>> import datetime
    >>> day = datetime.date(2026, 1, 1)
    >>> currency_of("BG", as_of=day - datetime.timedelta(days=1)), currency_of("BG", as_of=day)
    ('BGN', 'EUR')
    """
    from babel.numbers import get_territory_currencies

    book, as_of, country, member = _membership(place, as_of, rules)
    euro = book.find(EURO_AREA, as_of=as_of)
    if member and euro is not None and country in euro.value_as(Members):
        return "EUR"
    own = _own_alpha2(book, place_code(place), as_of) or country
    table = load_table()
    found: list[str] = []
    for code in get_territory_currencies(own, start_date=as_of, end_date=as_of):
        # CLDR can lag behind a changeover: follow the replacement our table records
        while code in table and not table[code].in_use(as_of) and table[code].replaced_by:
            code = table[code].replaced_by or code
        if code in table and table[code].in_use(as_of) and code not in found:
            found.append(code)
    if "EUR" in found and euro is not None and member:
        found.remove("EUR")  # CLDR ahead of the euro-area rule for a member state
    if not found:
        raise NotFoundError(f"no currency known for {place} on {as_of}", code=place, as_of=as_of)
    return found[0]
