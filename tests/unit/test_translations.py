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

from tests.support.i18n_scan import ROOT, bypasses, translate_calls

TRANSLATIONS = ROOT / "resources" / "translations"
ZH_TS = TRANSLATIONS / "desktopchat_zh_CN.ts"
FIX = "run scripts/update_translations.py, translate, and run it with --release"

# Text that is not language, shown as it is: symbols (arrows, the refresh sign, the
# ellipsis) and the app's own name.
NON_LANGUAGE = frozenset({"‹", "›", "⟳", "…", "×", "✓", "·", "—", "%", ":", "▾",
                          "desktopchat"})


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
