"""The one circuit breaker: a provider whose requests keep failing is not asked again in a run.

After BREAKER_THRESHOLD requests in a row that outlived the retry policy (429s, 5xx, timeouts:
`ProviderError.transient`), every later ask of that provider in the run is answered at once with
the cause, so a rate-limited Yahoo or CoinGecko demo key does not cost every symbol or company its
full retry schedule. Any answer (even "unknown symbol") shows the provider is up and resets it.
Shared by the worker threads of a run (price fetch, sync).
"""

from __future__ import annotations

import threading

from dattrack.providers.http import OutOfTime, ProviderError, Unreachable

BREAKER_THRESHOLD = 3


class Breaker:
    def __init__(self, threshold: int = BREAKER_THRESHOLD) -> None:
        self.threshold = threshold
        self._lock = threading.Lock()
        self._failures: dict[str, int] = {}
        self._last: dict[str, ProviderError] = {}

    def record(self, provider: str, error: ProviderError | None) -> None:
        """The outcome of one ask: None for an answer, else the failure. The command's deadline
        says nothing about the provider: it neither trips nor resets the breaker."""
        if isinstance(error, OutOfTime):
            return
        with self._lock:
            if error is not None and error.transient:
                self._failures[provider] = self._failures.get(provider, 0) + 1
                self._last[provider] = error
            else:  # an answer, even "unknown symbol", shows the provider is up
                self._failures[provider] = 0

    def skip(self, provider: str) -> ProviderError | None:
        """The failure to report instead of asking a provider that keeps failing, or None; an
        unreachable provider stays Unreachable (its host named), so a run can say "no network"."""
        with self._lock:
            if self._failures.get(provider, 0) < self.threshold:
                return None
            last = self._last[provider]
        if isinstance(last, Unreachable):
            return Unreachable(provider, last.host, f"{self.threshold} requests in a row; not asked again in this run")
        return ProviderError(provider, f"skipped after {self.threshold} failed requests in a row (last: {last.cause}); "
                                       "not asked again in this run", transient=True)
