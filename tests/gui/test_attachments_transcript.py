"""Attachments in the transcript: names and sizes under the user message, image thumbnails
(decoded once, off the UI thread), and a click that opens the image at full size."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QUrl
from PySide6.QtGui import QColor, QImage, QTextDocument

from desktopchat.attachments import Attachment, Kind, human_size
from desktopchat.ui.markdown import ACTION_SCHEME
from tests.support.qt_loop import ChatEnv, QtLoop, wait_until


def png(width: int, height: int) -> bytes:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("orange"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def test_thumbnail_names_sizes_and_full_size_viewer(chat_window: Any, chat_env: ChatEnv,
                                                    qasync_loop: QtLoop) -> None:
    photo = Attachment("sunset.png", Kind.IMAGE, "image/png", png(640, 400))
    notes = Attachment("notes <b>.txt", Kind.TEXT, "text/plain", b"hello " * 100)
    conversation = chat_env.store.create_conversation(profile="local", model="m1")
    user = chat_env.store.add_user_message(conversation.id, "Look", attachments=(photo, notes))
    chat_window.open_conversation(conversation.id)
    view = chat_window.chat_view
    item = view.item(user.id)
    assert [a.name for a in item.attachments] == ["sunset.png", "notes <b>.txt"]

    async def decoded() -> None:
        view.rendered_html(user.id)
        await wait_until(lambda: view.thumbnails.pending == 0
                         and view.thumbnails.get(photo.sha256, photo.data) is not None)

    qasync_loop.run(decoded())
    html = view.rendered_html(user.id)
    (files,) = [p for p in item.render.parts if p.kind == "attachments"]
    text = files.doc.toPlainText()
    assert f"sunset.png · {human_size(photo.size)}" in text
    assert "Attached: notes <b>.txt · 600 B" in text  # the name is text, not markup
    thumb = files.doc.resource(QTextDocument.ResourceType.ImageResource.value,
                               QUrl("attachment-thumb-0"))
    assert (thumb.width(), thumb.height()) == (160, 100)  # decoded, not the grey box
    assert "open-attachment/0" in html

    view.activate_anchor(user.id, f"{ACTION_SCHEME}:open-attachment/0", [])
    viewer = chat_window.message_actions.image_viewer
    assert viewer is not None and viewer.isVisible()
    pixmap = viewer.image_label.pixmap()
    assert (pixmap.width(), pixmap.height()) == (640, 400)
    assert viewer.windowTitle().startswith("sunset.png — 640×400")
    viewer.close()
