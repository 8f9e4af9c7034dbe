"""Every test runs with a temporary home, data directory and database: none touches the user's."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("DATTRACK_DB", str(tmp_path / "dattrack.db"))
    monkeypatch.setenv("DATTRACK_TODAY", "2026-11-21")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "250")
    for name in ("COINGECKO_API_KEY", "STOOQ_API_KEY", "DATTRACK_SEC_USER_AGENT", "COINGECKO_API_PLAN"):
        monkeypatch.delenv(name, raising=False)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)  # the fakes are on 127.0.0.1: never through a proxy
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    for name in ("COINGECKO", "COINBASE", "KRAKEN", "YAHOO", "STOOQ", "SEC", "SEC_FILES"):
        # Any provider call a test forgets to fake fails at once instead of reaching the internet.
        monkeypatch.setenv(f"DATTRACK_{name}_URL", "http://127.0.0.1:9/unconfigured")
    return tmp_path


@pytest.fixture
def db_path(isolated_environment):
    return isolated_environment / "dattrack.db"


class Cli:
    """Runs dattrack in-process through typer's runner, on the test's database."""

    def __init__(self):
        from dattrack.cli.app import app

        self.app = app
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None):
        return self.runner.invoke(self.app, [str(a) for a in args], input=input)

    def ok(self, *args: str) -> str:
        result = self(*args)
        assert result.exit_code == 0, f"{args} exited {result.exit_code}: {result.stdout}{result.stderr}"
        return result.stdout

    def json(self, *args: str):
        import json
        from decimal import Decimal

        return json.loads(self.ok(*args, "--format", "json"), parse_float=Decimal, parse_int=Decimal)


@pytest.fixture
def cli(isolated_environment):
    return Cli()
