"""Every command's --help shows one example of its use."""

from __future__ import annotations

import typer


def all_commands() -> list[tuple[str, ...]]:
    from dattrack.cli.app import app

    root = typer.main.get_command(app)
    found = []

    def walk(group, path: tuple[str, ...]) -> None:
        for name, command in group.commands.items():
            if hasattr(command, "commands"):  # a group (typer may vendor its own click)
                walk(command, (*path, name))
            else:
                found.append((*path, name))

    walk(root, ())
    return found


def test_every_command_has_an_example(cli):
    commands = all_commands()
    assert ("report",) in commands and ("fact", "list") in commands and len(commands) > 20
    missing = []
    for path in commands:
        lines = [line.strip() for line in cli.ok(*path, "--help").splitlines()]
        example = lines[lines.index("Example:") + 1] if "Example:" in lines else ""
        if "dattrack " not in example:
            missing.append(" ".join(path))
    assert missing == []
