"""Attachments through the real window: chips in the composer, images on the wire (loopback),
a profile that takes no images, files kept with an edited message."""

from __future__ import annotations

import base64
import dataclasses
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDropEvent, QImage

from desktopchat.attachments import MAX_IMAGE_SIDE
from tests.support.loopback import ScriptedResponse
from tests.support.qt_loop import ChatEnv, QtLoop, wait_signal, wait_until
from tests.support.sse_script import text_pieces


def reply(text: str) -> ScriptedResponse:
    return ScriptedResponse(pieces=text_pieces(text))


def png_file(path: Path, width: int, height: int) -> Path:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("teal"))
    assert image.save(str(path), "PNG")
    return path


def drop_files(widget: Any, paths: list[Path]) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    widget.dropEvent(event)


@pytest.fixture
def bitseek_env(chat_env: ChatEnv) -> ChatEnv:
    """chat_env whose one profile is a Bitseek profile (string content only)."""
    profile = dataclasses.replace(chat_env.profile, preset="bitseek")
    chat_env.profile = profile
    chat_env.settings = dataclasses.replace(chat_env.settings, profiles=[profile])
    chat_env.settings_store.save(chat_env.settings)
    return chat_env


def test_chips_from_drop_and_paste_and_remove(chat_window: Any, tmp_path: Path,
                                              qasync_loop: QtLoop) -> None:
    composer = chat_window.composer
    notes = tmp_path / "notes.txt"
    notes.write_text("alpha beta")
    drop_files(composer, [notes, png_file(tmp_path / "dot.png", 4, 4)])

    async def loaded() -> None:
        await wait_until(lambda: len(composer.chips.chips) == 2)

    qasync_loop.run(loaded())
    assert [c.label.text() for c in composer.chips.chips] == ["notes.txt · 10 B",
                                                             composer.chips.chips[1].label.text()]
    assert "dot.png" in composer.chips.chips[1].label.text()
    assert composer.chips.isVisibleTo(composer)

    # Paste an image from the clipboard: a third chip; pasted text stays text.
    image_mime = QMimeData()
    image = QImage(3, 3, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    image_mime.setImageData(image)
    composer.editor.insertFromMimeData(image_mime)
    text_mime = QMimeData()
    text_mime.setText("pasted words")
    composer.editor.insertFromMimeData(text_mime)
    assert composer.text == "pasted words"
    assert [a.name for a in composer.attachments] == ["notes.txt", "dot.png", "pasted image.png"]

    composer.chips.chips[0].remove.click()
    assert [a.name for a in composer.attachments] == ["dot.png", "pasted image.png"]


def test_refused_file_says_why_and_adds_nothing(chat_window: Any, tmp_path: Path,
                                                qasync_loop: QtLoop) -> None:
    composer = chat_window.composer
    binary = tmp_path / "blob.bin"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    composer.attach_files([binary])

    async def told() -> None:
        await wait_until(lambda: "blob.bin is not a text file" in composer.hint_text)

    qasync_loop.run(told())
    assert composer.attachments == ()


def test_image_goes_out_as_content_parts_scaled_down(chat_window: Any, chat_env: ChatEnv,
                                                     tmp_path: Path, qasync_loop: QtLoop,
                                                     qtbot: Any) -> None:
    chat_env.server.enqueue(reply("A teal rectangle."))
    composer = chat_window.composer
    composer.attach_files([png_file(tmp_path / "wide.png", 3000, 1000)])

    async def scenario() -> Any:
        await wait_until(lambda: len(composer.chips.chips) == 1)
        composer.set_text("What is this?")
        qtbot.keyClick(composer.editor, Qt.Key.Key_Return)
        return await wait_signal(chat_window.controller.message_updated, timeout=20,
                                 check=lambda c, m: m.role == "assistant")

    _, final = qasync_loop.run(scenario())
    assert final.content == "A teal rectangle."
    assert composer.attachments == () and composer.text == ""
    (request,) = chat_env.server.requests
    (user,) = [m for m in request.json()["messages"] if m["role"] == "user"]
    text_part, image_part = user["content"]
    assert text_part == {"type": "text", "text": "What is this?"}
    url = image_part["image_url"]["url"]
    assert image_part["type"] == "image_url" and url.startswith("data:image/png;base64,")
    sent = QImage.fromData(base64.b64decode(url.split(",", 1)[1]))
    # 1000 * 2048 / 3000, rounded down
    assert (sent.width(), sent.height()) == (MAX_IMAGE_SIDE, 682)
    # Stored with the message, once.
    (stored_user,) = [m for m in chat_env.store.messages(chat_window.controller.current_id)
                      if m.role == "user"]
    (stored,) = chat_env.store.attachments([stored_user.id])[stored_user.id]
    assert stored.name == "wide.png" and QImage.fromData(stored.data).width() == MAX_IMAGE_SIDE


def test_bitseek_refuses_images_before_sending_and_keeps_the_draft(
        bitseek_env: ChatEnv, chat_window: Any, tmp_path: Path, qasync_loop: QtLoop,
        qtbot: Any) -> None:
    composer = chat_window.composer
    composer.attach_files([png_file(tmp_path / "photo.png", 8, 8)])

    async def loaded() -> None:
        await wait_until(lambda: len(composer.chips.chips) == 1)

    qasync_loop.run(loaded())
    composer.set_text("Describe it")
    qtbot.keyClick(composer.editor, Qt.Key.Key_Return)
    assert "“local” does not accept images, so nothing was sent" in composer.hint_text
    assert composer.text == "Describe it"
    assert [a.name for a in composer.attachments] == ["photo.png"]
    assert bitseek_env.server.requests == []
    assert bitseek_env.store.count_conversations() == 0


def test_text_file_to_bitseek_is_inlined_as_a_string(bitseek_env: ChatEnv, chat_window: Any,
                                                      tmp_path: Path, qasync_loop: QtLoop,
                                                      qtbot: Any) -> None:
    bitseek_env.server.enqueue(reply("ok"))
    composer = chat_window.composer
    source = tmp_path / "main.c"
    source.write_text("int main(void) { return 0; }\n")
    composer.attach_files([source])

    async def scenario() -> Any:
        await wait_until(lambda: len(composer.chips.chips) == 1)
        qtbot.keyClick(composer.editor, Qt.Key.Key_Return)  # files alone may be sent
        return await wait_signal(chat_window.controller.message_updated, timeout=20,
                                 check=lambda c, m: m.role == "assistant")

    qasync_loop.run(scenario())
    (request,) = bitseek_env.server.requests
    (user,) = [m for m in request.json()["messages"] if m["role"] == "user"]
    assert user["content"] == "main.c\n```\nint main(void) { return 0; }\n```"


def test_edited_message_keeps_its_files(chat_window: Any, chat_env: ChatEnv, tmp_path: Path,
                                        qasync_loop: QtLoop, qtbot: Any) -> None:
    chat_env.server.enqueue(reply("first"))
    chat_env.server.enqueue(reply("second"))
    composer = chat_window.composer
    notes = tmp_path / "todo.txt"
    notes.write_text("buy milk")
    composer.attach_files([notes])

    async def send_and_wait() -> Any:
        qtbot.keyClick(composer.editor, Qt.Key.Key_Return)
        return await wait_signal(chat_window.controller.message_updated, timeout=20,
                                 check=lambda c, m: m.role == "assistant")

    async def first() -> Any:
        await wait_until(lambda: len(composer.chips.chips) == 1)
        composer.set_text("Sort this")
        return await send_and_wait()

    qasync_loop.run(first())
    (user,) = [m for m in chat_env.store.messages(chat_window.controller.current_id)
               if m.role == "user"]
    chat_window.message_actions.handle(user.id, "edit")
    assert [a.name for a in composer.attachments] == ["todo.txt"]
    composer.set_text("Sort this, please")
    qasync_loop.run(send_and_wait())
    second_request = chat_env.server.requests[1].json()
    (sent_user,) = [m for m in second_request["messages"] if m["role"] == "user"]
    assert sent_user["content"] == "Sort this, please\n\ntodo.txt\n```\nbuy milk\n```"
    assert chat_env.store.blob_count() == 1


def test_regenerate_sends_the_files_again(chat_window: Any, chat_env: ChatEnv, tmp_path: Path,
                                          qasync_loop: QtLoop, qtbot: Any) -> None:
    chat_env.server.enqueue(reply("first answer"))
    chat_env.server.enqueue(reply("second answer"))
    composer = chat_window.composer
    composer.attach_files([png_file(tmp_path / "dot.png", 4, 4)])

    async def scenario() -> Any:
        await wait_until(lambda: len(composer.chips.chips) == 1)
        composer.set_text("What colour?")
        qtbot.keyClick(composer.editor, Qt.Key.Key_Return)
        _, first = await wait_signal(chat_window.controller.message_updated, timeout=20,
                                     check=lambda c, m: m.role == "assistant")
        assert chat_window.controller.retry(first.id)
        return await wait_signal(chat_window.controller.message_updated, timeout=20,
                                 check=lambda c, m: m.role == "assistant")

    _, second = qasync_loop.run(scenario())
    assert second.content == "second answer"
    first_request, second_request = (r.json() for r in chat_env.server.requests)
    assert first_request["messages"] == second_request["messages"]
    (user,) = [m for m in second_request["messages"] if m["role"] == "user"]
    assert [part["type"] for part in user["content"]] == ["text", "image_url"]
