"""The history side of one reply: written while the request is on its way, never lost.

`ask` sends its request before it opens the history: opening the file and importing
storage take about as long as importing the HTTP client, so they would delay the request
by that much (benchmarks/cli_startup.py). The turn (a new conversation, the system prompt,
the user's message and the reply's `streaming` row) is written on a helper thread from
the moment the request has left, while the server thinks.

Every way out keeps the user's message:
- the reply waits for the rows before it shows its first piece (so a reader of the
  history sees the streaming row by then) and before it saves its final state;
- a request that never left (no connection, a bad URL) writes them when it fails;
- `ask` settles the turn when it ends by any other way (an error, Ctrl+C): the user's
  message is written then, without a reply row, if it was not yet;
- a history another program holds locked (the window writing a long import) is waited
  for: a note says so once, the spinner (on a terminal) keeps turning and says what it
  waits for, and the writes are tried again until they pass. Ctrl+C while waiting gives
  up (exit 130) with a line saying what was not saved.

The steps remember what they have written, so a retry never writes a row twice. The
thread and the main thread never use the history at the same time: the main thread
waits for the thread before it touches the history.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktopchat.errors import HistoryBusyError

if TYPE_CHECKING:
    from desktopchat.storage.store import HistoryStore

    from .terminal import Terminal


WAITING_LABEL = "waiting for the history (another program holds it locked)"
LEAF = object()  # the end of the branch shown (storage's AT_LEAF, without importing storage)


@dataclass(frozen=True)
class Placed:
    conversation_id: int
    message_id: int  # the reply's row


class TurnSteps:
    """The writes of one turn, each done once; `reply` adds the reply's streaming row.

    conversation_id None: a new conversation (titled by the user's message). parent_id:
    the reply's parent (regenerate, a tool round; None: a first message); LEAF: the end of
    the branch shown."""

    def __init__(
        self,
        *,
        conversation_id: int | None,
        label: str,
        model: str,
        system: str | None = None,
        user_text: str | None = None,
        parent_id: int | object | None = LEAF,
    ) -> None:
        self.conversation_id = conversation_id
        self._label = label
        self._model = model
        self._system = system
        self._user_text = user_text
        self._parent_id = parent_id
        self.message_id: int | None = None

    @property
    def user_saved(self) -> bool:
        return self.conversation_id is not None and self._user_text is None

    def write(self, store: HistoryStore, *, reply: bool) -> None:
        if self.conversation_id is None:
            self.conversation_id = store.create_conversation(
                profile=self._label, model=self._model).id
        if self._system is not None:
            store.add_message(self.conversation_id, "system", self._system)
            self._system = None
        if self._user_text is not None:
            store.add_user_message(self.conversation_id, self._user_text)
            self._user_text = None
        if reply and self.message_id is None:
            from desktopchat.storage.store import AT_LEAF

            parent = AT_LEAF if self._parent_id is LEAF else self._parent_id
            self.message_id = store.start_assistant_message(
                self.conversation_id, parent_id=parent,  # type: ignore[arg-type]
                profile=self._label, model=self._model).id


class PendingTurn:
    """TurnSteps run against the history `open_store()` gives, at the latest when needed."""

    def __init__(
        self, open_store: Callable[[], HistoryStore], steps: TurnSteps, terminal: Terminal
    ) -> None:
        self._open_store = open_store
        self.steps = steps
        self._terminal = terminal
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None
        self._given_up = False
        self._noted_busy = False
        self._labelled = False  # the spinner says it waits for the history

    @property
    def store(self) -> HistoryStore:
        return self._open_store()

    def start(self) -> None:
        """The request has left: write the whole turn, reply row included, on a thread."""
        if self._thread is None and self.steps.message_id is None:
            self._thread = threading.Thread(
                target=self._background, name="history-turn", daemon=True)
            self._thread.start()

    def placed(self) -> Placed:
        """The turn's rows, reply row included, written now if they are not yet."""
        self._settle(reply=True)
        assert self.steps.conversation_id is not None and self.steps.message_id is not None
        return Placed(self.steps.conversation_id, self.steps.message_id)

    def settle(self) -> None:
        """At the end, whatever happened: at least the user's message is written."""
        self._settle(reply=False)

    def _background(self) -> None:
        try:
            self._write(reply=True)
        except BaseException as exc:  # handed to the main thread, which reports it
            self._failure = exc

    def _settle(self, *, reply: bool) -> None:
        try:
            if self._thread is not None:
                self._thread.join()
                self._thread = None
                failure, self._failure = self._failure, None
                if failure is not None:
                    raise failure
            self._write(reply=reply)
        except KeyboardInterrupt:
            self._given_up = True  # the thread stops trying; the process is ending
            if not self.steps.user_saved:
                self._terminal.note(
                    "desktopchat: note: stopped while the history was busy; this message "
                    "was not saved.")
            raise

    def _write(self, *, reply: bool) -> None:
        while True:
            try:
                self.steps.write(self._open_store(), reply=reply)
                if self._labelled:
                    self._labelled = False
                    self._terminal.spinner_label("")
                return
            except HistoryBusyError:
                if self._given_up:
                    raise
                if not self._noted_busy:
                    self._noted_busy = True
                    self._terminal.note(
                        "desktopchat: note: another program holds the history locked; "
                        "waiting for it to save this turn (Ctrl+C gives up).")
                if not self._labelled:
                    self._labelled = True
                    self._terminal.spinner_label(WAITING_LABEL)
                # The store's own busy timeout paced this attempt; simply try again.
