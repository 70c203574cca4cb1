import datetime as dt

from hypothesis import find, given
from hypothesis import strategies as st

from crossborder.money import INT64_MAX, Money, get_currency
from crossborder.rules import RuleBook
from crossborder.testing import (
    country_codes,
    currencies,
    hs_codes,
    money,
    rule_dates,
    subdivision_codes,
)


def test_shrinks_toward_the_simplest_case():
    assert find(money(), lambda m: True) == Money.zero("EUR")
    assert find(currencies(), lambda c: True) == "EUR"
    assert find(country_codes(), lambda c: True) == "DE"
    assert find(subdivision_codes(), lambda c: True) == "ES-CN"
    # the smallest plain integer, unless an on-purpose edge case (the int64 limit) wins
    assert find(money(), lambda m: m.minor > 100).minor in (101, INT64_MAX)


def test_edge_cases_are_reachable():
    assert find(money(), lambda m: m.minor == INT64_MAX).minor == INT64_MAX
    assert get_currency(find(currencies(exponents=[3]), lambda c: True)).exponent == 3
    assert find(currencies(exponents=[0]), lambda c: True) == "JPY"


@given(money(min_minor=-5, max_minor=5, currencies=st.just("JPY")))
def test_bounds_and_currency_respected(m):
    assert -5 <= m.minor <= 5
    assert m.currency == "JPY"


@given(currencies(active_on=dt.date(2026, 11, 25)))
def test_active_on(code):
    assert get_currency(code).in_use(dt.date(2026, 11, 25))


@given(subdivision_codes(countries=["US", "CA"]))
def test_subdivisions_of_countries(code):
    assert code[:2] in ("US", "CA")


@given(hs_codes(lengths=[8]))
def test_hs_lengths(code):
    assert len(code) == 8


def test_rule_dates_hit_both_sides_of_every_change():
    rule = RuleBook.packaged().rule("eu.euro_area")
    seen = set()

    @given(rule_dates(rule_ids=["eu.euro_area"]))
    def collect(day):
        seen.add(day)

    collect()
    boundary = rule.versions[-1].valid_from
    assert find(rule_dates(rule_ids=["eu.euro_area"]), lambda d: d == boundary) == boundary
    before = boundary - dt.timedelta(days=1)
    assert find(rule_dates(rule_ids=["eu.euro_area"]), lambda d: d == before) == before
    assert seen


def test_from_type_is_registered():
    @given(st.from_type(Money))
    def check(m):
        assert isinstance(m, Money)

    check()


def test_rule_dates_stay_inside_every_rule():
    from crossborder.codes import eu_status

    @given(rule_dates(rule_ids=["eu.member_states", "eu.vat_area.states"]))
    def check(day):
        eu_status("DE", as_of=day)  # would raise outside either rule

    check()


def test_bad_strategy_arguments_fail_eagerly():
    import pytest
    from hypothesis.errors import InvalidArgument

    for bad in (
        lambda: money(currencies=["XAU"]),
        lambda: rule_dates(rule_ids="eu.member_states"),
        lambda: rule_dates(rule_ids=["no.such.rule"]),
        lambda: rule_dates(rules="x"),
        lambda: hs_codes(lengths=(6.0,)),
        lambda: country_codes(include_user_assigned="no"),
    ):
        with pytest.raises(InvalidArgument):
            bad()


def test_invariants_hold_under_optimisation():
    import subprocess
    import sys

    code = (
        "from crossborder.money import Money\n"
        "from crossborder.testing.invariants import assert_sums_to\n"
        "try:\n"
        "    assert_sums_to([Money.of('1', 'EUR')], Money.of('2', 'USD'))\n"
        "except AssertionError:\n"
        "    print('raised')\n"
    )
    out = subprocess.run([sys.executable, "-O", "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "raised", out.stderr
