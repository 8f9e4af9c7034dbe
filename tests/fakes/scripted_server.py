"""A tiny HTTP server on 127.0.0.1 whose answers a test scripts path by path: redirects, bodies
that drip a byte at a time, odd headers. It records every request (path and headers), so a test
can prove what reached which host.

    with ScriptedServer({"/api/v3/simple/price": Answer(302, headers={"Location": other.url + "/x"})}) as home:
        ...
        assert home.requests[0].headers["x-cg-demo-api-key"] == "secret"
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


@dataclass
class Answer:
    status: int = 200
    body: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    drip_every: float | None = None  # seconds between body bytes (a server that never quite finishes)


@dataclass
class Seen:
    path: str
    query: str
    headers: dict[str, str]


class ScriptedServer:
    def __init__(self, answers: dict[str, Answer] | None = None, default: Answer | None = None):
        self.answers = dict(answers or {})
        self.default = default or Answer(404, '{"error": "not scripted"}')
        self.requests: list[Seen] = []
        self.stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> ScriptedServer:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802 - the http.server name
                parts = urlsplit(self.path)
                fake.requests.append(Seen(parts.path, parts.query, {k.lower(): v for k, v in self.headers.items()}))
                answer = fake.answers.get(parts.path, fake.default)
                body = answer.body.encode()
                self.send_response(answer.status)
                headers = {"Content-Type": "application/json", "Content-Length": str(len(body)), **answer.headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                if answer.drip_every is None:
                    self.wfile.write(body)
                    return
                for byte in body:
                    if fake.stopping.wait(answer.drip_every):
                        return
                    try:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                    except OSError:  # the client gave up: that is what the test wants to see
                        return

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


def wait_for(condition, timeout: float = 10.0) -> bool:
    """Poll until condition() holds (a synchronisation helper, not a timing assertion)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.02)
    return condition()
