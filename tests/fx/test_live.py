"""The opt-in forex-python adapter, against a real HTTP server on the loopback interface."""

import datetime as dt
import socket
from decimal import Decimal
from urllib.parse import parse_qs, urlparse

import pytest

from crossborder.errors import InputError, RateUnavailableError
from crossborder.fx import ForexPythonRates, RatePolicy, get_rate

DAY = dt.date(2024, 1, 5)


CALLS = []


def rates_service(method, path, body):
    """Answers like the rates service forex-python calls: /{date}?base=...&symbols=..."""
    url = urlparse(path)
    day, query = url.path.strip("/"), parse_qs(url.query)
    base, symbol = query["base"][0], query["symbols"][0]
    CALLS.append((base, symbol, day))
    if base == "SLOW" and not url.fragment:
        return 200, "slow"
    if base == "FAIL":
        return 500, "server error"
    if day in ("2024-01-06", "2024-01-07"):  # like the real service: the last fixing before
        day = "2024-01-05"
    rates = {"EUR": 0.91567} if (base, symbol, day) == ("USD", "EUR", "2024-01-05") else {}
    return 200, {"base": base, "date": day, "rates": rates}


@pytest.fixture
def service(loopback):
    return loopback(rates_service) + "/"


def test_rates_are_exact_cached_and_derived(service):
    live = ForexPythonRates(url=service, timeout=2)
    CALLS.clear()
    assert live.fixing("USD", "EUR", DAY) == Decimal("0.91567")
    assert live.fixing("USD", "EUR", DAY) == Decimal("0.91567")
    assert len(CALLS) == 1  # answers are kept
    assert get_rate("EUR", "USD", as_of=DAY, provider=live).derivation == "inverse"
    assert live.fixing("USD", "GBP", DAY) is None  # the service has no such rate


def test_failures_are_typed(service):
    live = ForexPythonRates(url=service, timeout=0.2)
    with pytest.raises(RateUnavailableError, match=r"within 0\.2 s"):
        live.fixing("SLOW", "EUR", DAY)
    with pytest.raises(RateUnavailableError, match="forex-python failed"):
        live.fixing("FAIL", "EUR", DAY)
    with socket.socket() as probe:  # a port nobody listens on: connection refused
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}/"
    with pytest.raises(RateUnavailableError, match="ConnectionError"):
        ForexPythonRates(url=closed, timeout=2).fixing("USD", "EUR", DAY)


def test_an_answer_for_another_day_is_no_fixing(service):
    """The service answers a Saturday with Friday's rates: that is not Saturday's fixing."""
    live = ForexPythonRates(url=service, timeout=2)
    assert live.fixing("USD", "EUR", dt.date(2024, 1, 6)) is None
    with pytest.raises(RateUnavailableError):
        get_rate("USD", "EUR", as_of=dt.date(2024, 1, 6), provider=live)


def test_policy_walks_back_through_the_service(service):
    live = ForexPythonRates(url=service, timeout=2)
    q = get_rate(
        "USD",
        "EUR",
        as_of=dt.date(2024, 1, 7),
        provider=live,
        policy=RatePolicy.last_fixing(max_age_days=3),
    )
    assert q.fixing_date == DAY


@pytest.mark.parametrize(
    "kwargs", [{"timeout": 0}, {"timeout": -1}, {"timeout": "5"}, {"url": "ftp://x"}, {"url": 5}]
)
def test_junk_settings_are_refused(kwargs):
    with pytest.raises(InputError):
        ForexPythonRates(**kwargs)
