"""An endpoint that refuses images (HTTP 400): a readable error, and the message stays editable
with its files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage

from desktopchat.core.content_parts import IMAGES_REFUSED
from tests.support.loopback import ScriptedResponse
from tests.support.qt_loop import ChatEnv, QtLoop, wait_signal, wait_until


def test_http_400_for_images_is_explained_and_the_message_stays_editable(
        chat_window: Any, chat_env: ChatEnv, tmp_path: Path, qasync_loop: QtLoop,
        qtbot: Any) -> None:
    body = (b'{"error": {"message": "Invalid content type. image_url is only supported by '
            b'certain models.", "type": "invalid_request_error"}}')
    chat_env.server.enqueue(ScriptedResponse(
        status=400, headers={"Content-Type": "application/json"}, pieces=[body]))
    image = QImage(20, 10, QImage.Format.Format_RGB32)
    image.fill(QColor("navy"))
    path = tmp_path / "chart.png"
    assert image.save(str(path), "PNG")
    composer = chat_window.composer
    composer.attach_files([path])

    async def scenario() -> Any:
        await wait_until(lambda: len(composer.chips.chips) == 1)
        composer.set_text("Read the chart")
        qtbot.keyClick(composer.editor, Qt.Key.Key_Return)
        return await wait_signal(chat_window.controller.message_updated, timeout=20,
                                 check=lambda c, m: m.role == "assistant")

    _, final = qasync_loop.run(scenario())
    assert final.state == "error"
    assert "image_url is only supported by certain models" in final.error
    assert IMAGES_REFUSED in final.error
    assert "Accepts images" in chat_window.chat_view.rendered_html(final.id)
    (user,) = [m for m in chat_env.store.messages(chat_window.controller.current_id)
               if m.role == "user"]
    chat_window.message_actions.handle(user.id, "edit")
    assert composer.text == "Read the chart"
    assert [a.name for a in composer.attachments] == ["chart.png"]
