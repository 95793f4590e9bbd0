"""Checkbox and radio indicators drawn in the theme's colours on top of the platform style.

Fusion outlines a checkbox with the window colour made darker: on a dark window that is a
near-black square on near-black (issue 17: "the dark-mode checkboxes are hard to see"). This
proxy draws the indicators itself from the widget's palette, which appearance.palette_for fills
from the Theme: the outline in Mid (the theme's control_border, at least 3:1 against the
window and the lists: WCAG AA for UI components), a checked box filled with Accent and marked
in HighlightedText. Every other element is the platform style's. Reading the palette, not a
stored theme, keeps the style stateless: a widget with its own palette is drawn in it.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import QProxyStyle, QStyle, QStyleOption, QWidget

INDICATORS = (QStyle.PrimitiveElement.PE_IndicatorCheckBox,
              QStyle.PrimitiveElement.PE_IndicatorItemViewItemCheck,
              QStyle.PrimitiveElement.PE_IndicatorRadioButton)


class ContrastStyle(QProxyStyle):
    def drawPrimitive(self, element: QStyle.PrimitiveElement, option: QStyleOption,
                      painter: QPainter, widget: QWidget | None = None) -> None:
        if element not in INDICATORS:
            super().drawPrimitive(element, option, painter, widget)
            return
        state = option.state
        enabled = bool(state & QStyle.StateFlag.State_Enabled)
        on = bool(state & QStyle.StateFlag.State_On)
        partly = bool(state & QStyle.StateFlag.State_NoChange)
        palette = option.palette
        Role, Group = QPalette.ColorRole, QPalette.ColorGroup
        accent = palette.color(Group.Active, Role.Accent)
        mark_colour = palette.color(Group.Active, Role.HighlightedText)
        disabled = palette.color(Group.Disabled, Role.Text)
        side = min(option.rect.width(), option.rect.height()) - 1
        box = QRectF(option.rect.x() + (option.rect.width() - side) / 2,
                     option.rect.y() + (option.rect.height() - side) / 2, side, side)
        box.adjust(0.75, 0.75, -0.75, -0.75)
        filled = (on or partly) and enabled
        edge = accent if filled else palette.color(Role.Mid) if enabled else disabled
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(edge, 1.5))
        painter.setBrush(accent if filled else palette.color(Role.Base))
        if element == QStyle.PrimitiveElement.PE_IndicatorRadioButton:
            painter.drawEllipse(box)
            if on:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(mark_colour if enabled else disabled)
                painter.drawEllipse(box.center(), side * 0.2, side * 0.2)
        else:
            painter.drawRoundedRect(box, 3, 3)
            mark = QPen(mark_colour if enabled else disabled, max(1.5, side / 8))
            mark.setCapStyle(Qt.PenCapStyle.RoundCap)
            mark.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.setPen(mark)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            x, y, w = box.x(), box.y(), box.width()
            if partly:
                painter.drawLine(QPointF(x + w * 0.25, y + w * 0.5),
                                 QPointF(x + w * 0.75, y + w * 0.5))
            elif on:
                path = QPainterPath(QPointF(x + w * 0.22, y + w * 0.52))
                path.lineTo(QPointF(x + w * 0.42, y + w * 0.72))
                path.lineTo(QPointF(x + w * 0.78, y + w * 0.30))
                painter.drawPath(path)
        painter.restore()
