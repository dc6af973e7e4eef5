"""`cadre` with no arguments explains Cadre's own commands."""

from __future__ import annotations

import pytest

from cadre import cli


@pytest.mark.parametrize("argv", [[], ["--help"], ["help"]])
def test_help_lists_cadre_commands(argv, capsys):
    cli.main(argv)
    out = capsys.readouterr().out
    for command in ("serve", "migrate", "demo", "token create", "bench web"):
        assert command in out
