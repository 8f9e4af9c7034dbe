"""Helpers shared by the benchmarks: run the real `dattrack` command and measure it."""

from __future__ import annotations

import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(os.environ.get("DATTRACK_BENCH_OUT") or ROOT / "bench" / "out")


def fresh_db(name: str) -> Path:
    """bench/out/NAME.db (or under DATTRACK_BENCH_OUT), with no database left from a previous run."""
    OUT.mkdir(parents=True, exist_ok=True)
    db = OUT / f"{name}.db"
    for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        path.unlink(missing_ok=True)
    return db


def dattrack_command() -> list[str]:
    exe = Path(sys.executable).with_name("dattrack")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "dattrack"]


def run_timed(args: list[str], env: dict | None = None, check: bool = True) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MiB of the child, and its stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run(args, env={**os.environ, **(env or {})}, capture_output=True, text=True)
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if check and proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}): {proc.stderr.strip()}")
    # ru_maxrss is the largest child so far: report it only when this child set a new high.
    return wall, max(peak, before) / 1024, proc.stdout


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"
