"""Make every picture in docs/screenshots/: the real app, offscreen, on a throwaway data folder.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/make_screenshots.py [out_dir]

The window is built the way the app builds it (`app.build`) on a temporary basedir holding
the chats of scripts/screenshot_chats.py; the API key lives in a throwaway in-memory keyring.
Live replies come from the tests' loopback server on 127.0.0.1 (nothing reaches the
internet): one is held mid-stream for streaming.png, one is a 401 for error.png. Every
picture is 1100x720 at a device pixel ratio of 1, so they line up in the README. The Chinese
picture needs a CJK font (Debian: fonts-wqy-microhei); without one it shows boxes, and the
script says so.
"""

from __future__ import annotations

import asyncio
import dataclasses
import gc
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ["QT_SCALE_FACTOR"] = "1"
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from screenshot_chats import MODEL, PROFILE, Chats, fill  # noqa: E402

from tests.support.loopback import (  # noqa: E402
    LoopbackServer,
    ScriptedResponse,
    chat_chunk,
    sse_body,
)
from tests.support.secrets_fixtures import MemoryKeyring  # noqa: E402
from tests.support.tool_servers import stdio_spec  # noqa: E402


class ShotKeyring(MemoryKeyring):
    """The tests' in-memory keyring, labelled in Settings as the GNOME Keyring a Linux desktop
    would show (its class path is what the label is looked up by)."""


ShotKeyring.__module__, ShotKeyring.__qualname__ = "keyring.backends.SecretService", "Keyring"

SIZE = (1100, 720)
KEY = "sk-screenshot-not-a-real-key"

STREAM_QUESTION = "What is a Python generator, in two sentences and an example?"
STREAM_PIECES = ["A **generator** ", "is a function ", "that uses `yield` ", "to hand out ",
                 "values one at a time, ", "pausing between them. ", "It keeps its state, ",
                 "so it can walk ", "a huge file ", "or an endless sequence ",
                 "without holding it all in memory.\n\n", "```python\n", "def countdown(n):\n",
                 "    while n > 0:\n", "        yield n\n", "        n -= 1\n", "```\n"]
STREAM_HOLD = 15  # pieces sent before the server waits: mid-way through the code block

TOOLS_QUESTION = "Use the calculator: what is 1234 + 5678?"
ERROR_QUESTION = "Summarise this week's release notes in three bullet points."
ERROR_BODY = (b'{"error": {"message": "Incorrect API key provided: sk-proj-****7Qx2. You can '
              b'find your API key in your account settings.", "type": "invalid_request_error",'
              b' "code": "invalid_api_key"}}')


class Shooter:
    """Grabs widgets into `out` once the chat view has drawn everything it was given."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.written: list[str] = []

    async def settle(self, window: Any) -> None:
        view = window.chat_view
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and (
                view.row_geometry.pump.busy or view.row_geometry.data_images.pending
                or view.row_geometry.math_worker.pending or view.thumbnails.pending):
            await asyncio.sleep(0.02)
        for _ in range(5):  # the last slice's repaint, layout of late widgets
            await asyncio.sleep(0.02)

    async def shoot(self, name: str, widget: Any, window: Any) -> None:
        await self.settle(window)
        image = widget.grab().toImage()
        target = self.out / f"{name}.png"
        if not image.save(str(target), "PNG", 0):  # quality 0: PNG's strongest compression
            raise SystemExit(f"could not write {target}")
        self.written.append(name)
        print(f"wrote {target} ({image.width()}x{image.height()}, "
              f"{target.stat().st_size // 1024} KiB)")


def with_theme(window: Any, theme: str) -> None:
    settings = window.settings
    window.apply_settings(dataclasses.replace(
        settings, preferences=dataclasses.replace(settings.preferences, theme=theme)))


def with_profile_url(window: Any, url: str) -> None:
    settings = window.settings
    profiles = [dataclasses.replace(p, url=url, model=MODEL) if p.name == PROFILE else p
                for p in settings.profiles]
    window.apply_settings(dataclasses.replace(settings, profiles=profiles))


def hover_last_reply(window: Any) -> None:
    """The pointer over the last reply: its action bar shows (copy, regenerate, ‹ n/m ›...)."""
    view = window.chat_view
    replies = [item for item in view.rows.items if item.role == "assistant"]
    view.message_actions.hover_id = replies[-1].id
    view.message_actions.place()


async def wait_for(condition: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


def send(window: Any, text: str) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    window.new_chat()
    window.composer.set_text(text)
    QTest.keyClick(window.composer.editor, Qt.Key.Key_Return)


def piece_bytes(texts: list[str]) -> list[bytes]:
    chunks = [sse_body(chat_chunk(t), done=False) for t in texts]
    return [*chunks, sse_body(chat_chunk(finish="stop"))]


async def live_shots(shots: Shooter, window: Any, server: LoopbackServer) -> None:
    """streaming.png (a reply held mid-stream) and error.png (a 401 from the server)."""
    with_profile_url(window, server.url())
    held = ScriptedResponse(pieces=piece_bytes(STREAM_PIECES), hold_after=STREAM_HOLD)
    server.enqueue(held)
    send(window, STREAM_QUESTION)
    view = window.chat_view
    await wait_for(lambda: "countdown" in view.last_reply_text(), "the streamed text")
    await shots.shoot("streaming", window, window)
    held.release.set()
    await wait_for(lambda: not window.controller.is_streaming(window.controller.current_id),
                   "the end of the stream")

    server.enqueue(ScriptedResponse(status=401, headers={"Content-Type": "application/json"},
                                    pieces=[ERROR_BODY]))
    send(window, ERROR_QUESTION)
    await wait_for(lambda: any(item.role == "assistant" and item.state == "error"
                               for item in view.rows.items), "the error card")
    await shots.shoot("error", window, window)
    await tools_shot(shots, window, server)


def tool_call_reply(name: str, arguments: dict[str, Any]) -> ScriptedResponse:
    """A streamed reply that asks for one tool (what the tool loop then offers to run)."""
    call = {"index": 0, "id": "c0", "type": "function",
            "function": {"name": name, "arguments": json.dumps(arguments)}}
    return ScriptedResponse(pieces=[sse_body(chat_chunk(role="assistant"),
                                             chat_chunk(tool_calls=[call]),
                                             chat_chunk(finish="tool_calls"))])


async def tools_shot(shots: Shooter, window: Any, server: LoopbackServer) -> None:
    """tools.png: the model asks for a tool of the MCP test server; the card waits for the
    user. Then Run: the tool runs and the model answers with its result."""
    server.enqueue(tool_call_reply("add", {"a": 1234, "b": 5678}))
    server.enqueue(ScriptedResponse(pieces=piece_bytes(["1234 + 5678 = **6912**."])))
    send(window, TOOLS_QUESTION)
    await wait_for(lambda: bool(window.tool_approval.cards()), "the tool approval card", 40)
    await shots.shoot("tools", window, window)
    window.tool_approval.cards()[0].run_button.click()
    await window.controller.wait_idle()


async def find_shot(shots: Shooter, window: Any, chats: Chats) -> None:
    """find.png: Ctrl+F, a word typed, Enter to the second match; every match marked."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    window.open_conversation(chats.main)
    await shots.settle(window)
    finder = window.chat_find
    finder.open()  # what Ctrl+F does (an offscreen window is never the active one)
    QTest.keyClicks(finder.bar.field, "row")
    await wait_for(lambda: not finder.session.scanning, "the find count")
    QTest.keyClick(finder.bar.field, Qt.Key.Key_Return)
    await shots.shoot("find", window, window)
    finder.close()


async def code_shot(shots: Shooter, window: Any, chats: Chats) -> None:
    """code.png: a block scrolled to the end of its long line, one wrapped by its toggle,
    Copy just pressed, and the image the reply drew."""
    from desktopchat.ui import code_blocks

    view = window.chat_view
    window.open_conversation(chats.code)
    await shots.settle(window)
    item = view.item(chats.code_reply)
    assert item is not None and item.render is not None
    (python, first), (shell, second) = [
        (part, n) for part in item.render.parts for n in range(len(part.codes))][:2]
    assert python.doc is not None
    block = code_blocks.view_of(python).blocks(python.doc, python.width)[first]
    code_blocks.scroll_to(python, block, block.max_offset)
    code_blocks.set_wrap(shell, second, True)
    view.input.code_blocks.copy(chats.code_reply, python, first, python.codes[first])
    view._row_changed(chats.code_reply)
    view.scroll_to_bottom()
    await shots.shoot("code", window, window)


def attach_chips(window: Any) -> None:
    """Three files waiting in the composer, as chips."""
    from screenshot_chats import chart_png

    from desktopchat.attachments import Attachment, Kind

    for attachment in (
            Attachment("meeting-notes.md", Kind.TEXT, "text/plain", b"# Notes\n" * 300),
            Attachment("q4-report.pdf", Kind.PDF, "text/plain", b"Q4 report text " * 800),
            Attachment("revenue-2024.png", Kind.IMAGE, "image/png", chart_png(600, 400))):
        window.composer.chips.add(attachment)
    window.composer.set_text("Compare these with last quarter.")


async def english_shots(shots: Shooter, built: Any, chats: Chats,
                        server: LoopbackServer) -> None:
    window = built.window
    window.resize(*SIZE)
    window.show()
    window.history_panel.refresh()
    with_theme(window, "light")
    window.open_conversation(chats.main)
    await shots.shoot("light", window, window)
    window.open_settings()
    dialog = window.settings_dialog
    await shots.shoot("settings", dialog, window)
    dialog.reject()
    with_theme(window, "dark")
    await shots.shoot("dark", window, window)
    with_theme(window, "light")
    await find_shot(shots, window, chats)
    window.open_conversation(chats.rich)
    await shots.shoot("rich", window, window)
    attach_chips(window)
    await shots.shoot("attachments", window, window)
    window.composer.chips.clear()
    window.composer.set_text("")
    await code_shot(shots, window, chats)
    window.open_conversation(chats.versions)
    await shots.settle(window)
    hover_last_reply(window)
    await shots.shoot("versions", window, window)
    await shots.shoot("folders", window.history_panel, window)
    window.new_chat()
    await shots.shoot("empty", window, window)
    window.open_conversation(chats.main)
    for _ in range(2):  # the sidebar steps aside on the first resize; then 480 fits
        window.resize(480, SIZE[1])
        await shots.settle(window)
    await shots.shoot("narrow", window, window)
    window.resize(*SIZE)
    await live_shots(shots, window, server)


async def chinese_shot(shots: Shooter, built: Any, chat: int) -> None:
    window = built.window
    window.resize(*SIZE)
    window.show()
    window.history_panel.refresh()
    window.open_conversation(chat)
    await shots.shoot("zh_CN", window, window)


def has_cjk_font() -> bool:
    from PySide6.QtGui import QFontDatabase

    return bool(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))


def data_folder(tmp: str, language: str, fill_history: Callable[[Any], Any]) -> tuple[Any, Any]:
    """A basedir with the first run's profiles, `language` chosen, and its history filled;
    returns its paths and what `fill_history` returned."""
    from desktopchat.paths import app_paths
    from desktopchat.settings import SettingsStore, first_run_settings
    from desktopchat.settings.tool_settings import ToolSettings, ToolSettingsStore
    from desktopchat.storage.store import HistoryStore

    paths = app_paths(tmp).ensure()
    settings = first_run_settings()
    SettingsStore(paths.settings_file).save(dataclasses.replace(
        settings, preferences=dataclasses.replace(settings.preferences, language=language)))
    ToolSettingsStore(paths.tools_file).save(ToolSettings(servers=(
        stdio_spec("calculator"),)))
    with HistoryStore.open(paths.database_file) as store:
        return paths, fill_history(store)


async def make_all(out: Path) -> list[str]:
    from screenshot_chats_zh import fill_chinese

    from desktopchat.app import build
    from desktopchat.secrets import SecretStore
    from desktopchat.settings import Language

    shots = Shooter(out)
    secrets = SecretStore(ShotKeyring())
    secrets.set_key(PROFILE, KEY)
    server = LoopbackServer()
    try:
        with tempfile.TemporaryDirectory(prefix="desktopchat-shots-") as english, \
                tempfile.TemporaryDirectory(prefix="desktopchat-shots-zh-") as chinese:
            for tmp, language in ((english, Language.ENGLISH),
                                  (chinese, Language.CHINESE_SIMPLIFIED)):
                paths, chats = data_folder(tmp, language, fill if language == Language.ENGLISH
                                           else fill_chinese)
                built = build(paths, secrets=secrets, keep_window_state=False)
                try:
                    if language == Language.ENGLISH:
                        await english_shots(shots, built, chats, server)
                    else:
                        await chinese_shot(shots, built, chats)
                finally:
                    built.window._close_confirmed = True
                    built.window.close()
                    await built.aclose()
    finally:
        server.close()
    return shots.written


def offscreen_screen(folder: Path) -> None:
    """A 1920x1080 offscreen screen at 96 dpi: the plugin's own is 800x800, which would
    shrink dialogs (they fit themselves to the screen) below what a desktop shows."""
    config = folder / "screen.json"
    config.write_text(json.dumps({"screens": [{
        "name": "shots", "x": 0, "y": 0, "width": 1920, "height": 1080, "logicalDpi": 96,
        "dpr": 1}]}))
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else REPO / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="desktopchat-screen-") as folder:
        offscreen_screen(Path(folder))
        return shoot_all(out)


def shoot_all(out: Path) -> int:
    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(["desktopchat"])
    assert isinstance(app, QApplication)
    app.setQuitOnLastWindowClosed(False)
    if not has_cjk_font():
        print("no Simplified Chinese font: zh_CN.png will show boxes "
              "(Debian: apt-get install fonts-wqy-microhei)", file=sys.stderr)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    # qasync does not install asyncio's async-generator hooks; httpx's streams need them.
    sys.set_asyncgen_hooks(firstiter=loop._asyncgen_firstiter_hook,
                           finalizer=loop._asyncgen_finalizer_hook)
    started = time.monotonic()
    try:
        written = loop.run_until_complete(make_all(out))
    finally:
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()
        asyncio.set_event_loop(None)
        # Destroy the closed windows' widgets now, while the application lives: left to the
        # collector at interpreter exit they can outlive it (a segmentation fault there).
        from PySide6.QtCore import QCoreApplication, QEvent

        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        gc.collect()
    print(f"{len(written)} pictures in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
