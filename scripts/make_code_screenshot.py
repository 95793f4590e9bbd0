"""Make docs/code_blocks.png: a reply with a code block scrolled sideways (its scrollbar
under the lines), one wrapped by its toggle, Copy saying "Copied", and a data-URL image
drawn inline. The real main window, offscreen, in a throwaway basedir.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/make_code_screenshot.py [out.png]
"""

from __future__ import annotations

import base64
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.support.secrets_fixtures import MemoryKeyring  # noqa: E402

SIZE = (1100, 860)
WIDE = ("SERIES = {" + ", ".join(f'"{m}": {v}' for m, v in zip(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
    [40, 46, 52, 44, 58, 63, 67, 72, 78, 84, 90, 95], strict=True)) + "}  # monthly revenue")
CODE = f"""import matplotlib.pyplot as plt

{WIDE}
plt.bar(list(SERIES), list(SERIES.values()), color="#4a78c2")
plt.savefig("revenue.png")
"""
SHELL = ("python plot.py --input sales.csv --output revenue.png --title 'Monthly revenue 2025' "
         "--width 1200 --height 800 --dpi 144 --colour '#4a78c2'\n")


def chart_url() -> str:
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor, QImage, QPainter

    from desktopchat.ui.image_scaling import encoded

    image = QImage(600, 300, QImage.Format.Format_RGB32)
    image.fill(QColor("#fbfbfd"))
    painter = QPainter(image)
    for i, value in enumerate([40, 46, 52, 44, 58, 63, 67, 72, 78, 84, 90, 95]):
        painter.fillRect(QRectF(30 + i * 46, 290 - value * 2.8, 30, value * 2.8),
                         QColor("#4a78c2"))
    painter.end()
    return "data:image/png;base64," + base64.b64encode(encoded(image, "PNG")).decode()


def answer() -> str:
    return (f"Here is the script:\n\n```python\n{CODE}```\n\nRun it like this:\n\n"
            f"```bash\n{SHELL}```\n\nAnd the chart it draws:\n\n"
            f"![Monthly revenue]({chart_url()})\n")


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else REPO / "docs" / "code_blocks.png"
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(["desktopchat"])
    from desktopchat.app import build
    from desktopchat.paths import app_paths
    from desktopchat.secrets import SecretStore
    from desktopchat.settings import SettingsStore, first_run_settings
    from desktopchat.storage.store import HistoryStore
    from desktopchat.ui import code_blocks

    with tempfile.TemporaryDirectory(prefix="desktopchat-shot-") as tmp:
        paths = app_paths(tmp).ensure()
        SettingsStore(paths.settings_file).save(first_run_settings())
        with HistoryStore.open(paths.database_file) as store:
            conv = store.create_conversation(title="Revenue chart", profile="OpenAI",
                                             model="gpt-4o-mini")
            store.add_user_message(conv.id, "Plot the monthly revenue from sales.csv.")
            reply = store.start_assistant_message(conv.id)
            store.finish_assistant_message(reply.id, state="complete", content=answer(),
                                           finish_reason="stop")
            main_id, reply_id = conv.id, reply.id
        secrets = SecretStore(MemoryKeyring())
        secrets.set_key("OpenAI", "sk-screenshot-not-a-real-key")
        built = build(paths, secrets=secrets, keep_window_state=False)
        window = built.window
        window.resize(*SIZE)
        window.show()
        window.history_panel.refresh()
        window.open_conversation(main_id)
        view = window.chat_view
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and (view.row_geometry.data_images.pending
                                               or view.row_geometry.pump.busy):
            app.processEvents()
            time.sleep(0.02)
        item = view.item(reply_id)
        assert item is not None and item.render is not None
        (python, first), (shell, second) = [
            (part, n) for part in item.render.parts for n in range(len(part.codes))][:2]
        # The Python block scrolled to its end; the shell line wrapped; Copy just pressed.
        assert python.doc is not None
        block = code_blocks.view_of(python).blocks(python.doc, python.width)[first]
        code_blocks.scroll_to(python, block, block.max_offset)
        code_blocks.set_wrap(shell, second, True)
        view.input.code_blocks.copy(reply_id, python, first, python.codes[first])
        view._row_changed(reply_id)
        view.scroll_to_bottom()
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
