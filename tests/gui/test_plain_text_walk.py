"""Issue 10 §3: with hostile text in every place the window shows data, no widget treats
it as markup, and a tool call's hidden characters are written out.

One crafted string (an `<img src=file://…>` pointing at a real 400x400 image, a link, a
`<style>`, a bidi override and a zero-width space) is put into a folder name, a
conversation title, messages, a search result, an attached file's name, a model list,
a tool call's name and arguments, and a problem message. Then every widget of every
top-level window is walked: each label must be plain text, and each tooltip (a widget's,
or an item view's ToolTipRole, which Qt shows with rich-text auto-detection) must be
either not rich text at all or the escaped form plain_text.tooltip makes.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel, QWidget

from desktopchat.attachments import Attachment, Kind
from desktopchat.tools import ToolCatalog, ToolInfo
from desktopchat.tools.calls import plan_calls, requested_calls
from desktopchat.ui.history_search import HtmlRole
from tests.support.hostile_markup import IMAGE_SIDE, local_image
from tests.support.qt_loop import ChatEnv, QtLoop

ESCAPED_TIP = '<p style="white-space: pre-wrap">'  # what plain_text.tooltip makes


@pytest.fixture
def hostile(tmp_path: Path) -> str:
    return (local_image(tmp_path) + ' zebra <a href="https://evil.example/">ok</a>'
            "<style>*{color:red}</style> \u202egnp.exe\u200b")


def widgets() -> list[QWidget]:
    found: list[QWidget] = []
    for top in QApplication.topLevelWidgets():
        if top.isVisible():
            found += [top, *top.findChildren(QWidget)]
    return found


def model_tooltips(model: QAbstractItemModel, parent: QModelIndex | None = None) -> list[str]:
    parent = parent or QModelIndex()
    tips = []
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        tips.append(str(index.data(Qt.ItemDataRole.ToolTipRole) or ""))
        tips += model_tooltips(model, index)
    return tips


def problems(hostile: str) -> list[str]:
    found = []
    for widget in widgets():
        tips = [widget.toolTip()]
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            tips += model_tooltips(widget.model())
        for tip in tips:
            if GuiQt.mightBeRichText(tip) and not tip.startswith(ESCAPED_TIP):
                found.append(f"rich tooltip on {type(widget).__name__}: {tip[:60]!r}")
            if "zebra" in tip and "<img" in tip:
                found.append(f"unescaped tooltip on {type(widget).__name__}: {tip[:60]!r}")
        if isinstance(widget, QLabel) and widget.text():
            if widget.textFormat() != Qt.TextFormat.PlainText:
                found.append(f"label {widget.objectName()!r} not plain: {widget.text()[:60]!r}")
            if widget.sizeHint().height() >= IMAGE_SIDE:
                found.append(f"label {widget.objectName()!r} loaded the image")
    return found


def test_hostile_text_everywhere_stays_plain(chat_window: Any, chat_env: ChatEnv,
                                             qasync_loop: QtLoop, qtbot: Any,
                                             hostile: str) -> None:
    store = chat_env.store
    folder = store.folders.create(hostile)
    chat = store.create_conversation(title=hostile)
    store.folders.move_conversation(chat.id, folder.id)
    store.add_user_message(chat.id, f"question {hostile}")
    reply = store.start_assistant_message(chat.id)
    store.finish_assistant_message(reply.id, state="error", content=hostile, error=hostile)
    chat_window.history_panel.refresh()
    chat_window.open_conversation(chat.id)
    chat_window.composer.chips.set_attachments(
        (Attachment(hostile + ".txt", Kind.TEXT, "text/plain", b"hello"),))
    chat_window._models_loaded("local", ["m1", hostile])
    chat_window.history_panel.set_search_text("zebra")
    qtbot.waitUntil(lambda: not chat_window.history_panel.search_busy(), timeout=10000)
    results = chat_window.history_panel.results
    assert results.rowCount() >= 1
    assert "&lt;img" in results.index(0, 0).data(HtmlRole)
    chat_window.show_problem(hostile)
    chat_window.open_settings()  # the profile form, its model list and notes walked too
    assert chat_window.settings_dialog is not None
    chat_window.settings_dialog.current_form().model.addItem(hostile)

    (plan,) = plan_calls(requested_calls([{"id": "c1", "function": {
        "name": "run\u202etxt.exe", "arguments": '{"path": "' + hostile.replace('"', "'")
        + '"}'}}]), ToolCatalog([ToolInfo("srv", "run\u202etxt.exe")]), profile_tools=[])

    async def scenario() -> list[str]:
        asked = asyncio.ensure_future(chat_window.tool_approval.ask(plan))
        while not chat_window.tool_approval.cards():
            await asyncio.sleep(0)
        card = chat_window.tool_approval.cards()[0]
        shown = [card.title.text(), card.arguments.toPlainText()]
        found = problems(hostile)
        chat_window.tool_approval.clear()
        await asyncio.gather(asked, return_exceptions=True)
        return shown + found

    title, arguments, *found = qasync_loop.run(scenario())
    assert found == []
    # What the user approves shows its hidden characters, so nothing runs disguised.
    assert "run<U+202E>txt.exe" in title and "\u202e" not in title
    assert "<U+202E>gnp.exe<U+200B>" in arguments and "\u200b" not in arguments
    chat_window.problem_box.close()
    chat_window.settings_dialog.reject()
