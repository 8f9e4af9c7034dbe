"""The daily job: gather prices -> value every company -> store one row per company and asset.

Each date is written in one transaction (a date is complete or absent, whatever kills the
process), re-running a date replaces its rows, and a lock file keeps two runs from overlapping.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from dattrack.app.books import positions_by_date
from dattrack.app.companies import selected_companies
from dattrack.app.day import Day
from dattrack.app.holdings import holding_row
from dattrack.currency import USD, convert, usd_pair
from dattrack.errors import BadInput, OperationFailed
from dattrack.ledger import Position
from dattrack.numbers import to_text
from dattrack.store import Store
from dattrack.store import snapshots as snapshot_rows
from dattrack.dates import iso, now_stamp

LOCK_WAIT_S = 600.0  # default of DATTRACK_LOCK_TIMEOUT for the snapshot lock
MAX_BACKFILL_DAYS = 3660

@dataclass
class DayResult:
    date: str
    companies: int = 0
    rows: int = 0
    failures: dict[str, str] = field(default_factory=dict)   # ticker -> why it could not be valued
    # ticker -> what is wrong with a value that was stored: prices that could not be fetched
    # (older ones were used: a failure too) or inputs older than their threshold (a warning).
    degraded: dict[str, str] = field(default_factory=dict)
    stale: dict[str, str] = field(default_factory=dict)
    # ticker (of `degraded`) -> the hosts that could not be reached, when the network alone was why
    offline: dict[str, tuple[str, ...]] = field(default_factory=dict)
    late: set[str] = field(default_factory=set)   # tickers of `degraded` whose prices the deadline cut off

    def problem_lines(self) -> list[str]:
        """What went wrong on the date, one line per cause (the log's detail, status's summary)."""
        from dattrack import deadline
        from dattrack.app.outage import failure_lines, no_network_line, subjects

        lines = []
        if self.offline:
            lines.append(no_network_line(h for t in sorted(self.offline) for h in self.offline[t]))
            lines.append(f"stored with older prices (no network): {subjects(self.offline, 'companies')}")
        if self.late:
            lines.append(f"stored with older prices (the command's deadline passed, {deadline.described()}): "
                         f"{subjects(self.late, 'companies')}")
        lines += failure_lines(self.failures, {}, noun="companies", prefix="not valued")
        lines += [f"stored {t} with older prices: {why}" for t, why in sorted(self.degraded.items())
                  if t not in self.offline and t not in self.late]
        return lines

    @property
    def status(self) -> str:
        """ok; partial: some companies failed (not valued, or prices not fetched); failed: all did."""
        failed = set(self.failures) | set(self.degraded)
        if not failed:
            return "ok"
        return "failed" if len(failed) >= self.companies else "partial"


def snapshot_dates(date: str, since: str | None) -> list[str]:
    end = dt.date.fromisoformat(date)
    start = dt.date.fromisoformat(since) if since else end
    if start > end:
        raise BadInput(f"--since {since} is after {date}")
    days = (end - start).days + 1
    if days > MAX_BACKFILL_DAYS:
        raise BadInput(f"--since asks for {days} dates; at most {MAX_BACKFILL_DAYS} at a time")
    return [(start + dt.timedelta(days=n)).isoformat() for n in range(days)]


def positions_for(store: Store, dates: list[str],
                  known_on: str | None = None) -> dict[str, dict[tuple[str, str], Position | None]]:
    """The positions of every company at the end of each date of a run, each book replayed once."""
    return positions_by_date(store, selected_companies(store, None), dates, known_on)


def take_snapshot(store: Store, date: str, *, today: str, offline: bool, client=None, env=None,
                  progress=None, held: dict[tuple[str, str], Position | None] | None = None,
                  known_on: str | None = None) -> DayResult:
    """Fetch (unless offline), value and store one date. A run that fails outright (network
    code, a full disk, an interruption) is still logged, as failed with its cause, when the
    database lets it: `status` then says the newest run failed. `held`: the positions at the end
    of the date when the caller has them (a backfill replays every book once for all its dates)."""
    started = now_stamp()
    try:
        fetch_failures: dict[str, str] = {}
        fetch_offline: dict[str, tuple[str, ...]] = {}
        fetch_late: tuple[str, ...] = ()
        if not offline:
            from dattrack.app.prices import fetch_and_store

            result = fetch_and_store(store, None if date == today else date, client=client, env=env,
                                     progress=progress)
            fetch_failures, fetch_offline, fetch_late = result.failures, result.offline, result.late
        rows, day = value_day(store, date, fetch_failures, held, known_on,
                              fetch_offline=fetch_offline, fetch_late=fetch_late)
        with store.write():
            snapshot_rows.replace_day(store, date, rows)
            problems = {**day.degraded, **day.failures}
            _log_run(store, date, started, day.companies, day.rows, len(problems), offline, day.status,
                     "\n".join(day.problem_lines()) or None, None)
    except BadInput:  # a refused request is no run: nothing is written, not even the log
        raise
    except BaseException as exc:
        cause = "interrupted" if isinstance(exc, KeyboardInterrupt) else (str(exc) or type(exc).__name__)
        with contextlib.suppress(Exception):  # a full disk may refuse this too: the error is reported anyway
            with store.write():
                _log_run(store, date, started, 0, 0, 0, offline, "failed", None, cause)
        raise
    return day


def _log_run(store: Store, date: str, started: str, companies: int, rows: int, failures: int, offline: bool,
             status: str, detail: str | None, error: str | None) -> None:
    snapshot_rows.record_run(store, {
        "date": date, "started_at": started, "finished_at": now_stamp(), "companies": companies, "rows": rows,
        "failures": failures, "offline": int(offline), "detail": detail, "status": status, "error": error})


def value_day(store: Store, date: str, fetch_failures: dict[str, str],
              held: dict[tuple[str, str], Position | None] | None = None,
              known_on: str | None = None,
              fetch_offline: dict[str, tuple[str, ...]] | None = None,
              fetch_late: tuple[str, ...] = ()) -> tuple[list[dict], DayResult]:
    """Snapshot rows for every company on a date, from stored prices, and who could not be valued.
    A book before its opening balance stores a null quantity (and null values): unknown, not 0.
    `fetch_offline` (symbol -> hosts not reached) and `fetch_late` (symbols the deadline cut off) say
    why a price was not fetched, so that a company stored with older prices is told once per cause."""
    day = Day(store, None, as_of=date, known_on=known_on, held=held)
    prices = day.prices
    taken_at = now_stamp()
    result = DayResult(date, companies=len(day.companies))
    rows = []
    for ticker, company in day.companies.items():
        inputs = day.inputs(ticker)
        valuation = day.valuation(ticker)
        missing, unfetched, stale = _problems(company, inputs, fetch_failures)
        problems = missing + unfetched + stale
        if missing:
            result.failures[ticker] = "; ".join(missing + unfetched)
        elif unfetched:
            result.degraded[ticker] = "; ".join(unfetched + stale)
            symbols = [symbol for symbol in fetch_failures if any(u.startswith(f"{symbol}: ") for u in unfetched)]
            if symbols and all((fetch_offline or {}).get(symbol) for symbol in symbols):
                result.offline[ticker] = tuple(dict.fromkeys(h for symbol in symbols for h in fetch_offline[symbol]))
            elif symbols and all(symbol in fetch_late for symbol in symbols):
                result.late.add(ticker)
        elif stale:
            result.stale[ticker] = "; ".join(stale)
        assets = {key: p for key, p in day.positions.items() if key[0] == ticker}
        if not assets:  # a company with no events yet still has its row: holdings 0
            assets = {(ticker, company["asset"]): Position(Decimal(0), Decimal(0), True)}
        fx = prices.usd_to(company["currency"])
        shares = inputs.facts.get("shares_basic")
        # The oldest price the row rests on (facts are dated by their filings and age slowly).
        company_dates = [iso(inputs.share_price.date)] if inputs.share_price.date else []
        for key, position in assets.items():
            asset = key[1]
            holding = holding_row(day, key, position)
            quote = prices.get(asset)
            known = position is not None
            rows.append({
                "date": date, "ticker": ticker, "asset": asset,
                "quantity": to_text(position.quantity) if known else None,
                "cost_basis": to_text(position.cost_basis) if known else None,
                "cost_complete": int(position.cost_complete) if known else None,
                "currency": company["currency"],
                "price": _text(prices.in_usd(asset)),
                "price_date": quote.date if quote else None, "price_source": quote.source if quote else None,
                "value": _text(holding["value"]), "value_usd": _text(holding["value_usd"]),
                "unrealized_pnl": _text(holding["unrealized_pnl"]),
                "unrealized_pnl_usd": _text(convert(holding["unrealized_pnl"], company["currency"], USD,
                                                    prices.usd_rate)),
                "share_price": _text(valuation.share_price),
                "share_price_date": iso(inputs.share_price.date), "share_price_source": inputs.share_price.source,
                "fx": _text(fx.price) if fx else None, "fx_date": fx.date if fx else None,
                "shares_basic": _text(valuation.shares_basic), "shares_basic_date": iso(shares.date) if shares else None,
                "market_cap": _text(valuation.market_cap), "nav": _text(valuation.nav), "mnav": _text(valuation.mnav),
                "ev_mnav": _text(valuation.ev_mnav), "problems": "; ".join(problems) or None, "taken_at": taken_at,
                "stale": int(bool(stale or unfetched)),
                "inputs_date": min(company_dates + [d for d in (quote.date if quote else None,
                                                                 fx.date if fx else None) if d], default=None),
            })
    result.rows = len(rows)
    return rows, result


def _problems(company: dict, inputs, fetch_failures: dict[str, str]) -> tuple[list[str], list[str], list[str]]:
    """What is wrong with a company's valuation on the date, in three kinds: a value that could
    not be had (no price stored at all), prices that could not be fetched (a stored older one
    may have been used), and inputs older than their threshold. Missing share counts are data
    gaps shown by explain, not failures."""
    missing, unfetched, stale = [], [], []
    symbols = [h.asset for h in inputs.holdings if h.quantity] + [company["quote_symbol"]]
    if company["currency"] != USD:
        symbols.append(usd_pair(company["currency"]))
    for symbol in dict.fromkeys(symbols):
        if symbol in fetch_failures:
            unfetched.append(f"{symbol}: {fetch_failures[symbol]}")
    for holding in inputs.holdings:
        price = inputs.asset_prices.get(holding.asset)
        held = bool(holding.quantity)   # unknown (before the opening balance) or nothing: no price needed
        if held and (price is None or price.value is None):
            missing.append(f"no {holding.asset} price on or before {inputs.as_of}")
        elif held and price.stale:
            stale.append(f"{holding.asset} price is stale ({price.date})")
    if inputs.share_price.value is None:
        missing.append(f"no {company['quote_symbol']} share price on or before {inputs.as_of}")
    elif inputs.share_price.stale:
        stale.append(f"{company['quote_symbol']} share price is stale ({inputs.share_price.date})")
    return missing, unfetched, stale


def _text(value):
    return None if value is None else to_text(value)


@contextlib.contextmanager
def run_lock(db_path: Path, *, wait_s: float | None = None, on_wait=None):
    """One snapshot run per database at a time. A second run waits for the first (cron overlap),
    then goes on: re-running a date is idempotent. Gives up with a clear error after wait_s
    (default DATTRACK_LOCK_TIMEOUT, else 600 s). The lock sits beside the real database file,
    so two paths to it (a symlink) share one lock."""
    from dattrack.store import lock_timeout, os_failure

    wait_s = lock_timeout(LOCK_WAIT_S) if wait_s is None else wait_s
    lock_path = Path(os.path.realpath(db_path) + ".snapshot.lock")
    try:
        handle = open(lock_path, "a+")
    except OSError as exc:
        raise os_failure(exc, lock_path, "create the snapshot lock") from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait()
            deadline = time.monotonic() + wait_s
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise OperationFailed(f"another snapshot has held {lock_path} for over {wait_s:.0f} s; "
                                              "giving up") from None
                    time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
