"""A scroll area for a form that scrolls up and down only.

A form in a QScrollArea with no horizontal scrollbar is laid out at least as wide as its
fields need; when the area is narrower (a dialog made small, or a large font), the fields
at its right (a Fetch models or Clear button, the end of a checkbox's words) are cut off,
with nothing to scroll them into view. This area asks for the form's minimum width, so the
dialog cannot be made narrower than its fields.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QScrollArea, QWidget


class FormScrollArea(QScrollArea):
    def __init__(self, form: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(form)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        form = self.widget()
        if form is None:
            return hint
        # The form's own minimum, its frame and the vertical bar beside it (a long form
        # always has one at the heights a dialog starts at).
        width = (form.minimumSizeHint().expandedTo(form.minimumSize()).width()
                 + 2 * self.frameWidth() + self.verticalScrollBar().sizeHint().width())
        return QSize(max(hint.width(), width), hint.height())
