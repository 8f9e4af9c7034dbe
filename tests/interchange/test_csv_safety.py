"""CSV output opens safely in a spreadsheet: formula-like text is escaped, numbers stay numbers."""

from __future__ import annotations

import csv
import io

import pytest

# A bare CR would split the row unless quoted: the CSV writer ends lines with \r\n (RFC 4180).
FORMULAS = ['=HYPERLINK("http://x")', "@SUM(A1)", "+1", "-2+3", "\tTAB", "\rCR"]


def rows_of(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_like_notes_and_sources_are_escaped(cli, text):
    cli.ok("company", "add", "ABC", "--name", "Abc Corp")
    cli.ok("event", "add", "ABC", "buy", "1", "--total", "10", "--date", "2026-01-02", "--note", text,
           "--source", text)
    (row,) = rows_of(cli.ok("event", "list", "--format", "csv"))
    assert row["note"] == "'" + text
    assert row["source"] == "'" + text
    assert row["quantity"] == "1" and row["amount"] == "10"


def test_a_formula_like_company_name_is_escaped(cli):
    cli.ok("company", "add", "ABC", "--name", "=1+1")
    (row,) = rows_of(cli.ok("company", "list", "--format", "csv"))
    assert row["name"] == "'=1+1"


def test_negative_numbers_stay_plain_numbers(cli):
    cli.ok("company", "add", "ABC", "--name", "Abc Corp")
    cli.ok("event", "add", "ABC", "buy", "10", "--total", "100", "--date", "2026-01-02")
    cli.ok("event", "add", "ABC", "balance", "8", "--date", "2026-01-03", "--total", "70")
    result = cli("check", "--format", "csv")
    assert result.exit_code == 1  # an unexplained difference
    (row,) = rows_of(result.stdout)
    assert row["quantity_delta"] == "-2"
    assert row["cost_delta"] == "-30"
