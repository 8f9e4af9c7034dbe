"""The figures the README quotes from the bundled data set are the ones the product prints."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def number(text: str) -> Decimal:
    return Decimal(text.replace(",", "").replace("−", "-"))


def test_the_disagreements_the_readme_names_are_what_check_prints(cli):
    cli.ok("init", "--seed")
    result = cli("check", "--failing", "--format", "json")
    assert result.exit_code == 1  # the bundled data keeps its disagreements visible
    failing = {(row["ticker"], row["date"]): row for row in json.loads(result.stdout, parse_float=Decimal)}
    cango = re.search(r"Cango's events add up\s+to ([\d,.]+) BTC on (\S+) while the company disclosed ([\d,.]+) "
                      r"\(([−-][\d,.]+) unexplained\)", README)
    ethzilla = re.search(r"ETHZilla's disclosed ([\d,.]+) ETH on (\S+)(?: \([^)]*\))? is ([\d,.]+) more than its "
                         r"events", README.replace("\n", " "))
    assert cango and ethzilla, "the README no longer names the two disagreements this test checks"
    row = failing[("CANG", cango[2])]
    assert [Decimal(str(row[key])) for key in ("computed_quantity", "disclosed_quantity", "quantity_delta")] == \
        [number(cango[1]), number(cango[3]), number(cango[4])]
    row = failing[("ETHZ", ethzilla[2])]
    assert [Decimal(str(row[key])) for key in ("disclosed_quantity", "quantity_delta")] == \
        [number(ethzilla[1]), number(ethzilla[3])]


def test_the_readme_counts_the_bundled_companies(cli):
    cli.ok("init", "--seed")
    count = len(cli.json("company", "list"))
    assert f"the bundled data set: {count} companies" in README
    assert f"holds {count} companies" in README


def test_the_cango_figures_the_readme_gives_for_summary_are_what_it_prints(cli, monkeypatch):
    monkeypatch.setenv("DATTRACK_TODAY", "2026-12-04")
    cli.ok("init", "--seed")
    found = re.search(r"lists\s+Cango's ([\d,.]+) BTC sold in 2026 \(and ([\d,.]+) more through its balances\)",
                      README)
    assert found, "the README no longer gives Cango's 2026 sales"
    document = json.loads(cli.ok("summary", "--since", "2026-01-01", "--as-of", "2026-07-17", "--format", "json"),
                          parse_float=Decimal)
    cango = {row["implied"]: row for row in document["sellers"] if row["ticker"] == "CANG"}
    assert Decimal(str(cango[False]["units_sold"])) == number(found[1])
    assert Decimal(str(cango[True]["units_sold"])) == number(found[2])
    assert cango[False]["proceeds_disclosed"] is False and cango[False]["realized_pnl"] is None
