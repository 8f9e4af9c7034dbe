"""One HTTP client per run and the one retry policy every provider uses (PROVIDERS.md)."""

from __future__ import annotations

import contextvars
import logging
import os
import random
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager

import httpx

from dattrack import __version__
from dattrack.errors import OperationFailed

USER_AGENT = f"dattrack/{__version__} (+https://github.com/dattrack/dattrack; DAT treasury tracker)"
TIMEOUT = httpx.Timeout(10.0, connect=5.0)
RETRY_STATUSES = frozenset({408, 429})  # and every 5xx: see retryable()
# Worth another try: the request may not have reached the server, or the answer was cut short.
RETRY_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)
MAX_TRIES = 4
RETRY_AFTER_CAP = 30.0
BACKOFF_BASE = 0.5
# Query parameters that carry keys (Stooq only takes its key in the URL).
SECRET_PARAMS = frozenset({"apikey", "api_key", "x_cg_demo_api_key", "x_cg_pro_api_key"})

BASE_URLS = {
    "coingecko": ("DATTRACK_COINGECKO_URL", "https://api.coingecko.com/api/v3"),
    "coinbase": ("DATTRACK_COINBASE_URL", "https://api.coinbase.com"),
    "kraken": ("DATTRACK_KRAKEN_URL", "https://api.kraken.com"),
    "yahoo": ("DATTRACK_YAHOO_URL", "https://query1.finance.yahoo.com"),
    "stooq": ("DATTRACK_STOOQ_URL", "https://stooq.com"),
    "sec": ("DATTRACK_SEC_URL", "https://data.sec.gov"),
    "sec_files": ("DATTRACK_SEC_FILES_URL", "https://www.sec.gov"),
}


class ProviderError(OperationFailed):
    """A provider could not give what was asked; the message names the provider and the cause.

    `transient` marks failures that outlived the retry policy (network, 429, 5xx): a run that
    sees several in a row can stop asking that provider instead of waiting out every retry."""

    def __init__(self, provider: str, cause: str, *, transient: bool = False):
        super().__init__(f"{provider}: {cause}")
        self.provider = provider
        self.cause = cause
        self.transient = transient


def base_url(provider: str, env: Mapping[str, str] | None = None) -> str:
    variable, default = BASE_URLS[provider]
    env = os.environ if env is None else env
    return (env.get(variable) or default).rstrip("/")


def make_client(transport: httpx.BaseTransport | None = None, **kwargs) -> httpx.Client:
    """The run's client: explicit timeouts, a descriptive User-Agent, pooled connections."""
    headers = {"User-Agent": USER_AGENT, **kwargs.pop("headers", {})}
    limits = httpx.Limits(max_connections=24, max_keepalive_connections=24)  # = fetch.WORKERS
    return httpx.Client(timeout=TIMEOUT, headers=headers, transport=transport, limits=limits,
                        follow_redirects=True, **kwargs)


@contextmanager
def borrowed_or_new(client: httpx.Client | None) -> Iterator[httpx.Client]:
    """The caller's client (a run shares one), or a new one closed when the work is done."""
    if client is not None:
        yield client
        return
    with make_client() as new:
        yield new


def retryable(status: int) -> bool:
    """Only what a later try may fix: timeouts, rate limits and server errors; never other 4xx."""
    return status in RETRY_STATUSES or 500 <= status <= 599


def retry_delay(attempt: int, response: httpx.Response | None, *, rng: Callable[[], float] = random.random) -> float:
    """Seconds to wait before try number attempt+1: Retry-After (capped) or backoff with full jitter."""
    if response is not None:
        header = response.headers.get("Retry-After")
        if header is not None:
            try:
                return min(max(float(header), 0.0), RETRY_AFTER_CAP)
            except ValueError:
                pass  # an HTTP-date: fall back to backoff
    return BACKOFF_BASE * (2 ** attempt) * (0.5 + rng() / 2)


class RequestCounter:
    """How many HTTP requests (tries included) a run made; shared by its worker threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.count = 0

    def add(self) -> None:
        with self._lock:
            self.count += 1


_COUNTER: contextvars.ContextVar[RequestCounter | None] = contextvars.ContextVar("dattrack_requests", default=None)


@contextmanager
def counting() -> Iterator[RequestCounter]:
    """Count every try `get` makes inside the block, so provider modules need no bookkeeping.
    Worker threads see the counter when their task runs in a copy of this context."""
    counter = RequestCounter()
    token = _COUNTER.set(counter)
    try:
        yield counter
    finally:
        _COUNTER.reset(token)


def get(client: httpx.Client, url: str, *, provider: str, params: Mapping | None = None,
        headers: Mapping[str, str] | None = None, tries: int = MAX_TRIES,
        sleep: Callable[[float], None] = time.sleep) -> httpx.Response:
    """GET with the retry policy. Returns any final response (the caller reads error bodies);
    raises ProviderError when every try failed at the transport level or on a retryable status."""
    last_cause = "no attempt made"
    counter = _COUNTER.get()
    for attempt in range(tries):
        response = None
        if counter is not None:
            counter.add()
        try:
            response = client.get(url, params=params, headers=headers)
        except RETRY_ERRORS as exc:
            last_cause = f"{type(exc).__name__} on {_path(url)}"
        except httpx.HTTPError as exc:  # a bad URL or protocol: trying again cannot help
            raise ProviderError(provider, f"{type(exc).__name__} on {_path(url)}") from None
        else:
            if not retryable(response.status_code):
                return response
            last_cause = f"HTTP {response.status_code} on {_path(url)}"
        if attempt + 1 < tries:
            sleep(retry_delay(attempt, response))
    raise ProviderError(provider, f"{last_cause} after {tries} tries", transient=True)


def _path(url: str) -> str:
    """The URL's path only: query strings may carry keys, which are never printed."""
    return httpx.URL(url).path


class _RedactKeys(logging.Filter):
    """httpx logs every request URL at INFO; blank out key parameters before any handler sees them."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_redacted(arg) for arg in record.args)
        return True


def _redacted(value: object) -> object:
    if isinstance(value, httpx.URL):
        for name in SECRET_PARAMS & set(value.params.keys()):
            value = value.copy_set_param(name, "REDACTED")
    return value


logging.getLogger("httpx").addFilter(_RedactKeys())
