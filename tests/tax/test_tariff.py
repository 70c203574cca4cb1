"""Duty rates: the packaged EU, UK and US tariffs, user tables, and layering them."""

import datetime as dt
from decimal import Decimal

import pytest

from crossborder.errors import RuleDataError
from crossborder.fx import FixedRates
from crossborder.money import Money
from crossborder.rules import RuleBook
from crossborder.tax import (
    Buyer,
    LayeredTariff,
    Line,
    PackagedTariff,
    Seller,
    Shipment,
    SpecificDuty,
    TariffMatch,
    TariffProvider,
    TariffTable,
    landed_cost,
)
from crossborder.testing.invariants import assert_explained

D = dt.date
DAY = D(2026, 1, 1)
PACKAGED = PackagedTariff()
RATES = FixedRates.from_mapping({"EUR/USD": "2", "GBP/USD": "2"})
BOOK = RuleBook.packaged()


def look(provider, destination, code, *, origin="CN", day=DAY, preferential=False):
    return provider.match(destination, code, origin=origin, as_of=day, preferential=preferential)


# --- the packaged tariffs ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("destination", "code", "tariff", "line", "rate"),
    [
        # CN 2026, Annex I of Reg. (EEC) No 2658/87: 6109 10 00 cotton T-shirts 12 %
        ("DE", "61091000", "EU", "61091000", "0.12"),
        ("FR", "6109100010", "EU", "61091000", "0.12"),  # a TARIC code finds its CN line
        ("PL", "6109.10.00", "EU", "61091000", "0.12"),
        ("ES-CN", "61091000", "EU", "61091000", "0.12"),  # Canaries: inside the customs union
        ("DE", "64039998", "EU", "64039998", "0.07"),
        # UK Global Tariff (SI 2020/1430): 6403 99 98 6 %, 6109 10 00 12 %
        ("GB", "64039998", "GB", "64039998", "0.06"),
        ("GB", "61091000", "GB", "61091000", "0.12"),
        # HTSUS 2026, column 1 General: 6109.10.00 16.5 %
        ("US-CA", "61091000", "US", "61091000", "0.165"),
        ("US-NY", "6109100012", "US", "61091000", "0.165"),
    ],
)
def test_packaged_lines(destination, code, tariff, line, rate):
    found = look(PACKAGED, destination, code.replace(".", ""))
    assert isinstance(found, TariffMatch)
    assert found.exact
    assert not found.estimate
    (duty,) = found.lines
    assert (duty.tariff, duty.line, duty.ad_valorem) == (tariff, line, Decimal(rate))
    assert (duty.source, duty.preferential, duty.specific) == ("packaged", False, None)
    assert duty.rule.rule_id == f"{tariff.lower()}.tariff.{line}"
    assert duty.rule.citations


def test_packaged_specific_and_compound_duties():
    # CN 9102 11 00: 4.5 % MIN EUR 0.30 MAX EUR 0.80 per item
    (eu,) = look(PACKAGED, "DE", "91021100").lines
    assert eu.ad_valorem == Decimal("0.045")
    assert eu.minimum == SpecificDuty(amount=Decimal("0.3"), per="item", currency="EUR")
    assert eu.maximum == SpecificDuty(amount=Decimal("0.8"), per="item", currency="EUR")
    # UKGT 9102 11 00: GBP 0.20 per item
    (gb,) = look(PACKAGED, "GB", "91021100").lines
    assert gb.specific == SpecificDuty(amount=Decimal("0.2"), per="item", currency="GBP")
    # HTSUS 6402.19.50: 76 cents/pair + 32 %
    (us,) = look(PACKAGED, "US-CA", "64021950").lines
    assert (us.ad_valorem, us.specific.amount, us.specific.per) == (
        Decimal("0.32"),
        Decimal("0.76"),
        "pair",
    )


def test_incomplete_code_returns_every_line_beneath_it():
    found = look(PACKAGED, "DE", "6110")
    assert not found.exact
    assert found.estimate
    assert {d.ad_valorem for d in found.lines} == {Decimal("0.105"), Decimal("0.12")}
    assert all(d.line.startswith("6110") for d in found.lines)
    assert [d.line for d in found.lines] == sorted(d.line for d in found.lines)


def test_incomplete_code_whose_lines_agree_is_exact():
    found = look(PACKAGED, "DE", "6109")
    assert found.exact
    assert len(found.lines) == 3
    assert {d.ad_valorem for d in found.lines} == {Decimal("0.12")}


@pytest.mark.parametrize(
    ("destination", "code", "day"),
    [
        ("JP", "61091000", DAY),  # no Japanese tariff is packaged
        ("CH", "61091000", DAY),
        ("AU", "61091000", DAY),
        ("CA-ON", "61091000", DAY),
        ("DE", "01012100", DAY),  # a code the data does not carry
        ("DE", "0101", DAY),
        ("DE", "61091000", D(2021, 12, 31)),  # tariff data start on 2022-01-01
        ("US-CA", "85171300", D(2022, 1, 26)),  # HTSUS 8517.13.00 created 2022-01-27
    ],
)
def test_packaged_says_nothing_it_does_not_know(destination, code, day):
    assert look(PACKAGED, destination, code, day=day) is None


def test_packaged_line_starts_on_its_own_date():
    (line,) = look(PACKAGED, "US-CA", "85171300", day=D(2022, 1, 27)).lines
    assert line.ad_valorem == 0


def test_packaged_tariff_for():
    assert PACKAGED.tariff_for("DE", as_of=DAY) == "eu"
    assert PACKAGED.tariff_for("GB-NIR", as_of=DAY) == "gb"
    assert PACKAGED.tariff_for("US-TX", as_of=DAY) == "us"
    assert PACKAGED.tariff_for("NO", as_of=DAY) is None
    assert PACKAGED.tariff_for("HR", as_of=D(2013, 6, 30)) is None  # joined on 2013-07-01
    assert PACKAGED.tariff_for("HR", as_of=D(2013, 7, 1)) == "eu"


def test_packaged_has_no_preferences():
    assert look(PACKAGED, "DE", "61091000", origin="VN", preferential=True) == look(
        PACKAGED, "DE", "61091000"
    )


def test_provisional_packaged_lines_are_flagged():
    (line,) = look(PACKAGED, "US-CA", "95069960").lines
    assert line.rule.status == "provisional"


def _packaged_ids():
    return sorted(r.id for r in BOOK if ".tariff." in r.id)


def test_every_packaged_line_is_found_by_its_own_code():
    destination = {"eu": "DE", "gb": "GB", "us": "US-CA"}
    for rule_id in _packaged_ids():
        tariff, _, digits = rule_id.split(".")
        rule = BOOK.rule(rule_id)
        day = rule.versions[-1].valid_from
        found = look(PACKAGED, destination[tariff], digits, day=day)
        assert found is not None, rule_id
        assert found.exact
        assert [d.rule.rule_id for d in found.lines] == [rule_id]


def test_packaged_tariff_is_a_provider():
    assert isinstance(PACKAGED, TariffProvider)
    assert isinstance(TariffTable.from_records([]), TariffProvider)


# --- duty amounts from the packaged lines --------------------------------------------------------


def _b2b(*lines, to):
    """A business import: always duty by the tariff, whatever the value."""
    buyer = Buyer(kind="business", vat_id="DE136695976")
    return Shipment(
        lines=lines, destination=to, ship_from="CN", seller=Seller(established_in="CN"), buyer=buyer
    )


def _line(price, currency, hs, qty=1, **extra):
    return Line(
        description="item",
        hs_code=hs,
        quantity=qty,
        unit_price=Money.of(price, currency),
        origin="CN",
        **extra,
    )


@pytest.mark.parametrize(
    ("price", "qty", "duty"),
    [
        ("200.00", 1, "0.80"),  # 4.5 % = 9.00, capped at EUR 0.80 per item
        ("20.00", 10, "8.00"),  # 4.5 % of 200.00 = 9.00, cap 10 * 0.80 = 8.00
        ("5.00", 1, "0.30"),  # 4.5 % = 0.225 -> 0.23, at least EUR 0.30
        ("10.00", 1, "0.45"),  # 4.5 % = 0.45, between the two
    ],
)
def test_eu_watch_duty_with_minimum_and_maximum(price, qty, duty):
    # after 2026-07-01 a business consignment under EUR 150 no longer has the duty relief
    after_relief = D(2026, 8, 3)
    order = _b2b(_line(price, "EUR", "91021100", qty), to="DE")
    q = landed_cost(order, as_of=after_relief, rates=RATES)
    assert q.lines[0].duty == Money.of(duty, "EUR")
    assert_explained(q)


def test_gb_specific_duty_per_item():
    # GBP 150.00, above the GBP 135 relief: 3 * GBP 0.20 = 0.60
    q = landed_cost(_b2b(_line("50.00", "GBP", "91021100", 3), to="GB"), as_of=DAY, rates=RATES)
    assert q.lines[0].duty == Money.of("0.60", "GBP")


def test_us_compound_duty_per_pair():
    # 2 pairs at USD 50.00: 100.00 * 32 % + 2 * 0.76 = 32.00 + 1.52 = 33.52
    q = landed_cost(_b2b(_line("50.00", "USD", "64021950", 2), to="US-CA"), as_of=DAY)
    assert q.lines[0].duty == Money.of("33.52", "USD")


def test_us_duty_per_kg_needs_the_weight():
    trousers = _line("100.00", "USD", "62034103")
    q = landed_cost(_b2b(trousers, to="US-CA"), as_of=DAY)
    assert q.lines[0].status == "unquotable"
    assert "unit_weight_kg" in q.lines[0].problem
    # with the weight: 100.00 * 16.3 % + 0.8 kg * 0.419 = 16.30 + 0.3352 -> 16.64
    weighed = _line("100.00", "USD", "62034103", unit_weight_kg=Decimal("0.8"))
    q = landed_cost(_b2b(weighed, to="US-CA"), as_of=DAY)
    assert q.lines[0].duty == Money.of("16.64", "USD")


# --- user tables ------------------------------------------------------------------------------

CSV_HEADER = (
    "destination,hs_code,origin,ad_valorem,specific,per,currency,"
    "valid_from,valid_to,preferential,description\n"
)


def _csv(tmp_path, *rows, name="rates.csv", header=CSV_HEADER):
    path = tmp_path / name
    path.write_text(header + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def test_table_from_records():
    table = TariffTable.from_records(
        [{"destination": "EU", "hs_code": "6109.10", "origin": "*", "ad_valorem": "0.05"}],
        name="my rates",
    )
    (line,) = look(table, "DE", "6109100010").lines
    assert (line.line, line.ad_valorem, line.source, line.tariff) == (
        "610910",
        Decimal("0.05"),
        "my rates",
        "my rates",
    )
    assert line.rule is None
    assert look(table, "DE", "6110") is None


def test_table_from_csv_layered_over_the_packaged_tariff(tmp_path):
    path = _csv(
        tmp_path,
        "EU,610910,*,0.05,,,,,,,negotiated T-shirt rate",
        "GB,910211,*,0,0.50,item,GBP,,,,watches",
    )
    table = TariffTable.from_csv(path)
    layered = LayeredTariff(table, PACKAGED)
    (mine,) = look(layered, "DE", "61091000").lines
    assert (mine.ad_valorem, mine.source, mine.description) == (
        Decimal("0.05"),
        str(path),
        "negotiated T-shirt rate",
    )
    (packaged,) = look(layered, "DE", "64039998").lines  # not in the table
    assert (packaged.ad_valorem, packaged.source) == (Decimal("0.07"), "packaged")
    (watch,) = look(layered, "GB", "91021100").lines
    assert watch.specific == SpecificDuty(amount=Decimal("0.50"), per="item", currency="GBP")
    assert look(layered, "GB", "61091000").lines[0].source == "packaged"


def test_layered_table_in_a_landed_cost(tmp_path):
    """The user rate wins: 300.00 * 5 % = 15.00 instead of 12 % = 36.00."""
    table = TariffTable.from_csv(_csv(tmp_path, "EU,610910,*,0.05,,,,,,,"), name="mine")
    shipment = _b2b(_line("300.00", "EUR", "61091000"), to="DE")
    default = landed_cost(shipment, as_of=DAY)
    layered = landed_cost(shipment, as_of=DAY, tariff=LayeredTariff(table, PackagedTariff()))
    assert default.lines[0].duty == Money.of("36.00", "EUR")
    assert layered.lines[0].duty == Money.of("15.00", "EUR")
    assert layered.lines[0].duty_rates[0].source == "mine"
    assert_explained(layered)


def test_table_fills_a_gap_for_a_destination_without_packaged_tariff(tmp_path):
    """JPY 20,000 to a business in Japan, as Customs computes it (Customs Answer 1111):
    duty 20,000 * 10.9 % = 2,180 -> 2,100 per item, total 2,180 -> 2,100; consumption tax
    base 22,100 -> 22,000: national 1,716 -> 1,700, local 1,700 * 22/78 = 479 -> 400."""
    table = TariffTable.from_csv(_csv(tmp_path, "JP,610910,*,0.109,,,,,,,"))
    shipment = Shipment(
        lines=(_line("20000", "JPY", "61091000"),),
        destination="JP",
        ship_from="CN",
        seller=Seller(established_in="CN"),
        buyer=Buyer(kind="business", vat_id="5835678256246"),
    )
    q = landed_cost(shipment, as_of=DAY, tariff=LayeredTariff(table, PACKAGED))
    (line,) = q.lines
    assert (line.status, line.duty, line.tax) == (
        "quoted",
        Money.of("2100", "JPY"),
        Money.of("2100", "JPY"),
    )


PREFERENCE = [
    {"destination": "EU", "hs_code": "610910", "origin": "*", "ad_valorem": "0.12"},
    {
        "destination": "EU",
        "hs_code": "610910",
        "origin": "VN",
        "ad_valorem": "0",
        "preferential": "true",
        "description": "EU-Vietnam FTA",
    },
]


@pytest.mark.parametrize("rows", [PREFERENCE, PREFERENCE[::-1]], ids=["MFN first", "FTA first"])
def test_preferential_rows_only_when_asked(rows):
    table = TariffTable.from_records(rows)
    (mfn,) = look(table, "DE", "61091000", origin="VN").lines
    assert (mfn.ad_valorem, mfn.preferential) == (Decimal("0.12"), False)
    (fta,) = look(table, "DE", "61091000", origin="VN", preferential=True).lines
    assert (fta.ad_valorem, fta.preferential) == (Decimal("0"), True)
    (other,) = look(table, "DE", "61091000", origin="CN", preferential=True).lines
    assert other.ad_valorem == Decimal("0.12")  # the preference is for Vietnamese goods


ORIGINS = [
    {"destination": "EU", "hs_code": "610910", "origin": "*", "ad_valorem": "0.12"},
    {"destination": "EU", "hs_code": "610910", "origin": "CN", "ad_valorem": "0.30"},
]


@pytest.mark.parametrize("rows", [ORIGINS, ORIGINS[::-1]], ids=["any first", "CN first"])
def test_origin_specific_rows(rows):
    table = TariffTable.from_records(rows)
    assert look(table, "DE", "61091000", origin="CN").lines[0].ad_valorem == Decimal("0.30")
    assert look(table, "DE", "61091000", origin="VN").lines[0].ad_valorem == Decimal("0.12")


def test_table_rows_are_dated_valid_to_exclusive():
    table = TariffTable.from_records(
        [
            {
                "destination": "GB",
                "hs_code": "610910",
                "ad_valorem": "0.08",
                "valid_from": "2026-01-01",
                "valid_to": D(2026, 7, 1),
            }
        ]
    )
    assert look(table, "GB", "61091000", day=D(2025, 12, 31)) is None
    assert look(table, "GB", "61091000", day=D(2026, 1, 1)).lines[0].ad_valorem == Decimal("0.08")
    assert look(table, "GB", "61091000", day=D(2026, 6, 30)) is not None
    assert look(table, "GB", "61091000", day=D(2026, 7, 1)) is None


def test_table_row_for_gb_or_us_is_not_an_eu_row():
    table = TariffTable.from_records(
        [{"destination": "EU", "hs_code": "610910", "ad_valorem": "0.05"}]
    )
    assert look(table, "GB", "61091000") is None
    assert look(table, "US-CA", "61091000") is None


def test_incomplete_code_over_a_user_table():
    table = TariffTable.from_records(
        [
            {"destination": "EU", "hs_code": "61091000", "ad_valorem": "0.05"},
            {"destination": "EU", "hs_code": "61099020", "ad_valorem": "0.10"},
        ]
    )
    found = look(table, "DE", "6109")
    assert found.estimate
    assert [d.line for d in found.lines] == ["61091000", "61099020"]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("EU,61-AB,*,0.05,,,,,,,", "hs_code"),
        ("EU,123,*,0.05,,,,,,,", "not 4 to 10 digits"),
        ("XX,610910,*,0.05,,,,,,,", "unknown country code"),
        ("EU,610910,ZZ,0.05,,,,,,,", "unknown country code"),
        ("EU,610910,*,12%,,,,,,,", "not a number"),
        ('EU,610910,*,"1,5",,,,,,,', "not a number"),
        ("EU,610910,*,-0.05,,,,,,,", "non-negative"),
        ("EU,610910,*,NaN,,,,,,,", "non-negative"),
        ("EU,610910,*,0.05,0.30,item,XYZ,,,,", "XYZ"),
        ("EU,610910,*,0.05,,,,2026-13-01,,,", "is not YYYY-MM-DD"),
        ("EU,610910,*,0.05,,,,,1 July 2026,,", "is not YYYY-MM-DD"),
    ],
)
def test_bad_csv_row_names_the_row(tmp_path, row, message):
    path = _csv(tmp_path, "EU,640399,*,0.08,,,,,,,", row)
    with pytest.raises(RuleDataError, match=message) as info:
        TariffTable.from_csv(path)
    assert "row 2" in str(info.value)
    assert info.value.field == "2"
    assert info.value.path == str(path)


def test_csv_without_a_needed_column(tmp_path):
    path = _csv(tmp_path, "610910,0.05", header="hs_code,ad_valorem\n")
    with pytest.raises(RuleDataError, match="row 1"):
        TariffTable.from_csv(path)


def test_specific_duty_needs_per_and_currency():
    with pytest.raises(RuleDataError, match="row 1"):
        TariffTable.from_records(
            [{"destination": "EU", "hs_code": "910211", "ad_valorem": "0", "specific": "0.3"}]
        )


def test_float_rates_are_refused():
    with pytest.raises(RuleDataError, match="float"):
        TariffTable.from_records([{"destination": "EU", "hs_code": "610910", "ad_valorem": 0.05}])


def test_missing_file(tmp_path):
    with pytest.raises(RuleDataError, match="cannot read"):
        TariffTable.from_csv(tmp_path / "nope.csv")
    with pytest.raises(RuleDataError, match="cannot read"):
        TariffTable.from_csv(tmp_path)  # a folder


def test_layered_needs_a_provider():
    with pytest.raises(Exception, match="at least one provider"):
        LayeredTariff()


# --- bugs ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("destination", ["JP", "CH", "NO", "AU", "CA-ON", "TR"])
def test_eu_rows_do_not_apply_outside_the_eu(destination):
    table = TariffTable.from_records(
        [{"destination": "EU", "hs_code": "610910", "ad_valorem": "0.05"}]
    )
    assert look(table, destination, "61091000") is None


def test_preference_beats_an_origin_specific_mfn_row_in_any_order():
    rows = [
        {"destination": "EU", "hs_code": "610910", "ad_valorem": "0", "preferential": "true"},
        {"destination": "EU", "hs_code": "610910", "origin": "VN", "ad_valorem": "0.09"},
    ]
    answers = {
        look(TariffTable.from_records(r), "DE", "61091000", origin="VN", preferential=True)
        .lines[0]
        .ad_valorem
        for r in (rows, rows[::-1])
    }
    assert answers == {Decimal("0")}


def test_country_row_and_eu_row_do_not_depend_on_order():
    rows = [
        {"destination": "EU", "hs_code": "610910", "ad_valorem": "0.10"},
        {"destination": "DE", "hs_code": "610910", "ad_valorem": "0.05"},
    ]
    answers = {
        look(TariffTable.from_records(r), "DE", "61091000").lines[0].ad_valorem
        for r in (rows, rows[::-1])
    }
    assert len(answers) == 1


def test_csv_in_another_encoding_is_a_rule_data_error(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        b"destination,hs_code,origin,ad_valorem,description\nEU,610910,*,0.05,caf\xe9\n"
    )
    with pytest.raises(RuleDataError):
        TariffTable.from_csv(path)


def test_csv_with_a_byte_order_mark(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbfdestination,hs_code,origin,ad_valorem\nEU,610910,*,0.05\n")
    assert look(TariffTable.from_csv(path), "DE", "61091000") is not None
