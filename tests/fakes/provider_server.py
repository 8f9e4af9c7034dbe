"""A fake of every market-data provider dattrack reads, served over real HTTP on 127.0.0.1.

    with FakeProviders({"BTC": "63210.5", "MSTR": "220.69", "3350.T": "1234"}, fx={"JPY": "147.25"}) as fake:
        fetch_prices(needs, None, client=make_client(), env=fake.env(STOOQ_API_KEY="k"))

Each provider lives under its own prefix (/coingecko, /coinbase, /kraken, /yahoo, /stooq) and
answers the paths, parameters and body shapes of PROVIDERS.md, errors included: an unknown
CoinGecko id is absent (or 404 for history), Coinbase 404s, Kraken says so inside HTTP 200,
Yahoo 404s with its chart error, Stooq sends an N/D row (or "Access denied" for a wrong key).

Prices are the same on every day. Crypto symbols are those of `coin_ids` (CoinGecko id ->
symbol); everything else in `prices` is a share, priced in `currencies[symbol]` (default JPY
for ".T", else USD). `fx` gives units per 1 USD, served by CoinGecko (as vs_currencies) and
Yahoo ("JPY=X").

Scripted failures: `fail(subject, status, times=1, ...)` answers the next `times` requests about
`subject` with that status (times=None: for ever). A subject is "provider:symbol" in the
provider's own terms — "coingecko:simple", "coingecko:bitcoin", "coinbase:BTC",
"kraken:XBTUSD", "yahoo:MSTR", "yahoo:JPY=X", "stooq:mstr.us" — or "provider:*".
`delay` seconds are added to every request. `requests`, `hits` and `log` record what came in.
`transport()` serves the same fake through httpx.MockTransport, without a socket.

Disclosures (PROVIDERS.md "Disclosures"): `entities` is CoinGecko's /entities/list (paged by
per_page), `treasury[entity_id]` the transactions of /public_treasury/{id}/transaction_history
(served newest first, paged by per_page; a page after the first answers 401 as on a demo plan
unless `paid_plan`), unknown entities 404. SEC EDGAR lives under /sec (data.sec.gov:
`companyfacts[cik]`, `submissions[cik]`, 404 when absent) and /sec_files (www.sec.gov:
/files/company_tickers.json from `sec_tickers`, ticker -> CIK). Subjects for `fail`:
"coingecko:entities", "coingecko:treasury:ID", "sec:CIK" (ten digits), "sec_files:tickers".
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import httpx

DAY = 86400
PINNED_HOUR = 23  # the fake's clock on a pinned day: every session of that day has closed


def _now() -> int:
    """The fake's clock: late on DATTRACK_TODAY when it is pinned (every test pins it), so that
    what the fake serves never depends on the real clock; the real time otherwise."""
    pinned = os.environ.get("DATTRACK_TODAY")
    if pinned:
        day = dt.date.fromisoformat(pinned)
        return int(dt.datetime(day.year, day.month, day.day, PINNED_HOUR, tzinfo=dt.timezone.utc).timestamp())
    return int(time.time())


def _today() -> dt.date:
    return dt.datetime.fromtimestamp(_now(), dt.timezone.utc).date()
DEFAULT_COIN_IDS = {"bitcoin": "BTC", "ethereum": "ETH", "solana": "SOL"}
KRAKEN_ALIASES = {"XBT": "BTC", "XDG": "DOGE"}
STOOQ_MARKETS = {"us": "", "jp": ".T", "hk": ".HK", "de": ".DE"}


@dataclass
class Reply:
    status: int
    body: str = ""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Logged:
    provider: str
    subject: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]


@dataclass
class _Script:
    reply: Reply
    remaining: int | None


class FakeProviders:
    """The fake providers, their data and scripts (see the module docstring); a context manager."""

    def __init__(self, prices: dict[str, Any] | None = None, *, fx: dict[str, Any] | None = None,
                 currencies: dict[str, str] | None = None, coin_ids: dict[str, str] | None = None,
                 delay: float = 0.0, stooq_key: str | None = None):
        self.prices = {symbol: Decimal(str(value)) for symbol, value in (prices or {}).items()}
        self.fx = {code.upper(): Decimal(str(value)) for code, value in (fx or {}).items()}
        self.currencies = dict(currencies or {})
        self.coin_ids = dict(DEFAULT_COIN_IDS if coin_ids is None else coin_ids)
        self.delay = delay
        self.stooq_key = stooq_key
        self.entities: list[dict] = []
        self.treasury: dict[str, list[dict]] = {}
        self.paid_plan = False
        self.sec_tickers: dict[str, int] = {}
        self.companyfacts: dict[str, dict] = {}
        self.submissions: dict[str, dict] = {}
        self.requests = 0
        self.hits: Counter[str] = Counter()
        self.log: list[Logged] = []
        self._scripts: dict[str, list[_Script]] = {}
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> FakeProviders:
        fake = self

        class Handler(_Handler):
            provider_fake = fake

        self._server = _Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), name="fake-providers",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join()
            self._server = self._thread = None

    def __enter__(self) -> FakeProviders:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The server's address once started; before, the host `transport()` answers for."""
        if self._server is None:
            return "http://providers.fake"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def transport(self) -> httpx.MockTransport:
        """The same fake without a socket, for clients built on httpx.MockTransport (no delay)."""
        def handle(request: httpx.Request) -> httpx.Response:
            reply = self.respond(request.url.raw_path.decode(), dict(request.headers.items()), delay=False)
            return httpx.Response(reply.status, content=reply.body.encode(),
                                  headers={"Content-Type": reply.content_type, **reply.headers})
        return httpx.MockTransport(handle)

    def respond(self, target: str, headers: dict[str, str], *, delay: bool = True) -> Reply:
        """Record the request for `target` (path and query), wait `delay`, answer as scripted or as the provider would."""
        parts = urlsplit(target)
        query = parse_qs(parts.query, keep_blank_values=True)
        provider, _, rest = parts.path.lstrip("/").partition("/")
        route = ROUTES.get(provider)
        subject, answer = route(self, "/" + rest, query) if route else ("?", lambda: Reply(404, "no such provider"))
        self._record(Logged(provider, f"{provider}:{subject}", parts.path, query,
                            {name.lower(): value for name, value in headers.items()}))
        if delay and self.delay:
            time.sleep(self.delay)
        return self._scripted(f"{provider}:{subject}") or answer()

    def env(self, **extra: str) -> dict[str, str]:
        """DATTRACK_*_URL pointing every provider here, plus `extra` (keys and such)."""
        env = {f"DATTRACK_{name.upper()}_URL": f"{self.url}/{name}"
               for name in ("coingecko", "coinbase", "kraken", "yahoo", "stooq", "sec", "sec_files")}
        return {**env, **extra}

    # -- scripting -------------------------------------------------------------------------

    def fail(self, subject: str, status: int, *, times: int | None = 1, body: str | None = None,
             headers: dict[str, str] | None = None, content_type: str = "text/plain") -> None:
        reply = Reply(status, f"HTTP {status}" if body is None else body, content_type, dict(headers or {}))
        with self._lock:
            self._scripts.setdefault(subject, []).append(_Script(reply, times))

    def _scripted(self, subject: str) -> Reply | None:
        provider = subject.split(":", 1)[0]
        with self._lock:
            for key in (subject, f"{provider}:*"):
                queue = self._scripts.get(key, [])
                if queue:
                    script = queue[0]
                    if script.remaining is not None:
                        script.remaining -= 1
                        if script.remaining <= 0:
                            queue.pop(0)
                    return script.reply
        return None

    def _record(self, entry: Logged) -> None:
        with self._lock:
            self.requests += 1
            self.hits[entry.provider] += 1
            self.log.append(entry)

    # -- data ------------------------------------------------------------------------------

    def crypto(self, symbol: str) -> Decimal | None:
        return self.prices.get(symbol.upper()) if symbol.upper() in self.coin_ids.values() else None

    def stock(self, symbol: str) -> tuple[Decimal, str] | None:
        if symbol not in self.prices or symbol in self.coin_ids.values():
            return None
        return self.prices[symbol], self.currencies.get(symbol, "JPY" if symbol.endswith(".T") else "USD")

    def per_usd(self, currency: str) -> Decimal | None:
        return Decimal(1) if currency.upper() == "USD" else self.fx.get(currency.upper())


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # a burst of 16 parallel connects must not wait on SYN retries


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms delayed-ACK stall
    provider_fake: FakeProviders

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:
        reply = self.provider_fake.respond(self.path, dict(self.headers.items()))
        body = reply.body.encode()
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


# -- providers: each route returns (subject, make the normal reply) -------------------------

Query = dict[str, list[str]]


def _coingecko(fake: FakeProviders, path: str, query: Query):
    if path == "/simple/price":
        def answer() -> Reply:
            currencies = _arg(query, "vs_currencies").split(",")
            payload = {}
            for coin_id in filter(None, _arg(query, "ids").split(",")):
                usd = fake.crypto(fake.coin_ids.get(coin_id, ""))
                if usd is None:
                    continue
                entry = {c: usd * rate for c in currencies if (rate := fake.per_usd(c)) is not None}
                payload[coin_id] = {**entry, "last_updated_at": _now()}
            return _json(200, payload)
        return "simple", answer
    if path == "/entities/list":
        def answer() -> Reply:
            per_page, page = int(_arg(query, "per_page") or 100), int(_arg(query, "page") or 1)
            return _json(200, fake.entities[(page - 1) * per_page: page * per_page])
        return "entities", answer
    if path.startswith("/public_treasury/") and path.endswith("/transaction_history"):
        entity = unquote(path.removeprefix("/public_treasury/").removesuffix("/transaction_history"))

        def answer() -> Reply:
            if entity not in fake.treasury:
                return _json(404, {"error": "entity not found"})
            per_page, page = int(_arg(query, "per_page") or 100), int(_arg(query, "page") or 1)
            if page > 1 and not fake.paid_plan:
                return _json(401, {"error": {"status": {"error_code": 10005, "error_message":
                                                        "You need a paid plan to access this page."}}})
            coins = set(filter(None, _arg(query, "coin_ids").split(",")))
            # Newest first; the list is kept oldest first, so one day's later transaction comes first too.
            rows = sorted((t for t in reversed(fake.treasury[entity]) if not coins or t["coin_id"] in coins),
                          key=lambda t: t["date"], reverse=True)
            return _json(200, {"transactions": rows[(page - 1) * per_page: page * per_page]})
        return f"treasury:{entity}", answer
    coin_id, _, tail = path.removeprefix("/coins/").partition("/")
    if path.startswith("/coins/") and tail == "market_chart/range":
        def answer() -> Reply:
            usd = fake.crypto(fake.coin_ids.get(coin_id, ""))
            rate = fake.per_usd(_arg(query, "vs_currency"))
            if usd is None or rate is None:
                return _json(404, {"error": "coin not found"})
            start, end = int(_arg(query, "from")), min(int(_arg(query, "to")), _now())
            days = range(-(-start // DAY) * DAY, end + 1, DAY)
            return _json(200, {"prices": [[t * 1000, usd * rate] for t in days], "market_caps": [], "total_volumes": []})
        return coin_id, answer
    return "?", lambda: _json(404, {"error": "Not found"})


def _coinbase(fake: FakeProviders, path: str, query: Query):
    pair = path.removeprefix("/v2/prices/").removesuffix("/spot")
    base, _, currency = pair.partition("-")

    def answer() -> Reply:
        price = fake.crypto(base)
        if price is None or currency != "USD" or not path.endswith("/spot"):
            return _json(404, {"errors": [{"id": "not_found", "message": "Invalid currency"}]})
        return _json(200, {"data": {"amount": str(price), "base": base, "currency": currency}})
    return base, answer


def _kraken(fake: FakeProviders, path: str, query: Query):
    pair = _arg(query, "pair")
    code = pair.removesuffix("USD")
    price = fake.crypto(KRAKEN_ALIASES.get(code, code)) if pair.endswith("USD") else None
    key = f"X{code}ZUSD" if len(code) == 3 else pair  # the renamed result key: XBTUSD -> XXBTZUSD

    def answer() -> Reply:
        if price is None:
            return _json(200, {"error": ["EQuery:Unknown asset pair"]})
        if path == "/0/public/Ticker":
            return _json(200, {"error": [], "result": {key: {"a": [str(price), "1", "1.000"], "c": [str(price), "0.0168"]}}})
        if path == "/0/public/OHLC":
            since = int(_arg(query, "since") or 0)
            days = range((since // DAY + 1) * DAY, _now() + 1, DAY)
            p = str(price)
            rows = [[t, p, p, p, p, p, "12.5", 100] for t in days]
            return _json(200, {"error": [], "result": {key: rows, "last": rows[-1][0] if rows else since}})
        return _json(404, {"error": ["EGeneral:Unknown method"]})
    return pair, answer


def _yahoo(fake: FakeProviders, path: str, query: Query):
    symbol = unquote(path.removeprefix("/v8/finance/chart/"))

    def answer() -> Reply:
        if symbol.endswith("=X"):
            rate = fake.per_usd(symbol.removesuffix("=X")) if len(symbol) == 5 else None
            quote = (rate, symbol[:3]) if rate is not None else None
            zone, session = "Europe/London", 0
        else:
            quote = fake.stock(symbol)
            zone, session = ("Asia/Tokyo", 0) if symbol.endswith(".T") else ("America/New_York", 13 * 3600 + 1800)
        if quote is None:
            return _json(404, {"chart": {"result": None, "error": {
                "code": "Not Found", "description": "No data found, symbol may be delisted"}}})
        price, currency = quote
        now = _now()
        if "period1" in query:
            first, last = int(_arg(query, "period1")) // DAY, min(int(_arg(query, "period2")), now) // DAY
        else:
            first, last = now // DAY - 4, now // DAY
        stamps = [day * DAY + session for day in range(first, last + 1) if day * DAY + session <= now]
        meta = {"currency": currency, "symbol": symbol, "regularMarketPrice": price, "regularMarketTime": now,
                "exchangeTimezoneName": zone}
        result = {"meta": meta, "timestamp": stamps, "indicators": {"quote": [{"close": [price] * len(stamps)}]}}
        return _json(200, {"chart": {"result": [result], "error": None}})
    return symbol, answer


def _stooq(fake: FakeProviders, path: str, query: Query):
    codes = [c for c in _arg(query, "s").replace("+", " ").split() if c]
    subject = codes[0] if len(codes) == 1 else "+".join(codes)

    def answer() -> Reply:
        if fake.stooq_key is not None and _arg(query, "apikey") != fake.stooq_key:
            return Reply(200, "Access denied", "text/plain")
        if path == "/q/l/":
            rows = ["Symbol,Date,Time,Open,High,Low,Close,Volume"]
            for code in codes:
                quote = fake.stock(_from_stooq(code))
                if quote is None:
                    rows.append(f"{code.upper()},N/D,N/D,N/D,N/D,N/D,N/D,N/D")
                else:
                    p = quote[0]
                    rows.append(f"{code.upper()},{_today().isoformat()},22:00:09,{p},{p},{p},{p},1000")
            return Reply(200, "\r\n".join(rows) + "\r\n", "text/csv")
        if path == "/q/d/l/":
            quote = fake.stock(_from_stooq(subject))
            if quote is None:
                return Reply(200, "No data", "text/plain")
            first = dt.datetime.strptime(_arg(query, "d1"), "%Y%m%d").date()
            last = min(dt.datetime.strptime(_arg(query, "d2"), "%Y%m%d").date(), _today())
            p = quote[0]
            rows = ["Date,Open,High,Low,Close,Volume"] + [
                f"{first + dt.timedelta(days=n)},{p},{p},{p},{p},1000" for n in range((last - first).days + 1)]
            return Reply(200, "\r\n".join(rows) + "\r\n", "text/csv")
        return Reply(404, "<html><body>Not found</body></html>", "text/html")
    return subject, answer


def _sec(fake: FakeProviders, path: str, query: Query):
    for prefix, documents in (("/api/xbrl/companyfacts/CIK", fake.companyfacts), ("/submissions/CIK", fake.submissions)):
        if path.startswith(prefix) and path.endswith(".json"):
            cik = path.removeprefix(prefix).removesuffix(".json")
            return cik, lambda: _json(200, documents[cik]) if cik in documents else Reply(404, "Not Found", "text/html")
    return "?", lambda: Reply(404, "Not Found", "text/html")


def _sec_files(fake: FakeProviders, path: str, query: Query):
    if path == "/files/company_tickers.json":
        return "tickers", lambda: _json(200, {str(n): {"cik_str": cik, "ticker": ticker, "title": ticker}
                                              for n, (ticker, cik) in enumerate(fake.sec_tickers.items())})
    return "?", lambda: Reply(404, "Not Found", "text/html")


ROUTES = {"coingecko": _coingecko, "coinbase": _coinbase, "kraken": _kraken, "yahoo": _yahoo, "stooq": _stooq,
          "sec": _sec, "sec_files": _sec_files}


def _from_stooq(code: str) -> str:
    stem, _, market = code.rpartition(".")
    return stem.upper() + STOOQ_MARKETS.get(market, "?")


def _arg(query: Query, name: str) -> str:
    return query.get(name, [""])[0]


def _json(status: int, payload: Any) -> Reply:
    return Reply(status, _dumps(payload))


def _dumps(value: Any) -> str:
    """JSON with Decimals written as exact numbers, as the providers send them."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(k))}: {_dumps(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_dumps(v) for v in value) + "]"
    return json.dumps(value)
