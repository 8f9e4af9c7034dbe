"""The whole-command deadline: a command that talks to the network ends by DATTRACK_DEADLINE seconds
after it started (default DEFAULT_S), whatever the servers do. A cron job can rely on it.

The clock starts when the command starts (`start`, called by the CLI); the HTTP layer (every
request of `price fetch`, `sync`, `fact sync`, `filings`, `snapshot`, `read URL`...) gives up what
it has not got by then, and a loop of work (`snapshot --since`) stops starting new steps. Work
already finished is kept and what was not done is named. Kernel: no imports of dattrack but errors.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Mapping

from dattrack.errors import BadInput

VARIABLE = "DATTRACK_DEADLINE"
DEFAULT_S = 600.0
MAX_S = 7 * 86400.0

_started: float | None = None


def start(now: float | None = None) -> None:
    """The command starts now: its deadline counts from here."""
    global _started
    _started = time.monotonic() if now is None else now


def stop() -> None:
    """The command is over: requests made afterwards (a library call) count from their own start."""
    global _started
    _started = None


def started() -> bool:
    return _started is not None


def seconds(env: Mapping[str, str] | None = None) -> float:
    """DATTRACK_DEADLINE as seconds (a positive number, at most a week), else the default."""
    env = os.environ if env is None else env
    raw = (env.get(VARIABLE) or "").strip()
    if not raw:
        return DEFAULT_S
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not 0 < value <= MAX_S:  # NaN and inf fail this too
        raise BadInput(f"{VARIABLE}={raw[:20]!r} is not a number of seconds (more than 0, at most {MAX_S:g})")
    return value


def end(env: Mapping[str, str] | None = None) -> float:
    """The monotonic time by which the command's network work must end (counted from `start`, or
    from now when no command started the clock: a library call)."""
    begun = time.monotonic() if _started is None else _started
    return begun + seconds(env)


def passed(env: Mapping[str, str] | None = None) -> bool:
    """True once the command's deadline is behind it (never before `start` was called)."""
    return started() and time.monotonic() >= end(env)


def described(env: Mapping[str, str] | None = None) -> str:
    """How a message names the limit: 'DATTRACK_DEADLINE=600 s'."""
    return f"{VARIABLE}={seconds(env):g} s"
