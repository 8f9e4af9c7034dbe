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
        --warn: #9a6700; --band: #f6f8fa; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 0 auto;
       max-width: 1100px; padding: 16px; }
h1 { font-size: 1.5rem; margin: 0 0 4px; } h2 { font-size: 1.2rem; margin: 28px 0 8px; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.05rem; margin: 0 0 6px; }
p.meta, .muted { color: var(--muted); }
nav a { margin-right: 10px; white-space: nowrap; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 8px; border-bottom: 1px solid var(--line); text-align: left; white-space: nowrap; }
td.n, th.n { text-align: right; }
tr.bad td { color: var(--bad); font-weight: 600; }
.stale { color: var(--warn); } .neg { color: var(--bad); } .pos { color: var(--good); }
article { border: 1px solid var(--line); border-radius: 8px; padding: 12px; margin: 16px 0; break-inside: avoid; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 8px; margin: 8px 0; }
.figures div { background: var(--band); border-radius: 6px; padding: 6px 8px; }
.figures b { display: block; font-size: 1.1rem; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 12px; }
figure { margin: 0; } figcaption { font-size: 0.85rem; color: var(--muted); margin-bottom: 2px; }
svg.chart { width: 100%; height: auto; background: #fff; border: 1px solid var(--line); border-radius: 6px; }
svg .axis { stroke: #8c959f; stroke-width: 1; } svg .unknown { fill: #eef1f4; } svg .reference { stroke: var(--bad); stroke-dasharray: 6 4; }
svg .tick, svg text { font: 17px system-ui, sans-serif; fill: var(--muted); } svg .legend { font-weight: 600; }
ol.sources { font-size: 0.85rem; color: var(--muted); padding-left: 28px; } ol.sources li { overflow-wrap: anywhere; }
details summary { cursor: pointer; color: var(--muted); }
@media (max-width: 640px) { body { padding: 8px; font-size: 14px; } th, td { padding: 3px 5px; } .opt { display: none; } }
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
                          (("mnav", "mNAV"), ("holdings", "Holdings"), ("flows", "Flows"), ("risk", "Risk"),
                           ("check", "Check"), ("companies", "Companies"))) + "</nav>",
        _section("mnav", "mNAV: is the stock priced above or below its crypto?", _mnav_table(companies)),
        _section("holdings", "Holdings", _holdings_table(content["holdings"])),
        _section("flows", "Who is buying, who is selling", _flows_table(content["flows"])),
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


def _table(headers: list[tuple], rows: list[list[str]], row_classes: list[str] | None = None) -> str:
    """headers: (text, numeric[, optional]); optional columns give way on a phone. Cells are HTML
    already escaped by the caller."""
    if not rows:
        return '<p class="muted">nothing to show</p>'

    def css(header: tuple) -> str:
        classes = [name for name, on in (("n", header[1]), ("opt", len(header) > 2 and header[2])) if on]
        return f' class="{" ".join(classes)}"' if classes else ""

    head = "".join(f"<th{css(h)}>{escape(h[0])}</th>" for h in headers)
    lines = []
    for index, row in enumerate(rows):
        row_css = f' class="{row_classes[index]}"' if row_classes and row_classes[index] else ""
        lines.append(f"<tr{row_css}>" + "".join(f"<td{css(h)}>{c}</td>" for c, h in zip(row, headers)) + "</tr>")
    return f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{"".join(lines)}</tbody></table></div>'


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
               ("Market cap", True), ("NAV", True), ("Debt", True, True), ("Cash", True, True), ("Caveats", True, True)]
    cells = []
    for c in rows:
        v = c["valuation"]
        caveats = sorted({n["text"] for line in c["lines"] for n in line["notes"] if n["kind"] in ("missing", "stale")})
        cells.append([_ticker_link(c["company"]["ticker"]), escape(c["company"]["name"] or ""),
                      number(v["mnav"], "ratio"), number(v["ev_mnav"], "ratio"), number(v["diluted_mnav"], "ratio"),
                      number(v["market_cap"], "money"), number(v["nav"], "money"), number(v["debt"], "money"),
                      number(v["cash"], "money"),
                      f'<span class="stale" title="{escape("; ".join(caveats), quote=True)}">{len(caveats)}</span>'
                      if caveats else "—"])
    return ('<p class="muted">Below 1.0 the company trades under the value of its crypto. Each ticker links to '
            "its inputs and their sources.</p>" + _table(headers, cells))


def _holdings_table(rows: list[dict]) -> str:
    headers = [("Ticker", False), ("Asset", False), ("Quantity", True), ("Cost basis", True, True), ("Value", True, True),
               ("Value USD", True), ("Unrealized P&L", True, True), ("P&L %", True), ("Ccy", False, True),
               ("Price date", False, True)]
    cells = [[_ticker_link(r["ticker"]), escape(r["asset"]), number(r["quantity"]),
              number(r["cost_basis"], "money") + ("" if r["cost_complete"] else ' <span class="stale">(partial)</span>'),
              number(r["value"], "money"), number(r["value_usd"], "money"),
              number(r["unrealized_pnl"], "money", signed=True), number(r["unrealized_pnl_pct"], "pct", signed=True),
              escape(r["currency"]), number(r["price_date"], "date", stale=bool(r.get("price_stale")))]
             for r in rows]
    return _table(headers, cells)


def _flows_table(rows: list[dict]) -> str:
    headers = [("Ticker", False), ("Asset", False, True), ("Held", True), ("30 days", True, True), ("Year to date", True),
               ("30 days USD", True, True), ("Flow", False), ("Last event", False, True)]
    cells = [[_ticker_link(r["ticker"]), escape(r["asset"]), number(r["quantity"]),
              number(r["change_30d"], signed=True), number(r["change_ytd"], signed=True),
              number(r["change_30d_usd"], "money", signed=True), escape(r["direction"] or "—"),
              escape(f"{r['last_event_date']} {r['last_event_kind']}")] for r in rows]
    return _table(headers, cells, ["bad" if r["direction"] == "selling" else "" for r in rows])


def _risk_table(rows: list[dict]) -> str:
    keys = [("debt_to_nav", "Debt / NAV", "ratio"), ("btc_rating", "BTC rating", "ratio"), ("ltv", "LTV", "ratio"),
            ("margin_call_price", "Margin call price", "money"), ("liquidation_price", "Liquidation price", "money"),
            ("margin_cushion", "Cushion", "ratio"), ("cash_cover_months", "Cash cover (months)", "ratio"),
            ("mining_cost_to_price", "Mining cost / price", "ratio")]
    headers = [("Ticker", False)] + [(title, True) for _, title, _ in keys]
    cells = [[_ticker_link(r["ticker"])] + [number(r.get(key), kind) for key, _, kind in keys] for r in rows]
    return _table(headers, cells)


def _ladder_table(claims: list[dict], ref) -> str:
    """The capital stack, most senior first: each claim rated by NAV / (it and every claim ahead)."""
    if not claims:
        return ""
    rows = [[escape(c["instrument"]), escape(str(c["seniority"])), number(c["outstanding"], "money"),
             escape(c["currency"] or ""), number(c["annual_cost"], "money"), number(c["btc_rating"], "ratio"),
             ref(c["source"])] for c in claims]
    table = _table([("Claim", False), ("Rank", True), ("Outstanding", True), ("Ccy", False), ("Cost / year", True),
                    ("BTC rating", True), ("Source", False)], rows)
    count = f"{len(claims)} claim{'' if len(claims) == 1 else 's'}"
    return (f"<details><summary>Capital stack: {count}, most senior first (BTC rating = NAV / the claim and "
            f"every claim ahead)</summary>{table}</details>")


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
    table = _table([("Figure", False), ("Value", True), ("Unit", False), ("Formula", False), ("Inputs", False),
                    ("Caveats", False)], lines)
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
