"""The one name every user-visible string in ui/ goes through: ``translate(context, text)``.

Qt's ``self.tr`` looks strings up under the *runtime* class name, so a subclass would miss the
translations lupdate filed under the class that wrote the call. An explicit context avoids that,
and ``pyside6-lupdate`` extracts any call named ``translate("Context", "text")``: keep both
arguments string literals so it can.

Conventions (tests/unit/test_translations.py checks them):
- Context: the class (or module) that shows the string, e.g. ``translate("Composer", "Send")``.
- Values go in after the call with named ``str.format`` fields, which the translator keeps and
  may move: ``translate("App", "{count} replies were cut off").format(count=n)``. Never an
  f-string inside the call (lupdate would extract nothing).
- Plurals: pyside6-lupdate's Python parser does not mark ``translate(..., n)`` calls as
  numerus (``%n`` forms), so a count gets one string per form, chosen in code::

      text = (translate("App", "1 reply was cut off") if count == 1
              else translate("App", "{count} replies were cut off").format(count=count))

  Chinese has no plural forms; it translates both strings alike.
- Text from servers, models, tools and files is never passed through translate().
- The catalogue: resources/translations/desktopchat_zh_CN.ts, refreshed and compiled by
  scripts/update_translations.py (README, "Languages").
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def translate(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """The translation of ``text`` filed under ``context`` (``text`` itself when there is none)."""
    return QCoreApplication.translate(context, text, disambiguation, n)
