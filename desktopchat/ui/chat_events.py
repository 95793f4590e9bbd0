"""The signals through which the chat controller tells the widgets what happened.

A plain QObject holding only signals, so the controller and the turn runner it owns
can both report through one typed object; main_window.py connects the widgets to it.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class ChatEvents(QObject):
    conversation_opened = Signal(int, object, bool)  # id (-1: new chat), messages, has_older
    conversation_changed = Signal(int)  # created, updated or retitled
    conversation_removed = Signal(int)  # deleted for good
    change_failed = Signal(int, str)  # conversation id, why nothing changed (rename/pin/delete)
    message_added = Signal(int, object)  # conversation id, storage Message
    message_updated = Signal(int, object)  # conversation id, storage Message (final state)
    messages_removed = Signal(int, int)  # conversation id, first removed message id
    # conversation, message, the LiveStream: new text (content, reasoning, tool calls) was
    # folded into its core Reply; the transcript takes it from there at its next frame.
    stream_progressed = Signal(int, int, object)
    streaming_changed = Signal(int, bool)
    setup_needed = Signal(object)  # SetupProblem
    problem_reported = Signal(str)  # a bug or a storage failure; shown once
    models_loaded = Signal(str, object)  # profile name, list[str]
    versions_changed = Signal(int, object)  # conversation id, {message id: (position, count)}
    branch_removed = Signal(int, int)  # conversation id, how many messages (Undo offered)
    version_failed = Signal(int, str)  # conversation id, why the new version has no text
    profile_shown = Signal(object)  # the Profile the current chat uses (the toolbar shows it)
