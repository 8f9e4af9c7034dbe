"""SPEC 10 and SPEC 1 on the recording commands: `--known-on`, revisions of a fact, `estimate`, and
both through event import, export and import, and the seed."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

D = Decimal


def test_event_add_records_when_it_became_public(cli):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    cli.ok("event", "add", "MSTR", "buy", "10", "--total", "1000000", "--date", "2026-02-15",
           "--known-on", "2026-02-17")
    cli.ok("event", "add", "MSTR", "balance", "10", "--date", "2026-02-15", "--known-on", "2026-02-15")  # same day
    cli.ok("event", "add", "MSTR", "buy", "1", "--total", "100000", "--date", "2026-03-01")
    rows = cli.json("event", "list", "MSTR")
    assert [(r["date"], r["kind"], r["known_on"], r["estimate"]) for r in rows] == [
        ("2026-02-15", "buy", "2026-02-17", None), ("2026-02-15", "balance", "2026-02-15", None),
        ("2026-03-01", "buy", "2026-11-21", None)]   # no --known-on: today (DATTRACK_TODAY)


def test_a_known_on_before_its_date_or_in_the_future_is_refused(cli, refused):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    line = refused("event", "add", "MSTR", "buy", "10", "--total", "1", "--date", "2026-02-15",
                   "--known-on", "2026-02-14")
    assert line == ("Error: --known-on 2026-02-14 is before the date 2026-02-15 it covers: a disclosure is public "
                    "on or after the day it covers")
    assert "in the future" in refused("event", "add", "MSTR", "buy", "10", "--total", "1", "--date", "2026-02-15",
                                      "--known-on", "2026-11-22")
    assert "not an ISO date" in refused("event", "add", "MSTR", "buy", "10", "--total", "1", "--date", "2026-02-15",
                                        "--known-on", "17/02/2026")
    assert "in the future" in refused("fact", "set", "MSTR", "cash", "5", "--date", "2026-02-15",
                                      "--known-on", "2026-11-22")
    assert "in the future" in refused("instrument", "add", "MSTR", "notes", "--kind", "note", "--outstanding", "5",
                                      "--date", "2026-02-15", "--known-on", "2026-11-22")


def test_a_fact_or_an_instrument_may_be_announced_before_its_date(cli):
    """A split announced on 07-11 to take effect on 08-08, notes priced on 11-22 and issued on 11-26."""
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    cli.ok("fact", "set", "MSTR", "split", "10:1", "--date", "2024-08-08", "--known-on", "2024-07-11")
    cli.ok("instrument", "add", "MSTR", "2029 notes", "--kind", "convertible", "--outstanding", "3000000000",
           "--date", "2024-11-26", "--known-on", "2024-11-22")
    assert [(f["date"], f["known_on"]) for f in cli.json("fact", "list", "MSTR")] == [("2024-08-08", "2024-07-11")]
    assert json.loads(cli.ok("export"))["instrument_amounts"][0]["known_on"] == "2024-11-22"


def test_an_estimated_cost_is_not_a_known_cost(cli):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    cli.ok("event", "add", "MSTR", "buy", "10", "--total", "1000", "--date", "2026-02-01")
    cli.ok("event", "add", "MSTR", "buy", "5", "--total", "600", "--date", "2026-02-08",
           "--estimate", "derived: units x the average price the filing gives")
    cli.ok("price", "set", "BTC", "150", "--date", "2026-11-21")
    (held,) = cli.json("holdings", "MSTR")
    assert (held["quantity"], held["cost_basis"], held["cost_complete"]) == (D(15), D(1000), False)
    assert held["avg_cost"] is None and held["unrealized_pnl"] is None
    for method in ("fifo", "lifo", "hifo"):   # the saved lot books agree
        (lots,) = cli.json("holdings", "MSTR", "--method", method)
        assert (lots["cost_basis"], lots["cost_complete"]) == (D(1000), False)
    (shown,) = cli.json("company", "show", "MSTR")
    assert [h["cost_complete"] for h in shown["holdings"]] == [False]
    header, _, position = cli.ok("company", "show", "MSTR").split("Position\n")[1].splitlines()[:3]
    assert "Cost known" in header and " no " in position and " yes " not in position
    listed = cli.json("event", "list", "MSTR")
    assert [(e["amount"], e["estimate"]) for e in listed] == [
        (D(1000), None), (D(600), "derived: units x the average price the filing gives")]
    table = cli.ok("event", "list", "MSTR")
    assert "600.00~" in table and "~ estimate" in table


def test_a_later_known_on_of_a_fact_is_a_revision_and_both_are_listed(cli):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    cli.ok("fact", "set", "MSTR", "shares_basic", "300", "--date", "2026-01-31", "--known-on", "2026-02-05")
    cli.ok("fact", "set", "MSTR", "shares_basic", "310", "--date", "2026-01-31", "--known-on", "2026-03-01")
    cli.ok("fact", "set", "MSTR", "shares_basic", "311", "--date", "2026-01-31", "--known-on", "2026-03-01")  # replaces
    rows = cli.json("fact", "list", "MSTR")
    assert [(r["date"], r["value"], r["known_on"]) for r in rows] == [
        ("2026-01-31", D(300), "2026-02-05"), ("2026-01-31", D(311), "2026-03-01")]
    assert "Known on" in cli.ok("fact", "list", "MSTR")


def test_event_import_reads_known_on_and_estimate(cli, tmp_path, refused):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    path = tmp_path / "events.csv"
    path.write_text("ticker,date,kind,quantity,total,known_on,estimate\n"
                    "MSTR,2026-02-15,buy,10,1000,2026-02-17,\n"
                    "MSTR,2026-02-16,buy,5,600,,rounded as disclosed\n")
    assert "imported 2 events" in cli.ok("event", "import", str(path))
    assert [(e["known_on"], e["estimate"]) for e in cli.json("event", "list")] == [
        ("2026-02-17", None), ("2026-11-21", "rounded as disclosed")]
    for method in ("average", "fifo"):   # carried as the rows streamed in: the estimate is no known cost
        (held,) = cli.json("holdings", "--method", method)
        assert (held["cost_basis"], held["cost_complete"]) == (D(1000), False)
    bad = tmp_path / "bad.csv"
    bad.write_text("ticker,date,kind,quantity,total,known_on\nMSTR,2026-03-01,buy,1,1,2026-03-02\n"
                   "MSTR,2026-03-05,buy,1,1,2026-03-04\n")
    assert refused("event", "import", str(bad)) == (
        "Error: row 3: known_on 2026-03-04 is before the date 2026-03-05 it covers: a disclosure is public on or "
        "after the day it covers")


def test_export_and_import_carry_known_on_and_estimate(cli, tmp_path, db_path):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    cli.ok("event", "add", "MSTR", "buy", "10", "--total", "1000", "--date", "2026-02-15", "--known-on", "2026-02-17",
           "--estimate", "rounded")
    cli.ok("fact", "set", "MSTR", "shares_basic", "300", "--date", "2026-01-31", "--known-on", "2026-02-05")
    cli.ok("fact", "set", "MSTR", "shares_basic", "310", "--date", "2026-01-31", "--known-on", "2026-03-01")
    cli.ok("instrument", "add", "MSTR", "notes", "--kind", "note", "--outstanding", "800", "--date", "2025-09-30",
           "--known-on", "2025-11-03")
    cli.ok("instrument", "set", "1", "--outstanding", "850", "--date", "2025-09-30", "--known-on", "2026-02-19")
    exported = cli.ok("export")
    document = json.loads(exported)
    assert [(e["known_on"], e["estimate"]) for e in document["events"]] == [("2026-02-17", "rounded")]
    assert [(f["value"], f["known_on"]) for f in document["facts"]] == [(300, "2026-02-05"), (310, "2026-03-01")]
    assert [(a["outstanding"], a["known_on"]) for a in document["instrument_amounts"]] == [
        (800, "2025-11-03"), (850, "2026-02-19")]
    (tmp_path / "backup.json").write_text(exported)
    copy = tmp_path / "copy.db"
    assert "imported:" in cli.ok("--db", str(copy), "import", str(tmp_path / "backup.json"))
    assert cli.ok("--db", str(copy), "export") == exported
    (held,) = cli.json("--db", str(copy), "holdings")
    assert held["cost_complete"] is False   # the estimate came along: still not a known cost
    assert "already present" in cli.ok("import", str(tmp_path / "backup.json"))   # every row recognised


def test_an_export_from_before_known_on_still_imports(cli, tmp_path):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    cli.ok("event", "add", "MSTR", "buy", "10", "--total", "1000", "--date", "2026-02-15")
    cli.ok("fact", "set", "MSTR", "cash", "5", "--date", "2026-01-31")
    cli.ok("instrument", "add", "MSTR", "notes", "--kind", "note", "--outstanding", "800", "--date", "2025-09-30")
    document = json.loads(cli.ok("export"))
    for table in ("events", "facts", "instrument_amounts"):
        for row in document[table]:
            del row["known_on"], row["estimate"]
    for row in document["instruments"]:
        del row["origin"]
    document["events"][0]["recorded_at"] = "2026-02-20T09:00:00Z"
    old = tmp_path / "old.json"
    old.write_text(json.dumps(document))
    copy = tmp_path / "copy.db"
    cli.ok("--db", str(copy), "import", str(old))
    assert [e["known_on"] for e in cli.json("--db", str(copy), "event", "list")] == ["2026-02-20"]   # recorded then
    assert [f["known_on"] for f in cli.json("--db", str(copy), "fact", "list")] == ["2026-01-31"]   # its date
    again = json.loads(cli.ok("--db", str(copy), "export"))
    assert [a["known_on"] for a in again["instrument_amounts"]] == ["2025-09-30"]
    assert [i["origin"] for i in again["instruments"]] == ["manual"]


def test_the_seed_is_public_on_its_known_on_column_else_its_date(cli, db_path):
    import sqlite3

    cli.ok("init", "--seed")
    data = Path(__file__).parents[2] / "data"

    def bundled(name, key):
        with open(data / name, encoding="utf-8") as handle:
            return {key(r): (r["known_on"] or r["date"], r["estimate"] or None) for r in csv.DictReader(handle)}

    with sqlite3.connect(db_path) as conn:
        events = {(t, d, k, D(q)): (known_on, estimate) for t, d, k, q, known_on, estimate in conn.execute(
            "SELECT ticker, date, kind, quantity, known_on, estimate FROM events WHERE origin = 'seed'")}
        facts = {(t, n, d, known_on): estimate for t, n, d, known_on, estimate in conn.execute(
            "SELECT ticker, name, date, known_on, estimate FROM facts")}
        seeded = conn.execute("SELECT count(*) FROM instruments WHERE origin = 'seed'").fetchone()[0]
    assert events == bundled("events.csv", lambda r: (r["ticker"], r["date"], r["kind"], D(r["quantity"])))
    wanted = bundled("facts.csv", lambda r: (r["ticker"], r["name"], r["date"], r["known_on"] or r["date"]))
    assert facts == {key: estimate for key, (_, estimate) in wanted.items()}   # a revision is a row of its own
    assert seeded > 0
