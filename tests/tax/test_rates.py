"""VAT/GST/sales-tax rates on both sides of every change in the data, and price breakdowns.

The boundary cases are generated from the packaged rules themselves: for each
rate table, each version change is checked the day before and the first day.
A hand-written table of the headline changes, each with its official source,
guards against the data and the generator being wrong together.
"""

import datetime as dt
import itertools
from decimal import ROUND_HALF_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crossborder.errors import (
    InvalidCodeError,
    NoApplicableRuleError,
    NotFoundError,
    ProvisionalRuleError,
)
from crossborder.money import Money, RoundingMode
from crossborder.rules import RuleBook
from crossborder.tax import CATEGORIES, price_breakdown, vat_rate
from crossborder.testing import money
from crossborder.testing.invariants import assert_explained, assert_sums_to

D = dt.date
DAY = dt.timedelta(days=1)
BOOK = RuleBook.packaged()
NOT_LAW = ("provisional", "expected")


def _place(rule_id):
    return rule_id.split(".", 1)[0].upper()


def _pairs(suffixes):
    """Each (rule, version before, version after) of the rules whose id ends with a suffix."""
    found = []
    for rule in BOOK:
        if rule.id.endswith(suffixes):
            for before, after in itertools.pairwise(rule.versions):
                found.append(pytest.param(rule, before, after, id=f"{rule.id}@{after.valid_from}"))
    return found


VAT_BOUNDARIES = _pairs((".vat.rates", ".igic.rates"))
PROVINCE_BOUNDARIES = [p for p in _pairs((".sales_tax",)) if p.values[0].id.startswith("ca-")]
STATE_BOUNDARIES = _pairs((".sales_tax.state_rate",))
RATE_TABLES = [
    pytest.param(rule, id=rule.id)
    for rule in BOOK
    if rule.id.endswith((".vat.rates", ".igic.rates"))
]


def _lookup(place, day, version, expected):
    """vat_rate on ``day`` where ``version`` is in force; provisional only when asked."""
    if version.status == "repealed":
        with pytest.raises(NoApplicableRuleError):
            vat_rate(place, as_of=day, allow_provisional=True)
        return
    if version.status in NOT_LAW:
        with pytest.raises(ProvisionalRuleError):
            vat_rate(place, as_of=day)
        got = vat_rate(place, as_of=day, allow_provisional=True)
    else:
        got = vat_rate(place, as_of=day)
    assert got.rate == expected, f"{place} on {day}"
    assert got.as_of == day
    assert any(c.rule.valid_from == version.valid_from for c in got.components)
    assert_explained(got)


def test_the_generators_found_the_data():
    assert len(VAT_BOUNDARIES) >= 60
    assert {"ca-mb.sales_tax@2019-07-01", "ca-ns.sales_tax@2025-04-01"} <= {
        p.id for p in PROVINCE_BOUNDARIES
    }
    assert "us-nm.sales_tax.state_rate@2023-07-01" in {p.id for p in STATE_BOUNDARIES}


@pytest.mark.parametrize(("rule", "before", "after"), VAT_BOUNDARIES)
def test_standard_rate_both_sides_of_each_change(rule, before, after):
    place, first = _place(rule.id), after.valid_from
    assert before.valid_to == first  # contiguous: no gap, no overlap
    _lookup(place, first - DAY, before, Decimal(before.value["standard"]))
    _lookup(place, first, after, Decimal(after.value["standard"]))


@pytest.mark.parametrize(("rule", "before", "after"), PROVINCE_BOUNDARIES)
def test_canadian_province_both_sides_of_each_change(rule, before, after):
    place, first = _place(rule.id), after.valid_from
    gst = Decimal(BOOK.get("ca.gst.rate", as_of=first).value)

    def total(version):
        own = Decimal(version.value["rate"])
        return own if version.value["type"] == "HST" else gst + own

    _lookup(place, first - DAY, before, total(before))
    _lookup(place, first, after, total(after))


@pytest.mark.parametrize(("rule", "before", "after"), STATE_BOUNDARIES)
def test_us_state_base_rate_both_sides_of_each_change(rule, before, after):
    place, first = _place(rule.id), after.valid_from
    _lookup(place, first - DAY, before, Decimal(before.value))
    _lookup(place, first, after, Decimal(after.value))


@pytest.mark.parametrize("rule", RATE_TABLES)
def test_data_starts_in_2019_and_nothing_before(rule):
    place, first = _place(rule.id), rule.versions[0].valid_from
    assert first == D(2019, 1, 1)
    with pytest.raises(NoApplicableRuleError) as info:
        vat_rate(place, as_of=first - DAY, allow_provisional=True)
    assert info.value.covered[0][0] == first
    assert vat_rate(place, as_of=first, allow_provisional=True).rate > 0


# Headline changes, written out by hand. Sources (official texts):
#   DE  Zweites Corona-Steuerhilfegesetz, BGBl. I 2020 S. 1512, Art. 3 (§ 28 (1) UStG)
#   IE  Revenue Tax and Duty Manual "Changes in rates of VAT" (July Jobs Stimulus 2020):
#       23 % -> 21 % for 1 September 2020 to 28 February 2021
#   EE  Käibemaksuseadus (KMS) § 15 (1) as amended in 2023 (22 % from 2024-01-01) and by
#       the 2024 defence/security tax package (24 % from 2025-07-01, made permanent)
#   FI  Laki 462/2024 (HE 61/2024): arvonlisäverolaki 84 §, 25.5 % from 2024-09-01
#   SK  Zákon č. 278/2024 Z. z., Art. VII: § 27 (1) 23 % from 2025-01-01
#   RO  Legea 141/2025 (Monitorul Oficial 699/2025): Codul fiscal art. 291 (1), 21 % from 2025-08-01
#   CH  MWSTG (SR 641.20) Art. 25 (1), AHV 21: 8.1 % from 2024-01-01 (Federal Council, 9 Dec 2022)
#   SG  Goods and Services Tax (Amendment) Act 2022, GST Act s 16(1): 8 % 2023, 9 % 2024
#   TR  Presidential Decision No. 7346, Resmî Gazete 32241 (7 July 2023): 20 % from 2023-07-10
#   LU  Chambre des Députés, projet de loi n° 8083 (temporary 1-point cut): 16 % in 2023 only
#   SA  Royal Order A/638 (11 May 2020), VAT Law Art. 2: 15 % from 2020-07-01
#   JP  消費税法 Art. 29 and 地方税法 Art. 72-83: 10 % (7.8 % + 2.2 %) from 2019-10-01
#   NS  SOR/2025-77, New Harmonized Value-added Tax System Regulations s 33.6: HST 14 %
#   MB  Manitoba Budget 2019 / The Retail Sales Tax Act: RST 8 % -> 7 % on 2019-07-01 (+5 % GST)
#   QC  Act respecting the Québec sales tax (CQLR c T-0.1) s 16: 9.975 % (+5 % GST)
#   CA  CDTFA, "Detailed description of the sales & use tax rate": statewide base 7.25 %
#       (6.00 % state + 1.25 % uniform local), district taxes extra
#   ES-CN  Ley de Presupuestos de la Comunidad Autónoma de Canarias para 2020, amending
#       Ley 4/2012 (IGIC rates): general rate 6.5 % -> 7 % from 2020-01-01
#   FR-971  CGI art. 296 (1) a: 8.5 % in Guadeloupe, Martinique and La Réunion
HEADLINES = [
    ("DE", D(2020, 6, 30), "0.19"),
    ("DE", D(2020, 7, 1), "0.16"),
    ("DE", D(2020, 12, 31), "0.16"),
    ("DE", D(2021, 1, 1), "0.19"),
    ("IE", D(2020, 8, 31), "0.23"),
    ("IE", D(2020, 9, 1), "0.21"),
    ("IE", D(2021, 2, 28), "0.21"),
    ("IE", D(2021, 3, 1), "0.23"),
    ("EE", D(2023, 12, 31), "0.20"),
    ("EE", D(2024, 1, 1), "0.22"),
    ("EE", D(2025, 6, 30), "0.22"),
    ("EE", D(2025, 7, 1), "0.24"),
    ("FI", D(2024, 8, 31), "0.24"),
    ("FI", D(2024, 9, 1), "0.255"),
    ("SK", D(2024, 12, 31), "0.20"),
    ("SK", D(2025, 1, 1), "0.23"),
    ("RO", D(2025, 7, 31), "0.19"),
    ("RO", D(2025, 8, 1), "0.21"),
    ("CH", D(2023, 12, 31), "0.077"),
    ("CH", D(2024, 1, 1), "0.081"),
    ("SG", D(2022, 12, 31), "0.07"),
    ("SG", D(2023, 1, 1), "0.08"),
    ("SG", D(2023, 12, 31), "0.08"),
    ("SG", D(2024, 1, 1), "0.09"),
    ("TR", D(2023, 7, 9), "0.18"),
    ("TR", D(2023, 7, 10), "0.20"),
    ("LU", D(2022, 12, 31), "0.17"),
    ("LU", D(2023, 1, 1), "0.16"),
    ("LU", D(2023, 12, 31), "0.16"),
    ("LU", D(2024, 1, 1), "0.17"),
    ("SA", D(2020, 6, 30), "0.05"),
    ("SA", D(2020, 7, 1), "0.15"),
    ("JP", D(2019, 9, 30), "0.08"),
    ("JP", D(2019, 10, 1), "0.10"),
    ("CA-NS", D(2025, 3, 31), "0.15"),
    ("CA-NS", D(2025, 4, 1), "0.14"),
    ("CA-MB", D(2019, 6, 30), "0.13"),
    ("CA-MB", D(2019, 7, 1), "0.12"),
    ("CA-QC", D(2026, 11, 25), "0.14975"),
    ("US-CA", D(2026, 11, 25), "0.0725"),
    ("ES-CN", D(2019, 12, 31), "0.065"),
    ("ES-CN", D(2020, 1, 1), "0.07"),
    ("FR-971", D(2026, 11, 25), "0.085"),
]


@pytest.mark.parametrize(("place", "day", "rate"), HEADLINES, ids=lambda v: str(v))
def test_headline_rates(place, day, rate):
    got = vat_rate(place, as_of=day)
    assert got.rate == Decimal(rate)
    assert got.kind == "standard"
    assert sum(c.rate for c in got.components) == got.rate
    assert_explained(got)


def test_manitoba_is_gst_plus_rst():
    got = vat_rate("CA-MB", as_of=D(2019, 7, 1))
    assert [(c.tax, c.rate) for c in got.components] == [
        ("GST", Decimal("0.05")),
        ("RST", Decimal("0.07")),
    ]
    assert_explained(got, rule_ids=["ca.gst.rate", "ca-mb.sales_tax"])


def test_quebec_is_gst_plus_qst():
    got = vat_rate("CA-QC", as_of=D(2026, 1, 1))
    assert [(c.tax, c.rate) for c in got.components] == [
        ("GST", Decimal("0.05")),
        ("QST", Decimal("0.09975")),
    ]


def test_nova_scotia_hst_replaces_gst():
    got = vat_rate("CA-NS", as_of=D(2025, 4, 1))
    assert [(c.tax, c.rate) for c in got.components] == [("HST", Decimal("0.14"))]


def test_canada_without_a_province_is_federal_gst_with_a_note():
    got = vat_rate("CA", as_of=D(2026, 1, 1))
    assert got.rate == Decimal("0.05")
    assert any("province" in n for n in got.notes)


def test_california_is_the_state_base_rate_with_a_local_rate_note():
    got = vat_rate("US-CA", as_of=D(2026, 1, 1))
    assert got.rate == Decimal("0.0725")
    assert [c.tax for c in got.components] == ["sales tax"]
    assert any("local rates are not included" in n for n in got.notes)


def test_canary_islands_igic_is_its_own_tax():
    got = vat_rate("ES-CN", as_of=D(2020, 1, 1))
    assert [(c.tax, c.rate) for c in got.components] == [("IGIC", Decimal("0.07"))]
    assert_explained(got, rule_ids=["es-cn.igic.rates"])


def test_guadeloupe_has_its_own_table_not_metropolitan_france():
    got = vat_rate("FR-971", as_of=D(2026, 1, 1))
    assert got.rate == Decimal("0.085")
    assert_explained(got, rule_ids=["fr-971.vat.rates"])
    assert vat_rate("FR", as_of=D(2026, 1, 1)).rate == Decimal("0.20")


# Product categories. Sources:
#   DE ebooks: JStG 2019 (BGBl. I 2019 S. 2451) Art. 12, § 12 (2) Nr. 14 UStG from 2019-12-18
#   IE ebooks: Finance Act 2023 (Budget 2024), zero rate for e-books and audiobooks from 2024
#   GB sanitary products: Finance Act 2016 s 126, SI 2020/1642 reg. 3: VATA 1994 Sch. 8
#       Group 19 (zero rate) from 2021-01-01
CATEGORY_CASES = [
    ("DE", "ebooks", D(2019, 12, 17), "0.19", "standard"),
    ("DE", "ebooks", D(2019, 12, 18), "0.07", "reduced"),
    ("DE", "ebooks", D(2020, 7, 1), "0.05", "reduced"),  # the COVID cut reached e-books too
    ("DE", "books", D(2026, 1, 1), "0.07", "reduced"),
    ("IE", "ebooks", D(2023, 12, 31), "0.09", "reduced_2"),
    ("IE", "ebooks", D(2024, 1, 1), "0", "zero"),
    ("GB", "sanitary_products", D(2020, 12, 31), "0.05", "reduced"),
    ("GB", "sanitary_products", D(2021, 1, 1), "0", "zero"),
    ("GB", "childrens_clothing", D(2026, 1, 1), "0", "zero"),
]


@pytest.mark.parametrize(("place", "category", "day", "rate", "kind"), CATEGORY_CASES)
def test_product_categories(place, category, day, rate, kind):
    got = vat_rate(place, as_of=day, category=category)
    assert (got.rate, got.kind, got.category) == (Decimal(rate), kind, category)
    assert_explained(got, rule_ids=[f"{place.lower()}.vat.categories"])


def test_a_rate_kind_can_be_asked_for_directly():
    assert vat_rate("DE", as_of=D(2026, 1, 1), category="reduced").rate == Decimal("0.07")
    with pytest.raises(NotFoundError, match="no super_reduced rate"):
        vat_rate("DE", as_of=D(2026, 1, 1), category="super_reduced")


def _category_pairs():
    """Every change of a category's rate kind, or of the rate behind it, in the data."""
    found = []
    for rule in BOOK:
        if not rule.id.endswith(".vat.categories"):
            continue
        rates = BOOK.rule(rule.id.replace(".categories", ".rates"))
        edges = {v.valid_from for v in rule.versions[1:]} | {
            v.valid_from for v in rates.versions[1:]
        }
        found += [pytest.param(rule.id, day, id=f"{rule.id}@{day}") for day in sorted(edges)]
    return found


@pytest.mark.parametrize(("rule_id", "first"), _category_pairs())
def test_every_category_both_sides_of_each_change(rule_id, first):
    """The category's rate is the rate table's entry for the kind the mapping names that day."""
    place = _place(rule_id)
    rates_id = rule_id.replace(".categories", ".rates")
    for day in (first - DAY, first):
        mapping = BOOK.get(rule_id, as_of=day, allow_provisional=True).value
        table = BOOK.get(rates_id, as_of=day, allow_provisional=True).value
        for category in CATEGORIES:
            kind = mapping[category]
            expected = Decimal(0) if kind == "exempt" else Decimal(table[kind])
            got = vat_rate(place, as_of=day, category=category, allow_provisional=True)
            assert (got.rate, got.kind) == (expected, kind), (category, day)


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: vat_rate("DE", as_of=D(2026, 1, 1), category="gadgets"), InvalidCodeError),
        (lambda: vat_rate("DE", as_of=D(2026, 1, 1), category="Books"), InvalidCodeError),
        (lambda: vat_rate("US", as_of=D(2026, 1, 1)), InvalidCodeError),
        (lambda: vat_rate("ES-CE", as_of=D(2026, 1, 1)), NotFoundError),
        (lambda: vat_rate("ES-ML", as_of=D(2026, 1, 1)), NotFoundError),
        (lambda: vat_rate("FI-01", as_of=D(2026, 1, 1)), NotFoundError),
        (lambda: vat_rate("DE", as_of=D(2018, 12, 31)), NoApplicableRuleError),
        (lambda: vat_rate("CA-QC", as_of=D(2018, 12, 31)), NoApplicableRuleError),
        (lambda: vat_rate("US-CA", as_of=D(2000, 1, 1)), NoApplicableRuleError),
        (lambda: vat_rate("MT", as_of=D(2025, 6, 1), category="books"), ProvisionalRuleError),
        (lambda: vat_rate("JP", as_of=D(2027, 4, 1)), ProvisionalRuleError),
        (lambda: vat_rate("ES-CN", as_of=D(2026, 1, 1), category="increased"), NotFoundError),
        (lambda: vat_rate("CA-QC", as_of=D(2026, 1, 1), category="books"), NotFoundError),
        (lambda: vat_rate("US-CA", as_of=D(2026, 1, 1), category="food"), NotFoundError),
        (lambda: vat_rate("CN", as_of=D(2026, 1, 1)), NotFoundError),
        (lambda: vat_rate("UK", as_of=D(2026, 1, 1)), InvalidCodeError),
        (lambda: vat_rate("US-CA", as_of=D(2026, 1, 1), locality="Los Angeles"), InvalidCodeError),
        (lambda: vat_rate("US-CA", as_of=D(2026, 1, 1), locality="los_angeles"), NotFoundError),
    ],
    ids=[
        "unknown category",
        "category is case-sensitive",
        "US national",
        "Ceuta",
        "Melilla",
        "Aland",
        "DE before the data",
        "QC before the data",
        "US-CA before the data",
        "MT provisional categories",
        "JP expected cut",
        "IGIC several increased rates",
        "CA categories",
        "US categories",
        "no data for CN",
        "UK is not ISO",
        "locality not a word",
        "locality without overlay",
    ],
)
def test_errors(call, error):
    with pytest.raises(error) as info:
        call()
    assert str(info.value)


def test_provisional_only_when_asked():
    got = vat_rate("JP", as_of=D(2027, 4, 1), allow_provisional=True, category="reduced")
    assert got.rate == Decimal("0.01")
    assert got.components[0].rule.status == "expected"


@pytest.mark.parametrize("province", ["ES-TF", "ES-GC"])
def test_canary_islands_provinces_get_igic(province):
    assert vat_rate(province, as_of=D(2026, 1, 1)).rate == Decimal("0.07")


@pytest.mark.parametrize("region", ["PT-20", "PT-30"])
def test_portuguese_autonomous_regions_are_not_given_the_mainland_rate(region):
    try:
        got = vat_rate(region, as_of=D(2026, 1, 1))
    except NotFoundError:
        return
    assert got.rate != Decimal("0.23")


# --- price_breakdown -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("price", "place", "included", "net", "tax", "gross"),
    [
        (("119.00", "EUR"), "DE", True, "100.00", "19.00", "119.00"),
        (("100.00", "EUR"), "DE", False, "100.00", "19.00", "119.00"),
        # 9.99 * 0.19 / 1.19 = 1.595... -> 1.60
        (("9.99", "EUR"), "DE", True, "8.39", "1.60", "9.99"),
        # 0.01 * 0.19 / 1.19 = 0.0016 -> 0.00: the tax can be nothing
        (("0.01", "EUR"), "DE", True, "0.01", "0.00", "0.01"),
        # NZ rounds half down (GST Act s 19O): 10.10 * 0.15 = 1.515 -> 1.51
        (("10.10", "NZD"), "NZ", False, "10.10", "1.51", "11.61"),
        # JPY has no minor unit: 1000 * 0.10 / 1.10 = 90.9 -> 91
        (("1000", "JPY"), "JP", True, "909", "91", "1000"),
        (("100.00", "USD"), "US-CA", False, "100.00", "7.25", "107.25"),
        # a refund: the same split, negative
        (("-119.00", "EUR"), "DE", True, "-100.00", "-19.00", "-119.00"),
    ],
)
def test_price_breakdown(price, place, included, net, tax, gross):
    b = price_breakdown(Money.of(*price), place=place, as_of=D(2026, 1, 1), tax_included=included)
    currency = price[1]
    assert (b.net, b.tax, b.gross) == tuple(Money.of(a, currency) for a in (net, tax, gross))
    assert b.net + b.tax == b.gross
    assert_sums_to([m for _, m in b.taxes], b.tax)
    assert_explained(b)


@pytest.mark.parametrize(
    ("price", "included", "gst", "qst"),
    [
        # 100 * 5 % = 5.00; 100 * 9.975 % = 9.975 -> 9.98 (Revenu Québec: half a cent rounds up)
        ("100.00", False, "5.00", "9.98"),
        # 114.98 * 0.14975 / 1.14975 = 14.975... -> 14.98, shared 5 : 9.975
        ("114.98", True, "5.00", "9.98"),
        ("1.00", True, "0.04", "0.09"),
    ],
)
def test_quebec_two_components_sum_to_the_tax(price, included, gst, qst):
    b = price_breakdown(
        Money.of(price, "CAD"), place="CA-QC", as_of=D(2026, 1, 1), tax_included=included
    )
    assert b.taxes == (("GST", Money.of(gst, "CAD")), ("QST", Money.of(qst, "CAD")))
    assert_sums_to([m for _, m in b.taxes], b.tax)
    assert b.net + b.tax == b.gross


def test_price_breakdown_uses_the_rate_of_the_day():
    before = price_breakdown(Money.of("116.00", "EUR"), place="DE", as_of=D(2020, 12, 31))
    after = price_breakdown(Money.of("116.00", "EUR"), place="DE", as_of=D(2021, 1, 1))
    assert before.tax == Money.of("16.00", "EUR")
    assert after.tax == Money.of("18.52", "EUR")  # 116 * 19 / 119 = 18.521


def test_price_breakdown_of_a_zero_rated_category():
    b = price_breakdown(Money.of("12.00", "GBP"), place="GB", as_of=D(2026, 1, 1), category="books")
    assert (b.net, b.tax) == (Money.of("12.00", "GBP"), Money.of("0.00", "GBP"))


_DECIMAL_MODE = {
    RoundingMode.HALF_UP: ROUND_HALF_UP,
    RoundingMode.HALF_DOWN: ROUND_HALF_DOWN,
    RoundingMode.HALF_EVEN: ROUND_HALF_EVEN,
}
PLACES = st.sampled_from(["DE", "CA-QC", "NZ", "JP", "GB", "US-CA", "HU", "ES-CN", "FI", "CH"])
PRICES = money(currencies=["EUR", "JPY", "KWD", "CAD"], min_minor=-(10**12), max_minor=10**12)


@given(PRICES, PLACES)
def test_exclusive_price_tax_is_net_times_rate(net, place):
    b = price_breakdown(net, place=place, as_of=D(2026, 1, 1), tax_included=False)
    assert b.net == net
    assert b.gross == b.net + b.tax
    assert_sums_to([m for _, m in b.taxes], b.tax)
    for (_, part), component in zip(b.taxes, b.rate.components, strict=True):
        exact = Decimal(net.minor) * component.rate
        assert abs(Decimal(part.minor) - exact) <= Decimal("0.5")  # within one minor unit
        rounded = exact.quantize(Decimal(1), rounding=_DECIMAL_MODE[b.rounding])
        assert part.minor == rounded


@given(PRICES, PLACES)
def test_inclusive_price_splits_exactly(gross, place):
    b = price_breakdown(gross, place=place, as_of=D(2026, 1, 1), tax_included=True)
    assert b.gross == gross
    assert b.net + b.tax == b.gross
    assert_sums_to([m for _, m in b.taxes], b.tax)
    exact = Decimal(gross.minor) * b.rate.rate / (1 + b.rate.rate)
    assert abs(Decimal(b.tax.minor) - exact) <= Decimal("0.5")
