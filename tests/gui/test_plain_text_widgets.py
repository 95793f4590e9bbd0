"""Server, model and file text is shown as written: no widget turns it into active content.

A crafted `<img src=file://...>` pointing at a real 400x400 image is fed through each path.
If a widget treated it as rich text, Qt would read the file and the widget would grow to
the image's height; the control label below shows that this probe does detect it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from desktopchat.ui import plain_text
from desktopchat.ui.history_undo import UndoBar
from tests.support.hostile_markup import IMAGE_SIDE, local_image, looks_loaded
from tests.support.loopback import ScriptedResponse
from tests.support.qt_loop import ChatEnv, QtLoop, wait_signal
from tests.support.settings_probe import probed_settings


@pytest.fixture
def hostile(tmp_path: Path) -> str:
    """Markup that makes Qt read a local image if anything renders it as rich text."""
    return local_image(tmp_path) + " bad key"




def all_labels(*roots: QWidget) -> list[QLabel]:
    found: list[QLabel] = []
    for root in roots:
        if isinstance(root, QLabel):
            found.append(root)
        found.extend(root.findChildren(QLabel))
    return found


def assert_all_plain(labels: list[QLabel]) -> None:
    assert labels
    # A message box's icon is a label holding only a pixmap: it never shows text.
    rich = [(lb.objectName(), lb.text()[:40]) for lb in labels
            if lb.textFormat() != Qt.TextFormat.PlainText
            and not (lb.text() == "" and not lb.pixmap().isNull())]
    assert rich == []


def test_the_probe_detects_a_label_that_reads_the_file(qtbot: Any, hostile: str) -> None:
    control = QLabel(hostile)  # Qt's default: rich-text auto-detection
    qtbot.addWidget(control)
    assert looks_loaded(control)


def test_connection_error_markup_is_shown_as_written(qasync_loop: QtLoop, loopback_server: Any,
                                                     qtbot: Any, tmp_path: Path,
                                                     secret_store: Any, hostile: str) -> None:
    dialog = probed_settings(hostile, key="sk-plain-text-test", server=loopback_server,
                             secret_store=secret_store, tmp_path=tmp_path, qtbot=qtbot,
                             loop=qasync_loop)
    form = dialog.current_form()
    assert form is not None
    assert form.test_result.text().startswith("✘")
    assert "<img src=" in form.test_result.text()  # shown literally, nothing hidden
    assert not looks_loaded(form.test_result)
    assert_all_plain(all_labels(dialog))


def test_undo_bar_shows_an_imported_title_as_written(qtbot: Any, hostile: str) -> None:
    bar = UndoBar()
    qtbot.addWidget(bar)
    bar.resize(900, 40)  # the title is elided to the room there is: give it a sidebar's worth
    bar.offer(7, hostile)
    label = bar.findChild(QLabel)
    assert label is not None and "<img" in label.text()
    assert not looks_loaded(label)
    assert_all_plain(all_labels(bar))
    # A tooltip has no format switch: the title arrives escaped inside explicit rich text.
    assert "<img" not in bar.findChild(QLabel).toolTip()
    assert "&lt;img" in bar.findChild(QLabel).toolTip()


def test_message_boxes_show_errors_as_written(qtbot: Any, hostile: str) -> None:
    box = plain_text.message_box(QMessageBox.Icon.Warning, "Import failed", hostile)
    qtbot.addWidget(box)
    assert box.textFormat() == Qt.TextFormat.PlainText
    label = box.findChild(QLabel, "qt_msgbox_label")
    assert label is not None and "<img" in label.text()
    assert not looks_loaded(label)


def test_every_label_in_the_chat_window_is_plain_after_a_hostile_error(
        chat_window: Any, chat_env: ChatEnv, qasync_loop: QtLoop, hostile: str) -> None:
    body = json.dumps({"error": {"message": hostile, "type": "auth"}}).encode()
    chat_env.server.enqueue(ScriptedResponse(
        status=401, headers={"Content-Type": "application/json"}, pieces=[body]))
    chat_window.composer.set_text("hello")
    chat_window.composer.editor.setFocus()
    from PySide6.QtTest import QTest

    QTest.keyClick(chat_window.composer.editor, Qt.Key.Key_Return)
    failed = qasync_loop.run(wait_signal(
        chat_window.controller.message_updated, timeout=20,
        check=lambda c, m: m.role == "assistant" and m.state == "error"))
    assert "<img" in (failed[1].error or "")
    chat_window.show_problem(hostile)
    assert chat_window.problem_box is not None
    labels = all_labels(chat_window, chat_window.problem_box)
    assert_all_plain(labels)
    shown = [lb for lb in labels if "<img" in lb.text()]
    assert shown  # the problem box at least shows the markup literally
    assert not any(looks_loaded(lb) for lb in shown)
    chat_window.problem_box.close()


def test_transcript_documents_load_no_resource_but_the_apps_own(qtbot: Any, tmp_path: Path,
                                                                hostile: str) -> None:
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QTextDocument

    from desktopchat.ui.message_render import new_document
    from desktopchat.ui.theme import theme_named

    image = hostile.split('"')[1]
    control = QTextDocument()  # Qt's default reads the file: the probe would see it
    control.setHtml(hostile)
    assert control.size().height() >= IMAGE_SIDE
    doc = new_document(theme_named("light"), hostile)
    assert doc.size().height() < IMAGE_SIDE
    assert doc.refused >= 1
    kinds = (QTextDocument.ResourceType.ImageResource,
             QTextDocument.ResourceType.StyleSheetResource)
    for name in (QUrl(image), QUrl("https://example.com/x.png"), QUrl("data:image/png;base64,AA"),
                 QUrl.fromLocalFile(str(tmp_path / "probe.png")), QUrl("probe.png")):
        image_stand_in = doc.loadResource(kinds[0].value, name)
        assert isinstance(image_stand_in, QImage) and image_stand_in.width() == 1
        assert doc.loadResource(kinds[1].value, name) is None
    # The app's own Qt resources are passed on to Qt (which loads them itself).
    from desktopchat.ui.safe_document import is_own_resource

    assert is_own_resource(QUrl("qrc:/icons/app.svg")) and is_own_resource(":/icons/app.svg")
    assert not is_own_resource(QUrl(image)) and not is_own_resource("probe.png")
