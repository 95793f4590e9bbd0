"""Settings → Tools: MCP servers (stdio and Streamable HTTP), their status and a Test
button, pasting an `mcpServers` block, the step limit, and the "always allowed" list.

The page edits drafts; `save()` (called by the dialog's Save) writes tools.json and puts
secret header values in the keyring. Server text (errors, tool names) is shown as plain
text: a server is as untrusted as a model.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field, replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktopchat.errors import SecretStoreError, ToolConfigError, ToolError
from desktopchat.secrets import SecretStore
from desktopchat.settings.mcp_servers import McpServerSpec, parse_mcp_servers_json
from desktopchat.settings.tool_settings import STEP_LIMIT_RANGE, ToolSettings, ToolSettingsStore
from desktopchat.tools import ToolHost
from desktopchat.ui.appearance import show_as_error
from desktopchat.ui.error_text import shown_error
from desktopchat.ui.form_scroll import FormScrollArea
from desktopchat.ui.i18n import translate
from desktopchat.ui.mcp_server_form import McpServerForm
from desktopchat.ui.tool_offers import ToolOffers


@dataclass(frozen=True)
class ToolsContext:
    """What the Tools page needs besides the keyring: handed in by the composition root."""

    settings: ToolSettings
    store: ToolSettingsStore
    host: ToolHost


@dataclass
class ServerDraft:
    """A server as edited on the page; becomes a McpServerSpec on save."""

    spec: McpServerSpec
    secret_values: dict[str, str] = field(default_factory=dict)  # only the ones typed here


def _plain(label: QLabel) -> QLabel:
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


class ToolsPage(QWidget):
    def __init__(
        self,
        settings: ToolSettings,
        store: ToolSettingsStore,
        secrets: SecretStore,
        host: ToolHost,
        start: Callable[[Coroutine[object, object, None]], object],
        parent: QWidget | None = None,
        profiles: list[str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("toolsPage")
        self._settings = settings
        self._store = store
        self._secrets = secrets
        self._host = host
        self._start = start
        self._drafts = [ServerDraft(spec) for spec in settings.servers]
        self._removed: list[McpServerSpec] = []
        self._always = set(settings.always_allowed)
        self._showing = -1

        self.server_list = QListWidget(self)
        self.server_list.setObjectName("mcpServerList")
        self.server_list.setMaximumWidth(220)
        self.server_list.currentRowChanged.connect(self._show)
        self.server_list.itemChanged.connect(self._enabled_toggled)
        add_stdio = QPushButton(translate("ToolsPage", "Add stdio…"), self)
        add_stdio.clicked.connect(lambda: self._add("stdio"))
        add_http = QPushButton(translate("ToolsPage", "Add HTTP…"), self)
        add_http.clicked.connect(lambda: self._add("http"))
        self.import_button = QPushButton(translate("ToolsPage", "Import…"), self)
        self.import_button.setToolTip(
            translate("ToolsPage", "Paste an mcpServers block from Claude Desktop, Cursor…"))
        self.import_button.clicked.connect(self._import)
        self.remove_button = QPushButton(translate("ToolsPage", "Remove"), self)
        self.remove_button.clicked.connect(self._remove)
        left = QVBoxLayout()
        left.addWidget(self.server_list, 1)
        for button in (add_stdio, add_http, self.import_button, self.remove_button):
            left.addWidget(button)

        self.form = McpServerForm(self)
        self.warning = self.form.warning
        self.status = _plain(QLabel("", self))
        self.status.setObjectName("mcpStatus")
        self.test_button = QPushButton(translate("ToolsPage", "Test"), self)
        self.test_button.clicked.connect(lambda: self._start(self._test()))
        self.problem = _plain(QLabel("", self))
        self.problem.setObjectName("mcpProblem")
        show_as_error(self.problem)
        self.editor = QWidget(self)
        right = QVBoxLayout(self.editor)
        right.addWidget(self.form)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.status, 1)
        right.addLayout(test_row)
        right.addWidget(self.problem)
        right.addStretch(1)

        self.step_limit = QSpinBox(self)
        self.step_limit.setRange(*STEP_LIMIT_RANGE)
        self.step_limit.setValue(settings.step_limit)
        self.always_list = QListWidget(self)
        self.always_list.setObjectName("alwaysAllowedList")
        self.always_list.setMaximumHeight(90)
        self.revoke_button = QPushButton(translate("ToolsPage", "Revoke"), self)
        self.revoke_button.clicked.connect(self._revoke)
        bottom = QFormLayout()
        bottom.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        bottom.addRow(translate("ToolsPage", "Tool steps per message"), self.step_limit)
        always_row = QHBoxLayout()
        always_row.addWidget(self.always_list, 1)
        always_row.addWidget(self.revoke_button, 0, Qt.AlignmentFlag.AlignTop)
        bottom.addRow(translate("ToolsPage", "Always allowed"), always_row)
        self.offers = ToolOffers(
            profiles or [], settings.profile_offers,
            lambda: [d.spec for d in self._drafts],
            lambda name: self._host.status(name).tool_names, self)
        bottom.addRow(translate("ToolsPage", "Offered to profile"), self.offers)

        top = QHBoxLayout()
        top.addLayout(left, 0)
        # Scrolled, so the dialog fits a short screen (1080p at 1.5x) at larger font sizes.
        editor_area = FormScrollArea(self.editor, self)  # never narrower than its fields
        editor_area.setFrameShape(QFrame.Shape.NoFrame)
        top.addWidget(editor_area, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top, 1)
        layout.addLayout(bottom)
        for draft in self._drafts:
            self._append_item(draft)
        self._fill_always()
        if self._drafts:
            self.server_list.setCurrentRow(0)
        else:
            self._show(-1)

    # ---- list ------------------------------------------------------------------------

    def _append_item(self, draft: ServerDraft) -> None:
        item = QListWidgetItem(draft.spec.name)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if draft.spec.enabled else Qt.CheckState.Unchecked)
        item.setToolTip(translate("ToolsPage", "Checked: offered to models"))
        self.server_list.addItem(item)

    def _unique(self, base: str) -> str:
        names = {d.spec.name for d in self._drafts}
        name, n = base, 1
        while name in names:
            n += 1
            name = f"{base} {n}"
        return name

    def _add(self, transport: str) -> None:
        name, ok = QInputDialog.getText(self, translate("ToolsPage", "New MCP server"),
                                        translate("ToolsPage", "Name:"))
        if not ok or not name.strip():
            return
        name = self._unique(name.strip())
        try:
            spec = (McpServerSpec(name=name, command="command-to-run") if transport == "stdio"
                    else McpServerSpec(name=name, transport="http", url="https://"))
        except ToolConfigError as exc:
            self.problem.setText(shown_error(exc))
            return
        self.add_draft(ServerDraft(spec))

    def add_draft(self, draft: ServerDraft) -> None:
        self._drafts.append(draft)
        self._append_item(draft)
        self.offers.refresh()
        self.server_list.setCurrentRow(len(self._drafts) - 1)

    def import_text(self, text: str) -> str:
        """Add the servers of a pasted `mcpServers` block; returns what happened, in words."""
        try:
            parsed = parse_mcp_servers_json(text)
        except ToolConfigError as exc:
            return shown_error(exc)
        for spec in parsed.specs:
            name = self._unique(spec.name)
            self.add_draft(ServerDraft(replace(spec, name=name),
                                       dict(parsed.secrets.get(spec.name, {}))))
        added = ", ".join(s.name for s in parsed.specs)
        if parsed.skipped:
            return translate("ToolsPage", "Added {servers}. Skipped: {skipped}").format(
                servers=added, skipped=" ".join(parsed.skipped))
        return translate("ToolsPage", "Added {servers}.").format(servers=added)

    def _import(self) -> None:
        text, ok = QInputDialog.getMultiLineText(
            self, translate("ToolsPage", "Import MCP servers"),
            translate("ToolsPage", "Paste the mcpServers JSON (Claude Desktop, Cursor…):"))
        if ok and text.strip():
            self.problem.setText(self.import_text(text))

    def _remove(self) -> None:
        row = self.server_list.currentRow()
        if row < 0:
            return
        self._store_editor()
        draft = self._drafts.pop(row)
        self._removed.append(draft.spec)
        self._showing = -1
        self.server_list.takeItem(row)
        self.offers.refresh()
        self._always = {p for p in self._always if p[0] != draft.spec.name}
        self._fill_always()

    def _enabled_toggled(self, item: QListWidgetItem) -> None:
        row = self.server_list.row(item)
        if 0 <= row < len(self._drafts):
            enabled = item.checkState() == Qt.CheckState.Checked
            draft = self._drafts[row]
            if draft.spec.enabled != enabled:
                draft.spec = replace(draft.spec, enabled=enabled)

    # ---- editor ----------------------------------------------------------------------

    def _show(self, row: int) -> None:
        problem = self._store_editor()
        if problem and 0 <= self._showing < len(self._drafts) and row != self._showing:
            # Stay on the server being edited until its fields make sense: leaving would
            # silently drop what was typed.
            self.server_list.blockSignals(True)
            self.server_list.setCurrentRow(self._showing)
            self.server_list.blockSignals(False)
            self.problem.setText(problem)
            return
        self._showing = row
        self.editor.setEnabled(row >= 0)
        if row < 0 or row >= len(self._drafts):
            return
        spec = self._drafts[row].spec
        self.form.load(spec)
        self._show_status(spec.name)
        self.problem.setText("")

    def _store_editor(self) -> str | None:
        """Fold the editor's fields into the draft being shown; returns what is wrong with
        them (the draft then keeps its last valid form)."""
        row = self._showing
        if row < 0 or row >= len(self._drafts):
            return None
        draft = self._drafts[row]
        try:
            draft.spec, typed_secrets = self.form.applied_to(draft.spec)
            draft.secret_values.update(typed_secrets)
        except ToolConfigError as exc:
            self.problem.setText(shown_error(exc))
            return shown_error(exc)
        return None

    def _show_status(self, name: str) -> None:
        status = self._host.status(name)
        if status.connected:
            text = translate("ToolsPage", "Connected · {count} tools").format(
                count=status.tool_count)
        elif status.last_error:
            text = translate("ToolsPage", "Last error: {problem}").format(
                problem=status.last_error)
        else:
            text = translate("ToolsPage", "Not started (servers start when first needed)")
        self.status.setText(text)

    async def _test(self) -> None:
        self._store_editor()
        row = self._showing
        if row < 0:
            return
        spec = self._drafts[row].spec
        self.test_button.setEnabled(False)
        self.status.setText(translate("ToolsPage", "Starting…"))
        try:
            tools = await self._host.test(spec)
            names = ", ".join(t.name for t in tools[:20]) or translate("ToolsPage", "no tools")
            text = translate("ToolsPage", "Connected · {count} tools: {names}").format(
                count=len(tools), names=names)
        except ToolError as exc:
            text = translate("ToolsPage", "Failed: {problem}").format(problem=shown_error(exc))
        with contextlib.suppress(RuntimeError):  # the page may be gone with the dialog
            self.test_button.setEnabled(True)
            self.status.setText(text)
            self.offers.refresh()  # the server's tools can be chosen now

    # ---- always allowed ------------------------------------------------------------------

    def _fill_always(self) -> None:
        self.always_list.clear()
        for server, tool in sorted(self._always):
            item = QListWidgetItem(f"{tool} ({server})")
            item.setData(Qt.ItemDataRole.UserRole, (server, tool))
            self.always_list.addItem(item)
        self.revoke_button.setEnabled(bool(self._always))

    def _revoke(self) -> None:
        item = self.always_list.currentItem()
        if item is not None:
            self._always.discard(tuple(item.data(Qt.ItemDataRole.UserRole)))
            self._fill_always()

    # ---- save ----------------------------------------------------------------------------

    def problems(self) -> list[str]:
        editing = self._store_editor()
        names = [d.spec.name for d in self._drafts]
        dupes = sorted({n for n in names if names.count(n) > 1})
        named_twice = [translate("ToolsPage", "Two MCP servers are called “{name}”.").format(
            name=n) for n in dupes]
        return ([editing] if editing else []) + named_twice

    def tool_settings(self) -> ToolSettings:
        self._store_editor()
        return replace(
            self._settings,
            servers=tuple(d.spec for d in self._drafts),
            step_limit=self.step_limit.value(),
            always_allowed=frozenset(self._always),
            profile_offers=self.offers.offers(),
        )

    def save(self) -> tuple[ToolSettings, list[str]]:
        """Write tools.json and the secret headers; returns the settings and key problems."""
        settings = self.tool_settings()
        problems: list[str] = []
        try:
            self._store.save(settings)
        except OSError as exc:
            return self._settings, [translate(
                "ToolsPage", "The tools file could not be written ({problem}).").format(
                    problem=exc.strerror or exc)]
        for draft in self._drafts:
            for header, value in draft.secret_values.items():
                try:
                    self._secrets.set_mcp_header(draft.spec.name, header, value)
                except SecretStoreError as exc:
                    problems.append(f"{draft.spec.name}: {shown_error(exc, sep=' ')}")
            draft.secret_values.clear()
        for spec in self._removed:
            with contextlib.suppress(SecretStoreError):
                self._secrets.delete_mcp_headers(spec.name, spec.secret_headers)
            self._start(stop_quietly(self._host, spec.name))
        self._removed.clear()
        self._settings = settings
        return settings, problems


async def stop_quietly(host: ToolHost, name: str) -> None:
    """Stop a removed server; it is gone from the settings whatever happens here."""
    with contextlib.suppress(ToolError):
        await host.stop_server(name)
