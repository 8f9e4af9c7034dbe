"""CoinGecko's list of listed companies holding a coin: a way to start tracking them.

`GET /companies/public_treasury/{coin_id}` has no dates: holdings as of now. Companies are
matched by ticker (or by a quote symbol equal to CoinGecko's, e.g. 3350.T) and added when
missing; a company whose book has no events yet gets the figure as a balance dated the day of
the fetch (origin `treasury-list`). A book that has events is never written: an undated figure
never overrides a dated disclosure (an older list once turned 738,731 BTC into 640,031); where
the figures differ, the report says so, so the user can look for the missing disclosure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import quote

import httpx

from dattrack.errors import BadInput
from dattrack.numbers import MAX_ABS, rounded, to_text
from dattrack.providers import coingecko
from dattrack.providers.http import ProviderError
from dattrack.providers.parse import shorten
from dattrack.app.books import positions
from dattrack.app.companies import add_company, company_list
from dattrack.app.events import EventInput, record_events
from dattrack.app.inputs import check_symbol, check_ticker
from dattrack.store import Store
from dattrack.store import companies as company_rows

SOURCE = "CoinGecko public_treasury"
# CoinGecko's exchange suffix ("MSTR.US") -> the currency of that market's listings.
EXCHANGE_CURRENCIES = {
    "US": "USD", "T": "JPY", "HK": "HKD", "L": "GBP", "DE": "EUR", "F": "EUR", "PA": "EUR", "AS": "EUR",
    "TO": "CAD", "V": "CAD", "CN": "CAD", "NE": "CAD", "AX": "AUD", "SW": "CHF", "ST": "SEK", "KS": "KRW",
    "KQ": "KRW", "SI": "SGD", "BR": "BRL", "SA": "BRL",
}


@dataclass(frozen=True)
class TreasuryHolding:
    name: str
    symbol: str                         # as CoinGecko writes it: MSTR.US
    quantity: Decimal
    entry_value_usd: Decimal | None     # None: unknown (CoinGecko sends 0)

    @property
    def ticker(self) -> str:
        return self.symbol.rpartition(".")[0] or self.symbol

    @property
    def exchange(self) -> str | None:
        return self.symbol.rpartition(".")[2] if "." in self.symbol else None


@dataclass
class TreasuryImport:
    coin: str
    day: str
    listed: int
    added: list[str] = field(default_factory=list)
    recorded: int = 0
    already: int = 0
    skipped: list[str] = field(default_factory=list)
    differs: list[str] = field(default_factory=list)   # "TICKER: differs from the ledger: CoinGecko X, ledger Y"


def import_public_treasury(store: Store, coin: str, *, client: httpx.Client, env: Mapping[str, str],
                           day: str) -> TreasuryImport:
    """Fetch the coin's list (no transaction held meanwhile), then record it in one write."""
    coin = check_symbol(coin, "coin")
    ids = company_rows.coingecko_ids(store)
    coin_id = ids.get(coin)
    if not coin_id:
        raise BadInput(f"no CoinGecko id for {coin}: the known coins are "
                       + ", ".join(symbol for symbol, known in ids.items() if known))
    from dattrack.providers.http import run_bound

    with run_bound():
        holdings, problems = fetch_public_treasury(client, env, coin_id)
    with store.write():
        report = record_treasury(store, coin, holdings, day)
    report.skipped[:0] = problems
    return report


def fetch_public_treasury(client: httpx.Client, env: Mapping[str, str], coin_id: str) -> tuple[list[TreasuryHolding], list[str]]:
    """The listed holdings, and a line for each entry too malformed to use."""
    payload = coingecko.get_json(client, env, f"/companies/public_treasury/{quote(coin_id, safe='')}")
    entries = payload.get("companies") if isinstance(payload, dict) else None
    if not isinstance(entries, list):
        raise ProviderError(coingecko.PROVIDER, f"public_treasury for {coin_id!r} has no companies list")
    holdings, problems = [], []
    for entry in entries:
        try:
            holdings.append(_holding(entry))
        except ValueError as exc:
            problems.append(f"CoinGecko entry {shorten(repr(entry), 80)}: {exc}")
    return holdings, problems


def _holding(entry) -> TreasuryHolding:
    if not isinstance(entry, dict):
        raise ValueError("not an object")
    name, symbol = entry.get("name"), entry.get("symbol")
    if not isinstance(name, str) or not name.strip() or not isinstance(symbol, str) or not symbol.strip():
        raise ValueError("no name or symbol")
    entry_value = _amount(entry.get("total_entry_value_usd"), "total_entry_value_usd", required=False)
    return TreasuryHolding(name.strip(), symbol.strip().upper(), _amount(entry.get("total_holdings"), "total_holdings"),
                           entry_value or None)


def _amount(value, what: str, *, required: bool = True) -> Decimal | None:
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise ValueError(f"{what} is not a number")
    number = Decimal(value)
    if not number.is_finite() or number < 0 or number > MAX_ABS:
        raise ValueError(f"{what} {number} is out of range")
    return rounded(number)


def record_treasury(store: Store, coin: str, holdings: list[TreasuryHolding], day: str) -> TreasuryImport:
    """Inside the caller's write transaction: missing companies, then the day's balances."""
    report = TreasuryImport(coin, day, len(holdings))
    source = f"{SOURCE} {day}"
    companies = company_list(store)
    entries, planned = [], set()
    for holding in holdings:
        company = _company(store, companies, holding, coin, source, report)
        if company is None:
            continue
        if company["ticker"] in planned:
            report.skipped.append(f"{holding.symbol} ({holding.name}): {company['ticker']} is listed twice")
            continue
        planned.add(company["ticker"])
        held = positions(store, [company["ticker"]]).get((company["ticker"], coin))
        if held is not None:  # the book has dated disclosures: an undated figure never overrides them
            if held.quantity == holding.quantity:
                report.already += 1
            else:
                report.differs.append(f"{company['ticker']}: differs from the ledger: CoinGecko "
                                      f"{to_text(holding.quantity)}, ledger {to_text(held.quantity)}")
            continue
        cost = holding.entry_value_usd if company["currency"] == "USD" else None  # the entry value is in USD
        entries.append((len(entries) + 1, EventInput(
            ticker=company["ticker"], kind="balance", quantity=to_text(holding.quantity), date=day, asset=coin,
            total=None if cost is None else to_text(cost), source=source,
            note=f"CoinGecko: {holding.name} ({holding.symbol})")))
    report.recorded = record_events(store, entries, origin="treasury-list").added
    return report


def _company(store: Store, companies: list[dict], holding: TreasuryHolding, coin: str, source: str,
             report: TreasuryImport) -> dict | None:
    """The tracked company for a CoinGecko symbol, added when missing (None: skipped, with the reason)."""
    for company in sorted(companies, key=lambda c: c["ticker"] != holding.ticker):
        if company["ticker"] == holding.ticker or company["quote_symbol"] == holding.symbol:
            return company
    exchange = holding.exchange or "US"
    currency = EXCHANGE_CURRENCIES.get(exchange)
    if currency is None:
        report.skipped.append(f"{holding.symbol} ({holding.name}): unknown exchange {exchange!r}, so unknown "
                              f"currency; add it with dattrack company add first")
        return None
    try:
        ticker = check_ticker(holding.ticker)
    except BadInput as exc:
        report.skipped.append(f"{holding.symbol} ({holding.name}): {exc}")
        return None
    company = add_company(store, ticker, holding.name, asset=coin, currency=currency,
                          quote_symbol=ticker if exchange == "US" else holding.symbol, exchange=exchange,
                          kind="treasury", note=f"CoinGecko symbol {holding.symbol}", source=source)
    companies.append(company)
    report.added.append(ticker)
    return company
