"""The fields of one MCP server: command, arguments, environment and folder for a stdio
server; URL, headers and secret headers for a Streamable HTTP one."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QWidget

from desktopchat.settings.mcp_servers import McpServerSpec
from desktopchat.ui.i18n import translate
from desktopchat.ui.plain_text import plain_labels

STDIO_WARNING = (
    "A stdio server is a program that runs on this computer with your user's rights: it can "
    "read and change your files. Add only servers you trust. Every tool call still asks you "
    "first, unless you chose “Always allow” for that tool."
)  # the English text (tests compare with it); shown translated:


def stdio_warning() -> str:
    return translate(
        "McpServerForm", "A stdio server is a program that runs on this computer with your "
        "user's rights: it can read and change your files. Add only servers you trust. Every "
        "tool call still asks you first, unless you chose “Always allow” for that tool.")


def _lines(pairs: tuple[tuple[str, str], ...], sep: str) -> str:
    return "\n".join(f"{k}{sep}{v}" for k, v in pairs)


def _pairs(text: str, sep: str) -> tuple[tuple[str, str], ...]:
    out = []
    for line in text.splitlines():
        if line.strip():
            key, _, value = line.partition(sep)
            out.append((key.strip(), value.strip()))
    return tuple(out)


class McpServerForm(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.command = QLineEdit(self)
        self.args = QPlainTextEdit(self)
        self.args.setPlaceholderText(translate("McpServerForm", "one argument per line"))
        self.env = QPlainTextEdit(self)
        self.env.setPlaceholderText(translate("McpServerForm", "NAME=value, one per line"))
        self.cwd = QLineEdit(self)
        self.url = QLineEdit(self)
        self.headers = QPlainTextEdit(self)
        self.headers.setPlaceholderText(translate("McpServerForm", "Name: value, one per line"))
        self.secret_headers = QPlainTextEdit(self)
        self.secret_headers.setPlaceholderText(
            translate("McpServerForm", "Authorization: Bearer …  (kept in the keyring; leave "
                      "empty to keep the stored value)"))
        for box in (self.args, self.env, self.headers, self.secret_headers):
            box.setMaximumHeight(70)
        self.warning = QLabel(stdio_warning(), self)
        self.warning.setObjectName("stdioWarning")
        self.warning.setTextFormat(Qt.TextFormat.PlainText)
        self.warning.setWordWrap(True)
        self._layout = QFormLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addRow(translate("McpServerForm", "Command"), self.command)
        self._layout.addRow(translate("McpServerForm", "Arguments"), self.args)
        self._layout.addRow(translate("McpServerForm", "Environment"), self.env)
        self._layout.addRow(translate("McpServerForm", "Working folder"), self.cwd)
        self._layout.addRow(translate("McpServerForm", "URL"), self.url)
        self._layout.addRow(translate("McpServerForm", "Headers"), self.headers)
        self._layout.addRow(translate("McpServerForm", "Secret headers"), self.secret_headers)
        self._layout.addRow(self.warning)
        plain_labels(self)  # the row captions too: every label here shows text verbatim

    def load(self, spec: McpServerSpec) -> None:
        stdio = spec.transport == "stdio"
        self.command.setText(spec.command)
        self.args.setPlainText("\n".join(spec.args))
        self.env.setPlainText(_lines(spec.env, "="))
        self.cwd.setText(spec.cwd)
        self.url.setText(spec.url)
        self.headers.setPlainText(_lines(spec.headers, ": "))
        # Secret values are never shown back: only their names, to fill in again or keep.
        self.secret_headers.setPlainText("\n".join(f"{name}: " for name in spec.secret_headers))
        for widget in (self.command, self.args, self.env, self.cwd, self.warning):
            self._layout.setRowVisible(widget, stdio)
        for widget in (self.url, self.headers, self.secret_headers):
            self._layout.setRowVisible(widget, not stdio)

    def applied_to(self, spec: McpServerSpec) -> tuple[McpServerSpec, dict[str, str]]:
        """`spec` with the fields' values, and the secret header values typed here.
        Raises ToolConfigError (from the spec's own check) when they do not make sense."""
        if spec.transport == "stdio":
            return replace(
                spec,
                command=self.command.text().strip(),
                args=tuple(a for a in self.args.toPlainText().splitlines() if a.strip()),
                env=_pairs(self.env.toPlainText(), "="),
                cwd=self.cwd.text().strip(),
            ), {}
        secrets = dict(_pairs(self.secret_headers.toPlainText(), ":"))
        return replace(
            spec,
            url=self.url.text().strip(),
            headers=_pairs(self.headers.toPlainText(), ":"),
            secret_headers=tuple(secrets),
        ), {k: v for k, v in secrets.items() if v}
