"""The one-file HTML report: every text escaped here and only here, CSS inline, charts as inline
SVG, sources as links. Nothing is loaded from the network when the page opens and no script runs."""

from __future__ import annotations

import re
from decimal import Decimal
from html import escape

from dattrack.render.output import SourceNumbers, as_of_words, inputs_line, readable, unit_kind
from dattrack.render.svg import line_chart

URL = re.compile(r"https?://[^\s<>\"')\]]+[^\s<>\"')\].,;:]")
BARE_URL = re.compile(r"\b(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|gov|io|ai|news|media|tech|jp)/[^\s<>\"')\],;]*[^\s<>\"')\].,;:]")
ACCESSION = re.compile(r"\b\d{10}-\d{2}-\d{6}\b")
REPOSITORY_FILE = re.compile(r"\b([A-Za-z0-9][\w-]*)/([\w.-]+)/([\w./-]+?)@([0-9a-f]{7,40})\b")
SOURCE_LINK = re.compile("|".join(f"(?:{p.pattern})" for p in (URL, REPOSITORY_FILE, ACCESSION, BARE_URL)))

STYLE = """
:root { color-scheme: light; --ink: #1b1f24; --muted: #59636e; --line: #d0d7de; --bad: #b42318; --good: #1a7f37;
        --warn: #9a6700; --band: #f6f8fa; --paper: #fff; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 0 auto;
       max-width: 1200px; padding: 16px; background: var(--paper); }
h1 { font-size: 1.5rem; margin: 0 0 4px; } h2 { font-size: 1.2rem; margin: 28px 0 8px; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.05rem; margin: 0 0 6px; }
p.meta, .muted { color: var(--muted); }
nav { display: flex; flex-wrap: wrap; gap: 4px 12px; } nav a { white-space: nowrap; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: auto; min-width: min(100%, 560px); font-variant-numeric: tabular-nums;
        font-size: 0.9rem; }
section h3 { margin: 18px 0 4px; }
article h4 { font-size: 1rem; margin: 16px 0 4px; }
.pair { display: flex; flex-wrap: wrap; gap: 0 32px; align-items: flex-start; } .pair > div { max-width: 100%; }
.pair p.rule { max-width: 40em; }
th, td { padding: 4px 7px; border-bottom: 1px solid var(--line); text-align: left; white-space: nowrap; }
th { vertical-align: bottom; white-space: normal; font-weight: 600; }
td.n, th.n { text-align: right; }
td.wrap { white-space: normal; min-width: 12em; overflow-wrap: anywhere; }
.scroll tr > :first-child { position: sticky; left: 0; background: var(--paper); z-index: 1; }
tr.bad td { color: var(--bad); font-weight: 600; }
.stale { color: var(--warn); } .neg { color: var(--bad); } .pos { color: var(--good); }
sup.mark { font-size: 0.72em; margin-left: 1px; } sup.mark a { text-decoration: none; }
ol.notes { font-size: 0.85rem; color: var(--muted); margin: 6px 0 0; padding-left: 28px; }
ol.notes li { overflow-wrap: anywhere; } ol.notes b { color: var(--ink); font-weight: 600; }
p.rule { font-size: 0.85rem; color: var(--muted); margin: 6px 0 0; }
article { border: 1px solid var(--line); border-radius: 8px; padding: 12px; margin: 16px 0; break-inside: avoid; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 8px; margin: 8px 0; }
.figures div { background: var(--band); border-radius: 6px; padding: 6px 8px; }
.figures b { display: block; font-size: 1.1rem; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(330px, 1fr)); gap: 12px; }
figure { margin: 0; } figcaption { font-size: 0.85rem; color: var(--muted); margin-bottom: 2px; }
svg.chart { width: 100%; height: auto; background: var(--paper); border: 1px solid var(--line); border-radius: 6px; }
svg.chart text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; fill: var(--muted); }
svg .axis { stroke: #8c959f; stroke-width: 1; } svg .grid { stroke: #e6e9ed; stroke-width: 1; }
svg .unknown { fill: #eef1f4; } svg .reference { stroke: var(--bad); stroke-dasharray: 6 4; }
svg text.reference-label { fill: var(--bad); } svg text.note { font-style: italic; }
svg text.legend { fill: var(--ink); } svg text.last { font-weight: 700; }
svg text.last, svg text.reference-label, svg text.note { paint-order: stroke; stroke: var(--paper); stroke-width: 4px;
                                                        stroke-linejoin: round; }
ol.sources { font-size: 0.85rem; color: var(--muted); padding-left: 28px; } ol.sources li { overflow-wrap: anywhere; }
details summary { cursor: pointer; color: var(--muted); }
@media (max-width: 640px) {
  body { padding: 8px; font-size: 14px; } .opt { display: none; }
  table.stack thead { display: none; }
  table.stack, table.stack tbody, table.stack td { display: block; width: 100%; }
  table.stack tr { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); column-gap: 14px; border: 1px solid var(--line);
                   border-radius: 6px; margin: 0 0 8px; padding: 4px 8px; }
  table.stack td.wrap, table.stack td:first-child { grid-column: 1 / -1; }
  table.stack td { display: block; border: 0; padding: 2px 0; white-space: normal; text-align: right;
                   position: static; min-width: 0; }
  table.stack td::before { content: attr(data-label); color: var(--muted); float: left; margin-right: 10px;
                           text-align: left; }
  table.stack td.wrap { text-align: left; } table.stack td.wrap::before { float: none; display: block; }
  table.stack td:first-child { font-weight: 600; text-align: left; } table.stack td:first-child::before { content: none; }
  table.stack td.opt { display: none; }
}
@media print { nav { display: none; } body { max-width: none; font-size: 11px; } .scroll { overflow: visible; }
  article { page-break-inside: avoid; } a { color: inherit; text-decoration: none; } }
"""


def page(content: dict) -> str:
    """The whole report as one HTML document."""
    companies = content["companies"]
    body = [
        f"<header><h1>Digital asset treasury companies</h1><p class=\"meta\">"
        f"{escape(as_of_words(content['as_of'], content.get('known_on')).capitalize())} · "
        f"generated {escape(content['generated'])} by dattrack · {len(companies)} companies · "
        f"<span class=\"stale\">amber</span> marks an input older than its freshness limit</p>"
        + _dates(content.get("dates")) + "</header>",
        "<nav>" + "".join(f'<a href="#{anchor}">{escape(name)}</a>' for anchor, name in
                          (("summary", "Summary"), ("mnav", "mNAV"), ("holdings", "Holdings"), ("flows", "Flows"),
                           ("risk", "Risk"), ("check", "Check"), ("companies", "Companies"))) + "</nav>",
        _section("summary", f"The headline, since {content['summary']['since']}", _summary(content["summary"]))
        if content.get("summary") else "",
        _section("mnav", "mNAV: is the stock priced above or below its crypto?", _mnav_table(companies)),
        _section("holdings", "Holdings", _holdings_table(content["holdings"])),
        _section("flows", "Who is buying, who is selling", _flows_table(content["flows"], content["as_of"],
                                                                        (content.get("summary") or {}).get("since"))),
        _section("risk", "Capital stack and risk", _risk_table(content["risk"])),
        _section("check", "Disclosures that disagree with the events", _check_table(content["check"])),
        "<section id=\"companies\"><h2>Companies</h2>" + "".join(_company(c) for c in companies) + "</section>",
        "<footer class=\"muted\"><p>Every figure comes from the local dattrack ledger; each company lists the "
        "sources of its inputs. Money in USD unless a currency is named.</p></footer>",
    ]
    title = f"dattrack report — {as_of_words(content['as_of'], content.get('known_on'))}"
    return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>\n"
            + "\n".join(body) + "\n</body></html>\n")


def _dates(dates) -> str:
    """What the figures rest on, as the terminal reports say it in their header (SPEC 10)."""
    if dates is None:
        return ""
    css = ' class="stale"' if dates.stale else ""
    return f'<p class="meta"><span{css}>{escape(inputs_line(dates))}</span></p>'


def _section(anchor: str, title: str, inner: str) -> str:
    return f'<section id="{anchor}"><h2>{escape(title)}</h2>{inner}</section>'


def _table(headers: list[tuple], rows: list[list[str]], row_classes: list[str] | None = None,
           notes: Footnotes | None = None, rule: str | None = None) -> str:
    """headers: (text, numeric[, optional[, wraps]]); optional columns give way on a phone, where every
    row becomes a card of `label: value` lines; a column that wraps holds long text. Cells are HTML
    already escaped by the caller. Under the table: its footnotes (every caveat its cells mark) and the
    rule that reads it."""
    if not rows:
        return '<p class="muted">nothing to show</p>'

    def css(header: tuple) -> str:
        classes = [name for name, on in (("n", header[1]), ("opt", len(header) > 2 and header[2]),
                                          ("wrap", len(header) > 3 and header[3])) if on]
        return f' class="{" ".join(classes)}"' if classes else ""

    head = "".join(f"<th{css(h)}>{escape(h[0])}</th>" for h in headers)
    labels = [f' data-label="{escape(h[0], quote=True)}"' for h in headers]
    lines = []
    for index, row in enumerate(rows):
        row_css = f' class="{row_classes[index]}"' if row_classes and row_classes[index] else ""
        lines.append(f"<tr{row_css}>" + "".join(f"<td{css(h)}{label}>{c}</td>"
                                                for c, h, label in zip(row, headers, labels)) + "</tr>")
    return (f'<div class="scroll"><table class="stack"><thead><tr>{head}</tr></thead><tbody>{"".join(lines)}'
            f"</tbody></table></div>" + (notes.html() if notes else "")
            + (f'<p class="rule">{escape(rule)}</p>' if rule else ""))


class Footnotes:
    """The caveats of one table, printed under it: each text once, lettered in the order first cited,
    its letter beside every cell it explains (a link to it). On paper and phones alike, not a hover."""

    def __init__(self, table: str):
        self.table = table
        self.letters: dict[str, str] = {}

    def mark(self, *texts: str) -> str:
        """The marks for these caveats (none: empty), each a link to its footnote."""
        marks = []
        for text in dict.fromkeys(t for t in texts if t):
            letter = self.letters.setdefault(text, _letter(len(self.letters)))
            marks.append(f'<a href="#n-{escape(self.table, quote=True)}-{letter}">{letter}</a>')
        return f'<sup class="mark">{",".join(marks)}</sup>' if marks else ""

    def html(self) -> str:
        if not self.letters:
            return ""
        items = "".join(f'<li id="n-{escape(self.table, quote=True)}-{letter}" value="{index + 1}">{_note(text)}</li>'
                        for index, (text, letter) in enumerate(self.letters.items()))
        return f'<ol class="notes" type="a">{items}</ol>'


def _letter(index: int) -> str:
    """a, b, … z, aa, ab, …: the way an <ol type="a"> counts, so the marks match the list."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def _note(text: str) -> str:
    """A footnote: 'TICKER: text' with its ticker in bold (a note that names no company stays as it is)."""
    head, sep, rest = text.partition(": ")
    if sep and head.replace(" ", "").isalnum() and head.upper() == head:
        return f"<b>{escape(head)}</b>: {escape(rest)}"
    return escape(text)


def number(value, kind: str = "qty", *, stale: bool = False, signed: bool = False) -> str:
    text = escape(readable(value, kind, compact=kind == "money"))
    classes = []
    if stale:
        classes.append("stale")
    if signed and isinstance(value, Decimal) and value:
        classes.append("neg" if value < 0 else "pos")
    return f'<span class="{" ".join(classes)}">{text}</span>' if classes else text


def _ticker_link(ticker: str) -> str:
    return f'<a href="#c-{escape(ticker, quote=True)}">{escape(ticker)}</a>'


def _mnav_table(companies: list[dict]) -> str:
    rows = sorted(companies, key=lambda c: (c["valuation"]["mnav"] is None, c["valuation"]["mnav"] or 0))
    headers = [("Ticker", False), ("Name", False, True), ("mNAV", True), ("EV mNAV", True), ("Diluted mNAV", True, True),
               ("Market cap", True), ("NAV", True), ("Debt", True, True), ("Cash", True, True), ("Caveats", False)]
    notes, cells = Footnotes("mnav"), []
    for c in rows:
        v, ticker = c["valuation"], c["company"]["ticker"]
        caveats = list(dict.fromkeys(n["text"] for line in c["lines"] for n in line["notes"]
                                     if n["kind"] in ("missing", "stale")))
        cells.append([_ticker_link(ticker), escape(c["company"]["name"] or ""),
                      number(v["mnav"], "ratio"), number(v["ev_mnav"], "ratio"), number(v["diluted_mnav"], "ratio"),
                      number(v["market_cap"], "money"), number(v["nav"], "money"), number(v["debt"], "money"),
                      number(v["cash"], "money"),
                      f"{len(caveats)}{notes.mark(f'{ticker}: ' + '; '.join(caveats))}" if caveats else "—"])
    return ('<p class="muted">Below 1.0 the company trades under the value of its crypto. Each ticker links to '
            "its inputs and their sources; the letters point to the caveats under the table.</p>"
            + _table(headers, cells, notes=notes))


def _holdings_table(rows: list[dict]) -> str:
    headers = [("Ticker", False), ("Asset", False), ("Quantity", True), ("Cost basis", True), ("Value", True, True),
               ("Value USD", True), ("Unrealized P&L", True, True), ("P&L %", True), ("Ccy", False, True),
               ("Price date", False, True)]
    notes, cells = Footnotes("holdings"), []
    for r in rows:
        cells.append([_ticker_link(r["ticker"]), escape(r["asset"]), number(r["quantity"]),
                      cost_basis(r, notes), number(r["value"], "money"), number(r["value_usd"], "money"),
                      number(r["unrealized_pnl"], "money", signed=True),
                      number(r["unrealized_pnl_pct"], "pct", signed=True), escape(r["currency"]),
                      number(r["price_date"], "date", stale=bool(r.get("price_stale")))
                      + (notes.mark("a price older than its freshness limit (3 days for crypto)")
                         if r.get("price_stale") else "")])
    return _table(headers, cells, notes=notes)


def cost_basis(row: dict, notes: Footnotes) -> str:
    """A cost basis as far as it is known: in full; or, when units came in with no disclosed cost, the
    known part with the share of units it covers ("cost of 62% of units: 1.2B") — never a bare 0.00."""
    if row["cost_complete"] or row["quantity"] is None:
        return number(row["cost_basis"], "money")
    held, known = row["quantity"], row.get("cost_known_quantity")
    mark = notes.mark("units were added with no disclosed cost: the cost basis is known only for the units the "
                      "share says (average cost and unrealized P&L are unknown, never taken as 0)")
    if known is None or not held:
        words = "known part: " + readable(row["cost_basis"], "money", compact=True) if row["cost_basis"] else "unknown"
    elif not known:
        words = "no cost disclosed"
    else:
        share = (known * 100 / held).quantize(Decimal(1))
        share = share if 0 < share < 100 else (Decimal(1) if share == 0 else Decimal(99))   # never 0% or 100%
        words = f"cost of {share}% of units: {readable(row['cost_basis'], 'money', compact=True)}"
    return f'<span class="stale">{escape(words)}</span>{mark}'


def _summary(summary: dict) -> str:
    """The headline: what the tracked companies hold, who holds most, who sold and for how much, who
    bought — the figures of `dattrack summary`."""
    since = summary["since"]
    totals = _table([("Asset", False), ("Held", True), ("Value USD", True), ("Companies", True)],
                    [[escape(r["asset"]), number(r["quantity"]), number(r["value_usd"], "money"),
                      number(r["companies"], "int")] for r in summary["totals"]])
    leaders = _table([("#", True), ("Ticker", False), ("Asset", False), ("Held", True), ("Value USD", True),
                      ("Share of the asset", True), (f"Change since {since}", True)],
                     [[number(r["rank"], "int"), _ticker_link(r["ticker"]), escape(r["asset"]), number(r["quantity"]),
                       number(r["value_usd"], "money"),
                       number(None if r["share"] is None else r["share"] * 100, "pct"),
                       number(r["change_since"], signed=True)] for r in summary["leaders"][:10]],
                     rule=f"The ten largest holders by USD value; share: of the units of that asset the tracked "
                          f"companies hold; change: units gained since {since} (— unknown: no disclosure then).")
    notes = Footnotes("sellers")
    cells = []
    for r in summary["sellers"]:
        implied = ' <span class="stale">implied</span>' if r["implied"] else ""
        proceeds = (number(r["proceeds"], "money") if r["proceeds_disclosed"]
                    else '<span class="muted">not disclosed</span>')
        realized = number(r["realized_pnl"], "money", signed=True) + (
            notes.mark(f"{r['ticker']} {r['asset']}: {r['realized_pnl_reason']}") if r["realized_pnl_reason"] else "")
        cells.append([_ticker_link(r["ticker"]), escape(r["asset"]), number(r["units_sold"]) + implied, proceeds,
                      escape(r["proceeds_currency"]), realized])
    sellers = _table([("Ticker", False), ("Asset", False), ("Units sold", True), ("Proceeds disclosed", True),
                      ("Ccy", False, True), ("Realized P&L", True)], cells, notes=notes,
                     rule="Realized P&L at average cost. Implied: units that left through a falling balance, no "
                          "sale disclosed; valued at the close of the balance's date. An estimated or rounded "
                          "amount is not counted as disclosed.")
    buyers = _table([("Ticker", False), ("Asset", False), ("Units bought", True), ("Cost disclosed", True),
                     ("Ccy", False, True)],
                    [[_ticker_link(r["ticker"]), escape(r["asset"]), number(r["units_bought"]),
                      number(r["cost"], "money") if r["cost"] is not None else '<span class="muted">not disclosed</span>',
                      escape(r["cost_currency"])] for r in summary["buyers"]])
    return (f'<div class="pair"><div><h3>Held by the tracked companies</h3>{totals}</div>'
            f"<div><h3>Largest holders</h3>{leaders}</div></div>"
            f"<h3>Sellers since {escape(since)}</h3>{sellers}<h3>Buyers since {escape(since)}</h3>{buyers}")


def _flows_table(rows: list[dict], as_of: str, since: str | None) -> str:
    """Each book's change over the last 30 days and over the window, in units and in USD (the money
    disclosed, else the units at the day's price, marked), labelled by the window."""
    window = "since" if since else "ytd"
    headers = [("Ticker", False), ("Asset", False, True), ("Held", True), ("30 days", True, True),
               (f"Since {since}" if since else "Year to date", True), ("USD", True), ("Flow", False),
               ("Last event", False, True)]
    notes = Footnotes("flows")
    priced = "units with no amount disclosed (an implied change) valued at the price of the day"
    cells = [[_ticker_link(r["ticker"]), escape(r["asset"]), number(r["quantity"]),
              number(r["change_30d"], signed=True), number(r[f"change_{window}"], signed=True),
              number(r[f"change_{window}_usd"], "money", signed=True)
              + (notes.mark(priced) if r.get(f"change_{window}_usd_basis") in ("price", "mixed") else ""),
              escape(r["direction"] or "—"), escape(f"{r['last_event_date']} {r['last_event_kind']}")] for r in rows]
    rule = (f"Flow: units held at the end of {as_of} against the start of the window ({'since ' + since if since else 'the year to date'}): "
            "selling = fewer, buying = more, flat = the same. USD: the costs and proceeds disclosed, else units at "
            "the day's price.")
    return _table(headers, cells, ["bad" if r["direction"] == "selling" else "" for r in rows], notes=notes, rule=rule)


def _risk_table(rows: list[dict]) -> str:
    keys = [("debt_to_nav", "Debt / NAV", "ratio"), ("btc_rating", "BTC rating", "ratio"), ("ltv", "LTV", "ratio"),
            ("margin_call_price", "Margin call price", "money"), ("liquidation_price", "Liquidation price", "money"),
            ("margin_cushion", "Cushion", "ratio"), ("cash_cover_months", "Cash cover (months)", "ratio"),
            ("mining_cost_to_price", "Mining cost / price", "ratio"),
            ("reserve_cover_months", "Reserve cover (months)", "ratio")]
    headers = [("Ticker", False)] + [(title, True) for _, title, _ in keys]
    notes = Footnotes("risk")
    cells = [[_ticker_link(r["ticker"]) + (notes.mark(f"{r['ticker']}: {r['reasons']}") if r.get("reasons") else "")]
             + [number(r.get(key), kind) for key, _, kind in keys] for r in rows]
    return ('<p class="muted">Money in USD. A dash is a figure that cannot be known from what is recorded; the '
            "letters say why.</p>" + _table(headers, cells, notes=notes))


def _ladder_table(claims: list[dict], ref) -> str:
    """The capital stack, most senior first: each claim rated by NAV / (it and every claim ahead), the
    rating of a claim the NAV does not cover marked and footnoted; the margin-call price where a claim
    has one (units pledged and a margin LTV recorded)."""
    if not claims:
        return ""
    ticker = claims[0].get("ticker") or ""
    notes = Footnotes(f"ladder-{ticker}")
    calls = any(c.get("margin_call_price") is not None for c in claims)
    headers = [("Claim", False, False, True), ("Kind", False, True), ("Rank", True), ("Outstanding", True),
               ("Ccy", False, True), ("Rate", True, True), ("Maturity", False, True), ("Cost / year", True),
               ("Claims ahead USD", True, True), ("BTC rating", True)]
    headers += [("Margin call price USD", True)] if calls else []
    headers += [("Source", False)]
    cells = []
    for c in claims:
        rating = number(c["btc_rating"], "ratio")
        if c.get("covered") is False:
            rating = f'<span class="neg">{rating}</span>' + notes.mark(
                "the NAV is less than this claim and every claim ahead of it: not covered")
        row = [escape(c["instrument"]), escape(c.get("kind") or ""), escape(str(c["seniority"])),
               number(c["outstanding"], "money"), escape(c["currency"] or ""), number(c.get("rate"), "percent"),
               escape(c.get("maturity") or "—"), number(c["annual_cost"], "money"),
               number(c.get("claims_ahead"), "money"), rating]
        row += [number(c.get("margin_call_price"), "money")] if calls else []
        cells.append(row + [ref(c["source"])])
    count = f"{len(claims)} claim{'' if len(claims) == 1 else 's'}"
    rule = ("Paid in this order: rank 1 first; claims of equal rank share their rating. BTC rating = NAV / (the "
            "claim + every claim ahead of it); below 1 the NAV does not cover it. Outstanding and cost in the "
            "claim's currency; cost / year = outstanding × rate.")
    return (f"<h4>Capital stack: {count}, most senior first</h4>"
            + _table(headers, cells, notes=notes, rule=rule))


def _check_table(rows: list[dict]) -> str:
    disagree = [r for r in rows if r["quantity_delta"]]
    asserted = sum(1 for r in rows if r["asserted"])
    summary = (f'<p class="muted">{len(rows)} disclosed balances, {asserted} asserted against the events, '
               f"{len(disagree)} disagree (delta = disclosed − computed).</p>")
    headers = [("Ticker", False), ("Asset", False), ("Date", False), ("Disclosed", True), ("From events", True),
               ("Unexplained", True)]
    cells = [[_ticker_link(r["ticker"]), escape(r["asset"]), escape(r["date"]), number(r["disclosed_quantity"]),
              number(r["computed_quantity"]), number(r["quantity_delta"], signed=True)] for r in disagree]
    return summary + _table(headers, cells, ["bad"] * len(cells))


def _company(section: dict) -> str:
    company, v = section["company"], section["valuation"]
    ticker = company["ticker"]
    sources = SourceNumbers()

    def ref(source) -> str:
        number_ = sources.number(source)
        if number_ is None:
            return '<span class="muted">(no source)</span>'
        return f'<a href="#s-{escape(ticker, quote=True)}-{number_}">[{number_}]</a>'

    held = " · ".join(f"{readable(r['quantity'])} {r['asset']}" for r in section["holdings"]) or "nothing held"
    figures = [("Holdings", escape(held)), ("NAV (USD)", number(v["nav"], "money")),
               ("Market cap (USD)", number(v["market_cap"], "money")), ("mNAV", number(v["mnav"], "ratio")),
               ("EV mNAV", number(v["ev_mnav"], "ratio")), (f"Share price ({v['currency']})", number(v["share_price"], "money"))]
    latest = section["latest_event"]
    quote = (f' <q class="muted">{escape(latest["note"])}</q>'   # read from a filing: the words it says
             if latest and latest.get("origin") == "filing" and latest.get("note") else "")
    latest_html = (f"<p>Latest disclosure: {escape(latest['date'])} {escape(latest['kind'])} "
                   f"{escape(readable(latest['quantity']))} {escape(latest['asset'])} {ref(latest['source'])}{quote}</p>"
                   if latest else '<p class="muted">No disclosure recorded.</p>')
    series = section["series"]
    span, unknown = series.get("span"), series.get("unknown_until")
    charts = [
        ("Holdings, from the disclosures", line_chart(series["holdings"], title=f"{ticker} holdings", kind="qty",
                                                      step=True, span=span, unknown=unknown)),
        ("mNAV, from the daily snapshots", line_chart(series["mnav"], title=f"{ticker} mNAV", kind="ratio",
                                                      reference=Decimal(1), reference_label="1.0 = NAV", span=span,
                                                      unknown=unknown)),
        ("Value in USD, from the daily snapshots", line_chart(series["value_usd"], title=f"{ticker} value in USD",
                                                              kind="money", span=span, unknown=unknown)),
    ]
    lines = []
    for line in section["lines"]:
        inputs = "; ".join(
            f"{escape(i['name'])} {number(i['value'], 'qty', stale=i['stale'])}"
            f"{' on ' + escape(i['date'].isoformat()) if i['date'] else ''} {ref(i['source'])}" for i in line["inputs"])
        notes = "; ".join(escape(f"{n['kind']}: {n['text']}") for n in line["notes"])
        kind = unit_kind(line["unit"], company["currency"])
        lines.append([escape(line["figure"]), number(line["value"], kind), escape(line["unit"] or ""),
                      escape(line["formula"]), inputs or "—", notes or "—"])
    table = _table([("Figure", False), ("Value", True), ("Unit", False), ("Formula", False, False, True),
                    ("Inputs", False, False, True), ("Caveats", False, False, True)], lines)
    ladder = _ladder_table(section.get("claims") or [], ref)
    disagreements = "".join(
        f"<li>{escape(r['date'])}: disclosed {escape(readable(r['disclosed_quantity']))}, events give "
        f"{escape(readable(r['computed_quantity']))} (unexplained {escape(readable(r['quantity_delta']))})</li>"
        for r in section["disagreements"])
    listing = "".join(f'<li id="s-{escape(ticker, quote=True)}-{n}">{linked(text, company.get("cik"))}</li>'
                      for text, n in sources.numbers.items())
    return (f'<article id="c-{escape(ticker, quote=True)}"><h3>{escape(company["name"] or ticker)} ({escape(ticker)})</h3>'
            f'<p class="muted">{escape(company["kind"])} · {escape(company["asset"])} · {escape(company["currency"])}'
            f' · quote {escape(company["quote_symbol"])}</p>'
            '<div class="figures">' + "".join(f"<div>{escape(name)}<b>{html}</b></div>" for name, html in figures)
            + "</div>" + latest_html
            + (f'<p class="bad">Disclosures that disagree with the events:</p><ul>{disagreements}</ul>' if disagreements else "")
            + '<div class="charts">' + "".join(f"<figure><figcaption>{escape(caption)}</figcaption>{svg}</figure>"
                                              for caption, svg in charts) + "</div>"
            + ladder
            + f"<details><summary>Every figure, its formula and inputs</summary>{table}</details>"
            + (f'<ol class="sources">{listing}</ol>' if listing else "") + "</article>")


def linked(text: str, cik: str | None = None) -> str:
    """Source text, escaped, with its URLs, SEC accession numbers and repository files as links."""
    out, last = [], 0
    for match in SOURCE_LINK.finditer(text):
        out.append(escape(text[last:match.start()]))
        found = match.group(0)
        href = _href(found, cik)
        out.append(f'<a href="{escape(href, quote=True)}">{escape(found)}</a>' if href else escape(found))
        last = match.end()
    out.append(escape(text[last:]))
    return "".join(out)


def _href(found: str, cik: str | None) -> str | None:
    if found.startswith(("http://", "https://")):
        return found
    if ACCESSION.fullmatch(found):
        return f"https://www.sec.gov/Archives/edgar/data/{int(cik)}/{found.replace('-', '')}/" if cik else None
    repository = REPOSITORY_FILE.fullmatch(found)
    if repository:
        owner, name, path, commit = repository.groups()
        return f"https://github.com/{owner}/{name}/blob/{commit}/{path}"
    return "https://" + found
