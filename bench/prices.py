"""Price benchmark: the real `dattrack price fetch` for 200 companies with their own quote symbols
(one in ten listed in Tokyo, in JPY) holding 2 coins, against fake providers on 127.0.0.1 that
add 100 ms to every request. Target: <= 2 s wall.

    python bench/prices.py [--companies 200] [--delay 0.1]

Prints wall time, the request count, failures and the command's peak memory.
"""

from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))            # tests.fakes lives beside the package, not in it
sys.path.insert(0, str(ROOT / "bench"))
from common import dattrack_command, fresh_db, machine, run_timed  # noqa: E402
from tests.fakes.provider_server import FakeProviders  # noqa: E402

TARGET_SECONDS = 2.0


def generate(db: Path, companies: int) -> dict[str, Decimal]:
    """A database of companies with their own quote symbols; returns the prices the fake serves."""
    from dattrack.app.companies import add_company
    from dattrack.store import open_store

    prices = {"BTC": Decimal("63210.5"), "ETH": Decimal("2450.25")}
    store = open_store(db)
    with store.write():
        for n in range(companies):
            tokyo = n % 10 == 9
            quote = f"{9000 + n}.T" if tokyo else f"DAT{n:03d}"
            add_company(store, f"C{n:03d}", f"Company {n}", asset="BTC" if n % 2 else "ETH",
                        currency="JPY" if tokyo else "USD", quote_symbol=quote)
            prices[quote] = Decimal(f"{10 + n}.{n % 100:02d}")
    store.close()
    return prices


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=200)
    parser.add_argument("--delay", type=float, default=0.1, help="seconds the fake adds to every request")
    args = parser.parse_args()
    db = fresh_db("prices")
    prices = generate(db, args.companies)
    with FakeProviders(prices, fx={"JPY": "147.25"}, delay=args.delay) as fake:
        env = {**fake.env(), "NO_PROXY": "127.0.0.1,localhost"}
        wall, peak, out = run_timed(dattrack_command() + ["--db", str(db), "price", "fetch", "--format", "json"],
                                    env, check=False)
        requests = fake.requests
    stored = len(json.loads(out)) if out.strip() else 0
    print(f"machine: {machine()}")
    print(f"price fetch: {args.companies} quote symbols + BTC, ETH, USDJPY (+{args.delay * 1000:.0f} ms per request)")
    print(f"wall {wall:.2f} s (target <= {TARGET_SECONDS} s), {requests} requests, {stored} prices stored, "
          f"peak {peak:.0f} MiB")
    expected = len(prices) + any(symbol.endswith(".T") for symbol in prices)  # + USDJPY when Tokyo is listed
    return 0 if stored == expected and wall <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
