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


def test_every_command_is_declared_one_way():
    """cli.common.Commands is the one way to declare a command (it replaced four: a module's own typer
    group, a group built inside register(), commands nested in register(), functions registered by
    hand): no module builds a typer app, adds a group or registers a function itself, and cli/app.py
    hands every module's `commands` the app."""
    from dattrack.cli import app as cli_app

    source = (PACKAGE / "cli" / "app.py").read_text()
    declaring = []
    for path in sorted((PACKAGE / "cli").glob("*.py")):
        text = path.read_text()
        if path.name in ("app.py", "common.py"):
            continue
        for pattern in (r"typer\.Typer\(", r"\.add_typer\(", r"\bapp\.command\(", r"def register\(", r"\.command\(\)\("):
            assert not re.search(pattern, text), f"cli/{path.name}: {pattern}"
        if "@commands.command(" in text:
            assert "commands = Commands(" in text, f"cli/{path.name} declares commands without Commands"
            assert re.search(rf"\b{path.stem}\b", source), f"cli/app.py does not register cli/{path.name}"
            declaring.append(path.stem)
    assert "module.commands.register(app)" in source and "add_typer" not in source
    assert len(declaring) >= 15 and cli_app.app.registered_groups and cli_app.app.registered_commands


def _module_name(path: pathlib.Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Every dattrack module and the dattrack modules it imports, at the top or inside a function."""
    paths = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph = {}
    for name, path in paths.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                found |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                # `from package import submodule` imports the submodule; a name comes from the module itself
                found |= {f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in paths else node.module
                          for a in node.names}
        graph[name] = {module for module in found if module in paths and module != name}
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in graph[module]:
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in graph:
        if module not in index:
            visit(module)
    return found


def layer(module: str) -> str:
    return module.split(".")[1] if module.count(".") else ""


def test_no_import_circle_inside_a_layer():
    """A circle (app/companies -> app/holdings -> app/companies, through a function's import) means two
    modules that are one, or a use case in the wrong place."""
    graph = import_graph()
    for name in {layer(module) for module in graph}:
        inside = {module: {other for other in imported if layer(other) == name}
                  for module, imported in graph.items() if layer(module) == name}
        assert circles(inside) == [], f"import circle in {name or 'the kernel'}/"


def test_the_use_cases_never_import_output():
    """app/ returns plain values; only cli/ (and the report page it writes) renders them."""
    for module, imported in import_graph().items():
        if layer(module) == "app":
            assert not [m for m in imported if layer(m) == "render"], f"{module} imports {imported}"


def _sources_holding(pattern: str) -> list[str]:
    found = re.compile(pattern, re.MULTILINE)
    return sorted(str(path.relative_to(PACKAGE)) for path in PACKAGE.rglob("*.py") if found.search(path.read_text()))


def test_one_copy_of_each_policy():
    # the shortfall message of every writer: Shortfall.text
    assert _sources_holding(r"more than the position then|comes before any holding") == ["ledger/replay.py"]
    # what unit is money: render.output.unit_kind (no list of "money currencies" anywhere)
    assert _sources_holding(r"""\bin \(["']USD["'], ["']JPY["']\)""") == []
    assert _sources_holding(r"""\[["']unit["']\] in \(""") == []   # a figure's unit is read by unit_kind alone
    # which inputs are stale: one table of thresholds
    assert _sources_holding(r"^(CRYPTO|STOCK|FACT|SNAPSHOT)_STALE_DAYS\s*=") == ["freshness.py"]
    # --debug is read from the option it declares, not by scanning the command line
    assert _sources_holding(r"""["']--debug["'] in """) == []
    # the company page lives with its own use case, not in companies (the old circle)
    assert "def company_profile" not in (PACKAGE / "app" / "companies.py").read_text()
