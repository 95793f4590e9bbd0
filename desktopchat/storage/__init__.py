"""The history store: stdlib sqlite3 only; no Qt, no network.

    models.py      frozen values: Conversation, Message, MessageState, RemovedBranch, SearchHit,
                   ImportResult, HIT_START/END
    store.py       HistoryStore: open (check, migrate, recover), transactions, and every change
                   to conversations, messages and the tree (select_branch, remove/restore_branch)
    reading.py     HistoryReader (HistoryStore's base): every query that changes nothing:
                   conversations, message pages, the tree (current_path, siblings), search
    tree.py        the message tree in SQL: paths, versions, selection, removal and undo
    writes.py      the SQL of adding and finishing messages (a child of the selected leaf)
    blobs.py       attachments: content-addressed blobs, per-message links, the sweep
    attachment_records.py  attachments in exports: JSON (base64) and Markdown's files
    rows.py        rows <-> frozen values; title_from, dump_json
    opening.py     file checks before any write, WAL/pragmas, backup-then-migrate, recovery
    migrations.py  named schema steps recorded in `schema_migrations`
    search.py      user text -> safe FTS5 MATCH -> ranked hits with snippets
    sqlerrors.py   sqlite3 exceptions -> StorageError with a plain message
    export.py      Markdown and versioned JSON; write_export (atomic), ExportFormat
    importers.py   import_json (ours), import_chatgpt, import_file: streamed, idempotent by
                   uid, undone on failure or cancel; import_into for a worker thread
    export_records.py  our export read back: header, conversations checked into records
    import_writes.py   records written one transaction each; all removed again on failure
    jsonstream.py  the one safe JSON reader for import files (chunked, bounded)
    import_checks.py  checks on imported values (times, text, nesting) naming the field
    chatgpt.py     ChatGPT conversations.json -> our import records (every branch)
    timestamps.py  which stored times are real; "unknown date" for the rest

Every message has a parent (regenerated replies and edited questions are siblings: nothing
is overwritten); the conversation remembers the leaf shown. Every version is searchable.
Messages are indexed for search once they stop streaming, so saving a growing reply updates
one row and no index; a message left `streaming` by a crash is indexed when recovered.
"""
