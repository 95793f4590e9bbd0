"""TurnRunner: one asyncio task per streaming reply, throttled saves, and the final state
written once whatever happened (DESIGN.md §2).

Owned by the ChatController, which decides *whether* a turn runs; the runner only runs
it and reports through the controller's ChatEvents. Text is folded once, into the core
Reply, as it is decoded; after each network read the runner says `stream_progressed`
with that Reply, and the transcript takes the new text from it at its next frame. No
timer and no second buffer sit between the socket and the screen.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Awaitable, Callable
from enum import StrEnum
from typing import TYPE_CHECKING

from desktopchat.core.content_parts import explained_failure
from desktopchat.core.events import ContentDelta, ConversationId, ReasoningDelta
from desktopchat.core.history import request_messages
from desktopchat.core.http import make_client
from desktopchat.core.reply import Reply, StoredReply
from desktopchat.core.request import ChatMessage, ChatRequest
from desktopchat.core.stream import stream_batches
from desktopchat.errors import (
    ApiError,
    InsecureTransportError,
    InterruptedStreamError,
    SecretStoreError,
    StorageError,
)
from desktopchat.profile_requests import chat_request, client_options
from desktopchat.storage.models import MessageState
from desktopchat.storage.store import AT_LEAF
from desktopchat.ui.chat_events import ChatEvents
from desktopchat.ui.error_text import shown_error
from desktopchat.ui.i18n import translate

if TYPE_CHECKING:
    import httpx

    from desktopchat.secrets import SecretStore
    from desktopchat.settings import Profile
    from desktopchat.storage.models import Message
    from desktopchat.storage.store import HistoryStore

log = logging.getLogger("desktopchat.ui.controller")

SAVE_INTERVAL_S = 0.5  # a crash or kill loses at most this much of a reply


class SetupAction(StrEnum):
    """What the composer's hint offers to do about a SetupProblem."""

    SETTINGS = "settings"
    RUN_KEY = "run-key"  # the keyring cannot keep keys: ask for one for this run
    NONE = ""


@dataclasses.dataclass(frozen=True)
class SetupProblem:
    """Why a message cannot be sent yet, and what the composer should offer."""

    message: str
    action: SetupAction


@dataclasses.dataclass
class LiveStream:
    conversation_id: int
    message_id: int
    reply: Reply = dataclasses.field(default_factory=Reply)  # the one fold of the deltas
    task: asyncio.Task[None] | None = None
    secret: str | None = dataclasses.field(default=None, repr=False)  # scrubbed before storing
    # Continue: the text the reply had before it resumed; the stream adds to it.
    prefix: str = ""
    reasoning_prefix: str = ""
    started: float = dataclasses.field(default_factory=time.monotonic)
    first_token: float | None = None  # monotonic time of the first content or reasoning
    deltas: int = 0  # content and reasoning pieces: a token count when usage is missing

    @property
    def text(self) -> str:
        return self.prefix + self.reply.content

    @property
    def thinking(self) -> str:
        return self.reasoning_prefix + self.reply.reasoning

    def storable(self) -> StoredReply:
        """What storage receives: the reply scrubbed of the key, after any resumed text
        (which came from storage, scrubbed already)."""
        fields = self.reply.storable(self.secret)
        fields["content"] = self.prefix + fields["content"]
        fields["reasoning"] = self.reasoning_prefix + fields["reasoning"]
        return fields

    def timing(self) -> tuple[float | None, float | None]:
        """(seconds to the first token, tokens per second after it) as far as known."""
        if self.first_token is None:
            return None, None
        elapsed = time.monotonic() - self.first_token
        usage = self.reply.usage or {}
        tokens = usage.get("completion_tokens")
        count = tokens if isinstance(tokens, int) and tokens > 0 else self.deltas
        rate = count / elapsed if elapsed > 0.05 and count > 1 else None
        return self.first_token - self.started, rate


ClientKey = tuple[int, str | None, bool]
# (conversation id, profile) -> the MCP tools to offer, as OpenAI functions.
OfferTools = Callable[[int, "Profile"], Awaitable[list[dict[str, object]]]]
# A reply reached its final state (the tool loop looks for calls to run).
ReplyFinished = Callable[["Message", "Profile"], None]


class TurnRunner:
    """Runs and tracks the streaming replies, at most one per conversation."""

    def __init__(self, store: HistoryStore, secrets: SecretStore, events: ChatEvents,
                 report: Callable[[str], None], *, offer_tools: OfferTools | None = None,
                 reply_finished: ReplyFinished | None = None) -> None:
        self.store = store
        self._offer_tools = offer_tools
        self._reply_finished = reply_finished
        self.secrets = secrets
        self._events = events
        self._report = report
        self.streams: dict[int, LiveStream] = {}
        # Called with every reply's final stored state (the controller decides what to show).
        self.after_finish: Callable[[Message], None] | None = None
        self._clients: dict[ClientKey, httpx.AsyncClient] = {}

    # -- clients ----------------------------------------------------------------------------

    async def client(self, profile: Profile) -> httpx.AsyncClient:
        """One httpx client per (event loop, proxy settings): connections are reused.

        A custom proxy's password is read on a keyring worker thread, as keys are: the
        keyring may be showing its prompt, and the UI thread must keep painting."""
        password = None
        if profile.proxy_needs_password():
            try:
                password = await asyncio.wrap_future(
                    self.secrets.proxy_password_soon(profile.name))
            except SecretStoreError:
                password = None
        options = client_options(profile, password)
        key = (id(asyncio.get_running_loop()), options["proxy"], options["trust_env"])
        client = self._clients.get(key)
        if client is None or client.is_closed:
            client = self._clients[key] = make_client(**options)
        return client

    async def close_clients(self) -> None:
        clients = list(self._clients.values())
        self._clients.clear()
        for client in clients:
            await client.aclose()

    # -- turns ------------------------------------------------------------------------------

    def start(self, profile: Profile, conversation_id: int, key: str | None,
              extra: list[ChatMessage] | None = None, parent_id: int | None = AT_LEAF,
              resume: Message | None = None) -> bool:
        """Stream a reply below `parent_id` (AT_LEAF: the end of the branch shown), or, with
        `resume`, more of that reply (Continue: one message, one text)."""
        try:
            conversation = self.store.get_conversation(conversation_id)
            if resume is not None:
                path = self.store.path_to(resume.id)
            elif parent_id == AT_LEAF:
                path = self.store.current_path(conversation_id)
            else:
                path = self.store.path_to(parent_id)
            files = self.store.attachments([m.id for m in path if m.role == "user"])
            request = chat_request(
                profile, request_messages(path, files) + list(extra or []),
                conversation_id=conversation.provider_conversation_id)
            if resume is not None:
                assistant = self.store.resume_assistant_message(resume.id)
            else:
                assistant = self.store.start_assistant_message(
                    conversation_id, parent_id=parent_id, profile=profile.name,
                    model=request.model)
        except StorageError as exc:
            self._report(shown_error(exc))
            return False
        stream = LiveStream(conversation_id, assistant.id, secret=key, prefix=assistant.content,
                            reasoning_prefix=assistant.reasoning)
        self.streams[conversation_id] = stream
        if resume is not None:
            self._events.message_updated.emit(conversation_id, assistant)
        else:
            self._events.message_added.emit(conversation_id, assistant)
        self._events.streaming_changed.emit(conversation_id, True)
        stream.task = asyncio.ensure_future(self._run(stream, request, key, profile))
        return True

    async def stop_all(self) -> None:
        """Stop every stream; each saves itself as stopped before this returns."""
        tasks = [s.task for s in self.streams.values() if s.task is not None]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)

    def cancel(self, conversation_id: int) -> asyncio.Task[None] | None:
        """Ask the conversation's stream to stop (it saves itself as stopped); its task."""
        stream = self.streams.get(conversation_id)
        if stream is None or stream.task is None:
            return None
        stream.task.cancel()
        return stream.task

    async def _run(self, stream: LiveStream, request: ChatRequest, key: str | None,
                   profile: Profile) -> None:
        reply = stream.reply
        state, error = MessageState.COMPLETE, None
        last_save = time.monotonic()
        progressed = self._events.stream_progressed
        cid, mid = stream.conversation_id, stream.message_id
        try:
            client = await self.client(profile)
            if self._offer_tools is not None:
                offered = await self._offer_tools(stream.conversation_id, profile)
                if offered:
                    request = dataclasses.replace(request, tools=(*request.tools, *offered))
            # One batch per network read, already folded into `reply`.
            async for batch in stream_batches(request, api_key=key, http=client, reply=reply):
                for event in batch:
                    if isinstance(event, ContentDelta | ReasoningDelta):
                        stream.deltas += 1
                        if stream.first_token is None:
                            stream.first_token = time.monotonic()
                    elif isinstance(event, ConversationId):
                        self._save_conversation_id(cid, event.value)
                progressed.emit(cid, mid, stream)
                now = time.monotonic()
                if now - last_save >= SAVE_INTERVAL_S:
                    last_save = now
                    self._save_progress(stream)
        except asyncio.CancelledError:
            state = MessageState.STOPPED
        except InterruptedStreamError as exc:
            state, error = MessageState.INTERRUPTED, shown_error(exc)
        except ApiError as exc:
            sent_images = any(m.has_images for m in request.messages)
            state, error = MessageState.ERROR, shown_error(
                exc, explained_failure(exc, sent_images))
        except InsecureTransportError as exc:
            state, error = MessageState.ERROR, shown_error(exc)
            self._events.setup_needed.emit(SetupProblem(shown_error(exc), SetupAction.SETTINGS))
        except Exception as exc:  # a bug: keep the text, say so once, log the traceback
            log.exception("unexpected failure while streaming")
            state = MessageState.ERROR
            error = translate("StreamRunner", "Unexpected problem ({error}). Details are in the "
                              "log.").format(error=type(exc).__name__)
            self._report(translate("StreamRunner", "Something went wrong while streaming: "
                                   "{error}").format(error=f"{type(exc).__name__}: {exc}"))
        finally:
            self._finish(stream, state, error, profile)

    def _save_conversation_id(self, conversation_id: int, value: str) -> None:
        try:
            self.store.set_provider_conversation_id(conversation_id, value)
        except StorageError as exc:
            self._report(shown_error(exc))

    def _save_progress(self, stream: LiveStream) -> None:
        try:
            self.store.update_assistant_message(stream.message_id, **stream.storable())
        except StorageError as exc:
            self._report(shown_error(exc))

    def _finish(self, stream: LiveStream, state: str, error: str | None,
                profile: Profile) -> None:
        self.streams.pop(stream.conversation_id, None)
        reply = stream.reply
        first_token_s, tokens_per_s = stream.timing()
        try:
            self.store.finish_assistant_message(
                stream.message_id, state=state, **stream.storable(),
                finish_reason=reply.finish_reason, usage=reply.usage, error=error,
                first_token_s=first_token_s, tokens_per_s=tokens_per_s)
            final = self.store.message(stream.message_id)
        except StorageError as exc:
            self._report(shown_error(exc))
            final = None
        except Exception as exc:  # a bug: the stream must still end, or the window waits forever
            log.exception("the finished reply could not be saved")
            self._report(translate("StreamRunner", "Something went wrong while streaming: "
                                   "{error}").format(error=f"{type(exc).__name__}: {exc}"))
            final = None
        events = self._events
        if final is not None:
            events.message_updated.emit(stream.conversation_id, final)
            if self.after_finish is not None:
                self.after_finish(final)
        events.streaming_changed.emit(stream.conversation_id, False)
        events.conversation_changed.emit(stream.conversation_id)
        if final is not None and self._reply_finished is not None:
            self._reply_finished(final, profile)
