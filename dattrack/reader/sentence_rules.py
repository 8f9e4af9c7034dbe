"""The sentence rules: each reads one way companies word a disclosure, in one sentence.

A rule gets the sentence, the paragraph's as-of date and the document's context, and returns what
it read (nothing when the words are a plan, a bound, a subset or another company's figure)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from dattrack.assets import ASSETS
from dattrack.reader.amounts import exact, number
from dattrack.reader.context import Context
from dattrack.reader.dates import first_date
from dattrack.reader.model import Found
from dattrack.reader.patterns import (ASSET, LEAD, LINK_AMOUNT, MONEY, NOT_A_FACT, NOT_HOLDINGS, QUANTITY, asset_of,
                                      bounded, money_of, quantity_of)
from dattrack.reader.periods import PLAIN_DATE, as_of_in, lead_date, period_in, year_doubt
from dattrack.reader.sentences import quote


@dataclass(frozen=True)
class Where:
    """A sentence and what its paragraph says around it."""

    sentence: str
    paragraph_as_of: dt.date | None     # the paragraph's "As of X" (a buy's period ends at its running total)
    context: Context


@dataclass(frozen=True)
class SentenceRule:
    name: str
    read: Callable[[Where], list[Found]]
    example: str                         # the wording it reads, as a real document writes it
    needs: tuple[str, ...] = ()          # words (lower case) the sentence must hold for the rule to try it


def _names(pattern: str, prefix: str) -> str:
    return pattern.replace("(?P<", f"(?P<{prefix}")


BUY = re.compile(rf"\b(?P<verb>acquired|purchased|bought|completed\s+(?:its|the)\s+(?:acquisition|purchase)\s+of)\s+"
                 rf"{LEAD}{QUANTITY}\s+(?:additional\s+|more\s+|new\s+)?(?:locked\s+|unlocked\s+)?{ASSET}", re.I)
SELL = re.compile(rf"\b(?P<verb>sold|disposed\s+of)\s+{LEAD}{QUANTITY}\s+{ASSET}", re.I)
MINE = re.compile(rf"\b(?P<verb>mined|produced|self-mined)\s+(?:a\s+record\s+(?:of\s+)?)?{LEAD}{QUANTITY}\s+{ASSET}",
                  re.I)
STAKING = re.compile(r"\b(?:stak\w*|validat\w*|restak\w*|yield|lending|interest)\b", re.I)
AMOUNT_AFTER = re.compile(rf"^\s*(?:in\s+cash\s*)?,?\s*{LINK_AMOUNT}\s+(?:approximately\s+|about\s+)?{MONEY}", re.I)
HOLD = re.compile(rf"\b(?P<verb>holds|held|owns|owned|has|had|hold|own)\s+(?:in\s+(?:the\s+)?aggregate\s+|"
                  rf"collectively\s+)?{LEAD}{QUANTITY}\s+{ASSET}", re.I)
FOOTNOTE = r"(?:\(?\d\)?\s+)?"   # a footnote mark set inline: "ETH holdings 1 total 300,657"
HOLDINGS_OF = re.compile(rf"\bholdings?\s+{FOOTNOTE}(?:of|(?:now\s+)?total(?:ed|led|s|ing)?|(?:are|were|was|is)(?:\s+comprised\s+of)?|"
                         rf"comprised\s+of|consist(?:ed|s)?\s+of|include[sd]?|reach(?:ed|es)?|(?:increased|rose|grew|"
                         rf"climbed)\s+to|st(?:oo|a)d\s+at|stands\s+at|amount(?:ed|s)?\s+to)\s+{LEAD}{QUANTITY}\s+{ASSET}",
                         re.I)
ASSET_HOLDINGS = re.compile(rf"{ASSET}\s+{FOOTNOTE}holdings?\s+{FOOTNOTE}(?:of|(?:now\s+)?total(?:ed|led|s|ing)?|(?:are|were|was|is)|"
                            rf"reach(?:ed|es)?|(?:increased|rose|grew|climbed)\s+to|st(?:oo|a)d\s+at|stands\s+at|"
                            rf"amount(?:ed|s)?\s+to)\s+{LEAD}{QUANTITY}(?!\s*(?:%|percent|million|billion|thousand))"
                            rf"(?:\s+(?:tokens|coins|units)\b)?", re.I)
TREASURY_WITH = re.compile(rf"\b(?:treasury|holder|holders)\b[^.;]{{0,40}}?\bwith\s+{LEAD}{QUANTITY}\s+{ASSET}", re.I)
LIST_ITEM = re.compile(rf"(?:^|,|\band\b|;)\s*{LEAD}{QUANTITY}\s+{ASSET}")
HELD_COST = re.compile(rf"^\s*,?\s*(?:(?:which|that)\s+(?:were|was)\s+)?acquired\s+(?:for|at\s+an\s+aggregate\s+"
                       rf"(?:purchase\s+)?(?:price|cost)\s+of)\s+(?:approximately\s+|about\s+)?{MONEY}|"
                       rf"^\s*,?\s*(?:with|at|for)\s+an\s+aggregate\s+(?:purchase\s+price|cost(?:\s+basis)?)\s+of\s+"
                       rf"(?:approximately\s+|about\s+)?{_names(MONEY, 'w')}", re.I)
HELD_BY = re.compile(rf"{LEAD}{QUANTITY}\s+{ASSET}\s+held\s+by\s+(?P<holder>[^,]{{2,80}}?)\s+as\s+of\s+(?P<date>{PLAIN_DATE})"
                     rf"\s+(?:were|was)\s+acquired\s+(?:for|at\s+an\s+aggregate\s+purchase\s+price\s+of)\s+"
                     rf"(?:approximately\s+)?{MONEY}", re.I)
FROM_TO = re.compile(rf"\bfrom\s+{LEAD}{_names(QUANTITY, 'f')}\s+{_names(ASSET, 'f')}\s+as\s+of\s+(?P<fdate>{PLAIN_DATE}),?"
                     rf"\s+to\s+{LEAD}{QUANTITY}\s+{ASSET}\s+as\s+of\s+(?P<date>{PLAIN_DATE})", re.I)
TO_DATE_TOTAL = re.compile(rf"\b(?:to\s+date|since\s+inception|in\s+total),?\s+[^.]{{0,60}}?\bpurchased\s+a\s+total\s+of\s+"
                           rf"{LEAD}{QUANTITY}\s+{ASSET}\s+(?:at\s+an\s+aggregate\s+purchase\s+price\s+of|for)\s+"
                           rf"(?:approximately\s+)?{MONEY}", re.I)
CASH = re.compile(rf"\b(?:(?:total|unencumbered|available)\s+cash(?:\s+and\s+cash\s+equivalents)?|cash\s+and\s+cash\s+"
                  rf"equivalents(?:\s+and\s+(?:short-term\s+)?investments)?)\s+(?:of|totall?ed|totall?ing|was|were|"
                  rf"amounted\s+to|stood\s+at)\s+(?:approximately\s+|about\s+)?{MONEY}", re.I)
SHARES = re.compile(rf"\b(?:there\s+were|had|has)\s+{LEAD}(?P<n>\d{{1,3}}(?:,\d{{3}})+)\s+shares\s+of\s+(?:the\s+"
                    rf"(?:registrant|company)[’']s\s+|its\s+|our\s+)?common\s+stock(?:,[^,]{{0,60}},)?\s+(?:issued\s+and\s+)?"
                    rf"outstanding", re.I)


def _clause_before(sentence: str, start: int) -> str:
    """The words of the sentence before a verb, back to the last clause break."""
    before = sentence[:start]
    cut = max(before.rfind("; "), before.rfind(" that "), before.rfind(": "))
    return before[cut + 1:] if cut >= 0 else before


MONTH_ONLY = re.compile(r"\b(?:in|during|for)\s+(?:the\s+month\s+of\s+)?(?:January|February|March|April|May|June|July|"
                        r"August|September|October|November|December)\b(?!\s+\d)")
CUMULATIVE = re.compile(r"\s*As\s+of\b")
SINCE = re.compile(r"\bSince\s+", re.I)
REPEATED = re.compile(r"\b(?:previously\s+(?:disclosed|announced|reported)|as\s+previously)\b", re.I)
TO_DATE = re.compile(r"\b(?:to\s+date|since\s+inception|cumulative(?:ly)?)\b", re.I)


def _since(sentence: str, year_of: dt.date | None) -> dt.date | None:
    """The start of an open period: "Since May 12, 2025, the Company has purchased 21 bitcoin"."""
    match = SINCE.search(sentence)
    if not match:
        return None
    return first_date(sentence[match.end():match.end() + 25], year_of=year_of)


def _planned(sentence: str, start: int) -> bool:
    """A plan, a target or a condition governs the verb at `start` ("intends to acquire", "aims to hold")."""
    return bool(NOT_A_FACT.search(_clause_before(sentence, start)[-60:]))


def _subject_ok(where: Where, start: int) -> bool:
    return where.context.is_self(_clause_before(where.sentence, start)[-120:])


def _found(kind: str, match: re.Match, where: Where, *, amount=None, currency=None, date=None, start=None,
           rule: str, doubt: str | None = None, quantity=None, asset=None) -> Found:
    return Found(kind=kind, asset=asset or asset_of(match), quantity=quantity if quantity is not None else quantity_of(match),
                 amount=amount, currency=currency if amount is not None else None, date=date, period_start=start,
                 name=None, value=None, quote=quote(where.sentence, match.start(), match.end()), rule=rule, doubt=doubt)


def _amount_after(sentence: str, end: int) -> tuple:
    tail = sentence[end:end + 200]
    tail = re.sub(r"^\s*\([^)]{0,40}\)", "", tail)  # "(BTC)" or "(the "BTC Investment")"
    match = AMOUNT_AFTER.match(tail)
    if not match:
        return None, None
    return money_of(match)


def _flow(kind: str, pattern: re.Pattern, rule: str) -> Callable[[Where], list[Found]]:
    def read(where: Where) -> list[Found]:
        out = []
        year_of = where.context.date
        for match in pattern.finditer(where.sentence):
            if asset_of(match) is None or _planned(where.sentence, match.start()) or \
                    bounded(where.sentence[:match.start("q")]) or not _subject_ok(where, match.start()):
                continue
            if kind == "mine" and STAKING.search(where.sentence):
                continue  # staking rewards are received, not mined
            if REPEATED.search(where.sentence[:match.start()]):
                continue  # an earlier filing's figure, told again: that filing is its disclosure
            if TO_DATE.search(where.sentence) and re.search(r"a\s+total\s+of", match.group(0), re.I):
                continue  # a running total of purchases, not a purchase
            amount, currency = _amount_after(where.sentence, match.end()) if kind != "mine" else (None, None)
            start, end, guessed = period_in(where.sentence, year_of=year_of)
            if end is None and CUMULATIVE.match(where.sentence) and kind == "buy":
                continue  # "As of X, the Company has purchased a total of ...": a running total, not a flow
            if end is None:
                end, guessed = lead_date(where.sentence, year_of=year_of)
                if re.search(r"\bannounced\b", where.sentence[:match.start()]):
                    end = where.paragraph_as_of or end  # "announced that it had purchased ... As of X, holds ..."
            doubt = year_doubt(start or end, guessed, year_of)
            if end is None:
                start = start or _since(where.sentence, year_of)
                doubt = ("the text names a month without its year, and the document has no date"
                         if MONTH_ONLY.search(where.sentence) else "the text gives no date for this flow")
            out.append(_found(kind, match, where, amount=amount, currency=currency, date=end, start=start,
                              rule=rule, doubt=doubt))
        return out
    return read


def _balance_date(where: Where, text_after: str) -> tuple[dt.date | None, str | None]:
    year_of = where.context.date
    day, guessed = as_of_in(where.sentence, year_of=year_of)
    if day is None:
        day, guessed = as_of_in(text_after, year_of=year_of)
    return day, year_doubt(day, guessed, year_of)


def _holdings(pattern: re.Pattern, rule: str, *, listed: bool = False) -> Callable[[Where], list[Found]]:
    def read(where: Where) -> list[Found]:
        out = []
        sentence = where.sentence
        for match in pattern.finditer(sentence):
            if asset_of(match) is None or _planned(sentence, match.start()) or bounded(sentence[:match.start("q")]):
                continue
            if not _subject_ok(where, match.start()) or _subset(sentence[match.end():]) \
                    or NOT_HOLDINGS.search(_clause_before(sentence, match.start())[-40:]):
                continue
            if match.groupdict().get("verb", "").lower() == "hold" and not re.search(r"\b(?:we|they)\s+$",
                                                                                   sentence[:match.start()], re.I):
                continue  # "to hold", "aims to hold": only "we hold" states a holding
            cost = HELD_COST.match(sentence[match.end():match.end() + 160])
            amount = currency = None
            if cost:
                amount, currency = money_of(cost) if cost.group("a") else money_of(cost, "w")
            day, doubt = _balance_date(where, sentence[match.end():])
            doubt = _part_of_holdings(where, match) or doubt
            out.append(_found("balance", match, where, amount=amount, currency=currency, date=day, rule=rule,
                              doubt=doubt))
            if listed:  # "comprised of 1,523,373 ETH at $4,326 per ETH (Bloomberg), 192 Bitcoin (BTC)"
                rest = sentence[match.end():]
                for item in LIST_ITEM.finditer(rest):
                    if asset_of(item) is None or re.search(r"\bper\s*$", rest[:item.start()][-10:]):
                        continue
                    out.append(_found("balance", item, where, date=day, rule=rule, doubt=doubt))
        return out
    return read


def _subset(after: str) -> bool:
    """The words right after a holding make it a pledged, staked or loaned part ("held 5,000 BTC as
    collateral"); ", of which 1,200 were staked" describes a part of a holding stated whole."""
    head = after[:25]
    if re.match(r"\s*,?\s*(?:of\s+which|including|compared|up\s+from|from)\b", head):
        return False
    return bool(NOT_HOLDINGS.search(head))


COMPARED = re.compile(rf"\b(?:compared\s+(?:with|to)|up\s+from|down\s+from)\s+{LEAD}{QUANTITY}\s+{ASSET}\s+as\s+of\s+"
                      rf"(?P<date>{PLAIN_DATE})", re.I)


def _compared(where: Where) -> list[Found]:
    """"held 1,792 BTC, compared with 1,709 BTC as of June 30, 2025": the earlier balance."""
    out = []
    if not re.search(r"\b(?:held|holds|holdings?|owned|owns)\b", where.sentence, re.I):
        return out
    for match in COMPARED.finditer(where.sentence):
        if asset_of(match) is None or not _subject_ok(where, match.start()):
            continue
        day, guessed = as_of_in("as of " + match.group("date"), year_of=where.context.date)
        out.append(_found("balance", match, where, date=day, rule="holdings-compared-with",
                          doubt=year_doubt(day, guessed, where.context.date)))
    return out


ACCOUNT = re.compile(r"^\s*(?:in|on|at|within)\s+(?:our|its|the|their)\s+[^,.;]{0,40}?\b(?:Treasury|wallets?|accounts?|"
                     r"custody|reserve|fund|portfolio)\b", re.I)


def _part_of_holdings(where: Where, match: re.Match) -> str | None:
    """Why a stated holding may be a part, not the company's whole: a subsidiary's, or one account's."""
    subsidiary = where.context.subsidiary_in(_clause_before(where.sentence, match.start())[-120:])
    if subsidiary:
        return f"the holdings of a subsidiary ({subsidiary}), maybe not all of the company's"
    if ACCOUNT.match(where.sentence[match.end():]):
        return "the holdings of one account or purpose, maybe not all of the company's"
    return None


def _asset_holdings(where: Where) -> list[Found]:
    out = []
    for match in ASSET_HOLDINGS.finditer(where.sentence):
        if asset_of(match) is None or _planned(where.sentence, match.start()) or \
                bounded(where.sentence[:match.start("q")]) or not _subject_ok(where, match.start()):
            continue
        day, doubt = _balance_date(where, where.sentence[match.end():])
        out.append(_found("balance", match, where, date=day, rule="asset-holdings-total", doubt=doubt))
    return out


def _held_by(where: Where) -> list[Found]:
    out = []
    for match in HELD_BY.finditer(where.sentence):
        if asset_of(match) is None or not where.context.is_self(match.group("holder")):
            continue
        day, doubt = _balance_date(where, "as of " + match.group("date"))
        amount, currency = money_of(match)
        out.append(_found("balance", match, where, amount=amount, currency=currency, date=day, rule="held-by-acquired-for",
                          doubt=doubt))
    return out


def _from_to(where: Where) -> list[Found]:
    out = []
    if not re.search(r"\bholdings?\b", where.sentence, re.I):
        return out
    year_of = where.context.date
    for match in FROM_TO.finditer(where.sentence):
        before, _ = as_of_in("as of " + match.group("fdate"), year_of=year_of)
        after, _ = as_of_in("as of " + match.group("date"), year_of=year_of)
        asset = asset_of(match)
        if asset is None or not _subject_ok(where, match.start()):
            continue
        out.append(_found("balance", match, where, date=before, rule="holdings-from-to", asset=asset,
                          quantity=quantity_of(match, "f")))
        out.append(_found("balance", match, where, date=after, rule="holdings-from-to", asset=asset))
    return out


def _to_date_total(where: Where) -> list[Found]:
    out = []
    for match in TO_DATE_TOTAL.finditer(where.sentence):
        if asset_of(match) is None or not _subject_ok(where, match.start()):
            continue
        amount, currency = money_of(match)
        day, doubt = _balance_date(where, "")
        out.append(_found("balance", match, where, amount=amount, currency=currency, date=day, rule="purchased-total-to-date",
                          doubt="a total purchased to date, read as the holdings"))
    return out


def _cash(where: Where) -> list[Found]:
    out = []
    for match in CASH.finditer(where.sentence):
        if _planned(where.sentence, match.start()) or bounded(where.sentence[:match.start("a")]):
            continue
        value, currency = money_of(match)
        day, doubt = _balance_date(where, where.sentence[match.end():])
        out.append(Found(kind="fact", asset=None, quantity=None, amount=None, currency=currency, date=day,
                         period_start=None, name="cash", value=value,
                         quote=quote(where.sentence, match.start(), match.end()), rule="cash-of", doubt=doubt))
    return out


def _shares(where: Where) -> list[Found]:
    out = []
    for match in SHARES.finditer(where.sentence):
        if re.search(r"\bclass\s+[a-c]\b", where.sentence, re.I) or _planned(where.sentence, match.start()):
            continue  # several classes: the cover page's sum is the periodic reader's
        day, doubt = _balance_date(where, where.sentence[match.end():])
        out.append(Found(kind="fact", asset=None, quantity=None, amount=None, currency=None, date=day, period_start=None,
                         name="shares_basic", value=exact(number(match.group("n"))),
                         quote=quote(where.sentence, match.start(), match.end()), rule="shares-outstanding", doubt=doubt))
    return out


# A sentence with no digit, or with neither an asset's word nor "cash"/"shares", goes through no rule.
DIGIT = re.compile(r"\d")
HINT = re.compile(r"\b(?:" + "|".join(sorted({re.escape(w.lower()) for a in ASSETS for w in (a.symbol, *a.symbols, *a.names)},
                                               key=len, reverse=True)) + r"|cash|shares)\b", re.I)


def worth_reading(sentence: str) -> bool:
    return DIGIT.search(sentence) is not None and HINT.search(sentence) is not None


SENTENCE_RULES: tuple[SentenceRule, ...] = (
    SentenceRule("acquired-for", _flow("buy", BUY, "acquired-for"),
                 "the Company purchased approximately 3,907 bitcoins for approximately $177.0 million in cash",
                 ("acquired", "purchased", "bought", "acquisition", "purchase of")),
    SentenceRule("sold-for", _flow("sell", SELL, "sold-for"),
                 "MacroStrategy sold approximately 704 bitcoins for cash proceeds of approximately $11.8 million",
                 ("sold", "disposed")),
    SentenceRule("mined-in", _flow("mine", MINE, "mined-in"), "the Company mined 523 BTC in October",
                 ("mined", "produced", "earned", "generated")),
    SentenceRule("holds-acquired-for", _holdings(HOLD, "holds-acquired-for"),
                 "As of February 2, 2021, the Company holds approximately 71,079 bitcoins that were acquired at an "
                 "aggregate purchase price of $1.145 billion", ("hold", "held", "own", "has ", "had ")),
    SentenceRule("holdings-of", _holdings(HOLDINGS_OF, "holdings-of", listed=True),
                 "the Company's crypto holdings are comprised of 1,523,373 ETH at $4,326 per ETH, 192 Bitcoin (BTC)",
                 ("holding",)),
    SentenceRule("asset-holdings-total", _asset_holdings, "the company's ETH holdings total 300,657 at $3,461.89 per ETH",
                 ("holding",)),
    SentenceRule("holdings-compared-with", _compared,
                 "As of July 31, 2025, the Company held 1,792 BTC, compared with 1,709 BTC as of June 30, 2025",
                 ("compared", "up from", "down from")),
    SentenceRule("treasury-with", _holdings(TREASURY_WITH, "treasury-with"),
                 "BitMine is the largest ETH Treasury in the world with 3,559,879 ETH", ("treasury", "holder")),
    SentenceRule("held-by-acquired-for", _held_by,
                 "The approximately 132,500 bitcoins held by MicroStrategy and its subsidiaries as of December 27, 2022 "
                 "were acquired at an aggregate purchase price of approximately $4.03 billion", ("held by",)),
    SentenceRule("holdings-from-to", _from_to,
                 "increased its bitcoin holdings by 2,500 bitcoins, from approximately 130,000 bitcoins as of October 31, "
                 "2022, to approximately 132,500 bitcoins as of December 27, 2022", ("holding",)),
    SentenceRule("purchased-total-to-date", _to_date_total,
                 "To date, the Company has purchased a total of 38,250 bitcoins at an aggregate purchase price of $425 "
                 "million", ("a total of",)),
    SentenceRule("cash-of", _cash, "unencumbered cash of $562 million", ("cash",)),
    SentenceRule("shares-outstanding", _shares, "there were 1,234,567 shares of the registrant's common stock outstanding",
                 ("outstanding",)),
)
