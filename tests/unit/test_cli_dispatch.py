"""Which command lines go to the CLI and which open the window (desktopchat/__main__.py)."""

from __future__ import annotations

import pytest

from desktopchat.cli.parser import wants_cli


@pytest.mark.parametrize(
    "argv",
    [
        ["ask", "hi"],
        ["--basedir", "ask", "history", "list"],  # "ask" is the folder's name here
        ["--debug", "profiles"],
        ["--basedir=/tmp/x", "export", "--all", "--format", "md"],
        ["key", "set", "OpenAI"],
        ["regenerate"],
        ["import", "file.json"],
    ],
)
def test_subcommands_go_to_the_command_line(argv: list[str]) -> None:
    assert wants_cli(argv)


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--self-test"],
        ["--version"],
        ["--basedir", "history"],  # a folder called "history", no command: the window
        ["--basedir", "/tmp/x", "--self-test"],
        ["--", "ask"],
        ["notacommand"],
    ],
)
def test_everything_else_opens_the_window(argv: list[str]) -> None:
    assert not wants_cli(argv)
