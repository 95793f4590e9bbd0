"""The tool-call indexes: a conversation is found by the name and arguments of a tool call.

A reply's tool calls live in its `tool_calls` JSON, which neither message index reads (their
columns are the text and the reasoning, and they cannot gain a column without a rebuild of the
whole word index). The calls are few and short, so they get two small indexes of their own,
keyed by the message id like the others: `tool_calls_fts` (words, the same tokenizer as
`messages_fts`) and `tool_calls_tri` (trigrams, for text written without spaces). Each holds,
per reply, one line per call: the function's name, then its arguments as the model wrote them.

Both store their own copy of that text (not an external content table): there is no column of
`messages` it could be read back from, and snippets need it.

Tool results are `tool` rows whose content is already in the message indexes; their
`tool_calls` (which call they answer) carry no `function` and are not indexed again here.

Triggers in pure SQL keep both in step with `messages`, whatever connection writes, and leave
a reply alone while it streams, as the message indexes do. The schema written here is that of
migration 006 and never changes; a different index is a new migration.
"""

from __future__ import annotations

import sqlite3

TABLES = ("tool_calls_fts", "tool_calls_tri")


def calls_text_sql(column: str) -> str:
    """SQL for the indexed text of a `tool_calls` column: `name arguments` per call, or ''.

    Malformed JSON (never written by us, but a file can be edited) reads as no calls rather
    than failing the write that touches the row.
    """
    safe = f"CASE WHEN json_valid({column}) THEN {column} ELSE '[]' END"
    return (
        "(SELECT coalesce(group_concat("
        "coalesce(json_extract(j.value, '$.function.name'), '') || ' ' ||"
        " coalesce(json_extract(j.value, '$.function.arguments'), ''), char(10)), '')"
        f" FROM json_each({safe}) AS j"
        " WHERE j.type = 'object' AND json_type(j.value, '$.function') = 'object')"
    )


def _indexed(prefix: str) -> str:
    """True when the row `prefix` (new/old/m) has its calls in the indexes."""
    return f"{prefix}.state != 'streaming' AND {prefix}.tool_calls != '[]'"


def _suffix(table: str) -> str:
    # Trigram text ends in two spaces, so a one- or two-character query finds a trigram that
    # begins with it (see substring_index).
    return " || '  '" if table.endswith("_tri") else ""


def create(db: sqlite3.Connection) -> None:
    """The two tables, the trigram vocabulary, and the triggers that keep them current."""
    db.execute(
        "CREATE VIRTUAL TABLE tool_calls_fts USING fts5(calls,"
        " tokenize='unicode61 remove_diacritics 2', prefix='3')"
    )
    db.execute("CREATE VIRTUAL TABLE tool_calls_tri USING fts5(calls, tokenize='trigram')")
    db.execute("CREATE VIRTUAL TABLE tool_calls_tri_vocab USING fts5vocab(tool_calls_tri, 'row')")
    for table in TABLES:
        insert_new = (
            f"INSERT INTO {table}(rowid, calls) SELECT new.id, t{_suffix(table)}"
            f" FROM (SELECT {calls_text_sql('new.tool_calls')} AS t)"
            f" WHERE t != '' AND {_indexed('new')}; "
        )
        db.execute(
            f"CREATE TRIGGER {table}_insert AFTER INSERT ON messages"
            f" WHEN {_indexed('new')} BEGIN {insert_new} END"
        )
        db.execute(
            f"CREATE TRIGGER {table}_delete AFTER DELETE ON messages"
            f" WHEN {_indexed('old')} BEGIN DELETE FROM {table} WHERE rowid = old.id; END"
        )
        # One trigger for both halves, so the old text is gone before the new one goes in.
        # A streaming reply saves its calls every half second: with neither row indexed, the
        # WHEN skips the trigger's body.
        db.execute(
            f"CREATE TRIGGER {table}_update AFTER UPDATE OF tool_calls, state ON messages"
            f" WHEN ({_indexed('old')}) OR ({_indexed('new')}) BEGIN"
            f" DELETE FROM {table} WHERE rowid = old.id; {insert_new} END"
        )


def fill(db: sqlite3.Connection) -> None:
    """Index the calls of the replies already stored (few rows: one pass, no progress)."""
    for table in TABLES:
        db.execute(
            f"INSERT INTO {table}(rowid, calls) SELECT id, t{_suffix(table)} FROM"
            f" (SELECT m.id AS id, {calls_text_sql('m.tool_calls')} AS t FROM messages AS m"
            f" WHERE {_indexed('m')}) WHERE t != ''"
        )
