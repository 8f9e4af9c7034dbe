"""Provenance (origin, recorded_at), ids never reused, one disclosure one event, `company set`."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

from tests.cli.conftest import event_count

D = Decimal
CSV = ("ticker,date,kind,asset,quantity,price,total,fee,source,note\n"
       "MSTR,2025-01-02,buy,,10,,1000000,,8-K 2025-01-02,\n"
       "MSTR,2025-01-09,buy,,5,,550000,,8-K 2025-01-09,\n")


def test_event_list_shows_origin_and_recorded_at(cli, tmp_path):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    cli.ok("event", "add", "MSTR", "buy", "1", "--date", "2025-01-01", "--total", "100")
    (tmp_path / "e.csv").write_text(CSV)
    cli.ok("event", "import", tmp_path / "e.csv")
    rows = cli.json("event", "list")
    assert [r["origin"] for r in rows] == ["manual", "import", "import"]
    assert all(r["recorded_at"].endswith("Z") for r in rows)
    table = cli.ok("event", "list")
    assert "Origin" in table and "import" in table
    assert "manual" in cli.ok("company", "show", "MSTR")


def test_seeded_events_have_origin_seed(cli):
    cli.ok("init", "--seed")
    assert {r["origin"] for r in cli.json("event", "list")} == {"seed"}


def test_event_ids_are_never_reused(cli):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    cli.ok("event", "add", "MSTR", "buy", "1", "--date", "2025-01-01", "--total", "100")
    newest = cli.ok("event", "add", "MSTR", "buy", "2", "--date", "2025-01-02", "--total", "200").strip()
    cli.ok("event", "rm", newest)
    again = cli.ok("event", "add", "MSTR", "buy", "3", "--date", "2025-01-03", "--total", "300").strip()
    assert int(again) == int(newest) + 1


def test_event_add_refuses_a_recorded_disclosure_naming_its_id(cli, refused, db_path):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    first = cli.ok("event", "add", "MSTR", "buy", "10107", "--date", "2025-11-17", "--total", "1050000000").strip()
    line = refused("event", "add", "MSTR", "buy", "10107.0", "--date", "2025-11-17", "--total", "1050000000")
    assert f"as event {first}" in line and "--allow-duplicate" in line
    # Another amount is another disclosure; --allow-duplicate forces a copy.
    cli.ok("event", "add", "MSTR", "buy", "10107", "--date", "2025-11-17", "--total", "1000")
    cli.ok("event", "add", "MSTR", "buy", "10107", "--date", "2025-11-17", "--total", "1050000000",
           "--allow-duplicate")
    assert event_count(db_path) == 3


def test_event_import_twice_writes_nothing_the_second_time(cli, tmp_path, db_path):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    (tmp_path / "e.csv").write_text(CSV)
    assert cli.ok("event", "import", tmp_path / "e.csv").strip() == "imported 2 events, skipped 0 already recorded"
    with sqlite3.connect(db_path) as conn:
        before = conn.execute("SELECT * FROM events").fetchall()
    assert cli.ok("event", "import", tmp_path / "e.csv").strip() == "imported 0 events, skipped 2 already recorded"
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT * FROM events").fetchall() == before


def test_readme_examples_after_seed_do_not_double_a_disclosure(cli, db_path):
    cli.ok("init", "--seed")
    count = event_count(db_path)
    first = cli.json("event", "list", "MSTR")[0]
    result = cli("event", "add", "MSTR", first["kind"], str(first["quantity"]), "--date", first["date"],
                 *(["--total", str(first["amount"])] if first["amount"] is not None else []))
    assert result.exit_code == 2 and f"as event {first['id']}" in result.stderr
    assert event_count(db_path) == count


def test_company_set_changes_fields_and_checks_them(cli, refused):
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    cli.ok("company", "add", "MTPLF", "--name", "Metaplanet")
    cli.ok("company", "set", "MSTR", "--coingecko-id", "strategy", "--exchange", "NASDAQ", "--cik", "1050446")
    shown = cli.json("company", "show", "MSTR")[0]
    assert (shown["coingecko_id"], shown["exchange"], shown["cik"]) == ("strategy", "NASDAQ", 1050446)
    assert "already MSTR's" in refused("company", "set", "MTPLF", "--coingecko-id", "strategy")
    assert "nothing to change" in refused("company", "set", "MSTR")
    assert "unknown ticker" in refused("company", "set", "NOPE", "--name", "x")
    assert "invalid CoinGecko id" in refused("company", "set", "MSTR", "--coingecko-id", "Not An Id")
    cli.ok("company", "set", "MSTR", "--exchange", "")
    assert cli.json("company", "show", "MSTR")[0]["exchange"] is None
