"""`dattrack inbox`: what was read from documents but not recorded (SPEC 9), with its quote, its
document and why; `accept` records an item (origin `filing`), `reject` keeps it out for good (the
item stays, rejected, so reading the same document again does not bring it back)."""

from __future__ import annotations

from dattrack.app.findings import disclosure
from dattrack.app.inputs import row_id
from dattrack.dates import now_stamp
from dattrack.errors import BadInput
from dattrack.ledger.findings import Finding
from dattrack.numbers import to_text
from dattrack.store import Store
from dattrack.store import events as event_rows
from dattrack.store import facts as fact_rows
from dattrack.store import inbox as inbox_rows

ROW_KEYS = ("id", "ticker", "kind", "asset", "quantity", "amount", "date", "quote", "document", "reason")


def inbox(store: Store, tickers: list[str] | None = None) -> list[dict]:
    from dattrack.app.companies import require_company

    for ticker in tickers or []:
        require_company(store, ticker)
    return [{key: item[key] for key in ROW_KEYS} for item in inbox_rows.pending(store, tickers)]


def accept(store: Store, ids: list[str]) -> list[str]:
    """Record each item (inside the caller's transaction): one line per item for the user."""
    from dattrack.app.companies import require_company
    from dattrack.app.sync import write_disclosures

    items = _pending_items(store, ids)
    stamp = now_stamp()
    lines = []
    for item in items:
        company = require_company(store, item["ticker"])
        if item["kind"] == "fact":
            if item["name"] is None or item["value"] is None or item["date"] is None:
                raise BadInput(f"inbox item {item['id']} has no fact name, value or date: record it with fact set")
            fact_rows.upsert(store, item["ticker"], item["name"], item["date"], to_text(item["value"]), item["source"],
                             item["known_on"])
            inbox_rows.decide(store, item["id"], "accepted", stamp)
            lines.append(f"accepted {item['id']}: fact {item['name']} {to_text(item['value'])} of {item['date']}")
            continue
        missing = [k for k in ("asset", "quantity", "date") if item[k] is None]
        if missing:
            raise BadInput(f"inbox item {item['id']} has no {' or '.join(missing)}: record it by hand with "
                           f"dattrack event add")
        if item["amount"] is not None and item["currency"] not in (None, company["currency"]):
            raise BadInput(f"inbox item {item['id']} has an amount in {item['currency']} and {item['ticker']}'s "
                           f"books are in {company['currency']}: record it by hand with dattrack event add")
        known = event_rows.known_id(store, item["ticker"], item["asset"], item["kind"], item["date"], item["quantity"],
                                    item["amount"])
        if known is not None:
            inbox_rows.decide(store, item["id"], "accepted", stamp, known)
            lines.append(f"accepted {item['id']}: already recorded as event {known}")
            continue
        [event_id] = write_disclosures(store, item["ticker"], [disclosure(_finding(item))])
        inbox_rows.decide(store, item["id"], "accepted", stamp, event_id)
        lines.append(f"accepted {item['id']}: event {event_id} ({item['ticker']} {item['kind']} "
                     f"{to_text(item['quantity'])} {item['asset']} {item['date']})")
    return lines


def reject(store: Store, ids: list[str]) -> list[str]:
    items = _pending_items(store, ids)
    stamp = now_stamp()
    for item in items:
        inbox_rows.decide(store, item["id"], "rejected", stamp)
    return [f"rejected {item['id']}: reading {item['document']} again will not bring it back" for item in items]


def _pending_items(store: Store, ids: list[str]) -> list[dict]:
    """The items, all checked before anything is written: an unknown or decided id is bad input."""
    numbers = []
    for text in ids:
        number = row_id(text)
        if number is None:
            raise BadInput(f"inbox id {str(text).strip()[:30]!r} is not a positive whole number")
        if number not in numbers:
            numbers.append(number)
    found = inbox_rows.by_ids(store, numbers)
    for number in numbers:
        item = found.get(number)
        if item is None:
            raise BadInput(f"no inbox item {number} (dattrack inbox lists them)")
        if item["status"] != "pending":
            raise BadInput(f"inbox item {number} was {item['status']} already")
    return [found[n] for n in numbers]


def _finding(item: dict) -> Finding:
    return Finding(ticker=item["ticker"], kind=item["kind"], asset=item["asset"], quantity=item["quantity"],
                   amount=item["amount"], currency=item["currency"], date=item["date"],
                   period_start=item["period_start"], name=item["name"], value=item["value"], quote=item["quote"],
                   document=item["document"], source=item["source"], known_on=item["known_on"])
