"""`explain` on a narrow terminal is a list: every figure on its own line with its value and unit,
its formula and inputs indented below, wrapped, never cut (issue 21). Run the real command in a
pseudo-terminal of 80 and 100 columns for every bundled company and find each figure's value."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from decimal import Decimal

import pytest

from tests.terminal import run_in_terminal, visible, widest

TODAY = "2026-11-30"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    path = tmp_path_factory.mktemp("explain") / "seeded.db"
    env = {**os.environ, "DATTRACK_TODAY": TODAY, "NO_COLOR": "1"}
    run(env, "--db", str(path), "init", "--seed")
    tickers = [row["ticker"] for row in json.loads(run(env, "--db", str(path), "company", "list", "-f", "json"))]
    assert len(tickers) >= 10
    return path, env, tickers


def run(env: dict, *args: str) -> str:
    result = subprocess.run([sys.executable, "-m", "dattrack", *args], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


def figures(env: dict, path, ticker: str) -> list[dict]:
    return json.loads(run(env, "--db", str(path), "explain", ticker, "-f", "json"), parse_float=Decimal)


NUMBER = re.compile(r"-?[\d,]*\d(?:\.\d+)?")


def shows(value, token: str) -> bool:
    """The token is the value as a person reads it: rounded to the decimals it shows, digits grouped."""
    if value is None:
        return token == "—"
    match = NUMBER.fullmatch(token)
    if not match:
        return False
    shown = Decimal(token.replace(",", ""))
    decimals = len(token.split(".")[1]) if "." in token else 0
    return abs(shown - Decimal(str(value))) <= Decimal(1).scaleb(-decimals) / 2


@pytest.mark.parametrize("columns", [80, 100])
def test_every_figure_of_every_bundled_company_shows_its_value(seeded, columns):
    path, env, tickers = seeded
    for ticker in tickers:
        lines = figures(env, path, ticker)
        code, out = run_in_terminal(["--db", str(path), "explain", ticker], columns=columns, env=env)
        text = visible(out)
        assert code == 0, text
        assert widest(out) <= columns, f"{ticker}:\n{text}"
        position = 0
        for line in lines:
            # the figure starts a line (a long instrument name may wrap), its value follows, then its unit
            name = r"\s+".join(re.escape(word) for word in line["figure"].split())
            found = re.compile(rf"(?m)^{name}\s+(\S+)(?: (\S+))?").search(text, position)
            assert found, f"{ticker} {line['figure']} not on a line of its own after offset {position}:\n{text}"
            value, unit = found.groups()
            assert shows(line["value"], value), f"{ticker} {line['figure']}: {value!r} for {line['value']}"
            if line["value"] is not None:
                assert unit == line["unit"], f"{ticker} {line['figure']}: unit {unit!r}, not {line['unit']!r}"
            position = found.end()


def test_formulas_and_caveats_wrap_under_their_figure_and_are_never_cut(seeded):
    path, env, _ = seeded
    code, out = run_in_terminal(["--db", str(path), "explain", "MSTR"], columns=80, env=env)
    text = visible(out)
    figures_part = text.split("\nCaveats", 1)[0]   # (sources may quote an ellipsis of their own)
    assert not [line for line in figures_part.splitlines() if line.rstrip().endswith("…")]  # nothing cut
    by_figure = {line["figure"]: line for line in figures(env, path, "MSTR")}
    formula = by_figure["shares_diluted"]["formula"]
    block = text.split("\nshares_diluted ", 1)[1].split("\nmarket_cap ", 1)[0]
    assert " ".join(block.split()).count(" ".join(formula.split())) == 1  # wrapped, whole
    assert all(line.startswith("    ") for line in block.splitlines()[1:])  # indented under the figure
    # each caveat's continuation lines stay under its text, not at the margin
    caveats = text.split("\nCaveats", 1)[1].split("\nSources", 1)[0].splitlines()[1:]
    assert caveats and all(line.startswith("  ") for line in caveats if line.strip())


def test_a_wide_terminal_keeps_the_table(seeded):
    path, env, _ = seeded
    _, out = run_in_terminal(["--db", str(path), "explain", "ETHZ"], columns=250, env=env)
    text = visible(out)
    assert re.search(r"(?m)^mnav +\S+ +x +.*market_cap / nav *$", text), text  # one row: value, unit, formula
    assert "\nInputs\n" in text
