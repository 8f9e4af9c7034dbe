"""The pieces every sentence rule is written in: an asset as documents name it, a quantity, an amount
of money, and the words that make a figure no disclosure (targets, plans, "up to", "more than")."""

from __future__ import annotations

import re
from decimal import Decimal

from dattrack.assets import ASSETS, asset_named
from dattrack.reader.amounts import CURRENCY, NUMBER, SCALE, currency_of, exact, number, scaled


def _asset_words() -> str:
    names = sorted({n for a in ASSETS for n in a.names}, key=len, reverse=True)
    symbols = sorted({s for a in ASSETS for s in (a.symbol, *a.symbols)}, key=len, reverse=True)
    return "|".join([*(f"(?i:{re.escape(n)})" for n in names), *(re.escape(s) for s in symbols)])


# "bitcoins", "BTC", "Bitcoin (BTC)", "ETH tokens", "SOL" — the word, then an optional "(BTC)" and "tokens"
# the word used as an adjective names no holding: "bitcoin miners", "bitcoin mining units", "ETH ETFs"
NOT_THE_COIN = (r"(?!\s+(?:miners?|mining|machines?|rigs?|ATMs?|ETFs?|ETPs?|funds?|trusts?|treasur\w*|addresses|wallets?|"
                r"network|prices?|blockchain|hash\w*|servers?|equipment|options?|futures|derivatives?|companies|company|"
                r"related|denominated|backed|exposure))")
ASSET = (rf"(?P<asset>{_asset_words()})\b(?:\s*\((?:{_asset_words()})\))?(?:\s+(?:tokens|coins|units))?\b"
         rf"{NOT_THE_COIN}")
LEAD = r"(?:(?:approximately|about|roughly|around|an\s+aggregate\s+of|aggregate\s+of|a\s+total\s+of|in\s+total|a\s+further)\s+)*"
# a number is read whole: "3.43%" never yields 3.4 or 3
QUANTITY = rf"(?P<q>{NUMBER})(?![.,]?\d)(?:\s+(?P<qs>million|billion|thousand)\b)?"
MONEY = rf"(?P<cur>{CURRENCY})\s?(?P<a>{NUMBER})(?![.,]?\d)(?:\s*(?P<as>{SCALE}))?"
LINK_AMOUNT = (r"(?:for|at\s+an\s+aggregate\s+(?:purchase\s+)?(?:price|cost)\s+of|for\s+an\s+aggregate\s+(?:purchase\s+)?"
               r"(?:price|cost)\s+of|at\s+a\s+(?:total\s+)?cost\s+of|for\s+a\s+total\s+(?:purchase\s+price|cost|"
               r"consideration)\s+of|for\s+(?:total\s+)?(?:cash\s+)?consideration\s+of|for\s+(?:cash\s+|net\s+|total\s+|"
               r"gross\s+)*proceeds\s+of)")
# words that make what follows a plan, a target or a bound, not a figure that happened
NOT_A_FACT = re.compile(r"\b(?:intends?|intended|plans?|planned|aims?|aiming|targets?|targeting|goal|seeks?|"
                        r"anticipates?|expects?|expected|may(?!\s+\d)|might|could|would|will|shall|should|propos\w+|"
                        r"potential(?:ly)?|forecast\w*|projected|estimates?\s+to|in\s+order\s+to|hopes?|"
                        r"strives?|commit(?:s|ted)?\s+to|wants?\s+to|if)\b", re.I)
BOUND = re.compile(r"\b(?:up\s+to|more\s+than|over|at\s+least|at\s+most|nearly|almost|exceed\w*|in\s+excess\s+of|"
                   r"less\s+than|fewer\s+than|under|below|above|surpass\w*|approaching|some)\s*$", re.I)
NOT_HOLDINGS = re.compile(r"\b(?:pledged|collateral|staked|loaned|lent|restricted|options?|derivatives?|deployed|DeFi|"
                          r"subject\s+to|vesting|locked|escrow|"
                          r"of\s+these|in\s+custody\s+for|on\s+behalf\s+of\s+(?:customers|clients)|ETPs?|ETFs?|"
                          r"supply|mining\s+rewards?|block\s+rewards?|per\s+block)\b", re.I)


def quantity_of(match: re.Match, prefix: str = "") -> Decimal:
    return exact(scaled(number(match.group(f"{prefix}q")), match.group(f"{prefix}qs")))


def money_of(match: re.Match, prefix: str = "") -> tuple[Decimal, str | None]:
    value = exact(scaled(number(match.group(f"{prefix}a")), match.group(f"{prefix}as")))
    return value, currency_of(match.group(f"{prefix}cur"))


def asset_of(match: re.Match) -> str | None:
    return asset_named(match.group("asset"))


def bounded(text_before: str) -> bool:
    """True when the words just before a number make it a bound ("more than", "up to", "exceeding")."""
    return bool(BOUND.search(text_before[-30:]))
