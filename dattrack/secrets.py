"""The one rule for API keys outside the request that carries them: wherever a key could surface —
an error line, a `--debug` traceback, a log line, a table, an export, a stored text — it is `***`.

A provider may echo a key back (in an error message, in a name); dattrack builds its own messages
without keys, and everything it prints, logs or stores passes through `scrub` as well.
Kernel: imports nothing of dattrack, so every layer may use it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

SECRET_VARIABLES = ("COINGECKO_API_KEY", "STOOQ_API_KEY")
MASK = "***"
# A shorter value could be part of ordinary text; no provider issues keys that short.
MIN_LENGTH = 4


def configured(env: Mapping[str, str] | None = None) -> list[str]:
    """The keys set in the environment (the longest first, so one inside another is masked whole)."""
    env = os.environ if env is None else env
    found = {value for name in SECRET_VARIABLES if len(value := (env.get(name) or "").strip()) >= MIN_LENGTH}
    return sorted(found, key=len, reverse=True)


def scrub(text: str, keys: list[str] | None = None) -> str:
    """The text with every key (default: the configured ones) replaced by ***."""
    for secret in configured() if keys is None else keys:
        text = text.replace(secret, MASK)
    return text


def scrub_values(values, keys: list[str]):
    """A row of SQL parameters with every text scrubbed of these keys (other values untouched)."""
    if not keys:
        return values
    if isinstance(values, dict):
        return {name: scrub(value, keys) if isinstance(value, str) else value for name, value in values.items()}
    return tuple(scrub(value, keys) if isinstance(value, str) else value for value in values)
