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

import httpcore
import httpx

from dattrack import __version__
from dattrack.errors import OperationFailed
from dattrack.secrets import configured, scrub

USER_AGENT = f"dattrack/{__version__} (+https://github.com/dattrack/dattrack; DAT treasury tracker)"
TIMEOUT = httpx.Timeout(10.0, connect=5.0)
RETRY_STATUSES = frozenset({408, 429})  # and every 5xx: see retryable()
# Worth another try: the request may not have reached the server, or the answer was cut short.
RETRY_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)
# ...and of those, the ones where no connection was made: the network (or the host) is not there.
CONNECT_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout)
MAX_TRIES = 4
RETRY_AFTER_CAP = 30.0
# One request, all tries of it excluded, ends within this many seconds whatever the server does.
# The whole command ends by its deadline (dattrack.deadline: DATTRACK_DEADLINE), every request cut to it.
REQUEST_DEADLINE_S = 30.0
MAX_REDIRECTS = 5
MAX_BODY_BYTES = 64 * 1024 * 1024
# Requests in flight at once: the client's connection pool and the worker threads of a run (price
# fetch, sync). Enough to hide the latency of 200 share symbols (9 rounds), few enough to stay polite.
POOL_SIZE = 24
REDIRECTS = frozenset({301, 302, 303, 307, 308})
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


class Unreachable(ProviderError):
    """No try could connect to the host (DNS, refused, unreachable, connect timeout): the machine
    is offline or the host is down. `host` lets a run name each unreachable host once."""

    def __init__(self, provider: str, host: str, detail: str):
        super().__init__(provider, f"could not reach {host} ({detail})", transient=True)
        self.host = host


class NotConfigured(ProviderError):
    """The provider is not set up to be asked (no key): not a failure of the network or of it."""


class OutOfTime(ProviderError):
    """The command's deadline passed before this was fetched: not the provider's fault, so it
    neither trips nor resets the breaker; the caller names what was not fetched."""

    def __init__(self, provider: str, last_cause: str | None = None):
        from dattrack import deadline

        super().__init__(provider, f"not fetched: the command's deadline passed ({deadline.described()})"
                         + (f"; last try: {last_cause}" if last_cause else ""))


def base_url(provider: str, env: Mapping[str, str] | None = None) -> str:
    variable, default = BASE_URLS[provider]
    env = os.environ if env is None else env
    return (env.get(variable) or default).rstrip("/")


def make_client(transport: httpx.BaseTransport | None = None, **kwargs) -> httpx.Client:
    """The run's client: explicit timeouts, a descriptive User-Agent, pooled connections, and
    every socket read bounded by the request's overall deadline. Redirects are followed by
    `get`, which never carries a key to another host."""
    headers = {"User-Agent": USER_AGENT, **kwargs.pop("headers", {})}
    limits = httpx.Limits(max_connections=POOL_SIZE, max_keepalive_connections=POOL_SIZE)
    client = httpx.Client(timeout=TIMEOUT, headers=headers, transport=transport, limits=limits,
                          follow_redirects=False, **kwargs)
    for mounted in [client._transport, *client._mounts.values()]:  # noqa: SLF001 - no public hook for this
        pool = getattr(mounted, "_pool", None)
        backend = getattr(pool, "_network_backend", None)
        if backend is not None and not isinstance(backend, DeadlineBackend):
            pool._network_backend = DeadlineBackend(backend)
    return client


# -- deadlines and interruption ------------------------------------------------------------
# httpx's timeouts bound each socket operation, so a server dripping a byte every few seconds
# could hold a request for ever. Every read, write and connect below is bounded by what is left
# of the request's deadline (set by `get` for the calling thread) and wakes up each second to
# notice an interruption (Ctrl-C), so a fetch stops within about a second.

class _RequestDeadline(threading.local):
    at: float | None = None


_DEADLINE = _RequestDeadline()
CANCELLED = threading.Event()  # set when the user interrupts: every request stops at its next wake-up
WAKE_S = 1.0


class Interrupted(httpcore.ReadError):
    """The run was interrupted: a request in flight gives up at once."""


def _bounded(timeout: float | None) -> float:
    """The socket timeout for one operation: the caller's, cut to the deadline and the wake-up."""
    if CANCELLED.is_set():
        raise Interrupted("interrupted")
    bound = WAKE_S if timeout is None else min(timeout, WAKE_S)
    if _DEADLINE.at is not None:
        left = _DEADLINE.at - time.monotonic()
        if left <= 0:
            raise httpcore.ReadTimeout("the request's overall deadline passed")
        bound = min(bound, left)
    return max(bound, 0.001)


def _patiently(operation, timeout: float | None):
    """Run a socket operation in wake-up slices until it completes, the caller's own timeout
    passes, the request's deadline passes, or the run is interrupted."""
    started = time.monotonic()
    while True:
        try:
            return operation(_bounded(timeout))
        except (httpcore.ReadTimeout, httpcore.WriteTimeout):
            if CANCELLED.is_set():
                raise Interrupted("interrupted") from None
            if timeout is not None and time.monotonic() - started >= timeout:
                raise
            if _DEADLINE.at is not None and time.monotonic() >= _DEADLINE.at:
                raise httpcore.ReadTimeout("the request's overall deadline passed") from None


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream):
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return _patiently(lambda t: self._stream.read(max_bytes, t), timeout)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        # A partial write cannot be resumed safely: one bounded try.
        self._stream.write(buffer, _bounded(timeout) if timeout is None or _DEADLINE.at is not None else timeout)

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None):
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, _connect_bound(timeout)))

    def get_extra_info(self, info: str):
        return self._stream.get_extra_info(info)


def _connect_bound(timeout: float | None) -> float | None:
    if CANCELLED.is_set():
        raise Interrupted("interrupted")
    if _DEADLINE.at is None:
        return timeout
    left = max(_DEADLINE.at - time.monotonic(), 0.001)
    return left if timeout is None else min(timeout, left)


class DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's network backend with every socket operation bounded (see above)."""

    def __init__(self, backend: httpcore.NetworkBackend):
        self._backend = backend

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        return _DeadlineStream(self._backend.connect_tcp(host, port, _connect_bound(timeout), local_address,
                                                         socket_options))

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        return _DeadlineStream(self._backend.connect_unix_socket(path, _connect_bound(timeout), socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


@contextmanager
def run_bound(seconds: float | None = None) -> Iterator[None]:
    """A run of requests (a fetch, a sync) ends by the command's deadline (DATTRACK_DEADLINE), or
    `seconds` from now if that is sooner: later tries are not made and requests in flight are cut
    at that time. Nested bounds keep the earliest end. Called in the command's thread, so a
    malformed DATTRACK_DEADLINE is refused there (one line, exit 2), before any request."""
    from dattrack import deadline

    end = deadline.end()
    if seconds is not None:
        end = min(end, time.monotonic() + seconds)
    outer = _RUN_END.get()
    token = _RUN_END.set(end if outer is None else min(outer, end))
    try:
        yield
    finally:
        _RUN_END.reset(token)


def _run_end() -> float | None:
    """When the current requests must end: the run's bound, and the command's deadline once a
    command has started its clock (so a request made outside any run_bound is bounded too)."""
    from dattrack import deadline

    end = _RUN_END.get()
    if deadline.started():
        command = deadline.end()
        end = command if end is None else min(end, command)
    return end


@contextmanager
def interruptible() -> Iterator[None]:
    """Worker threads of the block stop within about a second when the caller is interrupted."""
    CANCELLED.clear()
    try:
        yield
    except BaseException:
        CANCELLED.set()
        raise


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
            seconds = retry_after_seconds(header)
            if seconds is not None:
                return min(max(seconds, 0.0), RETRY_AFTER_CAP)
    return BACKOFF_BASE * (2 ** attempt) * (0.5 + rng() / 2)


def retry_after_seconds(header: str, now: float | None = None) -> float | None:
    """Retry-After as seconds: a number of seconds, or an HTTP date (RFC 9110) less now."""
    import math
    from email.utils import parsedate_to_datetime

    text = header.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if when is None:
            return None
        if when.tzinfo is None:  # an HTTP date is always GMT
            import datetime as dt

            when = when.replace(tzinfo=dt.timezone.utc)
        return when.timestamp() - (time.time() if now is None else now)
    return seconds if math.isfinite(seconds) else None


class RequestCounter:
    """How many HTTP requests (tries included) a run made; shared by its worker threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.count = 0

    def add(self) -> None:
        with self._lock:
            self.count += 1


_COUNTER: contextvars.ContextVar[RequestCounter | None] = contextvars.ContextVar("dattrack_requests", default=None)
_RUN_END: contextvars.ContextVar[float | None] = contextvars.ContextVar("dattrack_run_end", default=None)


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
        sleep: Callable[[float], None] | None = None) -> httpx.Response:
    """GET with the retry policy. Returns any final response (the caller reads error bodies);
    raises ProviderError when every try failed at the transport level or on a retryable status,
    when the run's time is up, or when the run was interrupted."""
    sleep = _pause if sleep is None else sleep
    last_cause = "no attempt made"
    counter = _COUNTER.get()
    unreachable = True   # until a try connects: then the failure is the provider's, not the network's
    for attempt in range(tries):
        _check_time(provider, last_cause if attempt else None)
        response = None
        if counter is not None:
            counter.add()
        try:
            response = _get_once(client, url, provider=provider, params=params, headers=headers)
        except Interrupted:
            raise ProviderError(provider, "interrupted") from None
        except RETRY_ERRORS as exc:
            if CANCELLED.is_set():
                raise ProviderError(provider, "interrupted") from None
            unreachable = unreachable and isinstance(exc, CONNECT_ERRORS)
            last_cause = f"{type(exc).__name__} on {_path(url)}"
        except httpx.HTTPError as exc:  # a bad URL or protocol: trying again cannot help
            raise ProviderError(provider, f"{type(exc).__name__} on {_path(url)}") from None
        else:
            unreachable = False
            if not retryable(response.status_code):
                return response
            last_cause = f"HTTP {response.status_code} on {_path(url)}"
        if attempt + 1 < tries:
            sleep(retry_delay(attempt, response))
    if unreachable:
        raise Unreachable(provider, host_of(url), f"{last_cause} after {tries} tries")
    raise ProviderError(provider, f"{last_cause} after {tries} tries", transient=True)


def host_of(url: str | httpx.URL) -> str:
    """The host a message names: 'api.coingecko.com', with its port when it is not the default."""
    address = httpx.URL(url)
    default = {"http": 80, "https": 443}.get(address.scheme)
    return address.host if address.port in (None, default) else f"{address.host}:{address.port}"


def _check_time(provider: str, last_cause: str | None) -> None:
    if CANCELLED.is_set():
        raise ProviderError(provider, "interrupted")
    end = _run_end()
    if end is not None and time.monotonic() >= end:
        raise OutOfTime(provider, last_cause)


def _pause(seconds: float) -> None:
    """The wait between tries: cut short by an interruption and by the run's end."""
    end = _run_end()
    if end is not None:
        seconds = min(seconds, max(end - time.monotonic(), 0.0))
    CANCELLED.wait(seconds)


def _get_once(client: httpx.Client, url: str, *, provider: str, params: Mapping | None,
              headers: Mapping[str, str] | None) -> httpx.Response:
    """One try: redirects followed by hand, so that a key (a header, a key parameter) stays with
    the host it was meant for; the whole try, redirects and body included, within its deadline."""
    start = time.monotonic()
    deadline = start + REQUEST_DEADLINE_S
    end = _run_end()
    if end is not None:
        deadline = min(deadline, end)
    origin = httpx.URL(url)
    request = client.build_request("GET", url, params=params, headers=headers)
    home = _origin(request.url)
    previous = _DEADLINE.at
    _DEADLINE.at = deadline
    try:
        for _ in range(MAX_REDIRECTS + 1):
            response = client.send(request, stream=True)
            try:
                body = _read_body(response, provider)
            finally:
                response.close()
            response._content = body  # noqa: SLF001 - the body read under the deadline, kept for the caller
            location = response.headers.get("Location")
            if response.status_code not in REDIRECTS or not location:
                return response
            target = response.url.join(location)
            if target.scheme not in ("http", "https"):
                raise ProviderError(provider, f"redirected to a {target.scheme or 'relative'} address; not followed")
            if _origin(target) == home:
                request = client.build_request("GET", target, headers=headers)
            else:  # another host or port: no key header, no key parameter, and no key anywhere in the address
                for name in SECRET_PARAMS & set(target.params.keys()):
                    target = target.copy_remove_param(name)
                if any(secret in str(target) for secret in configured()):
                    raise ProviderError(provider, "redirected to another host with the key in the address; not followed")
                request = client.build_request("GET", target)
        raise ProviderError(provider, f"more than {MAX_REDIRECTS} redirects from {origin.path}")
    finally:
        _DEADLINE.at = previous


def _read_body(response: httpx.Response, provider: str) -> bytes:
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise ProviderError(provider, f"an answer larger than {MAX_BODY_BYTES // (1024 * 1024)} MB; refused")
        chunks.append(chunk)
    return b"".join(chunks)


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    default = {"http": 80, "https": 443}.get(url.scheme)
    return url.scheme, url.host, url.port or default


def _path(url: str) -> str:
    """The URL's path only: query strings may carry keys, which are never printed."""
    return httpx.URL(url).path


class _RedactKeys(logging.Filter):
    """httpx logs every request URL at INFO: key parameters are blanked and any configured key is
    scrubbed from the line before a handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_redacted(arg) for arg in record.args)
        keys = configured()
        if keys:
            record.msg, record.args = scrub(record.getMessage(), keys), ()
        return True


def _redacted(value: object) -> object:
    if isinstance(value, httpx.URL):
        for name in SECRET_PARAMS & set(value.params.keys()):
            value = value.copy_set_param(name, "REDACTED")
    return value


for _logger in ("httpx", "httpcore"):
    logging.getLogger(_logger).addFilter(_RedactKeys())
