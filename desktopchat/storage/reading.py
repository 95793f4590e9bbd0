"""HistoryReader: every query on the history file that changes nothing.

Conversations and their listing, messages page by page, the message tree (the branch shown,
versions, positions), attachments and search. HistoryStore (store.py) is a reader that also
opens the file and writes; a reader alone serves code that only looks (given a connection).
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from desktopchat.attachments import Attachment
from desktopchat.errors import StorageError

from . import blobs, migrations, tree
from .models import Conversation, Message, SearchFilters, SearchHit, SearchResults
from .rows import CONVERSATION_COLUMNS, MESSAGE_COLUMNS, conversation_from_row, message_from_row
from .sqlerrors import mapped


class HistoryReader:
    """Reads through one connection; every failure is a StorageError with a plain message."""

    def __init__(self, db: sqlite3.Connection, path: Path, busy_timeout: float) -> None:
        self._db = db
        self.path = path
        self.busy_timeout = busy_timeout

    @property
    def schema_version(self) -> int:
        with self._reading():
            return len(migrations.applied_names(self._db))

    def data_version(self) -> int:
        """Changes when another connection (another process: the CLI, a second window)
        commits to the file; our own writes leave it alone. Cheap: no table is read."""
        with self._reading() as db:
            return int(db.execute("PRAGMA data_version").fetchone()[0])

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        with mapped(self.path, self.busy_timeout):
            yield self._db

    # -- conversations ------------------------------------------------------------------

    def get_conversation(self, conversation_id: int) -> Conversation:
        with self._reading() as db:
            row = db.execute(
                f"SELECT {CONVERSATION_COLUMNS} FROM conversations WHERE id = ?",
                (conversation_id,),
            ).fetchone()
        if row is None:
            raise StorageError(f"Conversation {conversation_id} does not exist (was it deleted?).")
        return conversation_from_row(row)

    def conversation_by_uid(self, uid: str) -> Conversation | None:
        with self._reading() as db:
            row = db.execute(
                f"SELECT {CONVERSATION_COLUMNS} FROM conversations WHERE uid = ?", (uid,)
            ).fetchone()
        return conversation_from_row(row) if row else None

    def list_conversations(self, *, limit: int = 50, offset: int = 0) -> list[Conversation]:
        with self._reading() as db:
            rows = db.execute(
                f"SELECT {CONVERSATION_COLUMNS} FROM conversations"
                " ORDER BY pinned DESC, updated_at DESC, id DESC LIMIT ? OFFSET ?",
                (max(0, limit), max(0, offset)),
            ).fetchall()
        return [conversation_from_row(row) for row in rows]

    def all_conversation_ids(self) -> list[int]:
        """Every conversation id, oldest first (for export)."""
        with self._reading() as db:
            return [row[0] for row in db.execute("SELECT id FROM conversations ORDER BY id")]

    def count_conversations(self) -> int:
        with self._reading() as db:
            return int(db.execute("SELECT count(*) FROM conversations").fetchone()[0])

    # -- messages -----------------------------------------------------------------------

    def messages(
        self, conversation_id: int, *, limit: int = 100, before_id: int | None = None
    ) -> list[Message]:
        """Every message of every version, in the order written (the whole tree, flat)."""
        with self._reading() as db:
            rows = db.execute(
                f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? AND id < ?"
                " ORDER BY id DESC LIMIT ?",
                (conversation_id, before_id if before_id is not None else 2**63 - 1, limit),
            ).fetchall()
        return [message_from_row(row) for row in reversed(rows)]

    def count_messages(self, conversation_id: int) -> int:
        with self._reading() as db:
            return int(
                db.execute(
                    "SELECT count(*) FROM messages WHERE conversation_id = ?", (conversation_id,)
                ).fetchone()[0]
            )

    def token_totals(self, conversation_id: int) -> tuple[int, int]:
        """(prompt, completion) tokens the conversation's replies reported, every version."""
        with self._reading() as db:
            row = db.execute(
                f"SELECT total({_COUNT.format(key='prompt_tokens')}),"
                f" total({_COUNT.format(key='completion_tokens')}) FROM messages"
                " WHERE conversation_id = ? AND usage IS NOT NULL AND json_valid(usage)",
                (conversation_id,),
            ).fetchone()
        return _token_total(row[0]), _token_total(row[1])

    def message(self, message_id: int) -> Message:
        with self._reading() as db:
            return tree.message_or_error(db, message_id)

    # -- the tree -----------------------------------------------------------------------

    def current_leaf_id(self, conversation_id: int) -> int | None:
        """The end of the branch shown (None: the conversation has no messages)."""
        with self._reading() as db:
            return tree.leaf_of(db, conversation_id)

    def current_path(
        self, conversation_id: int, *, limit: int = -1, before_id: int | None = None
    ) -> list[Message]:
        """The branch shown, root first: its newest `limit` messages (-1: all of them), or the
        `limit` messages above `before_id` (a message on the path) for paging back."""
        with self._reading() as db:
            if before_id is None:
                return tree.path_to(db, tree.leaf_of(db, conversation_id), limit)
            above = tree.message_or_error(db, before_id).parent_id
            return tree.path_to(db, above, limit)

    def path_to(self, message_id: int | None) -> list[Message]:
        """The chain from the first message down to `message_id` (None: empty)."""
        with self._reading() as db:
            return tree.path_to(db, message_id)

    def siblings(self, message_id: int) -> list[Message]:
        """Every version of this message's turn (itself included), oldest first: ‹ 2/3 ›."""
        with self._reading() as db:
            return tree.siblings(db, tree.message_or_error(db, message_id))

    def branch_positions(self, messages: list[Message]) -> dict[int, tuple[int, int]]:
        """{id: (position, count)} for those of `messages` that have other versions."""
        with self._reading() as db:
            return tree.positions(db, messages)

    # -- attachments --------------------------------------------------------------------

    def attachments(self, message_ids: list[int]) -> dict[int, list[Attachment]]:
        """The attachments of each of `message_ids` that has any, in the order attached."""
        with self._reading() as db:
            return blobs.of_messages(db, message_ids)

    def blob_count(self) -> int:
        with self._reading() as db:
            return blobs.count(db)

    # -- search -------------------------------------------------------------------------

    def search(
        self, query: str, *, limit: int = 50, filters: SearchFilters | None = None
    ) -> list[SearchHit]:
        """Hits best first (messages and titles); see storage/search_query.py for the syntax.

        Every version of every message is searchable, not only the branch shown.
        """
        # Imported on first use: compiling its Unicode regexes costs ~15 ms, which
        # `desktopchat ask` (and a window that is never searched) need not pay at start.
        from .search import search as run_search

        with self._reading() as db:
            return run_search(db, query, limit=limit, filters=filters)

    def search_grouped(
        self, query: str, *, filters: SearchFilters | None = None, exhaustive: bool = False
    ) -> SearchResults:
        from .search import search_grouped

        with self._reading() as db:
            return search_grouped(db, query, filters=filters, exhaustive=exhaustive)

    def search_filter_choices(self) -> tuple[list[str], list[str]]:
        """(profiles, models) that conversations in the history were written with."""
        from .search_filters import filter_choices

        with self._reading() as db:
            return filter_choices(db)


# A stored count is whatever a server sent: only whole numbers from 0 up count, and total()
# (a float sum) cannot overflow where sum() of huge integers raises "integer overflow".
_COUNT = ("CASE WHEN json_type(usage, '$.{key}') = 'integer'"
          " AND json_extract(usage, '$.{key}') >= 0 THEN json_extract(usage, '$.{key}') END")
MAX_TOKEN_TOTAL = 10**15


def _token_total(value: object) -> int:
    if not isinstance(value, int | float) or not math.isfinite(value) or value <= 0:
        return 0
    return int(min(value, MAX_TOKEN_TOTAL))
