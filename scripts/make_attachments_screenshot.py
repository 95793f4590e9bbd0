"""Make docs/attachments.png: a message with an image thumbnail and a file, and the composer
holding attachment chips. The real main window, offscreen, in a throwaway basedir.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/make_attachments_screenshot.py [out.png]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.support.secrets_fixtures import MemoryKeyring  # noqa: E402

SIZE = (1200, 760)
ANSWER = """The chart shows **monthly revenue** rising from about 40 to 95 (thousand),
with a dip in April. `sales.csv` agrees: April is the only month below the one before it.

- Strongest month: **December** (95)
- Average growth: about 8 % a month
"""


def chart_png() -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF
    from PySide6.QtGui import QColor, QImage, QPainter

    image = QImage(1200, 800, QImage.Format.Format_RGB32)
    image.fill(QColor("#fbfbfd"))
    painter = QPainter(image)
    values = [40, 46, 52, 44, 58, 63, 67, 72, 78, 84, 90, 95]
    for i, value in enumerate(values):
        painter.fillRect(QRectF(80 + i * 90, 760 - value * 7, 60, value * 7), QColor("#4a78c2"))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else REPO / "docs" / "attachments.png"
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(["desktopchat"])
    from desktopchat.app import build
    from desktopchat.attachments import Attachment, Kind
    from desktopchat.paths import app_paths
    from desktopchat.secrets import SecretStore
    from desktopchat.settings import SettingsStore, first_run_settings
    from desktopchat.storage.store import HistoryStore

    chart = Attachment("revenue-2025.png", Kind.IMAGE, "image/png", chart_png())
    csv = Attachment("sales.csv", Kind.TEXT, "text/plain",
                     b"month,revenue\n" + b"".join(b"%d,%d\n" % (m, 40 + m) for m in range(12)))
    with tempfile.TemporaryDirectory(prefix="desktopchat-shot-") as tmp:
        paths = app_paths(tmp).ensure()
        SettingsStore(paths.settings_file).save(first_run_settings())
        with HistoryStore.open(paths.database_file) as store:
            conv = store.create_conversation(title="Revenue chart", profile="OpenAI",
                                             model="gpt-4o-mini")
            store.add_user_message(conv.id, "What does this chart show? The data is attached.",
                                   attachments=(chart, csv))
            reply = store.start_assistant_message(conv.id)
            store.finish_assistant_message(reply.id, state="complete", content=ANSWER,
                                           finish_reason="stop")
            main_id = conv.id
        secrets = SecretStore(MemoryKeyring())
        secrets.set_key("OpenAI", "sk-screenshot-not-a-real-key")
        built = build(paths, secrets=secrets, keep_window_state=False)
        window = built.window
        window.resize(*SIZE)
        window.show()
        window.history_panel.refresh()
        window.open_conversation(main_id)
        notes = Attachment("meeting-notes.md", Kind.TEXT, "text/plain", b"# Notes\n" * 300)
        report = Attachment("q4-report.pdf", Kind.PDF, "text/plain", b"Q4 report text " * 800)
        for attachment in (notes, report, chart):
            window.composer.chips.add(attachment)
        window.composer.set_text("Compare these with last quarter.")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            app.processEvents()
            if not window.chat_view.thumbnails.pending:
                break
            time.sleep(0.02)
        for _ in range(10):
            app.processEvents()
        out.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(out)):
            print(f"could not write {out}", file=sys.stderr)
            return 1
        window.close()
        built.store.close()
    print(f"wrote {out} ({SIZE[0]}x{SIZE[1]})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
