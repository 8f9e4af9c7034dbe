"""The benchmarks still run (tiny sizes): they generate their data and print their figures. Nothing
here times anything or asserts a figure: start-up runs in --smoke mode (each command once, no
clock), and the pinned today stays pinned (the fake providers follow it)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.mark.parametrize("script, args, expect", [
    ("ledger.py", ["--companies", "2", "--events", "60"], "holdings --method fifo"),
    ("prices.py", ["--companies", "5", "--delay", "0"], "7 prices stored"),
    ("reader.py", ["--documents", "3"], "3 documents read"),
    ("periodic.py", ["--megabytes", "2", "--runs", "1", "--fixtures", "1"], "1 committed 10-Qs/10-Ks read"),
    ("snapshot.py", ["--companies", "3", "--delay", "0"], "3 rows"),
    ("startup.py", ["--smoke"], "smoke: both commands ran"),
    ("sync.py", ["--companies", "3", "--delay", "0", "--sec", "1"], "120 events added"),
    ("filings.py", ["--filings", "3", "--delay", "0"], "6 events added"),
    ("upgrade.py", ["--companies", "2", "--events", "30"], "60 of 60 events with known_on filled"),
    ("report.py", ["--companies", "3", "--events", "30", "--runs", "1"], "90 events"),
    ("capital.py", ["--weeks", "8", "--instruments", "2"], "dilution BIG --by week"),
])
def test_benchmark_runs(script, args, expect, tmp_path):
    env = {**os.environ, "DATTRACK_BENCH_OUT": str(tmp_path)}
    result = subprocess.run([sys.executable, str(BENCH / script), *args], env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert expect in result.stdout
