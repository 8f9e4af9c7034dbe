"""Bad input (SPEC section 4): exit 2, one `Error:` line on stderr, no traceback, and the
database exactly as before (file bytes and a full SQL dump)."""

from __future__ import annotations

import re
import sqlite3

import pytest

from tests.cli.conftest import event_count

pytestmark = pytest.mark.usefixtures("strategy")

BUY = ("event", "add", "MSTR", "buy")


def test_unknown_ticker(refused):
    line = refused("event", "add", "NOPE", "buy", "1", "--date", "2025-01-02", "--total", "1")
    assert "NOPE" in line


def test_unknown_kind(refused):
    line = refused("event", "add", "MSTR", "airdrop", "1", "--date", "2025-01-02", "--total", "1")
    assert "airdrop" in line


@pytest.mark.parametrize("quantity", [
    "0", "-1", "-0.5", "NaN", "nan", "inf", "-Infinity", "1e400", "1000000000000000.1", "ten", "1,5", "",
    "0.0000000000000000001",            # 19 decimals
    "1.1234567890123456789",
    "1_000",                            # neither plain nor scientific notation (Python-only syntax)
    "\u0663",                           # ARABIC-INDIC DIGIT THREE: not a number a user typed as such
])
def test_bad_quantity(refused, quantity):
    refused(*BUY, "--date", "2025-01-02", "--total", "1", "--", quantity)


def test_quantity_with_19_decimals_names_the_limit(refused):
    line = refused(*BUY, "0.0000000000000000001", "--date", "2025-01-02", "--total", "1")
    assert "18" in line


@pytest.mark.parametrize("date", ["2025-02-30", "2025/01/01", "1-2-2025", "01-02-2025", "2025-13-01",
                                  "yesterday", "2026-11-22", "2099-01-01"])
def test_bad_or_future_date(refused, date):
    refused(*BUY, "1", "--date", date, "--total", "1")


def test_future_date_says_so(refused):
    assert "future" in refused(*BUY, "1", "--date", "2026-11-22", "--total", "1")


def test_price_and_total_together(refused):
    refused(*BUY, "1", "--date", "2025-01-02", "--price", "100", "--total", "100")


@pytest.mark.parametrize("option", [("--total", "-5"), ("--price", "-1"), ("--price", "100", "--fee", "-1"),
                                    ("--total", "1e400"), ("--price", "nan")])
def test_negative_or_impossible_amount(refused, option):
    refused(*BUY, "1", "--date", "2025-01-02", *option)


def test_a_buy_needs_an_amount(refused):
    refused(*BUY, "1", "--date", "2025-01-02")


def test_sell_fee_larger_than_proceeds(refused):
    refused("event", "add", "MSTR", "sell", "1", "--date", "2025-07-01", "--price", "10", "--fee", "11")


def test_selling_more_than_held_on_that_date_gives_the_position_then(refused):
    # On 2025-04-01 the company holds 10 - 3 = 7; the later buy of 2025-06-01 does not help.
    line = refused("event", "add", "MSTR", "sell", "8", "--date", "2025-04-01", "--total", "1")
    assert "2025-04-01" in line
    assert re.search(r"(?<![\d.-])7(?![\d.])", line)  # the position then: 7


def test_a_back_dated_sell_that_starves_a_later_sell(refused):
    # 10 held on 2025-02-01, so a sell of 8 fits that day; but it leaves 2 for the recorded
    # sell of 3 on 2025-03-01, which no longer fits: the message names that date and position.
    line = refused("event", "add", "MSTR", "sell", "8", "--date", "2025-02-01", "--total", "1")
    assert "2025-03-01" in line
    assert re.search(r"(?<![\d.-])2(?![\d.])", line)  # the position then: 2


def test_a_sell_before_any_buy(refused):
    line = refused("event", "add", "MSTR", "sell", "1", "--date", "2024-12-31", "--total", "1")
    assert "2024-12-31" in line
    assert re.search(r"(?<![\d.-])0(?![\d.])", line)  # the position then: 0


def test_a_sell_in_a_company_with_no_events(cli, refused):
    cli.ok("company", "add", "EMPTY", "--name", "Empty Corp")
    refused("event", "add", "EMPTY", "sell", "1", "--date", "2025-01-01", "--total", "1")


def test_duplicate_company(refused):
    assert "MSTR" in refused("company", "add", "mstr", "--name", "Strategy again")


@pytest.mark.parametrize("args", [
    ("company", "add", "BAD TICKER", "--name", "x"),
    ("company", "add", "NEW", "--name", "x", "--kind", "bank"),
    ("company", "add", "NEW", "--name", "x", "--currency", "dollars"),
    ("company", "add", "NEW", "--name", "x", "--cik", "abc"),
])
def test_bad_company_fields(refused, args):
    refused(*args)


def test_import_with_one_bad_row_writes_nothing_and_names_the_row(refused, db_path, tmp_path):
    csv = tmp_path / "events.csv"
    csv.write_text("ticker,date,kind,asset,quantity,price,total,fee,source,note\n"
                   "MSTR,2025-07-01,buy,,1,,100000,,,\n"
                   "MSTR,2025-07-02,buy,,2,,200000,,,\n"
                   "MSTR,2025-07-03,buy,,NaN,,300000,,,\n"
                   "MSTR,2025-07-04,buy,,4,,400000,,,\n")
    count = event_count(db_path)
    line = refused("event", "import", str(csv))
    assert "row 4" in line
    assert event_count(db_path) == count


def test_import_with_a_row_that_oversells_names_the_row(refused, tmp_path):
    csv = tmp_path / "events.csv"
    csv.write_text("ticker,date,kind,asset,quantity,price,total,fee,source,note\n"
                   "MSTR,2025-07-01,buy,,1,,100000,,,\n"
                   "MSTR,2025-07-02,sell,,100,,1,,,\n")
    assert "row 3" in refused("event", "import", str(csv))


def test_import_with_a_wrong_header(refused, tmp_path):
    csv = tmp_path / "events.csv"
    csv.write_text("ticker,day,kind,quantity\nMSTR,2025-07-01,buy,1\n")
    assert "header" in refused("event", "import", str(csv))


def test_import_of_a_missing_file(refused, tmp_path):
    refused("event", "import", str(tmp_path / "nowhere.csv"))


def test_unknown_fact_name(refused):
    refused("fact", "set", "MSTR", "bitcoins", "1", "--date", "2025-01-01")


@pytest.mark.parametrize("name, value", [("debt", "-5"), ("cash", "-0.01"), ("shares_basic", "0"),
                                         ("shares_diluted", "-1"), ("split", "1:0"), ("split", "ten")])
def test_negative_or_impossible_fact(refused, name, value):
    refused("fact", "set", "MSTR", name, "--date", "2025-01-01", "--", value)


def test_fact_for_unknown_ticker(refused):
    refused("fact", "set", "NOPE", "debt", "1", "--date", "2025-01-01")


@pytest.mark.parametrize("value", ["0", "-1", "0.000", "NaN", "abc"])
def test_price_must_be_positive(refused, value):
    refused("price", "set", "BTC", "--date", "2025-01-01", "--", value)


def test_negative_price_without_separator_is_still_refused(refused):
    refused("price", "set", "BTC", "-1")


def test_removing_an_event_that_does_not_exist(refused):
    assert "999" in refused("event", "rm", "999")


def test_removing_an_event_id_that_is_not_a_number(refused):
    refused("event", "rm", "first")


def test_removing_a_buy_a_later_sell_needs_gives_the_position(refused):
    # Without the first buy, the sell of 3 on 2025-03-01 would come before any holding.
    line = refused("event", "rm", "1")
    assert "2025-03-01" in line
    assert re.search(r"(?<![\d.-])0(?![\d.])", line)  # the position then: 0


def test_company_with_events_is_not_removed_without_force(refused):
    assert "--force" in refused("company", "rm", "MSTR")


def test_removing_an_unknown_company(refused):
    refused("company", "rm", "NOPE")


@pytest.mark.parametrize("args", [("holdings", "--format", "xml"), ("event", "list", "--format", "yaml"),
                                  ("holdings", "--method", "lofi"), ("pnl", "--method", "lofi"),
                                  ("holdings", "--as-of", "2025-02-30"), ("holdings", "--as-of", "2030-01-01"),
                                  ("pnl", "--since", "2025-06-01", "--until", "2025-01-01"),
                                  ("event", "list", "--kind", "airdrop"), ("event", "list", "NOPE"),
                                  ("holdings", "NOPE"), ("check", "NOPE")])
def test_bad_report_options(refused, args):
    refused(*args)


def test_a_text_file_as_db_is_left_untouched(refused, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("my portfolio notes\n")
    line = refused("--db", str(notes), "holdings", db=notes)
    assert str(notes) in line or "SQLite" in line
    assert notes.read_text() == "my portfolio notes\n"
    assert not (tmp_path / "notes.txt-wal").exists()


def test_a_text_file_as_db_is_left_untouched_by_writes_too(refused, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("my portfolio notes\n")
    refused("--db", str(notes), "company", "add", "X", "--name", "X", db=notes)
    assert notes.read_text() == "my portfolio notes\n"


def _foreign_db(path, ddl):
    conn = sqlite3.connect(path)
    conn.executescript(ddl)
    conn.commit()
    conn.close()
    return path.read_bytes()


def test_another_programs_sqlite_db_is_refused_and_unchanged(refused, tmp_path):
    other = tmp_path / "other.sqlite"
    before = _foreign_db(other, "CREATE TABLE foo (id INTEGER); INSERT INTO foo VALUES (1);")
    refused("--db", str(other), "company", "list", db=other)
    assert other.read_bytes() == before
    assert not (tmp_path / "other.sqlite-wal").exists()


def test_another_programs_db_with_a_companies_table_is_refused_and_unchanged(refused, tmp_path):
    # A CRM's database also has a table called `companies`: it is still not a dattrack database.
    crm = tmp_path / "crm.sqlite"
    before = _foreign_db(crm, "CREATE TABLE companies (id INTEGER PRIMARY KEY, domain TEXT);"
                              "INSERT INTO companies (domain) VALUES ('example.com');")
    refused("--db", str(crm), "company", "list", db=crm)
    assert crm.read_bytes() == before


def test_a_directory_as_db(refused, tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    result = refused.cli("--db", str(folder), "holdings")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error:")
    assert list(folder.iterdir()) == []


def test_another_sqlite_utils_apps_db_is_refused_and_unchanged(refused, tmp_path):
    # Another sqlite-utils program keeps its own migration table: that does not make it ours.
    other = tmp_path / "notes.sqlite"
    before = _foreign_db(other, "CREATE TABLE _sqlite_migrations (id INTEGER PRIMARY KEY, migration_set TEXT,"
                                " name TEXT, applied_at TEXT);"
                                "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
                                " VALUES ('notes', 'm001_notes', '2025-01-01');"
                                "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);")
    refused("--db", str(other), "company", "list", db=other)
    assert other.read_bytes() == before
