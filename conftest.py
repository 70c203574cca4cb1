"""Pytest set-up shared by tests/ and the doctests in src/."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", deadline=None, max_examples=200)


@pytest.fixture
def loopback():
    """Start real HTTP servers on 127.0.0.1 for opt-in network adapters; yields a starter.

    ``loopback(answer)`` serves ``answer(method, path, body) -> (status, reply)``,
    where ``reply`` is JSON-able, text, or ``"slow"`` (answer after a second),
    and returns the server's base URL. No test reaches beyond the machine.
    """
    servers = []

    def start(answer):
        class Handler(BaseHTTPRequestHandler):
            def _respond(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                status, reply = answer(self.command, self.path, body)
                if reply == "slow":
                    threading.Event().wait(1)
                    status, reply = answer(self.command, self.path + "#after", body)
                data = reply.encode() if isinstance(reply, str) else json.dumps(reply).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _respond  # noqa: N815 (the names http.server calls)

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()
