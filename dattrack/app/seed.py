"""Loading the bundled, sourced data set (data/, shipped as the package dattrack.data).

Idempotent: companies, facts and prices already present are kept as they are (a fetched price
is never overwritten by the bundled snapshot), and events already recorded are recognised. Each
row is public on its `known_on` column, or on its own date when the column is empty.
"""

from __future__ import annotations

import csv
import io
from importlib import resources

from dattrack.app.companies import add_company, find_company
from dattrack.app.events import import_events
from dattrack.app.facts import set_fact
from dattrack.numbers import parse_decimal
from dattrack.store import Store
from dattrack.store import facts as fact_rows
from dattrack.store import prices as price_rows

BUNDLED_FETCHED_AT = "bundled"


def read_bundled(name: str) -> list[dict]:
    text = resources.files("dattrack.data").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def load_seed(store: Store) -> dict[str, int]:
    """Returns how many rows of each kind were added."""
    added = {"companies": 0, "prices": 0, "facts": 0, "events": 0, "instrument amounts": 0, "issuance rows": 0}
    for row in read_bundled("companies.csv"):
        if find_company(store, row["ticker"]) is None:
            add_company(store, row["ticker"], row["name"], asset=row.get("asset") or "BTC",
                        currency=row.get("currency") or "USD", quote_symbol=row.get("quote_symbol") or None,
                        exchange=row.get("exchange") or None, kind=row.get("kind") or "treasury",
                        cik=row.get("cik") or None, note=row.get("note") or None, source=row.get("source") or None)
            added["companies"] += 1
    for row in read_bundled("prices.csv"):
        if not price_rows.exists(store, row["symbol"], row["date"]):
            price_rows.upsert(store, row["symbol"], row["date"], parse_decimal(row["price"], "price", positive=True),
                              row["currency"], row["source"], BUNDLED_FETCHED_AT, row.get("basis_date") or None)
            added["prices"] += 1
    for row in read_bundled("facts.csv"):  # a later known_on of a figure already here is a revision
        known_on = row.get("known_on") or row["date"]
        if not fact_rows.recorded(store, row["ticker"].upper(), row["name"], row["date"], row["value"], known_on):
            set_fact(store, row["ticker"], row["name"], row["value"], row["date"], row["source"], known_on=known_on,
                     estimate=row.get("estimate"))
            added["facts"] += 1
    # The events file is in `event import` format: read it the same way, recognising rows already there.
    with resources.as_file(resources.files("dattrack.data").joinpath("events.csv")) as path:
        added["events"] = import_events(store, path, origin="seed").added
    instruments = resources.files("dattrack.data").joinpath("instruments.csv")
    if instruments.is_file():  # the capital stack (SPEC 7), where the public record has it
        from dattrack.app.instruments import load_instrument_csv

        with resources.as_file(instruments) as path:
            added["instrument amounts"] = load_instrument_csv(store, path)
    issuance = resources.files("dattrack.data").joinpath("issuance.csv")
    if issuance.is_file():  # shares sold for cash (SPEC 11), from the 8-K ATM updates
        from dattrack.app.issuance import load_issuance_csv

        with resources.as_file(issuance) as path:
            added["issuance rows"] = load_issuance_csv(store, path)
    return added
