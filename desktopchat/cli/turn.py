"""One streamed reply: to the terminal as it arrives, into the history as the GUI saves it.

The reply row is written `streaming` first, saved at most every SAVE_INTERVAL_S while it
grows (a crash or kill loses at most that), and finished once with its final state,
whatever happened: complete, stopped (Ctrl+C), interrupted (the stream broke off) or error.
Exit status: 0 complete, 1 API or network error, 130 stopped.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktopchat.core.events import ContentDelta, ConversationId, ReasoningDelta
from desktopchat.errors import (
    ApiError,
    InsecureTransportError,
    InterruptedStreamError,
    StorageError,
)
from desktopchat.redact_stream import StreamScrub

if TYPE_CHECKING:
    import ssl
    from collections.abc import Callable

    from desktopchat.core.events import StreamEvent
    from desktopchat.core.reply import Reply
    from desktopchat.core.request import ChatRequest

    from .endpoint import Endpoint
    from .pending import PendingTurn, Placed
    from .terminal import Terminal

from .errors import EXIT_ERROR, EXIT_OK, EXIT_STOPPED
from .interrupts import Interrupts

SAVE_INTERVAL_S = 0.5
_EXIT_FOR_STATE = {
    "complete": EXIT_OK,
    "stopped": EXIT_STOPPED,
    "interrupted": EXIT_ERROR,
    "error": EXIT_ERROR,
}


@dataclass(frozen=True)
class Outcome:
    conversation_id: int
    message_id: int
    state: str
    error: str | None

    @property
    def exit_status(self) -> int:
        return _EXIT_FOR_STATE[self.state]


def _rate(usage: dict[str, object] | None, deltas: int, first_token: float | None) -> float | None:
    """Tokens per second after the first token, as the window counts them: the provider's
    completion tokens, else the number of streamed pieces."""
    if first_token is None:
        return None
    elapsed = time.monotonic() - first_token
    tokens = (usage or {}).get("completion_tokens")
    count = tokens if isinstance(tokens, int) and not isinstance(tokens, bool) and tokens > 0 \
        else deltas
    return count / elapsed if elapsed > 0.05 and count > 1 else None


class Turn:
    """Streams `request` into the reply row `pending` writes (once the request has left)."""

    def __init__(
        self,
        pending: PendingTurn,
        terminal: Terminal,
        *,
        show_text: bool,
        show_reasoning: bool,
        tls: Callable[[], tuple[ssl.SSLContext | None, bool]] = lambda: (None, False),
    ) -> None:
        self._tls = tls
        self._pending = pending
        self._terminal = terminal
        self._placed: Placed | None = None
        self._show_text = show_text
        self._show_reasoning = show_reasoning and show_text
        # What is printed is scrubbed of the key like the stored copy (a server may echo
        # it, and `ask > file` puts stdout on disk); set per request in `run`.
        self._text_scrub = StreamScrub([])
        self._reasoning_scrub = StreamScrub([])

    def _rows(self) -> Placed:
        if self._placed is None:
            self._placed = self._pending.placed()
        return self._placed

    def run(self, request: ChatRequest, endpoint: Endpoint) -> Outcome:
        from desktopchat.core.reply import Reply

        from .senders import open_batches

        reply = Reply()
        self._text_scrub = StreamScrub([endpoint.key])
        self._reasoning_scrub = StreamScrub([endpoint.key])
        # Whatever ends the stream early and is not named below is saved as an error: a
        # partial reply is never stored as complete.
        state = "error"
        error: str | None = "The reply was cut short by an unexpected problem."
        batches = open_batches(request, endpoint, reply, tls=self._tls,
                               on_sent=self._pending.start)
        if self._show_text:
            self._terminal.start_spinner()
        started = last_save = time.monotonic()
        first_token: float | None = None
        deltas = 0
        interrupts = Interrupts().__enter__()
        try:
            pieces = iter(batches)
            while True:
                with interrupts.waiting():
                    batch = next(pieces, None)
                    if batch is None:
                        break
                    self._rows()  # the streaming row exists before anything is shown
                if first_token is None and reply.has_output:
                    first_token = time.monotonic()
                deltas += self._show(batch)
                now = time.monotonic()
                if now - last_save >= SAVE_INTERVAL_S:
                    last_save = now
                    self._save_progress(reply, endpoint.key)
                interrupts.check()
            state, error = "complete", None
        except KeyboardInterrupt:
            state, error = "stopped", None  # Ctrl+C: the text so far stays
        except BrokenPipeError:
            state, error = "stopped", None  # the reader went away (`| head`): as if stopped
            raise
        except InterruptedStreamError as exc:
            state, error = "interrupted", exc.message
        except (ApiError, InsecureTransportError) as exc:
            state, error = "error", exc.message
        finally:
            interrupts.__exit__()  # from here a Ctrl+C is the default one again
            self._terminal.stop_spinner()
            try:
                # Saved before anything else (a second Ctrl+C lands there). A request that
                # never left writes the turn's rows now.
                placed = self._rows()
                self._pending.store.finish_assistant_message(
                    placed.message_id,
                    state=state,
                    **reply.storable(endpoint.key),  # a server may echo the key back
                    finish_reason=reply.finish_reason,
                    usage=reply.usage,
                    error=error,
                    first_token_s=None if first_token is None else first_token - started,
                    tokens_per_s=_rate(reply.usage, deltas, first_token),
                )
            finally:
                with contextlib.suppress(OSError):  # stdout may be gone (a closed pipe)
                    self._flush_held()  # the held last word of a partial reply too
                    if self._show_text and reply.content:
                        self._terminal.end_answer()
                batches.close()
        return Outcome(placed.conversation_id, placed.message_id, state, error)

    def _show(self, batch: list[StreamEvent]) -> int:
        """Put a batch on the terminal; how many pieces of text it held."""
        text: list[str] = []
        for event in batch:
            if isinstance(event, ContentDelta):
                text.append(event.text)
            elif isinstance(event, ReasoningDelta):
                if self._show_reasoning:
                    self._terminal.reasoning(self._reasoning_scrub.feed(event.text))
            elif isinstance(event, ConversationId):
                self._pending.store.set_provider_conversation_id(
                    self._rows().conversation_id, event.value)
        if text and self._show_text:
            # The reasoning's held last word goes out before the answer starts below it.
            # Reasoning that resumes after that is scrubbed as a text of its own: a key
            # split across that seam could show fewer than 8 characters on each side.
            self._terminal.reasoning(self._reasoning_scrub.finish())
            self._terminal.write(self._text_scrub.feed("".join(text)))
        return len(text)

    def _flush_held(self) -> None:
        """The end of the stream, however it ended: what each scrub held back, scrubbed."""
        if self._show_reasoning:
            self._terminal.reasoning(self._reasoning_scrub.finish())
        if self._show_text:
            self._terminal.write(self._text_scrub.finish())

    def _save_progress(self, reply: Reply, key: str | None) -> None:
        try:
            self._pending.store.update_assistant_message(
                self._rows().message_id, **reply.storable(key))
        except StorageError as exc:
            # The GUI may hold the write lock for a moment; the final save tries again.
            self._terminal.note(f"desktopchat: note: progress not saved yet ({exc.message})")
