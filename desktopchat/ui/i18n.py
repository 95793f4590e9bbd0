"""The one name every user-visible string in ui/ goes through: ``translate(context, text)``.

Qt's ``self.tr`` looks strings up under the *runtime* class name, so a subclass would miss the
translations lupdate filed under the class that wrote the call. An explicit context avoids that,
and ``pyside6-lupdate`` extracts any call named ``translate("Context", "text")``: keep both
arguments string literals so it can.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def translate(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """The translation of ``text`` filed under ``context`` (``text`` itself when there is none)."""
    return QCoreApplication.translate(context, text, disambiguation, n)
