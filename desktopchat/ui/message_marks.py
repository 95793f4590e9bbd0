"""What the transcript paints around a message's documents: the card, the role avatar, the
focus ring of the keyboard-chosen message, and the streaming dots.

The dots are animated by `StreamingPulse`, which repaints only their own small rectangle
(about 30 x 16 px) a few times a second, so an idle-looking stream costs next to nothing and
the render budgets (DESIGN.md §8) are untouched by it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPointF, QRect, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QAbstractScrollArea

from desktopchat.ui.icons import IconName, IconSet
from desktopchat.ui.theme import Theme
from desktopchat.ui.transcript_rows import MessageItem, TranscriptRows

if TYPE_CHECKING:
    from desktopchat.ui.message_render import MessageRender
    from desktopchat.ui.transcript_layout import TranscriptGeometry

CARD_RADIUS = 8
AVATAR = 22  # px, the round role mark left of "You" / "Assistant"
HEADER_INDENT = AVATAR + 8  # the header's text starts right of the avatar
INDICATOR_WIDTH = 34  # the streaming dots, left of the footer's text while a reply streams
DOTS_HEIGHT = 12
PULSE_MS = 160
DOTS = 3

# Role colours per theme: the user's blue and the assistant's violet tell them apart at a
# glance. The names are text on the cards (4.5:1 or more in either theme); the avatars are
# filled discs under a white icon, so they keep the deeper shade in both themes.
ROLE_TEXT: dict[str, dict[str, str]] = {
    "light": {"user": "#0a5bc4", "assistant": "#8250df"},
    "dark": {"user": "#58a6ff", "assistant": "#bc8cff"},
}
AVATAR_FILL = {"user": "#1f6feb", "assistant": "#8250df"}


def role_accent(theme: Theme, role: str) -> str:
    """The colour of a role's name (and the streaming dots) in this theme."""
    return ROLE_TEXT.get(theme.name, ROLE_TEXT["light"]).get(role, theme.muted)


def has_avatar(item: MessageItem) -> bool:
    return item.role in ("user", "assistant")


class MessageMarks:
    """Paints one row's card and marks; owned by the chat view."""

    def __init__(self, area: QAbstractScrollArea, rows: TranscriptRows,
                 geometry: TranscriptGeometry, icons: IconSet) -> None:
        self.icons = icons
        self.phase = 0  # which of the streaming dots is lit
        self.pulse = StreamingPulse(area, rows, geometry, self)

    def paint_row(self, painter: QPainter, item: MessageItem, card: QRectF, clip: QRectF,
                  theme: Theme, *, highlighted: bool, ring: tuple[int, QColor]) -> None:
        """The card, its avatar and dots; `ring`: (the keyboard's message id, ring colour)."""
        self.paint_card(painter, item, card, clip, theme, highlighted=highlighted,
                        focused=ring[1] if item.id == ring[0] else None)
        self.paint_marks(painter, item, card.topLeft(), clip, theme)
        if item.streaming:
            self.pulse.ensure_running()

    def paint_card(self, painter: QPainter, item: MessageItem, card: QRectF, clip: QRectF,
                   theme: Theme, *, highlighted: bool, focused: QColor | None) -> None:
        fill = theme.user_card if item.role == "user" else theme.assistant_card
        painter.setPen(QPen(QColor(theme.card_border), 1))
        painter.setBrush(QColor(theme.highlight if highlighted else fill))
        outline = card.adjusted(0.5, 0.5, -0.5, -0.5)
        # A long reply's card is many screens tall; an antialiased path that size costs a
        # millisecond a paint. Draw the part near the clip: the cut edges fall outside it.
        top: float = max(outline.top(), clip.top() - CARD_RADIUS - 2)
        bottom = min(outline.bottom(), clip.bottom() + CARD_RADIUS + 2)
        painter.drawRoundedRect(QRectF(outline.left(), top, outline.width(), bottom - top),
                                CARD_RADIUS, CARD_RADIUS)
        if focused is not None:  # the message the keyboard acts on
            painter.setPen(QPen(focused, 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            ring = card.adjusted(1, 1, -1, -1)
            painter.drawRoundedRect(QRectF(ring.left(), max(ring.top(), clip.top() - 4),
                                           ring.width(), min(ring.bottom(), clip.bottom() + 4)
                                           - max(ring.top(), clip.top() - 4)),
                                    CARD_RADIUS, CARD_RADIUS)

    def paint_marks(self, painter: QPainter, item: MessageItem, origin: QPointF,
                    clip: QRectF, theme: Theme) -> None:
        render = item.render
        if render is None:
            return
        avatar = render.avatar_rect()
        if avatar is not None and has_avatar(item):
            rect = avatar.translated(origin)
            if rect.intersects(clip):
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor(AVATAR_FILL.get(item.role, theme.muted)))
                painter.drawEllipse(rect)
                name = IconName.USER if item.role == "user" else IconName.ASSISTANT
                icon = self.icons.icon(name, "#ffffff")
                inner = rect.adjusted(4, 4, -4, -4).toAlignedRect()
                icon.paint(painter, inner)
        dots = render.indicator_rect() if item.streaming else None
        if dots is not None:
            rect = dots.translated(origin)
            if rect.intersects(clip):
                self._paint_dots(painter, rect, QColor(role_accent(theme, "assistant")))

    def _paint_dots(self, painter: QPainter, rect: QRectF, color: QColor) -> None:
        radius = 3.0
        gap = (rect.width() - 2 * radius * DOTS) / (DOTS + 1)
        painter.setPen(Qt.PenStyle.NoPen)
        for n in range(DOTS):
            dot = QColor(color)
            dot.setAlphaF(1.0 if n == self.phase % DOTS else 0.35)
            painter.setBrush(dot)
            x = rect.left() + gap * (n + 1) + radius * (2 * n + 1)
            painter.drawEllipse(QPointF(x, rect.center().y()), radius, radius)


class StreamingPulse(QObject):
    """Moves the streaming dots along while a shown reply streams; stops by itself after."""

    def __init__(self, area: QAbstractScrollArea, rows: TranscriptRows,
                 geometry: TranscriptGeometry, marks: MessageMarks) -> None:
        super().__init__(area)
        self._area = area
        self._rows = rows
        self._geometry = geometry
        self._marks = marks
        self.timer = QTimer(self)
        self.timer.setInterval(PULSE_MS)
        self.timer.timeout.connect(self._tick)

    def ensure_running(self) -> None:
        if not self.timer.isActive():
            self.timer.start()

    @property
    def running(self) -> bool:
        return self.timer.isActive()

    def indicator_rect(self, message_id: int) -> QRect | None:
        """Where the dots of a streaming message are, in viewport pixels (None: no dots)."""
        index = self._rows.index_of(message_id)
        if index < 0:
            return None
        item = self._rows.items[index]
        render: MessageRender | None = item.render
        dots = render.indicator_rect() if item.streaming and render is not None else None
        if dots is None:
            return None
        origin = QPointF(self._geometry.card_x(item),
                         self._rows.top(index) - self._area.verticalScrollBar().value())
        return dots.translated(origin).toAlignedRect().adjusted(-1, -1, 1, 1)

    def _tick(self) -> None:
        streaming = [item for item in self._rows.items[-3:] if item.streaming]
        if not streaming:
            self.timer.stop()
            return
        self._marks.phase += 1
        for item in streaming:
            rect = self.indicator_rect(item.id)
            if rect is not None:
                self._area.viewport().update(rect)  # only the dots, never the row
