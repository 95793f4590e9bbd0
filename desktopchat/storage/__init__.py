"""The history store: stdlib sqlite3 only; no Qt, no network.

    models.py      frozen values: Conversation, Message, SearchHit, ImportResult, HIT_START/END
    store.py       HistoryStore: open (check, migrate, recover), conversations, messages
    opening.py     file checks before any write, WAL/pragmas, backup-then-migrate, recovery
    migrations.py  named schema steps recorded in `schema_migrations`
    search.py      user text -> safe FTS5 MATCH -> ranked hits with snippets
    sqlerrors.py   sqlite3 exceptions -> StorageError with a plain message
    export.py      Markdown and versioned JSON
    importers.py   import_json (ours, idempotent by uid), import_chatgpt (one transaction)
    chatgpt.py     ChatGPT conversations.json -> our import records (main path only)

Messages are indexed for search once they stop streaming, so saving a growing reply updates
one row and no index; a message left `streaming` by a crash is indexed when recovered.
"""
