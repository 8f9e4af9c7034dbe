"""The rules of the house (README, Architecture): where SQL runs, who imports whom, how commands register."""

from __future__ import annotations

import ast
import pathlib
import re

PACKAGE = pathlib.Path(__file__).parents[1] / "dattrack"
SQL_CALL = re.compile(r"\.(execute|executemany|executescript|query)\(")


def imports(path: pathlib.Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append(node.module or "")
    return found


def test_no_sql_outside_the_store():
    offenders = [f"{path.relative_to(PACKAGE)}:{n}" for path in PACKAGE.rglob("*.py") if "store" not in path.parts
                 for n, line in enumerate(path.read_text().splitlines(), 1) if SQL_CALL.search(line)]
    assert offenders == []


def test_commands_go_through_the_application_layer():
    for path in (PACKAGE / "cli").glob("*.py"):
        for name in imports(path):
            assert not name.startswith(("dattrack.store", "dattrack.providers", "dattrack.ledger")), \
                f"cli/{path.name} imports {name}"


def test_the_core_is_pure():
    for package in ("ledger", "valuation", "reader"):
        for path in (PACKAGE / package).glob("*.py"):
            for name in imports(path):
                assert not name.startswith(("dattrack.store", "dattrack.providers", "dattrack.cli", "dattrack.app",
                                            "httpx", "sqlite")), f"{package}/{path.name} imports {name}"


def test_the_store_hands_plain_rows():
    for path in (PACKAGE / "store").glob("*.py"):
        for name in imports(path):
            assert not name.startswith(("dattrack.ledger", "dattrack.valuation", "dattrack.app")), \
                f"store/{path.name} imports {name}"


def test_every_command_module_registers_itself():
    from dattrack.cli import app as cli_app

    source = (PACKAGE / "cli" / "app.py").read_text()
    modules = [p.stem for p in (PACKAGE / "cli").glob("*.py") if ".command(" in p.read_text()]
    for stem in modules:
        if stem == "app":
            continue
        module = __import__(f"dattrack.cli.{stem}", fromlist=["register"])
        assert callable(getattr(module, "register", None)), f"cli/{stem}.py has commands but no register(app)"
        assert re.search(rf"\b{stem}\b", source), f"cli/app.py does not register cli/{stem}.py"
    assert "add_typer" not in source and cli_app.app.registered_groups  # groups come from the modules' register
