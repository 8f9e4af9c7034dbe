"""What a rule needs to know about the document around a sentence: the document's date (to complete a
date written without its year), who "the Company" is (its own names and the defined terms of the
document), and the dates a paragraph states ("As of January 22, 2021, ...")."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dattrack.reader.document import Document

DEFINED_TERM = re.compile(r"\(\s*(?:the\s+)?[“\"]([A-Z][\w.&’' -]{1,40}?)[”\"](?:\s*(?:,|or|and)\s*(?:the\s+)?"
                          r"[“\"]([A-Z][\w.&’' -]{1,40}?)[”\"])*")
QUOTED = re.compile(r"[“\"]([A-Z][\w.&’' -]{1,40}?)[”\"]")
EXACT_NAME = "exact name of registrant"
SUBSIDIARY_WORD = re.compile(r"subsidiar(?:y|ies)")
SUBSIDIARY_NAME = re.compile(r"\bsubsidiar(?:y|ies)\s*,?\s*((?:[A-Z][\w.&’'-]*\s*){1,4})")
NAMED_SUBSIDIARY = re.compile(r"((?:[A-Z][\w.&’'-]*\s+){1,3}?)(?:\([^)]{0,40}\)\s*)?,?\s*(?:a|our|its|the\s+Company[’']s)\s+"
                              r"(?:wholly[- ]owned\s+|indirect\s+|direct\s+)*subsidiary\b")
NOT_A_NAME = frozenset({"llc", "inc", "ltd", "corp", "the", "company", "our", "its", "a"})
FIRST_NAME = re.compile(r"\b((?!(?:On|As|In|The|During|For|From|After|Since)\b)[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*)*)"
                        r"(?:,?\s+(?:Inc|Corp|Ltd|LLC|plc|N\.V|S\.A)\.?)?\s+(?:also\s+)?(?:announced|today|reported|"
                        r"\(|held|holds|acquired|purchased|mined)")
THIRD_PARTY = re.compile(r"\b(?:customers?|clients?|users?|peers?|competitors?|investors?|other\s+(?:companies|holders|"
                         r"treasur(?:y|ies))|the\s+(?:network|industry|market)|miners\s+worldwide|(?:ETF|ETP|fund)s?)\b",
                         re.I)
SUBSIDIARY = re.compile(r"\b(?:its|our|a|the)\s+(?:wholly[- ]owned\s+|indirect\s+|direct\s+)*subsidiar(?:y|ies)\s*,?\s*"
                        r"(?:[A-Z][\w.&’'-]*\s*)+(?:\([^)]*\))?")
SELF_WORDS = frozenset({"company", "company’s", "company's", "we", "our", "us", "it", "its", "registrant",
                        "corporation", "group", "firm", "issuer"})
GENERIC_CAPITALS = frozenset("""The A An On As In During From Between After Before Since For With At By To Of And
Or Also Additionally Including Together Through Its Our We It This That These Such Each Approximately
January February March April May June July August September October November December Company Company’s
Company's Inc Inc. Incorporated Corp Corp. Corporation LLC Ltd Ltd. Limited Holdings Technologies Group Co Co.
Board Directors Chairman Executive Chief Officer CEO CFO Registrant Subsidiaries Subsidiary Nasdaq NYSE
American Global Select Market Exchange Treasury Reserve Policy Bitcoin Ether Ethereum Solana Sales Agreement
Shares Offering Notes ATM Common Stock Preferred Series Class U.S. United States Dollar Dollars
Q1 Q2 Q3 Q4 Update Updates BTC ETH SOL d/b/a ET EST EDT PT PST PDT CT UTC GMT""".split())


@dataclass(frozen=True)
class Context:
    date: dt.date | None                 # the document's own date (filing or release date)
    names: frozenset[str]                # the company's names and the document's defined terms, lower case
    subsidiaries: frozenset[str] = frozenset()   # names the document gives its subsidiaries, lower case

    def subsidiary_in(self, subject: str) -> str | None:
        """The subsidiary a subject names, when it names one and not the company with them."""
        if re.search(r"together\s+with|and\s+its\s+subsidiaries|consolidated", subject, re.I):
            return None
        for word in re.findall(r"[A-Z][\w’'.&-]*", subject):
            if _bare(word) in self.subsidiaries:
                return word
        return None

    def is_self(self, subject: str) -> bool:
        """True unless the subject names a proper name that is neither the company nor one of the
        document's defined terms, or a third party ("customers", "other companies"): a figure about
        another holder is no disclosure of this one."""
        if THIRD_PARTY.search(subject):
            return False
        subject = SUBSIDIARY.sub(" ", subject)  # "through its wholly-owned subsidiary MacroStrategy LLC"
        words = re.findall(r"[A-Z][\w’'.&-]*", subject)
        strangers = [w for w in words if w not in GENERIC_CAPITALS and _bare(w) not in self.names
                     and w.lower() not in self.names and w.lower() not in SELF_WORDS]
        if not strangers:
            return True
        return not self.names  # a document that names nobody cannot tell whose figure it is


def context_of(document: Document, date: dt.date | None) -> Context:
    names: set[str] = set()
    paragraphs = document.paragraphs
    head = " ".join(paragraphs[:60])[:20000]
    for i, paragraph in enumerate(paragraphs[:80]):
        at = paragraph.lower().find(EXACT_NAME)
        if at > 3:
            names.update(_name_words(paragraph[:at].rstrip(" (")[-80:]))
        elif at >= 0 and i:
            names.update(_name_words(paragraphs[i - 1][-80:]))
    text = document.text[:80000]
    for match in DEFINED_TERM.finditer(text):
        for term in QUOTED.findall(match.group(0)):
            names.update(_name_words(term))
    if document.tree is not None:
        for el in document.tree.iter():
            tag = el.tag
            if isinstance(tag, str) and tag.lower().endswith("nonnumeric") and \
                    (el.get("name") or "").endswith("EntityRegistrantName"):
                names.update(_name_words("".join(el.itertext())))
                break
    names -= {"the", "inc", "inc.", "company", "corp", "llc"}
    wide = text if len(text) < 80000 else document.text[:400000]
    windows = [wide[max(0, m.start() - 120):m.end() + 60] for m in SUBSIDIARY_WORD.finditer(wide)]
    subsidiaries = {_bare(w) for window in windows for pattern in (SUBSIDIARY_NAME, NAMED_SUBSIDIARY)
                    for match in pattern.finditer(window) for w in match.group(1).split()
                    if w[:1].isupper() and _bare(w) not in NOT_A_NAME}
    if not names:  # a press release that defines no terms: the company is the first name it gives
        first = FIRST_NAME.search(head[:2000])
        if first:
            names.update(_name_words(first.group(1)))
    return Context(date=date, names=frozenset(names), subsidiaries=frozenset(subsidiaries))


def _bare(word: str) -> str:
    """A word without its possessive and its punctuation, lower case: "SharpLink's" -> "sharplink"."""
    return re.sub(r"[’']s$", "", word).strip(".,").lower()


def _name_words(text: str) -> set[str]:
    words = {w.lower().strip(".,’'") for w in re.findall(r"[A-Za-z][\w’'.&-]*", text)}
    return {w for w in words if len(w) > 1} | {text.strip().lower()}
