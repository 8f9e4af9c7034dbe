"""A company's real-looking disclosure series, entered through the CLI, replays to the unit.

24 weekly purchases entered with --total as the press releases give them, and the cumulative
positions the company disclosed along the way entered as `balance` events."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from tests.cli.conftest import built_once, start_from

PURCHASES = [  # date, BTC bought, total USD incl. fees
    ("2025-01-06", "94.89", "8737463.61"),
    ("2025-01-13", "49.544", "4918373.58"),
    ("2025-01-20", "113.5", "10436757.44"),
    ("2025-01-27", "22.657", "2568130.39"),
    ("2025-02-03", "28.988", "2770839.72"),
    ("2025-02-10", "34.675", "3541950.35"),
    ("2025-02-17", "105.863", "11388737.31"),
    ("2025-02-24", "25.204", "2420856.55"),       # cumulative 475.321 BTC, 46,783,108.95 USD
    ("2025-03-03", "143.021", "16115320.24"),
    ("2025-03-10", "66.281", "6292755.26"),
    ("2025-03-17", "19.829", "2259432.26"),
    ("2025-03-24", "32.53", "3348594.61"),
    ("2025-03-31", "123.677", "14037202.22"),
    ("2025-04-07", "119.621", "11672642.30"),
    ("2025-04-14", "28.312", "2670457.49"),
    ("2025-04-21", "73.088", "8360833.79"),       # cumulative 1,081.680 BTC
    ("2025-04-28", "33.779", "3849388.63"),
    ("2025-05-05", "121.285", "11871361.25"),
    ("2025-05-12", "25.495", "2692768.64"),
    ("2025-05-19", "42.453", "3994255.46"),
    ("2025-05-26", "68.52", "7740982.59"),
    ("2025-06-02", "26.216", "2428481.41"),
    ("2025-06-09", "113.987", "12957052.75"),
    ("2025-06-16", "248.572", "22992872.71"),     # cumulative 1,761.987 BTC, 180,067,510.56 USD
]
DISCLOSED_TOTAL = Decimal("1761.987")
DISCLOSED_COST = Decimal("180067510.56")
CHECK_KEYS = ["ticker", "asset", "date", "event_id", "asserted", "disclosed_quantity", "computed_quantity",
              "quantity_delta", "disclosed_cost", "computed_cost", "cost_delta"]


def test_the_series_as_written_adds_up():
    # A guard on the data of this file: the purchases really sum to the disclosures.
    assert sum(Decimal(q) for _, q, _ in PURCHASES) == DISCLOSED_TOTAL
    assert sum(Decimal(t) for _, _, t in PURCHASES) == DISCLOSED_COST
    assert sum(Decimal(q) for _, q, _ in PURCHASES[:8]) == Decimal("475.321")
    assert sum(Decimal(q) for _, q, _ in PURCHASES[:16]) == Decimal("1081.680")


def enter_purchases(cli) -> None:
    cli.ok("company", "add", "TREAS", "--name", "Treasury Co")
    for date, quantity, total in PURCHASES:
        cli.ok("event", "add", "TREAS", "buy", quantity, "--date", date, "--total", total,
               "--source", f"8-K {date}")


@pytest.fixture(scope="module")
def purchases_template(tmp_path_factory):
    return built_once(tmp_path_factory, "purchases", enter_purchases)


@pytest.fixture
def enter_series(cli, db_path, purchases_template):
    """The 24 purchases (entered once per module through the CLI, copied for each test), then
    the three cumulative disclosures, the second as given."""
    start_from(purchases_template, db_path)
    return disclose


def disclose(cli, second_disclosure: str) -> dict[str, str]:
    return {
        "first": cli.ok("event", "add", "TREAS", "balance", "475.321", "--date", "2025-02-24",
                        "--total", "46783108.95").strip(),
        "second": cli.ok("event", "add", "TREAS", "balance", second_disclosure, "--date", "2025-04-21").strip(),
        "final": cli.ok("event", "add", "TREAS", "balance", "1761.987", "--date", "2025-06-16",
                        "--total", "180067510.56").strip(),
    }


def check_rows(cli):
    result = cli("check", "--format", "json")
    return result.exit_code, json.loads(result.stdout, parse_float=Decimal, parse_int=Decimal)


def test_holdings_equal_the_disclosed_total_to_the_last_unit(cli, enter_series):
    enter_series(cli, "1081.680")
    (row,) = cli.json("holdings", "TREAS")
    assert row["quantity"] == DISCLOSED_TOTAL
    assert row["cost_basis"] == DISCLOSED_COST
    assert row["cost_complete"] is True
    raw = cli.ok("holdings", "TREAS", "--format", "json")
    assert '"quantity": 1761.987,' in raw
    assert '"cost_basis": 180067510.56,' in raw


def test_holdings_by_events_alone_equal_the_sum_under_every_method(cli, enter_series):
    assert len(cli.json("event", "list", "--kind", "buy")) == len(PURCHASES)
    for method in ("average", "fifo", "lifo", "hifo"):
        (row,) = cli.json("holdings", "--method", method)
        assert (row["quantity"], row["cost_basis"]) == (DISCLOSED_TOTAL, DISCLOSED_COST), method


def test_check_passes_when_every_disclosure_agrees(cli, enter_series):
    ids = enter_series(cli, "1081.680")
    code, rows = check_rows(cli)
    assert code == 0
    assert [list(r) for r in rows] == [CHECK_KEYS] * 3
    assert [r["event_id"] for r in rows] == [Decimal(ids[k]) for k in ("first", "second", "final")]
    assert [r["quantity_delta"] for r in rows] == [0, 0, 0]
    assert [r["asserted"] for r in rows] == [True, True, True]
    first, second, final = rows
    assert (first["computed_cost"], first["cost_delta"]) == (Decimal("46783108.95"), 0)
    assert (second["disclosed_cost"], second["cost_delta"]) == (None, None)
    assert (final["computed_quantity"], final["computed_cost"], final["cost_delta"]) == (
        DISCLOSED_TOTAL, DISCLOSED_COST, 0)


def test_check_lists_exactly_the_disclosures_that_disagree_even_by_half_a_thousandth(cli, enter_series):
    # The April release rounded up: 1,081.6805 BTC where the purchases add to 1,081.680.
    # The balance resets the position, so the final disclosure (which is right) is then
    # 0.0005 below what the events add up to: those two disagree, the first does not.
    ids = enter_series(cli, "1081.6805")
    code, rows = check_rows(cli)
    assert code == 1
    disagreeing = [(r["event_id"], r["date"], r["quantity_delta"]) for r in rows if r["quantity_delta"] != 0]
    assert disagreeing == [(Decimal(ids["second"]), "2025-04-21", Decimal("0.0005")),
                           (Decimal(ids["final"]), "2025-06-16", Decimal("-0.0005"))]
    second = rows[1]
    assert (second["disclosed_quantity"], second["computed_quantity"]) == (Decimal("1081.6805"), Decimal("1081.680"))
    # The final disclosure restates position and cost: holdings follow the company exactly.
    (row,) = cli.json("holdings", "TREAS")
    assert (row["quantity"], row["cost_basis"], row["cost_complete"]) == (DISCLOSED_TOTAL, DISCLOSED_COST, True)


def test_check_table_output_exits_1_too(cli, enter_series):
    enter_series(cli, "1081.6805")
    result = cli("check")
    assert result.exit_code == 1
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_check_of_one_clean_ticker_exits_0_while_another_disagrees(cli, enter_series, fmt):
    enter_series(cli, "1081.6805")
    cli.ok("company", "add", "CLEAN", "--name", "Clean Co")
    cli.ok("event", "add", "CLEAN", "buy", "1", "--date", "2025-01-01", "--total", "1")
    cli.ok("event", "add", "CLEAN", "balance", "1", "--date", "2025-01-31")
    assert cli("check", "CLEAN", "--format", fmt).exit_code == 0
    assert cli("check", "--format", fmt).exit_code == 1
