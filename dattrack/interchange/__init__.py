"""Moving a whole database in and out: the export document, its import, and outside lists
(CoinGecko's public treasuries) recorded as balances."""
