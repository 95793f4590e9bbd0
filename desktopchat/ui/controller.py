"""ChatController: sends, streams, stops, retries; persists as it streams; no widgets.

One asyncio task per streaming reply on the qasync loop (DESIGN.md §2). Deltas are
folded into a core Reply and handed to the widgets coalesced (at most ~30 signals
a second per reply); the reply is saved at most every ~0.5 s and once at the end
with its final state. Switching conversations never touches a running stream.
The widgets connect to the signals in one place (main_window.py).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from desktopchat.core.providers import list_models
from desktopchat.core.request import ChatMessage
from desktopchat.core.stream import check_transport
from desktopchat.errors import ApiError, InsecureTransportError, SecretStoreError, StorageError
from desktopchat.ui.stream_runner import EMIT_INTERVAL_MS, LiveStream, SetupProblem, StreamRunner

log = logging.getLogger(__name__)

PAGE_SIZE = 100
CONTINUE_PROMPT = "Continue exactly where your previous reply stopped. Do not repeat anything."


class ChatController(StreamRunner, QObject):
    conversation_opened = Signal(int, object, bool)  # id (-1: new chat), messages, has_older
    conversation_changed = Signal(int)  # created, updated or retitled
    message_added = Signal(int, object)  # conversation id, storage Message
    message_updated = Signal(int, object)  # conversation id, storage Message (final state)
    messages_removed = Signal(int, int)  # conversation id, first removed message id
    stream_delta = Signal(int, int, str, str)  # conversation, message, content, reasoning
    stream_tool_calls = Signal(int, int, object)  # conversation, message, OpenAI-shape list
    streaming_changed = Signal(int, bool)
    setup_needed = Signal(object)  # SetupProblem
    problem_reported = Signal(str)  # a bug or a storage failure; shown once
    models_loaded = Signal(str, object)  # profile name, list[str]

    def __init__(
        self,
        store: Any,
        secrets: Any,
        settings: Any,
        *,
        on_secret: Callable[[str], None] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.secrets = secrets
        self.settings = settings
        self._on_secret = on_secret
        self.current_id = -1
        self._streams: dict[int, LiveStream] = {}
        self._clients: dict[tuple[Any, ...], Any] = {}
        self._reported: set[str] = set()
        self._emit_timer = QTimer(self)
        self._emit_timer.setSingleShot(True)
        self._emit_timer.setInterval(EMIT_INTERVAL_MS)
        self._emit_timer.timeout.connect(self._emit_pending)

    # -- settings and state -----------------------------------------------------------------

    def set_settings(self, settings: Any) -> None:
        self.settings = settings

    def profile(self) -> Any:
        return self.settings.active_profile()

    def is_streaming(self, conversation_id: int | None = None) -> bool:
        if conversation_id is None:
            return bool(self._streams)
        return conversation_id in self._streams

    def streaming_message_id(self, conversation_id: int) -> int:
        stream = self._streams.get(conversation_id)
        return -1 if stream is None else stream.message_id

    def check_setup(self) -> SetupProblem | None:
        """What is missing before a message can be sent (None: ready)."""
        problem, _ = self._credentials()
        return problem

    def _ready_key(self) -> tuple[bool, str | None]:
        """(True, key or None when none is needed), or (False, None) after asking for setup."""
        problem, key = self._credentials()
        if problem is not None:
            self.setup_needed.emit(problem)
            return False, None
        return True, key

    def _credentials(self) -> tuple[SetupProblem | None, str | None]:
        profile = self.profile()
        if profile is None:
            return SetupProblem("No endpoint is set up yet. Open Settings (Ctrl+,) and add "
                                "a profile.", "settings"), None
        try:
            key = self.secrets.get_key(profile.name)
        except SecretStoreError as exc:
            if profile.needs_key:
                return SetupProblem(f"{exc.message}", "run-key"), None
            key = None
        if key and self._on_secret is not None:
            self._on_secret(key)
        if not key and profile.needs_key:
            return SetupProblem(f"The profile “{profile.name}” needs an API key. Add it in "
                                "Settings (Ctrl+,).", "settings"), None
        try:
            check_transport(profile.chat_request([]), key)
        except InsecureTransportError as exc:
            return SetupProblem(exc.message, "settings"), None
        return None, key

    # -- conversations ----------------------------------------------------------------------

    def new_chat(self) -> None:
        self.current_id = -1
        self.conversation_opened.emit(-1, [], False)

    def open_conversation(self, conversation_id: int) -> bool:
        try:
            self.store.get_conversation(conversation_id)
            messages = self.store.messages(conversation_id, limit=PAGE_SIZE)
        except StorageError as exc:
            self._report(exc.message)
            return False
        self.current_id = conversation_id
        stream = self._streams.get(conversation_id)
        if stream is not None:
            # Show what has streamed so far, not the copy saved up to half a second ago.
            self._emit_pending()
            messages = [self._live(m, stream) if m.id == stream.message_id else m
                        for m in messages]
        self.conversation_opened.emit(conversation_id, messages, len(messages) == PAGE_SIZE)
        return True

    @staticmethod
    def _live(message: Any, stream: LiveStream) -> Any:
        return dataclasses.replace(
            message, content=stream.reply.content, reasoning=stream.reply.reasoning,
            tool_calls=stream.reply.tool_calls_json(), state="streaming")

    def older_messages(self, conversation_id: int, before_id: int) -> tuple[list[Any], bool]:
        try:
            page = self.store.messages(conversation_id, limit=PAGE_SIZE, before_id=before_id)
        except StorageError as exc:
            self._report(exc.message)
            return [], False
        return page, len(page) == PAGE_SIZE

    def _history(self, conversation_id: int, *, skip: int) -> list[ChatMessage]:
        turns: list[ChatMessage] = []
        for message in self.store.messages(conversation_id, limit=-1):
            if message.id == skip or message.role not in ("user", "assistant", "system"):
                continue
            if not message.content:
                continue
            if turns and turns[-1].role == message.role == "assistant":
                # A continued reply is two rows; the endpoint sees one answer.
                turns[-1] = ChatMessage("assistant", turns[-1].content + message.content)
                continue
            turns.append(ChatMessage(message.role, message.content))
        return turns

    # -- actions ----------------------------------------------------------------------------

    def send(self, text: str) -> bool:
        text = text.strip()
        if not text or self.is_streaming(self.current_id):
            return False
        ready, key = self._ready_key()
        if not ready:
            return False
        profile = self.profile()
        try:
            if self.current_id < 0:
                conversation = self.store.create_conversation(
                    profile=profile.name, model=profile.model)
                self.current_id = conversation.id
                self.conversation_opened.emit(conversation.id, [], False)
            user = self.store.add_user_message(self.current_id, text)
        except StorageError as exc:
            self._report(exc.message)
            return False
        self.message_added.emit(self.current_id, user)
        self.conversation_changed.emit(self.current_id)
        return self._start(self.current_id, key)

    def retry(self, message_id: int) -> bool:
        """Drop the assistant reply `message_id` (and anything after it) and ask again."""
        conversation_id = self.current_id
        if conversation_id < 0 or self.is_streaming(conversation_id):
            return False
        try:
            newest = self.store.messages(conversation_id, limit=1)
        except StorageError as exc:
            self._report(exc.message)
            return False
        if not newest or newest[-1].id != message_id or newest[-1].role != "assistant":
            return False  # only the newest reply: an older one would take the rest with it
        ready, key = self._ready_key()
        if not ready:
            return False
        try:
            self.store.delete_messages_from(message_id)
        except StorageError as exc:
            self._report(exc.message)
            return False
        self.messages_removed.emit(conversation_id, message_id)
        return self._start(conversation_id, key)

    regenerate = retry

    def continue_reply(self, message_id: int) -> bool:
        """After finish_reason `length`: ask for the rest as a new reply below it."""
        conversation_id = self.current_id
        if conversation_id < 0 or self.is_streaming(conversation_id):
            return False
        ready, key = self._ready_key()
        if not ready:
            return False
        return self._start(conversation_id, key, extra=[ChatMessage("user", CONTINUE_PROMPT)])

    def edit_and_resend(self, message_id: int, text: str) -> bool:
        """Replace the last user message's text, drop the replies after it, send again."""
        conversation_id = self.current_id
        text = text.strip()
        if conversation_id < 0 or not text or self.is_streaming(conversation_id):
            return False
        ready, key = self._ready_key()
        if not ready:
            return False
        try:
            later = [m for m in self.store.messages(conversation_id, limit=-1)
                     if m.id > message_id]
            self.store.edit_message(message_id, text)
            if later:
                self.store.delete_messages_from(later[0].id)
            edited = self.store.message(message_id)
        except StorageError as exc:
            self._report(exc.message)
            return False
        if later:
            self.messages_removed.emit(conversation_id, later[0].id)
        self.message_updated.emit(conversation_id, edited)
        self.conversation_changed.emit(conversation_id)
        return self._start(conversation_id, key)

    def stop(self, conversation_id: int | None = None) -> None:
        stream = self._streams.get(self.current_id if conversation_id is None else conversation_id)
        if stream is not None and stream.task is not None:
            stream.task.cancel()

    async def stop_all(self) -> None:
        tasks = [s.task for s in self._streams.values() if s.task is not None]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)

    async def aclose(self) -> None:
        """Stop every stream (each saves itself as stopped) and close the HTTP clients."""
        await self.stop_all()
        clients = list(self._clients.values())
        self._clients.clear()
        for client in clients:
            await client.aclose()

    async def wait_idle(self) -> None:
        """Until no reply is streaming (tests)."""
        while self._streams:
            tasks = [s.task for s in self._streams.values() if s.task is not None]
            await asyncio.gather(*tasks, return_exceptions=True)

    # -- models -----------------------------------------------------------------------------

    async def fetch_models(self) -> list[str]:
        profile = self.profile()
        url = profile.models_url() if profile is not None else None
        if url is None:
            return []
        try:
            key = self.secrets.get_key(profile.name)
        except SecretStoreError:
            key = None
        try:
            models = await list_models(url, api_key=key, http=self._client(profile))
        except ApiError as exc:
            log.info("model list unavailable for %s: %s", profile.name, exc.message)
            return []
        self.models_loaded.emit(profile.name, models)
        return models

    def _report(self, message: str) -> None:
        log.error("%s", message)
        if message not in self._reported:
            self._reported.add(message)
            self.problem_reported.emit(message)
