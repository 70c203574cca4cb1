"""The opt-in VIES check, against a real HTTP server on the loopback interface."""

import json

import pytest

from crossborder.errors import InvalidVatIdError, ServiceError
from crossborder.tax import check_vies

REPLIES: dict = {}


def vies_service(method, path, body):
    """Answers like the VIES REST service: the reply set for the VAT number asked about."""
    asked = json.loads(body)
    status, reply = REPLIES.get(asked["vatNumber"], (200, {"valid": False}))
    if reply == "slow" and not path.endswith("#after"):
        return status, "slow"
    if reply == "slow":
        reply = {"valid": True}
    if isinstance(reply, str):
        return status, reply
    return status, {**reply, "countryCode": asked["countryCode"], "vatNumber": asked["vatNumber"]}


@pytest.fixture
def vies(loopback):
    return loopback(vies_service)


def test_valid_and_invalid(vies):
    REPLIES.clear()
    REPLIES.update(
        {"136695976": (200, {"valid": True, "name": "ACME GmbH", "requestDate": "2026-11-25"})}
    )
    found = check_vies("DE 136 695 976", base_url=vies)
    assert found.valid
    assert found.name == "ACME GmbH"
    assert found.number == "DE136695976"
    assert not check_vies("ATU13585627", base_url=vies).valid


def test_greek_and_northern_irish_prefixes_are_sent_as_vies_expects(vies):
    REPLIES.clear()
    REPLIES.update({"094259216": (200, {"valid": True})})
    assert check_vies("EL094259216", base_url=vies).country == "GR"


@pytest.mark.parametrize(
    ("reply", "match"),
    [
        ((503, {"error": "down"}), "HTTP 503"),
        ((200, {"userError": "MS_UNAVAILABLE", "isValid": False}), "MS_UNAVAILABLE"),
        ((200, "<html>not json</html>"), "not JSON"),
        ((200, {"something": 1}), "no validity field"),
    ],
)
def test_service_failures_are_wrapped(vies, reply, match):
    REPLIES.clear()
    REPLIES.update({"136695976": reply})
    with pytest.raises(ServiceError, match=match):
        check_vies("DE136695976", base_url=vies)


def test_timeout_is_wrapped(vies):
    REPLIES.clear()
    REPLIES.update({"136695976": (200, "slow")})
    with pytest.raises(ServiceError, match="could not be reached"):
        check_vies("DE136695976", base_url=vies, timeout=0.2)


def test_nothing_is_sent_for_bad_or_non_eu_ids():
    with pytest.raises(InvalidVatIdError):
        check_vies("DE136695970", base_url="http://127.0.0.1:9")
    with pytest.raises(InvalidVatIdError, match="only knows EU"):
        check_vies("GB980780684", base_url="http://127.0.0.1:9")
    with pytest.raises(ServiceError, match="timeout"):
        check_vies("DE136695976", timeout=0, base_url="http://127.0.0.1:9")


def test_unreachable_service():
    with pytest.raises(ServiceError, match="could not be reached"):
        check_vies("DE136695976", base_url="http://127.0.0.1:9", timeout=1)
