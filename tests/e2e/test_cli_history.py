"""`desktopchat history`, `export` and `import` as real processes on a real history file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktopchat.storage.models import HIT_END, HIT_START
from tests.support.cli_process import history, run_cli

CONVERSATION_KEYS = {
    "id", "uid", "title", "profile", "model", "pinned", "created_at", "updated_at", "folder",
}
MESSAGE_KEYS = {
    "id", "parent_id", "role", "content", "reasoning", "tool_calls", "state", "finish_reason",
    "usage", "error", "profile", "model", "created_at", "updated_at",
}
HIT_KEYS = {
    "conversation_id", "conversation_title", "message_id", "role", "snippet", "highlights",
}
CHATGPT = Path(__file__).resolve().parents[1] / "fixtures" / "chatgpt" / "conversations.json"


@pytest.fixture
def basedir(tmp_path: Path) -> Path:
    """Two conversations written the way the GUI writes them."""
    base = tmp_path / "portable"
    with history(base) as store:
        first = store.create_conversation(profile="local", model="m1")
        store.add_user_message(first.id, "How do penguins keep warm?")
        reply = store.start_assistant_message(first.id)
        store.finish_assistant_message(
            reply.id, state="complete", content="Penguins huddle together.", finish_reason="stop"
        )
        second = store.create_conversation(profile="local", model="m1")
        store.add_user_message(second.id, "Sort strings by length in Python")
        reply = store.start_assistant_message(second.id)
        store.finish_assistant_message(reply.id, state="stopped", content="Use sorted(xs, key")
    return base


def test_history_list_text_and_json(basedir: Path) -> None:
    text = run_cli("history", "list", "--basedir", str(basedir))
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert len(lines) == 2
    assert "Sort strings by length" in lines[0] and "penguins" in lines[1]  # newest first
    assert "\x1b[" not in text.stdout  # a pipe gets no colour
    # --basedir may come before the command's name as well as after it
    shaped = run_cli("--basedir", str(basedir), "history", "list", "--json", "--limit", "1")
    [row] = json.loads(shaped.stdout)
    assert set(row) == CONVERSATION_KEYS
    assert row["title"] == "Sort strings by length in Python"
    assert isinstance(row["id"], int) and isinstance(row["updated_at"], float)
    assert row["folder"] is None


def test_history_list_and_show_name_the_folder(basedir: Path) -> None:
    with history(basedir) as store:
        penguins = next(c for c in store.list_conversations() if "penguins" in c.title)
        store.folders.move_conversation(penguins.id, store.folders.create("Birds").id)
    listed = json.loads(run_cli("history", "list", "--json", "--basedir", str(basedir)).stdout)
    assert {c["title"]: c["folder"] for c in listed} == {
        "How do penguins keep warm?": "Birds", "Sort strings by length in Python": None}
    shown = run_cli("history", "show", str(penguins.id), "--json", "--basedir", str(basedir))
    assert json.loads(shown.stdout)["folder"] == "Birds"


def test_history_show_text_json_and_markdown(basedir: Path) -> None:
    listed = json.loads(run_cli("history", "list", "--json", "--basedir", str(basedir)).stdout)
    penguins = next(c["id"] for c in listed if "penguins" in c["title"])
    shown = run_cli("history", "show", str(penguins), "--basedir", str(basedir))
    assert shown.returncode == 0, shown.stderr
    assert "How do penguins keep warm?" in shown.stdout
    assert "Penguins huddle together." in shown.stdout
    shaped = json.loads(
        run_cli("history", "show", str(penguins), "--json", "--basedir", str(basedir)).stdout
    )
    assert set(shaped) == CONVERSATION_KEYS | {"messages"}
    assert shaped["id"] == penguins
    assert [set(m) for m in shaped["messages"]] == [MESSAGE_KEYS, MESSAGE_KEYS]
    assert [m["role"] for m in shaped["messages"]] == ["user", "assistant"]
    markdown = run_cli("history", "show", str(penguins), "--markdown", "--basedir", str(basedir))
    assert markdown.stdout.startswith("# How do penguins keep warm?")
    missing = run_cli("history", "show", "999", "--basedir", str(basedir))
    assert missing.returncode == 1 and "999" in missing.stderr


def test_history_search_json_marks_the_hits(basedir: Path) -> None:
    done = run_cli("history", "search", "huddle", "--json", "--basedir", str(basedir))
    assert done.returncode == 0, done.stderr
    [hit] = json.loads(done.stdout)
    assert set(hit) == HIT_KEYS
    assert hit["role"] == "assistant"
    assert HIT_START not in hit["snippet"] and HIT_END not in hit["snippet"]
    [[start, end]] = hit["highlights"]
    assert hit["snippet"][start:end].lower() == "huddle"
    plain = run_cli("history", "search", "huddle", "--basedir", str(basedir))
    assert "Penguins huddle together." in plain.stdout
    nothing = run_cli("history", "search", "zebra", "--json", "--basedir", str(basedir))
    assert json.loads(nothing.stdout) == []


def test_export_json_and_import_round_trip(basedir: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "all.json"
    target.parent.mkdir()
    done = run_cli("export", "--all", "--format", "json", "-o", str(target),
                   "--basedir", str(basedir))
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and "Exported 2 conversations" in done.stderr
    assert not list(target.parent.glob("*.part"))
    other = tmp_path / "other"
    first = run_cli("import", str(target), "--basedir", str(other))
    assert first.returncode == 0, first.stderr
    lines = first.stdout.splitlines()
    assert lines[0] == "Added 2 conversations (4 messages); skipped 0 already present."
    assert sorted(lines[1:]) == [
        "  added: How do penguins keep warm?", "  added: Sort strings by length in Python"]
    again = run_cli("import", str(target), "--basedir", str(other))
    lines = again.stdout.splitlines()
    assert lines[0] == "Added 0 conversations (0 messages); skipped 2 already present."
    assert len(lines) == 3 and all(line.startswith("  skipped: ") for line in lines[1:])
    with history(basedir) as source, history(other) as copy:
        def content(store):  # type: ignore[no-untyped-def]
            return sorted(
                (c.uid, c.title, tuple((m.role, m.content, m.state)
                                       for m in store.messages(c.id, limit=-1)))
                for c in store.list_conversations()
            )
        assert content(copy) == content(source)


def test_export_markdown_of_chosen_ids_to_stdout(basedir: Path) -> None:
    listed = json.loads(run_cli("history", "list", "--json", "--basedir", str(basedir)).stdout)
    penguins = next(c["id"] for c in listed if "penguins" in c["title"])
    done = run_cli("export", str(penguins), "--format", "md", "--basedir", str(basedir))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("# How do penguins keep warm?")
    assert "Sort strings" not in done.stdout
    unknown = run_cli("export", "999", "--format", "md", "--basedir", str(basedir))
    assert unknown.returncode == 1 and unknown.stdout == ""


def test_import_chatgpt_and_a_bad_file(tmp_path: Path) -> None:
    base = tmp_path / "portable"
    done = run_cli("import", str(CHATGPT), "--basedir", str(base))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Added ") and "skipped 0 already present" in done.stdout
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something else"}', encoding="utf-8")
    refused = run_cli("import", str(bad), "--basedir", str(base))
    assert refused.returncode == 1
    assert len(refused.stderr.splitlines()) == 1 and "not a desktopchat export" in refused.stderr


def test_a_damaged_history_is_one_line_and_left_alone(tmp_path: Path) -> None:
    database = tmp_path / "portable" / "data" / "history.sqlite3"
    database.parent.mkdir(parents=True)
    garbage = b"not a database " * 100
    database.write_bytes(garbage)
    done = run_cli("history", "list", "--basedir", str(tmp_path / "portable"))
    assert done.returncode == 1
    assert len(done.stderr.splitlines()) == 1 and "not an SQLite database" in done.stderr
    assert database.read_bytes() == garbage
