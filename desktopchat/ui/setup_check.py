"""What is missing before a message can be sent: a profile, a key, a safe transport.

Owned by the ChatController. Reading the key may wait on a keyring prompt; a send waits
KEYRING_WAIT for it, then says so and keeps the text, and reports through ChatEvents
when the keyring answers later.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TYPE_CHECKING

from desktopchat.core.transport import check_transport
from desktopchat.errors import InsecureTransportError, SecretStoreError
from desktopchat.profile_requests import chat_request
from desktopchat.ui.chat_events import ChatEvents
from desktopchat.ui.error_text import shown_error
from desktopchat.ui.i18n import translate
from desktopchat.ui.plain_text import isolated
from desktopchat.ui.stream_runner import SetupAction, SetupProblem

if TYPE_CHECKING:
    from desktopchat.secrets import SecretStore
    from desktopchat.settings import Profile

# How long a send waits for the keyring before it says so and keeps the text: an answer
# from an unlocked keyring takes milliseconds; a prompt takes as long as the user does.
KEYRING_WAIT = 0.25
WAITING_FOR_KEYRING = ("Waiting for the keyring: it may be asking for its password in "
                       "another window. Your message is kept; send it again once it is "
                       "unlocked.")
KEYRING_ANSWERED = "The keyring answered. Send your message again."
# The constants above are the English text (tests compare with them); shown translated:


def waiting_for_keyring() -> str:
    return translate("SetupCheck", "Waiting for the keyring: it may be asking for its password "
                     "in another window. Your message is kept; send it again once it is "
                     "unlocked.")


def no_images(profile: str) -> str:
    return translate(
        "SetupCheck", "“{profile}” does not accept images, so nothing was sent. Remove the "
        "images, or switch to a profile that accepts them (Settings → Accepts images). Your "
        "message and its files are kept.").format(profile=isolated(profile))


def keyring_answered() -> str:
    return translate("SetupCheck", "The keyring answered. Send your message again.")


class SetupCheck:
    def __init__(self, secrets: SecretStore, events: ChatEvents,
                 on_secret: Callable[[str], None] | None) -> None:
        self._secrets = secrets
        self._events = events
        self._on_secret = on_secret  # each key read, so logs can redact it
        self._key_waits: set[asyncio.Future[None]] = set()

    def ready_key(self, profile: Profile | None) -> tuple[bool, str | None]:
        """(True, key or None when none is needed), or (False, None) after asking for setup."""
        problem, key = self.credentials(profile)
        if problem is not None:
            self._events.setup_needed.emit(problem)
            return False, None
        return True, key

    def credentials(self, profile: Profile | None, *, read_keyring: bool = True
                    ) -> tuple[SetupProblem | None, str | None]:
        """(what is missing or None, the key or None when none is needed)."""
        if profile is None:
            return SetupProblem(translate("SetupCheck", "No endpoint is set up yet. Open Settings "
                                          "(Ctrl+,) and add a profile."),
                                SetupAction.SETTINGS), None
        if not read_keyring:
            return None, None
        read = self._secrets.key_soon(profile.name)
        try:
            key = read.result(timeout=KEYRING_WAIT)
        except FutureTimeout:
            self._spawn_key_answer(read)
            return SetupProblem(waiting_for_keyring(), SetupAction.NONE), None
        except SecretStoreError as exc:
            if profile.needs_key:
                return SetupProblem(shown_error(exc), SetupAction.RUN_KEY), None
            key = None
        if key and self._on_secret is not None:
            self._on_secret(key)
        if not key and profile.needs_key:
            return SetupProblem(translate("SetupCheck", "The profile “{profile}” needs an API "
                                          "key. Add it in Settings (Ctrl+,).")
                                .format(profile=isolated(profile.name)), SetupAction.SETTINGS), None
        try:
            check_transport(chat_request(profile, []), key)
        except InsecureTransportError as exc:
            return SetupProblem(shown_error(exc), SetupAction.SETTINGS), None
        return None, key

    def _spawn_key_answer(self, read: Future[str | None]) -> None:
        task = asyncio.ensure_future(self._key_answered(read))
        self._key_waits.add(task)  # asyncio keeps tasks weakly
        task.add_done_callback(self._key_waits.discard)

    async def _key_answered(self, read: Future[str | None]) -> None:
        """The keyring answered a read the UI stopped waiting for: say what it said."""
        try:
            await asyncio.wrap_future(read)
        except SecretStoreError as exc:
            self._events.setup_needed.emit(SetupProblem(shown_error(exc), SetupAction.RUN_KEY))
            return
        self._events.setup_needed.emit(SetupProblem(keyring_answered(), SetupAction.NONE))
