"""`dattrack summary`: the headline — how much the tracked companies hold, who holds most, who sold in
the window and for how much, who bought."""

from __future__ import annotations

from typing import Annotated

import typer

from dattrack.cli.common import AsOfOption, Commands, FormatOption, KnownOnOption, day_option, opened, reading
from dattrack.render.output import (Column, Format, as_of_words, console, emit, emit_object, escape_markup,
                                   inputs_line)

TOTAL_COLUMNS = [Column("asset", "Asset"), Column("quantity", "Held", "qty"), Column("value_usd", "Value USD", "money"),
                 Column("companies", "Companies", "int")]
LEADER_COLUMNS = [Column("rank", "#", "int"), Column("ticker", "Ticker"), Column("asset", "Asset"),
                  Column("quantity", "Held", "qty"), Column("value_usd", "Value USD", "money"),
                  Column("share_pct", "Share", "pct"), Column("change_since", "Change", "qty")]
SELLER_COLUMNS = [Column("ticker", "Ticker"), Column("asset", "Asset"),
                  Column("units_sold", "Sold", "qty", flag="implied", flag_text="implied", mark="~"),
                  Column("proceeds", "Proceeds", "money"), Column("proceeds_currency", "Ccy"),
                  Column("realized_pnl", "Realized P&L", "money", flag="implied_pnl", flag_text="implied", mark="~"),
                  Column("why", "Why")]
BUYER_COLUMNS = [Column("ticker", "Ticker"), Column("asset", "Asset"), Column("units_bought", "Bought", "qty"),
                 Column("cost", "Cost", "money"), Column("cost_currency", "Ccy")]
SECTIONS = (("totals", TOTAL_COLUMNS), ("leaders", LEADER_COLUMNS), ("sellers", SELLER_COLUMNS),
            ("buyers", BUYER_COLUMNS))


commands = Commands()


@commands.command()
def summary(ctx: typer.Context,
            since: Annotated[str | None, typer.Option("--since", help="Start of the window (default: 1 January "
                                                      "of the as-of date's year).", show_default=False)] = None,
            as_of: AsOfOption = None, known_on: KnownOnOption = None, fmt: FormatOption = Format.table):
    """The headline: each asset the tracked companies hold, in total and in USD; the largest holders
    with their share and change over the window; who sold in it (units, the proceeds disclosed,
    realized P&L at average cost; units that left through a falling balance marked implied); who
    bought. --format json gives one object.

    \b
    Example:
      dattrack summary --since 2026-01-01 --as-of 2026-07-17"""
    from dattrack.app.summary import default_since, summary as headline
    from dattrack.dates import today

    end = day_option(as_of) or day_option(known_on, "--known-on") or today().isoformat()
    start = day_option(since, "--since") or default_since(end)
    with opened(ctx) as store:
        day = reading(store, None, as_of=as_of, known_on=known_on, since=start, moves=True)
        document = headline(day)
        dates = day.input_dates()
    if fmt is Format.json:
        emit_object(document)
    elif fmt is Format.csv:  # one table: each row names its section, every key of every section a column
        keys = list(dict.fromkeys(["section", *(k for name, _ in SECTIONS for row in document[name] for k in row)]))
        emit([{k: {"section": name, **row}.get(k) for k in keys} for name, _ in SECTIONS for row in document[name]],
             [], fmt)
    else:
        print_summary(document, dates)


def print_summary(document: dict, dates) -> None:
    out = console()
    window = f"since {document['since']}"
    out.print(f"[bold]Summary {as_of_words(dates.as_of, dates.known_on)}, {window}[/bold] (values in USD at "
              f"the day's prices; proceeds and costs in the company's currency)")
    reasons: dict[str, str] = {}   # each reason once, lettered, printed under the table
    sellers = []
    for row in document["sellers"]:
        why = ""
        if row["realized_pnl"] is None and row["realized_pnl_reason"]:
            why = reasons.setdefault(row["realized_pnl_reason"], f"({chr(ord('a') + len(reasons))})")
        sellers.append(dict(row, proceeds=row["proceeds"] if row["proceeds_disclosed"] else "not disclosed", why=why,
                            implied_pnl=row["implied"] and row["realized_pnl"] is not None))
    leaders = [dict(row, share_pct=None if row["share"] is None else row["share"] * 100) for row in document["leaders"]]
    sold_notes = ["Realized P&L at average cost; ~ implied: units that left through a falling balance (no sale "
                  "disclosed), their P&L valued at the close of the balance's date; proceeds: the amounts "
                  "disclosed, an estimated or rounded one not counted",
                  *(f"{letter} {text}" for text, letter in reasons.items())]
    for (name, columns), title, rows, empty, notes in (
            (SECTIONS[0], "Held by the tracked companies", document["totals"], "no holdings", []),
            (SECTIONS[1], "Largest holders (share: of the units of that asset the tracked companies hold)",
             leaders, "no holdings", [f"Change: units gained {window} (— unknown: no disclosure then)"]),
            (SECTIONS[2], f"Sellers {window}", sellers, "no sales", sold_notes),
            (SECTIONS[3], f"Buyers {window} (purchases, mining and other inflows disclosed as such)",
             document["buyers"], "no purchases", [])):
        out.print()
        emit(rows, columns, Format.table, title=title, empty=empty,
             header=inputs_line(dates) if name == "totals" else None)
        for note in notes if rows else []:
            out.print(f"[dim]{escape_markup(note)}[/dim]")
