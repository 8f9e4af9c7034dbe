"""The use cases, one module per noun: load through store/, compute with the pure core
(ledger/, valuation/), return plain values for cli/ to print."""
