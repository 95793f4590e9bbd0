"""The command-line face: `desktopchat ask|regenerate|history|export|import|profiles|key`.

It shares the GUI's folders, settings, keyring and history, and never imports Qt (a test
runs `ask` in a process and checks). Heavy modules are imported only by the command that
needs them, and `ask` opens the history only once its request has left, so the request
goes out soon after start (benchmarks/cli_startup.py).

    parser.py         the grammar (argparse) and wants_cli(argv) for __main__
    context.py        folders, settings, history and keyring, opened on first use
    terminal.py       stdout/stderr: plain in a pipe, spinner and colour on a terminal
    endpoint.py       profile or --url, overrides, the key and where it may go
    conversations.py  -c ID, --continue, or a new conversation
    ask.py            ask: read the message, write the turn, stream the reply
    regenerate.py     regenerate: a new version of the last reply, beside the old one
    turn.py           one streamed reply into the terminal and the history; exit status
    pending.py        the turn's rows, written once the request has left; never lost
    senders.py        core.direct (no httpx, no asyncio) unless a proxy may apply
    history.py        history list|show|search
    transfer.py       export, import
    profiles.py       profiles [add|remove]
    keys.py           key set|delete
    shapes.py         the --json shapes (stable; documented in README)
    errors.py         what reaches the user: one line, exit 1/2/130; --debug: traceback
    warmup.py         TLS certificates and the profile's key (or the keyring backend),
                      loaded on helper threads

Exit status: 0 success; 1 an API, network, storage or keyring error; 2 a usage error;
130 stopped by Ctrl+C (the partial reply is kept, marked stopped).
"""

from __future__ import annotations

import sys

from .errors import guarded


def main(argv: list[str]) -> int:
    # httpx imports its own command-line tool (click, pygments) whenever they are installed;
    # nothing here uses it. A None entry makes that import fail, which httpx expects.
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
    return guarded(argv, sys.stdout, sys.stderr)
