"""`dattrack export` and `dattrack import FILE`: one deterministic document, and back, all or nothing."""

from __future__ import annotations

import json
import re
from decimal import Decimal

from .conftest import company, dump, event, write_document


def test_seeded_database_round_trips_byte_for_byte(cli, tmp_path, monkeypatch):
    cli.ok("init", "--seed")
    first = cli.ok("export")
    (tmp_path / "export.json").write_text(first, encoding="utf-8")

    monkeypatch.setenv("DATTRACK_DB", str(tmp_path / "fresh.db"))
    events = len(json.loads(first)["events"])  # the bundled data set grows: count what was exported
    assert events > 0 and f"{events} events" in cli.ok("import", tmp_path / "export.json")
    assert cli.ok("export") == first
    assert cli.json("holdings") == _holdings_of(cli, monkeypatch, tmp_path / "dattrack.db")


def _holdings_of(cli, monkeypatch, path):
    monkeypatch.setenv("DATTRACK_DB", str(path))
    return cli.json("holdings")


def test_export_is_one_document_in_schema_order_with_exact_numbers(cli):
    cli.ok("company", "add", "ABC", "--name", "Abc Corp")
    cli.ok("event", "add", "ABC", "buy", "0.10000000", "--total", "1E+3", "--date", "2026-01-02",
           "--note", 'said "hi"')
    cli.ok("fact", "set", "ABC", "split", "1:10", "--date", "2026-01-03")
    cli.ok("price", "set", "BTC", "90000.50", "--date", "2026-01-02")
    text = cli.ok("export")
    assert text == cli.ok("export", "--format", "json")  # deterministic: no timestamp
    assert '"quantity": 0.10000000, "amount": 1000,' in text  # the stored digits, as numbers
    document = json.loads(text, parse_float=Decimal)
    assert list(document)[:2] == ["format", "version"]
    assert list(document["companies"][0]) == ["ticker", "name", "currency", "quote_symbol", "exchange",
                                              "kind", "asset", "cik", "note", "source", "coingecko_id"]
    recorded_at = document["events"][0].pop("recorded_at")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", recorded_at)
    assert document["events"] == [{"id": 1, "ticker": "ABC", "date": "2026-01-02", "asset": "BTC", "kind": "buy",
                                   "quantity": Decimal("0.10000000"), "amount": 1000, "source": None,
                                   "note": 'said "hi"', "origin": "manual", "known_on": "2026-11-21",
                                   "estimate": None}]
    assert document["facts"] == [{"ticker": "ABC", "name": "split", "date": "2026-01-03", "value": "1:10",
                                  "source": None, "known_on": "2026-11-21", "estimate": None}]
    assert document["prices"][0]["price"] == Decimal("90000.50")


def test_export_refuses_other_formats(cli):
    result = cli("export", "--format", "csv")
    assert result.exit_code == 2
    assert "JSON only" in result.stderr


def test_import_into_the_same_database_recognises_every_row(cli, tmp_path):
    cli.ok("init", "--seed")
    path = tmp_path / "export.json"
    path.write_text(cli.ok("export"), encoding="utf-8")
    companies = len(json.loads(path.read_text(encoding="utf-8"))["companies"])
    before = dump(tmp_path / "dattrack.db")
    out = cli.ok("import", path)
    assert companies > 0 and out.startswith(f"imported: nothing new (already present: {companies} companies")
    assert dump(tmp_path / "dattrack.db") == before


def test_conflicts_are_each_named_and_nothing_is_written(cli, tmp_path):
    cli.ok("company", "add", "ABC", "--name", "Abc Corp")
    cli.ok("event", "add", "ABC", "buy", "10", "--total", "100", "--date", "2026-01-02")
    cli.ok("price", "set", "BTC", "90000", "--date", "2026-01-02")
    before = dump(tmp_path / "dattrack.db")
    path = write_document(
        tmp_path / "other.json",
        companies=[company("ABC", name="Another Name"), company("NEW")],
        events=[event(1, "ABC", "2026-01-02", "buy", 11, 100), event(2, "NEW", "2026-01-05", "buy", 1, 5)],
        prices=[{"symbol": "BTC", "date": "2026-01-02", "price": 91000, "currency": "USD", "source": "manual",
                 "fetched_at": "2026-01-02T00:00:00+00:00", "basis_date": "2026-01-02"}])
    result = cli("import", path)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[:3] == [
        'conflict: companies ABC: name is "Abc Corp" here, "Another Name" in the file',
        "conflict: events 1: quantity is 10 here, 11 in the file",
        "conflict: prices BTC/2026-01-02: price is 90000 here, 91000 in the file; "
        'fetched_at is "' + _fetched_at(cli) + '" here, "2026-01-02T00:00:00+00:00" in the file',
    ]
    assert lines[-1].startswith("Error: 3 rows of ") and lines[-1].endswith("nothing was imported")
    assert dump(tmp_path / "dattrack.db") == before


def _fetched_at(cli):
    return cli.json("price", "list")[0]["fetched_at"]


def test_an_import_that_would_oversell_is_refused_with_the_position(cli, tmp_path):
    path = write_document(tmp_path / "oversell.json", companies=[company("ABC")],
                          events=[event(1, "ABC", "2026-01-02", "buy", 5, 100),
                                  event(2, "ABC", "2026-01-03", "sell", 7, 150)])
    cli.ok("init")
    before = dump(tmp_path / "dattrack.db")
    result = cli("import", path)
    assert result.exit_code == 2
    assert result.stderr == ("Error: ABC BTC: event 2, a sell of 7 BTC on 2026-01-03, "
                             "is more than the position then: 5 BTC\n")
    assert dump(tmp_path / "dattrack.db") == before
    assert cli.json("company", "list") == []


def test_imported_events_keep_their_ids_and_rebuild_positions(cli, tmp_path):
    path = write_document(tmp_path / "ledger.json", companies=[company("ABC")],
                          events=[event(40, "ABC", "2026-01-03", "sell", "2", 300),
                                  event(7, "ABC", "2026-01-02", "buy", "5", 500),
                                  event(41, "ABC", "2026-01-04", "balance", "3.5", None)])
    cli.ok("import", path)
    assert [e["id"] for e in cli.json("event", "list")] == [7, 40, 41]
    (row,) = cli.json("holdings")
    assert (row["quantity"], row["cost_basis"], row["cost_complete"]) == (Decimal("3.5"), Decimal("300"), False)
    assert cli.ok("event", "add", "ABC", "buy", "1", "--total", "10", "--date", "2026-01-05").strip() == "42"


def test_imported_rows_are_validated_like_typed_ones(cli, tmp_path):
    path = write_document(tmp_path / "bad.json", companies=[company("ABC")],
                          events=[event(1, "ABC", "2026-01-02", "buy", "-5", 100)])
    result = cli("import", path)
    assert result.exit_code == 2
    assert result.stderr == "Error: events 1: quantity must be greater than 0, got -5\n"
    assert cli.json("company", "list") == []


def test_files_that_are_not_exports_are_refused(cli, tmp_path):
    cases = {
        "missing.json": None,
        "text.json": "ticker,date\n",
        "list.json": "[]",
        "newer.json": '{"format": "dattrack-export", "version": 2}',
        "section.json": '{"format": "dattrack-export", "version": 1, "wallets": []}',
        "column.json": '{"format": "dattrack-export", "version": 1, "companies": [{"ticker": "A", "colour": 1}]}',
        "twice.json": json.dumps({"format": "dattrack-export", "version": 1,
                                  "companies": [company("ABC"), company("ABC")]}),
    }
    messages = {}
    for name, text in cases.items():
        if text is not None:
            (tmp_path / name).write_text(text, encoding="utf-8")
        result = cli("import", tmp_path / name)
        assert result.exit_code == 2, name
        messages[name] = result.stderr
    assert "does not exist" in messages["missing.json"]
    assert "is not JSON" in messages["text.json"]
    assert "is not a dattrack export" in messages["list.json"]
    assert "version 2" in messages["newer.json"]
    assert "unknown section 'wallets'" in messages["section.json"]
    assert "unknown column 'colour'" in messages["column.json"]
    assert "companies ABC twice" in messages["twice.json"]


def test_import_needs_a_file_or_a_source(cli, tmp_path):
    assert "give a FILE" in cli("import").stderr
    assert "--coin goes with --from" in cli("import", tmp_path / "x.json", "--coin", "BTC").stderr
    assert "needs --coin" in cli("import", "--from", "coingecko-treasury").stderr


def test_provenance_is_kept_and_an_older_document_counts_as_imported(cli, tmp_path):
    path = write_document(
        tmp_path / "doc.json", companies=[company("ABC", coingecko_id="abc-corp")],
        events=[event(1, "ABC", "2026-01-02", "buy", 10, 100, origin="coingecko", recorded_at="2026-01-03T04:05:06Z"),
                event(5, "ABC", "2026-01-09", "sell", 2, None, origin="coingecko", recorded_at="2026-01-10T00:00:00Z"),
                event(7, "ABC", "2026-01-12", "buy", 1, 20)])   # a document from before provenance
    cli.ok("import", path)
    rows = {e["id"]: e for e in cli.json("event", "list")}
    assert (rows[1]["origin"], rows[1]["recorded_at"]) == ("coingecko", "2026-01-03T04:05:06Z")
    assert rows[5]["amount"] is None                     # a synced sale of undisclosed proceeds
    assert rows[7]["origin"] == "import" and rows[7]["recorded_at"]
    assert cli.json("company", "show", "ABC")[0]["coingecko_id"] == "abc-corp"
    assert cli.ok("event", "add", "ABC", "buy", "1", "--date", "2026-01-13", "--total", "5").strip() == "8"
    bad = write_document(tmp_path / "bad.json", events=[event(9, "ABC", "2026-01-14", "buy", 1, 5, origin="robot")])
    result = cli("import", bad)
    assert result.exit_code == 2 and "unknown event origin 'robot'" in result.stderr
