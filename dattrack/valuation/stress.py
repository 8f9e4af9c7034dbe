"""A hypothetical coin price (SPEC 11 `risk --price P | --shock X`): the inputs of a valuation with the
crypto repriced, so that holdings, NAV, ratings, LTV, cushion and mNAV all follow from one change.

Pure: inputs in, inputs out; what was replaced is said in each repriced input's source."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal

from dattrack.valuation.inputs import CompanyInputs, Sourced


@dataclass(frozen=True)
class Scenario:
    """`price`: the primary asset's price in USD; `shock`: every crypto price of the date × (1 + shock)."""

    price: Decimal | None = None
    shock: Decimal | None = None

    def describe(self, asset: str) -> str:
        if self.price is not None:
            return f"{asset} at {self.price:,} USD"
        percent = format((abs(self.shock) * 100).normalize(), "f")
        return f"every crypto price {'+' if self.shock >= 0 else '−'}{percent}%"


def stressed(inputs: CompanyInputs, scenario: Scenario) -> CompanyInputs:
    """The inputs with the hypothetical price(s) in place of the date's; everything else as recorded."""
    prices = dict(inputs.asset_prices)
    if scenario.price is not None:
        asset = inputs.primary_asset
        actual = prices.get(asset)
        prices[asset] = Sourced(scenario.price, inputs.as_of, _said(asset, actual, f"--price {scenario.price}"))
    else:
        for asset, actual in inputs.asset_prices.items():
            if actual is None or actual.value is None:
                continue
            value = actual.value * (1 + scenario.shock)
            prices[asset] = Sourced(value, actual.date, _said(asset, actual, f"--shock {scenario.shock}"), actual.stale)
    return dataclasses.replace(inputs, asset_prices=prices)


def _said(asset: str, actual: Sourced | None, how: str) -> str:
    if actual is None or actual.value is None:
        return f"hypothetical ({how}); no {asset} close recorded"
    return f"hypothetical ({how}); {asset} closed at {actual.value:,} on {actual.date} ({actual.source or 'no source'})"
