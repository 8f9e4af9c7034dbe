"""dattrack: a sourced ledger and valuation tracker for digital asset treasury companies."""

__version__ = "0.1.0"
