"""SEC EDGAR companyfacts as a disclosure source (SPEC 6).

Each period end of `us-gaap:CryptoAssetNumberOfUnits` becomes a balance sourced `FORM ACCESSION`,
with `CryptoAssetCost` of the same filing and period as its cost (USD, converted by the sync core),
public on the filing's date. The unit names the asset; a company-wide total (`Unit`, `pure`) is
given only to a company that holds one asset and skipped for one that holds several. Shares, debt
and cash of the same document are facts, as `fact sync` reads them. Needs DATTRACK_SEC_USER_AGENT:
without it the source sits out `--source all` with a note, and `--source sec` is refused.
"""

from __future__ import annotations

from dattrack.app.facts import filed_on
from dattrack.app.sources import Batch, DisclosedFact, Run, Wanted, register_source
from dattrack.ledger.disclosures import Candidate, Disclosure

ORIGIN = "sec"


@register_source
class SecCompanyFacts:
    name = "sec"
    provider = "SEC EDGAR"

    def prepare(self, run: Run) -> bool:
        from dattrack.providers.sec import SecClient

        self.sec = SecClient(run.http, run.env)   # BadInput without DATTRACK_SEC_USER_AGENT
        return True

    def fetch(self, company: dict, wanted: Wanted) -> Batch:
        from dattrack.providers.sec import NotOnEdgar, companyfacts_facts, pad_cik
        from dattrack.providers.sec_disclosures import crypto_balances, refused_units

        batch = Batch()
        try:
            cik = pad_cik(company["cik"]) if company.get("cik") else self.sec.cik(company["ticker"])
        except NotOnEdgar:
            batch.notes.append("not on EDGAR: no SEC disclosures")
            return batch
        document = self.sec.companyfacts(cik)
        batch.ids["cik"] = int(cik)
        if document is None:
            batch.notes.append("EDGAR has no XBRL facts for it")
            return batch
        batch.records.extend(_balance(company, wanted, balance) for balance in crypto_balances(document))
        batch.notes.extend(f"SEC EDGAR: CryptoAssetNumberOfUnits in {unit!r} is no number of coins: not read"
                           for unit in refused_units(document))
        batch.records.extend(
            DisclosedFact(f.name, f.value, f.date.isoformat(), f.source, filed_on(f.filed, f.date.isoformat()), f.unit)
            for f in companyfacts_facts(document))
        return batch


def _balance(company: dict, wanted: Wanted, balance) -> Candidate:
    """One period end's holdings as a balance; a company-wide total of a company holding several
    assets is skipped (it cannot be given to one of them)."""
    held = wanted.assets
    asset, skip = balance.asset, None
    if asset is None:
        if len(held) == 1:
            asset = next(iter(held))
        else:
            asset = company["asset"]
            skip = (f"SEC reports a company-wide total (unit {balance.unit!r}) and {company['ticker']} holds "
                    f"{', '.join(sorted(held))}: not assigned to one asset")
    day = balance.date.isoformat()
    note = (f"SEC EDGAR {balance.form} filed {balance.filed}: CryptoAssetNumberOfUnits ({balance.unit})"
            + (" and CryptoAssetCost" if balance.cost_usd is not None else ""))
    disclosure = Disclosure(company["ticker"], asset, day, "balance", balance.quantity, None, balance.source, ORIGIN,
                            known_on=filed_on(balance.filed, day), note=note)
    return Candidate(disclosure, skip=skip, stated=balance.cost_usd, currency="USD")
