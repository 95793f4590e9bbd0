"""Dragging chats between folders in the sidebar: what is carried, and where a drop files it.

A drag carries conversation ids under our own MIME type, so nothing from another program is
ever taken for a chat. Where it lands decides the folder: on a folder's row, or on a chat in
that folder, it goes into the folder; on a chat at the top level, a date header, or the empty
space below the list, it goes back to the top level.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData

from desktopchat.storage.models import Conversation, Folder

MIME_TYPE = "application/x-desktopchat-conversation-ids"
MAX_IDS = 10_000  # a drag of more is not ours: refuse it rather than parse it
TOP_LEVEL = -1  # the folder id a move to the top level carries in signals


def encode(conversation_ids: list[int]) -> QMimeData:
    data = QMimeData()
    data.setData(MIME_TYPE, ",".join(str(i) for i in conversation_ids).encode("ascii"))
    return data


def decode(data: QMimeData | None) -> list[int]:
    """The conversation ids a drag carries; [] for anything that is not one of ours."""
    if data is None or not data.hasFormat(MIME_TYPE):
        return []
    raw = bytes(data.data(MIME_TYPE).data())
    if len(raw) > MAX_IDS * 20:
        return []
    ids: list[int] = []
    for piece in raw.split(b","):
        if not piece.strip().isdigit():
            return []
        ids.append(int(piece))
    return ids[:MAX_IDS]


def target_folder(row: str | Conversation | Folder | None) -> int:
    """The folder a drop onto `row` files chats in (TOP_LEVEL: none).

    `row` is what the drop landed on: None for the empty space below the list."""
    if isinstance(row, Folder):
        return row.id
    if isinstance(row, Conversation) and row.folder_id is not None:
        return row.folder_id
    return TOP_LEVEL
