"""SQL views for reading the database with other tools (`sqlite-utils query`, `datasette`).

Numbers stay TEXT exactly as stored, so those tools show the digits the CLI prints. A view never
multiplies or divides: SQLite would do it in binary floats. That is why `current_holdings` has no
`value_usd`: it carries both exact factors (quantity and the asset's price), and the exact
product is `dattrack holdings`' `value_usd`.
"""

from __future__ import annotations

from sqlite_utils import Database

CURRENT_HOLDINGS = """
CREATE VIEW current_holdings AS
SELECT p.ticker, p.asset, p.quantity, p.cost_basis, p.cost_complete, c.currency,
       q.price, q.currency AS price_currency, q.date AS price_date
FROM positions p
JOIN companies c ON c.ticker = p.ticker
LEFT JOIN prices q ON q.symbol = p.asset
    AND q.date = (SELECT max(date) FROM prices r WHERE r.symbol = p.asset)
ORDER BY p.ticker, p.asset
"""

# One row per company and asset of each company's most recent snapshot date.
LATEST_SNAPSHOT = """
CREATE VIEW latest_snapshot AS
SELECT s.* FROM snapshots s
WHERE s.date = (SELECT max(t.date) FROM snapshots t WHERE t.ticker = s.ticker)
ORDER BY s.ticker, s.asset
"""

# mNAV is a company figure repeated on each of its asset rows: one row per company.
LATEST_MNAV = """
CREATE VIEW latest_mnav AS
SELECT DISTINCT ticker, date, currency, share_price, shares_basic, market_cap, nav, mnav, ev_mnav
FROM latest_snapshot
ORDER BY ticker
"""

# m004: with the inputs' age, so a reader sees which figures rest on stale prices.
LATEST_MNAV_V2 = """
CREATE VIEW latest_mnav AS
SELECT ticker, date, currency, share_price, shares_basic, market_cap, nav, mnav, ev_mnav,
       share_price_date, shares_basic_date, fx_date, min(inputs_date) AS inputs_date, max(stale) AS stale
FROM latest_snapshot
GROUP BY ticker, date
ORDER BY ticker
"""


def create_views(db: Database) -> None:
    """One statement at a time (executescript would commit the migration's transaction)."""
    for view in (CURRENT_HOLDINGS, LATEST_SNAPSHOT, LATEST_MNAV):
        db.execute(view)
