"""`risk` and `yield`: load a company's valuation inputs with its instruments, run the pure core."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dattrack.app.day import Day
from dattrack.dates import parse_date, today
from dattrack.errors import BadInput
from dattrack.numbers import parse_decimal, ratio, rounded
from dattrack.store import Store
from dattrack.valuation import CompanyInputs, Valuation, value_company
from dattrack.valuation.capital import outstanding_usd
from dattrack.valuation.ladder import ladder
from dattrack.valuation.risk import Risk, assess_risk
from dattrack.valuation.stress import Scenario, stressed
from dattrack.valuation.period import btc_gain, btc_yield, monthly_yield, months_to_cover
from dattrack.valuation.splits import on_basis

YIELD_KEYS = ("ticker", "since", "until", "holdings_start", "holdings_end", "shares_start", "shares_end",
              "per_share_start", "per_share_end", "btc_yield", "btc_gain", "btc_usd_gain", "mnav", "months_to_cover")


def risk_rows(day: Day, scenario: Scenario | None = None) -> list[dict]:
    """The SPEC 7 risk row of each company, built on the day's valuation of it; with a scenario, every
    figure revalued at the hypothetical price (then `asset_price` and `mnav` say at what, and what it gives)."""
    rows = []
    for ticker in day.companies:
        inputs, valuation, risk = assessed(day, ticker, scenario)
        row = risk.as_row()
        row["as_of"] = risk.as_of.isoformat()
        row["known_on"] = day.known_on
        row["reasons"] = "; ".join(dict.fromkeys(r for line in risk.lines for r in line.reasons))
        price = inputs.asset_prices.get(inputs.primary_asset)
        row["asset"], row["asset_price"] = inputs.primary_asset, price.value if price is not None else None
        row["mnav"] = valuation.mnav
        row["hypothetical"] = scenario is not None
        rows.append(row)
    return rows


def assessed(day: Day, ticker: str, scenario: Scenario | None = None) -> tuple[CompanyInputs, Valuation, Risk]:
    """A company's inputs, valuation and risk on the day: the day's own, or revalued under a scenario."""
    if scenario is None:
        return day.inputs(ticker), day.valuation(ticker), day.risk(ticker)
    inputs = stressed(day.inputs(ticker), scenario)
    valuation = value_company(inputs)
    return inputs, valuation, assess_risk(inputs, valuation)


def scenario_of(day: Day, price: str | None, shock: str | None) -> Scenario | None:
    """The hypothetical a `risk` asks for: --price P (USD, the primary asset of every company named) or
    --shock X (every crypto price × (1 + X), X > −1); neither: None."""
    if price is not None and shock is not None:
        raise BadInput("--price and --shock are two ways to say one hypothetical price: give one")
    if price is not None:
        assets = sorted({c["asset"] for c in day.companies.values()})
        if len(assets) > 1:
            raise BadInput(f"--price is one asset's price, and these companies hold {', '.join(assets)}: name "
                           f"companies of one asset, or use --shock")
        return Scenario(price=parse_decimal(price, "--price", positive=True))
    if shock is not None:
        text = str(shock).strip()
        value = -parse_decimal(text[1:], "--shock") if text.startswith("-") else parse_decimal(text, "--shock")
        if not Decimal(-1) < value <= 100:
            raise BadInput(f"--shock {shock} is not a change of price: give a fraction above -1 (-0.5 = half)")
        return Scenario(shock=value)
    return None


def ladder_rows(day: Day, scenario: Scenario | None = None) -> list[dict]:
    """SPEC 11 `risk TICKER --claims`: the day's one company's claims, most senior first (keys LADDER_KEYS,
    then outstanding_usd, annual_cost_usd, outstanding_date, source, origin, margin_call_price, called,
    covered)."""
    if len(day.companies) != 1:
        raise BadInput("--claims shows one company's ladder: name one ticker")
    (ticker,) = day.companies
    return company_ladder(day, ticker, scenario)


def company_ladder(day: Day, ticker: str, scenario: Scenario | None = None) -> list[dict]:
    """One company's ladder on the day (the rows of `risk TICKER --claims`)."""
    inputs, valuation, _ = assessed(day, ticker, scenario)
    price = inputs.asset_prices.get(inputs.primary_asset)
    rows = []
    for rung in ladder(inputs, valuation.terms["nav"]):
        c = rung.claim
        call = _call_price(c.instrument)
        rating = rounded(rung.btc_rating.value)
        rows.append({
            "instrument": c.name, "kind": c.kind, "seniority": c.seniority, "outstanding": c.outstanding,
            "currency": c.currency, "rate": c.rate, "maturity": _iso(c.maturity), "annual_cost": c.annual_cost,
            "claims_ahead": rung.claims_ahead.value, "btc_rating": rating,
            "outstanding_usd": c.outstanding_usd.value, "annual_cost_usd": c.annual_cost_usd.value,
            "outstanding_date": _iso(c.date), "source": c.source,
            "origin": c.instrument.origin if c.instrument is not None else "fact",
            "margin_call_price": call,
            "called": None if call is None or price is None or price.value is None else price.value <= call,
            "covered": None if rating is None else rating >= 1,
            "ticker": ticker, "as_of": day.as_of, "hypothetical": scenario is not None,
        })
    return rows


def _call_price(instrument) -> Decimal | None:
    """The asset price at which a secured claim's margin call comes: outstanding / (units × margin LTV),
    in USD."""
    if instrument is None or instrument.margin_ltv is None or instrument.collateral is None \
            or not instrument.collateral.value:
        return None
    usd = outstanding_usd(instrument).value
    return None if usd is None else rounded(usd / (instrument.collateral.value * instrument.margin_ltv))


def period_yield(store: Store, ticker: str, since: str | None = None, until: str | None = None,
                 known_on: str | None = None) -> tuple[dict, list[Day]]:
    """SPEC 7 `yield`: per-share accumulation of the primary asset over [since, until] with diluted shares
    (basic when none; assumed diluted where convertibles say so). Default window: the year to date,
    from the last day of the previous year; `until` defaults to `known_on`, else today. Returns the row
    and the two days' readings (their input dates go in the header)."""
    end = parse_date(until, "--until") if until else parse_date(known_on, "--known-on") if known_on else today()
    start = parse_date(since, "--since") if since else dt.date(end.year - 1, 12, 31)
    if start >= end:
        raise BadInput(f"--since {start} must be before --until {end}")
    from dattrack.app.issuance import share_count, sold_rows

    days = [Day(store, [ticker], as_of=moment.isoformat(), known_on=known_on) for moment in (start, end)]
    (company,) = days[1].companies.values()
    asset = company["asset"]
    (first, first_inputs), (last, last_inputs) = ((day.valuation(company["ticker"]), day.inputs(company["ticker"]))
                                                  for day in days)
    h0, h1 = _holdings(first_inputs, asset), _holdings(last_inputs, asset)
    sold = sold_rows(store, company["ticker"], end.isoformat(), known_on)
    count0, count1 = share_count(company, first_inputs, first, sold), share_count(company, last_inputs, last, sold)
    d0, basis0 = count0.value, _basis(first_inputs)
    d1, basis1 = count1.value, _basis(last_inputs)
    if d0 is not None and basis0 is not None and basis1 is not None:
        d0 = on_basis(d0, basis0, basis1, last_inputs.splits)  # both counts on the share basis of `until`
    yield_ = btc_yield(h0, d0, h1, d1)
    gain = btc_gain(h0, d0, h1, d1)
    price = last_inputs.asset_prices.get(asset)
    price_value = price.value if price is not None else None
    span = (end - start).days
    return {
        "ticker": company["ticker"], "since": start.isoformat(), "until": end.isoformat(),
        "holdings_start": h0, "holdings_end": h1, "shares_start": d0, "shares_end": d1,
        "per_share_start": ratio(h0, d0), "per_share_end": ratio(h1, d1),
        "btc_yield": yield_, "btc_gain": gain,
        "btc_usd_gain": None if gain is None or price_value is None else rounded(gain * price_value),
        "mnav": last.mnav, "months_to_cover": months_to_cover(last.mnav, yield_, span),
        "asset": asset, "days": span, "monthly_yield": rounded(monthly_yield(yield_, span)), "known_on": known_on,
        "reasons": "; ".join(_yield_reasons(asset, (start, end), (first, last), (h0, h1), (d0, d1), price_value,
                                            yield_)) or None,
        "shares_start_source": count0.source, "shares_start_date": _iso(count0.date),
        "shares_end_source": count1.source, "shares_end_date": _iso(count1.date),
        "shares_start_detail": count0.detail, "shares_end_detail": count1.detail,
    }, days


def _yield_reasons(asset: str, moments: tuple, valuations: tuple, held: tuple, shares: tuple, price, yield_) -> list[str]:
    """Why a figure of the yield row is unknown (null), in the words explain uses: the holdings or share
    count missing at either end, no price at the end, an mNAV that leaves nothing to cover."""
    reasons = []
    for moment, valuation, units, count in zip(moments, valuations, held, shares):
        if units is None:
            reasons.append(f"{asset} holdings on {moment} unknown (no disclosure on or before it)")
        if count is None:
            words = [n.text for line in valuation.lines if line.name in ("shares_basic", "shares_diluted")
                     for n in line.notes if n.kind == "missing"]
            reasons.append(f"no share count on {moment}" + (f": {words[0]}" if words else ""))
    if price is None:
        reasons.append(f"no {asset} price on or before {moments[1]}")
    mnav = valuations[1].mnav
    if mnav is None:
        reasons.append(f"mNAV on {moments[1]} unknown, so months to cover is too")
    elif mnav <= 1:
        reasons.append(f"mNAV {mnav:.3f} on {moments[1]} is not above 1: no premium to cover (months to cover undefined)")
    elif yield_ is not None and yield_ <= 0:
        reasons.append("the yield is not positive: the premium is never covered")
    return reasons


def _holdings(inputs, asset: str) -> Decimal | None:
    """The units held of the asset; None when none is recorded or what was held is unknown."""
    held = [h.quantity for h in inputs.holdings if h.asset == asset]
    return None if not held or None in held else sum(held, Decimal(0))


def _basis(inputs) -> dt.date:
    """The share basis the valuation's counts are expressed on."""
    price = inputs.share_price
    return price.basis_date or price.date or inputs.as_of


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()
