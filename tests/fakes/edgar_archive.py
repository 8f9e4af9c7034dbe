"""A fake SEC EDGAR serving filings over real HTTP on 127.0.0.1: the submissions feed (data.sec.gov)
and the archives (www.sec.gov), index.json built from the files each filing holds.

    with EdgarArchive() as edgar:
        edgar.add_filing(1050446, "0001050446-25-000123", "8-K", "2025-11-17", {"mstr-20251117.htm": body})
        env = edgar.env()   # DATTRACK_SEC_URL, DATTRACK_SEC_FILES_URL and a User-Agent

Paths: /sec/submissions/CIK##########.json and /sec_files/Archives/edgar/data/{cik}/{accession
without dashes}/{name} (index.json included); anything else is 404, as EDGAR answers. A request
without a User-Agent naming an email gets 403. `delay` seconds are added to every answer.
`log` keeps (arrival time, path) of every request; `most_in_one_second()` is the most requests
that arrived within any one second. `fail(path_part, status, times)` answers the next `times`
requests whose path contains path_part with that status; `replace(path_part, reply)` answers
with raw bytes and headers (a gzip bomb, a huge body).
"""

from __future__ import annotations

import json
import threading
import time
from bisect import bisect_left
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

UA = "Jane Doe jane@example.com"


@dataclass
class Filing:
    cik: int
    accession: str
    form: str
    filed: str
    report_date: str
    items: str
    primary: str
    files: dict[str, bytes] = field(default_factory=dict)


@dataclass
class RawReply:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    remaining: int | None = None       # None: for ever


class EdgarArchive:
    def __init__(self, *, delay: float = 0.0):
        self.delay = delay
        self.filings: dict[int, list[Filing]] = {}
        self.older_pages: dict[int, int] = {}    # cik -> how many of its oldest filings sit in a page of `files`
        self.log: list[tuple[float, str]] = []
        self._scripts: list[tuple[str, RawReply]] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- data ----------------------------------------------------------------------------------

    def add_filing(self, cik: int, accession: str, form: str, filed: str, files: dict[str, bytes], *,
                   primary: str | None = None, report_date: str = "", items: str = "7.01,8.01,9.01") -> Filing:
        primary = primary or next(iter(files))
        filing = Filing(cik, accession, form, filed, report_date or filed, items, primary, dict(files))
        self.filings.setdefault(cik, []).append(filing)
        return filing

    def submissions(self, cik: int, filings: list[Filing] | None = None, *, paged: bool = True) -> dict:
        every = sorted(self.filings.get(cik, []) if filings is None else filings,
                       key=lambda f: (f.filed, f.accession), reverse=True)
        kept = self.older_pages.get(cik, 0) if paged else 0
        recent, older = (every[:-kept], every[-kept:]) if kept else (every, [])
        document = {"cik": str(cik), "name": f"Company {cik}", "tickers": [],
                    "filings": {"recent": _arrays(recent), "files": []}}
        if older:
            document["filings"]["files"].append({"name": f"CIK{cik:010d}-submissions-001.json",
                                                 "filingCount": len(older), "filingFrom": older[-1].filed,
                                                 "filingTo": older[0].filed})
        return document

    def index(self, filing: Filing) -> dict:
        items = [{"name": name, "type": "text.gif", "size": str(len(body)), "last-modified": "2025-11-17 08:00:00"}
                 for name, body in filing.files.items()]
        base = f"/Archives/edgar/data/{filing.cik}/{filing.accession.replace('-', '')}"
        return {"directory": {"name": base, "parent-dir": f"/Archives/edgar/data/{filing.cik}", "item": items}}

    # -- scripting -----------------------------------------------------------------------------

    def fail(self, path_part: str, status: int, *, times: int | None = 1) -> None:
        self.replace(path_part, RawReply(status, f"HTTP {status}".encode(), {"Content-Type": "text/plain"}, times))

    def replace(self, path_part: str, reply: RawReply) -> None:
        with self._lock:
            self._scripts.append((path_part, reply))

    # -- what came in --------------------------------------------------------------------------

    @property
    def requests(self) -> int:
        with self._lock:
            return len(self.log)

    def paths(self) -> list[str]:
        with self._lock:
            return [path for _, path in self.log]

    def most_in_one_second(self) -> int:
        with self._lock:
            stamps = sorted(at for at, _ in self.log)
        return max((i - bisect_left(stamps, at - 1.0) + 1 for i, at in enumerate(stamps)), default=0)

    # -- serving -------------------------------------------------------------------------------

    def respond(self, path: str, headers: dict[str, str]) -> RawReply:
        with self._lock:
            self.log.append((time.monotonic(), path))
        if self.delay:
            time.sleep(self.delay)
        if "@" not in headers.get("user-agent", ""):
            return RawReply(403, b"<html>Your Request Originates from an Undeclared Automated Tool</html>",
                            {"Content-Type": "text/html"})
        scripted = self._scripted(path)
        if scripted is not None:
            return scripted
        return self._answer(path.split("?", 1)[0])

    def _scripted(self, path: str) -> RawReply | None:
        with self._lock:
            for index, (part, reply) in enumerate(self._scripts):
                if part in path:
                    if reply.remaining is not None:
                        reply.remaining -= 1
                        if reply.remaining <= 0:
                            self._scripts.pop(index)
                    return reply
        return None

    def _answer(self, path: str) -> RawReply:
        if path.startswith("/sec/submissions/CIK") and path.endswith(".json"):
            name = path.removeprefix("/sec/submissions/")
            digits = name.removeprefix("CIK")[:10]
            cik = int(digits) if digits.isdigit() else -1
            if cik not in self.filings:
                return _json_reply(404, {"error": "not found"})
            if name.endswith("-submissions-001.json"):
                kept = self.older_pages.get(cik, 0)
                every = sorted(self.filings[cik], key=lambda f: (f.filed, f.accession), reverse=True)
                return _json_reply(200, _arrays(every[-kept:] if kept else []))
            return _json_reply(200, self.submissions(cik))
        prefix = "/sec_files/Archives/edgar/data/"
        if path.startswith(prefix):
            parts = path.removeprefix(prefix).split("/")
            if len(parts) == 3 and parts[0].isdigit():
                cik, folder, name = int(parts[0]), parts[1], parts[2]
                for filing in self.filings.get(cik, []):
                    if filing.accession.replace("-", "") == folder:
                        if name == "index.json":
                            return _json_reply(200, self.index(filing))
                        if name in filing.files:
                            kind = "application/pdf" if name.endswith(".pdf") else "text/html"
                            return RawReply(200, filing.files[name], {"Content-Type": kind})
        return RawReply(404, b"<Error><Code>NoSuchKey</Code></Error>", {"Content-Type": "application/xml"})

    def start(self) -> EdgarArchive:
        fake = self

        class Handler(_Handler):
            archive = fake

        self._server = _Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), name="fake-edgar",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join()
            self._server = self._thread = None

    def __enter__(self) -> EdgarArchive:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def env(self, **extra: str) -> dict[str, str]:
        return {"DATTRACK_SEC_URL": f"{self.url}/sec", "DATTRACK_SEC_FILES_URL": f"{self.url}/sec_files",
                "DATTRACK_SEC_USER_AGENT": UA, **extra}

    def document_url(self, filing: Filing, name: str | None = None) -> str:
        return (f"{self.url}/sec_files/Archives/edgar/data/{filing.cik}/{filing.accession.replace('-', '')}/"
                f"{name or filing.primary}")


def _arrays(filings: list[Filing]) -> dict[str, list]:
    return {"accessionNumber": [f.accession for f in filings], "filingDate": [f.filed for f in filings],
            "reportDate": [f.report_date for f in filings], "form": [f.form for f in filings],
            "items": [f.items for f in filings], "primaryDocument": [f.primary for f in filings],
            "primaryDocDescription": [f.form for f in filings]}


def _json_reply(status: int, payload: Any) -> RawReply:
    return RawReply(status, json.dumps(payload).encode(), {"Content-Type": "application/json"})


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def handle_error(self, request, client_address) -> None:  # a client that hung up on a refused body
        pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    archive: EdgarArchive

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        reply = self.archive.respond(self.path, {k.lower(): v for k, v in self.headers.items()})
        self.send_response(reply.status)
        headers = {"Content-Length": str(len(reply.body)), **reply.headers}
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        try:
            self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):  # the client refused a body too large
            pass
