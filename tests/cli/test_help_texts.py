"""Help is written for the person at the terminal: every command's --help says what it does in the
product's words, never by pointing at a section of the specification."""

from __future__ import annotations

import re

import click
import typer

from dattrack.cli.app import app


def commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        yield prefix + (name,), command
        if isinstance(command, click.Group):
            yield from commands(command, prefix + (name,))


def test_no_help_text_cites_the_spec(cli):
    root = typer.main.get_command(app)
    seen = 0
    for path, _ in commands(root):
        result = cli(*path, "--help")
        assert result.exit_code == 0, (path, result.stderr)
        assert not re.search(r"\bSPEC\b", result.stdout), f"dattrack {' '.join(path)} --help:\n{result.stdout}"
        seen += 1
    assert seen >= 20  # every command and sub-command was asked
