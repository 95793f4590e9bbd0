"""The history sidebar on a real SQLite file: listing, paging, search, rename, pin, delete/undo."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from desktopchat.storage.models import Conversation
from desktopchat.storage.store import HistoryStore
from desktopchat.ui.chat_events import ChatEvents
from desktopchat.ui.conversation_changes import ConversationChanges, connect_history
from desktopchat.ui.history_model import (
    ConversationIdRole,
    HistoryModel,
    IsHeaderRole,
    recency_group,
)
from desktopchat.ui.history_panel import HistoryPanel


def make_chat(store: HistoryStore, title: str, *texts: str) -> int:
    conv = store.create_conversation(title=title)
    for text in texts:
        store.add_user_message(conv.id, text)
    return conv.id


def titles(panel: HistoryPanel) -> list[str]:
    m = panel.model
    return [str(m.index(r, 0).data()) for r in range(m.rowCount())]


def owned_panel(store: HistoryStore, **kwargs: float) -> HistoryPanel:
    """A panel whose change requests go to the one owner, as in the main window."""
    p = HistoryPanel(store, **kwargs)
    events = ChatEvents(p)
    p.owner = ConversationChanges(store, events)
    connect_history(p, p.owner)
    return p


@pytest.fixture
def panel(qtbot, store: HistoryStore) -> HistoryPanel:
    p = owned_panel(store, undo_seconds=60)
    qtbot.addWidget(p)
    p.resize(320, 600)
    p.show()
    return p


def conv_at(ts: float, *, pinned: bool = False) -> Conversation:
    return Conversation(1, "t", "", "", None, ts, ts, pinned, False)


def test_recency_groups_by_local_day() -> None:
    now = dt.datetime(2026, 3, 10, 9, 0).timestamp()
    day = 86400.0
    assert recency_group(conv_at(now - 60), now) == "Today"
    assert recency_group(conv_at(now - day), now) == "Yesterday"
    assert recency_group(conv_at(now - 3 * day), now) == "Previous 7 days"
    assert recency_group(conv_at(now - 30 * day), now) == "Older"
    assert recency_group(conv_at(now - 30 * day, pinned=True), now) == "Pinned"


def test_lists_newest_first_under_headers_and_new_chat(qtbot, panel, store) -> None:
    make_chat(store, "first", "a")
    make_chat(store, "second", "b")
    panel.refresh()
    assert titles(panel) == ["Today", "second", "first"]
    header = panel.model.index(0, 0)
    assert header.data(IsHeaderRole) is True
    assert not header.flags() & Qt.ItemFlag.ItemIsSelectable
    with qtbot.waitSignal(panel.new_chat_requested):
        qtbot.mouseClick(panel.findChild(type(panel._new_chat), "newChatButton"),
                         Qt.MouseButton.LeftButton)


def test_click_opens_and_select_marks_current(qtbot, panel, store) -> None:
    first = make_chat(store, "first", "a")
    make_chat(store, "second", "b")
    panel.refresh()
    row = panel.model.row_of(first)
    rect = panel.list_view.visualRect(panel.model.index(row, 0))
    with qtbot.waitSignal(panel.conversation_selected) as sig:
        qtbot.mouseClick(panel.list_view.viewport(), Qt.MouseButton.LeftButton,
                         pos=rect.center())
    assert sig.args == [first, -1]
    panel.select_conversation(first)
    assert panel.list_view.currentIndex().data(ConversationIdRole) == first


def test_ten_thousand_conversations_load_in_pages(qtbot, tmp_path) -> None:
    with HistoryStore.open(tmp_path / "big.sqlite3") as big:
        for i in range(10_000):
            big.create_conversation(title=f"chat {i}")
        panel = HistoryPanel(big, page_size=100)
        qtbot.addWidget(panel)
        panel.resize(320, 600)
        panel.show()
        qtbot.waitExposed(panel)
        model = panel.model
        # One page (plus its header), not 10,000 rows.
        assert model.conversation_count() == 100
        assert model.rowCount() <= 101
        assert model.canFetchMore(QModelIndex())
        # Scrolling to the end asks the model for the next page, and only that.
        bar = panel.list_view.verticalScrollBar()
        bar.setValue(bar.maximum())
        qtbot.waitUntil(lambda: model.conversation_count() >= 200)
        assert model.conversation_count() < 10_000
        ids = [model.index(r, 0).data(ConversationIdRole) for r in range(model.rowCount())]
        ids = [i for i in ids if i is not None]
        assert len(ids) == len(set(ids))
        panel.close()
        panel.deleteLater()
        QApplication.processEvents()


def test_model_pages_stay_consistent_when_a_conversation_moves(store) -> None:
    for i in range(25):
        make_chat(store, f"c{i}")
    model = HistoryModel(store, page_size=10)
    model.reload()
    assert model.conversation_count() == 10
    # An old conversation gets a new message: it jumps to the top; paging must not lose one.
    store.add_user_message(1, "bump")
    model.reload()
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    ids = [model.conversation_at(r) for r in range(model.rowCount())]
    got = [c.id for c in ids if c is not None]
    assert sorted(got) == list(range(1, 26))
    assert got[0] == 1


def search(qtbot, panel: HistoryPanel, text: str) -> None:
    # Search runs on a worker thread (issue 16): wait for the debounce and the final results.
    panel.set_search_text(text)
    qtbot.waitUntil(lambda: not panel.search_busy(), timeout=10000)


def test_search_as_you_type_highlights_and_opens_at_the_hit(qtbot, panel, store) -> None:
    make_chat(store, "Cooking", "how long to boil an egg")
    target = make_chat(store, "Trip <b>", "pack a <script>alert(1)</script> umbrella please")
    panel.refresh()
    search(qtbot, panel, "umbrella")
    assert panel.results.rowCount() == 1
    html = panel.results.data(panel.results.index(0, 0), Qt.ItemDataRole.UserRole + 11)
    assert "<b>umbrella</b>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "Trip &lt;b&gt;" in html
    hit = panel.results.hits()[0]
    with qtbot.waitSignal(panel.conversation_selected) as sig:
        qtbot.keyClick(panel.findChild(QLineEdit, "historySearch"), Qt.Key.Key_Return)
    assert sig.args == [target, hit.message_id]
    assert hit.message_id is not None and hit.message_id > 0


def test_ctrl_k_focus_enter_right_after_typing_and_escape(qtbot, panel, store) -> None:
    target = make_chat(store, "Planets", "saturn has rings")
    panel.refresh()
    panel.activateWindow()
    panel.focus_search()
    field = panel.findChild(QLineEdit, "historySearch")
    qtbot.keyClicks(field, "saturn")
    with qtbot.waitSignal(panel.conversation_selected) as sig:
        qtbot.keyClick(field, Qt.Key.Key_Return)  # before the debounce timer fired
    assert sig.args[0] == target
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    assert field.text() == ""
    assert panel._stack.currentWidget() is panel.list_view


HOSTILE = [
    '"', '""', "'", 'a"b', "AND", "OR", "NOT", "a OR", "NEAR(", "NEAR(a b", "(", ")", "((a)",
    "*", "a*", "^", "-", "col:value", "title:", "🙂", "👩‍👩‍👧 emoji", "\\", "%", "_", ";--",
    "' OR 1=1 --", "<b>", "\ue000", "\ue001x", "x" * 500, "   ", "\t\n", "ä ö ü", "中文",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_search_shows_results_or_no_matches(qtbot, panel, store, query) -> None:
    make_chat(store, "Emoji 🙂 (test)", 'he said "hi" AND (left) 🙂 col:value 中文 ä ö ü')
    panel.refresh()
    search(qtbot, panel, query)
    shown = panel._stack.currentWidget()
    if not query.strip():
        assert shown is panel.list_view
    elif shown is panel.no_matches:
        assert panel.no_matches.text() == "No matches"
    else:
        assert shown is panel.results_view
        assert panel.results.rowCount() > 0


def test_inline_rename_saves_and_empty_is_ignored(qtbot, panel, store) -> None:
    conv = make_chat(store, "old name", "x")
    panel.refresh()
    panel.rename(conv)
    editor = panel.list_view.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.setText("new name")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # The delegate commits on Return through a queued call.
    qtbot.waitUntil(lambda: store.get_conversation(conv).title == "new name")
    assert "new name" in titles(panel)
    index = panel.model.index(panel.model.row_of(conv), 0)
    assert not panel.model.setData(index, "   ")
    assert store.get_conversation(conv).title == "new name"


def test_pin_moves_to_pinned_group_and_unpin_back(panel, store) -> None:
    a = make_chat(store, "a")
    make_chat(store, "b")
    panel.refresh()
    menu = panel.build_context_menu(panel.model.index(panel.model.row_of(a), 0))
    pin = next(act for act in menu.actions() if act.text() == "Pin to top")
    pin.trigger()
    assert titles(panel) == ["Pinned", "a", "Today", "b"]
    assert store.get_conversation(a).pinned
    panel.set_pinned(a, False)
    assert titles(panel) == ["Today", "b", "a"]


def test_delete_hides_then_undo_restores(qtbot, panel, store) -> None:
    a = make_chat(store, "keep me", "important words")
    panel.refresh()
    menu = panel.build_context_menu(panel.model.index(panel.model.row_of(a), 0))
    next(act for act in menu.actions() if act.text() == "Delete").trigger()
    assert panel.model.row_of(a) == -1
    assert panel.undo_bar.isVisible()
    search(qtbot, panel, "important")
    assert panel._stack.currentWidget() is panel.no_matches  # hidden from search too
    qtbot.mouseClick(panel.undo_bar._button, Qt.MouseButton.LeftButton)
    assert not panel.undo_bar.isVisible()
    assert panel.model.row_of(a) >= 0
    assert store.get_conversation(a).title == "keep me"
    qtbot.waitUntil(lambda: not panel.search_busy())  # the search runs again, off-thread
    assert panel.results.rowCount() == 1


def test_delete_becomes_final_after_the_undo_period(qtbot, store) -> None:
    a = make_chat(store, "bye", "x")
    b = make_chat(store, "stay", "y")
    panel = owned_panel(store, undo_seconds=0.05)
    qtbot.addWidget(panel)
    panel.delete(a)
    with qtbot.waitSignal(panel.conversation_deleted, timeout=5000) as sig:
        pass
    assert sig.args == [a]
    assert [c.id for c in store.list_conversations()] == [b]
    assert titles(panel) == ["Today", "stay"]


def test_second_delete_and_window_close_make_pending_final(qtbot, panel, store) -> None:
    a = make_chat(store, "a")
    b = make_chat(store, "b")
    c = make_chat(store, "c")
    panel.refresh()
    panel.delete(a)
    with qtbot.waitSignal(panel.conversation_deleted) as sig:
        panel.delete(b)
    assert sig.args == [a]
    panel.commit_pending_deletes()
    assert [x.id for x in store.list_conversations()] == [c]


def test_conversation_changed_relists_in_new_place(panel, store) -> None:
    a = make_chat(store, "a")
    make_chat(store, "b")
    panel.refresh()
    panel.select_conversation(a)
    store.add_user_message(a, "new message")
    new = make_chat(store, "brand new")
    panel.conversation_changed(new)
    assert titles(panel) == ["Today", "brand new", "a", "b"]
    assert panel.list_view.currentIndex().data(ConversationIdRole) == a


def test_arrow_keys_in_search_field_move_over_rows_not_headers(qtbot, panel, store) -> None:
    a = make_chat(store, "alpha", "shared word one")
    b = make_chat(store, "beta", "shared word two")
    panel.set_pinned(a, True)  # rows: Pinned, alpha, Today, beta
    field = panel.findChild(QLineEdit, "historySearch")
    panel.list_view.setCurrentIndex(panel.model.index(panel.model.row_of(a), 0))
    qtbot.keyClick(field, Qt.Key.Key_Down)
    assert panel.list_view.currentIndex().data(ConversationIdRole) == b
    qtbot.keyClick(field, Qt.Key.Key_Up)
    assert panel.list_view.currentIndex().data(ConversationIdRole) == a
    search(qtbot, panel, "shared")
    assert panel.results.rowCount() == 2
    first = panel.results_view.currentIndex().row()
    qtbot.keyClick(field, Qt.Key.Key_Down)
    assert panel.results_view.currentIndex().row() == first + 1
    expected = panel.results.hits()[first + 1]
    with qtbot.waitSignal(panel.conversation_selected) as sig:
        qtbot.keyClick(field, Qt.Key.Key_Return)
    assert sig.args == [expected.conversation_id, expected.message_id]
