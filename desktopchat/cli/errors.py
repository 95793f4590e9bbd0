"""Running a command so that whatever goes wrong reaches the user as one readable line.

Exit status 2 for a usage error, 1 for a DesktopChatError (API, network, storage, keyring,
settings, import), 130 for Ctrl+C. Anything else is a bug: one line saying so, and the
traceback only with --debug.
"""

from __future__ import annotations

import argparse
import os
from typing import TextIO

from .parser import UsageError, parse
from .terminal import Terminal

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_STOPPED = 0, 1, 2, 130


def _debug_wanted(argv: list[str]) -> bool:
    return "--debug" in argv[: argv.index("--")] if "--" in argv else "--debug" in argv


def guarded(argv: list[str], out: TextIO, err: TextIO) -> int:
    for stream in (out, err):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")  # a terminal that cannot show a character: '?'
    terminal = Terminal(out, err)
    try:
        args = parse(argv)
    except UsageError as exc:
        err.write(f"{exc}\n")
        return EXIT_USAGE
    terminal = Terminal(out, err, colour=args.color)
    try:
        return dispatch(args, terminal)
    except UsageError as exc:
        terminal.note(str(exc))
        return EXIT_USAGE
    except KeyboardInterrupt:
        terminal.stop_spinner()
        return EXIT_STOPPED
    except BrokenPipeError:
        # The reader went away (`| head`): the reply was saved as stopped. Point stdout at
        # /dev/null so the flush at exit does not fail again (Python's documented recipe).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, out.fileno())
        return EXIT_ERROR
    except Exception as exc:
        from desktopchat.errors import DesktopChatError

        if isinstance(exc, DesktopChatError):
            terminal.error(exc.message)
        else:
            terminal.error(
                f"unexpected problem ({type(exc).__name__}: {exc}); this is a bug"
                + ("" if _debug_wanted(argv) else " (run with --debug for the traceback)")
            )
        if _debug_wanted(argv):
            import traceback  # only with --debug

            traceback.print_exc(file=err)
        return EXIT_ERROR


def dispatch(args: argparse.Namespace, terminal: Terminal) -> int:
    from .context import Context

    context = Context(args, terminal)
    if args.command in ("ask", "regenerate"):
        context.warm_up()
    try:
        if args.command == "ask":
            from . import ask

            return ask.run(context, args)
        if args.command == "regenerate":
            from . import regenerate

            return regenerate.run(context, args)
        if args.command == "history":
            from . import history

            return history.run(context, args)
        if args.command == "export":
            from . import transfer

            return transfer.export(context, args)
        if args.command == "import":
            from . import transfer

            return transfer.import_(context, args)
        if args.command == "profiles":
            from . import profiles

            return profiles.run(context, args)
        from . import keys

        return keys.run(context, args)
    finally:
        context.close()
