"""Search off the UI thread, results grouped per conversation, filters (real widgets, real file)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from desktopchat.storage import search as search_module
from desktopchat.storage import search_session
from desktopchat.storage.models import SearchResults
from desktopchat.storage.store import HistoryStore
from desktopchat.ui.history_search import HtmlRole, TermsRole
from desktopchat.ui.search_worker import SearchRunner
from tests.gui.test_history_panel import make_chat, owned_panel


@pytest.fixture
def runner(qtbot, store: HistoryStore) -> Iterator[SearchRunner]:
    r = SearchRunner(store.path)
    yield r
    r.close()


def collect(runner: SearchRunner) -> list[SearchResults]:
    got: list[SearchResults] = []
    runner.results_ready.connect(got.append)
    return got


def test_search_runs_on_a_worker_thread_and_answers_by_signal(
    qtbot, store: HistoryStore, runner: SearchRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_chat(store, "t", "the quick brown fox")
    threads: list[int] = []
    real = search_session.search_grouped

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.get_ident())
        return real(*args, **kwargs)

    monkeypatch.setattr(search_session, "search_grouped", spy)
    with qtbot.waitSignal(runner.results_ready, timeout=10000) as signal:
        runner.search("fox")
    assert signal.args[0].groups[0].match_count == 1
    assert threads and threading.get_ident() not in threads


def test_only_the_newest_query_is_delivered(
    qtbot, store: HistoryStore, runner: SearchRunner
) -> None:
    make_chat(store, "t", "alpha words", "beta words")
    got = collect(runner)
    runner.search("alpha")
    runner.search("beta")  # typed on before the first answer
    qtbot.waitUntil(lambda: not runner.busy, timeout=10000)
    assert [r.query for r in got] == ["beta"]
    runner.search("alpha")
    runner.cancel()  # the field was cleared
    qtbot.waitUntil(lambda: not runner.busy, timeout=10000)
    assert [r.query for r in got] == ["beta"]


def test_a_common_query_gets_the_full_ranking_after_the_first_pass(
    qtbot, store: HistoryStore, runner: SearchRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    conv = store.create_conversation(title="orchard")
    best = store.add_user_message(conv.id, "apple apple apple apple")
    for i in range(40):
        store.add_user_message(conv.id, f"apple {i} " + "filler words " * 10)
    monkeypatch.setattr(search_module, "FULL_RANK_LIMIT", 10)
    got = collect(runner)
    runner.search("apple")
    qtbot.waitUntil(lambda: not runner.busy, timeout=10000)
    assert [r.exact for r in got] == [False, True]
    assert got[0].groups[0].hits[0].message_id != best.id  # the oldest was outside the window
    assert got[1].groups[0].hits[0].message_id == best.id
    assert got[1].groups[0].match_count == 41


def test_panel_groups_hits_per_conversation_with_count_and_terms(qtbot, store) -> None:
    panel = owned_panel(store, undo_seconds=60)
    qtbot.addWidget(panel)
    panel.show()
    a = make_chat(store, "Kitchen", "boil the 数据库 water", "more 数据库 here")
    b = make_chat(store, "Garage", "a 数据库 in the garage")
    panel.refresh()
    panel.set_search_text("数据库")
    qtbot.waitUntil(lambda: not panel.search_busy(), timeout=10000)
    rows = {
        panel.results.index(r, 0).data(Qt.ItemDataRole.UserRole + 1): r
        for r in range(panel.results.rowCount())
    }
    assert panel.results.rowCount() == 2 and set(rows) == {a, b}  # one row per conversation
    kitchen = panel.results.index(rows[a], 0)
    assert "2 matches" in kitchen.data(HtmlRole)
    assert "<b>数据库</b>" in kitchen.data(HtmlRole)
    assert kitchen.data(TermsRole) == ["数据库"]


def test_enter_right_after_typing_opens_the_best_hit_when_it_arrives(qtbot, store) -> None:
    panel = owned_panel(store, undo_seconds=60)
    qtbot.addWidget(panel)
    panel.show()
    target = make_chat(store, "Planets", "saturn 土星 has rings")
    panel.refresh()
    field = panel.findChild(QLineEdit, "historySearch")
    panel.focus_search()
    field.setText("土星")  # typed (QTest types Latin-1 only); the debounce timer starts
    with qtbot.waitSignal(panel.conversation_selected, timeout=10000) as sig:
        qtbot.keyClick(field, Qt.Key.Key_Return)
    assert sig.args[0] == target


def test_this_chat_and_profile_filters(qtbot, store) -> None:
    panel = owned_panel(store, undo_seconds=60)
    qtbot.addWidget(panel)
    panel.show()
    a = store.create_conversation(title="one", profile="work", model="gpt-x")
    store.add_user_message(a.id, "kiwi smoothie")
    b = store.create_conversation(title="two", profile="home", model="llama")
    store.add_user_message(b.id, "kiwi salad")
    panel.refresh()
    panel.select_conversation(a.id)
    panel.set_search_text("kiwi")
    qtbot.waitUntil(lambda: not panel.search_busy(), timeout=10000)
    assert {h.conversation_id for h in panel.results.hits()} == {a.id, b.id}
    assert panel.filters.isVisible()
    panel.filters.this_chat.setChecked(True)
    qtbot.waitUntil(lambda: not panel.search_busy(), timeout=10000)
    assert {h.conversation_id for h in panel.results.hits()} == {a.id}
    panel.filters.this_chat.setChecked(False)
    home = panel.filters.source.findText("Profile: home")
    assert home > 0 and panel.filters.source.findText("Model: gpt-x") > 0
    panel.filters.source.setCurrentIndex(home)
    qtbot.waitUntil(lambda: not panel.search_busy(), timeout=10000)
    assert {h.conversation_id for h in panel.results.hits()} == {b.id}


def test_opening_a_hit_scrolls_to_the_match_inside_the_message_and_selects_it(qtbot) -> None:
    from tests.gui.test_chat_view import conversation, make_view, msg

    long_reply = "intro line\n\n" * 300 + "the 数据库 needle is here\n\n" + "outro\n\n" * 50
    messages = [*conversation(6), msg(7, "assistant", long_reply)]
    view = make_view(qtbot, messages)
    assert view.scroll_to_message(7, terms=["数据库"])
    top_of_message = view.rows.top(view.rows.index_of(7))
    # Far below the message's top: the match itself is on screen, and it is selected.
    assert view.verticalScrollBar().value() > top_of_message + 2000
    assert view.selected_text() == "数据库"
    view.input.selection = None
    assert view.scroll_to_message(7, terms=["not in it"])  # falls back to the message's top
    top_of_message = view.rows.top(view.rows.index_of(7))  # rows above are now laid out
    assert abs(view.verticalScrollBar().value() - (top_of_message - view.rows.spacing)) <= 1
