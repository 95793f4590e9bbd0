"""Asking for an API key for this run only, when the keyring cannot keep keys."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from desktopchat.errors import SecretStoreError
from desktopchat.secrets import SecretStore
from desktopchat.ui.error_text import shown_error
from desktopchat.ui.i18n import translate
from desktopchat.ui.plain_text import isolated


def ask_run_only_key(parent: QWidget, profile_name: str,
                     secrets: SecretStore) -> tuple[bool, str | None]:
    """Ask; keep what was typed in memory only. Returns (a key is kept now, a problem)."""
    key, ok = QInputDialog.getText(
        parent, translate("RunKeyPrompt", "API key for this run"),
        translate("RunKeyPrompt", "The keyring cannot keep keys. Enter the key for “{profile}”; "
                  "it is kept in memory until the app quits and never written anywhere.")
        .format(profile=isolated(profile_name)),
        QLineEdit.EchoMode.Password)
    if not ok or not key.strip():
        return False, None
    try:
        secrets.use_for_this_run(profile_name, key.strip())
    except SecretStoreError as exc:
        return False, shown_error(exc)
    return True, None
