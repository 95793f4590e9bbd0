"""The row of search filters under the search field: this chat, profile or model, date range."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QWidget

from desktopchat.errors import StorageError
from desktopchat.storage.models import SearchFilters
from desktopchat.ui.i18n import translate

if TYPE_CHECKING:
    from desktopchat.storage.store import HistoryStore

DAY = 86400.0


def date_ranges() -> tuple[tuple[str, float | None], ...]:
    """(label, how far back in seconds; None: no limit)."""
    return ((translate("SearchFiltersBar", "Any time"), None),
            (translate("SearchFiltersBar", "Past day"), DAY),
            (translate("SearchFiltersBar", "Past week"), 7 * DAY),
            (translate("SearchFiltersBar", "Past month"), 31 * DAY),
            (translate("SearchFiltersBar", "Past year"), 366 * DAY))


def any_source() -> str:
    return translate("SearchFiltersBar", "Any profile or model")


def filter_choices(store: HistoryStore) -> tuple[list[str], list[str]]:
    """(profiles, models) in the history; none when it cannot be read (filters still work)."""
    try:
        return store.search_filter_choices()
    except StorageError:
        return [], []


class SearchFiltersBar(QWidget):
    """Emits `changed` whenever a filter changes; `current()` reads them as SearchFilters."""

    changed = Signal()

    def __init__(
        self,
        choices: Callable[[], tuple[list[str], list[str]]],
        parent: QWidget | None = None,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("searchFilters")
        self._choices = choices  # (profiles, models) stored in the history, read when opened
        self._clock = clock
        self.this_chat = QCheckBox(translate("SearchFiltersBar", "This chat"), self)
        self.this_chat.setToolTip(translate("SearchFiltersBar",
                                            "Search only the open conversation"))
        self.source = QComboBox(self)
        self.source.setToolTip(translate("SearchFiltersBar",
                                         "Only conversations with this profile or model"))
        self.source.addItem(any_source(), None)
        self.dates = QComboBox(self)
        self.dates.setToolTip(translate("SearchFiltersBar", "Only messages written in this period"))
        for label, span in date_ranges():
            self.dates.addItem(label, span)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.this_chat)
        layout.addWidget(self.source, 1)
        layout.addWidget(self.dates)
        self.this_chat.toggled.connect(self.changed)
        self.source.currentIndexChanged.connect(self.changed)
        self.dates.currentIndexChanged.connect(self.changed)
        self.refresh_choices()

    def refresh_choices(self) -> None:
        """Re-read the profiles and models in the history, keeping the current choice."""
        chosen = self.source.currentData()
        profiles, models = self._choices()
        self.source.blockSignals(True)
        self.source.clear()
        self.source.addItem(any_source(), None)
        for name in profiles:
            self.source.addItem(translate("SearchFiltersBar", "Profile: {name}").format(name=name),
                                ("profile", name))
        for name in models:
            self.source.addItem(translate("SearchFiltersBar", "Model: {name}").format(name=name),
                                ("model", name))
        index = self.source.findData(chosen)
        self.source.setCurrentIndex(max(0, index))
        self.source.blockSignals(False)

    def current(self, conversation_id: int) -> SearchFilters:
        source = self.source.currentData()
        span = self.dates.currentData()
        return SearchFilters(
            conversation_id=(
                conversation_id if self.this_chat.isChecked() and conversation_id >= 0 else None
            ),
            profile=source[1] if source and source[0] == "profile" else None,
            model=source[1] if source and source[0] == "model" else None,
            since=None if span is None else self._clock() - float(span),
        )
