"""Valuation of DAT companies: pure functions over plain values (no store, no network, no printing)."""

from dattrack.valuation.company import ROW_KEYS, Valuation, value_company
from dattrack.valuation.explanation import ExplainLine, InputUsed, Note
from dattrack.valuation.inputs import CompanyInputs, Holding, Sourced, Split
from dattrack.valuation.period import btc_gain, btc_yield
from dattrack.valuation.splits import on_basis, parse_split

__all__ = ["ROW_KEYS", "CompanyInputs", "ExplainLine", "Holding", "InputUsed", "Note", "Sourced", "Split",
           "Valuation", "btc_gain", "btc_yield", "on_basis", "parse_split", "value_company"]
