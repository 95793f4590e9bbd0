"""Attachments survive export and import: JSON embeds them, Markdown writes them beside."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from desktopchat.attachments import Attachment, Kind
from desktopchat.errors import ImportFormatError
from desktopchat.storage.export import ExportFormat, write_export
from desktopchat.storage.importers import import_file, import_json
from desktopchat.storage.store import HistoryStore

PHOTO = Attachment("photo.png", Kind.IMAGE, "image/png", b"\x89PNG\r\n\x1a\nnot really")
CODE = Attachment("main.py", Kind.TEXT, "text/plain", b"print('hi')\n")
PAPER = Attachment("paper.pdf", Kind.PDF, "text/plain", b"Abstract: words.")


def filled(path: Path) -> tuple[HistoryStore, int]:
    store = HistoryStore.open(path)
    conversation = store.create_conversation(profile="p", model="m")
    store.add_user_message(conversation.id, "Look at these", attachments=(PHOTO, CODE, PAPER))
    store.add_message(conversation.id, "assistant", "Seen.")
    store.add_user_message(conversation.id, "And this again", attachments=(CODE,))
    return store, conversation.id


def test_json_export_embeds_base64_and_import_restores_deduplicated(tmp_path: Path) -> None:
    source, cid = filled(tmp_path / "a.sqlite3")
    target = tmp_path / "chat.json"
    write_export(source, [cid], ExportFormat.JSON, target)
    source.close()
    data = json.loads(target.read_text(encoding="utf-8"))
    first, reply, second = data["conversations"][0]["messages"]
    assert "attachments" not in reply  # messages without files look as before
    photo = first["attachments"][0]
    assert (photo["name"], photo["kind"], photo["mime"]) == ("photo.png", "image", "image/png")
    assert base64.b64decode(photo["data"]) == PHOTO.data and photo["sha256"] == PHOTO.sha256
    assert [a["name"] for a in second["attachments"]] == ["main.py"]

    with HistoryStore.open(tmp_path / "b.sqlite3") as store:
        result = import_file(store, target)
        assert result.conversations_added == 1
        (new_id,) = store.all_conversation_ids()
        path = store.current_path(new_id)
        files = store.attachments([m.id for m in path])
        assert [(a.name, a.kind, a.data) for a in files[path[0].id]] == [
            ("photo.png", Kind.IMAGE, PHOTO.data), ("main.py", Kind.TEXT, CODE.data),
            ("paper.pdf", Kind.PDF, PAPER.data)]
        assert [a.name for a in files[path[2].id]] == ["main.py"]
        assert store.blob_count() == 3  # main.py twice in the file, once in the database


def test_import_checks_attachment_data(tmp_path: Path) -> None:
    source, cid = filled(tmp_path / "a.sqlite3")
    target = tmp_path / "chat.json"
    write_export(source, [cid], ExportFormat.JSON, target)
    source.close()
    data = json.loads(target.read_text(encoding="utf-8"))
    data["conversations"][0]["messages"][0]["attachments"][1]["data"] = base64.b64encode(
        b"tampered").decode()
    with HistoryStore.open(tmp_path / "b.sqlite3") as store:
        with pytest.raises(ImportFormatError, match="does not match its sha256"):
            import_json(store, data)
        assert store.count_conversations() == 0 and store.blob_count() == 0


def test_markdown_export_writes_files_beside_and_links_them(tmp_path: Path) -> None:
    source, cid = filled(tmp_path / "a.sqlite3")
    target = tmp_path / "My chat.md"
    write_export(source, [cid], ExportFormat.MARKDOWN, target)
    source.close()
    text = target.read_text(encoding="utf-8")
    folder = tmp_path / "My chat files"
    assert (folder / "photo.png").read_bytes() == PHOTO.data
    assert (folder / "main.py").read_bytes() == CODE.data
    assert (folder / "paper.pdf.txt").read_bytes() == PAPER.data
    assert "- 📎 ![photo.png (18 B)](<My chat files/photo.png>)" in text
    assert "- 📎 [main.py (12 B)](<My chat files/main.py>)" in text
    assert "- 📎 [paper.pdf (16 B)](<My chat files/paper.pdf.txt>)" in text
    assert sorted(p.name for p in folder.iterdir()) == ["main.py", "paper.pdf.txt", "photo.png"]
