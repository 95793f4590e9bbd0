"""Settings dialog (Ctrl+,): profiles with their keys, and preferences.

Each profile gets its own form (kept in a stack), so switching profiles never loses an
unfinished edit. Nothing is written until Save: then the settings file first (validated,
atomic), then the keyring (renames, new keys, cleared keys, removed profiles).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import Coroutine
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktopchat.core.providers import PRESETS, Preset
from desktopchat.errors import ApiError, InsecureTransportError, SecretStoreError, SettingsError
from desktopchat.settings import Settings, profile_from_preset
from desktopchat.ui import plain_text
from desktopchat.ui.appearance import show_as_error
from desktopchat.ui.error_text import shown_error
from desktopchat.ui.form_scroll import FormScrollArea
from desktopchat.ui.i18n import translate
from desktopchat.ui.plain_text import isolated, new_label, tooltip
from desktopchat.ui.preset_names import preset_label
from desktopchat.ui.profile_list import ProfileList
from desktopchat.ui.settings_actions import describe_error, fetch_models, test_connection
from desktopchat.ui.settings_preferences import PreferencesForm
from desktopchat.ui.settings_profile_form import ProfileForm
from desktopchat.ui.settings_tools_page import ToolsContext, ToolsPage
from desktopchat.ui.tab_order import dialog_tab_order
from desktopchat.ui.window_geometry import fit_to_screen

if TYPE_CHECKING:
    from desktopchat.secrets import SecretStore
    from desktopchat.settings import Profile, SettingsStore


class SettingsDialog(QDialog):
    """Edits a copy of the settings; Save writes them and emits settings_saved(new Settings)."""

    settings_saved = Signal(object)
    models_fetched = Signal(str, object)  # profile name, model ids: the toolbar lists them
    tool_settings_saved = Signal(object)  # ToolSettings, when the Tools page was shown

    def __init__(
        self,
        settings: Settings,
        settings_store: SettingsStore,
        secrets: SecretStore,
        parent: QWidget | None = None,
        tools: ToolsContext | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("SettingsDialog", "Settings"))
        self.setObjectName("settingsDialog")
        fit_to_screen(self, QSize(880, 680))
        self._store = settings_store
        self._secrets = secrets
        self._forms: list[ProfileForm] = []
        self._new_forms: set[int] = set()  # id() of forms added in this dialog
        self._removed: list[str] = []  # keyring names of removed existing profiles
        self._active_form: ProfileForm | None = None
        self._tasks: set[asyncio.Future[None]] = set()
        self.last_task: asyncio.Future[None] | None = None

        self.profile_list = ProfileList(self)  # as wide as its longest name
        self.profile_list.setObjectName("profileList")
        self.profile_list.currentRowChanged.connect(self._show_form)
        # A push button like its neighbours, with its menu's arrow beside the word.
        self.add_button = QPushButton(translate("SettingsDialog", "Add"), self)
        self.add_menu = QMenu(self.add_button)
        for info in PRESETS:
            self.add_menu.addAction(preset_label(info),
                                    functools.partial(self.add_profile, info))
        self.add_button.setMenu(self.add_menu)
        self.duplicate_button = QPushButton(translate("SettingsDialog", "Duplicate"), self)
        self.duplicate_button.clicked.connect(self.duplicate_profile)
        self.rename_button = QPushButton(translate("SettingsDialog", "Rename"), self)
        self.rename_button.clicked.connect(self.rename_profile)
        self.remove_button = QPushButton(translate("SettingsDialog", "Remove"), self)
        self.remove_button.clicked.connect(self.remove_profile)
        # Two by two, not in one row: four buttons side by side made the list's column
        # wider than the profile's fields, and Settings wider than a screen at a large font.
        buttons = QGridLayout()
        for index, button in enumerate((self.add_button, self.duplicate_button,
                                        self.rename_button, self.remove_button)):
            buttons.addWidget(button, index // 2, index % 2)
        left = QVBoxLayout()
        left.addWidget(self.profile_list, 1)
        left.addLayout(buttons)
        self.stack = QStackedWidget(self)
        profiles_tab = QWidget(self)
        row = QHBoxLayout(profiles_tab)
        row.addLayout(left, 0)
        row.addWidget(self.stack, 1)

        self.preferences = PreferencesForm(settings.preferences, self)
        self.preferences.active_profile.currentIndexChanged.connect(self._active_chosen)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(profiles_tab, translate("SettingsDialog", "Profiles"))
        self.tabs.addTab(self.preferences, translate("SettingsDialog", "Preferences"))
        self.tools_page: ToolsPage | None = None
        if tools is not None:
            self.tools_page = ToolsPage(
                tools.settings, tools.store, secrets, tools.host, self.start, self,
                profiles=[p.name for p in settings.profiles]
            )
            self.tabs.addTab(self.tools_page, translate("SettingsDialog", "Tools"))

        self.summary = new_label(self)
        self.summary.setObjectName("settingsSummary")
        self.summary.setWordWrap(True)
        show_as_error(self.summary)
        self.button_box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = self.button_box.button(QDialogButtonBox.StandardButton.Save)
        self.button_box.accepted.connect(self.accept)
        self.button_box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.button_box)
        # Tab: tab bar, the page's fields, Save, Cancel (forms come and go: re-ordered then).
        self.tab_order = dialog_tab_order(self, self.tabs, self.button_box,
                                          lambda: [self.stack, *self._forms])

        active = settings.active_profile()
        for profile in settings.profiles:
            form = self._add_form(profile, new=False)
            if active is not None and profile.name == active.name:
                self._active_form = form
        self._names_changed()
        if self._forms:
            self.profile_list.setCurrentRow(self._forms.index(self._active_form)
                                            if self._active_form else 0)

    # ---- profiles list ------------------------------------------------------------------

    def forms(self) -> list[ProfileForm]:
        return list(self._forms)

    def current_form(self) -> ProfileForm | None:
        row = self.profile_list.currentRow()
        return self._forms[row] if 0 <= row < len(self._forms) else None

    def _add_form(self, profile: Profile, *, new: bool) -> ProfileForm:
        form = ProfileForm(profile, self._secrets)
        form.edited.connect(self._names_changed)
        form.test_button.clicked.connect(lambda: self.start(self._test(form)))
        form.fetch_models.clicked.connect(lambda: self.start(self._fetch(form)))
        self.stack.addWidget(FormScrollArea(form, self))  # never narrower than its fields
        self._forms.append(form)
        if new:
            self._new_forms.add(id(form))
        self.profile_list.addItem(QListWidgetItem(profile.name))
        return form

    def _unique(self, base: str) -> str:
        names = {f.name.text().strip().casefold() for f in self._forms}
        name, n = base, 2
        while name.casefold() in names:
            name, n = f"{base} {n}", n + 1
        return name

    def add_profile(self, info: Preset) -> ProfileForm:
        name = self._unique(preset_label(info))
        form = self._add_form(profile_from_preset(info, name=name), new=True)
        self._names_changed()
        self.profile_list.setCurrentRow(len(self._forms) - 1)
        return form

    def duplicate_profile(self) -> ProfileForm | None:
        source = self.current_form()
        if source is None:
            return None
        copy = source.profile()
        copy.name = self._unique(translate("SettingsDialog", "{name} copy")
                                 .format(name=isolated(source.name.text().strip())))
        form = self._add_form(copy, new=True)
        self._names_changed()
        self.profile_list.setCurrentRow(len(self._forms) - 1)
        return form

    def rename_profile(self) -> None:
        """Renaming is editing the Name field: put the cursor there."""
        form = self.current_form()
        if form is not None:
            self.tabs.setCurrentIndex(0)
            form.name.setFocus(Qt.FocusReason.OtherFocusReason)
            form.name.selectAll()

    def remove_profile(self) -> None:
        row = self.profile_list.currentRow()
        if not 0 <= row < len(self._forms):
            return
        form = self._forms.pop(row)
        if id(form) not in self._new_forms:
            self._removed.append(form.original_name)
        if self._active_form is form:
            self._active_form = None
        scroll = self.stack.widget(row)
        if scroll is not None:
            self.stack.removeWidget(scroll)
            scroll.deleteLater()
        self.profile_list.takeItem(row)
        self._names_changed()

    def _show_form(self, row: int) -> None:
        if 0 <= row < self.stack.count():
            self.stack.setCurrentIndex(row)

    def _active_chosen(self, index: int) -> None:
        self._active_form = self._forms[index] if 0 <= index < len(self._forms) else None

    # ---- validation ------------------------------------------------------------------------

    def _names_changed(self) -> None:
        for row, form in enumerate(self._forms):
            item = self.profile_list.item(row)
            if item is not None:
                item.setText(form.name.text().strip() or translate("SettingsDialog", "(no name)"))
        self.profile_list.updateGeometry()  # its minimum width follows the longest name
        names = [f.name.text().strip() for f in self._forms]
        if self._active_form not in self._forms:
            self._active_form = self._forms[0] if self._forms else None
        selected = self._forms.index(self._active_form) if self._active_form else -1
        self.preferences.set_profile_names(names, selected)
        self.validate()

    def validate(self) -> bool:
        """Show every problem beside its field; Save is enabled only when there are none."""
        keys = [form.name.text().strip().casefold() for form in self._forms]
        bad: list[str] = []
        for row, form in enumerate(self._forms):
            errors = form.errors()
            if keys[row] and keys.count(keys[row]) > 1 and "name" not in errors:
                errors["name"] = translate(
                    "SettingsDialog", "Another profile is already called “{name}”."
                ).format(name=isolated(form.name.text()))
            form.show_errors(errors)
            item = self.profile_list.item(row)
            if item is not None:
                item.setForeground(Qt.GlobalColor.red if errors else
                                   self.profile_list.palette().text().color())
                item.setToolTip(tooltip("\n".join(errors.values())))
            if errors:
                bad.append(form.name.text().strip() or translate("SettingsDialog", "(no name)"))
        tool_problems = self.tools_page.problems() if self.tools_page else []
        fix = translate("SettingsDialog", "Fix the marked fields in: {profiles}")
        lines = ([fix.format(profiles=", ".join(bad))] if bad else []) + tool_problems
        self.summary.setText("\n".join(lines))
        self.summary.setVisible(bool(lines))
        self.save_button.setEnabled(not bad)
        return not lines

    def new_settings(self) -> Settings:
        prefs = self.preferences.preferences()
        prefs.active_profile = self._active_form.name.text().strip() if self._active_form else ""
        return Settings(profiles=[f.profile() for f in self._forms], preferences=prefs)

    # ---- save -----------------------------------------------------------------------------

    def accept(self) -> None:
        if not self.validate():
            return
        settings = self.new_settings()
        try:
            self._store.save(settings)
        except SettingsError as exc:
            lines = [f"{k}: {v}" for k, v in (exc.field_errors or {}).items()] or [exc.message]
            plain_text.warning(self, translate("SettingsDialog", "Settings not saved"),
                               shown_error(exc, "\n".join(lines)))
            return
        problems = self._apply_secrets()
        self.settings_saved.emit(settings)
        if self.tools_page is not None:
            tool_settings, tool_problems = self.tools_page.save()
            problems += tool_problems
            self.tool_settings_saved.emit(tool_settings)
        if problems:
            # Settings are saved; the key problem is shown and the dialog stays open so the
            # user can choose "for this run only" or fix the keyring.
            plain_text.warning(self, translate("SettingsDialog", "Key not stored"),
                               "\n".join(problems))
            return
        super().accept()

    def _apply_secrets(self) -> list[str]:
        problems: list[str] = []
        usable = self._secrets.status().usable
        for name in self._removed:
            if usable:
                try:
                    self._secrets.delete_profile(name)
                except SecretStoreError as exc:
                    problems.append(f"{name}: {shown_error(exc, sep=' ')}")
        self._removed = []
        for form in self._forms:
            name = form.name.text().strip()
            try:
                if form.original_name != name and id(form) not in self._new_forms:
                    self._secrets.rename_profile(form.original_name, name)
                form.original_name = name
                form.key.apply(name)
                form.proxy_password.apply(name)
            except SecretStoreError as exc:
                problems.append(f"{name}: {shown_error(exc, sep=' ')}")
        self._new_forms.clear()
        return problems

    # ---- network actions --------------------------------------------------------------------

    def start(self, coro: Coroutine[object, object, None]) -> asyncio.Future[None]:
        """Run on the app's asyncio (qasync) loop; cancelled if the dialog closes first."""
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        self.last_task = task
        return task

    def done(self, result: int) -> None:
        for task in list(self._tasks):
            task.cancel()
        super().done(result)

    async def _secrets_for(self, form: ProfileForm) -> tuple[str | None, str | None]:
        """The key and proxy password to test with, read off the UI thread."""
        name = form.original_name
        return await form.key.effective_key(), await form.proxy_password.effective(name)

    async def _test(self, form: ProfileForm) -> None:
        errors = form.errors()
        if errors:
            form.test_result.setText(translate("SettingsDialog", "Fix the marked fields first."))
            return
        form.test_button.setEnabled(False)
        form.test_result.setText(translate("SettingsDialog", "Testing…"))
        key, proxy_pw = await self._secrets_for(form)
        try:
            outcome = await test_connection(form.profile(), api_key=key, proxy_password=proxy_pw)
        finally:
            with contextlib.suppress(RuntimeError):  # the form may be gone with the dialog
                form.test_button.setEnabled(True)
        mark = "✔" if outcome.ok else "✘"
        form.test_result.setText(f"{mark} {outcome.message}")
        form.test_result.setProperty("ok", outcome.ok)

    async def _fetch(self, form: ProfileForm) -> None:
        form.fetch_models.setEnabled(False)
        form.models_status.setText(translate("SettingsDialog", "Fetching the model list…"))
        form.models_status.show()
        key, proxy_pw = await self._secrets_for(form)
        try:
            models = await fetch_models(form.profile(), api_key=key, proxy_password=proxy_pw)
        except (ApiError, InsecureTransportError, ValueError) as exc:
            form.models_status.setText(
                describe_error(exc) if isinstance(exc, ApiError | InsecureTransportError)
                else str(exc))
            return
        finally:
            with contextlib.suppress(RuntimeError):
                form.fetch_models.setEnabled(True)
        form.set_models(models)
        self.models_fetched.emit(form.profile().name, models)
        form.models_status.setText(
            translate("SettingsDialog", "{count} models available.").format(count=len(models))
            if models else translate("SettingsDialog", "The provider listed no models."))
