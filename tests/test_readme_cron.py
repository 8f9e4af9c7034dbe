"""The README's crontab line works as written (SPEC 8, issue 21): run the README's first-session
commands in an empty home as a person would (the command where `pip install --user .` puts it),
then the crontab line exactly as written with /bin/sh and cron's bare environment. It must snapshot
the database the first session made and `holdings` read, log to stderr with UTC timestamps, print
nothing on stdout but ALERT lines, and exit non-zero with one line on a database with no companies."""

from __future__ import annotations

import csv
import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fakes.provider_server import FakeProviders

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ ")
LOG = Path(".local/state/dattrack-snapshot.log")
DEFAULT_DB = Path(".local/share/dattrack/dattrack.db")  # platformdirs' user data dir on Linux


def crontab_line() -> str:
    blocks = re.findall(r"```cron\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    lines = [line for block in blocks for line in block.splitlines() if line.strip() and not line.startswith("#")]
    assert len(lines) == 1, lines  # one line
    return lines[0].split(None, 5)[5]  # cron: five time fields, then the command


def first_session() -> list[str]:
    text = README.read_text(encoding="utf-8").split("## A first session", 1)[1]
    block = re.search(r"```sh\n(.*?)```", text, re.S).group(1)
    return [line.split("  #")[0].strip() for line in block.splitlines() if line.strip()]


@pytest.fixture
def home(tmp_path):
    """An empty home where the command sits in ~/.local/bin, as `pip install --user .` or pipx put it."""
    home = tmp_path / "jane"
    (home / ".local" / "bin").mkdir(parents=True)
    (home / ".local" / "bin" / "dattrack").symlink_to(Path(sys.executable).parent / "dattrack")
    return home


@pytest.fixture
def providers():
    rows = list(csv.DictReader((ROOT / "data" / "companies.csv").open(encoding="utf-8")))
    prices = {"BTC": "64000", "ETH": "3100", "SOL": "150"}
    prices.update({row["quote_symbol"] or row["ticker"]: "10" for row in rows})
    with FakeProviders(prices, fx={"JPY": "150"}, currencies={row["quote_symbol"]: row["currency"] for row in rows
                                                              if row["quote_symbol"]}) as fake:
        yield fake


def cron_env(home: Path, fake: FakeProviders) -> dict[str, str]:
    """What cron gives a job: HOME, LOGNAME, SHELL and PATH=/usr/bin:/bin (here also the fake providers'
    addresses and a pinned day, so that nothing reaches the network or the real calendar)."""
    return {"HOME": str(home), "LOGNAME": "jane", "SHELL": "/bin/sh", "PATH": "/usr/bin:/bin",
            "DATTRACK_TODAY": today(), **fake.env()}


def today() -> str:
    return os.environ["DATTRACK_TODAY"]  # the day every test pins (conftest): the fake's clock reads it too


def shell(command: str, env: dict, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["/bin/sh", "-c", command], env=env, cwd=cwd, capture_output=True, text=True, timeout=300)


def test_the_readme_crontab_line_snapshots_the_database_of_the_first_session(home, providers):
    person = {**cron_env(home, providers), "PATH": f"{home}/.local/bin:/usr/bin:/bin"}  # a login shell's PATH
    commands = first_session()
    script = "".join(f"{command}\necho \"== $? {index}\"\n" for index, command in enumerate(commands))
    result = shell(script, person, home)  # one shell, as when the block is pasted: its export holds
    codes = {int(index): int(code) for code, index in re.findall(r"^== (\d+) (\d+)$", result.stdout, re.M)}
    assert len(codes) == len(commands), result.stdout
    for index, command in enumerate(commands):  # check exits 1: the bundled data keeps its disagreements
        assert codes[index] in (0, 1), f"{command} exited {codes[index]}: {result.stderr}"
    assert "Traceback" not in result.stderr
    holdings = json.loads(shell("dattrack holdings --format json", person, home).stdout)
    assert holdings and (home / DEFAULT_DB).is_file()

    providers.fail("yahoo:MSTR", 503, times=None)  # something for the log: MSTR's close cannot be fetched today
    result = shell(crontab_line(), cron_env(home, providers), home)
    log = (home / LOG).read_text(encoding="utf-8")
    assert result.returncode == 1, log  # a price could not be had: cron's exit says so, the log says what
    assert re.search(rf"^\S+Z stored MSTR on {today()} with older prices: .*503", log, re.M), log
    assert all(line.startswith("ALERT ") for line in result.stdout.splitlines())  # all cron mails
    assert result.stderr == ""  # it all went to the log
    assert all(STAMP.match(line) for line in log.splitlines()), log  # each log line says when, in UTC
    assert not list(home.glob("*.db")), "the line must not make a database of its own"

    with sqlite3.connect(home / DEFAULT_DB) as db:
        rows = db.execute("select ticker, asset, quantity from snapshots where date = ?", (today(),)).fetchall()
    snapshot = {(ticker, asset): quantity for ticker, asset, quantity in rows}
    held = {(row["ticker"], row["asset"]): row["quantity"] for row in holdings}
    assert snapshot.keys() == held.keys()
    for key, quantity in held.items():
        assert (snapshot[key] is None) == (quantity is None) and \
            (quantity is None or float(snapshot[key]) == quantity), key


def test_on_a_database_without_companies_the_line_fails_with_one_line(home, providers):
    result = shell(crontab_line(), cron_env(home, providers), home)
    log = (home / LOG).read_text(encoding="utf-8").splitlines()
    assert result.returncode != 0 and result.stdout == ""
    assert len(log) == 1 and STAMP.match(log[0]), log
    assert "Error: no companies in " in log[0] and str(home / DEFAULT_DB) in log[0]
    assert providers.requests == 0  # nothing fetched for nobody
