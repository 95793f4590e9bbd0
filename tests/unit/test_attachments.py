"""Attachments below the window: reading files, the caps, the wire, and the blobs in SQLite."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from desktopchat.attachment_files import attachment_from_text, check_total, read_attachment
from desktopchat.attachments import MAX_TEXT_BYTES_PER_FILE, Attachment, Kind
from desktopchat.core.history import request_messages
from desktopchat.core.request import ChatMessage, ChatRequest
from desktopchat.errors import AttachmentError
from desktopchat.storage.store import HistoryStore
from tests.support.pdfs import pdf_bytes

PNG_1PX = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def test_text_and_code_files_are_inlined_under_their_names(tmp_path: Path) -> None:
    source = tmp_path / "fib.py"
    source.write_text("def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n")
    attachment = read_attachment(source)
    assert (attachment.kind, attachment.name) == (Kind.TEXT, "fib.py")
    wire = ChatMessage("user", "Explain this", attachments=(attachment,)).wire()
    assert wire["content"] == (
        "Explain this\n\nfib.py\n```\ndef fib(n):\n"
        "    return n if n < 2 else fib(n - 1) + fib(n - 2)\n```"
    )


def test_a_file_with_fences_inside_gets_a_longer_fence() -> None:
    notes = attachment_from_text("notes.md", b"see:\n```\ncode\n```\n")
    content = ChatMessage("user", "", attachments=(notes,)).wire()["content"]
    assert content == "notes.md\n````\nsee:\n```\ncode\n```\n````"


def test_pdf_text_is_extracted_and_inlined(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf_bytes("Quarterly report: revenue up"))
    attachment = read_attachment(path)
    assert attachment.kind is Kind.PDF
    content = ChatMessage("user", "Summarise", attachments=(attachment,)).wire()["content"]
    assert content == "Summarise\n\nreport.pdf\n```\nQuarterly report: revenue up\n```"


def test_pdf_without_a_text_layer_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(pdf_bytes(None))
    with pytest.raises(AttachmentError, match=r"scan\.pdf has no text layer"):
        read_attachment(path)


def test_binary_files_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "tool.bin"
    path.write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00" * 10)
    with pytest.raises(AttachmentError, match=r"tool\.bin is not a text file, an image"):
        read_attachment(path)


def test_size_cap_says_how_it_compares_with_a_context(tmp_path: Path) -> None:
    path = tmp_path / "big.log"
    path.write_bytes(b"line of log text\n" * (MAX_TEXT_BYTES_PER_FILE // 16))
    with pytest.raises(AttachmentError) as caught:
        read_attachment(path)
    message = caught.value.message
    assert "big.log is 212 KB of text (about 53,125 tokens)" in message
    assert "files up to 200 KB" in message and "128,000 tokens" in message


def test_total_cap_for_one_message() -> None:
    files = [Attachment(f"{i}.txt", Kind.TEXT, "text/plain", b"x" * 190_000) for i in range(5)]
    check_total(files[:4], files[4])  # 950 KB: fine
    sixth = Attachment("6.txt", Kind.TEXT, "text/plain", b"y" * 100_000)
    with pytest.raises(AttachmentError, match=r"Adding 6\.txt makes 1\.1 MB of text"):
        check_total(files, sixth)


def test_plain_text_wire_is_unchanged_and_images_become_parts() -> None:
    assert ChatMessage("user", "hi").wire() == {"role": "user", "content": "hi"}
    image = Attachment("dot.png", Kind.IMAGE, "image/png", PNG_1PX)
    note = attachment_from_text("a.txt", b"alpha")
    wire = ChatMessage("user", "What is this?", attachments=(image, note)).wire()
    assert wire["content"] == [
        {"type": "text", "text": "What is this?\n\na.txt\n```\nalpha\n```"},
        {"type": "image_url", "image_url": {
            "url": "data:image/png;base64," + base64.b64encode(PNG_1PX).decode()}},
    ]
    body = ChatRequest("http://127.0.0.1/v1/chat/completions",
                       (ChatMessage("user", "x", attachments=(image,)),)).body()
    json.dumps(body)  # serialisable as it goes on the wire


def test_dedup_links_and_request_messages_from_storage(tmp_path: Path) -> None:
    image = Attachment("dot.png", Kind.IMAGE, "image/png", PNG_1PX)
    again = Attachment("same-dot.png", Kind.IMAGE, "image/png", PNG_1PX)
    with HistoryStore.open(tmp_path / "h.sqlite3") as store:
        conversation = store.create_conversation(profile="p", model="m")
        first = store.add_user_message(conversation.id, "look", attachments=(image, again))
        store.add_message(conversation.id, "assistant", "a dot")
        second = store.add_user_message(conversation.id, "again", attachments=(image,))
        assert store.blob_count() == 1
        files = store.attachments([first.id, second.id])
        assert [a.name for a in files[first.id]] == ["dot.png", "same-dot.png"]
        assert files[second.id][0].data == PNG_1PX
        path = store.current_path(conversation.id)
        turns = request_messages(path, store.attachments([m.id for m in path]))
        assert [len(t.attachments) for t in turns] == [2, 0, 1]
        assert turns[0].wire()["content"][1]["type"] == "image_url"


def test_deleting_conversations_frees_only_unshared_blobs(tmp_path: Path) -> None:
    shared = Attachment("s.txt", Kind.TEXT, "text/plain", b"shared")
    own = Attachment("o.txt", Kind.TEXT, "text/plain", b"own")
    with HistoryStore.open(tmp_path / "h.sqlite3") as store:
        a = store.create_conversation(profile="p", model="m")
        b = store.create_conversation(profile="p", model="m")
        store.add_user_message(a.id, "one", attachments=(shared, own))
        kept = store.add_user_message(b.id, "two", attachments=(shared,))
        assert store.blob_count() == 2
        store.delete_conversation(a.id)
        assert store.blob_count() == 1
        assert store.attachments([kept.id])[kept.id][0].data == b"shared"
        store.delete_conversation(b.id)
        assert store.blob_count() == 0


def test_removed_version_keeps_its_files_for_undo_across_a_sweep(tmp_path: Path) -> None:
    own = Attachment("o.txt", Kind.TEXT, "text/plain", b"only here")
    with HistoryStore.open(tmp_path / "h.sqlite3") as store:
        a = store.create_conversation(profile="p", model="m")
        other = store.create_conversation(profile="p", model="m")
        message = store.add_user_message(a.id, "q", attachments=(own,))
        removed = store.remove_branch(message.id)
        store.delete_conversation(other.id)  # sweeps: nothing links to the blob now
        assert store.blob_count() == 0
        new_ids = store.restore_branch(removed)
        restored = store.attachments([new_ids[message.id]])[new_ids[message.id]]
        assert [(f.name, f.data) for f in restored] == [("o.txt", b"only here")]


def test_a_profile_without_images_gets_their_names_instead() -> None:
    from desktopchat.profile_requests import chat_request
    from desktopchat.settings import Profile

    image = Attachment("dot.png", Kind.IMAGE, "image/png", PNG_1PX)
    note = attachment_from_text("a.txt", b"alpha")
    turn = [ChatMessage("user", "Earlier", attachments=(image, note))]
    bitseek = chat_request(Profile(name="b", preset="bitseek"), turn).body()
    assert bitseek["messages"][0]["content"] == (
        "Earlier\n\n[image dot.png not sent: this profile does not accept images]"
        "\n\na.txt\n```\nalpha\n```")
    openai = chat_request(Profile(name="o", preset="openai", model="m"), turn).body()
    assert openai["messages"][0]["content"][1]["type"] == "image_url"
