"""Write-only secret fields (API key, proxy password) for one profile.

The stored secret is never read back into a widget: the field only says whether one is stored
and where. Typing a value and saving replaces it; Clear deletes it on save.
"""

from __future__ import annotations

import asyncio
import contextlib
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktopchat.errors import SecretStoreError
from desktopchat.secrets import keyring_label
from desktopchat.ui.i18n import translate
from desktopchat.ui.plain_text import new_label

if TYPE_CHECKING:
    from concurrent.futures import Future

    from desktopchat.secrets import SecretStore


KEYRING_WAIT = 0.25  # s: an unlocked keyring answers in milliseconds, a prompt takes longer
# The keyring has not answered yet: a marker between methods, in English; shown translated.
WAITING = "Waiting for the keyring (it may be asking for its password)…"


class KeyField(QWidget):
    """The API key of one profile: status line, new-key entry, Clear, run-only option."""

    edited = Signal()

    def __init__(self, secrets: SecretStore, profile_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._secrets = secrets
        self._profile_name = profile_name  # the name the stored key is filed under
        self._cleared = False
        self._answer: asyncio.Future[None] | None = None  # a keyring read still running
        status = secrets.status()
        self._usable = status.usable
        self._backend = keyring_label(status.backend_name)

        self.status_label = new_label(self)
        self.status_label.setObjectName("keyStatus")
        self.status_label.setWordWrap(True)
        self.entry = QLineEdit(self)
        self.entry.setObjectName("keyEntry")
        self.entry.setEchoMode(QLineEdit.EchoMode.Password)
        self.entry.setPlaceholderText(translate("KeyField",
                                                "Paste a new API key to replace the stored one"))
        self.entry.textEdited.connect(lambda _t: self.edited.emit())
        self.clear_button = QPushButton(translate("KeyField", "Clear"), self)
        self.clear_button.setToolTip(translate("KeyField", "Delete the stored key when you save"))
        self.clear_button.clicked.connect(self._clear)
        self.run_only = QCheckBox(translate("KeyField", "Use this key for this run only"), self)
        self.run_only.setToolTip(
            translate("KeyField", "Kept in memory until the app quits; never written anywhere."))
        self.run_only.toggled.connect(lambda _c: self.edited.emit())
        self.problem = new_label(self)
        self.problem.setObjectName("keyringProblem")
        self.problem.setWordWrap(True)

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.entry, 1)
        row.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.status_label)
        layout.addLayout(row)
        layout.addWidget(self.run_only)
        layout.addWidget(self.problem)
        if not status.usable:
            # Without a keyring the key can only live in memory: say why, and make that plain.
            self.problem.setText(translate(
                "KeyField", "No usable keyring ({keyring}): {problem} A key entered here is kept "
                "for this run only and never written to disk."
            ).format(keyring=keyring_label(status.backend_name), problem=status.problem or ""))
            self.run_only.setChecked(True)
            self.run_only.setEnabled(False)
        else:
            self.problem.hide()
        self._refresh_status()

    def _stored(self) -> tuple[bool, str | None]:
        """(a key exists, problem reading it). The keyring is read on a worker thread; if
        it does not answer at once (a password prompt), the status says so and is filled
        in when it does, so the dialog never stops painting."""
        try:
            if self._secrets.has_run_only_key(self._profile_name):
                return True, None
            if not self._usable:
                return False, None
            read = self._secrets.key_soon(self._profile_name)
            try:
                return read.result(timeout=KEYRING_WAIT) is not None, None
            except FutureTimeout:
                self._answer = asyncio.ensure_future(self._refresh_when_answered(read))
                return False, WAITING
        except SecretStoreError as exc:
            return False, exc.message

    async def _refresh_when_answered(self, read: Future[str | None]) -> None:
        await asyncio.wait([asyncio.wrap_future(read)])
        with contextlib.suppress(RuntimeError):  # the dialog may be gone meanwhile
            self._refresh_status()

    def _refresh_status(self) -> None:
        exists, problem = self._stored()
        if problem == WAITING:
            self.status_label.setText(translate(
                "KeyField", "Waiting for the keyring (it may be asking for its password)…"))
        elif problem:
            self.status_label.setText(translate("KeyField", "Could not read the stored key: "
                                                "{problem}").format(problem=problem))
        elif self._cleared:
            self.status_label.setText(translate("KeyField",
                                                "The stored key will be deleted when you save."))
        elif exists and self._secrets.has_run_only_key(self._profile_name):
            self.status_label.setText(translate("KeyField",
                                                "•••• kept in memory for this run only"))
        elif exists:
            self.status_label.setText(translate("KeyField", "•••• stored in {keyring}")
                                      .format(keyring=self._backend))
        else:
            self.status_label.setText(translate("KeyField", "No key stored"))
        self.clear_button.setEnabled((exists and not self._cleared) or bool(self.entry.text()))

    def _clear(self) -> None:
        self.entry.clear()
        self._cleared = True
        self._refresh_status()
        self.edited.emit()

    # ---- what the dialog reads ----------------------------------------------------------

    @property
    def new_key(self) -> str:
        return self.entry.text().strip()

    @property
    def cleared(self) -> bool:
        return self._cleared and not self.new_key

    @property
    def stored_under(self) -> str:
        return self._profile_name

    async def effective_key(self) -> str | None:
        """The key a test request should use now: the typed one, else the stored one (read
        off the UI thread: the keyring may be showing a prompt)."""
        if self.new_key:
            return self.new_key
        if self._cleared:
            return None
        try:
            return await asyncio.wrap_future(self._secrets.key_soon(self._profile_name))
        except SecretStoreError:
            return None

    def apply(self, profile_name: str) -> None:
        """Store/clear the key under `profile_name` (after a rename was applied). May raise."""
        if self.new_key:
            if self.run_only.isChecked():
                self._secrets.use_for_this_run(profile_name, self.new_key)
            else:
                self._secrets.set_key(profile_name, self.new_key)
        elif self._cleared:
            self._secrets.delete_key(profile_name)
        self._profile_name = profile_name
        self._cleared = False
        self.entry.clear()
        self._refresh_status()


class ProxyPasswordField(QLineEdit):
    """Write-only proxy password: empty means keep what is stored."""

    def __init__(self, secrets: SecretStore, profile_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._secrets = secrets
        self.setEchoMode(QLineEdit.EchoMode.Password)
        try:  # a keyring that is prompting does not hold the dialog up: "unknown" then
            stored = secrets.status().usable and secrets.proxy_password_soon(
                profile_name).result(timeout=KEYRING_WAIT)
        except (SecretStoreError, FutureTimeout):
            stored = None
        self.setPlaceholderText(
            translate("ProxyPasswordField", "•••• stored (type to replace)") if stored
            else translate("ProxyPasswordField", "Proxy password (kept in the keyring)"))

    async def effective(self, profile_name: str) -> str | None:
        if self.text():
            return self.text()
        try:
            return await asyncio.wrap_future(self._secrets.proxy_password_soon(profile_name))
        except SecretStoreError:
            return None

    def apply(self, profile_name: str) -> None:
        if not self.text():
            return
        if self._secrets.status().usable:
            self._secrets.set_proxy_password(profile_name, self.text())
        else:
            self._secrets.use_proxy_password_for_this_run(profile_name, self.text())
        self.clear()
        self.setPlaceholderText(translate("ProxyPasswordField", "•••• stored (type to replace)"))
