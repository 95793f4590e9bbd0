"""HistoryStore: conversations and messages in one SQLite file (WAL, FTS5, migrations).

Opening (check, migrate, recover), transactions and every change: conversations, messages,
the versions of the tree. Every query that changes nothing is HistoryReader's (reading.py).
"""

from __future__ import annotations

import dataclasses
import sqlite3
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from desktopchat.attachments import Attachment
from desktopchat.errors import StorageError
from desktopchat.safe_json import mend_text

from . import blobs, migrations, opening, tree, writes
from .folders import FolderStore
from .models import FINAL_STATES, Conversation, Message, MessageState, RemovedBranch
from .reading import HistoryReader
from .rows import dump_json, rowid, title_from
from .sqlerrors import mapped
from .writers import WriterLock
from .writes import AT_LEAF

__all__ = ["AT_LEAF", "HistoryStore", "dump_json", "title_from"]


class HistoryStore(HistoryReader):
    """The one door to the history file. Every failure is a StorageError with a plain message."""

    def __init__(self, db: sqlite3.Connection, path: Path, busy_timeout: float) -> None:
        super().__init__(db, path, busy_timeout)
        self.recovered_interrupted = 0
        self.backup_path: Path | None = None  # the copy made before a migration, if any
        self.writer: WriterLock | None = None  # held while open: we are a live writer
        self.read_only = False  # opened by open_read_only: every change fails plainly
        self.folders = FolderStore(self.transaction, self._reading)

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        busy_timeout: float = 5.0,
        open_timeout: float | None = None,
        progress: migrations.Progress | None = None,
    ) -> HistoryStore:
        """Open (creating or upgrading) the file; `progress` hears about long upgrade steps.

        `open_timeout`: how long opening may wait for another program's lock (default
        `busy_timeout`); the app passes a short one so a locked file is reported at once."""
        path = Path(path)
        opening.check_file(path)
        wait = busy_timeout if open_timeout is None else open_timeout
        db = opening.connect(path, wait)
        store = cls(db, path, busy_timeout)
        try:
            store.backup_path = opening.migrate(db, path, wait, progress)
            store.writer = opening.claim_writer(path)
            store.recovered_interrupted = opening.recover_streaming(db, path, wait, store.writer)
            opening.set_busy_timeout(db, path, busy_timeout)
            # SQLite quietly opens a file it may not write for reading: said up front.
            store.read_only = not opening.can_write(path)
        except BaseException:
            store.close()
            raise
        return store

    @classmethod
    def open_read_only(cls, path: Path, *, busy_timeout: float = 5.0) -> HistoryStore:
        """Open a history that cannot be written, to read it (storage/read_only.py)."""
        from .read_only import connect_read_only

        path = Path(path)
        opening.check_file(path)
        store = cls(connect_read_only(path, busy_timeout), path, busy_timeout)
        store.read_only = True
        return store

    def close(self) -> None:
        self._db.close()
        if self.writer is not None:
            self.writer.release()
            self.writer = None

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions -------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE): all of it is saved, or none of it."""
        with mapped(self.path, self.busy_timeout):
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
                self._db.execute("COMMIT")
            except BaseException:
                # After SQLITE_FULL SQLite may already have rolled back on its own.
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise

    # -- conversations ------------------------------------------------------------------

    def create_conversation(
        self, *, title: str = "", profile: str = "", model: str = "", uid: str | None = None
    ) -> Conversation:
        now = time.time()
        with self.transaction() as db:
            cur = db.execute(
                "INSERT INTO conversations(uid, title, title_is_custom, profile, model,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    uid or str(uuid.uuid4()),
                    title.strip(),
                    bool(title.strip()),
                    profile,
                    model,
                    now,
                    now,
                ),
            )
        return self.get_conversation(rowid(cur))

    def _update_conversation(self, conversation_id: int, sql: str,
                             params: tuple[object, ...]) -> None:
        with self.transaction() as db:
            cur = db.execute(
                f"UPDATE conversations SET {sql} WHERE id = ?", (*params, conversation_id)
            )
            if cur.rowcount == 0:
                raise StorageError(f"Conversation {conversation_id} does not exist.")

    def rename_conversation(self, conversation_id: int, title: str) -> None:
        title = " ".join(title.split())
        # An empty name gives the title back to the first user message.
        self._update_conversation(
            conversation_id, "title = ?, title_is_custom = ?", (title, bool(title))
        )
        if not title:
            with self.transaction() as db:
                writes.retitle(db, conversation_id)

    def delete_conversation(self, conversation_id: int) -> None:
        """Delete for good (the window's undo period is over), and free the attachments no
        other message carries. (Undo of a removed version keeps its own copy of them.)"""
        with self.transaction() as db:
            db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))
            blobs.sweep(db)

    def set_pinned(self, conversation_id: int, pinned: bool) -> None:
        self._update_conversation(conversation_id, "pinned = ?", (bool(pinned),))

    def set_provider_conversation_id(self, conversation_id: int, value: str | None) -> None:
        self._update_conversation(conversation_id, "provider_conversation_id = ?", (value,))

    def set_conversation_profile(self, conversation_id: int, profile: str, model: str) -> None:
        self._update_conversation(conversation_id, "profile = ?, model = ?", (profile, model))

    # -- the tree -----------------------------------------------------------------------

    def select_branch(self, message_id: int) -> list[Message]:
        """Show `message_id`'s branch (down its newest replies); remembered across restarts.
        Returns the new current path."""
        with self.transaction() as db:
            message = tree.message_or_error(db, message_id)
            leaf = tree.newest_leaf_under(db, message_id)
            tree.select_leaf(db, message.conversation_id, leaf)
            writes.retitle(db, message.conversation_id)
            return tree.path_to(db, leaf)

    def remove_branch(self, message_id: int) -> RemovedBranch:
        """Delete one version, with everything below it. Keep the result to undo."""
        with self.transaction() as db:
            ids = [m.id for m in tree.subtree(db, message_id)]
            files = {k: tuple(v) for k, v in blobs.of_messages(db, ids).items()}
            removed = tree.remove(db, tree.message_or_error(db, message_id))
            removed = dataclasses.replace(removed, attachments=files)
            writes.retitle(db, removed.conversation_id)
            writes.touch(db, removed.conversation_id, time.time())
        return removed

    def restore_branch(self, removed: RemovedBranch) -> dict[int, int]:
        """Undo remove_branch: the messages come back (with new ids: {old id: new id})."""
        with self.transaction() as db:
            new_ids = tree.restore(db, removed)
            for old_id, files in removed.attachments.items():
                if old_id in new_ids:
                    blobs.link(db, new_ids[old_id], files)
            writes.retitle(db, removed.conversation_id)
            writes.touch(db, removed.conversation_id, time.time())
        return new_ids

    # -- writing messages ---------------------------------------------------------------

    def add_message(
        self,
        conversation_id: int,
        role: str,
        content: str,
        *,
        parent_id: int | None = AT_LEAF,
        state: str = MessageState.COMPLETE,
        profile: str = "",
        model: str = "",
    ) -> Message:
        """Add a child of `parent_id` (AT_LEAF: the selected leaf; None: a first message)
        and select it, so the new message ends the branch shown."""
        with self.transaction() as db:
            new_id = writes.insert_message(
                db,
                conversation_id,
                role,
                content,
                parent_id=parent_id,
                state=state,
                profile=profile,
                model=model,
                now=time.time(),
            )
            return tree.message_or_error(db, new_id)

    def add_user_message(
        self,
        conversation_id: int,
        content: str,
        *,
        parent_id: int | None = AT_LEAF,
        attachments: tuple[Attachment, ...] = (),
    ) -> Message:
        """A user message with its files (stored once per distinct content)."""
        with self.transaction() as db:
            new_id = writes.insert_message(
                db, conversation_id, "user", content, parent_id=parent_id,
                state=MessageState.COMPLETE, profile="", model="", now=time.time())
            blobs.link(db, new_id, attachments)
            return tree.message_or_error(db, new_id)

    def start_assistant_message(
        self,
        conversation_id: int,
        *,
        parent_id: int | None = AT_LEAF,
        profile: str = "",
        model: str = "",
    ) -> Message:
        """An empty reply in state `streaming`; a sibling of earlier replies to the same turn."""
        return self.add_message(
            conversation_id,
            "assistant",
            "",
            parent_id=parent_id,
            state=MessageState.STREAMING,
            profile=profile,
            model=model,
        )

    def add_tool_result(
        self,
        conversation_id: int,
        parent_id: int,
        *,
        call_id: str,
        name: str,
        content: str,
        state: str = MessageState.COMPLETE,
        details: Mapping[str, object] | None = None,
    ) -> Message:
        """A `tool` row: the result of one call of an assistant message. Its `tool_calls`
        says which call it answers (`[{"id": call_id, "name": name, **details}]`, details
        being the user's decision, whether the tool failed, its images). Results of
        parallel calls follow one another on the path, the first under the assistant."""
        answers = [{**(details or {}), "id": call_id, "name": name}]
        with self.transaction() as db:
            new_id = writes.insert_message(
                db, conversation_id, "tool", content, parent_id=parent_id, state=state,
                profile="", model="", now=time.time(),
            )
            db.execute("UPDATE messages SET tool_calls = ? WHERE id = ?",
                       (dump_json(answers), new_id))
            return tree.message_or_error(db, new_id)

    def resume_assistant_message(self, message_id: int) -> Message:
        """Continue: the same reply streams again and grows (one message, one text)."""
        with self.transaction() as db:
            message = tree.message_or_error(db, message_id)
            if message.role != "assistant" or message.state == MessageState.STREAMING:
                raise StorageError(f"Message {message_id} is not a finished reply.")
            db.execute(
                "UPDATE messages SET state = 'streaming', error = NULL, updated_at = ?"
                " WHERE id = ?",
                (time.time(), message_id),
            )
            return tree.message_or_error(db, message_id)

    def update_assistant_message(
        self,
        message_id: int,
        *,
        content: str,
        reasoning: str = "",
        tool_calls: list[dict[str, object]] | None = None,
    ) -> None:
        """Save the reply so far: one row, no index work (streaming rows are not in FTS)."""
        with self.transaction() as db:
            cur = db.execute(
                "UPDATE messages SET content = ?, reasoning = ?, tool_calls = ?, updated_at = ?"
                " WHERE id = ? AND state = 'streaming'",
                (mend_text(content), mend_text(reasoning), dump_json(tool_calls or []), time.time(),
                 message_id),
            )
            if cur.rowcount == 0:
                raise StorageError(f"Message {message_id} does not exist or is not streaming.")

    def finish_assistant_message(
        self,
        message_id: int,
        *,
        state: str,
        content: str,
        reasoning: str = "",
        tool_calls: list[dict[str, object]] | None = None,
        finish_reason: str | None = None,
        usage: dict[str, object] | None = None,
        error: str | None = None,
        first_token_s: float | None = None,
        tokens_per_s: float | None = None,
    ) -> None:
        if state not in FINAL_STATES:
            raise ValueError(f"state must be one of {FINAL_STATES}, not {state!r}")
        with self.transaction() as db:
            writes.finish_message(
                db,
                message_id,
                time.time(),
                state=state,
                content=content,
                reasoning=reasoning,
                tool_calls=tool_calls,
                finish_reason=finish_reason,
                usage=usage,
                error=error,
                first_token_s=first_token_s,
                tokens_per_s=tokens_per_s,
            )

    def edit_message(self, message_id: int, content: str) -> None:
        """Change a message's text in place (a typo); Edit in the UI adds a version instead."""
        now = time.time()
        with self.transaction() as db:
            conversation_id = writes.conversation_of(db, message_id)
            db.execute(
                "UPDATE messages SET content = ?, updated_at = ? WHERE id = ?",
                (content, now, message_id),
            )
            writes.retitle(db, conversation_id)
            writes.touch(db, conversation_id, now)
