"""Our ISO 4217 table against the iso4217 package and babel's CLDR data.

Every difference must be listed, with its reason, in iso4217_differences.toml,
and every listed difference must still exist.
"""

import datetime as dt
import pathlib
import tomllib

import pytest

from crossborder.errors import InvalidCodeError
from crossborder.money import currencies, find_currency, get_currency

HERE = pathlib.Path(__file__).parent
LISTED = tomllib.loads((HERE / "iso4217_differences.toml").read_text())


def package_differences():
    import iso4217

    ours = {c.code: c for c in currencies()}
    theirs = {k: v for k, v in iso4217.raw_table.items() if k}
    found = set()
    for code in set(ours) | set(theirs):
        mine, other = ours.get(code), theirs.get(code)
        if other is None:
            found.add((code, "extra"))
            continue
        if mine is None:
            found.add((code, "missing"))
            continue
        exponent = None if other["CcyMnrUnts"] == "N.A." else int(other["CcyMnrUnts"])
        if mine.exponent != exponent:
            found.add((code, "exponent"))
        if mine.numeric != f"{other['CcyNbr']:03d}":
            found.add((code, "numeric"))
        if mine.valid_to is not None:
            found.add((code, "valid_to"))
    return found


def babel_differences():
    import babel.core
    import babel.numbers

    ours = {c.code: c for c in currencies()}
    known = set(babel.numbers.list_currencies())
    spans = {}
    for entries in babel.core.get_global("territory_currencies").values():
        for code, start, end, tender in entries:
            if not tender:
                continue
            span = spans.setdefault(code, [None, None, False])
            if start and (span[0] is None or dt.date(*start) < span[0]):
                span[0] = dt.date(*start)
            if end is None:
                span[2] = True
            elif not span[2] and (span[1] is None or dt.date(*end) > span[1]):
                span[1] = dt.date(*end)
    fractions = babel.core.get_global("currency_fractions")
    found = set()
    for code in set(ours) | known:
        mine = ours.get(code)
        if code not in known:
            found.add((code, "extra"))
            continue
        if mine is None:
            found.add((code, "missing"))
            continue
        if mine.exponent != babel.numbers.get_currency_precision(code):
            found.add((code, "exponent"))
        if mine.exponent is not None:
            _digits, _, cash_digits, cash_rounding = fractions.get(code, fractions["DEFAULT"])
            cldr_step = (cash_rounding or 1) * 10 ** max(mine.exponent - cash_digits, 0)
            if cldr_step != mine.cash_increment:
                found.add((code, "cash_increment"))
        span = spans.get(code)
        if span is None:
            if mine.valid_from or mine.valid_to:
                found.add((code, "validity"))
            continue
        start, end, still_open = span
        cldr_to = None if still_open else end + dt.timedelta(days=1)  # CLDR's end is inclusive
        if mine.valid_to != cldr_to:
            found.add((code, "valid_to"))
        if (start and start >= dt.date(2000, 1, 1) and mine.valid_from != start) or (
            mine.valid_from and (not start or start < dt.date(2000, 1, 1))
        ):
            found.add((code, "valid_from"))
    return found


@pytest.mark.parametrize(
    ("source", "compute"), [("iso4217_package", package_differences), ("babel", babel_differences)]
)
def test_every_difference_is_listed_with_a_reason(source, compute):
    listed = {(d["code"], d["field"]) for d in LISTED[source]}
    assert all(d["reason"].strip() for d in LISTED[source])
    found = compute()
    assert sorted(found - listed) == [], f"unlisted differences from {source}"
    assert sorted(listed - found) == [], f"listed differences from {source} that no longer exist"


def test_known_facts():
    assert get_currency("EUR").numeric == "978"
    assert get_currency("JPY").exponent == 0
    assert get_currency("KWD").exponent == 3
    assert get_currency("IQD").exponent == 3  # babel says 0 (display digits)
    assert get_currency("XAU").exponent is None
    assert get_currency("CHF").cash_increment == 5
    assert get_currency("DKK").cash_increment == 50
    assert get_currency("SEK").cash_increment == 100
    assert get_currency("HUF").cash_increment == 500


@pytest.mark.parametrize(
    ("code", "last_day", "successor"),
    [
        ("HRK", dt.date(2022, 12, 31), "EUR"),
        ("BGN", dt.date(2025, 12, 31), "EUR"),
        ("ANG", dt.date(2025, 3, 30), "XCG"),
        ("SLL", dt.date(2022, 6, 30), "SLE"),
        ("VEF", dt.date(2018, 8, 19), "VES"),
        ("MRO", dt.date(2017, 12, 31), "MRU"),
        ("DEM", dt.date(1998, 12, 31), "EUR"),
        ("GRD", dt.date(2000, 12, 31), "EUR"),
    ],
)
def test_changeovers(code, last_day, successor):
    old, new = get_currency(code), get_currency(successor)
    assert old.in_use(last_day)
    assert not old.in_use(last_day + dt.timedelta(days=1))
    assert old.replaced_by == successor
    assert new.in_use(last_day + dt.timedelta(days=1))
    assert old.citations


def test_lookup_and_listing():
    assert find_currency("zzz") is None
    assert find_currency(" eur ").code == "EUR"
    with pytest.raises(InvalidCodeError, match="did you mean CNY"):
        get_currency("RMB")
    active = {c.code for c in currencies(as_of=dt.date(2026, 11, 25))}
    assert {"EUR", "XCG", "ZWG", "SLE"} <= active
    assert not {"BGN", "HRK", "ANG", "ZWL"} & active
    assert len(currencies()) > len(active)


def test_fast_exponent_scan_agrees_with_the_full_parse():
    from crossborder.money._currency import _raw, _text, scan_exponents

    parsed = {c["code"]: c.get("exponent") for c in _raw()["currencies"]}
    assert scan_exponents(_text()) == parsed
