"""Helpers for interchange tests: a database's full state, and export documents written by hand."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path


def dump(path: Path) -> str:
    """Every table's rows, to show that a refused import wrote nothing."""
    conn = sqlite3.connect(path)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def write_document(path: Path, **tables) -> Path:
    path.write_text(json.dumps({"format": "dattrack-export", "version": 1, **tables}), encoding="utf-8")
    return path


def company(ticker: str, **fields) -> dict:
    return {"ticker": ticker, "name": f"{ticker} Corp", "currency": "USD", "quote_symbol": ticker,
            "kind": "treasury", "asset": "BTC", **fields}


def event(event_id: int, ticker: str, date: str, kind: str, quantity, amount=None, **fields) -> dict:
    return {"id": event_id, "ticker": ticker, "date": date, "asset": "BTC", "kind": kind,
            "quantity": quantity, "amount": amount, **fields}
