"""Install what users install: the wheel `pip install .` builds, in a fresh venv, runs one command
of every subpackage — not the editable checkout the rest of the suite imports.

Offline: the wheel is built with this venv's setuptools (no build isolation, no download); the
fresh venv gets the wheel alone, and its dependencies (typer, rich, httpx, ...) through a .pth
line naming this venv's site-packages, where they are already installed. Only .pth *files* in a
site directory are processed, so the editable install of dattrack there stays invisible.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.fakes.provider_server import FakeProviders
from tests.fakes.scripted_server import Answer, ScriptedServer

ROOT = Path(__file__).resolve().parent.parent
TREASURY = json.dumps({"companies": [
    {"name": "Strategy", "symbol": "MSTR.US", "country": "US", "total_holdings": 640031,
     "total_entry_value_usd": 47350000000},
    {"name": "Newco Treasury", "symbol": "NEWC.US", "country": "US", "total_holdings": 12.5,
     "total_entry_value_usd": 1000000},
]})


def source_packages() -> set[str]:
    """Every package of the source tree: a directory of dattrack/ with an __init__.py."""
    return {".".join(init.parent.relative_to(ROOT).parts) for init in (ROOT / "dattrack").rglob("__init__.py")
            if "__pycache__" not in init.parts}


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv with the built wheel installed; returns its python."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"  # a copy: building leaves build/ and *.egg-info behind
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, source / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    shutil.copytree(ROOT / "dattrack", source / "dattrack", symlinks=True, ignore=ignore)
    shutil.copytree(ROOT / "data", source / "data", ignore=ignore)
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                            "-q", "-w", str(work / "dist"), str(source)], capture_output=True, text=True, timeout=180)
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = (work / "dist").glob("dattrack-*.whl")

    # The wheel ships every package of the source tree (and the seed data inside the package).
    names = zipfile.ZipFile(wheel).namelist()
    shipped = {name.rsplit("/", 1)[0].replace("/", ".") for name in names if name.endswith("/__init__.py")}
    assert source_packages() <= shipped, f"left out of the wheel: {sorted(source_packages() - shipped)}"
    assert "dattrack/data/events.csv" in names and "dattrack/data/companies.csv" in names

    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    purelib = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                                  capture_output=True, text=True, check=True).stdout.strip())
    dependencies = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib"), *site.getsitepackages()}
    (purelib / "dattrack_test_dependencies.pth").write_text("\n".join(sorted(dependencies)) + "\n")
    installing = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                                 "--no-index", "-q", str(wheel)], capture_output=True, text=True, timeout=180)
    assert installing.returncode == 0, installing.stdout + installing.stderr
    return python


def run(python: Path, tmp_path: Path, *args: str, env: dict | None = None, ok: bool = True):
    """The installed `dattrack` console script, from a directory outside the checkout."""
    script = python.parent / "dattrack"
    environment = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    environment.update(env or {})
    result = subprocess.run([str(script), *args], capture_output=True, text=True, cwd=tmp_path, env=environment,
                            timeout=120)
    if ok:
        assert result.returncode == 0, (args, result.returncode, result.stdout, result.stderr)
    return result


def test_the_installed_wheel_is_the_one_running(installed, tmp_path):
    where = subprocess.run([str(installed), "-c", "import dattrack, dattrack.interchange; print(dattrack.__file__)"],
                           capture_output=True, text=True, cwd=tmp_path, check=True).stdout.strip()
    assert Path(where).is_relative_to(installed.parent.parent), where  # not the checkout
    assert not Path(where).is_relative_to(ROOT)


def test_every_subpackage_works_from_the_installed_wheel(installed, tmp_path):
    db = tmp_path / "wheel.db"
    env = {"DATTRACK_DB": str(db)}
    assert "snapshot" in run(installed, tmp_path, "--help").stdout                       # cli
    assert "seeded" in run(installed, tmp_path, "init", "--seed", env=env).stdout       # app, store, seed data
    assert "MSTR" in run(installed, tmp_path, "holdings", "MSTR", env=env).stdout      # ledger
    assert "MSTR" in run(installed, tmp_path, "mnav", "MSTR", env=env).stdout          # valuation
    run(installed, tmp_path, "snapshot", "--offline", "--quiet", "--date", "2026-03-31", env=env, ok=False)
    history = run(installed, tmp_path, "history", "MSTR", env=env)                     # render: table and chart
    assert "2026-03-31" in history.stdout and "holdings of MSTR" in history.stdout

    with FakeProviders({"BTC": "90000", "MSTR": "300"}) as fake:                        # providers
        fetched = run(installed, tmp_path, "price", "fetch", env={**env, **fake.env()}, ok=False)
        assert fake.requests > 0 and "MSTR" not in fetched.stderr, fetched.stderr
    prices = json.loads(run(installed, tmp_path, "price", "list", "MSTR", "--format", "json", env=env).stdout)
    assert any(row["price"] == 300 and row["date"] == "2026-11-21" for row in prices)

    export = run(installed, tmp_path, "export", env=env).stdout                         # interchange
    (tmp_path / "backup.json").write_text(export)
    other = {"DATTRACK_DB": str(tmp_path / "other.db")}
    assert "imported" in run(installed, tmp_path, "import", str(tmp_path / "backup.json"), env=other).stdout
    assert run(installed, tmp_path, "export", env=other).stdout == export

    with ScriptedServer({"/api/v3/companies/public_treasury/bitcoin": Answer(200, TREASURY)}) as coingecko:
        treasury = run(installed, tmp_path, "import", "--from", "coingecko-treasury", "--coin", "BTC",
                       env={**other, "DATTRACK_COINGECKO_URL": coingecko.url + "/api/v3"})
    assert "2 companies listed" in treasury.stdout and "NEWC" in treasury.stdout
