"""Start-up benchmark: `dattrack holdings --format json` on the seeded database against the bare
import of the libraries it stands on (`import typer, rich.console, rich.table, sqlite_utils`).

    python bench/startup.py [--runs 20]

Target: the command costs at most 1.3x the bare import. Prints the median of each and the ratio.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import dattrack_command, fresh_db, machine  # noqa: E402

BARE = [sys.executable, "-c", "import typer, rich.console, rich.table, sqlite_utils"]


def median_wall(args: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--smoke", action="store_true", help="Run each command once, time nothing (the test suite).")
    args = parser.parse_args()
    db = fresh_db("startup")
    command = dattrack_command() + ["--db", str(db)]
    subprocess.run(command + ["init", "--seed"], check=True, stdout=subprocess.DEVNULL)
    holdings = command + ["holdings", "--format", "json"]
    if args.smoke:
        for run in (BARE, holdings):
            subprocess.run(run, check=True, stdout=subprocess.DEVNULL)
        print("smoke: both commands ran")
        return
    median_wall(BARE, 3)  # warm the page cache for both
    median_wall(holdings, 3)
    bare = median_wall(BARE, args.runs)
    ours = median_wall(holdings, args.runs)
    print(f"machine: {machine()}")
    print(f"bare import (median of {args.runs}):          {bare * 1000:7.1f} ms")
    print(f"dattrack holdings --format json (median):  {ours * 1000:7.1f} ms")
    print(f"ratio: {ours / bare:.2f}x (target <= 1.3x)")


if __name__ == "__main__":
    main()
