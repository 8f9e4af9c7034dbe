"""The pure ledger: disclosed events in, positions, cost basis, realized P&L and balance checks out.

Imports nothing from store/, providers/ or cli/. Dates are ISO strings (they sort as dates and
a million of them need no parsing); quantities and money are Decimals.
"""

from dattrack.ledger.events import INFLOW_KINDS, KINDS, ORIGINS, Event
from dattrack.ledger.books import METHODS
from dattrack.ledger.replay import BalanceCheck, Position, Replay, Shortfall, replay

__all__ = ["KINDS", "ORIGINS", "INFLOW_KINDS", "METHODS", "Event", "Position", "Replay", "BalanceCheck",
           "Shortfall", "replay"]
