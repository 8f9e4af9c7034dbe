"""SEC EDGAR disclosures: crypto holdings tagged in XBRL (ASU 2023-08) and the filing index.

Holdings: companyfacts `us-gaap:CryptoAssetNumberOfUnits` at each period end, with
`CryptoAssetCost` of the same filing and period as its cost. The unit is the filer's own name
for the asset (`Bitcoin`, `BTC`, `ETH`); a unit that names no asset (`pure`, `Unit`) is a
company-wide figure that may add up several assets, so the caller may assign it only to a
company that holds one asset. Among filings that report one period end, the latest filed value
wins, cited by the first filing that reported that value (a 10-K repeats earlier quarters).

Filings: `submissions/CIK##########.json`, parallel arrays of the latest ~1,000 filings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from dattrack.providers.http import ProviderError
from dattrack.providers.sec import PROVIDER

UNITS_TAG = "CryptoAssetNumberOfUnits"
COST_TAG = "CryptoAssetCost"
UNIT_ASSETS = {
    "BITCOIN": "BTC", "BITCOINS": "BTC", "BTC": "BTC", "XBT": "BTC",
    "ETHER": "ETH", "ETHEREUM": "ETH", "ETH": "ETH",
    "SOLANA": "SOL", "SOL": "SOL",
}
# What `filings` lists by default: the forms that carry disclosures (not ownership or registration forms).
DISCLOSURE_FORMS = ("8-K", "6-K", "10-Q", "10-K", "20-F", "40-F")


@dataclass(frozen=True)
class CryptoBalance:
    date: dt.date          # period end
    unit: str              # as the filer wrote it
    asset: str | None      # the asset the unit names; None: a company-wide total
    quantity: Decimal
    cost_usd: Decimal | None
    form: str
    accession: str
    filed: str

    @property
    def source(self) -> str:
        return f"{self.form} {self.accession}"


@dataclass(frozen=True)
class Filing:
    form: str
    filed: str
    report_date: str | None
    accession: str
    items: str | None
    url: str | None


# Units that count things without naming an asset: a company-wide total (SPEC 6).
COUNT_UNITS = frozenset({"PURE", "UNIT", "UNITS", "TOKEN", "TOKENS", "COIN", "COINS", "ITEM", "ITEMS", "NUMBER"})


def unit_asset(unit: str) -> str | None:
    from dattrack.assets import asset_named

    return UNIT_ASSETS.get(unit.strip().upper()) or asset_named(unit.strip())


def counts_units(unit: str) -> bool:
    """A unit a number of crypto units may be tagged in: one that names an asset, or a plain count.
    Money (USD), shares or anything else is not a number of coins: 5,000,000,000 "USD" of BTC is
    no balance of 5 billion BTC."""
    return unit_asset(unit) is not None or unit.strip().upper() in COUNT_UNITS


def refused_units(document: Mapping) -> list[str]:
    """The units CryptoAssetNumberOfUnits is reported in that are no count of coins (said, not used)."""
    concept = document.get("facts", {}).get("us-gaap", {}).get(UNITS_TAG, {})
    units = concept.get("units") if isinstance(concept, Mapping) else None
    return sorted(unit for unit in (units or {}) if isinstance(unit, str) and not counts_units(unit))


def crypto_balances(document: Mapping) -> list[CryptoBalance]:
    """One balance per (period end, unit), oldest first; units that are no count of coins left out."""
    gaap = document.get("facts", {}).get("us-gaap", {})
    units = [row for row in _instants(gaap.get(UNITS_TAG, {})) if counts_units(row["unit"])]
    costs = _instants(gaap.get(COST_TAG, {}))
    cost_of = {(r["accn"], r["end"]): r["val"] for r in costs if r["unit"] == "USD"}
    by_period: dict[tuple[str, str], list[dict]] = {}
    for row in units:
        by_period.setdefault((row["end"], row["unit"]), []).append(row)
    balances = []
    for (end, unit), rows in sorted(by_period.items()):
        rows.sort(key=lambda r: (r["filed"], r["accn"]))
        value = rows[-1]["val"]
        cited = next(r for r in rows if r["val"] == value)
        balances.append(CryptoBalance(dt.date.fromisoformat(end), unit, unit_asset(unit), value,
                                      cost_of.get((cited["accn"], end)), cited["form"], cited["accn"], cited["filed"]))
    return balances


def _instants(concept: Mapping) -> list[dict]:
    rows = []
    for unit, facts in (concept.get("units") or {}).items():
        for fact in facts if isinstance(facts, list) else []:
            value = fact.get("val") if isinstance(fact, dict) else None
            if isinstance(value, bool) or not isinstance(value, (int, Decimal)) or "start" in fact \
                    or not isinstance(fact.get("end"), str) or value < 0:
                continue
            try:
                dt.date.fromisoformat(fact["end"])
            except ValueError:
                continue
            rows.append({"unit": unit, "end": fact["end"], "val": Decimal(value), "accn": str(fact.get("accn", "?")),
                         "form": str(fact.get("form", "filing")), "filed": str(fact.get("filed", ""))})
    return rows


def filings(document: Mapping, cik: str, files_url: str) -> list[Filing]:
    """The recent filings, newest first, each with its primary document's address."""
    recent = (document.get("filings") or {}).get("recent")
    if not isinstance(recent, dict):
        raise ProviderError(PROVIDER, f"submissions of CIK {cik} have no recent filings")
    columns = {name: recent.get(name) or [] for name in
               ("accessionNumber", "filingDate", "reportDate", "form", "items", "primaryDocument")}
    count = len(columns["accessionNumber"])
    if any(not isinstance(values, list) or (values and len(values) != count) for values in columns.values()):
        raise ProviderError(PROVIDER, f"submissions of CIK {cik}: the filing arrays differ in length")

    def at(name: str, index: int) -> str | None:
        values = columns[name]
        value = values[index] if values else None
        return value.strip() or None if isinstance(value, str) else None

    found = []
    for i in range(count):
        accession, filed, form = at("accessionNumber", i), at("filingDate", i), at("form", i)
        if not accession or not filed or not form:
            continue
        document_name = at("primaryDocument", i)
        url = (f"{files_url}/Archives/edgar/data/{int(cik)}/{accession.replace('-', '')}/{document_name}"
               if document_name else None)
        found.append(Filing(form, filed, at("reportDate", i), accession, at("items", i), url))
    found.sort(key=lambda f: (f.filed, f.accession), reverse=True)
    return found


def is_disclosure_form(form: str) -> bool:
    base = form.upper().removesuffix("/A")
    return base in DISCLOSURE_FORMS
