"""The sidebar's search: the query box (Ctrl+K), its filters, and the results it shows.

Search runs on a worker thread with its own connection (search_worker.py); results come back
by signal, so typing never waits on SQLite. This object owns the query box, the debounce, the
worker, the filters bar and the results list; the panel lays them out and says which chat is
open and which one waits for Undo.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QListView, QStackedWidget, QWidget

from desktopchat.ui.history_delegate import SearchHitDelegate
from desktopchat.ui.history_search import SearchResultsModel
from desktopchat.ui.i18n import translate
from desktopchat.ui.plain_text import new_label
from desktopchat.ui.search_filters import SearchFiltersBar, filter_choices
from desktopchat.ui.search_worker import SearchRunner

if TYPE_CHECKING:
    from desktopchat.storage.models import SearchResults
    from desktopchat.storage.store import HistoryStore

SEARCH_DEBOUNCE_MS = 100  # the worker cancels a stale query, so this can be short
OPEN_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class HistorySearchBox(QObject):
    """Query box -> worker -> results; `open_index` opens a hit or a chat."""

    def __init__(
        self,
        panel: QWidget,
        store: HistoryStore,
        *,
        open_index: Callable[[QModelIndex], None],
        current_id: Callable[[], int],
        pending_delete: Callable[[], int | None],
    ) -> None:
        super().__init__(panel)
        self._open_index = open_index
        self._current_id = current_id
        self._pending_delete = pending_delete

        self.edit = QLineEdit(panel)
        self.edit.setObjectName("historySearch")
        self.edit.setPlaceholderText(translate("HistorySearchBox", "Search chats (Ctrl+K)"))
        self.edit.setClearButtonEnabled(True)
        self.edit.textChanged.connect(self._on_text)
        self.edit.installEventFilter(self)
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self.debounce.timeout.connect(self.run)
        self._open_when_ready = False
        self.searcher = SearchRunner(store.path, store.busy_timeout, self)
        self.searcher.results_ready.connect(self._show_results)
        self.searcher.failed.connect(self._show_failure)
        self.filters = SearchFiltersBar(lambda: filter_choices(store), panel)
        self.filters.changed.connect(self._filters_changed)
        self.filters.hide()  # shown while searching

        self.results = SearchResultsModel(self)
        self.results_view = QListView(panel)
        self.results_view.setObjectName("historyResults")
        self.results_view.setModel(self.results)
        self.results_view.setItemDelegate(SearchHitDelegate(self.results_view))
        self.results_view.setUniformItemSizes(True)
        self.results_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results_view.clicked.connect(open_index)

        self.no_matches = new_label(translate("HistorySearchBox", "No matches"), panel)
        self.no_matches.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.no_matches.setWordWrap(True)
        self.no_matches.setContentsMargins(8, 16, 8, 8)

        self.stack = QStackedWidget(panel)
        self.stack.addWidget(self.results_view)
        self.stack.addWidget(self.no_matches)
        self._list_view: QListView | None = None  # the chat list: see show_list

    def show_list(self, list_view: QListView) -> None:
        """The chat list: shown whenever no query is typed. Tab reaches it before the hits."""
        self._list_view = list_view
        self.stack.insertWidget(0, list_view)
        self.stack.setCurrentWidget(list_view)
        QWidget.setTabOrder(list_view, self.results_view)

    def text(self) -> str:
        return self.edit.text()

    def busy(self) -> bool:
        """True while a typed query waits for its debounce or its (final) results."""
        return self.debounce.isActive() or self.searcher.busy

    def searching(self) -> bool:
        return self.stack.currentWidget() is not self._list_view

    def rerun_soon(self) -> None:
        """The history changed: search again (after the debounce) if a query is typed."""
        if self.edit.text().strip():
            self.debounce.start()

    def rerun_now(self) -> None:
        if self.edit.text().strip():
            self.run()

    def run(self) -> None:
        """Ask the search worker; the results arrive in _show_results (UI never waits)."""
        self.debounce.stop()
        text = self.edit.text().strip()
        if not text:
            return
        self.searcher.search(text, self.filters.current(self._current_id()))

    def current_view(self) -> QListView:
        if self._list_view is None or self.searching():
            return self.results_view
        return self._list_view

    def _filters_changed(self) -> None:
        self.rerun_now()

    def _on_text(self, text: str) -> None:
        if not text.strip():
            self.debounce.stop()
            self.searcher.cancel()
            self._open_when_ready = False
            self.results.set_results(None)
            if self._list_view is not None:
                self.stack.setCurrentWidget(self._list_view)
            self.filters.hide()
            return
        if not self.filters.isVisible():
            self.filters.refresh_choices()
            self.filters.show()
        self.debounce.start()

    def _show_results(self, results: SearchResults) -> None:
        self.results.set_results(results, hide=self._pending_delete())
        if self.results.rowCount():
            self.results_view.setCurrentIndex(self.results.index(0, 0))
            self.stack.setCurrentWidget(self.results_view)
        else:
            # A first pass that ran out of time may find nothing yet: the full pass follows.
            self.no_matches.setText(
                translate("HistorySearchBox", "No matches")
                if results.exact
                else translate("HistorySearchBox", "Searching…")
            )
            self.stack.setCurrentWidget(self.no_matches)
        if self._open_when_ready and (results.exact or self.results.rowCount()):
            self._open_when_ready = False
            self._open_index(self.results_view.currentIndex())

    def _show_failure(self, message: str) -> None:
        self._open_when_ready = False
        self.no_matches.setText(translate("HistorySearchBox", "Search failed: {0}").format(message))
        self.stack.setCurrentWidget(self.no_matches)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is not self.edit
            or event.type() != QEvent.Type.KeyPress
            or not isinstance(event, QKeyEvent)
        ):
            return super().eventFilter(watched, event)
        key = event.key()
        if key == Qt.Key.Key_Escape and self.edit.text():
            self.edit.clear()
            return True
        if key in OPEN_KEYS:
            if self.debounce.isActive():
                self.run()  # Enter right after typing: do not wait for the timer
            if self.searcher.busy and self.edit.text().strip():
                self._open_when_ready = True  # open the best hit once it arrives
                return True
            self._open_index(self.current_view().currentIndex())
            return True
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            self.move_current(1 if key == Qt.Key.Key_Down else -1)
            return True
        return super().eventFilter(watched, event)

    def move_current(self, step: int) -> None:
        """Arrow keys in the query box move through the list shown, skipping headers."""
        view = self.current_view()
        model = view.model()
        row = view.currentIndex().row() + step
        while 0 <= row < model.rowCount():
            index = model.index(row, 0)
            if index.flags() & Qt.ItemFlag.ItemIsSelectable:
                view.setCurrentIndex(index)
                return
            row += step
