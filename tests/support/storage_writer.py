"""A child process that uses the history store, for tests that need a real second process.

    python tests/support/storage_writer.py stream DB     add messages, then stream a reply
                                                          forever (until killed)
    python tests/support/storage_writer.py hold-lock DB  take the write lock, print LOCKED,
                                                          hold it until stdin closes
    python tests/support/storage_writer.py hold-exclusive DB  the same with BEGIN EXCLUSIVE
    python tests/support/storage_writer.py open DB       try to open and write; print OK or
                                                          ERROR <message>

Every line is printed (and flushed) only after the commit it reports has returned, so the
parent knows a lower bound of what is on disk. `stream` prints:
    COMMITTED <message id>        a complete message
    STREAMING <message id>        the assistant message that is being streamed
    SAVED <seq> <json text>       update number <seq> saved; the text is now <json text>
"""

from __future__ import annotations

import json
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from desktopchat.errors import StorageError
from desktopchat.storage.store import HistoryStore


def streamed_text(seq: int) -> str:
    """The reply text after update `seq` (deterministic, so the parent can predict it)."""
    return "".join(f"word{i} " for i in range(seq + 1))


def stream(path: Path) -> None:
    store = HistoryStore.open(path)
    conversation = store.create_conversation(profile="child", model="m")
    for i in range(3):
        message = store.add_user_message(conversation.id, f"question {i}")
        print(f"COMMITTED {message.id}", flush=True)
        reply = store.start_assistant_message(conversation.id)
        store.finish_assistant_message(reply.id, state="complete", content=f"answer {i}")
        print(f"COMMITTED {reply.id}", flush=True)
    message = store.add_user_message(conversation.id, "the last question")
    print(f"COMMITTED {message.id}", flush=True)
    reply = store.start_assistant_message(conversation.id)
    print(f"STREAMING {reply.id}", flush=True)
    seq = 0
    while True:
        text = streamed_text(seq)
        store.update_assistant_message(reply.id, content=text, reasoning=f"thinking {seq}")
        print(f"SAVED {seq} {json.dumps(text)}", flush=True)
        seq += 1
        time.sleep(0.002)


def hold_lock(path: Path, begin: str = "BEGIN IMMEDIATE") -> None:
    db = sqlite3.connect(str(path), isolation_level=None)
    db.execute(begin)
    print("LOCKED", flush=True)
    sys.stdin.read()  # hold the lock until the parent closes our stdin
    db.execute("ROLLBACK")


def try_open(path: Path) -> None:
    try:
        store = HistoryStore.open(path, busy_timeout=0.5)
        conversation = store.create_conversation()
        store.add_user_message(conversation.id, "hello")
        store.close()
    except StorageError as exc:
        print(f"ERROR {exc}", flush=True)
        return
    print("OK", flush=True)


def main() -> None:
    command, path = sys.argv[1], Path(sys.argv[2])
    {"stream": stream, "hold-lock": hold_lock, "open": try_open,
     "hold-exclusive": lambda p: hold_lock(p, "BEGIN EXCLUSIVE")}[command](path)


if __name__ == "__main__":
    main()
