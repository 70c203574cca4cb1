"""The opt-in VIES check, against a real HTTP server on the loopback interface."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import ClassVar

import pytest

from crossborder.errors import InvalidVatIdError, ServiceError
from crossborder.tax import check_vies


class Vies(BaseHTTPRequestHandler):
    replies: ClassVar[dict] = {}

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        status, reply = self.replies.get(body["vatNumber"], (200, {"valid": False}))
        if reply == "slow":
            threading.Event().wait(1)
            reply = {"valid": True}
        data = (
            reply.encode()
            if isinstance(reply, str)
            else json.dumps(
                {**reply, "countryCode": body["countryCode"], "vatNumber": body["vatNumber"]}
            ).encode()
        )
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def vies():
    server = HTTPServer(("127.0.0.1", 0), Vies)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_valid_and_invalid(vies):
    Vies.replies = {
        "136695976": (200, {"valid": True, "name": "ACME GmbH", "requestDate": "2026-11-25"}),
    }
    found = check_vies("DE 136 695 976", base_url=vies)
    assert found.valid
    assert found.name == "ACME GmbH"
    assert found.number == "DE136695976"
    assert not check_vies("ATU13585627", base_url=vies).valid


def test_greek_and_northern_irish_prefixes_are_sent_as_vies_expects(vies):
    Vies.replies = {"094259216": (200, {"valid": True})}
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
    Vies.replies = {"136695976": reply}
    with pytest.raises(ServiceError, match=match):
        check_vies("DE136695976", base_url=vies)


def test_timeout_is_wrapped(vies):
    Vies.replies = {"136695976": (200, "slow")}
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
