"""`dattrack company add|set|list|show|rm`."""

from __future__ import annotations

from typing import Annotated

import typer

from dattrack.cli.common import Commands, FormatOption, opened
from dattrack.render.output import Column, Format, emit, print_line

commands = Commands("company", help="Add, change, list, show and remove companies.")

COLUMNS = [Column("ticker", "Ticker"), Column("name", "Name"), Column("asset", "Asset"),
           Column("currency", "Ccy"), Column("quote_symbol", "Quote"), Column("exchange", "Exchange", wide=True),
           Column("kind", "Kind"), Column("cik", "CIK", wide=True)]
LIST_KEYS = ("ticker", "name", "asset", "currency", "quote_symbol", "exchange", "kind", "cik")


@commands.command("add")
def add(ctx: typer.Context,
        ticker: str,
        name: Annotated[str, typer.Option("--name", help="Company name.")],
        asset: Annotated[str, typer.Option("--asset", help="Primary asset held.")] = "BTC",
        currency: Annotated[str, typer.Option("--currency", help="Currency of its disclosures and share price.")] = "USD",
        quote_symbol: Annotated[str | None, typer.Option("--quote-symbol", help="Symbol the stock-price provider knows (default: the ticker).")] = None,
        kind: Annotated[str, typer.Option("--kind", help="treasury, miner or other.")] = "treasury",
        exchange: Annotated[str | None, typer.Option("--exchange")] = None,
        cik: Annotated[str | None, typer.Option("--cik", help="SEC CIK number.")] = None,
        note: Annotated[str | None, typer.Option("--note")] = None,
        source: Annotated[str | None, typer.Option("--source")] = None,
        coingecko_id: Annotated[str | None, typer.Option("--coingecko-id", help="Its CoinGecko treasury entity id (e.g. strategy).")] = None):
    """Add a company.

    \b
    Example:
      dattrack company add MSTR --name Strategy --kind treasury --cik 1050446 --coingecko-id strategy"""
    from dattrack.app.companies import add_company

    with opened(ctx, create=True) as store, store.write():
        company = add_company(store, ticker, name, asset=asset, currency=currency, quote_symbol=quote_symbol,
                              exchange=exchange, kind=kind, cik=cik, note=note, source=source,
                              coingecko_id=coingecko_id)
    print_line(f"added {company['ticker']} ({company['name']})")


@commands.command("set")
def set_(ctx: typer.Context, ticker: str,
         name: Annotated[str | None, typer.Option("--name")] = None,
         quote_symbol: Annotated[str | None, typer.Option("--quote-symbol")] = None,
         exchange: Annotated[str | None, typer.Option("--exchange", help="'' clears it.")] = None,
         kind: Annotated[str | None, typer.Option("--kind", help="treasury, miner or other.")] = None,
         cik: Annotated[str | None, typer.Option("--cik", help="SEC CIK number ('' clears it).")] = None,
         coingecko_id: Annotated[str | None, typer.Option("--coingecko-id", help="CoinGecko treasury entity id ('' clears it).")] = None,
         note: Annotated[str | None, typer.Option("--note", help="'' clears it.")] = None):
    """Change fields of a company.

    \b
    Example:
      dattrack company set MSTR --coingecko-id strategy"""
    from dattrack.app.companies import set_company

    with opened(ctx, create=True) as store, store.write():
        company = set_company(store, ticker, {"name": name, "quote_symbol": quote_symbol, "exchange": exchange,
                                              "kind": kind, "cik": cik, "coingecko_id": coingecko_id, "note": note})
    print_line(f"updated {company['ticker']} ({company['name']})")


@commands.command("list", listing=True)
def list_(ctx: typer.Context, fmt: FormatOption = Format.table):
    """List companies (keys ticker, name, asset, currency, quote_symbol, exchange, kind, cik).

    \b
    Example:
      dattrack company list --format csv"""
    from dattrack.app.companies import company_list

    with opened(ctx) as store:
        rows = [{k: c[k] for k in LIST_KEYS} for c in company_list(store)]
    emit(rows, COLUMNS, fmt, empty="no companies yet: dattrack company add TICKER --name NAME")


@commands.command("show")
def show(ctx: typer.Context, ticker: str, fmt: FormatOption = Format.table):
    """One company with its position, facts and events.

    \b
    Example:
      dattrack company show CANG"""
    from dattrack.app.profile import company_profile

    with opened(ctx) as store:
        profile = company_profile(store, ticker)
    if fmt is Format.table:
        from dattrack.cli.views import print_profile

        print_profile(profile)
    elif fmt is Format.json:
        emit([profile], COLUMNS, fmt)
    else:  # CSV is flat: the company's own fields
        emit([{k: profile[k] for k in LIST_KEYS}], COLUMNS, fmt)


@commands.command("rm")
def rm(ctx: typer.Context, ticker: str,
       force: Annotated[bool, typer.Option("--force", help="Also remove its events and facts.")] = False):
    """Remove a company (refused while it has events, unless --force).

    \b
    Example:
      dattrack company rm TEST --force"""
    from dattrack.app.companies import remove_company

    with opened(ctx, create=True) as store, store.write():
        remove_company(store, ticker, force=force)
    print_line(f"removed {ticker.upper()}")
