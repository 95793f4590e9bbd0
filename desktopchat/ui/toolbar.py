"""The chat toolbar: active profile, model, temperature, web search and its options.

It only shows and edits values; `profile_edited(Profile)` carries the changed
profile to the main window, which saves the settings and hands them on.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QMenu,
    QSpinBox,
    QToolBar,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from desktopchat.core.request import FRESHNESS, LANGS, MAX_RESULTS_RANGE, MODES, WebSearchOptions
from desktopchat.settings import TEMPERATURE_RANGE
from desktopchat.ui.i18n import translate
from desktopchat.ui.icons import IconName, IconSet
from desktopchat.ui.plain_text import new_label, plain_labels
from desktopchat.ui.toolbar_fit import ToolbarFit
from desktopchat.ui.web_search_choices import add_choices, choose, chosen

if TYPE_CHECKING:
    from desktopchat.settings import Profile, Settings


NO_TEMPERATURE = -0.1  # the spin box's special value: "let the endpoint decide"


class ChatToolbar(QToolBar):
    profile_chosen = Signal(str)
    profile_edited = Signal(object)  # the Profile with model/temperature/web search changed
    models_requested = Signal()
    default_requested = Signal()  # make this chat's profile and model the default for new chats

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(translate("ChatToolbar", "Chat"), parent)
        self._model_lists: dict[str, list[str]] = {}  # the last fetched list per profile
        self.setObjectName("chatToolbar")
        self.setMovable(False)
        self._profile: Profile | None = None
        self._updating = False

        self.profile_combo = QComboBox(self)
        self.profile_combo.setObjectName("profileCombo")
        self.profile_combo.setToolTip(translate("ChatToolbar", "Endpoint profile"))
        self.profile_combo.setMinimumContentsLength(12)
        self.profile_combo.currentTextChanged.connect(self._profile_picked)
        self.model_combo = QComboBox(self)
        self.model_combo.setObjectName("modelCombo")
        self.model_combo.setEditable(True)
        self.model_combo.setMinimumContentsLength(18)
        self.model_combo.setToolTip(
            translate("ChatToolbar", "Model: pick from the endpoint's list or type a name"))
        model_edit = self.model_combo.lineEdit()
        assert model_edit is not None  # an editable combo box always has its line edit
        model_edit.setPlaceholderText(translate("ChatToolbar", "default model"))
        model_edit.editingFinished.connect(self._edited)
        self.model_combo.activated.connect(lambda _i: self._edited())
        self.refresh_models = QToolButton(self)
        self.refresh_models.setObjectName("refreshModels")
        self.refresh_models.setText("⟳")  # until set_icons gives it the icon set's arrow
        self.refresh_models.setToolTip(translate("ChatToolbar",
                                                 "Fetch the model list from the endpoint"))
        self.refresh_models.clicked.connect(self.models_requested.emit)
        self.temperature = QDoubleSpinBox(self)
        self.temperature.setObjectName("temperatureSpin")
        self.temperature.setRange(NO_TEMPERATURE, TEMPERATURE_RANGE[1])
        self.temperature.setSingleStep(0.1)
        self.temperature.setDecimals(1)
        self.temperature.setSpecialValueText(translate("ChatToolbar", "default"))
        self.temperature.setToolTip(
            translate("ChatToolbar", "Temperature 0–2 (“default” lets the endpoint choose)"))
        self.temperature.editingFinished.connect(self._edited)
        self.temperature.valueChanged.connect(lambda _v: self._edited())

        # The switch is a bare check box: its words sit in a separate label, so a click on
        # "Web search" never flips it by accident, and the label spells the state out.
        self.web_button = QCheckBox(self)
        self.web_button.setObjectName("webSearchButton")
        self.web_button.setAccessibleName(translate("ChatToolbar", "Web search"))
        self.web_button.toggled.connect(self._web_toggled)
        self.web_label = new_label(translate("ChatToolbar", "Web search: off"), self)
        self.web_label.setObjectName("webSearchState")
        self.web_label.setContentsMargins(4, 0, 0, 0)  # apart from its check box
        self.web_options = QToolButton(self)
        self.web_options.setObjectName("webSearchOptions")
        # One arrow: the style draws the menu indicator beside the icon (set_icons), so the
        # button has no "▾" text of its own.
        self.web_options.setToolTip(translate("ChatToolbar", "Web search options"))
        self.web_options.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.web_menu = QMenu(self.web_options)
        form_host = QWidget(self.web_menu)
        form = QFormLayout(form_host)
        self.web_mode = QComboBox(form_host)
        add_choices(self.web_mode, MODES)
        self.web_results = QSpinBox(form_host)
        self.web_results.setRange(*MAX_RESULTS_RANGE)
        self.web_freshness = QComboBox(form_host)
        add_choices(self.web_freshness, FRESHNESS)
        self.web_lang = QComboBox(form_host)
        add_choices(self.web_lang, LANGS)
        form.addRow(translate("ChatToolbar", "Mode"), self.web_mode)
        form.addRow(translate("ChatToolbar", "Max results"), self.web_results)
        form.addRow(translate("ChatToolbar", "Freshness"), self.web_freshness)
        form.addRow(translate("ChatToolbar", "Language"), self.web_lang)
        for combo in (self.web_mode, self.web_freshness, self.web_lang):
            combo.currentTextChanged.connect(lambda _t: self._edited())
        self.web_results.valueChanged.connect(lambda _v: self._edited())
        action = QWidgetAction(self.web_menu)
        action.setDefaultWidget(form_host)
        self.web_menu.addAction(action)
        self.web_options.setMenu(self.web_menu)

        # The word labels' actions: ToolbarFit hides them when the window is narrow.
        self.profile_label = self.addWidget(new_label(translate("ChatToolbar", " Profile "), self))
        self.addWidget(self.profile_combo)
        self.model_label = self.addWidget(new_label(translate("ChatToolbar", "  Model "), self))
        self.addWidget(self.model_combo)
        self.addWidget(self.refresh_models)
        self.temperature_label = self.addWidget(
            new_label(translate("ChatToolbar", "  Temperature "), self))
        self.temperature_icon = QLabel(self)  # stands in for the word on a narrow window
        self.temperature_icon.setObjectName("temperatureIcon")
        self.temperature_icon.setToolTip(self.temperature.toolTip())
        self.temperature_icon_action = self.addWidget(self.temperature_icon)
        self.temperature_icon_action.setVisible(False)
        self.addWidget(self.temperature)
        self.addSeparator()
        self.addWidget(self.web_button)
        self.web_label_action = self.addWidget(self.web_label)
        self.addWidget(self.web_options)
        self.default_button = QToolButton(self)
        self.default_button.setObjectName("useForNewChats")
        self.default_button.setText(translate("ChatToolbar", "Use for new chats"))
        self.default_button.setToolTip(
            translate("ChatToolbar", "Changes here apply to this chat only. Make this profile "
                      "and model the default for new chats (and save them in the profile)."))
        self.default_button.clicked.connect(self.default_requested.emit)
        self.addWidget(self.default_button)
        plain_labels(form_host)
        self.fit = ToolbarFit(self)

    def set_icons(self, icons: IconSet, color: str) -> None:
        """The theme's icons: refresh, web search options, use for new chats, temperature."""
        self.refresh_models.setIcon(icons.icon(IconName.REGENERATE, color))
        self.web_options.setIcon(icons.icon(IconName.WEB_SEARCH, color))
        self.default_button.setIcon(icons.icon(IconName.MAKE_DEFAULT, color))
        size = self.iconSize()
        self.temperature_icon.setPixmap(icons.icon(IconName.TEMPERATURE, color).pixmap(
            size, self.devicePixelRatioF()))
        self.fit.refit()

    def set_settings(self, settings: Settings) -> None:
        self._updating = True
        try:
            self.profile_combo.clear()
            self.profile_combo.addItems([p.name for p in settings.profiles])
            active = settings.active_profile()
            if active is not None:
                self.profile_combo.setCurrentText(active.name)
        finally:
            self._updating = False
        self.show_profile(active)

    def show_profile(self, profile: Profile | None) -> None:
        self._updating = True
        try:
            self._profile = profile
            enabled = profile is not None
            for widget in (self.model_combo, self.temperature, self.refresh_models):
                widget.setEnabled(enabled)
            if profile is None:
                self.web_button.setEnabled(False)
                self._web_options_enabled(False)
                self._show_web_state()
                return
            self.model_combo.setEditText(profile.model)
            temp = profile.temperature
            self.temperature.setValue(NO_TEMPERATURE if temp is None else float(temp))
            supported = bool(profile.supports_web_search)
            self.web_button.setEnabled(supported)
            tip = (translate("ChatToolbar", "Search the web for this reply") if supported else
                   translate("ChatToolbar", "This endpoint does not support web search"))
            self.web_button.setToolTip(tip)
            self.web_label.setToolTip(tip)
            self._web_options_enabled(supported)
            ws = profile.web_search
            self.web_button.setChecked(supported and ws.enabled)
            choose(self.web_mode, ws.mode)
            self.web_results.setValue(ws.max_results)
            choose(self.web_freshness, ws.freshness)
            choose(self.web_lang, ws.lang)
            self._show_web_state()
        finally:
            self._updating = False

    def _web_options_enabled(self, supported: bool) -> None:
        """The options (mode, max results, freshness, language) only where web search is:
        disabled with the reason otherwise, like the switch."""
        self.web_options.setEnabled(supported)
        self.web_options.setToolTip(
            translate("ChatToolbar", "Web search options") if supported else
            translate("ChatToolbar", "Web search options: this endpoint does not support "
                      "web search"))
        why = "" if supported else translate("ChatToolbar",
                                             "This endpoint does not support web search")
        for widget in (self.web_mode, self.web_results, self.web_freshness, self.web_lang):
            widget.setEnabled(supported)
            widget.setToolTip(why)

    def show_chat_profile(self, profile: Profile | None) -> None:
        """The profile and model of the chat on screen (not necessarily the default)."""
        if profile is not None:
            self._updating = True
            try:
                self.profile_combo.setCurrentText(profile.name)
            finally:
                self._updating = False
        self.show_profile(profile)

    def _web_toggled(self, _on: bool) -> None:
        self._show_web_state()
        self._edited()

    def _show_web_state(self) -> None:
        if not self.web_button.isEnabled():
            state = translate("ChatToolbar", "Web search: unavailable")
        elif self.web_button.isChecked():
            state = translate("ChatToolbar", "Web search: on")
        else:
            state = translate("ChatToolbar", "Web search: off")
        self.web_label.setText(state)
        self.web_label.setEnabled(self.web_button.isEnabled())
        self.web_button.setAccessibleDescription(state)  # the label may be hidden (ToolbarFit)
        self.fit.refit()

    def models_loaded(self, profile_name: str, models: list[str], active: str | None) -> None:
        """Remember a profile's fetched list; show it when that profile is the active one."""
        self._model_lists[profile_name] = list(models)
        if active == profile_name:
            self.set_models(models)

    def show_known_models(self, profile_name: str) -> None:
        """The last list fetched for this profile (empty when none yet)."""
        self.set_models(self._model_lists.get(profile_name, []))

    def set_models(self, models: list[str]) -> None:
        self._updating = True
        try:
            current = self.model_combo.currentText()
            self.model_combo.clear()
            self.model_combo.addItems(models)
            self.model_combo.setEditText(current)
        finally:
            self._updating = False

    def _profile_picked(self, name: str) -> None:
        if not self._updating and name:
            self.profile_chosen.emit(name)

    def _edited(self) -> None:
        if self._updating or self._profile is None:
            return
        temp = self.temperature.value()
        web = WebSearchOptions.normalised({
            "enabled": self.web_button.isChecked(),
            "mode": chosen(self.web_mode),
            "max_results": self.web_results.value(),
            "freshness": chosen(self.web_freshness),
            "lang": chosen(self.web_lang),
        })
        changed = dataclasses.replace(
            self._profile,
            model=self.model_combo.currentText().strip(),
            temperature=None if temp <= NO_TEMPERATURE + 1e-9 else round(temp, 2),
            web_search=web,
        )
        if changed != self._profile:
            self._profile = changed
            self.profile_edited.emit(changed)
