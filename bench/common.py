"""Helpers shared by the benchmarks: run the real `dattrack` command and measure it."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(os.environ.get("DATTRACK_BENCH_OUT") or ROOT / "bench" / "out")
KEEP_OUTPUT_UP_TO = 32 * 2**20   # bytes of stdout handed back as text; a bigger output is only counted


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


@dataclass
class Run:
    wall: float          # seconds
    peak: float          # MiB: the largest resident set of this child process (its own rusage)
    returncode: int
    out: str             # stdout, when at most KEEP_OUTPUT_UP_TO bytes; else ""
    out_bytes: int
    err: str
    timed_out: bool = False


def run(args: list[str], env: dict | None = None, check: bool = True, timeout: float | None = None) -> Run:
    """Run one command with its stdout in a file; time it and read its own peak RSS via wait4.
    Past `timeout` seconds the command is killed (timed_out)."""
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile(dir=OUT) as out, tempfile.TemporaryFile(dir=OUT) as err:
        start = time.perf_counter()
        proc = subprocess.Popen(args, env={**os.environ, **(env or {})}, stdout=out, stderr=err)
        killer = threading.Timer(timeout, proc.kill) if timeout else None
        if killer:
            killer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if killer:
            killer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        size = out.seek(0, os.SEEK_END)
        out.seek(0)
        text = out.read().decode() if size <= KEEP_OUTPUT_UP_TO else ""
        err.seek(0)
        error = err.read().decode(errors="replace")
    if check and proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}): {error.strip()}")
    timed_out = timeout is not None and wall >= timeout
    return Run(wall, usage.ru_maxrss / 1024, proc.returncode, text, size, error, timed_out)


def run_timed(args: list[str], env: dict | None = None, check: bool = True) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MiB of the child, and its stdout."""
    result = run(args, env, check)
    return result.wall, result.peak, result.out


def machine() -> str:
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()};"
            f" load average {load}")
