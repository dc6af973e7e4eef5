"""Fixtures for the `cadre` command tests: migrated CADRE_HOME directories in tmp."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.cli.helpers import CADRE, run_cadre


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A CADRE_HOME with a migrated SQLite database, made once and copied per test."""
    if not CADRE.exists():
        pytest.fail(f"{CADRE} is missing: run `pip install -e '.[dev]'`")
    home = tmp_path_factory.mktemp("cadre-home-template")
    done = run_cadre(home, "migrate", "--noinput", "-v", "0")
    assert done.returncode == 0, done.stderr
    return home


@pytest.fixture
def cadre_home(migrated_template: Path, tmp_path: Path):
    """A fresh, migrated CADRE_HOME; returns a function `new()` for a second independent one."""

    def new(name: str = "home") -> Path:
        home = tmp_path / name
        shutil.copytree(migrated_template, home)
        return home

    return new
