"""A backfill replays every book once for all its dates: the positions it values each date with
equal those of a replay up to that date alone, and the stored rows equal one run per date."""

from __future__ import annotations

import random
import sqlite3

from dattrack.app.books import positions_by_date
from dattrack.app.companies import add_company, selected_companies
from dattrack.app.day import Day
from dattrack.app.events import EventInput, record_events
from dattrack.store import open_store


def test_positions_by_date_equal_a_replay_up_to_each_date(db_path):
    rng = random.Random(5)
    store = open_store(db_path)
    with store.write():
        for ticker in ("A", "B", "C"):
            add_company(store, ticker, ticker)
        entries, held = [], {"A": 0, "B": 0}
        for n in range(300):
            ticker = rng.choice(["A", "B"])
            day = f"2026-0{rng.randint(1, 3)}-{rng.randint(1, 28):02d}"
            if rng.random() < 0.3 and held[ticker] > 10:
                entries.append((n, EventInput(ticker=ticker, date=f"2026-04-{rng.randint(1, 28):02d}", kind="sell",
                                              quantity="1", total="5")))
                held[ticker] -= 1
            else:
                entries.append((n, EventInput(ticker=ticker, date=day, kind="buy", quantity=str(rng.randint(1, 9)),
                                              total=str(rng.randint(1, 999)))))
                held[ticker] += 1
        record_events(store, entries)
    companies = selected_companies(store, None)
    dates = ["2025-12-31", "2026-01-01", "2026-02-10", "2026-03-28", "2026-04-15", "2026-04-28", "2026-05-01",
             "2099-01-01"]  # before any event, in between, after the last, and from today on
    by_date = positions_by_date(store, companies, dates)
    for day in dates:
        assert by_date[day] == Day(store, as_of=day).positions, day
    # Before their first buy both books held 0 (not unknown: neither opens with a balance).
    assert {key: p.quantity for key, p in by_date["2025-12-31"].items()} == {("A", "BTC"): 0, ("B", "BTC"): 0}
    store.close()


def test_a_backfill_stores_what_one_run_per_date_stores(cli, db_path, tmp_path):
    cli.ok("company", "add", "T", "--name", "T Corp")
    for day, kind, quantity in [("2026-03-01", "buy", "2"), ("2026-03-03", "buy", "1"), ("2026-03-04", "sell", "0.5")]:
        cli.ok("event", "add", "T", kind, quantity, "--date", day, "--total", "60000")
    cli.ok("price", "set", "BTC", "80000", "--date", "2026-03-01")
    cli("snapshot", "--offline", "--since", "2026-02-28", "--date", "2026-03-05")
    with sqlite3.connect(db_path) as conn:
        backfilled = conn.execute("SELECT date, quantity, cost_basis, value FROM snapshots ORDER BY date").fetchall()
        conn.execute("DELETE FROM snapshots")
    for day in ["2026-02-28", "2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05"]:
        cli("snapshot", "--offline", "--date", day)
    with sqlite3.connect(db_path) as conn:
        one_by_one = conn.execute("SELECT date, quantity, cost_basis, value FROM snapshots ORDER BY date").fetchall()
    assert backfilled == one_by_one
    assert [row[1] for row in backfilled] == ["0", "2", "2", "3", "2.5", "2.5"]
