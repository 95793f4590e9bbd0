"""Folders in the sidebar, on a real SQLite file and real widgets: create, rename, collapse,
order, drag a chat in and out, Move to folder ▸, delete with undo."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QModelIndex, QPoint, QPointF, Qt
from PySide6.QtGui import QAction, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QMenu

from desktopchat.storage.store import HistoryStore
from desktopchat.ui.chat_events import ChatEvents
from desktopchat.ui.conversation_changes import ConversationChanges, connect_history
from desktopchat.ui.history_drops import MIME_TYPE, TOP_LEVEL
from desktopchat.ui.history_model import FolderRole, InFolderRole
from desktopchat.ui.history_panel import HistoryPanel


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    s = HistoryStore.open(tmp_path / "history.sqlite3")
    yield s
    s.close()


def make_panel(qtbot, store: HistoryStore) -> HistoryPanel:
    p = HistoryPanel(store, undo_seconds=60)
    events = ChatEvents(p)
    p.owner = ConversationChanges(store, events)  # type: ignore[attr-defined]
    connect_history(p, p.owner)  # type: ignore[attr-defined]
    qtbot.addWidget(p)
    p.resize(320, 600)
    p.show()
    return p


@pytest.fixture
def panel(qtbot, store: HistoryStore) -> HistoryPanel:
    return make_panel(qtbot, store)


def rows(panel: HistoryPanel) -> list[str]:
    """The sidebar as text: `[Folder]`, `  chat` inside a folder, `chat`, `# header`."""
    out = []
    m = panel.model
    for r in range(m.rowCount()):
        index = m.index(r, 0)
        folder = index.data(FolderRole)
        if folder is not None:
            out.append(f"[{folder.name}]" + (" +" if folder.collapsed else ""))
        elif m.conversation_at(r) is None:
            out.append(f"# {index.data()}")
        else:
            out.append(("  " if index.data(InFolderRole) else "") + str(index.data()))
    return out


def chat(store: HistoryStore, title: str) -> int:
    return store.create_conversation(title=title).id


def index_of_chat(panel: HistoryPanel, conversation_id: int) -> QModelIndex:
    return panel.model.index(panel.model.row_of(conversation_id), 0)


def index_of_folder(panel: HistoryPanel, folder_id: int) -> QModelIndex:
    return panel.model.index(panel.model.row_of_folder(folder_id), 0)


def action(menu: QMenu, text: str) -> QAction:
    found = [a for a in menu.actions() if a.text() == text]
    assert found, f"{text!r} not in {[a.text() for a in menu.actions()]}"
    return found[0]


def test_folders_come_first_with_their_chats_under_them(panel, store) -> None:
    work = store.folders.create("Work")
    store.folders.create("Empty")
    a = chat(store, "report")
    chat(store, "holiday")
    store.folders.move_conversation(a, work.id)
    panel.refresh()
    assert rows(panel) == ["[Work]", "  report", "[Empty]", "# Today", "holiday"]


def test_new_folder_button_creates_and_opens_the_name_for_editing(qtbot, panel, store) -> None:
    qtbot.mouseClick(panel.findChild(type(panel._new_chat), "newFolderButton"),
                     Qt.MouseButton.LeftButton)
    (folder,) = store.folders.in_order()
    assert folder.name == "New folder"
    editor = panel.list_view.focusWidget()
    assert isinstance(editor, QLineEdit)
    assert editor.text() == "New folder"
    editor.setText("Recipes")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: store.folders.get(folder.id).name == "Recipes")
    assert rows(panel) == ["[Recipes]"]
    # A second one gets a name of its own.
    panel.folders.new_folder()
    assert [f.name for f in store.folders.in_order()] == ["Recipes", "New folder"]


def test_rename_to_a_taken_name_says_why_and_keeps_the_name(qtbot, panel, store) -> None:
    store.folders.create("Work")
    home = store.folders.create("Home")
    panel.refresh()
    assert not panel.model.setData(index_of_folder(panel, home.id), "WORK")
    assert store.folders.get(home.id).name == "Home"
    assert panel.problem.isVisible()
    assert "already exists" in panel.problem.text()
    assert not panel.model.setData(index_of_folder(panel, home.id), "   ")
    assert rows(panel) == ["[Work]", "[Home]"]


def test_click_collapses_and_the_state_is_remembered(qtbot, panel, store, tmp_path) -> None:
    work = store.folders.create("Work")
    a = chat(store, "report")
    store.folders.move_conversation(a, work.id)
    panel.refresh()
    rect = panel.list_view.visualRect(index_of_folder(panel, work.id))
    qtbot.mouseClick(panel.list_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert rows(panel) == ["[Work] +"]
    assert store.folders.get(work.id).collapsed
    # A new window (a restart) shows it collapsed too.
    again = make_panel(qtbot, store)
    assert rows(again) == ["[Work] +"]
    # Enter on the focused folder opens it again (keyboard).
    panel.list_view.setFocus()
    panel.list_view.setCurrentIndex(index_of_folder(panel, work.id))
    qtbot.keyClick(panel.list_view, Qt.Key.Key_Return)
    assert rows(panel) == ["[Work]", "  report"]
    assert panel.list_view.currentIndex().data(FolderRole).id == work.id


def test_open_chat_inside_a_folder_is_marked_and_opened(qtbot, panel, store) -> None:
    work = store.folders.create("Work")
    a = chat(store, "report")
    store.folders.move_conversation(a, work.id)
    panel.refresh()
    with qtbot.waitSignal(panel.conversation_selected) as sig:
        rect = panel.list_view.visualRect(index_of_chat(panel, a))
        qtbot.mouseClick(panel.list_view.viewport(), Qt.MouseButton.LeftButton,
                         pos=rect.center())
    assert sig.args == [a, -1]


def drop_on_view(panel: HistoryPanel, data: QMimeData, pos: QPoint) -> bool:
    """A drag entering the list, moving to `pos` and dropping there: the real view decides
    the drop's place and hands it to the model, as with a mouse."""
    viewport = panel.list_view.viewport()
    where = QPointF(pos)
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(pos, Qt.DropAction.MoveAction, data, buttons, mods)
    QApplication.sendEvent(viewport, enter)
    if not enter.isAccepted():
        return False
    move = QDragMoveEvent(pos, Qt.DropAction.MoveAction, data, buttons, mods)
    QApplication.sendEvent(viewport, move)
    if not move.isAccepted():
        return False
    drop = QDropEvent(where, Qt.DropAction.MoveAction, data, buttons, mods)
    QApplication.sendEvent(viewport, drop)
    return drop.isAccepted()


def drag_data(panel: HistoryPanel, conversation_id: int) -> QMimeData:
    return panel.model.mimeData([index_of_chat(panel, conversation_id)])


def test_drag_a_chat_onto_a_folder_and_back_out(qtbot, panel, store) -> None:
    work = store.folders.create("Work")
    a, b = chat(store, "report"), chat(store, "holiday")
    panel.refresh()
    target = panel.list_view.visualRect(index_of_folder(panel, work.id)).center()
    assert drop_on_view(panel, drag_data(panel, a), target)
    assert store.get_conversation(a).folder_id == work.id
    assert rows(panel) == ["[Work]", "  report", "# Today", "holiday"]
    # Onto a chat inside the folder: into that folder too.
    inside = panel.list_view.visualRect(index_of_chat(panel, a)).center()
    assert drop_on_view(panel, drag_data(panel, b), inside)
    assert store.get_conversation(b).folder_id == work.id
    # Out: onto the empty space below the list, back to the top level.
    below = QPoint(20, panel.list_view.viewport().height() - 5)
    assert not panel.list_view.indexAt(below).isValid()
    assert drop_on_view(panel, drag_data(panel, a), below)
    assert store.get_conversation(a).folder_id is None
    assert rows(panel) == ["[Work]", "  holiday", "# Today", "report"]
    # After a move-drag a view "clears" the moved items through setItemData: refused, so
    # the title is never lost.
    index = index_of_chat(panel, a)
    assert not panel.model.setItemData(index, {Qt.ItemDataRole.EditRole: None})
    assert not panel.model.setData(index, None)
    assert store.get_conversation(a).title == "report"


def test_drop_on_a_date_header_files_at_the_top_level(panel, store) -> None:
    work = store.folders.create("Work")
    a, b = chat(store, "report"), chat(store, "holiday")
    store.folders.move_conversation(a, work.id)
    panel.refresh()
    header = panel.model.index(rows(panel).index("# Today"), 0)
    data = drag_data(panel, a)
    assert panel.model.dropMimeData(data, Qt.DropAction.MoveAction, -1, -1, header)
    assert store.get_conversation(a).folder_id is None
    assert store.get_conversation(b).folder_id is None


def test_a_foreign_drop_is_refused(panel, store) -> None:
    work = store.folders.create("Work")
    chat(store, "report")
    panel.refresh()
    for payload in (b"", b"1,x", b"drop table", b"9" * 400_000):
        data = QMimeData()
        data.setData(MIME_TYPE, payload)
        folder = index_of_folder(panel, work.id)
        assert not panel.model.canDropMimeData(data, Qt.DropAction.MoveAction, -1, -1, folder)
        assert not panel.model.dropMimeData(data, Qt.DropAction.MoveAction, -1, -1, folder)
    text = QMimeData()
    text.setText("1")
    target = panel.list_view.visualRect(index_of_folder(panel, work.id)).center()
    assert not drop_on_view(panel, text, target)
    assert store.folders.get(work.id).conversation_count == 0


def test_move_to_folder_menu_for_keyboard_users(panel, store) -> None:
    work = store.folders.create("Work & play")
    store.folders.create("Home")
    a = chat(store, "report")
    panel.refresh()
    menu = panel.build_context_menu(index_of_chat(panel, a))
    sub = action(menu, "Move to folder").menu()
    assert isinstance(sub, QMenu)
    assert [x.text() for x in sub.actions() if not x.isSeparator()] == [
        "Work && play", "Home", "No folder (top level)", "New folder…"]
    assert not action(sub, "No folder (top level)").isEnabled()
    action(sub, "Work && play").trigger()
    assert store.get_conversation(a).folder_id == work.id
    menu = panel.build_context_menu(index_of_chat(panel, a))
    sub = action(menu, "Move to folder").menu()
    assert action(sub, "Work && play").isChecked()
    assert not action(sub, "Work && play").isEnabled()
    action(sub, "No folder (top level)").trigger()
    assert store.get_conversation(a).folder_id is None


def test_move_to_a_new_folder_from_the_menu(panel, store) -> None:
    a = chat(store, "report")
    panel.refresh()
    sub = action(panel.build_context_menu(index_of_chat(panel, a)), "Move to folder").menu()
    action(sub, "New folder…").trigger()
    (folder,) = store.folders.in_order()
    assert store.get_conversation(a).folder_id == folder.id
    assert isinstance(panel.list_view.focusWidget(), QLineEdit)  # name it now


def test_folder_order_from_its_menu(panel, store) -> None:
    store.folders.create("A")
    b = store.folders.create("B")
    panel.refresh()
    menu = panel.build_context_menu(index_of_folder(panel, b.id))
    assert not action(menu, "Move down").isEnabled()
    action(menu, "Move up").trigger()
    assert rows(panel) == ["[B]", "[A]"]
    menu = panel.build_context_menu(index_of_folder(panel, b.id))
    assert not action(menu, "Move up").isEnabled()
    action(menu, "Collapse").trigger()
    assert rows(panel) == ["[B] +", "[A]"]


def test_delete_folder_puts_chats_at_the_top_level_and_undo_brings_it_back(
    qtbot, panel, store
) -> None:
    work = store.folders.create("Work")
    a, b = chat(store, "report"), chat(store, "holiday")
    store.folders.move_conversation(a, work.id)
    panel.refresh()
    action(panel.build_context_menu(index_of_folder(panel, work.id)), "Delete folder").trigger()
    assert rows(panel) == ["# Today", "holiday", "report"]
    assert store.count_conversations() == 2
    assert panel.undo_bar.isVisible()
    assert "Work" in panel.undo_bar._label.toolTip()
    qtbot.mouseClick(panel.undo_bar._button, Qt.MouseButton.LeftButton)
    assert not panel.undo_bar.isVisible()
    assert rows(panel) == ["[Work]", "  report", "# Today", "holiday"]
    assert store.get_conversation(b).folder_id is None


def test_deleting_a_chat_after_a_folder_keeps_the_folder_deleted(qtbot, panel, store) -> None:
    work = store.folders.create("Work")
    a = chat(store, "report")
    panel.refresh()
    panel.folders.delete(work.id)
    panel.delete(a)  # the bar now offers the chat; the folder's deletion stands
    assert store.folders.in_order() == []
    qtbot.mouseClick(panel.undo_bar._button, Qt.MouseButton.LeftButton)
    assert store.folders.in_order() == []
    assert rows(panel) == ["# Today", "report"]


def test_move_requests_carry_the_top_level_as_minus_one(qtbot, panel, store) -> None:
    work = store.folders.create("Work")
    a = chat(store, "report")
    panel.refresh()
    with qtbot.waitSignal(panel.model.move_requested) as sig:
        panel.model.dropMimeData(drag_data(panel, a), Qt.DropAction.MoveAction, -1, -1,
                                 index_of_folder(panel, work.id))
    assert sig.args == [a, work.id]
    with qtbot.waitSignal(panel.model.move_requested) as sig:
        panel.model.dropMimeData(drag_data(panel, a), Qt.DropAction.MoveAction, -1, -1,
                                 QModelIndex())
    assert sig.args == [a, TOP_LEVEL]
