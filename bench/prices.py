"""Benchmark: price 200 companies' shares, BTC, ETH and USDJPY against fake providers that add
100 ms to every request, and report wall time, requests and peak memory. Target: <= 2 s.

    python bench/prices.py [--companies 200] [--delay 0.1]

`run()` is the reusable core; today it calls fetch_prices in-process. The fake server comes from
tests/fakes/provider_server.py; its own data is generated here (prices are arbitrary but exact).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 2.0


def generate(n_companies: int) -> tuple[dict[str, Decimal], list]:
    """Exact prices for n share symbols (one in ten listed in Tokyo) plus BTC and ETH, and the needs."""
    from dattrack.providers.fetch import PriceNeed

    shares = {(f"{9000 + n}.T" if n % 10 == 9 else f"DAT{n:03d}"): Decimal(f"{10 + n}.{n % 100:02d}")
              for n in range(n_companies)}
    prices = {**shares, "BTC": Decimal("63210.5"), "ETH": Decimal("2450.25")}
    needs = ([PriceNeed(symbol, "stock") for symbol in shares]
             + [PriceNeed("BTC", "crypto", "bitcoin"), PriceNeed("ETH", "crypto", "ethereum"), PriceNeed("USDJPY", "fx")])
    return prices, needs


def run(n_companies: int = 200, delay: float = 0.1) -> dict[str, float | int]:
    """Time one fetch of every generated price against the fake, `delay` seconds per request."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))  # tests.fakes lives beside the package, not in it
    from dattrack.providers.fetch import fetch_prices
    from dattrack.providers.http import make_client
    from tests.fakes.provider_server import FakeProviders

    prices, needs = generate(n_companies)
    # trust_env=False: requests to 127.0.0.1 must not go through an HTTP_PROXY of the environment
    with FakeProviders(prices, fx={"JPY": "147.25"}, delay=delay) as fake, \
            make_client(trust_env=False) as client:
        started = time.perf_counter()
        result = fetch_prices(needs, None, client=client, env=fake.env())
        wall = time.perf_counter() - started
    return {"symbols": len(needs), "quotes": len(result.quotes), "failures": len(result.failures),
            "requests": result.requests, "wall_seconds": round(wall, 3),
            "peak_rss_mib": round(_peak_rss_bytes() / 2**20, 1)}


def _peak_rss_bytes() -> int:
    """Peak resident memory of this process (server threads included): KiB on Linux, bytes on macOS."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=200)
    parser.add_argument("--delay", type=float, default=0.1, help="seconds the fake adds to every request")
    args = parser.parse_args(argv)
    report = run(args.companies, args.delay)
    for name, value in report.items():
        print(f"{name:>13}: {value}")
    ok = report["failures"] == 0 and report["wall_seconds"] <= TARGET_SECONDS
    print(f"{'verdict':>13}: {'OK' if ok else 'FAIL'} (target <= {TARGET_SECONDS} s, no failures)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
