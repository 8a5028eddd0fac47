"""Every CLI command has help, and every setting is documented in the README."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from backcheck.cli.main import app
from backcheck.settings import SETTINGS

README = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")


def _commands() -> list[list[str]]:
    import typer.main

    group = typer.main.get_command(app)
    out = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        out.append([name])
        for sub in getattr(command, "commands", {}):
            out.append([name, sub])
    return out


@pytest.mark.parametrize("argv", _commands(), ids=lambda a: " ".join(a))
def test_every_command_has_help(argv: list[str]) -> None:
    result = CliRunner().invoke(app, [*argv, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output and len(result.output.split()) > 8


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_every_setting_is_documented(setting) -> None:  # type: ignore[no-untyped-def]
    assert f"`{setting.env}`" in README


def test_readme_shows_the_two_setup_commands_first() -> None:
    first_screen = README[:1500]
    assert "make run" in first_screen and "make test" in first_screen
