"""The names of the migrations in schema.py, kept light so opening a current database
does not import sqlite_utils. tests/store/test_schema.py checks the two agree."""

MIGRATION_NAMES = ("m001_ledger", "m002_snapshots", "m003_views", "m004_snapshot_honesty", "m005_lots",
                   "m006_provenance", "m007_capital_stack", "m009_filings")
