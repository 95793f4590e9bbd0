"""The form for one profile: every Profile field, with its validation message beside it.

The form keeps the raw text the user typed (tools JSON, header lines) so switching between
profiles never loses an unfinished edit; `profile()` parses it and `errors()` reports
`settings.validate_profile` plus the form's own parse problems, keyed by field name.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktopchat.core.providers import PRESETS, preset
from desktopchat.core.request import FRESHNESS, LANGS, MAX_RESULTS_RANGE, MODES, WebSearchOptions
from desktopchat.settings import (
    IDLE_TIMEOUT_RANGE,
    TEMPERATURE_RANGE,
    Profile,
    ProxyMode,
    ProxySettings,
    parse_tools,
    validate_profile,
)
from desktopchat.ui.appearance import show_as_error
from desktopchat.ui.field_errors import field_error, field_errors
from desktopchat.ui.i18n import translate
from desktopchat.ui.plain_text import new_label, plain_labels
from desktopchat.ui.preset_names import preset_label
from desktopchat.ui.settings_key_field import KeyField, ProxyPasswordField
from desktopchat.ui.web_search_choices import add_choices, choose, chosen
from desktopchat.ui.wrapping_label import WrappingLabel

if TYPE_CHECKING:
    from desktopchat.secrets import SecretStore
PROXY_EXAMPLE = "socks5://user@127.0.0.1:1080"
TOOLS_EXAMPLE = '[{"type": "function", "function": {"name": ...}}]'


def parse_headers(text: str) -> tuple[dict[str, str], str | None]:
    """'Name: value' per line -> dict, or the first line that is not in that shape."""
    headers: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        name, sep, value = line.partition(":")
        if not sep or not name.strip():
            return headers, translate("ProfileForm", "Line {number} is not “Name: value”.").format(
                number=number)
        headers[name.strip()] = value.strip()
    return headers, None


def headers_text(headers: dict[str, str]) -> str:
    return "".join(f"{name}: {value}\n" for name, value in headers.items())


class ProfileForm(QWidget):
    """Edits one profile; emits `edited` on every change so the dialog can re-validate."""

    edited = Signal()

    def __init__(self, profile: Profile, secrets: SecretStore, parent: QWidget | None = None):
        super().__init__(parent)
        self.original_name = profile.name  # where its secrets are filed in the keyring
        self._errors: dict[str, QLabel] = {}
        self._form = QFormLayout(self)
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)

        self.name = QLineEdit(profile.name, self)
        self._row(translate("ProfileForm", "Name"), self.name, "name")
        self.preset = QComboBox(self)
        for info in PRESETS:
            self.preset.addItem(preset_label(info), info.id)
        self.preset.setCurrentIndex(max(0, self.preset.findData(profile.preset)))
        self._row(translate("ProfileForm", "Provider"), self.preset, "preset")
        self.url = QLineEdit(profile.url, self)
        self._row(translate("ProfileForm", "Chat URL"), self.url, "url")

        self.model = QComboBox(self)
        self.model.setEditable(True)
        self.model.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.model.setEditText(profile.model)
        self.fetch_models = QPushButton(translate("ProfileForm", "Fetch models"), self)
        self.models_status = WrappingLabel(self)
        self.models_status.hide()  # shown once Fetch models has something to say
        model_row = QHBoxLayout()
        model_row.addWidget(self.model, 1)
        model_row.addWidget(self.fetch_models)
        self._row(translate("ProfileForm", "Model"), model_row, "model", extra=self.models_status)

        self.key = KeyField(secrets, profile.name, self)
        self._row(translate("ProfileForm", "API key"), self.key, "key")
        self.test_button = QPushButton(translate("ProfileForm", "Test connection"), self)
        self.test_result = WrappingLabel(self)
        self.test_result.setObjectName("testResult")
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addStretch(1)
        self._form.addRow("", test_row)
        # On its own row, not beside the button: a wrapped label in a row layout kept the
        # row's height, and a long server answer was cut off.
        self._form.addRow("", self.test_result)

        self.temperature = QDoubleSpinBox(self)
        self.temperature.setRange(*TEMPERATURE_RANGE)
        self.temperature.setSingleStep(0.1)
        self.temperature.setDecimals(2)
        self.temperature_default = QCheckBox(translate("ProfileForm", "Provider default"), self)
        self.temperature_default.toggled.connect(
            lambda on: self.temperature.setEnabled(not on)
        )
        self.temperature.setValue(profile.temperature if profile.temperature is not None else 1.0)
        self.temperature_default.setChecked(profile.temperature is None)
        self.temperature.setEnabled(profile.temperature is not None)
        temp_row = QHBoxLayout()
        temp_row.addWidget(self.temperature)
        temp_row.addWidget(self.temperature_default)
        temp_row.addStretch(1)
        self._row(translate("ProfileForm", "Temperature"), temp_row, "temperature")

        self.system_prompt = QPlainTextEdit(profile.system_prompt, self)
        self.system_prompt.setFixedHeight(70)
        self._row(translate("ProfileForm", "System prompt"), self.system_prompt, "system_prompt")

        self._build_web_search(profile.web_search)
        self._row(translate("ProfileForm", "Web search"), self.web_group, "web_search")

        self.tools = QPlainTextEdit(self)
        self.tools.setPlaceholderText(TOOLS_EXAMPLE)  # JSON, not language
        self.tools.setPlainText(json.dumps(profile.tools, indent=2) if profile.tools else "")
        self.tools.setFixedHeight(70)
        self._row(translate("ProfileForm", "Tools (JSON)"), self.tools, "tools")
        self.headers = QPlainTextEdit(headers_text(profile.extra_headers), self)
        self.headers.setPlaceholderText(translate("ProfileForm",
                                                  "X-Header-Name: value  (one per line)"))
        self.headers.setFixedHeight(54)
        self._row(translate("ProfileForm", "Extra headers"), self.headers, "extra_headers")

        self.idle_timeout = QDoubleSpinBox(self)
        self.idle_timeout.setRange(*IDLE_TIMEOUT_RANGE)
        self.idle_timeout.setDecimals(0)
        self.idle_timeout.setSuffix(translate("ProfileForm", " s"))
        self.idle_timeout.setValue(float(profile.idle_timeout))
        self._row(translate("ProfileForm", "Idle timeout"), self.idle_timeout, "idle_timeout")

        self.proxy_mode = QComboBox(self)
        for label, mode in ((translate("ProfileForm", "System proxy"), ProxyMode.SYSTEM),
                            (translate("ProfileForm", "No proxy"), ProxyMode.NONE),
                            (translate("ProfileForm", "Custom proxy"), ProxyMode.CUSTOM)):
            self.proxy_mode.addItem(label, mode)
        self.proxy_mode.setCurrentIndex(max(0, self.proxy_mode.findData(profile.proxy.mode)))
        self.proxy_url = QLineEdit(profile.proxy.url, self)
        self.proxy_url.setPlaceholderText(PROXY_EXAMPLE)  # an address, not language
        self.proxy_password = ProxyPasswordField(secrets, profile.name, self)
        proxy_box = QVBoxLayout()
        proxy_box.addWidget(self.proxy_mode)
        proxy_box.addWidget(self.proxy_url)
        proxy_box.addWidget(self.proxy_password)
        self._row(translate("ProfileForm", "Proxy"), proxy_box, "proxy.mode")
        proxy_row = self._errors["proxy.mode"].parentWidget()
        assert proxy_row is not None  # _row() just placed the label in its row widget
        self._add_error("proxy.url", proxy_row)

        self.allow_insecure = QCheckBox(translate("ProfileForm",
                                                  "Allow the key over plain http://"), self)
        self.allow_insecure.setToolTip(
            translate("ProfileForm",
                      "Send the API key unencrypted to a host other than this computer. Only for a "
            "trusted local network.")
        )
        self.allow_insecure.setChecked(profile.allow_insecure_http)
        self._row("", self.allow_insecure, "allow_insecure_http")

        self.ask_for_usage = QCheckBox(translate("ProfileForm", "Ask for token usage"), self)
        self.ask_for_usage.setToolTip(
            translate("ProfileForm", "Send stream_options.include_usage so the server reports "
                      "prompt and completion tokens. Turn it off if the endpoint rejects the "
                      "request.")
        )
        self.ask_for_usage.setChecked(profile.ask_for_usage)
        self._row("", self.ask_for_usage, "ask_for_usage")

        self.send_images = QCheckBox(translate("ProfileForm", "Accepts images"), self)
        self.send_images.setToolTip(
            translate("ProfileForm", "Send attached images as image_url content parts. Turn it "
                      "on only if the model reads images; an endpoint that does not may reject "
                      "the request.")
        )
        self.send_images.setChecked(profile.accepts_images)
        self._row("", self.send_images, "send_images")

        self._connect_edits()
        self._preset_changed()
        plain_labels(self)

    # ---- layout helpers ---------------------------------------------------------------

    def _row(self, label: str, field: QWidget | QHBoxLayout | QVBoxLayout, key: str,
             *, extra: QWidget | None = None) -> None:
        box = QWidget(self)
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        if isinstance(field, QWidget):
            column.addWidget(field)
        else:
            column.addLayout(field)
        if extra is not None:
            column.addWidget(extra)
        self._add_error(key, box)
        self._form.addRow(label, box)

    def _add_error(self, key: str, box: QWidget) -> None:
        error = new_label(box)
        error.setObjectName(f"error:{key}")
        show_as_error(error)
        error.setWordWrap(True)
        error.hide()
        layout = box.layout()
        if layout is not None:
            layout.addWidget(error)
        self._errors[key] = error

    def _build_web_search(self, options: WebSearchOptions) -> None:
        self.web_group = QGroupBox(self)
        self.web_enabled = QCheckBox(translate("ProfileForm",
                                               "Search the web by default"), self.web_group)
        self.web_enabled.setChecked(options.enabled)
        self.web_mode = QComboBox(self.web_group)
        add_choices(self.web_mode, MODES)
        choose(self.web_mode, options.mode)
        self.web_max = QSpinBox(self.web_group)
        self.web_max.setRange(*MAX_RESULTS_RANGE)
        self.web_max.setValue(options.max_results)
        self.web_freshness = QComboBox(self.web_group)
        add_choices(self.web_freshness, FRESHNESS)
        choose(self.web_freshness, options.freshness)
        self.web_lang = QComboBox(self.web_group)
        add_choices(self.web_lang, LANGS)
        choose(self.web_lang, options.lang)
        # Wraps, and asks for the height its lines need at its real width (a plain wrapped
        # label in this form was given one line's height and lost its second line; kept on
        # one line, it set the whole dialog's width, wider than a screen at a large font).
        self.web_note = WrappingLabel(self.web_group)
        self.web_note.setObjectName("webSearchNote")
        grid = QFormLayout(self.web_group)
        grid.addRow(self.web_enabled)
        grid.addRow(translate("ProfileForm", "Mode"), self.web_mode)
        grid.addRow(translate("ProfileForm", "Max results"), self.web_max)
        grid.addRow(translate("ProfileForm", "Freshness"), self.web_freshness)
        grid.addRow(translate("ProfileForm", "Language"), self.web_lang)
        grid.addRow(self.web_note)

    def _connect_edits(self) -> None:
        for line in (self.name, self.url, self.proxy_url):
            line.textChanged.connect(self._changed)
        self.model.editTextChanged.connect(self._changed)
        for text in (self.system_prompt, self.tools, self.headers):
            text.textChanged.connect(self._changed)
        for combo in (self.preset, self.web_mode, self.web_freshness, self.web_lang,
                      self.proxy_mode):
            combo.currentIndexChanged.connect(self._changed)
        for spin in (self.temperature, self.idle_timeout, self.web_max):
            spin.valueChanged.connect(self._changed)
        for box in (self.temperature_default, self.web_enabled, self.allow_insecure,
                    self.ask_for_usage, self.send_images):
            box.toggled.connect(self._changed)
        self.preset.currentIndexChanged.connect(self._preset_changed)
        self.proxy_mode.currentIndexChanged.connect(self._preset_changed)
        self.key.edited.connect(self.edited)

    def _changed(self, *_args: object) -> None:
        self.edited.emit()

    def _preset_changed(self, *_args: object) -> None:
        info = preset(str(self.preset.currentData()))
        self.url.setPlaceholderText(info.chat_url() or "https://host/v1/chat/completions")
        if not self.model.currentText() and info.default_model:
            model_edit = self.model.lineEdit()
            assert model_edit is not None  # the model combo box is editable
            model_edit.setPlaceholderText(info.default_model)
        supported = info.web_search
        for widget in (self.web_enabled, self.web_mode, self.web_max, self.web_freshness,
                       self.web_lang):
            widget.setEnabled(supported)
        self.web_note.setText("" if supported else translate(
            "ProfileForm", "{provider} does not offer web search.").format(
                provider=preset_label(info)))
        self.web_note.setVisible(not supported)
        self.fetch_models.setEnabled(info.models_path is not None)
        custom = self.proxy_mode.currentData() == ProxyMode.CUSTOM
        self.proxy_url.setEnabled(custom)
        self.proxy_password.setEnabled(custom)
        # Presets know whether their endpoint accepts the field; only Custom asks the user.
        self.ask_for_usage.setEnabled(info.id == "custom")
        if info.id != "custom":
            self.send_images.setChecked(info.images)
        self.send_images.setEnabled(info.id == "custom")

    # ---- reading -----------------------------------------------------------------------

    def profile(self) -> Profile:
        """The profile as typed (unparseable tools/headers fall back to empty)."""
        tools, _ = parse_tools(self.tools.toPlainText()) if self.tools.toPlainText().strip() \
            else ([], None)
        headers, _ = parse_headers(self.headers.toPlainText())
        return Profile(
            name=self.name.text(),
            preset=str(self.preset.currentData()),
            url=self.url.text().strip(),
            model=self.model.currentText().strip(),
            temperature=None if self.temperature_default.isChecked()
            else round(self.temperature.value(), 2),
            system_prompt=self.system_prompt.toPlainText(),
            web_search=WebSearchOptions(
                enabled=self.web_enabled.isChecked(),
                mode=chosen(self.web_mode),
                max_results=self.web_max.value(),
                freshness=chosen(self.web_freshness),
                lang=chosen(self.web_lang),
            ),
            tools=tools,
            extra_headers=headers,
            idle_timeout=float(self.idle_timeout.value()),
            proxy=ProxySettings(mode=str(self.proxy_mode.currentData()),
                                url=self.proxy_url.text().strip()),
            allow_insecure_http=self.allow_insecure.isChecked(),
            ask_for_usage=self.ask_for_usage.isChecked()
            and str(self.preset.currentData()) == "custom",
            send_images=self.send_images.isChecked()
            and str(self.preset.currentData()) == "custom",
        )

    def errors(self) -> dict[str, str]:
        errors = field_errors(validate_profile(self.profile()))  # in the UI's language
        if self.tools.toPlainText().strip():
            _, problem = parse_tools(self.tools.toPlainText())
            if problem:
                errors["tools"] = field_error("tools", problem)
        _, problem = parse_headers(self.headers.toPlainText())
        if problem:
            errors["extra_headers"] = problem
        return errors

    def show_errors(self, errors: dict[str, str]) -> None:
        """Put each message beside its field; web_search.* go under the web search box."""
        shown: dict[str, list[str]] = {}
        for field, message in errors.items():
            key = field if field in self._errors else field.split(".")[0]
            if key not in self._errors:
                key = "name"
            shown.setdefault(key, []).append(message)
        for key, label in self._errors.items():
            messages = shown.get(key, [])
            label.setText("\n".join(messages))
            label.setVisible(bool(messages))

    def set_models(self, models: list[str]) -> None:
        current = self.model.currentText()
        self.model.blockSignals(True)
        self.model.clear()
        self.model.addItems(models)
        self.model.blockSignals(False)
        self.model.setEditText(current)
