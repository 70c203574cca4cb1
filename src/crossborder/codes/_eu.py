from __future__ import annotations

import datetime as _dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from crossborder._checks import check_date
from crossborder.codes._codes import find_subdivision, place_code
from crossborder.errors import InvalidCodeError, NotFoundError
from crossborder.explain._model import Explainer, Explanation
from crossborder.money._currency import load_table
from crossborder.rules._book import RuleBook

MEMBERS = "eu.member_states"
EURO_AREA = "eu.euro_area"
VAT_STATES = "eu.vat_area.states"
EXCLUDED = "eu.vat_area.excluded_territories"
NI_GOODS = "eu.vat_area.northern_ireland_goods"
POSTAL_CODES = "eu.vat_area.territory_postal_codes"


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


def _postal_area(entries: list[dict[str, Any]], country: str, postal: str) -> dict[str, Any] | None:
    for entry in entries:
        if entry["country"] != country:
            continue
        prefix = entry.get("postal_match") == "prefix"
        for code in entry["postal_codes"]:
            if postal.startswith(code) if prefix else postal == code:
                return entry
    return None


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
    rules: RuleBook | None = None,
) -> EUStatus:
    """EU membership, euro-area and VAT-area status of a country or subdivision.

    ``postal_code`` finds the special territories that have no ISO code of
    their own (Livigno, Campione d'Italia, Büsingen, Heligoland) and
    Northern Ireland within GB. The postal-code table is provisional (postal
    codes are the operators' facts, not the Directive's); the explanation
    flags the step that used it.

    >>> import datetime
    >>> s = eu_status("ES-CN", as_of=datetime.date(2026, 1, 1))
    >>> s.eu_member, s.vat_area_goods, s.excluded_territory
    (True, False, 'Canary Islands')
    >>> eu_status("GB-NIR", as_of=datetime.date(2026, 1, 1)).vat_area_goods
    True
    """
    as_of = check_date(as_of)
    place = asked = place_code(place)
    postal = _postal(postal_code)
    book = rules or RuleBook.packaged()
    ex = Explainer(data_version=book.data_version, overlays=book.overlays)

    excluded = book.get(EXCLUDED, as_of=as_of)
    territories: list[dict[str, Any]] = list(excluded.value)
    territory = next((t for t in territories if place in t["codes"]), None)
    if territory is None and postal is not None:
        postal_rule = book.get(POSTAL_CODES, as_of=as_of, allow_provisional=True)
        area = _postal_area(list(postal_rule.value), place[:2], postal)
        if area is not None and "place" in area:
            place = area["place"]
            territory = next((t for t in territories if place in t["codes"]), None)
        elif area is not None:
            territory = next((t for t in territories if t["name"] == area["territory"]), None)
        found = area.get("place") or area.get("territory") if area else "no special area"
        ex.step(
            "match postal code", place=place, postal_code=postal, output=found, rule=postal_rule.ref
        )
    country = territory["country"] if territory else place[:2]
    ex.step(
        "find special territory",
        place=place,
        output=territory["name"] if territory else "none",
        rule=excluded.ref,
    )
    outside_eu = territory is not None and territory.get("in_eu") is False
    members = book.get(MEMBERS, as_of=as_of)
    eu_member = country in members.value and not outside_eu
    ex.step("EU member state", country=country, output=eu_member, rule=members.ref)
    euro = book.get(EURO_AREA, as_of=as_of)
    euro_area = eu_member and country in euro.value
    ex.step("euro area", country=country, output=euro_area, rule=euro.ref)
    vat_states = book.get(VAT_STATES, as_of=as_of)
    in_vat_state = country in vat_states.value
    ex.step("state in EU VAT area", country=country, output=in_vat_state, rule=vat_states.ref)
    vat_services = in_vat_state and territory is None
    vat_goods = vat_services
    if not in_vat_state and _within(place, "GB-NIR"):
        ni = book.get(NI_GOODS, as_of=as_of)
        vat_goods = ni.value is True
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
        excluded_territory=territory["name"] if territory else None,
        explanation=ex.done(),
    )


def _membership(
    place: str, as_of: _dt.date, rules: RuleBook | None
) -> tuple[RuleBook, _dt.date, str, bool]:
    """(book, date, member state or country, part of the EU) for membership questions."""
    as_of = check_date(as_of)
    place = place_code(place)
    book = rules or RuleBook.packaged()
    excluded = book.find(EXCLUDED, as_of=as_of)
    territory = next((t for t in excluded.value if place in t["codes"]), None) if excluded else None
    country = territory["country"] if territory else place[:2]
    member = country in book.get(MEMBERS, as_of=as_of).value
    return book, as_of, country, member and not (territory and territory.get("in_eu") is False)


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
    return member and country in book.get(EURO_AREA, as_of=as_of).value


def in_eu_vat_area(
    place: str,
    *,
    as_of: _dt.date,
    supply: Literal["goods", "services"] = "goods",
    postal_code: str | None = None,
    rules: RuleBook | None = None,
) -> bool:
    """Whether ``place`` is inside the EU VAT area for ``supply`` on ``as_of``.

    >>> import datetime
    >>> in_eu_vat_area("GB", as_of=datetime.date(2020, 12, 31))
    True
    >>> in_eu_vat_area("DE", postal_code="78266", as_of=datetime.date(2026, 1, 1))
    False
    """
    if supply not in ("goods", "services"):
        raise InvalidCodeError(f"supply must be 'goods' or 'services', got {supply!r}", code=supply)
    status = eu_status(place, as_of=as_of, postal_code=postal_code, rules=rules)
    return status.vat_area_goods if supply == "goods" else status.vat_area_services


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

    book, as_of, country, _member = _membership(place, as_of, rules)
    euro = book.find(EURO_AREA, as_of=as_of)
    if euro is not None and country in euro.value:
        return "EUR"
    table = load_table()
    found: list[str] = []
    for code in get_territory_currencies(country, start_date=as_of, end_date=as_of):
        # CLDR can lag behind a changeover: follow the replacement our table records
        while code in table and not table[code].in_use(as_of) and table[code].replaced_by:
            code = table[code].replaced_by or code
        if code in table and table[code].in_use(as_of) and code not in found:
            found.append(code)
    if "EUR" in found and euro is not None and _member:
        found.remove("EUR")  # CLDR ahead of the euro-area rule for a member state
    if not found:
        raise NotFoundError(f"no currency known for {place} on {as_of}", code=place, as_of=as_of)
    return found[0]
