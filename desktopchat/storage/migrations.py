"""Schema migrations: named functions, applied in order, each recorded in `schema_migrations`.

A released migration never changes; a new schema is a new function appended to MIGRATIONS.
Each runs inside the caller's transaction, so a failure leaves the file as it was.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable

from . import search_lists, substring_index, tool_call_index

Migration = Callable[[sqlite3.Connection], None]
Step = tuple[str, Migration]
# (migration name, fraction done 0..1): long steps report how far they are.
Progress = Callable[[str, float], None]


def m001_initial(db: sqlite3.Connection) -> None:
    db.execute(
        """CREATE TABLE conversations (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL DEFAULT '',
            title_is_custom INTEGER NOT NULL DEFAULT 0,
            profile TEXT NOT NULL DEFAULT '',
            model TEXT NOT NULL DEFAULT '',
            provider_conversation_id TEXT,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE messages (
            id INTEGER PRIMARY KEY,
            conversation_id INTEGER NOT NULL
                REFERENCES conversations(id) ON DELETE CASCADE,
            role TEXT NOT NULL,
            content TEXT NOT NULL DEFAULT '',
            reasoning TEXT NOT NULL DEFAULT '',
            tool_calls TEXT NOT NULL DEFAULT '[]',
            state TEXT NOT NULL DEFAULT 'complete',
            finish_reason TEXT,
            usage TEXT,
            error TEXT,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL
        )"""
    )
    db.execute("CREATE INDEX messages_by_conversation ON messages(conversation_id, id)")
    # Start-up looks for `streaming` rows on every open: keep that a tiny index probe.
    db.execute("CREATE INDEX messages_streaming ON messages(id) WHERE state = 'streaming'")
    db.execute("CREATE INDEX conversations_by_updated ON conversations(updated_at DESC, id DESC)")


def m002_pinned_and_fts(db: sqlite3.Connection) -> None:
    db.execute("ALTER TABLE conversations ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0")
    db.execute("DROP INDEX conversations_by_updated")
    db.execute(
        "CREATE INDEX conversations_by_listing"
        " ON conversations(pinned DESC, updated_at DESC, id DESC)"
    )
    # External-content FTS: the text lives once, in `messages`. A message is indexed only once
    # it stops streaming, so the many updates of a growing reply touch one row and no index.
    db.execute(
        "CREATE VIRTUAL TABLE messages_fts USING fts5(content, reasoning,"
        " content='messages', content_rowid='id', tokenize='unicode61 remove_diacritics 2',"
        " prefix='3')"
    )
    for statement in (
        (
            "CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages "
            "WHEN new.state != 'streaming' BEGIN "
            "INSERT INTO messages_fts(rowid, content, reasoning) "
            "VALUES (new.id, new.content, new.reasoning); "
            "END"
        ),
        (
            "CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages "
            "WHEN old.state != 'streaming' BEGIN "
            "INSERT INTO messages_fts(messages_fts, rowid, content, reasoning) "
            "VALUES ('delete', old.id, old.content, old.reasoning); "
            "END"
        ),
        # One trigger, not two: SQLite runs several triggers for one event in an unspecified
        # order, and the FTS5 'delete' of the old text must come before the new insert.
        (
            "CREATE TRIGGER messages_fts_update AFTER UPDATE OF content, reasoning, state "
            "ON messages BEGIN "
            "INSERT INTO messages_fts(messages_fts, rowid, content, reasoning) "
            "SELECT 'delete', old.id, old.content, old.reasoning "
            "WHERE old.state != 'streaming'; "
            "INSERT INTO messages_fts(rowid, content, reasoning) "
            "SELECT new.id, new.content, new.reasoning WHERE new.state != 'streaming'; "
            "END"
        ),
    ):
        db.execute(statement)
    db.execute(
        "CREATE VIRTUAL TABLE titles_fts USING fts5(title, content='conversations',"
        " content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
    )
    for statement in (
        (
            "CREATE TRIGGER titles_fts_insert AFTER INSERT ON conversations BEGIN "
            "INSERT INTO titles_fts(rowid, title) VALUES (new.id, new.title); "
            "END"
        ),
        (
            "CREATE TRIGGER titles_fts_delete AFTER DELETE ON conversations BEGIN "
            "INSERT INTO titles_fts(titles_fts, rowid, title) "
            "VALUES ('delete', old.id, old.title); "
            "END"
        ),
        (
            "CREATE TRIGGER titles_fts_update AFTER UPDATE OF title ON conversations BEGIN "
            "INSERT INTO titles_fts(titles_fts, rowid, title) "
            "VALUES ('delete', old.id, old.title); "
            "INSERT INTO titles_fts(rowid, title) VALUES (new.id, new.title); "
            "END"
        ),
    ):
        db.execute(statement)
    # Not 'rebuild': that would also index streaming rows, which the triggers assume are not.
    db.execute(
        "INSERT INTO messages_fts(rowid, content, reasoning)"
        " SELECT id, content, reasoning FROM messages WHERE state != 'streaming'"
    )
    db.execute("INSERT INTO titles_fts(rowid, title) SELECT id, title FROM conversations")


def m003_message_tree(db: sqlite3.Connection) -> None:
    """Messages become a tree: every conversation so far turns into a single path.

    Each message's parent is the one before it in its conversation, and the newest message is
    the selected leaf. Replies also record what wrote them and how fast; rows from before this
    step leave those unknown ("" and NULL) rather than guess. No index is touched: the text of
    every message stays where it was.
    """
    for column in (
        "parent_id INTEGER",
        "uid TEXT",
        "profile TEXT NOT NULL DEFAULT ''",
        "model TEXT NOT NULL DEFAULT ''",
        "first_token_s REAL",
        "tokens_per_s REAL",
    ):
        db.execute(f"ALTER TABLE messages ADD COLUMN {column}")
    db.execute("ALTER TABLE conversations ADD COLUMN selected_leaf_id INTEGER")
    db.execute(
        "UPDATE messages SET uid = lower(hex(randomblob(16))), parent_id = ("
        " SELECT max(p.id) FROM messages AS p"
        " WHERE p.conversation_id = messages.conversation_id AND p.id < messages.id)"
    )
    db.execute("CREATE INDEX messages_by_parent ON messages(parent_id, id)")
    db.execute(
        "UPDATE conversations SET selected_leaf_id ="
        " (SELECT max(id) FROM messages WHERE conversation_id = conversations.id)"
    )


def m004_substring_index(db: sqlite3.Connection, progress: Progress | None = None) -> None:
    """A trigram index beside the word index, for text written without spaces and emoji."""
    substring_index.create(db)

    def report(fraction: float) -> None:
        if progress is not None:
            progress("004_substring_index", fraction)

    substring_index.fill(db, report)


def m005_attachments(db: sqlite3.Connection) -> None:
    """Attachments as content-addressed blobs: one row per distinct file (by SHA-256), and a
    link per message that carries it, in order. A blob no link names is freed by a sweep."""
    db.execute(
        """CREATE TABLE blobs (
            sha256 TEXT PRIMARY KEY,
            mime TEXT NOT NULL,
            size INTEGER NOT NULL,
            data BLOB NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE message_blobs (
            message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            sha256 TEXT NOT NULL REFERENCES blobs(sha256),
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            PRIMARY KEY (message_id, position)
        )"""
    )
    db.execute("CREATE INDEX message_blobs_by_sha ON message_blobs(sha256)")


def m006_tool_call_index(db: sqlite3.Connection) -> None:
    """Tool calls' names and arguments become searchable, in both indexes (tool_call_index)."""
    tool_call_index.create(db)
    tool_call_index.fill(db)


def m007_folders(db: sqlite3.Connection) -> None:
    """Folders in the sidebar: a conversation is in one folder or none (the top level).

    Deleting a folder puts its conversations back at the top level (ON DELETE SET NULL), never
    deletes them. The index serves both listings: a folder's chats, and the top level's
    (`folder_id IS NULL`), each in the sidebar's order.
    """
    db.execute(
        """CREATE TABLE folders (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            position INTEGER NOT NULL DEFAULT 0,
            collapsed INTEGER NOT NULL DEFAULT 0,
            created_at REAL NOT NULL
        )"""
    )
    db.execute(
        "ALTER TABLE conversations ADD COLUMN folder_id INTEGER"
        " REFERENCES folders(id) ON DELETE SET NULL"
    )
    db.execute(
        "CREATE INDEX conversations_by_folder"
        " ON conversations(folder_id, pinned DESC, updated_at DESC, id DESC)"
    )


def m008_search_lists(db: sqlite3.Connection) -> None:
    """Lists of the best matches of each common term, for the first pass of a search.

    Only the tables and triggers: building the lists reads every common term's matches (tens of
    seconds at 500,000 messages), so the search worker builds them while idle (search_lists).
    """
    search_lists.create(db)


def m009_search_lists_index(db: sqlite3.Connection) -> None:
    """The triggers of 008 ask for the newest message any list covers on every insert: an index
    makes that a lookup (without it, 0.2 ms an insert with 1,300 lists: 20 s per 100k imported)."""
    db.execute("CREATE INDEX search_lists_by_through ON search_lists(through_id)")


MIGRATIONS: tuple[tuple[str, Migration], ...] = (
    ("001_initial", m001_initial),
    ("002_pinned_and_fts", m002_pinned_and_fts),
    ("003_message_tree", m003_message_tree),


    ("004_substring_index", m004_substring_index),
    ("005_attachments", m005_attachments),
    ("006_tool_call_index", m006_tool_call_index),
    ("007_folders", m007_folders),
    ("008_search_lists", m008_search_lists),
    ("009_search_lists_index", m009_search_lists_index),
)
# Steps that can take long on a big history; they are given the caller's progress callback.
REPORTS_PROGRESS: dict[str, Callable[[sqlite3.Connection, Progress | None], None]] = {
    "004_substring_index": m004_substring_index,
}
LATEST_VERSION = len(MIGRATIONS)


def applied_names(db: sqlite3.Connection) -> list[str]:
    """Names recorded in schema_migrations, in order; [] for a blank database."""
    exists = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
    ).fetchone()
    if not exists:
        return []
    return [row[0] for row in db.execute("SELECT name FROM schema_migrations ORDER BY rowid")]


def user_tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return [row[0] for row in rows]


def pending(applied: list[str]) -> list[Step]:
    """Migrations still to run; ValueError when the file has steps this version doesn't know."""
    known = [name for name, _ in MIGRATIONS]
    if applied != known[: len(applied)]:
        unknown = [name for name in applied if name not in known]
        raise ValueError(", ".join(unknown) or "out-of-order steps")
    return list(MIGRATIONS[len(applied) :])


def apply(db: sqlite3.Connection, steps: list[Step], progress: Progress | None = None) -> None:
    """Run `steps` in the current transaction and record each one."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " name TEXT PRIMARY KEY, applied_at REAL NOT NULL)"
    )
    for name, step in steps:
        if name in REPORTS_PROGRESS:
            REPORTS_PROGRESS[name](db, progress)
        else:
            step(db)
        db.execute(
            "INSERT INTO schema_migrations(name, applied_at) VALUES (?, ?)", (name, time.time())
        )
