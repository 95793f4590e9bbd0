"""Painting for the sidebar rows: group headers, conversation titles and search hits."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QFont,
    QFontMetrics,
    QPainter,
    QPalette,
    QTextDocument,
)
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from desktopchat.storage.models import Folder
from desktopchat.ui.history_model import FolderRole, InFolderRole, IsHeaderRole
from desktopchat.ui.history_search import HtmlRole
from desktopchat.ui.safe_document import SafeDocument

if TYPE_CHECKING:
    from PySide6.QtCore import QObject


_Index = QModelIndex | QPersistentModelIndex
PAD_X = 10
PAD_Y = 5
INDENT = 14  # chats inside a folder sit under its name
EXPANDED, COLLAPSED = "▾", "▸"


class HistoryDelegate(QStyledItemDelegate):
    """Conversation rows are plain one-line titles; headers are small, grey, not selectable.
    A folder row shows ▾/▸ (open or collapsed), its name, and how many chats it holds."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        folder = index.data(FolderRole)
        if isinstance(folder, Folder):
            self._paint_folder(painter, option, index, folder)
            return
        if index.data(InFolderRole):
            indented = QStyleOptionViewItem(option)
            indented.rect = option.rect.adjusted(INDENT, 0, 0, 0)
            super().paint(painter, indented, index)
            return
        if not index.data(IsHeaderRole):
            super().paint(painter, option, index)
            return
        painter.save()
        font = QFont(option.font)
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.85))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(option.palette.color(QPalette.ColorRole.PlaceholderText))
        rect = option.rect.adjusted(4, 0, -PAD_X, -2)
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom
        painter.drawText(rect, int(flags), str(index.data()))
        painter.restore()

    def _paint_folder(
        self, painter: QPainter, option: QStyleOptionViewItem, index: _Index, folder: Folder
    ) -> None:
        # The item background (selection, hover) from the style; the text is ours.
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.save()
        rect = option.rect.adjusted(4, 0, -PAD_X, 0)
        count = str(folder.conversation_count)
        painter.setPen(option.palette.color(QPalette.ColorRole.PlaceholderText))
        middle = Qt.AlignmentFlag.AlignVCenter
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignRight | middle), count)
        room = rect.adjusted(0, 0, -option.fontMetrics.horizontalAdvance(count) - PAD_X, 0)
        font = QFont(option.font)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(option.palette.color(text_role))
        arrow = COLLAPSED if folder.collapsed else EXPANDED
        label = QFontMetrics(font).elidedText(
            f"{arrow} {folder.name}", Qt.TextElideMode.ElideRight, max(0, room.width())
        )
        painter.drawText(room, int(Qt.AlignmentFlag.AlignLeft | middle), label)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        base = super().sizeHint(option, index)
        height = option.fontMetrics.height()
        if index.data(IsHeaderRole):
            return QSize(base.width(), height + 2 * PAD_Y + 4)
        return QSize(base.width(), height + 2 * PAD_Y)

    def initStyleOption(self, option: QStyleOptionViewItem, index: _Index) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideRight


class SearchHitDelegate(QStyledItemDelegate):
    """Two lines of rich text per hit: the title, then the snippet with hits in bold."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._doc = SafeDocument(self)  # snippets are model text
        self._doc.setDocumentMargin(0)

    def _prepare(self, option: QStyleOptionViewItem, index: _Index, width: int) -> QTextDocument:
        self._doc.setDefaultFont(option.font)
        self._doc.setHtml(str(index.data(HtmlRole) or ""))
        self._doc.setTextWidth(max(50, width - 2 * PAD_X))
        return self._doc

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        # The item background (selection, hover) from the style, without its text.
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        doc = self._prepare(option, index, option.rect.width())
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        palette = QPalette(option.palette)
        palette.setColor(QPalette.ColorRole.Text, option.palette.color(role))
        ctx = QAbstractTextDocumentLayout.PaintContext()
        ctx.palette = palette
        clip = QRectF(0, 0, option.rect.width() - 2 * PAD_X, option.rect.height() - 2 * PAD_Y)
        ctx.clip = clip
        painter.save()
        painter.translate(option.rect.left() + PAD_X, option.rect.top() + PAD_Y)
        painter.setClipRect(clip)
        doc.documentLayout().draw(painter, ctx)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        # Title + at most two snippet lines, so every row is the same size and cheap to lay out.
        line = option.fontMetrics.lineSpacing()
        return QSize(option.rect.width(), 3 * line + 2 * PAD_Y)
