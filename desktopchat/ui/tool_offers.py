"""Which servers and tools each profile offers: a profile chooser above a tree of servers,
each with its tools (known once the server has run or been tested).

A profile with no choice stored offers every enabled server; ticking boxes stores the
choice as selectors: "server" (all its tools) or "server/tool".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from desktopchat.settings.mcp_servers import McpServerSpec

CHECKED, UNCHECKED = Qt.CheckState.Checked, Qt.CheckState.Unchecked


class ToolOffers(QWidget):
    def __init__(
        self,
        profiles: list[str],
        offers: Mapping[str, tuple[str, ...]],
        servers: Callable[[], list[McpServerSpec]],
        tool_names: Callable[[str], tuple[str, ...]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._offers = dict(offers)
        self._servers = servers
        self._tool_names = tool_names
        self._profile = ""
        self.profile = QComboBox(self)
        self.profile.addItems(profiles)
        self.profile.currentTextChanged.connect(self._show)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("toolOffers")
        self.tree.setHeaderHidden(True)
        self.tree.setMaximumHeight(140)
        self.tree.itemChanged.connect(self._changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.profile)
        layout.addWidget(self.tree)
        self._show(self.profile.currentText())

    def offers(self) -> dict[str, tuple[str, ...]]:
        return dict(self._offers)

    def refresh(self) -> None:
        """The servers or their known tools changed (added, removed, tested)."""
        self._show(self.profile.currentText())

    def _show(self, profile: str) -> None:
        self._profile = profile
        selectors = self._offers.get(profile)
        self.tree.blockSignals(True)
        self.tree.clear()
        for spec in self._servers():
            offered_all = selectors is None or spec.name in selectors
            server = QTreeWidgetItem(self.tree, [spec.name])
            server.setFlags(server.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            server.setData(0, Qt.ItemDataRole.UserRole, spec.name)
            for tool in self._tool_names(spec.name):
                child = QTreeWidgetItem(server, [tool])
                child.setFlags(child.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                chosen = offered_all or f"{spec.name}/{tool}" in (selectors or ())
                child.setCheckState(0, CHECKED if chosen else UNCHECKED)
            some = selectors is not None and any(
                s.startswith(spec.name + "/") for s in selectors)
            server.setCheckState(0, CHECKED if offered_all else
                                 Qt.CheckState.PartiallyChecked if some else UNCHECKED)
        self.tree.blockSignals(False)

    def _changed(self, item: QTreeWidgetItem, _column: int) -> None:
        self.tree.blockSignals(True)
        parent = item.parent()
        if parent is None:  # a server: its tools follow it
            state = CHECKED if item.checkState(0) == CHECKED else UNCHECKED
            for child in _children(item):
                child.setCheckState(0, state)
        else:
            states = {child.checkState(0) for child in _children(parent)}
            parent.setCheckState(0, CHECKED if states == {CHECKED} else UNCHECKED
                                 if states == {UNCHECKED} else Qt.CheckState.PartiallyChecked)
        self.tree.blockSignals(False)
        self._offers[self._profile] = self._selectors()

    def _selectors(self) -> tuple[str, ...]:
        chosen: list[str] = []
        servers = [self.tree.topLevelItem(n) for n in range(self.tree.topLevelItemCount())]
        for server in (s for s in servers if s is not None):
            name = str(server.data(0, Qt.ItemDataRole.UserRole))
            if server.checkState(0) == CHECKED:
                chosen.append(name)
            elif server.checkState(0) == Qt.CheckState.PartiallyChecked:
                chosen += [f"{name}/{child.text(0)}" for child in _children(server)
                           if child.checkState(0) == CHECKED]
        return tuple(chosen)


def _children(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    found = (item.child(n) for n in range(item.childCount()))
    return [child for child in found if child is not None]
