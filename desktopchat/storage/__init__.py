"""The history store: stdlib sqlite3 only; no Qt, no network.

    models.py      frozen values: Conversation, Message, SearchHit, ImportResult, HIT_START/END
    store.py       HistoryStore: open (check, migrate, recover), conversations, messages
    opening.py     file checks before any write, WAL/pragmas, backup-then-migrate, recovery
    migrations.py  named schema steps recorded in `schema_migrations`
    search.py      user text -> safe FTS5 MATCH -> ranked hits with snippets
    sqlerrors.py   sqlite3 exceptions -> StorageError with a plain message
    export.py      Markdown and versioned JSON; write_export (atomic), ExportFormat
    importers.py   import_json (ours), import_chatgpt, import_file: streamed, idempotent by
                   uid, undone on failure or cancel; import_into for a worker thread
    jsonstream.py  the one safe JSON reader for import files (chunked, bounded)
    import_checks.py  checks on imported values (times, text, nesting) naming the field
    chatgpt.py     ChatGPT conversations.json -> our import records (main path only)
    timestamps.py  which stored times are real; "unknown date" for the rest

Messages are indexed for search once they stop streaming, so saving a growing reply updates
one row and no index; a message left `streaming` by a crash is indexed when recovered.
"""
