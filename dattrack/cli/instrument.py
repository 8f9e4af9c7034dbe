"""`dattrack instrument add|set|list`: the capital stack, one debt or preferred claim at a time."""

from __future__ import annotations

from typing import Annotated

import typer

from dattrack.cli.common import Commands, AsOfOption, KnownOnOption, FormatOption, day_option, opened
from dattrack.dates import today
from dattrack.render.output import Column, Format, as_of_words, emit, print_line

COLUMNS = [Column("id", "Id", "int"), Column("ticker", "Ticker"), Column("name", "Name"), Column("kind", "Kind"),
           Column("outstanding", "Outstanding", "money"), Column("currency", "Ccy"),
           Column("outstanding_date", "As of", "date"), Column("rate", "Rate", "qty"),
           Column("maturity", "Maturity", "date", wide=True), Column("conversion_price", "Conv. price", "money", wide=True),
           Column("seniority", "Rank", "int"), Column("collateral", "Collateral", "qty", wide=True),
           Column("collateral_asset", "Asset", wide=True), Column("margin_ltv", "Margin LTV", "qty", wide=True),
           Column("liquidation_ltv", "Liq. LTV", "qty", wide=True), Column("source", "Source", wide=True)]

Amount = Annotated[str, typer.Option("--outstanding", help="Amount outstanding on --date, in the instrument's currency (0 = gone).")]
Date = Annotated[str, typer.Option("--date", help="The date the amount is as of (YYYY-MM-DD).")]
Collateral = Annotated[str | None, typer.Option("--collateral", help="Crypto-backed loans: units pledged.")]
Source = Annotated[str | None, typer.Option("--source", help="URL or citation.")]
KnownOn = Annotated[str | None, typer.Option("--known-on", help="The day the amount became public (default today; not before --date).")]


commands = Commands("instrument", help="The capital stack: loans, notes, convertibles, preferreds.")


@commands.command("add")
def add(ctx: typer.Context, ticker: str,
        name: Annotated[str, typer.Argument(help="A name unique within the company, e.g. \"2030 convertible notes\".")],
        kind: Annotated[str, typer.Option("--kind", help="loan, note, convertible or preferred.")],
        outstanding: Amount, date: Date,
        currency: Annotated[str | None, typer.Option("--currency", help="Default: the company's.")] = None,
        rate: Annotated[str | None, typer.Option("--rate", help="Annual interest or dividend, a fraction (0.08 = 8%).")] = None,
        maturity: Annotated[str | None, typer.Option("--maturity", help="Maturity date (YYYY-MM-DD).")] = None,
        conversion_price: Annotated[str | None, typer.Option("--conversion-price", help="Convertibles and preferreds: price per share, in the instrument's currency.")] = None,
        seniority: Annotated[str | None, typer.Option("--seniority", help="1 = most senior (default loan 1, note 2, convertible 3, preferred 4).")] = None,
        collateral: Collateral = None,
        collateral_asset: Annotated[str | None, typer.Option("--collateral-asset", help="Default: the company's primary asset.")] = None,
        margin_ltv: Annotated[str | None, typer.Option("--margin-ltv", help="LTV (a fraction) that triggers a margin call.")] = None,
        liquidation_ltv: Annotated[str | None, typer.Option("--liquidation-ltv", help="LTV (a fraction) at which the collateral is sold.")] = None,
        source: Source = None, known_on: KnownOn = None):
    """Add a loan, note, convertible or preferred with its first outstanding amount; prints its id.

    \b
    Example:
      dattrack instrument add CANG "BTC loan" --kind loan --outstanding 100000000 --date 2025-06-30 --collateral 2000 --margin-ltv 0.7 --liquidation-ltv 0.8"""
    from dattrack.app.instruments import add_instrument

    with opened(ctx, create=True) as store, store.write():
        instrument_id = add_instrument(
            store, ticker, name, kind=kind, outstanding=outstanding, date=date, currency=currency, rate=rate,
            maturity=maturity, conversion_price=conversion_price, seniority=seniority, collateral=collateral,
            collateral_asset=collateral_asset, margin_ltv=margin_ltv, liquidation_ltv=liquidation_ltv,
            source=source, known_on=known_on)
    print_line(str(instrument_id))


@commands.command("set")
def set_(ctx: typer.Context, instrument_id: Annotated[str, typer.Argument(metavar="ID", help="The instrument's id.")],
         outstanding: Amount, date: Date, collateral: Collateral = None, source: Source = None,
         known_on: KnownOn = None):
    """A new dated outstanding amount: a repayment, a draw, a conversion (0 = gone).

    \b
    Example:
      dattrack instrument set 1 --outstanding 40000000 --date 2025-11-30 --source "6-K" """
    from dattrack.app.instruments import set_amount

    with opened(ctx, create=True) as store, store.write():
        instrument = set_amount(store, instrument_id, outstanding=outstanding, date=date, collateral=collateral,
                                source=source, known_on=known_on)
    print_line(f"{instrument['ticker']} {instrument['name']}: {instrument['outstanding']} "
               f"{instrument['currency']} outstanding as of {instrument['date']}")


@commands.command("list", listing=True)
def list_(ctx: typer.Context, ticker: Annotated[str | None, typer.Argument(help="One company (default: all).")] = None,
          as_of: AsOfOption = None, known_on: KnownOnOption = None, fmt: FormatOption = Format.table):
    """Instruments with the amount in force on a date (as known on --known-on).

    \b
    Example:
      dattrack instrument list MSTR --as-of 2025-12-31"""
    from dattrack.app.instruments import list_instruments

    known = day_option(known_on, "--known-on")
    day = day_option(as_of) or known or today().isoformat()
    with opened(ctx) as store:
        rows = list_instruments(store, ticker, day, known)
    emit(rows, COLUMNS, fmt, title=f"Instruments {as_of_words(day, known)}",
         empty="no instruments: dattrack instrument add TICKER NAME --kind K --outstanding P --date D")
