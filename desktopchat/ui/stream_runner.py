"""The streaming half of ChatController: one asyncio task per reply, coalesced signals,
throttled saves, and the final state written once whatever happened (DESIGN.md §2).

A mixin: it uses the controller's store, signals and `_report`.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from typing import Any

from desktopchat.core.events import ContentDelta, ConversationId, ReasoningDelta, ToolCallDelta
from desktopchat.core.http import make_client
from desktopchat.core.reply import Reply
from desktopchat.core.request import ChatMessage
from desktopchat.core.stream import stream_chat
from desktopchat.errors import (
    ApiError,
    InsecureTransportError,
    InterruptedStreamError,
    SecretStoreError,
    StorageError,
)

log = logging.getLogger("desktopchat.ui.controller")

SAVE_INTERVAL_S = 0.5  # a crash or kill loses at most this much of a reply
EMIT_INTERVAL_MS = 33  # at most ~30 updates a second reach the widgets


@dataclasses.dataclass(frozen=True)
class SetupProblem:
    """Why a message cannot be sent yet, and what the composer should offer."""

    message: str
    action: str  # "settings" | "run-key" | ""


@dataclasses.dataclass
class LiveStream:
    conversation_id: int
    message_id: int
    reply: Reply = dataclasses.field(default_factory=Reply)
    task: asyncio.Task[None] | None = None
    content: list[str] = dataclasses.field(default_factory=list)  # not yet emitted
    reasoning: list[str] = dataclasses.field(default_factory=list)
    tools_dirty: bool = False


class StreamRunner:
    store: Any
    secrets: Any
    _streams: dict[int, LiveStream]
    _clients: dict[tuple[Any, ...], Any]

    # -- streaming --------------------------------------------------------------------------

    def _client(self, profile: Any) -> Any:
        """One httpx client per (event loop, proxy settings): connections are reused."""
        password = None
        if profile.proxy_needs_password():
            try:
                password = self.secrets.get_proxy_password(profile.name)
            except SecretStoreError:
                password = None
        options = profile.client_options(password)
        key = (id(asyncio.get_running_loop()), options["proxy"], options["trust_env"])
        client = self._clients.get(key)
        if client is None or client.is_closed:
            client = self._clients[key] = make_client(**options)
        return client

    def _start(self, conversation_id: int, key: str | None,
               extra: list[ChatMessage] | None = None) -> bool:
        profile = self.profile()
        try:
            conversation = self.store.get_conversation(conversation_id)
            history = self._history(conversation_id, skip=-1) + list(extra or [])
            assistant = self.store.start_assistant_message(conversation_id)
        except StorageError as exc:
            self._report(exc.message)
            return False
        request = profile.chat_request(
            history, conversation_id=conversation.provider_conversation_id)
        stream = LiveStream(conversation_id, assistant.id)
        self._streams[conversation_id] = stream
        self.message_added.emit(conversation_id, assistant)
        self.streaming_changed.emit(conversation_id, True)
        stream.task = asyncio.ensure_future(self._run(stream, request, key, profile))
        return True

    async def _run(self, stream: LiveStream, request: Any, key: str | None, profile: Any) -> None:
        reply = stream.reply
        state, error = "complete", None
        last_save = time.monotonic()
        try:
            client = self._client(profile)
            async for event in stream_chat(request, api_key=key, http=client, reply=reply):
                if isinstance(event, ContentDelta):
                    stream.content.append(event.text)
                elif isinstance(event, ReasoningDelta):
                    stream.reasoning.append(event.text)
                elif isinstance(event, ToolCallDelta):
                    stream.tools_dirty = True
                elif isinstance(event, ConversationId):
                    self._save_conversation_id(stream.conversation_id, event.value)
                if not self._emit_timer.isActive():
                    self._emit_timer.start()
                now = time.monotonic()
                if now - last_save >= SAVE_INTERVAL_S:
                    last_save = now
                    self._save_progress(stream)
        except asyncio.CancelledError:
            state = "stopped"
        except InterruptedStreamError as exc:
            state, error = "interrupted", exc.message
        except ApiError as exc:
            state, error = "error", exc.message
        except InsecureTransportError as exc:
            state, error = "error", exc.message
            self.setup_needed.emit(SetupProblem(exc.message, "settings"))
        except Exception as exc:  # a bug: keep the text, say so once, log the traceback
            log.exception("unexpected failure while streaming")
            state, error = "error", f"Unexpected problem ({type(exc).__name__}). Details are in " \
                                    "the log."
            self._report(f"Something went wrong while streaming: {type(exc).__name__}: {exc}")
        finally:
            self._finish(stream, state, error)

    def _save_conversation_id(self, conversation_id: int, value: str) -> None:
        try:
            self.store.set_provider_conversation_id(conversation_id, value)
        except StorageError as exc:
            self._report(exc.message)

    def _save_progress(self, stream: LiveStream) -> None:
        reply = stream.reply
        try:
            self.store.update_assistant_message(
                stream.message_id, content=reply.content, reasoning=reply.reasoning,
                tool_calls=reply.tool_calls_json())
        except StorageError as exc:
            self._report(exc.message)

    def _finish(self, stream: LiveStream, state: str, error: str | None) -> None:
        self._emit_one(stream)
        self._streams.pop(stream.conversation_id, None)
        reply = stream.reply
        try:
            self.store.finish_assistant_message(
                stream.message_id, state=state, content=reply.content,
                reasoning=reply.reasoning, tool_calls=reply.tool_calls_json(),
                finish_reason=reply.finish_reason, usage=reply.usage, error=error)
            final = self.store.message(stream.message_id)
        except StorageError as exc:
            self._report(exc.message)
            final = None
        if final is not None:
            self.message_updated.emit(stream.conversation_id, final)
        self.streaming_changed.emit(stream.conversation_id, False)
        self.conversation_changed.emit(stream.conversation_id)

    def _emit_pending(self) -> None:
        for stream in list(self._streams.values()):
            self._emit_one(stream)

    def _emit_one(self, stream: LiveStream) -> None:
        if stream.content or stream.reasoning:
            content, reasoning = "".join(stream.content), "".join(stream.reasoning)
            stream.content.clear()
            stream.reasoning.clear()
            self.stream_delta.emit(stream.conversation_id, stream.message_id, content, reasoning)
        if stream.tools_dirty:
            stream.tools_dirty = False
            self.stream_tool_calls.emit(stream.conversation_id, stream.message_id,
                                        stream.reply.tool_calls_json())

