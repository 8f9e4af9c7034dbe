"""CoinGecko's public-treasury transaction history as a disclosure source (SPEC 6).

Each purchase or sale becomes a buy or sell of the units it moved, dated on its UTC day, public on
that day (CoinGecko gives nothing later), its USD value converted by the sync core; its running
total becomes a balance of the same day (only the day's last total: the position at its end); the
position before the first transaction listed is an empty book's opening balance. A company without
a `coingecko_id` is looked up once in the entity list by its ticker or quote symbol.
"""

from __future__ import annotations

import dataclasses
import threading

from dattrack.app.sources import Batch, Run, Wanted, register_source
from dattrack.ledger.disclosures import NEAR_DAYS, Candidate, Disclosure, opening_before
from dattrack.store import companies as company_rows

ORIGIN = "coingecko"


@register_source
class CoinGeckoTreasury:
    name = "coingecko"
    provider = "coingecko"

    def prepare(self, run: Run) -> bool:
        self.http, self.env = run.http, run.env
        self.coin_ids = {asset: coin for asset, coin in company_rows.coingecko_ids(run.store).items() if coin}
        self.assets = {coin: asset for asset, coin in self.coin_ids.items()}
        self._entities = None
        self._entities_error = None   # the ProviderError of the one try at the list (Unreachable keeps its host)
        self._lock = threading.Lock()
        return True

    def fetch(self, company: dict, wanted: Wanted) -> Batch:
        from dattrack.providers import treasury

        batch = Batch()
        ticker = company["ticker"]
        entity_id = company.get("coingecko_id")
        if not entity_id:
            entity = treasury.match_entity(self._entity_list(), ticker, company.get("quote_symbol"))
            if entity is None:
                batch.notes.append(f"not on CoinGecko's treasury list (no entity with symbol {ticker}.*); set it "
                                   f"with dattrack company set {ticker} --coingecko-id ID")
                return batch
            entity_id = batch.ids["coingecko_id"] = entity.id
        coins = sorted(self.coin_ids[a] for a in wanted.assets if a in self.coin_ids)
        if not coins:
            batch.notes.append(f"no CoinGecko coin id for {', '.join(sorted(wanted.assets))}")
            return batch
        history = treasury.transaction_history(self.http, self.env, entity_id, coins, older_than=wanted.oldest)
        if history.note:
            batch.notes.append(history.note)
        batch.records.extend(self._candidates(ticker, history.transactions))
        return batch

    def _candidates(self, ticker: str, transactions) -> list[Candidate]:
        """One candidate per transaction (oldest first) with its running balance; of one day's
        transactions only the last keeps its running total."""
        found: list[Candidate] = []
        last_of_day: dict[tuple[str, str], int] = {}
        for tx in transactions:
            asset = self.assets.get(tx.coin_id)
            if asset is None:
                continue
            day = tx.date.isoformat()
            event = Disclosure(ticker, asset, day, tx.kind, tx.quantity, None, tx.source_url, ORIGIN, known_on=day,
                               note="CoinGecko treasury transaction")
            running = Disclosure(ticker, asset, day, "balance", tx.balance, None, tx.source_url, ORIGIN, known_on=day,
                                 note="CoinGecko running balance")
            opening = opening_before(event, tx.balance - tx.net_change,
                                     "opening balance: CoinGecko's running total before its first listed transaction")
            earlier = last_of_day.get((asset, day))
            if earlier is not None:   # only the day's last running total is the position at its end
                found[earlier] = dataclasses.replace(found[earlier], running=None)
            last_of_day[(asset, day)] = len(found)
            found.append(Candidate(event, running=running, opening=opening, near_days=NEAR_DAYS,
                                   stated=tx.value_usd, currency="USD",
                                   remark=None if tx.value_usd is not None else "value not disclosed: cost unknown"))
        return found

    def _entity_list(self):
        """CoinGecko's entity list, fetched once per run whichever thread asks first."""
        from dattrack.providers import treasury
        from dattrack.providers.http import ProviderError

        with self._lock:
            if self._entities is None and self._entities_error is None:
                try:
                    self._entities = treasury.entities(self.http, self.env)
                except ProviderError as exc:
                    self._entities_error = exc
            if self._entities_error is not None:
                raise self._entities_error
            return self._entities
