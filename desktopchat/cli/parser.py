"""The command line's grammar (stdlib argparse) and the test that tells a CLI call from the GUI.

argparse is enough here: subcommands, mutually exclusive options and help text are all it
takes, it costs ~10 ms to import, and it adds no dependency to the app or its bundle.

Options every subcommand understands (`--basedir`, `--debug`, `--color`) are accepted both
before and after the subcommand's name: `desktopchat --basedir D ask hi` and
`desktopchat ask --basedir D hi` mean the same.
"""

from __future__ import annotations

import argparse
import os
import sys

from desktopchat import __version__

SUBCOMMANDS = frozenset({"ask", "regenerate", "history", "export", "import", "profiles", "key"})
# Options of the window command line that take a value (the value is not a subcommand).
_VALUE_OPTIONS = frozenset({"--basedir"})


def wants_cli(argv: list[str]) -> bool:
    """True when argv names a subcommand; everything else opens the window."""
    skip_value = False
    for token in argv:
        if skip_value:
            skip_value = False
            continue
        if token == "--":
            return False
        if token.startswith("-"):
            skip_value = token in _VALUE_OPTIONS
            continue
        return token in SUBCOMMANDS
    return False


class UsageError(Exception):
    """A bad command line: exit status 2, the message on stderr."""


def _help_width() -> int:
    """shutil.get_terminal_size's width, less 2 (what argparse uses), without importing
    shutil: argparse builds a formatter for every add_argument, and its first import of
    shutil (with zlib, bz2, lzma) cost `ask` a few ms before its request left."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return (columns or 80) - 2


class _Parser(argparse.ArgumentParser):
    def _get_formatter(self) -> argparse.HelpFormatter:
        return self.formatter_class(prog=self.prog, width=_help_width())  # type: ignore[call-arg]

    def error(self, message: str) -> None:  # type: ignore[override]
        # One line with the command's name, like argparse, plus where to find help.
        raise UsageError(f"{self.prog}: {message} (see {self.prog} --help)")


def _common(suppress: bool) -> _Parser:
    """--basedir, --debug, --color; in subcommands their defaults do not hide the top level's."""
    common = _Parser(add_help=False)
    default = argparse.SUPPRESS if suppress else None
    common.add_argument(
        "--basedir", default=default, help="keep config and data in this folder (portable mode)"
    )
    common.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS if suppress else False,
        help="show the traceback of an unexpected error",
    )
    common.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default=argparse.SUPPRESS if suppress else "auto",
        help="colour on a terminal (auto honours NO_COLOR and TERM=dumb)",
    )
    return common


def _endpoint_options(parser: argparse.ArgumentParser) -> None:
    target = parser.add_mutually_exclusive_group()
    target.add_argument(
        "-p", "--profile", help="the saved profile to use (default: the active one)"
    )
    target.add_argument(
        "--url", help="a chat URL without a saved profile (sends no key unless --key-from-env)"
    )
    parser.add_argument("-m", "--model", help="the model for this request")
    parser.add_argument(
        "--key-from-env",
        metavar="VAR",
        help="take the API key from the environment variable VAR instead of the keyring",
    )
    parser.add_argument("--temperature", type=float, help="sampling temperature, 0 to 2")
    parser.add_argument(
        "--reasoning", action="store_true", help="print the model's reasoning to stderr"
    )
    parser.add_argument(
        "-y", "--yes", action="store_true",
        help="run every tool call the model makes without asking (MCP servers in tools.json)",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object when the reply is complete instead of streaming text",
    )


def _conversation_choice(parser: argparse.ArgumentParser, what: str) -> None:
    which = parser.add_mutually_exclusive_group()
    which.add_argument("-c", "--conversation", type=int, metavar="ID", help=what)
    which.add_argument(
        "--continue",
        dest="continue_latest",
        action="store_true",
        help="use the most recently updated conversation",
    )


def build_parser() -> argparse.ArgumentParser:
    sub_common = _common(suppress=True)
    parser = _Parser(
        prog="desktopchat",
        description="Chat with OpenAI-compatible endpoints. Without a command: open the window.",
        parents=[_common(suppress=False)],
    )
    parser.add_argument("--version", action="version", version=f"desktopchat {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, text: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=text, description=text, parents=[sub_common])

    ask = command("ask", "send a message and stream the reply to stdout")
    _conversation_choice(ask, "continue the conversation ID")
    ask.add_argument("-s", "--system", help="the system prompt for this conversation")
    _endpoint_options(ask)
    ask.add_argument("text", nargs="?", help="the message; with text on stdin, written before it")

    regen = command("regenerate", "stream a new version of the last reply, kept beside the old")
    _conversation_choice(regen, "the conversation ID (default: the most recent)")
    _endpoint_options(regen)

    history = command("history", "list, show or search past conversations")
    views = history.add_subparsers(dest="history_command", metavar="ACTION", parser_class=_Parser)
    views.required = True
    listing = views.add_parser("list", help="recent conversations", parents=[sub_common])
    listing.add_argument("--limit", type=int, default=20, help="how many (default 20)")
    listing.add_argument("--json", action="store_true", help="print JSON")
    show = views.add_parser("show", help="one conversation", parents=[sub_common])
    show.add_argument("id", type=int, metavar="ID")
    shape = show.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="print JSON")
    shape.add_argument("--markdown", action="store_true", help="print Markdown")
    search = views.add_parser("search", help="full-text search", parents=[sub_common])
    search.add_argument("query", metavar="QUERY")
    search.add_argument("--limit", type=int, default=20, help="how many hits (default 20)")
    search.add_argument("--json", action="store_true", help="print JSON")

    export = command("export", "write conversations to a Markdown or JSON file")
    export.add_argument("ids", type=int, nargs="*", metavar="ID")
    export.add_argument("--all", action="store_true", help="every conversation")
    export.add_argument("--format", choices=("md", "json"), required=True)
    export.add_argument("-o", "--output", metavar="PATH", help="the file (default: stdout)")

    importer = command("import", "add conversations from our JSON or ChatGPT's conversations.json")
    importer.add_argument("file", metavar="FILE")

    profiles = command("profiles", "list, add or remove endpoint profiles (never keys)")
    profiles.add_argument("--json", action="store_true", help="print JSON")
    changes = profiles.add_subparsers(
        dest="profiles_command", metavar="ACTION", parser_class=_Parser
    )
    add = changes.add_parser("add", help="add a profile", parents=[sub_common])
    add.add_argument("name", metavar="NAME")
    add.add_argument("--preset", required=True, metavar="P", help="a preset id (see --help)")
    add.add_argument("--url", help="the chat URL (default: the preset's)")
    add.add_argument("--model", help="the model")
    remove = changes.add_parser("remove", help="remove a profile and its key", parents=[sub_common])
    remove.add_argument("name", metavar="NAME")

    key = command("key", "store or delete a profile's API key in the OS keyring")
    actions = key.add_subparsers(dest="key_command", metavar="ACTION", parser_class=_Parser)
    actions.required = True
    key_set = actions.add_parser(
        "set", help="read a key from stdin (no echo)", parents=[sub_common]
    )
    key_set.add_argument("profile", metavar="PROFILE")
    key_delete = actions.add_parser("delete", help="forget the key", parents=[sub_common])
    key_delete.add_argument("profile", metavar="PROFILE")
    return parser


def parse(argv: list[str]) -> argparse.Namespace:
    args = build_parser().parse_args(argv)
    if args.command is None:
        raise UsageError("desktopchat: a command is required (see desktopchat --help)")
    return args
