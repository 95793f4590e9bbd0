"""Which conversation a command means: `-c ID`, `--continue` (the latest), or a new one."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from desktopchat.errors import DesktopChatError

if TYPE_CHECKING:
    from desktopchat.storage.models import Conversation
    from desktopchat.storage.store import HistoryStore

_PAGE = 50


def latest(store: HistoryStore) -> Conversation | None:
    """The most recently updated conversation, pinned or not.

    The store lists pinned conversations first; the newest unpinned one is the first
    unpinned row, so reading pages until one appears finds the answer.
    """
    best: Conversation | None = None
    offset = 0
    while True:
        page = store.list_conversations(limit=_PAGE, offset=offset)
        for conversation in page:
            if best is None or conversation.updated_at > best.updated_at:
                best = conversation
            if not conversation.pinned:
                return best
        if len(page) < _PAGE:
            return best
        offset += _PAGE


def chosen(store: HistoryStore, args: argparse.Namespace) -> Conversation | None:
    """The conversation named on the command line; None means "start a new one"."""
    if args.conversation is not None:
        return store.get_conversation(args.conversation)
    if args.continue_latest:
        found = latest(store)
        if found is None:
            raise DesktopChatError("There is no conversation to continue yet.")
        return found
    return None
