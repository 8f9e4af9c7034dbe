"""The crypto assets dattrack knows: symbol, ids at the price providers, and the words documents use
for them. The kernel: the store seeds its `assets` table from here, the document reader reads
these names and symbols. CoinGecko ids checked against CoinGecko's coin list; a Coinbase base
or Kraken pair only where that exchange trades the asset against USD (None otherwise)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Asset:
    symbol: str                   # dattrack's symbol, as tickers and documents write it
    coingecko_id: str
    coinbase_base: str | None     # Coinbase product base (BASE-USD)
    kraken_pair: str | None       # Kraken pair against USD
    names: tuple[str, ...]        # the words documents use, lower case, singular and plural
    symbols: tuple[str, ...] = ()  # further symbols documents use for it (exact case)

    @property
    def row(self) -> tuple[str, str, str | None, str | None]:
        """The row of the store's `assets` table: symbol, CoinGecko id, Coinbase base, Kraken pair."""
        return (self.symbol, self.coingecko_id, self.coinbase_base, self.kraken_pair)


ASSETS: tuple[Asset, ...] = (
    Asset("BTC", "bitcoin", "BTC", "XBTUSD", ("bitcoin", "bitcoins"), ("XBT",)),
    Asset("ETH", "ethereum", "ETH", "ETHUSD", ("ether", "ethers", "ethereum")),
    Asset("SOL", "solana", "SOL", "SOLUSD", ("solana",)),
    Asset("XRP", "ripple", "XRP", "XRPUSD", ("xrp",)),
    Asset("BNB", "binancecoin", None, "BNBUSD", ("bnb",)),
    Asset("DOGE", "dogecoin", "DOGE", "XDGUSD", ("dogecoin", "dogecoins")),
    Asset("TRX", "tron", None, "TRXUSD", ("tron",)),
    Asset("TON", "the-open-network", None, "TONUSD", ("toncoin", "toncoins")),
    Asset("HYPE", "hyperliquid", None, None, ("hyperliquid",)),
    Asset("LTC", "litecoin", "LTC", "LTCUSD", ("litecoin", "litecoins")),
    Asset("SUI", "sui", None, "SUIUSD", ()),
    Asset("AVAX", "avalanche-2", "AVAX", "AVAXUSD", ("avalanche",)),
    Asset("ENA", "ethena", None, "ENAUSD", ("ethena",)),
    Asset("WLD", "worldcoin-wld", None, "WLDUSD", ("worldcoin",)),
    Asset("LINK", "chainlink", "LINK", "LINKUSD", ("chainlink",)),
)
BY_SYMBOL = {asset.symbol: asset for asset in ASSETS}


def asset_named(word: str) -> str | None:
    """The symbol a document's word stands for: a symbol in capitals ("BTC", "XBT") or a name in any
    case ("Bitcoins", "ether"); None for a word that names no known asset ("link", "sui" in lower
    case are words, not assets)."""
    for asset in ASSETS:
        if word == asset.symbol or word in asset.symbols or word.lower() in asset.names:
            return asset.symbol
    return None
