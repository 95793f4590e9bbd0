"""The zh_CN catalogue is complete, matches the code, and compiles to the .qm that ships.

No Qt is imported: the .ts is XML, the code is read with ast (tests/support/i18n_scan.py),
and lrelease runs as a process. How to fix a failure: scripts/update_translations.py
(see README, "Languages").
"""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.support.i18n_scan import (
    ROOT,
    bypasses,
    prose_literals,
    raw_error_texts,
    translate_calls,
)

TRANSLATIONS = ROOT / "resources" / "translations"
ZH_TS = TRANSLATIONS / "desktopchat_zh_CN.ts"
FIX = "run scripts/update_translations.py, translate, and run it with --release"

# Text that is not language, shown as it is: symbols (arrows, the refresh sign, the
# ellipsis), the app's own name, and examples of syntax typed as they are (a proxy URL, a
# JSON tools list: placeholders in the profile form).
NON_LANGUAGE = frozenset({"‹", "›", "⟳", "…", "×", "✓", "·", "—", "%", ":", "▾",
                          "desktopchat", "socks5://user@127.0.0.1:1080",
                          '[{"type": "function", "function": {"name": ...}}]'})

# English phrases in ui/ that are rightly not translated ("*": every phrase in that module).
# Keep it short: each entry says why no user sees it untranslated.
NOT_UI_TEXT = {
    ("emoji_fonts.py", "*"): "font family names, looked up by name",
    ("about_dialog.py", "Pygments"): "a library's name in the licence list",
    ("about_dialog.py", "Noto Emoji"): "a font's name in the licence list",
    ("settings_preferences.py", "English"): "a language offered by its own name (like 简体中文)",
    ("language.py", "install_translators needs a QApplication"): "a programming error",
    ("controller.py", "Continue exactly where your previous reply stopped. Do not repeat "
                      "anything."): "an instruction sent to the model, not shown",
    ("tool_loop.py", "The user stopped this tool call before it finished."):
        "a tool result sent to the model (model content)",
    ("tool_loop.py", "The MCP server … is no longer configured."):
        "a tool result sent to the model; the report around it is translated",
    # The English of a translate() call, kept as a constant for tests to compare with (they run
    # in English); the UI shows the translate() call beside it.
    ("history_model.py", "Unknown date"): "UNKNOWN_GROUP, shown by translate()",
    ("mcp_server_form.py", "A stdio server is a program that runs on this computer with your "
                           "user's rights: it can read and change your files. Add only servers "
                           "you trust. Every tool call still asks you first, unless you chose "
                           "“Always allow” for that tool."): "STDIO_WARNING: stdio_warning()",
    ("setup_check.py", "Waiting for the keyring: it may be asking for its password in another "
                       "window. Your message is kept; send it again once it is unlocked."):
        "WAITING_FOR_KEYRING: waiting_for_keyring()",
    ("setup_check.py", "The keyring answered. Send your message again."):
        "KEYRING_ANSWERED: keyring_answered()",
    ("settings_key_field.py", "Waiting for the keyring (it may be asking for its password)…"):
        "WAITING, a marker between methods; shown by translate()",
}


def messages(ts: Path) -> list[tuple[str, str, ET.Element]]:
    root = ET.parse(ts).getroot()
    return [(ctx.findtext("name") or "", msg.findtext("source") or "", msg)
            for ctx in root.iter("context") for msg in ctx.iter("message")]


def test_every_zh_cn_string_is_translated() -> None:
    problems = []
    for context, source, message in messages(ZH_TS):
        translation = message.find("translation")
        assert translation is not None
        kind = translation.get("type")
        if kind is not None or not (translation.text or "").strip():
            problems.append(f"{context}: {source!r} ({kind or 'empty'})")
    assert not problems, f"untranslated or unfinished in zh_CN ({FIX}):\n" + "\n".join(problems)
    assert ET.parse(ZH_TS).getroot().get("language") == "zh_CN"


PLACEHOLDER = re.compile(r"\{[a-z_]*\}|%\d|%n")


def test_translations_keep_every_placeholder() -> None:
    broken = [f"{context}: {source!r}" for context, source, message in messages(ZH_TS)
              if sorted(PLACEHOLDER.findall(source))
              != sorted(PLACEHOLDER.findall(message.findtext("translation") or ""))]
    assert not broken, "a translation lost or added a {placeholder}:\n" + "\n".join(broken)


def test_catalogue_holds_exactly_the_strings_in_the_code() -> None:
    in_code, unreadable = translate_calls()
    assert not unreadable, ("translate() needs two string literals (lupdate reads nothing "
                            "else):\n" + "\n".join(map(str, unreadable)))
    in_ts = {(context, source) for context, source, _ in messages(ZH_TS)}
    missing = sorted(in_code - in_ts)
    stale = sorted(in_ts - in_code)
    assert not missing, f"strings missing from the .ts ({FIX}):\n" + "\n".join(map(str, missing))
    assert not stale, f"strings no longer in the code ({FIX}):\n" + "\n".join(map(str, stale))


def test_lupdate_finds_what_the_scan_finds(tmp_path: Path) -> None:
    """The scan above is a stand-in for lupdate; this keeps the two in agreement."""
    tool = Path(sys.executable).parent / "pyside6-lupdate"
    if not tool.exists():
        pytest.fail(f"{tool} is missing: PySide6's tools come with the dev dependencies")
    from tests.support.i18n_scan import ui_sources

    out = tmp_path / "scan.ts"
    subprocess.run([str(tool), *map(str, ui_sources()), "-locations", "none", "-ts", str(out)],
                   check=True, capture_output=True)
    found = {(context, source) for context, source, _ in messages(out)}
    assert found == translate_calls()[0]


def test_compiled_catalogue_is_built_from_its_source(tmp_path: Path) -> None:
    """The committed .qm (what the app loads) is exactly lrelease's output for the .ts."""
    tool = Path(sys.executable).parent / "pyside6-lrelease"
    fresh = tmp_path / "fresh.qm"
    subprocess.run([str(tool), "-silent", str(ZH_TS), "-qm", str(fresh)], check=True)
    shipped = ZH_TS.with_suffix(".qm")
    assert shipped.is_file(), f"{shipped} is missing ({FIX})"
    assert shipped.read_bytes() == fresh.read_bytes(), f"{shipped.name} is stale ({FIX})"


def test_no_visible_string_bypasses_translation() -> None:
    found = bypasses(allowed=NON_LANGUAGE)
    assert not found, ("text shown without translate() (wrap it as translate(\"Class\", "
                       "\"text\")):\n" + "\n".join(map(str, found)))


def test_the_scan_catches_each_kind_of_bypass(tmp_path: Path) -> None:
    """The bypass scan itself: each way of showing raw text is caught, translate() is not."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        'label = QLabel("Hello")\n'
        'label.setToolTip(f"{n} items")\n'
        'box.setText("Total: " + str(n))\n'
        'menu.addAction("Quit")\n'
        'combo.addItem("Dark", "dark")\n'
        'QMessageBox.warning(self, "Oops", text)\n'
        'bar.showMessage("Saved {0}".format(name))\n'
        'ok = QLabel(translate("Ctx", "Hello"))\n'
        'ok.setText(translate("Ctx", "{n} items").format(n=n))\n'
        'combo.addItem(translate("Ctx", "Dark"), "dark")\n'
        'nav.setText("‹")\n'
        'tip.setToolTip("On" if on else translate("Ctx", "Off"))\n',
        "utf-8")
    lines = sorted(f.line for f in bypasses([sample], allowed=NON_LANGUAGE))
    assert lines == [1, 2, 3, 4, 5, 6, 7, 12]


def test_no_english_phrase_in_the_ui_code_outside_translate() -> None:
    """Wherever a phrase goes (returned, raised, emitted, kept in a dict, built into HTML),
    it goes through translate() unless the allow-list above says why it is not UI text."""
    found = prose_literals()
    unexplained = [f for f in found if (f.path.name, "*") not in NOT_UI_TEXT
                   and (f.path.name, f.text) not in NOT_UI_TEXT]
    assert not unexplained, ("English text outside translate() (wrap it as translate(\"Class\", "
                             "\"text\"), or say in NOT_UI_TEXT why no user sees it):\n"
                             + "\n".join(map(str, unexplained)))
    seen = {(f.path.name, f.text) for f in found} | {(f.path.name, "*") for f in found}
    stale = sorted(set(NOT_UI_TEXT) - seen)
    assert not stale, f"allowed but no longer in the code (remove them): {stale}"


def test_the_scans_follow_text_that_reaches_the_screen_indirectly(tmp_path: Path) -> None:
    """Text kept in a constant or a dict, returned, raised, emitted or built into HTML."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""A docstring is not UI text."""\n'
        'WARNING = "Add only servers you trust."\n'
        'CAPTIONS = {1: "Export as Markdown", 2: "Export as JSON"}\n'
        'label = QLabel(WARNING)\n'
        'path = QFileDialog.getSaveFileName(None, CAPTIONS[fmt], "", "")\n'
        'raise AttachmentError(f"{name} could not be read as an image.")\n'
        'return Outcome(True, f"Connected in {ms} ms")\n'
        'mailbox.failed.emit(1, f"Unexpected problem: {exc}")\n'
        'files.append(f\'<span style="color: {muted}">Attached: {label}</span>\')\n'
        'super().__init__("Chat", parent)\n'
        'parts = ["Tool result", name]\n'
        'log.warning("history still unavailable: %s", problem)\n'
        'ok = translate("Ctx", "Connected in {ms} ms").format(ms=ms)\n'
        'sheet = f"QLabel {{ color: {fg}; border: 1px solid {bd}; }}"\n'
        'Alias = Callable[["Profile"], None]\n'
        'mime = "image/png"\n',
        "utf-8")
    assert sorted(f.line for f in bypasses([sample], allowed=NON_LANGUAGE)) == [4, 5]
    assert sorted(f.line for f in prose_literals([sample])) == [2, 3, 3, 6, 7, 8, 9, 10, 11]


# Errors shown in their own words without shown_error's headline, and why that is right there.
RAW_ERRORS_EXPLAINED = {
    ("history_wait.py", "exc.message"): "the wait window's translated heading says what failed",
    ("app.py", "exc.message"): "the locked history's detail for that same wait window",
    ("main_window.py", "exc.message"): "inside the translated “Settings not saved: {problem}”",
    ("settings_key_field.py", "exc.message"):
        "inside the translated “Could not read the stored key: {problem}”",
    ("settings_dialog.py", "exc.message"): "the detail handed on to shown_error(exc, ...)",
    ("settings_dialog.py", "str(exc)"): "fetch_models' ValueError, raised with translated text",
}


def test_errors_from_below_the_ui_are_shown_with_a_translated_headline() -> None:
    """A caught error's message reaches the screen through ui/error_text.shown_error, which
    puts a headline in the user's language before the (English, maybe server) words."""
    found = raw_error_texts()
    unexplained = [f for f in found if (f.path.name, f.text) not in RAW_ERRORS_EXPLAINED]
    assert not unexplained, ("an error shown in its own English words (use shown_error(exc), "
                             "or say in RAW_ERRORS_EXPLAINED why not):\n"
                             + "\n".join(map(str, unexplained)))
    stale = sorted(set(RAW_ERRORS_EXPLAINED) - {(f.path.name, f.text) for f in found})
    assert not stale, f"explained but no longer in the code (remove them): {stale}"


def test_the_error_scan_sees_raw_messages_and_not_shown_ones(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "try:\n"
        "    work()\n"
        "except StorageError as exc:\n"
        "    self._report(exc.message)\n"
        "    self.failed.emit(str(exc))\n"
        "    self._report(shown_error(exc))\n"
        "    log.warning('failed: %s', exc.message)\n"
        "    label.setText(translate('Ctx', 'Failed: {p}').format(p=shown_error(exc)))\n",
        "utf-8")
    assert sorted(f.line for f in raw_error_texts([sample])) == [4, 5]
