"""Composite table views (a company page, an explanation) built from report data."""

from __future__ import annotations

from dattrack.render.output import Column, console, display, print_table

HOLDING_COLUMNS = [
    Column("asset", "Asset"), Column("quantity", "Quantity", "qty"), Column("cost_basis", "Cost basis", "money"),
    Column("avg_cost", "Avg cost", "money"), Column("currency", "Ccy"), Column("price", "Price", "money"),
    Column("value", "Value", "money"), Column("value_usd", "Value USD", "money"),
    Column("unrealized_pnl", "Unrealized P&L", "money"), Column("unrealized_pnl_pct", "P&L %", "pct"),
    Column("cost_complete", "Cost known", "bool"),
    Column("price_date", "Price date", "date", flag="price_stale"),
]
FACT_COLUMNS = [Column("name", "Fact"), Column("value", "Value", "qty"), Column("date", "Date", "date", flag="stale"),
                Column("age_days", "Age (days)", "int"), Column("source", "Source")]
EVENT_COLUMNS = [Column("id", "Id", "int"), Column("date", "Date", "date"), Column("asset", "Asset"),
                 Column("kind", "Kind"), Column("quantity", "Quantity", "qty"), Column("amount", "Amount", "money"),
                 Column("source", "Source"), Column("note", "Note")]

MINED_COLUMNS = [Column("period", "Month", "date"), Column("asset", "Asset"), Column("units", "Units mined", "qty"),
                 Column("booked_cost", "Booked cost", "money"), Column("cost_per_unit", "Cost per unit", "money"),
                 Column("currency", "Ccy"), Column("events", "Events", "int")]


def print_profile(profile: dict) -> None:
    out = console()
    out.print(f"[bold]{display(profile['ticker'])}[/bold] {display(profile['name'])}  "
              f"({profile['kind']}, {profile['asset']}, {profile['currency']}, quote {display(profile['quote_symbol'])}"
              + (f", {display(profile['exchange'])}" if profile.get("exchange") else "")
              + (f", CIK {profile['cik']}" if profile.get("cik") else "") + ")")
    if profile.get("note"):
        out.print(display(profile["note"]))
    print_table(profile["holdings"], HOLDING_COLUMNS, title="Position", empty="no events yet")
    print_table(profile["facts"], FACT_COLUMNS, title="Facts", empty="no facts recorded")
    if profile.get("mined") or profile.get("kind") == "miner":
        print_table(profile.get("mined", []), MINED_COLUMNS, title="Mined per month (booked cost)",
                    empty="no mine events recorded")
    print_table(profile["events"], EVENT_COLUMNS, title="Events", empty="no events recorded")


NOTE_STYLE = {"missing": "red", "undefined": "red", "stale": "yellow", "assumed": "cyan", "split": "magenta",
              "chosen": "green", "detail": "white"}


def print_explanation(valuation, lines: list[dict]) -> None:
    """Each figure, its formula, the inputs it rests on (value, date, source) and its caveats."""
    out = console()
    out.print(f"[bold]{display(valuation.ticker)}[/bold] as of {valuation.as_of.isoformat()} "
              f"(share price in {valuation.currency}; other money in USD)")
    headings = {"risk": "Risk (SPEC 7; money in USD)",
                "capital_stack": "Capital stack (most senior first): each instrument's BTC rating"}
    section = "mnav"
    for line in lines:
        if line.get("section", section) != section:
            section = line["section"]
            out.print(f"\n[bold underline]{headings.get(section, section)}[/bold underline]")
        value = display(line["value"], "ratio" if line["unit"] in ("x", "fraction") else "qty")
        out.print(f"\n[bold]{line['figure']}[/bold] = {value} {display(line['unit'])}")
        out.print(f"  [dim]formula:[/dim] {display(line['formula'])}")
        for item in line["inputs"]:
            stale = " [yellow](stale)[/yellow]" if item["stale"] else ""
            date = item["date"].isoformat() if item["date"] else "—"
            out.print(f"  [dim]input:[/dim] {display(item['name'])} = {display(item['value'])} on {date}{stale}"
                      f" [dim]source: {display(item['source'] or '—')}[/dim]")
        for note in line["notes"]:
            style = NOTE_STYLE.get(note["kind"], "white")
            out.print(f"  [{style}]{note['kind']}:[/{style}] {display(note['text'])}")
