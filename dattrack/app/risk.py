"""`risk` and `yield`: load a company's valuation inputs with its instruments, run the pure core."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dattrack.dates import parse_date, today
from dattrack.errors import BadInput
from dattrack.app.books import positions_as_of
from dattrack.app.companies import selected_companies
from dattrack.app.prices import PriceBook
from dattrack.app.valuation import company_inputs
from dattrack.numbers import ratio, rounded
from dattrack.store import Store
from dattrack.valuation import CompanyInputs, Valuation, value_company
from dattrack.valuation.period import btc_gain, btc_yield, monthly_yield, months_to_cover
from dattrack.valuation.risk import Risk, assess_risk
from dattrack.valuation.splits import on_basis

YIELD_KEYS = ("ticker", "since", "until", "holdings_start", "holdings_end", "shares_start", "shares_end",
              "per_share_start", "per_share_end", "btc_yield", "btc_gain", "btc_usd_gain", "mnav", "months_to_cover")


def assess_companies(store: Store, tickers: list[str] | None = None,
                     as_of: str | None = None) -> list[tuple[Valuation, Risk, CompanyInputs]]:
    """The mNAV line and the risk figures of each selected company on a date (today by default),
    with the inputs they rest on."""
    companies = selected_companies(store, tickers)
    day = as_of or today().isoformat()
    held = positions_as_of(store, companies, as_of=as_of, method="average")
    prices = PriceBook(store, day)
    found = []
    for company in companies.values():
        inputs = company_inputs(store, company, day, held, prices)
        found.append((value_company(inputs), assess_risk(inputs), inputs))
    return found


def risk_rows(store: Store, tickers: list[str] | None = None, as_of: str | None = None) -> list[dict]:
    rows = []
    for _, risk, _ in assess_companies(store, tickers, as_of):
        row = risk.as_row()
        row["as_of"] = risk.as_of.isoformat()
        row["reasons"] = "; ".join(dict.fromkeys(r for line in risk.lines for r in line.reasons))
        rows.append(row)
    return rows


def period_yield(store: Store, ticker: str, since: str | None = None, until: str | None = None) -> dict:
    """SPEC 7 `yield`: per-share accumulation of the primary asset over [since, until] with diluted shares
    (basic when none; assumed diluted where convertibles say so). Default window: the year to date,
    from the last day of the previous year."""
    end = parse_date(until, "--until") if until else today()
    start = parse_date(since, "--since") if since else dt.date(end.year - 1, 12, 31)
    if start >= end:
        raise BadInput(f"--since {start} must be before --until {end}")
    from dattrack.app.issuance import share_count, sold_rows

    (company,) = selected_companies(store, [ticker]).values()
    asset = company["asset"]
    first, first_inputs = valued_on(store, company, start.isoformat())
    last, last_inputs = valued_on(store, company, end.isoformat())
    h0, h1 = _holdings(first_inputs, asset), _holdings(last_inputs, asset)
    sold = sold_rows(store, company["ticker"], end.isoformat())
    count0, count1 = share_count(company, first_inputs, first, sold), share_count(company, last_inputs, last, sold)
    d0, basis0 = count0.value, _basis(first_inputs)
    d1, basis1 = count1.value, _basis(last_inputs)
    if d0 is not None and basis0 is not None and basis1 is not None:
        d0 = on_basis(d0, basis0, basis1, last_inputs.splits)  # both counts on the share basis of `until`
    yield_ = btc_yield(h0, d0, h1, d1)
    gain = btc_gain(h0, d0, h1, d1)
    price = last_inputs.asset_prices.get(asset)
    price_value = price.value if price is not None else None
    days = (end - start).days
    return {
        "ticker": company["ticker"], "since": start.isoformat(), "until": end.isoformat(),
        "holdings_start": h0, "holdings_end": h1, "shares_start": d0, "shares_end": d1,
        "per_share_start": ratio(h0, d0), "per_share_end": ratio(h1, d1),
        "btc_yield": yield_, "btc_gain": gain,
        "btc_usd_gain": None if gain is None or price_value is None else rounded(gain * price_value),
        "mnav": last.mnav, "months_to_cover": months_to_cover(last.mnav, yield_, days),
        "asset": asset, "days": days, "monthly_yield": rounded(monthly_yield(yield_, days)),
        "shares_start_source": count0.source, "shares_start_date": _iso(count0.date),
        "shares_end_source": count1.source, "shares_end_date": _iso(count1.date),
        "shares_start_detail": count0.detail, "shares_end_detail": count1.detail,
    }


def valued_on(store: Store, company: dict, day: str):
    """The company's mNAV line on a day and the inputs it rests on."""
    companies = {company["ticker"]: company}
    held = positions_as_of(store, companies, as_of=day, method="average")
    inputs = company_inputs(store, company, day, held, PriceBook(store, day))
    return value_company(inputs), inputs


def _holdings(inputs, asset: str) -> Decimal | None:
    held = [h.quantity for h in inputs.holdings if h.asset == asset]
    return sum(held, Decimal(0)) if held else None


def _basis(inputs) -> dt.date:
    """The share basis the valuation's counts are expressed on."""
    price = inputs.share_price
    return price.basis_date or price.date or inputs.as_of


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()
