"""The crypto a 10-Q or 10-K says the company held at each of its period ends (SPEC 11).

Evidence comes from three places and is weighed per asset and date:
- tagged counts: `us-gaap:CryptoAssetNumberOfUnits` and the companies' own concepts
  (`mstr:NumberOfBitcoinHeld`, `upxi:ApproximateNumberOfSolanaTokensHeld`, ...), their asset named
  by the unit, a member or the concept, each read again from its text (placement.py);
- table rows: a row of the digital-assets note whose tagged cost or fair value names the asset and
  the date, with the count in an untagged cell under a "Quantity" / "Units" / "<asset> Held" header;
- the sentences and tables the general rules read ("As of September 30, 2025, we held 1,739,355 SOL").

The text decides: a tagged count is kept when its text agrees (or fair value ÷ the caller's price
does, within 5%); otherwise the figure the text states; where the evidence disagrees and nothing
settles it, one `doubt` naming every figure. Pledged, staked, restricted or loaned subsets are no
holdings of their own; a total over several assets is given to none of them. The amount is the
stated cost basis (CryptoAssetCost, a "Cost basis" column), never fair or carrying value.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from dattrack.assets import ASSETS, asset_named
from dattrack.reader.document import Document
from dattrack.reader.model import Found
from dattrack.reader.placement import Placement, Placer, phrase_scale
from dattrack.reader.xbrl import Fact, Facts, local, number

TOLERANCE = Decimal("0.05")   # fair value ÷ price against a count (SPEC 11)
BALANCE_SHEET = frozenset({"Assets", "LiabilitiesAndStockholdersEquity", "Liabilities", "AssetsCurrent"})
CRYPTO_WORD = re.compile(r"Crypto|Digital|Bitcoin|BTC|Ether|ETH|Solana|SOL|Litecoin|LTC|Tron|TRX|Token|Coin")
COUNT_WORD = re.compile(r"NumberOf|Units|Quantity|TokenAmount|Approximate|Count")
HELD_WORD = re.compile(r"Held|NumberOfUnits$|CarryingValue|Holding")
# Concepts and members that name part of the holdings, or a flow, never the holdings themselves.
SUBSET_WORD = re.compile(  # CamelCase words of concept and member names
    r"Purchas|Sold|Sale|Acquir|Mined|Mining|Receiv|Earned|Reward|Collateral|Pledg|Restrict|Staked|Staking|Delegat"
    r"|Lock|Loan|Lent|Lend|Borrow|Encumber|Payable|Liabilit|Notional|Repaid|Fund|Paid|Convert|Issued|Currencies"
    r"|Per[A-Z]|Subsequent|Invest|Treasury|Custod|Segment|Level[123]|Transfer|Exchange|Wrapped|Impair")
SUBSET_TEXT = re.compile(r"\b(pledged|collateral|restricted|staked|staking|loaned|lent|locked|encumbered|vesting"
                         r"|subject to|delegated|wrapped|deployed|held (?:directly )?by)\b", re.I)
COST_CONCEPT = re.compile(r"^(CryptoAssetCost|DigitalAssets?(Original)?CostBasis|DigitalAssetsHeldCost"
                          r"|CostOf\w*Crypto\w*Held\w*|CryptoAssetsCost)$")
FAIR_VALUE_CONCEPT = re.compile(r"^CryptoAssetFairValue(Current|Noncurrent)?$")
HELD_COLUMN = re.compile(
    r"\b(?:(?:bitcoins?|btc|ether|eth|sol|solana|litecoins?|ltc|trx|tron|tokens?|coins?|units?)\s+held"
    r"|number\s+of\s+\w+(?:\s+\w+)?\s+held|number\s+of\s+(?:bitcoins?|btc|ether|eth|solana|sol|litecoins?|ltc|trx)"
    r"|units|quantity)\b", re.I)
NOT_COUNT_COLUMN = re.compile(r"\b(value|price|cost|per|average|\$|usd|revenue|rewards?|purchased|acquired|sold|"
                              r"mined|pledged|staked|restricted)\b", re.I)
DATED_LABEL = re.compile(r"\b(balance|as of|at|ending|beginning|end of|held)\b|^[A-Z][a-z]+\.?\s+\d{1,2},\s+\d{4}$",
                         re.I)
HELD_CAPTION = re.compile(r"\b(held|holdings)\b", re.I)
NOT_HELD_CAPTION = re.compile(r"\b(value|revenue|rewards?|earned|purchased|sold|staked|pledged)\b", re.I)
NOT_CRYPTO_TABLE = re.compile(r"\b(shares|stock|RSUs?|options?|warrants?|awards?|vested|nonvested|units? granted|"
                              r"forfeited|exercis\w*|leases?|miners|machines|employees)\b", re.I)
CRYPTO_TEXT = re.compile(r"\b(digital assets?|crypto\s*(?:assets?|currenc\w+)?|bitcoins?|ether|solana|litecoins?"
                         r"|tokens?)\b", re.I)
QUANTITY_HEADER = re.compile(r"\b(quantity|units?|tokens?|coins?|number of|held|holdings)\b", re.I)
COST_HEADER = re.compile(r"\bcost\b", re.I)
COST_ROW = re.compile(r"^(?:total\s+|aggregate\s+)?cost(?:\s+basis)?\s+of\s+\w+|^cost\s+basis\b(?!\s*[-–—]\s*per)",
                      re.I)
NOT_COST_HEADER = re.compile(r"\b(fair|market|carrying|net|impairment|per|average|price)\b", re.I)
TOTAL_LABEL = re.compile(r"^\s*total\b", re.I)


@dataclass(frozen=True)
class Evidence:
    """One figure for one asset at one date, and where it came from."""

    asset: str | None
    date: dt.date
    quantity: Decimal           # as the text states it
    tagged: Decimal | None      # the tagged value, when it came from a tag
    quote: str
    rule: str
    shown: bool                 # the text displays it (False: a hidden fact)
    cost: Decimal | None = None  # the cost basis stated beside it, when the same row or sentence states one
    doubt: str | None = None     # what had to be guessed about it


def period_ends(facts: Facts) -> set[dt.date]:
    """The document's balance-sheet dates: current and comparative period ends."""
    dates = {f.context.end for f in facts.facts
             if f.name in BALANCE_SHEET and f.concept.startswith("us-gaap:") and f.context.instant
             and not f.context.dimensions}
    end = facts.dei("DocumentPeriodEndDate")
    end_fact = next((f for f in facts.facts if f.name == "DocumentPeriodEndDate"), None)
    if end_fact is not None and end_fact.date:
        dates.add(end_fact.date)
    elif end and re.fullmatch(r"\d{4}-\d{2}-\d{2}", end):
        dates.add(dt.date.fromisoformat(end))
    return {d for d in dates if d is not None}


def asset_of_member(member: str) -> str | None:
    """The asset a member or unit names as a whole: "BitcoinMember", "ETHMember", "Solana", "Sol"."""
    name = re.sub(r"Member$", "", local(member))
    name = re.sub(r"(Tokens?|Coins?|Digital|Assets?|Chain|Network|Protocol)$", "", name) or name
    for asset in ASSETS:
        if name.upper() == asset.symbol or name.upper() in asset.symbols or name.lower() in asset.names:
            return asset.symbol
    return None


def assets_in_words(text: str) -> set[str]:
    """The assets a phrase names ("Solana (SOL)", "Schedule of ETH Digital Assets", "Bitcoin Held")."""
    return {s for s in (asset_named(w) for w in re.findall(r"[A-Za-z]+", text)) if s}


def assets_in_concept(concept: str) -> set[str]:
    words = re.findall(r"[A-Z][a-z]+|[A-Z]+(?![a-z])", local(concept))
    return {s for s in (asset_named(w) for w in words) if s}


class Holdings:
    """Reads the period-end holdings of one document."""

    def __init__(self, facts: Facts, placer: Placer, prices: Mapping[tuple[str, dt.date], Decimal] | None,
                 document: Document | None = None):
        self.facts = facts
        self.placer = placer
        self.prices = prices or {}
        self.document = document
        self.ends = period_ends(facts)
        self.notes: list[str] = []
        self.only_asset = self._only_asset()

    def _only_asset(self) -> str | None:
        """The one asset every crypto fact of the document names, if they name exactly one (members on
        any axis, units, concept names): then "digital assets" in its text are that asset."""
        named: set[str] = set()
        for fact in self.facts.facts:
            if not CRYPTO_WORD.search(fact.name) and not any(CRYPTO_WORD.search(local(a)) for a, _ in
                                                               fact.context.dimensions):
                continue
            for _, member in fact.context.dimensions:
                symbol = asset_of_member(member)
                if symbol:
                    named.add(symbol)
            if fact.unit is not None and asset_of_member(fact.unit.name):
                named.add(asset_of_member(fact.unit.name))
            named |= assets_in_concept(fact.concept)
        return next(iter(named)) if len(named) == 1 else None

    # --- evidence -------------------------------------------------------------------------------------

    def count_facts(self) -> Iterable[Fact]:
        for fact in self.facts.facts:
            name = fact.name
            if not fact.numeric or fact.value is None or fact.context.end not in self.ends:
                continue
            if name == "CryptoAssetNumberOfUnits" or (CRYPTO_WORD.search(name) and COUNT_WORD.search(name)
                                                      and HELD_WORD.search(name) and not SUBSET_WORD.search(name)):
                yield fact

    def fact_asset(self, fact: Fact, placement: Placement) -> tuple[str | None, str | None]:
        """The asset of a count or money fact and, when it is not certain, why."""
        named: set[str] = set()
        for axis, member in fact.context.dimensions:
            symbol = asset_of_member(member)
            if symbol is None:
                return None, f"a part of the holdings ({local(axis)}={local(member)})"
            named.add(symbol)
        if fact.unit is not None:
            symbol = asset_of_member(fact.unit.name)
            if symbol:
                named.add(symbol)
        named |= assets_in_concept(fact.concept)
        if len(named) == 1:
            return named.pop(), None
        if len(named) > 1:
            return None, f"the tag names {', '.join(sorted(named))}"
        for words in (placement.row_label, placement.header, placement.sentence, placement.caption):
            found = assets_in_words(words)
            if len(found) == 1:
                return found.pop(), None
            if len(found) > 1:
                return None, f"the text names {', '.join(sorted(found))}"
        return None, "no asset named by the tag or its text"

    def evidence(self, reading_findings: Iterable[Found]) -> list[Evidence]:
        out: list[Evidence] = []
        rows_seen: set[int] = set()
        for fact in self.count_facts():
            placement = self.placer.place(fact, money=False)
            if _subset(placement, fact.text):
                self.notes.append(f"{fact.concept} {fact.value} at {fact.context.end}: a pledged, staked or "
                                  "restricted part, not a holding of its own")
                continue
            if placement.sentence and _not_a_holding(placement.sentence):
                self.notes.append(f"{fact.concept} {fact.value} at {fact.context.end}: counts machines, not coins")
                continue
            asset, why = self.fact_asset(fact, placement)
            if asset is None and why and why.startswith("a part"):
                continue
            cell = self.placer.cell(fact)
            if cell is not None:
                rows_seen.add(id(cell.getparent()))
            shown = placement.reads(fact)
            quantity = shown if shown is not None else abs(fact.value)
            out.append(Evidence(asset, fact.context.end, quantity, abs(fact.value), placement.quote or fact.text,
                                "xbrl-units" if fact.name == "CryptoAssetNumberOfUnits" else "xbrl-own-concept",
                                shown is not None))
        out.extend(self._untagged_rows(rows_seen))
        out.extend(self._dated_rows())
        out.extend(self._asset_rows_by_quarter())
        for found in reading_findings:  # every dated balance the general rules read, period end or not
            if found.kind != "balance" or found.date is None or found.quantity is None:
                continue
            if _subset_quote(found.quote, found.quantity) or _not_a_holding(found.quote):
                self.notes.append(f"not read as a holding: {found.quote[:80]}")
                continue
            asset = found.asset or self.only_asset
            out.append(Evidence(asset, found.date, found.quantity, None, found.quote, found.rule, True, found.amount))
        return out

    def _asset_rows_by_quarter(self) -> list[Evidence]:
        """A table of counts with one row per asset and one column per date or calendar quarter, under a
        caption saying they are held ("Crypto Assets Held as of the End of the Following Calendar
        Quarters: | Asset | 2024 Q3 | 2024 Q4 | ...")."""
        if self.document is None:
            return []
        from dattrack.reader.amounts import cell_value
        from dattrack.reader.columns import grid_of
        from dattrack.reader.periods import all_dates

        out = []
        blocks = self.document.blocks
        for i, block in enumerate(blocks):
            if not hasattr(block, "rows"):
                continue
            caption = " ".join(b.text for b in blocks[max(0, i - 2):i] if not hasattr(b, "rows"))[-300:]
            if not HELD_CAPTION.search(caption) or NOT_HELD_CAPTION.search(caption):
                continue
            grid = grid_of(block)
            calendar = bool(re.search(r"calendar", caption, re.I))
            dated = []
            for column in grid.columns:
                if NOT_COUNT_COLUMN.search(column.header):
                    continue  # a cost or fair value column under a date
                day = _quarter_end(column.header, calendar=calendar)
                if day is None:
                    found = all_dates(column.header, year_of=None)
                    day = found[-1] if len(found) == 1 else None
                if day is not None:
                    dated.append((column, day))
            if len(dated) < 2:
                continue
            for r in grid.body:
                asset = _asset_label(grid.label(r))
                if asset is None:
                    continue
                for column, day in dated:
                    value = cell_value(grid.value(r, column))
                    if value is None or value[0] is None:
                        continue
                    quote = f"{grid.label(r)} {grid.value(r, column)} ({column.header})"
                    out.append(Evidence(asset, day, value[0], None, quote, "holdings-by-quarter-table", True))
        return out

    def _dated_rows(self) -> list[Evidence]:
        """Untagged tables whose rows are dated period ends ("Fair value as of September 30, 2025",
        "Balance at December 31, 2024") with a count column ("Bitcoin Held", "Number of ... Held")."""
        if self.document is None:
            return []
        from dattrack.reader.amounts import cell_value, column_scale
        from dattrack.reader.columns import grid_of
        from dattrack.reader.periods import all_dates

        out = []
        for table in self.document.tables:
            if not any(QUANTITY_HEADER.search(" ".join(row)) for row in table.rows[:4]):
                continue
            words = " ".join(" ".join(row) for row in table.rows[:2]) + " " + " ".join(
                " ".join(row[:1]) for row in table.rows)
            if NOT_CRYPTO_TABLE.search(words) or not (CRYPTO_TEXT.search(words) or assets_in_words(words)):
                continue
            grid = grid_of(table)
            counts = [c for c in grid.columns if HELD_COLUMN.search(c.header) and not NOT_COUNT_COLUMN.search(c.header)]
            if len(counts) != 1:
                continue
            column = counts[0]
            costs = [c for c in grid.columns if COST_HEADER.search(c.header) and not NOT_COST_HEADER.search(c.header)]
            asset_words = assets_in_words(column.header)
            asset = asset_words.pop() if len(asset_words) == 1 else self.only_asset
            if asset is None:
                continue
            for r in grid.body:
                label = grid.label(r)
                if not DATED_LABEL.search(label):
                    continue
                dates = [d for d in all_dates(label, year_of=None) if d in self.ends]
                if len(dates) != 1:
                    continue
                value = cell_value(grid.value(r, column))
                if value is None or value[0] is None:
                    continue
                quantity = value[0].scaleb(column_scale(column.header))
                cost = None
                if len(costs) == 1:
                    money = cell_value(grid.value(r, costs[0]))
                    if money is not None and money[0] is not None:
                        cost = money[0].scaleb(column_scale(costs[0].header))
                quote = f"{label}: {column.header} {grid.value(r, column)}"[:300]
                out.append(Evidence(asset, dates[0], quantity, None, quote, "holdings-table", True, cost))
        return out

    def _untagged_rows(self, rows_seen: set[int]) -> list[Evidence]:
        """Counts in untagged cells of rows whose tagged cost or fair value names asset and date."""
        out = []
        for fact in self.facts.facts:
            if not fact.numeric or fact.context.end not in self.ends or fact.hidden:
                continue
            if not (COST_CONCEPT.match(fact.name) or FAIR_VALUE_CONCEPT.match(fact.name)):
                continue
            cell = self.placer.cell(fact)
            if cell is None:
                continue
            tr = cell.getparent()
            if id(tr) in rows_seen:
                continue
            rows_seen.add(id(tr))
            placement = self.placer.place(fact, money=True)
            row = self.placer.row(fact)
            if SUBSET_TEXT.search(placement.row_label):
                continue
            counts = [(header, text) for header, text, td in row
                      if td is not cell and QUANTITY_HEADER.search(header) and not COST_HEADER.search(header)
                      and not re.search(r"\b(value|price|\$)", header, re.I) and _count(text) is not None
                      and not _tagged(td)]
            if len(counts) != 1:
                continue
            header, text = counts[0]
            asset, why = self.fact_asset(fact, placement)
            if asset is None:
                found = assets_in_words(header)
                asset = found.pop() if len(found) == 1 else None
            if asset is None:
                continue
            if TOTAL_LABEL.match(placement.row_label) and not assets_in_words(placement.row_label):
                continue
            out.append(Evidence(asset, fact.context.end, _count(text), None, placement.quote, "xbrl-row-count", True))
        return out

    # --- cost and fair value ---------------------------------------------------------------------------

    def money(self, pattern: re.Pattern, held: Mapping[dt.date, set[str]]) -> dict[tuple[str, dt.date], Decimal]:
        """Tagged cost (or fair value) per asset and date, read from its text; a company-wide total goes to
        its asset only when the company held one asset that day."""
        per: dict[tuple[str, dt.date], set[Decimal]] = defaultdict(set)
        plain: dict[dt.date, set[Decimal]] = defaultdict(set)
        for fact in self.facts.facts:
            if not fact.numeric or fact.value is None or not pattern.match(fact.name):
                continue
            date = fact.context.end
            if date not in self.ends:
                continue
            placement = self.placer.place(fact, money=True)
            value = placement.reads(fact) if placement.stated else None
            value = abs(fact.value) if value is None else value
            if SUBSET_TEXT.search(placement.row_label):
                continue
            if not fact.context.dimensions:
                plain[date].add(value)
                continue
            asset, _ = self.fact_asset(fact, placement)
            if asset:
                per[(asset, date)].add(value)
        out = {key: values.pop() for key, values in per.items() if len(values) == 1}
        for date, values in plain.items():
            assets = held.get(date, set())
            if len(values) == 1 and len(assets) == 1:
                out.setdefault((next(iter(assets)), date), next(iter(values)))
        return out

    def row_costs(self) -> dict[tuple[str, dt.date], Decimal]:
        """Untagged cost cells beside a count: the "Cost basis" column of a holdings row."""
        out = {}
        for fact in self.count_facts():
            row = self.placer.row(fact)
            placement = self.placer.place(fact, money=False)
            asset, _ = self.fact_asset(fact, placement)
            if not asset:
                continue
            for header, text, td in row:
                if COST_HEADER.search(header) and not NOT_COST_HEADER.search(header) and not _tagged(td):
                    value = _count(text)
                    if value is not None:
                        out[(asset, fact.context.end)] = value.scaleb(placement_scale(header, placement))
            for label, text in self.placer.column(fact):
                if COST_ROW.search(label) and not NOT_COST_HEADER.search(label):
                    value = _count(text)
                    if value is not None:
                        out.setdefault((asset, fact.context.end), value.scaleb(placement_scale(label, placement)))
        return out

    # --- the decision -----------------------------------------------------------------------------------

    def read(self, reading_findings: Iterable[Found]) -> list[Found]:
        findings = list(reading_findings)
        evidence = self.evidence(findings)
        known_assets = {e.asset for e in evidence if e.asset}
        plain_values = self._plain_fair_values()
        resolved = []
        for item in evidence:
            if item.asset is None:
                item = self._resolve_asset(item, evidence, known_assets, plain_values.get(item.date))
                if item is None:
                    continue
            resolved.append(item)
        groups: dict[tuple[str, dt.date], list[Evidence]] = defaultdict(list)
        for item in resolved:
            groups[(item.asset, item.date)].append(item)
        held: dict[dt.date, set[str]] = defaultdict(set)
        for asset, date in groups:
            held[date].add(asset)
        costs = self.money(COST_CONCEPT, held)
        for key, value in self.row_costs().items():
            costs.setdefault(key, value)
        fair_values = self.money(FAIR_VALUE_CONCEPT, held)
        stated_costs = {(e.asset, e.date, e.quantity): e.cost for e in resolved if e.cost is not None}
        out = []
        for (asset, date), items in sorted(groups.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            found = self._decide(asset, date, items, fair_values.get((asset, date)))
            if found is None:
                continue
            amount = costs.get((asset, date))
            if amount is None:
                amount = stated_costs.get((asset, date, found.quantity))
            out.append(Found(kind="balance", asset=asset, quantity=plain(found.quantity), amount=plain(amount),
                             currency="USD" if amount is not None else None, date=date, period_start=None,
                             name=None, value=None, quote=found.quote, rule=found.rule, doubt=found.doubt))
        return out

    def _plain_fair_values(self) -> dict[dt.date, Decimal]:
        """The company-wide fair value of its crypto per period end, where one figure is tagged for it."""
        values: dict[dt.date, set[Decimal]] = defaultdict(set)
        for fact in self.facts.facts:
            if (fact.numeric and fact.value is not None and FAIR_VALUE_CONCEPT.match(fact.name)
                    and not fact.context.dimensions and fact.context.end in self.ends):
                placement = self.placer.place(fact, money=True)
                shown = placement.reads(fact) if placement.stated else None
                values[fact.context.end].add(abs(fact.value) if shown is None else shown)
        return {day: next(iter(v)) for day, v in values.items() if len(v) == 1}

    def _resolve_asset(self, item: Evidence, evidence: list[Evidence], known: set[str],
                       fair_value: Decimal | None) -> Evidence | None:
        """A count with no asset (a generic unit: `Integer`, `pure`): the same figure with a named asset is
        that one; a total over several assets is no holding of one; with the caller's prices, the asset
        whose price times the count is the fair value within 5%; without them, the one asset the document
        names."""
        same_day = [e for e in evidence if e.asset and e.date == item.date]
        if any(e.quantity == item.quantity for e in same_day):
            return None  # the total row of a one-asset table, already read with its asset
        if len({e.asset for e in same_day}) > 1:
            self.notes.append(f"a count of {item.quantity:,} at {item.date} over several assets: given to none")
            return None
        only = next(iter(known)) if len(known) == 1 else self.only_asset
        priced = {asset: price for (asset, day), price in self.prices.items() if day == item.date and price}
        if priced and fair_value:
            fits = [asset for asset, price in priced.items()
                    if abs(item.quantity * price - fair_value) <= fair_value * TOLERANCE]
            if len(fits) == 1:
                return replace(item, asset=fits[0], rule="xbrl-fair-value-price")
            if only:
                return replace(item, asset=only, doubt=(
                    f"a count of {item.quantity:,} in a generic unit: fair value {fair_value:,} matches no price "
                    f"of {item.date} within 5% ({', '.join(f'{a} {p:,}' for a, p in sorted(priced.items()))})"))
            self.notes.append(f"a count of {item.quantity:,} at {item.date} matches no asset's price")
            return None
        if only:
            return replace(item, asset=only)
        self.notes.append(f"a count of {item.quantity:,} at {item.date} names no asset")
        return None

    def _decide(self, asset: str, date: dt.date, items: list[Evidence], fair_value: Decimal | None) -> _Decision:
        """One figure for the asset at the date, or the most precise one with a doubt naming them all.

        Figures read at a tagged number (its own text, or the count in a tagged row) anchor the reading;
        a smaller figure stated elsewhere for the same day is a part (held by a subsidiary, in a
        "Rewards Treasury"), a larger one contradicts it."""
        certain = [e for e in items if e.doubt is None]
        if not certain:
            return _Decision(items[0].quantity, items[0].quote, items[0].rule, items[0].doubt)
        items = certain
        shown = [e for e in items if e.shown]
        anchored = _distinct([e.quantity for e in shown if e.rule.startswith("xbrl-")])
        stated = _distinct([e.quantity for e in shown])
        tagged = _distinct([e.tagged for e in items if e.tagged is not None])
        price = self.prices.get((asset, date))
        best = max(shown or items, key=lambda e: (e.rule.startswith("xbrl-"), e.tagged is not None, len(e.quote)))
        quote = best.quote
        if price and fair_value:
            implied = fair_value / price
            candidates = _distinct([*stated, *tagged])
            fits = [q for q in candidates if q and abs(q - implied) <= implied * TOLERANCE]
            if len(fits) == 1:
                rule = "xbrl-fair-value-price" if fits[0] not in stated else best.rule
                return _Decision(fits[0], quote, rule, None)
            return _Decision(_most_precise(candidates), quote, best.rule,
                             f"no count matches fair value {fair_value:,} ÷ price {price:,} = {implied:,.2f}: "
                             f"the document states {_list(stated)}, tags {_list(tagged)}")
        if not stated:
            return _Decision(tagged[0] if tagged else items[0].quantity, quote, best.rule,
                             "tagged only in hidden facts; no text states it" if tagged else "no text states it")
        merged = _one_figure(anchored) if anchored else _one_figure(stated)
        if merged is None:  # figures that disagree: propose the largest (a whole, its parts are smaller)
            figures = anchored or stated
            return _Decision(max(figures), quote, best.rule,
                             f"the document states {_list(figures)} for {asset} at {date}")
        others = [q for q in stated if _one_figure([merged, q]) is None]
        larger = [q for q in others if q > merged]
        if larger or (others and not anchored):
            return _Decision(merged, quote, best.rule,
                             f"the document states {_list([merged, *others])} for {asset} at {date}")
        for part in others:
            self.notes.append(f"{asset} at {date}: {plain(part):,} stated beside {plain(merged):,} is read as a part "
                              "of it")
        if tagged and any(t != merged for t in tagged):
            self.notes.append(f"{asset} at {date}: tagged {_list(tagged)}, the text states {plain(merged):,}: "
                              "the text decides")
        return _Decision(merged, quote, best.rule, None)


@dataclass(frozen=True)
class _Decision:
    quantity: Decimal
    quote: str
    rule: str
    doubt: str | None


def _subset(placement: Placement, shown: str) -> bool:
    """The words around a tagged count say it is a part: its row label, or the clause right after it
    ("2,903 of the Company's 5,398 Bitcoin were pledged": 2,903 is a part, 5,398 the whole)."""
    if SUBSET_TEXT.search(placement.row_label):
        return True
    return bool(placement.sentence) and _part_in(placement.sentence, shown)


def _part_in(sentence: str, shown: str) -> bool:
    if not SUBSET_TEXT.search(sentence):
        return False
    at = sentence.find(shown)
    if at < 0:
        return True
    if WHOLE_BEFORE.search(sentence[:at]):
        return False
    clause = CLAUSE_END.split(sentence[at + len(shown):], maxsplit=1)[0]
    return bool(SUBSET_TEXT.search(clause))


CLAUSE_END = re.compile(r"[.;](?:\s|$)|,\s+(?:with|of which|including|and|while|compared|respectively)\b")
WHOLE_BEFORE = re.compile(r"\bof\s+(?:the\s+Company['’]s|our|its|the)\s+(?:total\s+)?$", re.I)
NOT_HOLDING = re.compile(r"\b(miners?|mining|machines?|rigs?|servers?|hash\w*|nodes?|validators?|wallets?|"
                         r"addresses|ETFs?|funds?|futures|options|treasur(y|ies) companies)\b", re.I)


def _subset_quote(quote: str, quantity: Decimal) -> bool:
    """A sentence read by the general rules whose count is a part: the words right after the figure
    say so ("345,551 SOL that are subject to time vesting restrictions")."""
    return _part_in(quote, f"{quantity:,}")


def _asset_label(label: str) -> str | None:
    """The asset a row label is nothing but ("Ethereum (ETH)", "BNB Chain (BNB)", "Solana (SOL)*"), else None:
    "Cost basis - per bitcoin" names bitcoin but is no row of bitcoin held."""
    assets = assets_in_words(label)
    if len(assets) != 1:
        return None
    asset = next(iter(assets))
    rest = [w for w in re.findall(r"[A-Za-z]+", label)
            if asset_named(w) != asset and w.lower() not in ("chain", "network", "protocol", "token", "tokens", "coin")]
    return asset if not rest else None


def _quarter_end(header: str, *, calendar: bool) -> dt.date | None:
    """ "2024 Q4" or "Q4 2024" as the last day of that calendar quarter (only where the table says its
    quarters are calendar quarters: a fiscal quarter ends elsewhere)."""
    match = re.fullmatch(r"\s*(?:(?P<y1>20\d\d)\s*Q(?P<q1>[1-4])|Q(?P<q2>[1-4])\s*(?P<y2>20\d\d))\s*", header)
    if not match or not calendar:
        return None
    year = int(match.group("y1") or match.group("y2"))
    quarter = int(match.group("q1") or match.group("q2"))
    month = quarter * 3
    return dt.date(year, month, 31 if month in (3, 12) else 30)


def _not_a_holding(quote: str) -> bool:
    """"21,357 bitcoin miners", "7,900 bitcoin mining machines": a count of things, not of coins."""
    return bool(re.search(r"\d[\d,.]*\s+(?:\w+\s+)?(?:bitcoins?|btc|ether|eth|sol|solana)\s+" + NOT_HOLDING.pattern,
                          quote, re.I))


def placement_scale(header: str, placement: Placement) -> int:
    """The scale of an untagged money cell: its own header's, else its table's caption's."""
    scale = phrase_scale(header, money=True, header=True)
    if scale is None:
        scale = phrase_scale(placement.caption, money=True)
    return scale or 0


def plain(value: Decimal | None) -> Decimal | None:
    """A figure as a plain decimal: 1.157E+6 is 1157000, 102023.60 stays as printed."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value


def _tagged(td) -> bool:
    return any(isinstance(el.tag, str) and el.tag.endswith("nonFraction") for el in td.iter())


def _count(text: str) -> Decimal | None:
    raw = text.strip().strip("$").strip()
    if not raw or not re.fullmatch(r"[0-9][0-9,]*(\.[0-9]+)?", raw):
        return None
    try:
        return number(raw, "ixt:num-dot-decimal")
    except ValueError:
        return None


def _distinct(values: Iterable[Decimal]) -> list[Decimal]:
    out: list[Decimal] = []
    for value in values:
        if value is not None and all(value != v for v in out):
            out.append(value)
    return out


def _one_figure(values: list[Decimal]) -> Decimal | None:
    """One figure stated several ways (exact and rounded: 1,739,355 and 1.74 million) is the exact one."""
    exact = _most_precise(values)
    for value in values:
        if value == exact:
            continue
        if abs(exact - value) > Decimal(1).scaleb(_exponent(value)) / 2:
            return None
    return exact


def _most_precise(values: list[Decimal]) -> Decimal:
    """The figure with the most significant places (1,739,355 before 1.74 million)."""
    return min(values, key=lambda v: (_exponent(v), -v))


def _exponent(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return exponent if isinstance(exponent, int) else 0


def _list(values: list[Decimal]) -> str:
    return " and ".join(f"{plain(v):,}" for v in values) or "nothing"
