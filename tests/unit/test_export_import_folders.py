"""Folders travel with their conversations: JSON export names the folder, import files the chat
in the folder of that name (made when missing), Markdown mentions it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktopchat.errors import ImportFormatError
from desktopchat.storage.export import conversation_markdown, export_json
from desktopchat.storage.importers import import_json
from desktopchat.storage.store import HistoryStore


@pytest.fixture
def source(tmp_path: Path) -> Iterator[HistoryStore]:
    with HistoryStore.open(tmp_path / "a.sqlite3") as s:
        yield s


@pytest.fixture
def target(tmp_path: Path) -> Iterator[HistoryStore]:
    with HistoryStore.open(tmp_path / "b.sqlite3") as s:
        yield s


def filed(store: HistoryStore) -> dict[str, str | None]:
    """{conversation title: its folder's name or None} for the whole history."""
    out: dict[str, str | None] = {}
    for cid in store.all_conversation_ids():
        conversation = store.get_conversation(cid)
        out[conversation.title] = store.folders.name_of(conversation.folder_id)
    return out


def fill(store: HistoryStore) -> None:
    work = store.folders.create("Work")
    ideas = store.folders.create("Ideas 💡")
    store.folders.set_collapsed(ideas.id, True)
    for title, folder in (("report", work), ("budget", work), ("app idea", ideas),
                          ("loose", None)):
        chat = store.create_conversation(title=title)
        store.add_user_message(chat.id, f"about the {title}")
        if folder is not None:
            store.folders.move_conversation(chat.id, folder.id)


def test_round_trip_keeps_every_chat_in_its_folder(
    source: HistoryStore, target: HistoryStore, tmp_path: Path
) -> None:
    fill(source)
    exported = export_json(source)
    assert {c["title"]: c["folder"] for c in exported["conversations"]} == filed(source)
    path = tmp_path / "export.json"
    path.write_text(json.dumps(exported), encoding="utf-8")
    result = import_json(target, path)
    assert result.conversations_added == 4
    assert filed(target) == {
        "report": "Work", "budget": "Work", "app idea": "Ideas 💡", "loose": None}
    assert sorted(f.name for f in target.folders.in_order()) == ["Ideas 💡", "Work"]
    # The re-export is the same file, folder names included.
    again = export_json(target)
    assert [c["folder"] for c in again["conversations"]] == [
        c["folder"] for c in exported["conversations"]]


def test_import_files_into_an_existing_folder_of_that_name(
    source: HistoryStore, target: HistoryStore
) -> None:
    fill(source)
    existing = target.folders.create("WORK")  # another case: the same folder
    import_json(target, export_json(source))
    assert [f.name for f in target.folders.in_order()] == ["WORK", "Ideas 💡"]
    assert {c.title for c in target.folders.conversations_in(existing.id)} == {"report", "budget"}


def test_importing_again_adds_no_folder_and_moves_nothing(
    source: HistoryStore, target: HistoryStore
) -> None:
    fill(source)
    data = export_json(source)
    import_json(target, data)
    report = next(c for c in target.list_conversations() if c.title == "report")
    target.folders.move_conversation(report.id, None)  # the user re-files it after import
    again = import_json(target, data)
    assert again.conversations_skipped == 4
    assert len(target.folders.in_order()) == 2
    assert target.get_conversation(report.id).folder_id is None


def raw_export(folder: Any) -> dict[str, Any]:
    return {
        "format": "desktopchat-history",
        "version": 2,
        "conversations": [
            {
                "uid": "c-1",
                "title": "filed",
                "created_at": 1.0,
                "folder": folder,
                "messages": [{"uid": "m-1", "parent": None, "role": "user",
                              "content": "hello", "created_at": 1.0}],
            }
        ],
    }


@pytest.mark.parametrize(
    ("folder", "stored"),
    [
        (None, None),
        ("", None),
        ("  \n\t ", None),
        ("\x00\x01", None),
        ("  Spaced   out \n name ", "Spaced out name"),
        ("x" * 1000, "x" * 100),
        ("lone \ud800 surrogate", "lone surrogate"),
    ],
)
def test_folder_names_are_cleaned_or_dropped(
    target: HistoryStore, folder: Any, stored: Any
) -> None:
    import_json(target, raw_export(folder))
    (conversation,) = target.list_conversations()
    assert target.folders.name_of(conversation.folder_id) == stored


def test_a_folder_that_is_not_text_is_refused_and_nothing_is_written(
    target: HistoryStore,
) -> None:
    with pytest.raises(ImportFormatError, match="'folder' must be str"):
        import_json(target, raw_export(["Work"]))
    assert target.count_conversations() == 0
    assert target.folders.in_order() == []


def test_a_failed_import_takes_its_new_folders_away(target: HistoryStore) -> None:
    data = raw_export("Made by the import")
    data["conversations"].append({"uid": "c-2", "created_at": 1.0, "messages": "broken"})
    with pytest.raises(ImportFormatError):
        import_json(target, data)
    assert target.count_conversations() == 0
    assert target.folders.in_order() == []


def test_an_older_export_without_folders_imports_at_the_top_level(target: HistoryStore) -> None:
    data = raw_export(None)
    del data["conversations"][0]["folder"]
    import_json(target, data)
    assert [c.folder_id for c in target.list_conversations()] == [None]


def test_markdown_mentions_the_folder(source: HistoryStore) -> None:
    fill(source)
    by_title = {c.title: c for c in source.list_conversations()}
    assert "- Folder: Work\n" in conversation_markdown(source, by_title["report"])
    assert "Folder:" not in conversation_markdown(source, by_title["loose"])
