"""CoinGecko public-treasury disclosures: the entity list and each entity's transaction history.

`GET /entities/list?entity_type=company&per_page=250&page=N` names every tracked company with its
listing symbol ("MSTR.US"); `GET /public_treasury/{entity_id}/transaction_history?coin_ids=...`
gives its dated purchases and sales, newest first. Later pages of the history need a paid plan:
a demo key gets 401/403 there, which is not a failure, only the end of what can be had.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import httpx

from dattrack.numbers import MAX_ABS, rounded
from dattrack.providers import coingecko
from dattrack.providers.http import ProviderError, get
from dattrack.providers.parse import answer_of, shorten, utc_day

PROVIDER = coingecko.PROVIDER
ENTITIES_PER_PAGE = 250
HISTORY_PER_PAGE = 100
MAX_ENTITY_PAGES = 40          # 10,000 entities: far more than CoinGecko lists
MAX_HISTORY_PAGES = 50         # 5,000 transactions of one company: far more than any has made
PAID_PLAN_STATUSES = (401, 403)
PAID_PLAN = object()           # what _page answers for a later page the plan does not include
# An entity id goes into a URL path: one path segment of plain characters, never "." or "..".
ENTITY_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


@dataclass(frozen=True)
class Entity:
    id: str
    symbol: str        # "MSTR.US"; "" for governments
    name: str

    @property
    def ticker(self) -> str:
        return self.symbol.rpartition(".")[0] if "." in self.symbol else self.symbol


@dataclass(frozen=True)
class Transaction:
    """One purchase or sale as CoinGecko lists it (USD amounts; value None when not disclosed)."""

    date: dt.date
    coin_id: str
    kind: str                      # buy or sell
    quantity: Decimal              # |holding_net_change|, > 0
    net_change: Decimal            # signed
    value_usd: Decimal | None
    balance: Decimal               # holding_balance after it
    source_url: str | None


@dataclass(frozen=True)
class History:
    transactions: list[Transaction]   # oldest first
    complete: bool                    # False: older pages exist that this plan cannot read
    note: str | None = None


def entities(client: httpx.Client, env: Mapping[str, str]) -> list[Entity]:
    """Every company entity, page by page until a short page."""
    found: list[Entity] = []
    seen: set[tuple] = set()
    for page in range(1, MAX_ENTITY_PAGES + 1):
        payload = coingecko.get_json(client, env, "/entities/list",
                                     {"entity_type": "company", "per_page": ENTITIES_PER_PAGE, "page": page})
        if not isinstance(payload, list):
            raise ProviderError(PROVIDER, "/entities/list did not answer with a list")
        entries = [Entity(entry["id"], str(entry.get("symbol") or "").strip().upper(), str(entry.get("name") or ""))
                   for entry in payload  # an entry that is not a company with a usable id is left out
                   if isinstance(entry, dict) and isinstance(entry.get("id"), str) and ENTITY_ID.match(entry["id"])]
        if tuple(entries) in seen:  # a page that repeats: the list does not advance
            break
        seen.add(tuple(entries))
        found.extend(entries)
        if len(payload) < ENTITIES_PER_PAGE:
            break
    return found


def match_entity(found: Iterable[Entity], ticker: str, quote_symbol: str | None = None) -> Entity | None:
    """The entity whose symbol is the company's quote symbol (3350.T) or its ticker on some exchange
    (MSTR.US); None when there is none or more than one candidate."""
    ticker, quote_symbol = ticker.upper(), (quote_symbol or "").upper()
    exact = [e for e in found if e.symbol and e.symbol == quote_symbol]
    if len(exact) == 1:
        return exact[0]
    by_ticker = [e for e in found if e.symbol and e.ticker == ticker]
    if len(by_ticker) > 1:  # the same ticker on several exchanges: prefer the US listing
        by_ticker = [e for e in by_ticker if e.symbol == f"{ticker}.US"]
    return by_ticker[0] if len(by_ticker) == 1 else None


def transaction_history(client: httpx.Client, env: Mapping[str, str], entity_id: str, coin_ids: Iterable[str],
                        *, older_than: dt.date | None = None) -> History:
    """The entity's transactions in these coins, oldest first. Page 1 always; further pages only
    while a full page may hide transactions after `older_than` (None: all history is wanted)."""
    path = f"/public_treasury/{quote(entity_id, safe='')}/transaction_history"
    params = {"coin_ids": ",".join(sorted(set(coin_ids))), "per_page": HISTORY_PER_PAGE}
    transactions: list[Transaction] = []
    seen: dict[tuple, int] = {}   # each page's transactions -> its number: a page that repeats ends the walk
    for page in range(1, MAX_HISTORY_PAGES + 1):
        payload = _page(client, env, path, {**params, "page": page}, entity_id)
        if payload is PAID_PLAN:  # a later page that the plan does not include
            return History(_chronological(transactions), False,
                           f"older CoinGecko transactions (page {page}) need a paid plan")
        rows = payload.get("transactions") if isinstance(payload, dict) else None
        if not isinstance(rows, list):
            raise ProviderError(PROVIDER, f"transaction_history of {entity_id!r} answered "
                                          f"{shorten(repr(payload), 60)} instead of a transactions list")
        with answer_of(PROVIDER, f"transaction_history of {entity_id!r}"):
            batch = [_transaction(row, entity_id) for row in rows]
        fingerprint = tuple(batch)
        if page > 1 and fingerprint in seen:  # CoinGecko ignored `page`: what follows would repeat for ever
            return History(_chronological(transactions), False,
                           f"CoinGecko's page {page} repeats page {seen[fingerprint]}: older transactions not read")
        seen[fingerprint] = page
        transactions.extend(batch)
        oldest = min((t.date for t in batch), default=None)
        if len(rows) < HISTORY_PER_PAGE or (older_than is not None and oldest is not None and oldest <= older_than):
            return History(_chronological(transactions), True)
    return History(_chronological(transactions), False,
                   f"stopped after {MAX_HISTORY_PAGES} pages of CoinGecko transactions: older ones not read")


def _chronological(newest_first: list[Transaction]) -> list[Transaction]:
    """Oldest first; transactions of one day in the reverse of CoinGecko's (newest-first) order."""
    return [t for _, t in sorted(enumerate(newest_first), key=lambda item: (item[1].date, -item[0]))]


def _page(client: httpx.Client, env: Mapping[str, str], path: str, params: dict, entity_id: str) -> Any:
    base, headers = coingecko.settings(env)
    response = get(client, f"{base}{path}", provider=PROVIDER, params=params, headers=headers)
    if params["page"] > 1 and response.status_code in PAID_PLAN_STATUSES:
        return PAID_PLAN
    if response.status_code == 404:
        raise ProviderError(PROVIDER, f"entity {entity_id!r} not found (HTTP 404): check its coingecko_id "
                                      f"(dattrack company set TICKER --coingecko-id ID)")
    return coingecko.payload(response)


def _transaction(row: Any, entity_id: str) -> Transaction:
    def bad(why: str) -> ProviderError:
        return ProviderError(PROVIDER, f"transaction_history of {entity_id!r}: {why} in {shorten(repr(row), 120)}")

    if not isinstance(row, dict):
        raise bad("a transaction that is not an object")
    stamp = row.get("date")
    if isinstance(stamp, bool) or not isinstance(stamp, (int, Decimal)):
        raise bad("no date")
    day = utc_day(int(stamp) // 1000, PROVIDER)  # milliseconds; a stamp outside 1970-2200 is refused there
    net = _number(row.get("holding_net_change"), bad, "holding_net_change")
    balance = _number(row.get("holding_balance"), bad, "holding_balance")
    kind = row.get("type")
    if kind not in ("buy", "sell") or net == 0 or (net > 0) != (kind == "buy"):
        raise bad(f"type {kind!r} does not match holding_net_change {net}")
    if balance < 0:
        raise bad("a negative holding_balance")
    value = row.get("transaction_value_usd")
    value = None if value is None else _number(value, bad, "transaction_value_usd")
    if value is not None and value <= 0:
        value = None  # a zero value is "not disclosed", never a free purchase
    source = row.get("source_url")
    return Transaction(day, str(row.get("coin_id") or ""), kind, abs(net), net, value, balance,
                       source.strip() if isinstance(source, str) and source.strip() else None)


def _number(value: Any, bad, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise bad(f"{what} is not a number")
    number = Decimal(value)
    if not number.is_finite() or abs(number) > MAX_ABS:
        raise bad(f"{what} {number} is out of range")
    return rounded(number)
