"""ECB reference rates offline: the packaged history, policies, lifecycles, updates."""

import datetime as dt
import zipfile
from decimal import Decimal

import pytest
from currency_converter import CurrencyConverter
from hypothesis import given, settings
from hypothesis import strategies as st

from crossborder.errors import InputError, InvalidAmountError, RateUnavailableError
from crossborder.fx import EcbRates, RatePolicy, convert, get_rate, install_ecb_file
from crossborder.money import Money
from crossborder.money._currency import exponent_of

ECB = EcbRates.packaged()
ORACLE = CurrencyConverter(fallback_on_missing_rate=False, fallback_on_wrong_date=False)
LIVE = [c for c in ECB.currencies if ECB.last_fixing_date(c) == ECB.last_date]


def fixed_days(currency):
    dates, values = ECB.column(currency)
    return [d for d, v in zip(dates, values, strict=True) if v is not None]


@settings(max_examples=200)
@given(st.sampled_from(LIVE), st.data())
def test_every_fixing_equals_currencyconverters_copy_of_the_ecb_file(currency, data):
    """The oracle reads the same ECB file independently (as floats)."""
    day = data.draw(st.sampled_from(fixed_days(currency)))
    ours = ECB.fixing("EUR", currency, day)
    assert float(ours) == ORACLE.convert(1, "EUR", currency, date=day)


@settings(max_examples=200)
@given(st.sampled_from(LIVE), st.sampled_from(LIVE), st.data())
def test_cross_rates_are_the_exact_product_of_their_legs(base, quote, data):
    day = data.draw(st.sampled_from(fixed_days(base)))
    if ECB.fixing("EUR", quote, day) is None or base == quote:
        return
    q = get_rate(base, quote, as_of=day, provider=ECB)
    eur_base, eur_quote = ECB.fixing("EUR", base, day), ECB.fixing("EUR", quote, day)
    num, den = q.ratio
    assert num * eur_base.as_integer_ratio()[0] * eur_quote.as_integer_ratio()[1] == (
        den * eur_base.as_integer_ratio()[1] * eur_quote.as_integer_ratio()[0]
    )  # ratio == eur_quote / eur_base exactly
    assert abs(float(q.rate) - ORACLE.convert(1, base, quote, date=day)) <= 1e-9 * float(q.rate)


@settings(max_examples=200)
@given(
    st.sampled_from(LIVE),
    st.sampled_from(LIVE),
    st.integers(min_value=0, max_value=10**12),
    st.data(),
)
def test_there_and_back_is_within_one_rounding_step(base, quote, minor, data):
    day = data.draw(st.sampled_from(fixed_days(base)))
    if ECB.fixing("EUR", quote, day) is None:
        return
    money = Money.from_minor(minor, base)
    there = convert(money, quote, as_of=day, rates=ECB).converted
    back = convert(there, base, as_of=day, rates=ECB)
    # one minor unit of the quote currency, in minor units of the base: the step lost
    step = back.quote.rate * Decimal(10) ** (exponent_of(base) - exponent_of(quote))
    assert abs(back.converted.minor - minor) <= max(1, step) + 1


def test_weekends_and_target_holidays_follow_the_policy():
    christmas = dt.date(2024, 12, 25)
    with pytest.raises(RateUnavailableError, match="last_fixing"):
        get_rate("USD", "EUR", as_of=christmas, provider=ECB)
    q = get_rate("USD", "EUR", as_of=christmas, provider=ECB, policy=RatePolicy.last_fixing())
    assert (q.fixing_date, q.as_of) == (dt.date(2024, 12, 24), christmas)
    easter_monday = dt.date(2025, 4, 21)  # TARGET closed from Good Friday (18 April)
    q = get_rate("GBP", "USD", as_of=easter_monday, provider=ECB, policy=RatePolicy(4))
    assert q.fixing_date == dt.date(2025, 4, 17)
    with pytest.raises(RateUnavailableError):
        get_rate("GBP", "USD", as_of=easter_monday, provider=ECB, policy=RatePolicy(3))


def test_currencies_that_ended_say_why():
    with pytest.raises(RateUnavailableError, match="Bulgaria adopted the euro"):
        get_rate("BGN", "EUR", as_of=dt.date(2026, 1, 2), provider=ECB)
    with pytest.raises(RateUnavailableError, match="Croatia adopted the euro"):
        get_rate("USD", "HRK", as_of=dt.date(2023, 1, 2), provider=ECB)
    assert get_rate("BGN", "EUR", as_of=dt.date(2025, 12, 31), provider=ECB).rate > 0
    with pytest.raises(RateUnavailableError, match="last RUB fixing in the data is 2022-03-01"):
        get_rate("RUB", "EUR", as_of=dt.date(2022, 3, 2), provider=ECB)


def test_dates_outside_the_data():
    with pytest.raises(RateUnavailableError, match="data ends on 2026-10-30"):
        get_rate("USD", "EUR", as_of=dt.date(2026, 11, 25), provider=ECB)
    with pytest.raises(RateUnavailableError):
        get_rate("USD", "EUR", as_of=dt.date(1998, 12, 31), provider=ECB)


@pytest.mark.parametrize("days", [-1, 367, 1.5, "5", None])
def test_junk_policies_are_refused(days):
    with pytest.raises(InvalidAmountError):
        RatePolicy(days)


def test_an_update_is_installed_and_used(tmp_path, monkeypatch):
    monkeypatch.setenv("CROSSBORDER_HOME", str(tmp_path / "home"))
    with zipfile.ZipFile(ECB.path) as archive:
        text = archive.read("eurofxref-hist.csv").decode()
    header, first, rest = text.split("\n", 2)
    later = first.replace("2026-10-30", "2026-11-02").replace("1.1172", "1.1180", 1)
    download = tmp_path / "eurofxref-hist.csv"
    download.write_text("\n".join([header, later, first, rest]))
    installed = install_ecb_file(download)
    assert installed.last_date == dt.date(2026, 11, 2)
    default = EcbRates.default()
    assert default.path == installed.path
    assert str(default.fixing("EUR", "USD", dt.date(2026, 11, 2))) == "1.1180"
    assert "2026-11-02" in (installed.path.parent / "eurofxref-hist.toml").read_text()


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not,a,history\n1,2,3\n",
        b"Date,USD\n2026-13-01,1.1\n",
        b"Date,USD\n2026-01-05,-1\n",
        b"Date,USD\n2026-01-05,abc\n",
        b"Date,US1\n2026-01-05,1.1\n",
        b"PK\x03\x04junk",
    ],
)
def test_bad_update_files_are_refused(tmp_path, monkeypatch, content):
    monkeypatch.setenv("CROSSBORDER_HOME", str(tmp_path / "home"))
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content)
    with pytest.raises(InputError):
        install_ecb_file(bad)
    assert not (tmp_path / "home").exists()
    with pytest.raises(InputError):
        install_ecb_file(tmp_path / "missing.zip")
