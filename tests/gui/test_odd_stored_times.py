"""Times in the database that are not times (Infinity, milliseconds, text, a blob...) never stop
the app: the real window starts, the sidebar lists them under "Unknown date", the transcript
opens them, and both exports work (Markdown says "unknown date"; JSON imports back).

The values are written with raw SQL, the way an old importer or a hand edit could have left them.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path

from desktopchat.paths import app_paths
from desktopchat.secrets import SecretStore
from desktopchat.storage.export import ExportFormat
from desktopchat.storage.importers import import_file
from desktopchat.storage.store import HistoryStore
from desktopchat.storage.timestamps import UNKNOWN_DATE
from desktopchat.ui.history_model import UNKNOWN_GROUP
from tests.gui.test_restart import start_app, write_settings

ODD = [
    "9e999",  # +Infinity (SQLite keeps it as a REAL)
    "-9e999",
    "1e300",
    "1.7e12",  # milliseconds
    "-5",
    "'yesterday'",
    "x'00ff'",
    "''",
]


def fill(database: Path) -> dict[str, int]:
    ids = {}
    with HistoryStore.open(database) as store:
        for n, value in enumerate(ODD):
            conv = store.create_conversation(title=f"odd {n}", profile="local", model="m1")
            store.add_user_message(conv.id, f"question {n}")
            reply = store.start_assistant_message(conv.id)
            store.finish_assistant_message(reply.id, state="complete", content=f"answer {n}")
            ids[value] = conv.id
        fine = store.create_conversation(title="fine", profile="local", model="m1")
        store.add_user_message(fine.id, "a normal question")
        ids["fine"] = fine.id
    raw = sqlite3.connect(database)
    with raw:
        for value, cid in ids.items():
            if value == "fine":
                continue
            raw.execute(f"UPDATE conversations SET created_at = {value}, updated_at = {value}"
                        " WHERE id = ?", (cid,))
            raw.execute(f"UPDATE messages SET created_at = {value}, updated_at = {value}"
                        " WHERE conversation_id = ?", (cid,))
    raw.close()
    return ids


def test_window_sidebar_transcript_and_exports_tolerate_any_stored_time(
    qtbot, qasync_loop, tmp_path, memory_keyring
) -> None:
    basedir = tmp_path / "odd"
    write_settings(basedir, "http://127.0.0.1:9/v1/chat/completions")
    ids = fill(app_paths(basedir).ensure().database_file)

    async def scenario() -> None:
        app = start_app(qtbot, basedir, SecretStore(memory_keyring))
        for _ in range(20):  # let start-up timers and queued calls run
            await asyncio.sleep(0)
        panel = app.window.history_panel
        model = panel.model
        while model.canFetchMore():
            model.fetchMore()
        assert model.conversation_count() == len(ODD) + 1
        headers = [model.index(r, 0).data() for r in range(model.rowCount())
                   if model.conversation_at(r) is None]
        assert UNKNOWN_GROUP in headers and "Today" in headers
        panel.list_view.viewport().repaint()  # the delegate paints every row
        for value, cid in ids.items():
            app.window.open_conversation(cid)
            assert app.controller.current_id == cid, value
            assert len(app.window.chat_view.message_ids()) == (1 if value == "fine" else 2)
            app.window.chat_view.viewport().repaint()
        # Markdown: the one with odd times says so; JSON: strict JSON that imports back whole.
        app.window.open_conversation(ids["9e999"])
        app.window.files.export_conversation(ExportFormat.MARKDOWN, str(tmp_path / "one.md"))
        text = (tmp_path / "one.md").read_text(encoding="utf-8")
        assert f"- Created: {UNKNOWN_DATE}" in text and f"### User · {UNKNOWN_DATE}" in text
        app.window.files.export_conversation(ExportFormat.JSON, str(tmp_path / "one.json"))
        assert "answer 0" in (tmp_path / "one.json").read_text(encoding="utf-8")
        from desktopchat.ui.history_export import export_conversations

        export_conversations(app.window, app.store, None, ExportFormat.JSON,
                             path=tmp_path / "all.json")
        await app.quit()

    qasync_loop.run(scenario())
    data = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"),
                      parse_constant=lambda name: (_ for _ in ()).throw(ValueError(name)))
    assert len(data["conversations"]) == len(ODD) + 1
    with HistoryStore.open(tmp_path / "fresh.sqlite3") as fresh:
        result = import_file(fresh, tmp_path / "all.json")
        assert (result.conversations_added, result.messages_added) == (len(ODD) + 1,
                                                                      2 * len(ODD) + 1)
