"""m010 on a database seeded before it: the bundled rates and secured collateral the old loader dropped
come in; nothing else changes."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

D = Decimal


def test_m010_fills_the_dated_rates_and_the_collateral_of_a_database_seeded_before_it(seeded, db_path):
    before = seeded.json("instrument", "list", "--as-of", "2026-09-30")
    # Put the file back as the loader before m010 left it: one rate per instrument, no collateral but a
    # loan's, no issuance, and m010 not yet applied.
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE instrument_amounts SET rate = NULL")
        conn.execute("UPDATE instruments SET collateral_asset = NULL, margin_ltv = NULL, liquidation_ltv = NULL"
                     " WHERE kind IN ('note', 'convertible')")
        conn.execute("UPDATE instrument_amounts SET collateral = NULL WHERE instrument_id IN"
                     " (SELECT id FROM instruments WHERE kind IN ('note', 'convertible'))")
        conn.execute("DROP TABLE issuance")
        for table, column in (("instruments", "member"), ("instruments", "liquidation_preference"),
                              ("instruments", "matches"), ("instrument_amounts", "rate"),
                              ("instrument_amounts", "shares"), ("instrument_amounts", "basis"),
                              ("instrument_amounts", "tag")):
            conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm010_capital'")
        assert conn.execute("SELECT count(*) FROM instrument_amounts WHERE collateral = '1617'").fetchone() == (0,)
    after = seeded.json("instrument", "list", "--as-of", "2026-09-30")      # the first open applies m010
    assert after == before
    strc = {r["name"]: r for r in after}["STRC Variable Rate Series A Perpetual Stretch Preferred"]
    assert strc["rate"] == D("0.12")
    sqns = {r["name"]: r for r in after}["Secured convertible debentures (Jul 2025)"]
    assert (sqns["collateral"], sqns["collateral_asset"]) == (1617, "BTC")
    assert seeded.json("issuance", "MSTR") == []                      # issuance comes with the next init --seed
    assert "192 issuance rows" in seeded.ok("init", "--seed")
