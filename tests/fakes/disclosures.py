"""Disclosure data for the fake providers, in CoinGecko's and EDGAR's shapes (PROVIDERS.md).

    strategy_transactions()  a Strategy-like weekly purchase series with one self-contradicting filing
    transaction(...)         one CoinGecko transaction_history row
    companyfacts(...)        an EDGAR companyfacts document with crypto units, cost and shares
    submissions(...)         an EDGAR submissions document (parallel arrays, newest first)
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

D = Decimal
STRATEGY_URL = "https://www.sec.gov/Archives/edgar/data/1050446/{}/form8-k.htm"
# The filing whose running total says 100 BTC more than its own purchase adds (a purchase it had
# not reported before): CoinGecko's later totals carry those 100 on, so only this one contradicts.
CONTRADICTING_DAY = "2025-10-13"
CONTRADICTING_EXTRA = D(100)


def ms(day: str) -> int:
    return int(dt.datetime.fromisoformat(day).replace(tzinfo=dt.timezone.utc).timestamp()) * 1000


def transaction(day: str, kind: str, quantity, value_usd, balance, *, coin_id: str = "bitcoin",
                source_url: str | None = "https://example.com/filing.pdf") -> dict:
    quantity = D(str(quantity))
    return {"date": ms(day), "source_url": source_url, "coin_id": coin_id, "type": kind,
            "holding_net_change": quantity if kind == "buy" else -quantity,
            "transaction_value_usd": None if value_usd is None else D(str(value_usd)),
            "holding_balance": D(str(balance)), "average_entry_value_usd": D("74000")}


def strategy_transactions(opening=D(640031), weeks: int = 12, start: str = "2025-09-01") -> list[dict]:
    """`weeks` Monday purchases from `start`, oldest first, each citing its own 8-K; the running
    balance starts from `opening` (CoinGecko's history begins later than the company's)."""
    rows, balance = [], opening
    day = dt.date.fromisoformat(start)
    for n in range(weeks):
        quantity = D(1000 + 37 * n)
        value = quantity * D(110000 + 250 * n)
        balance += quantity
        if day.isoformat() == CONTRADICTING_DAY:
            balance += CONTRADICTING_EXTRA
        accession = f"00010504462500{n:04d}"
        rows.append(transaction(day.isoformat(), "buy", quantity, value, balance,
                                source_url=STRATEGY_URL.format(accession)))
        day += dt.timedelta(days=7)
    return rows


def units_row(end: str, value, accn: str, filed: str, form: str = "10-Q") -> dict:
    return {"end": end, "val": D(str(value)), "accn": accn, "fy": 2025, "fp": "Q3", "form": form, "filed": filed}


def companyfacts(cik: int, *, units: dict[str, list[dict]] | None = None, cost: list[dict] | None = None,
                 shares: list[dict] | None = None, cash: list[dict] | None = None) -> dict:
    gaap: dict = {}
    if units:
        gaap["CryptoAssetNumberOfUnits"] = {"units": units}
    if cost:
        gaap["CryptoAssetCost"] = {"units": {"USD": cost}}
    if cash:
        gaap["CashAndCashEquivalentsAtCarryingValue"] = {"units": {"USD": cash}}
    facts: dict = {"us-gaap": gaap}
    if shares:
        facts["dei"] = {"EntityCommonStockSharesOutstanding": {"units": {"shares": shares}}}
    return {"cik": cik, "entityName": "Test", "facts": facts}


def submissions(cik: int, filings: list[tuple[str, str, str, str, str]]) -> dict:
    """filings: (accession, filed, form, items, primary document), in any order (served newest first)."""
    ordered = sorted(filings, key=lambda f: f[1], reverse=True)
    return {"cik": str(cik), "name": "Test", "tickers": [], "filings": {
        "recent": {
            "accessionNumber": [f[0] for f in ordered],
            "filingDate": [f[1] for f in ordered],
            "reportDate": [f[1] for f in ordered],
            "form": [f[2] for f in ordered],
            "items": [f[3] for f in ordered],
            "primaryDocument": [f[4] for f in ordered],
            "primaryDocDescription": [f[2] for f in ordered],
        },
        "files": []}}
