"""Fixtures of the capital-stack tests: the CLI helpers' refusal check, and a database seeded once."""

from __future__ import annotations

import pytest

from tests.cli.conftest import Refusal, built_once, start_from


@pytest.fixture
def refused(cli, db_path):
    return Refusal(cli, db_path)


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory):
    return built_once(tmp_path_factory, "seeded", lambda cli: cli.ok("init", "--seed"))


@pytest.fixture
def seeded(cli, db_path, seeded_template):
    """The bundled data set, loaded once per session and copied for each test."""
    start_from(seeded_template, db_path)
    return cli
