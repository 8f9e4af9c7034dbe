"""Composite table views (a company page, an explanation) built from report data."""

from __future__ import annotations

from dattrack.render.output import (Column, SourceNumbers, as_of_words, console, display, escape_markup, inputs_line,
                                   print_table, unit_kind)

HOLDING_COLUMNS = [
    Column("asset", "Asset"), Column("quantity", "Quantity", "qty"), Column("cost_basis", "Cost basis", "money", wide=True),
    Column("avg_cost", "Avg cost", "money", wide=True), Column("currency", "Ccy"),
    Column("price", "Price", "money", wide=True),
    Column("value", "Value", "money"), Column("value_usd", "Value USD", "money", wide=True),
    Column("unrealized_pnl", "Unreal. P&L", "money"), Column("unrealized_pnl_pct", "P&L %", "pct"),
    Column("cost_complete", "Cost known", "bool", wide=True),
    Column("price_date", "Price date", "date", flag="price_stale", flag_text="stale price"),
]


def holdings_footer(rows: list[dict]) -> str | None:
    """The line under a holdings table for the books whose quantity is unknown on the date (SPEC 10)."""
    unknown: dict[str, list[str]] = {}
    for row in rows:
        if row.get("unknown_until"):
            unknown.setdefault(row["unknown_until"], []).append(f"{row['ticker']} {row['asset']}")
    return "; ".join(f"{', '.join(books)}: no disclosure before {date} (quantity unknown, not 0)"
                     for date, books in sorted(unknown.items())) or None


FACT_COLUMNS = [Column("name", "Fact"), Column("value", "Value", "qty"), Column("date", "Date", "date", flag="stale"),
                Column("known_on", "Known on", "date", wide=True), Column("age_days", "Age (days)", "int"),
                Column("source", "Source")]
EVENT_COLUMNS = [Column("id", "Id", "int"), Column("date", "Date", "date"), Column("asset", "Asset"),
                 Column("kind", "Kind"), Column("quantity", "Quantity", "qty"),
                 Column("amount", "Amount", "money", flag="estimate", flag_text="estimate", mark="~"),
                 Column("source", "Source"), Column("origin", "Origin"),
                 Column("note", "Note"),   # a filing's quote: shown where there is room
                 Column("known_on", "Known on", "date", wide=True), Column("recorded_at", "Recorded at", wide=True),
                 Column("estimate", "Estimate", wide=True)]

MINED_COLUMNS = [Column("period", "Month", "date"), Column("asset", "Asset"), Column("units", "Units mined", "qty"),
                 Column("booked_cost", "Booked cost", "money"), Column("cost_per_unit", "Cost per unit", "money"),
                 Column("currency", "Ccy"), Column("events", "Events", "int")]


def print_profile(profile: dict) -> None:
    out = console()
    out.print(f"[bold]{display(profile['ticker'])}[/bold] {display(profile['name'])}  "
              f"({profile['kind']}, {profile['asset']}, {profile['currency']}, quote {display(profile['quote_symbol'])}"
              + (f", {display(profile['exchange'])}" if profile.get("exchange") else "")
              + (f", CIK {profile['cik']}" if profile.get("cik") else "")
              + (f", CoinGecko {display(profile['coingecko_id'])}" if profile.get("coingecko_id") else "") + ")")
    if profile.get("note"):
        out.print(display(profile["note"]))
    print_table(profile["holdings"], HOLDING_COLUMNS, title="Position", empty="no events yet",
                footer=holdings_footer(profile["holdings"]))
    print_table(profile["facts"], FACT_COLUMNS, title="Facts", empty="no facts recorded")
    if profile.get("mined") or profile.get("kind") == "miner":
        print_table(profile.get("mined", []), MINED_COLUMNS, title="Mined per month (booked cost)",
                    empty="no mine events recorded")
    if profile.get("instruments"):
        from dattrack.cli.instrument import COLUMNS as INSTRUMENT_COLUMNS

        shown = [c for c in INSTRUMENT_COLUMNS if c.key not in ("ticker", "id") and not c.wide]
        print_table(profile["instruments"], shown, title="Instruments (amounts in force today)", compact=True)
    if profile.get("issuance"):
        from dattrack.cli.issuance import ISSUANCE_COLUMNS

        rows = profile["issuance"]
        shown = [c for c in ISSUANCE_COLUMNS if c.key != "ticker" and not c.wide]
        print_table(rows[-ISSUANCE_SHOWN:], shown, title=f"Share issuance{_newest(len(rows), ISSUANCE_SHOWN)}",
                    compact=True)
    print_table(profile["events"], EVENT_COLUMNS, title="Events", empty="no events recorded")


ISSUANCE_SHOWN = 20


def _newest(count: int, shown: int) -> str:
    return f" (the newest {shown} of {count}: dattrack issuance TICKER lists all)" if count > shown else ""


NOTE_STYLE = {"missing": "red", "undefined": "red", "stale": "yellow", "assumed": "cyan", "split": "magenta",
              "chosen": "green", "detail": "white"}
SECTION_HEADINGS = {"risk": "Risk (money in USD)",
                    "capital_stack": "Capital stack, most senior first: each instrument's BTC rating"}


def print_explanation(valuation, lines: list[dict], dates) -> None:
    """The figures first (value and formula), then what each rests on with numbered references,
    each caveat once, and each source once at the end."""
    out = console()
    out.print(f"[bold]{display(valuation.ticker)}[/bold] {as_of_words(dates.as_of, dates.known_on)} "
              f"(share price in {valuation.currency}; other money in USD)")
    out.print(escape_markup(inputs_line(dates)))
    sources = SourceNumbers()

    def ref(source) -> str:
        number = sources.number(source)
        return "[dim](no source)[/dim]" if number is None else f"[{number}]"

    from rich.table import Table
    from rich.text import Text

    caveats = list(dict.fromkeys((note["kind"], note["text"]) for line in lines for note in line["notes"]))
    label = {caveat: chr(ord("a") + i) if i < 26 else str(i) for i, caveat in enumerate(caveats)}
    rows, sections = [], []
    for line in lines:
        sections.append(line.get("section", "mnav"))
        kind = unit_kind(line["unit"], valuation.currency)
        marks = ",".join(label[(note["kind"], note["text"])] for note in line["notes"])
        rows.append((line["figure"], display(line["value"], kind),
                     "" if line["value"] is None else display(line["unit"]), f"({marks})" if marks else "",
                     display(line["formula"])))
    widths = [max((Text.from_markup(row[index]).cell_len for row in rows), default=0) for index in range(4)]
    formula = max((Text.from_markup(row[4]).cell_len for row in rows), default=0)
    if sum(widths) + formula + 2 * 4 > out.width:   # the table would cut formulas: a list, one figure a line
        print_figure_list(out, lines, rows, sections, ref)
        return _print_notes(out, lines, caveats, label, sources, ref, inputs=False)
    for section in dict.fromkeys(sections):  # the mNAV line, then risk, then the capital stack
        figures = Table.grid(padding=(0, 2))
        for index, justify in enumerate(("left", "right", "left", "left")):  # names, values, units, marks: never cut
            figures.add_column(no_wrap=True, justify=justify, min_width=widths[index],
                               style="bold" if index == 0 else None)
        figures.add_column(no_wrap=True, overflow="ellipsis", style="dim")
        for row, in_section in zip(rows, sections):
            if in_section == section:
                figures.add_row(*row)
        out.print()
        if section in SECTION_HEADINGS:
            out.print(f"[bold]{SECTION_HEADINGS[section]}[/bold]")
        out.print(figures)
    _print_notes(out, lines, caveats, label, sources, ref, inputs=True)


INDENT = 4  # the formula and inputs under a figure in the list view


def print_figure_list(out, lines: list[dict], rows: list[tuple], sections: list[str], ref) -> None:
    """explain on a narrow terminal: each figure on a line of its own with its value, unit and caveat
    letters, then its formula and its inputs (value, date, source number) indented below it, wrapped at
    words, never cut."""
    from rich.padding import Padding
    from rich.text import Text

    current, seen = None, set()
    for line, row, section in zip(lines, rows, sections):
        if section != current:
            current = section
            out.print()
            if section in SECTION_HEADINGS:
                out.print(Text.from_markup(f"[bold]{SECTION_HEADINGS[section]}[/bold]"))
        name, value, unit, marks, formula = row
        head = Text.from_markup(f"[bold]{name}[/bold]  {value}" + (f" {unit}" if unit else "")
                                + (f"  {marks}" if marks else ""))
        out.print(head, overflow="fold")
        below = [f"[dim]= {formula}[/dim]"] if formula else []
        inputs = "; ".join(_input_words(item, ref, seen) for item in line["inputs"])
        if inputs:
            below.append(f"from {inputs}")
        for text in below:
            out.print(Padding(Text.from_markup(text), (0, 0, 0, INDENT)), overflow="fold")


def _input_words(item: dict, ref, seen: set) -> str:
    """An input with its value, date and source number the first time it is shown; its name and source
    number after that (its value is a few lines up)."""
    key = (item["name"], str(item["value"]), item["date"], item["source"])
    stale = " [yellow](stale)[/yellow]" if item["stale"] else ""
    if key in seen:
        return f"{display(item['name'])}{stale} {ref(item['source'])}"
    seen.add(key)
    date = f" on {item['date'].isoformat()}" if item["date"] else ""
    return f"{display(item['name'])} {display(item['value'])}{date}{stale} {ref(item['source'])}"


def _print_notes(out, lines: list[dict], caveats: list, label: dict, sources, ref, *, inputs: bool) -> None:
    """What the figures rest on: each input once (unless the list view showed them under each figure),
    each caveat once, each source once. Long lines wrap under their own text, not at the margin."""
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    def hanging(lead: str, text: str) -> None:
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column(overflow="fold")
        grid.add_row(Text.from_markup(lead), Text.from_markup(text))
        out.print(Padding(grid, (0, 0, 0, 2)))

    if inputs:
        out.print("\n[bold]Inputs[/bold]")
        seen_inputs: set[tuple] = set()
        for line in lines:
            for item in line["inputs"]:
                key = (item["name"], str(item["value"]), item["date"], item["source"])
                if key in seen_inputs:
                    continue
                seen_inputs.add(key)
                stale = " [yellow](stale)[/yellow]" if item["stale"] else ""
                date = item["date"].isoformat() if item["date"] else "—"
                hanging(ref(item["source"]), f"{display(item['name'])} = {display(item['value'])} on {date}{stale}")
    if caveats:
        out.print("\n[bold]Caveats[/bold] (the letters beside the figures)")
        for kind, text in caveats:
            style = NOTE_STYLE.get(kind, "white")
            hanging(f"({label[(kind, text)]})", f"[{style}]{kind}:[/{style}] {display(text)}")
    if sources.numbers:
        out.print("\n[bold]Sources[/bold]")
        listing = Table.grid(padding=(0, 1))
        listing.add_column(no_wrap=True, justify="right")
        listing.add_column(overflow="fold")
        for text, number in sources.numbers.items():
            listing.add_row(f"[{number}]", display(text))
        out.print(listing)
