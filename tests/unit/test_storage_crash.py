"""Crash safety: SIGKILL a real writer process mid-stream, then reopen its history file."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from desktopchat.storage.store import HistoryStore
from tests.support.storage_writer import streamed_text

WRITER = Path(__file__).resolve().parents[1] / "support" / "storage_writer.py"
UPDATES_BEFORE_KILL = 25


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX only")
def test_sigkill_while_streaming_loses_nothing_committed(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    child = subprocess.Popen(
        [sys.executable, str(WRITER), "stream", str(path)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    committed: list[int] = []
    streaming_id = -1
    saved: dict[int, str] = {}
    try:
        for line in child.stdout:
            kind, _, rest = line.strip().partition(" ")
            if kind == "COMMITTED":
                committed.append(int(rest))
            elif kind == "STREAMING":
                streaming_id = int(rest)
            elif kind == "SAVED":
                seq, _, text = rest.partition(" ")
                saved[int(seq)] = json.loads(text)
                if len(saved) >= UPDATES_BEFORE_KILL:
                    os.kill(child.pid, signal.SIGKILL)
                    break
    finally:
        child.kill()
        child.wait(timeout=10)
    # Lines the child printed before it died are still in the pipe: read them too.
    for line in child.stdout:
        kind, _, rest = line.strip().partition(" ")
        if kind == "SAVED":
            seq, _, text = rest.partition(" ")
            saved[int(seq)] = json.loads(text)
    child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    last_seq = max(saved)

    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
    with HistoryStore.open(path) as store:
        assert store.recovered_interrupted == 1
        for message_id in committed:
            assert store.message(message_id).state == "complete"
        reply = store.message(streaming_id)
        assert reply.state == "interrupted"
        # A commit can return in the child and the kill land before it prints SAVED: then the
        # file holds the very next text of the (deterministic) sequence. Nothing else is allowed.
        assert reply.content in (saved[last_seq], streamed_text(last_seq + 1))
        if reply.content == saved[last_seq]:
            assert reply.reasoning == f"thinking {last_seq}"
        assert len(committed) == 7
        conversation = store.get_conversation(reply.conversation_id)
        assert [m.id for m in store.messages(conversation.id)] == [*committed, streaming_id]
        # The recovered reply is now in the search index like any finished message.
        assert streaming_id in {h.message_id for h in store.search("word0")}
        assert store._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
