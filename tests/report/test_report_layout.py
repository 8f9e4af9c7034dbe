"""The report as a reader sees it (issue 21): tables that fit 1200 px and stack on a phone, every
caveat printed under its table, a partial cost basis shown as the part that is known, charts with
axes worth reading. Measured in a real headless Chromium where one is installed."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from tests.report.test_report import Page, _chromium, _run_chromium, write_report


AS_OF = "2026-07-17"   # the newest day every bundled price series has a close (make demo's date)


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    """The bundled data set with a few weeks of daily snapshots, and its report."""
    from typer.testing import CliRunner

    from dattrack.cli.app import app

    folder = tmp_path_factory.mktemp("bundled")
    env = {"DATTRACK_DB": str(folder / "bundled.db"), "DATTRACK_TODAY": "2026-12-04", "NO_COLOR": "1",
           "HOME": str(folder)}   # a module's fixture: set up before the per-test isolation
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(app, list(args), env=env)
        assert result.exit_code in (0, 1), result.stdout + result.stderr
        return result.stdout

    run("init", "--seed")
    run("snapshot", "--offline", "--quiet", "--since", "2026-06-01", "--date", AS_OF)
    target = folder / "report.html"
    run("report", "--out", str(target), "--as-of", AS_OF)
    explained = {ticker: json.loads(run("explain", ticker, "--as-of", AS_OF, "-f", "json"))
                 for ticker in [c["ticker"] for c in json.loads(run("company", "list", "-f", "json"))]}
    risk = json.loads(run("risk", "--as-of", AS_OF, "-f", "json"))
    holdings = json.loads(run("holdings", "--as-of", AS_OF, "-f", "json"), parse_float=Decimal, parse_int=Decimal)
    return target, target.read_text(encoding="utf-8"), explained, risk, holdings


def words(page_text: str) -> str:
    return " ".join(page_text.split())


def test_every_caveat_is_printed_under_its_table(bundled):
    _, text, explained, risk, _ = bundled
    shown = words(" ".join(Page(text).text))
    for ticker, lines in explained.items():
        for line in lines:
            for note in line["notes"]:
                if note["kind"] in ("missing", "stale") and line["section"] == "mnav":
                    assert words(note["text"]) in shown, (ticker, note)
    for row in risk:
        for reason in filter(None, (row.get("reasons") or "").split("; ")):
            assert words(reason) in shown, (row["ticker"], reason)
    assert ' title="' not in re.sub(r"<svg.*?</svg>", "", text, flags=re.S)  # no text hidden in a hover


def test_each_mark_links_to_a_footnote_of_its_table(bundled):
    _, text, *_ = bundled
    page = Page(text)
    ids = {attrs["id"] for _, attrs in page.tags if "id" in attrs}
    marks = [a["href"][1:] for a in page.all("a") if a.get("href", "").startswith("#n-")]
    assert marks and all(mark in ids for mark in marks)


def test_a_partial_cost_basis_is_the_known_part_with_its_share_of_units(bundled):
    _, text, _, _, holdings = bundled
    partial = [r for r in holdings if not r["cost_complete"]]
    assert partial, "the bundled data has books whose cost is partly unknown"
    assert "0.00 (partial)" not in text
    for row in partial:
        if row["cost_known_quantity"]:
            share = (row["cost_known_quantity"] * 100 / row["quantity"]).quantize(Decimal(1))
            assert f"cost of {share}% of units: " in text, row["ticker"]
    if any(not row["cost_known_quantity"] for row in partial):
        assert "no cost disclosed" in text


def test_charts_have_round_ticks_gridlines_dated_axes_and_their_last_value(bundled):
    _, text, *_ = bundled
    charts = re.findall(r'<svg class="chart".*?</svg>', text, re.S)
    assert len(charts) >= 16 * 2
    for chart in charts:
        ticks = re.findall(r'<text class="tick"[^>]*>([^<]*)</text>', chart)
        dated = [t for t in ticks if re.fullmatch(r"\d{4}(-\d\d)?|\d\d-\d\d", t)]
        assert len(ticks) - len(dated) >= 3, chart[:300]   # a y axis of at least three values
        assert dated, chart[:300]                           # and dates on the x axis
        assert chart.count('class="grid"') >= 4
        assert re.search(r'<text class="last"[^>]*>[^<]+</text>', chart)


PROBE = """<!doctype html><html><body style="margin:0">
<iframe id="page" src="{report}" style="width:{width}px;height:900px;border:0"></iframe>
<script>
document.getElementById('page').addEventListener('load', event => {{
  const doc = event.target.contentDocument;
  const boxes = [...doc.querySelectorAll('.scroll')].map(box => ({{
    table: box.closest('section, article').id, overflow: box.scrollWidth - box.clientWidth}}));
  const head = doc.querySelector('table.stack thead');
  document.body.setAttribute('data-measured', JSON.stringify({{
    viewport: doc.documentElement.clientWidth, page: doc.documentElement.scrollWidth, boxes,
    stacked: head ? getComputedStyle(head).display === 'none' : null}}));
}});
</script></body></html>"""


def measure(tmp_path: Path, report: Path, width: int) -> dict:
    """The report laid out in a frame `width` px wide (a window cannot be made narrower than 500 px),
    measured by a script in the probe page around it: the report itself runs none."""
    probe = report.parent / f"probe-{width}.html"
    probe.write_text(PROBE.format(report=report.name, width=width), encoding="utf-8")
    dom = _run_chromium(tmp_path, "--window-size=1400,900", "--allow-file-access-from-files",
                        "--virtual-time-budget=5000", "--dump-dom", probe.as_uri())
    assert dom.returncode == 0, dom.stderr
    found = re.search(r'data-measured="([^"]*)"', dom.stdout)
    assert found, dom.stdout[-500:]
    measured = json.loads(found.group(1).replace("&quot;", '"'))
    assert measured["viewport"] == width
    return measured


@pytest.mark.skipif(_chromium() is None, reason="no chromium binary (.ci/run installs Debian's chromium)")
def test_in_chromium_no_table_is_clipped_at_1200_px_and_a_phone_gets_stacked_rows(bundled, tmp_path):
    report = bundled[0]
    wide = measure(tmp_path, report, 1200)
    assert wide["page"] <= 1200 and wide["stacked"] is False
    # the figures table inside a company's details may scroll in its own box; every other table fits
    assert [box for box in wide["boxes"] if box["overflow"] > 0 and not box["table"].startswith("c-")] == []
    phone = measure(tmp_path, report, 390)
    assert phone["page"] <= 390 and phone["stacked"] is True


def test_each_card_shows_its_ladder_in_the_open_with_every_claim_and_rating(bundled, tmp_path):
    """The capital stack of `risk TICKER --claims` on the card itself (not folded away), in its order."""
    target, text, *_ = bundled
    from typer.testing import CliRunner

    from dattrack.cli.app import app

    env = {"DATTRACK_DB": str(target.parent / "bundled.db"), "DATTRACK_TODAY": "2026-12-04", "NO_COLOR": "1",
           "HOME": str(target.parent)}
    ladder = json.loads(CliRunner().invoke(app, ["risk", "MSTR", "--claims", "--as-of", AS_OF, "-f", "json"],
                                           env=env).stdout)
    card = text.split('id="c-MSTR"')[1].split("</article>")[0]
    folded = card.split("<details>", 1)[1] if "<details>" in card else ""
    stack = card.split("<h4>Capital stack:", 1)[1].split("</table>")[0]
    assert "Capital stack:" not in folded and stack not in folded
    cells = Page(stack).text
    shown = [name for name in cells if any(name == r["instrument"] for r in ladder)]
    assert shown == [r["instrument"] for r in ladder]
    assert [f"{r['btc_rating']:,.3f}" for r in ladder] == [t for t in cells if re.fullmatch(r"[\d,]+\.\d{3}", t)]
    assert "Reserve cover (months)" in text.split('id="risk"')[1].split("</section>")[0]


def test_a_claim_the_nav_does_not_cover_is_marked_and_footnoted_on_the_card(cli, tmp_path):
    cli.ok("company", "add", "CANG", "--name", "Cango", "--kind", "miner")
    cli.ok("event", "add", "CANG", "buy", "10", "--date", "2026-01-05", "--total", "500000")
    cli.ok("price", "set", "BTC", "100", "--date", "2026-11-20")        # NAV 1,000
    cli.ok("price", "set", "CANG", "2", "--date", "2026-11-20")
    cli.ok("fact", "set", "CANG", "shares_basic", "1000", "--date", "2026-10-01")
    cli.ok("instrument", "add", "CANG", "BTC-backed loan", "--kind", "loan", "--outstanding", "400",
           "--date", "2026-02-01", "--rate", "0.1", "--source", "6-K 2026-02-03")
    cli.ok("instrument", "add", "CANG", "Series A preferred", "--kind", "preferred", "--outstanding", "1600",
           "--date", "2026-03-01", "--source", "prospectus")
    target = tmp_path / "report.html"
    cli.ok("report", "--out", str(target), "--as-of", "2026-11-20")
    card = target.read_text(encoding="utf-8").split('id="c-CANG"')[1].split("</article>")[0]
    assert "Capital stack: 2 claims, most senior first" in card
    assert '<span class="neg">0.500</span><sup class="mark"><a href="#n-ladder-CANG-a">a</a></sup>' in card  # 1,000 / 2,000
    assert '<td class="n" data-label="BTC rating">2.500</td>' in card                                          # 1,000 / 400
    assert 'id="n-ladder-CANG-a"' in card and "not covered" in words(" ".join(Page(card).text))
    assert "40.00" in card and "10%" in card   # cost a year: 400 × 0.1, the rate as a filing states it
