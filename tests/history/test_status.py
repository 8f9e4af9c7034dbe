"""`dattrack status`: did the cron job run, and how old is the newest snapshot."""

from __future__ import annotations

import csv
import io
import json

RUN_KEYS = ["date", "started_at", "finished_at", "companies", "rows", "failures", "offline", "detail", "status",
            "error"]


def test_status_of_a_fresh_database_says_how_to_take_a_snapshot(cli, snapshots, db_path):
    out = cli.ok("status")
    assert str(db_path) in out
    assert "2 companies, 0 events, 0 prices, 0 snapshot rows" in out
    assert "no snapshots yet" in out and "dattrack snapshot" in out
    assert "no snapshot runs recorded" in out
    (report,) = cli.json("status")
    assert report["latest_snapshot_date"] is None and report["latest_snapshot_age_days"] is None
    assert report["latest_snapshot_stale"] is False and report["runs"] == []


def test_status_lists_the_latest_runs_newest_first(cli, snapshots):
    snapshots.insert([{"date": "2026-11-20", "ticker": "MSTR", "asset": "BTC", "quantity": "641692"},
                      {"date": "2026-11-21", "ticker": "MSTR", "asset": "BTC", "quantity": "641692"}])
    snapshots.run(date="2026-11-20", started_at="2026-11-20T00:05:00+00:00", finished_at="2026-11-20T00:05:07+00:00")
    snapshots.run(failures=1, offline=1, detail="BMNR: no share price", status="partial")
    result = cli("status", "--format", "json")
    assert result.exit_code == 1  # the newest run could not value every company: cron's monitor must see it
    assert "newest snapshot run (2026-11-21" in result.stderr and "BMNR: no share price" in result.stderr
    (report,) = json.loads(result.stdout)
    assert report["latest_run_failed"] is True
    assert (report["latest_snapshot_date"], report["latest_snapshot_age_days"]) == ("2026-11-21", 0)
    assert report["latest_snapshot_stale"] is False
    assert report["snapshots"] == 2
    latest, earlier = report["runs"]
    assert list(latest) == RUN_KEYS
    assert (latest["date"], latest["failures"], latest["offline"], latest["detail"]) == ("2026-11-21", 1, True, "BMNR: no share price")
    assert (latest["status"], earlier["status"]) == ("partial", "ok")
    assert earlier["date"] == "2026-11-20" and earlier["offline"] is False
    table = cli("status").stdout
    assert "latest snapshot: 2026-11-21 (0 days old)" in table and "BMNR: no share price" in table
    runs = list(csv.DictReader(io.StringIO(cli("status", "--format", "csv").stdout)))
    assert [r["date"] for r in runs] == ["2026-11-21", "2026-11-20"] and list(runs[0]) == RUN_KEYS


def test_a_snapshot_older_than_two_days_is_flagged(cli, snapshots):
    snapshots.insert([{"date": "2026-11-18", "ticker": "MSTR", "asset": "BTC", "quantity": "641692"}])
    snapshots.run(date="2026-11-18", started_at="2026-11-18T00:05:00+00:00")
    (report,) = cli.json("status")
    assert (report["latest_snapshot_age_days"], report["latest_snapshot_stale"]) == (3, True)
    assert "3 days old, more than 2: is the cron job running?" in cli.ok("status")
