"""ChatController: sends, streams, stops, retries; persists as it streams; no widgets.

One asyncio task per streaming reply on the qasync loop (DESIGN.md §2), run by the
TurnRunner the controller owns. Deltas are folded once, into a core Reply, which the
transcript reads at its own frame rate; the reply is saved at most every ~0.5 s and once at
the end with its final state. Switching conversations never touches a running stream. The
widgets connect to the signals in one place (main_window.py).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from desktopchat.attachments import Attachment
from desktopchat.core.content_parts import has_images
from desktopchat.core.request import ChatMessage
from desktopchat.errors import ApiError, InsecureTransportError, SecretStoreError, StorageError
from desktopchat.storage.models import MessageState
from desktopchat.storage.store import AT_LEAF
from desktopchat.ui.branches import Branches
from desktopchat.ui.chat_events import ChatEvents
from desktopchat.ui.conversation_changes import ConversationChanges
from desktopchat.ui.error_text import shown_error
from desktopchat.ui.i18n import translate
from desktopchat.ui.settings_actions import fetch_models
from desktopchat.ui.setup_check import SetupCheck, no_images
from desktopchat.ui.stream_runner import LiveStream, SetupAction, SetupProblem, TurnRunner
from desktopchat.ui.tool_loop import ToolLoop, ToolSetup

if TYPE_CHECKING:
    from desktopchat.secrets import SecretStore
    from desktopchat.settings import Profile, Settings
    from desktopchat.settings.tool_settings import ToolSettings
    from desktopchat.storage.models import Conversation, Message
    from desktopchat.storage.store import HistoryStore

log = logging.getLogger(__name__)

PAGE_SIZE = 100
CONTINUE_PROMPT = "Continue exactly where your previous reply stopped. Do not repeat anything."


class ChatController(ChatEvents):
    """Decides what happens to conversations; its signals (ChatEvents) report it."""

    def __init__(
        self,
        store: HistoryStore,
        secrets: SecretStore,
        settings: Settings,
        *,
        on_secret: Callable[[str], None] | None = None,
        tools: ToolSetup | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.secrets = secrets
        self.settings = settings
        self.current_id = -1
        self._reported: set[str] = set()
        self.setup = SetupCheck(secrets, self, on_secret)
        self.tools = tools
        self.tool_loop = loop = None if tools is None else ToolLoop(
            store, tools.host, lambda: tools.settings, self.set_tool_settings, self, self._report)
        self.runner = TurnRunner(
            store, secrets, self, self._report,
            offer_tools=loop.offered if loop is not None else None,
            reply_finished=self._reply_finished if loop is not None else None)
        # Rename, pin and delete: one owner, which stops a live reply before deleting.
        self.conversations = ConversationChanges(store, self, self.runner)
        self.branches = Branches(store, self, self.open_conversation, self._report)
        self.runner.after_finish = self._after_finish
        # The profile (with the model and the toolbar's tweaks) the current chat uses; None:
        # the default profile. Never written back to the settings without the user asking.
        self.chat_profile: Profile | None = None

    # -- settings and state -----------------------------------------------------------------

    def set_settings(self, settings: Settings) -> None:
        self.settings = settings
        if self.chat_profile is not None:  # the chat keeps its profile (as now saved) and model
            base = settings.profile(self.chat_profile.name)
            self.chat_profile = (None if base is None
                                 else dataclasses.replace(base, model=self.chat_profile.model))

    def set_tool_settings(self, settings: ToolSettings, *, save: bool | None = None) -> None:
        """New tool settings (from Settings → Tools, "Always allow", or a chat's own tool
        choice): used from now on, and saved unless the dialog saved them already (by
        default: when the always-allowed list changed, as the loop's choices do)."""
        if self.tools is None:
            return
        if save is None:
            save = self.tools.settings.always_allowed != settings.always_allowed
        self.tools.settings = settings
        if save:
            try:
                self.tools.store.save(settings)
            except OSError as exc:
                self._report(translate("ChatController", "The tool settings could not be saved "
                                       "({problem}).").format(problem=exc.strerror or exc))

    def profile(self) -> Profile | None:
        return self.chat_profile or self.settings.active_profile()

    def choose_profile(self, profile: Profile) -> None:
        """The toolbar changed the profile or the model: this chat only (stored with it)."""
        self.chat_profile = profile
        if self.current_id >= 0:
            try:
                self.store.set_conversation_profile(self.current_id, profile.name, profile.model)
            except StorageError as exc:
                self._report(shown_error(exc))
        self.profile_shown.emit(profile)

    def _after_finish(self, final: Message) -> None:
        """A new version that failed before any text: show the version it was meant to
        replace again (the failed one stays selectable with ‹ ›, its error and Retry)."""
        if final.content or final.state not in (MessageState.ERROR, MessageState.INTERRUPTED):
            return
        try:
            versions = self.store.siblings(final.id)
            earlier = [m for m in versions if m.id < final.id]
            if not earlier:
                return
            self.store.select_branch(earlier[-1].id)
        except StorageError as exc:
            self._report(shown_error(exc))
            return
        if final.conversation_id == self.current_id:
            self.open_conversation(final.conversation_id)
            self.version_failed.emit(final.conversation_id, final.error or translate(
                "ChatController", "The reply failed."))

    def _profile_of(self, conversation: Conversation) -> Profile | None:
        """The stored profile and model of a chat, when that profile still exists."""
        base = self.settings.profile(conversation.profile) if conversation.profile else None
        if base is None:
            return None
        return dataclasses.replace(base, model=conversation.model or base.model)

    def is_streaming(self, conversation_id: int | None = None) -> bool:
        """A reply streams, or its tools run (the tool loop counts as one long turn)."""
        rounds = self.tool_loop.rounds if self.tool_loop is not None else {}
        if conversation_id is None:
            return bool(self.runner.streams or rounds)
        return conversation_id in self.runner.streams or conversation_id in rounds

    def streaming_message_id(self, conversation_id: int) -> int:
        stream = self.runner.streams.get(conversation_id)
        return -1 if stream is None else stream.message_id

    def check_setup(self) -> SetupProblem | None:
        """What is missing before a message can be sent (None: ready). Never asks the
        keyring: this runs at start-up and on every settings change, and a keyring may
        prompt. Whether a key is stored is found out when it is needed (send)."""
        return self.setup.credentials(self.profile(), read_keyring=False)[0]

    def _ready_key(self) -> tuple[bool, str | None]:
        return self.setup.ready_key(self.profile())

    # -- conversations ----------------------------------------------------------------------

    def new_chat(self) -> None:
        self.current_id = -1
        self.chat_profile = None
        self.conversation_opened.emit(-1, [], False)
        self.profile_shown.emit(self.profile())

    def open_conversation(self, conversation_id: int) -> bool:
        try:
            conversation = self.store.get_conversation(conversation_id)
            messages = self.store.current_path(conversation_id, limit=PAGE_SIZE)
        except StorageError as exc:
            self._report(shown_error(exc))
            return False
        if conversation_id != self.current_id or self.chat_profile is None:
            # Opening a chat restores its profile and model (a reopen keeps the toolbar's).
            self.chat_profile = self._profile_of(conversation)
        self.current_id = conversation_id
        stream = self.runner.streams.get(conversation_id)
        if stream is not None:
            # Show what has streamed so far, not the copy saved up to half a second ago.
            messages = [self._live(m, stream) if m.id == stream.message_id else m
                        for m in messages]
        self.conversation_opened.emit(conversation_id, messages, len(messages) == PAGE_SIZE)
        self.profile_shown.emit(self.profile())
        self.branches.refresh(conversation_id, messages)
        return True

    @staticmethod
    def _live(message: Message, stream: LiveStream) -> Message:
        return dataclasses.replace(
            message, content=stream.text, reasoning=stream.thinking,
            tool_calls=stream.reply.tool_calls_json(), state=MessageState.STREAMING)

    def older_messages(self, conversation_id: int, before_id: int) -> tuple[list[Message], bool]:
        try:
            page = self.store.current_path(conversation_id, limit=PAGE_SIZE, before_id=before_id)
        except StorageError as exc:
            self._report(shown_error(exc))
            return [], False
        return page, len(page) == PAGE_SIZE

    # -- actions ----------------------------------------------------------------------------

    def send(self, text: str, attachments: tuple[Attachment, ...] = ()) -> bool:
        text = text.strip()
        if (not text and not attachments) or self.is_streaming(self.current_id):
            return False
        if not self._images_allowed(attachments):
            return False
        ready, key = self._ready_key()
        profile = self.profile()
        if not ready or profile is None:
            return False
        try:
            if self.current_id < 0:
                conversation = self.store.create_conversation(
                    profile=profile.name, model=profile.model)
                self.current_id = conversation.id
                self.conversation_opened.emit(conversation.id, [], False)
            user = self.store.add_user_message(self.current_id, text, attachments=attachments)
        except StorageError as exc:
            self._report(shown_error(exc))
            return False
        self.message_added.emit(self.current_id, user)
        self.conversation_changed.emit(self.current_id)
        if self.tool_loop is not None:
            self.tool_loop.user_spoke(self.current_id)
        return self._start(self.current_id, key)

    def retry(self, message_id: int) -> bool:
        """Ask again for reply `message_id`: a new version beside it; the old one is kept."""
        conversation_id = self.current_id
        if conversation_id < 0 or self.is_streaming(conversation_id):
            return False
        try:
            message = self.store.message(message_id)
        except StorageError as exc:
            self._report(shown_error(exc))
            return False
        if message.role != "assistant" or message.conversation_id != conversation_id:
            return False
        ready, key = self._ready_key()
        if not ready:
            return False
        # The view drops this reply and what follows it; the new version takes its place.
        self.messages_removed.emit(conversation_id, message_id)
        started = self._start(conversation_id, key, parent_id=message.parent_id)
        self.branches.refresh(conversation_id)
        return started

    regenerate = retry

    def continue_reply(self, message_id: int) -> bool:
        """After finish_reason `length`: the same reply streams on (one message, one text)."""
        conversation_id = self.current_id
        if conversation_id < 0 or self.is_streaming(conversation_id):
            return False
        try:
            message = self.store.message(message_id)
        except StorageError as exc:
            self._report(shown_error(exc))
            return False
        if message.role != "assistant" or message.conversation_id != conversation_id:
            return False
        ready, key = self._ready_key()
        profile = self.profile()
        if not ready or profile is None:
            return False
        return self.runner.start(profile, conversation_id, key,
                                 [ChatMessage("user", CONTINUE_PROMPT)], resume=message)

    def edit_and_resend(self, message_id: int, text: str,
                        attachments: tuple[Attachment, ...] | None = None) -> bool:
        """A new version of user message `message_id` with `text`, and a reply to it.
        `attachments`: the new version's files; None keeps the original's."""
        conversation_id = self.current_id
        text = text.strip()
        if attachments is None:
            attachments = self.attachments_of(message_id)
        if (conversation_id < 0 or (not text and not attachments)
                or self.is_streaming(conversation_id)):
            return False
        if not self._images_allowed(attachments):
            return False
        ready, key = self._ready_key()
        if not ready:
            return False
        try:
            original = self.store.message(message_id)
            edited = self.store.add_user_message(
                conversation_id, text, parent_id=original.parent_id, attachments=attachments)
        except StorageError as exc:
            self._report(shown_error(exc))
            return False
        self.messages_removed.emit(conversation_id, message_id)
        self.message_added.emit(conversation_id, edited)
        self.conversation_changed.emit(conversation_id)
        started = self._start(conversation_id, key)
        self.branches.refresh(conversation_id)
        return started

    def attachments_of(self, message_id: int) -> tuple[Attachment, ...]:
        try:
            return tuple(self.store.attachments([message_id]).get(message_id, ()))
        except StorageError as exc:
            self._report(shown_error(exc))
            return ()

    def _images_allowed(self, attachments: tuple[Attachment, ...]) -> bool:
        """False (and the composer says why) for images to a profile that takes none."""
        profile = self.profile()
        if profile is None or not has_images(attachments) or profile.accepts_images:
            return True
        self.setup_needed.emit(
            SetupProblem(no_images(profile.name), SetupAction.SETTINGS))
        return False

    def _start(self, conversation_id: int, key: str | None,
               extra: list[ChatMessage] | None = None, parent_id: int | None = AT_LEAF) -> bool:
        profile = self.profile()
        if profile is None:  # _ready_key() said ready, so a profile exists
            return False
        return self.runner.start(profile, conversation_id, key, extra, parent_id)

    def stop(self, conversation_id: int | None = None) -> None:
        target = self.current_id if conversation_id is None else conversation_id
        self.runner.cancel(target)
        if self.tool_loop is not None:
            self.tool_loop.cancel(target)

    def _reply_finished(self, message: Message, profile: Profile) -> None:
        """A reply is final: if it called tools, run them (the loop's next step)."""
        if self.tool_loop is not None and self.tool_loop.wants_round(message):
            self.tool_loop.start_round(message, profile, self._reply_after_tools)

    def _reply_after_tools(self, conversation_id: int, parent_id: int) -> bool:
        ready, key = self._ready_key()
        profile = self.profile()
        if not ready or profile is None:
            return False
        return self.runner.start(profile, conversation_id, key, parent_id=parent_id)

    async def stop_all(self) -> None:
        rounds = list(self.tool_loop.rounds.values()) if self.tool_loop is not None else []
        for task in rounds:
            task.cancel()
        if rounds:
            await asyncio.gather(*rounds, return_exceptions=True)
        await self.runner.stop_all()

    async def aclose(self) -> None:
        """Stop every stream and tool (each saves itself as stopped), close the HTTP clients
        and stop the MCP servers (no server process outlives the app)."""
        await self.stop_all()
        await self.runner.close_clients()
        if self.tools is not None:
            await asyncio.to_thread(self.tools.host.shutdown)

    async def wait_idle(self) -> None:
        """Until no reply is streaming and no tool round runs (tests)."""
        while self.is_streaming():
            tasks: list[asyncio.Future[None]] = [
                s.task for s in self.runner.streams.values() if s.task is not None]
            if self.tool_loop is not None:
                tasks += self.tool_loop.rounds.values()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def fetch_models(self) -> list[str]:
        """The active profile's model list for the toolbar ([] when there is none)."""
        profile = self.profile()
        if profile is None or profile.models_url() is None:
            return []
        try:  # off the UI thread: the keyring may be prompting
            key = await asyncio.wrap_future(self.secrets.key_soon(profile.name))
        except SecretStoreError:
            key = None
        try:
            models = await fetch_models(profile, api_key=key,
                                        http=await self.runner.client(profile))
        except (ApiError, InsecureTransportError) as exc:
            log.info("model list unavailable for %s: %s", profile.name, exc.message)
            return []
        self.models_loaded.emit(profile.name, models)
        return models

    def _report(self, message: str) -> None:
        log.error("%s", message)
        if message not in self._reported:
            self._reported.add(message)
            self.problem_reported.emit(message)
