"""Which language the UI speaks, and the Qt translators that make it speak it.

English is the source text, so English needs no translator. Simplified Chinese loads two
compiled catalogues: ours (resources/translations/desktopchat_zh_CN.qm, built from the .ts
beside it) and Qt's own qtbase_zh_CN.qm, which translates standard buttons and dialogs
(OK, Cancel, the file dialog). A frozen bundle carries Qt's file in resources/translations
too; from a source tree it comes from PySide6's translations folder.

The choice takes effect when the window is built: widgets read their text once, so a new
choice in Preferences applies at the next start (the Preferences tab says so).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from desktopchat.paths import resource
from desktopchat.settings import Language

TRANSLATOR_NAME = "desktopchat-translator"  # how a later install finds and removes ours
APP_CATALOGUE = "desktopchat"
QT_CATALOGUES = ("qtbase",)  # qt_zh_CN.qm only forwards to these; load them directly

# Chinese written in Traditional characters (Taiwan, Hong Kong, Macau) is not
# Simplified Chinese; those users get the English source rather than the wrong script.
_TRADITIONAL_MARKS = ("hant", "tw", "hk", "mo")


def system_language(ui_languages: Sequence[str] | None = None) -> Language:
    """The language the desktop asks for, among those we have (English otherwise).

    `ui_languages` are BCP 47 names in order of preference (QLocale.system().uiLanguages()):
    the first one we can serve wins, so "fr, zh-CN" gets Chinese and "en, zh-CN" English.
    """
    names = QLocale.system().uiLanguages() if ui_languages is None else ui_languages
    for name in names:
        parts = name.lower().replace("_", "-").split("-")
        if parts[0] == "en":
            return Language.ENGLISH
        if parts[0] == "zh":
            if any(mark in parts[1:] for mark in _TRADITIONAL_MARKS):
                continue
            return Language.CHINESE_SIMPLIFIED
    return Language.ENGLISH


def resolve(choice: str) -> Language:
    """The language a Preferences choice means on this desktop (an unknown value: system)."""
    if choice in (Language.ENGLISH, Language.CHINESE_SIMPLIFIED):
        return Language(choice)
    return system_language()


def catalogue_files(language: Language) -> list[Path]:
    """The .qm files that translate the UI into `language` (none for English)."""
    if language == Language.ENGLISH:
        return []
    ours = resource("translations", f"{APP_CATALOGUE}_{language.value}.qm")
    qt_dir = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    files = [ours]
    for name in QT_CATALOGUES:
        file_name = f"{name}_{language.value}.qm"
        bundled = resource("translations", file_name)
        files.append(bundled if bundled.is_file() else qt_dir / file_name)
    return files


def install_translators(choice: str, app: QCoreApplication | None = None) -> Language:
    """Replace the translators this module installed with those for `choice`.

    Returns the language now in use. A catalogue that is missing or unreadable is
    skipped (its strings stay English) rather than stopping the app.
    """
    app = app if app is not None else QCoreApplication.instance()
    if app is None:
        raise RuntimeError("install_translators needs a QApplication")
    for old in app.findChildren(QTranslator, TRANSLATOR_NAME):
        app.removeTranslator(old)
        old.deleteLater()
    language = resolve(choice)
    for path in catalogue_files(language):
        translator = QTranslator(app)  # parented: lives as long as the application
        translator.setObjectName(TRANSLATOR_NAME)
        if translator.load(str(path)):
            app.installTranslator(translator)
        else:
            translator.deleteLater()
    return language
