"""Composition root: parses argv, builds every service, starts Qt with the qasync loop.

Everything is built here and handed in (no singletons). Logging goes to
paths.log_dir through redact.SecretRedactor, which removes every key the app has read
(and fragments of it), URL user-info and anything shaped like a bearer token, so a key
can never reach a log line.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import logging.handlers
import sys
import time
from pathlib import Path
from typing import Any

from desktopchat import __version__
from desktopchat.paths import AppPaths, app_paths
from desktopchat.redact import SecretRedactor

log = logging.getLogger("desktopchat")

def setup_logging(paths: AppPaths, redactor: SecretRedactor) -> logging.Handler:
    handler = logging.handlers.RotatingFileHandler(
        paths.log_dir / "desktopchat.log", maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(redactor)
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return handler


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="desktopchat", description="Desktop chat client")
    parser.add_argument("--version", action="version", version=f"desktopchat {__version__}")
    parser.add_argument("--basedir", help="keep config and data in this folder (portable mode)")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="build the window, paint once, print 'ok <ms>' and exit",
    )
    return parser.parse_args(argv)


def install_crash_hook(app: Any) -> None:
    """An uncaught exception is a bug: log it with its traceback, tell the user once."""
    shown: list[Any] = []  # holds the box too: a parentless box would be collected at once

    def hook(kind: type[BaseException], value: BaseException, tb: Any) -> None:
        log.error("uncaught exception", exc_info=(kind, value, tb))
        if shown or kind is KeyboardInterrupt:
            return
        from PySide6.QtWidgets import QMessageBox

        from desktopchat.ui.plain_text import message_box

        box = message_box(QMessageBox.Icon.Critical, "desktopchat: unexpected error",
                          f"Something went wrong: {kind.__name__}: {value}\n\nYour history is "
                          "safe. Details were written to the log.", QMessageBox.StandardButton.Ok)
        shown.append(box)
        box.open()

    sys.excepthook = hook


def storage_failed(message: str, database: Path) -> int:
    """A database we cannot open is explained, never reset; the user may only quit."""
    from desktopchat.ui import plain_text

    log.error("history database unusable: %s", message)
    plain_text.critical(None, "desktopchat: history unavailable",
                        f"{message}\n\nThe file was left untouched:\n{database}\n\n"
                        "desktopchat will quit now.")
    return 2


def run(argv: list[str]) -> int:
    started = time.perf_counter()
    args = parse_args(argv)
    paths = app_paths(args.basedir).ensure()
    redactor = SecretRedactor()
    setup_logging(paths, redactor)

    from PySide6.QtWidgets import QApplication

    from desktopchat.ui import plain_text

    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName("desktopchat")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("desktopchat")  # matches the .desktop entry (Wayland, taskbars)
    from PySide6.QtGui import QIcon

    from desktopchat.paths import resource

    app.setWindowIcon(QIcon(str(resource("icons", "desktopchat.svg"))))
    install_crash_hook(app)
    from desktopchat.ui.gc_guard import MainThreadGarbageCollector

    collector = MainThreadGarbageCollector(app)

    from desktopchat.errors import StorageError
    from desktopchat.secrets import SecretStore
    from desktopchat.settings import SettingsStore, WindowStateStore
    from desktopchat.storage.store import HistoryStore

    settings_store = SettingsStore(paths.settings_file)
    loaded = settings_store.load()
    try:
        store = HistoryStore.open(paths.database_file)
    except StorageError as exc:
        if args.self_test:
            print(f"error {exc.message}", flush=True)
            return 2
        return storage_failed(exc.message, paths.database_file)

    import qasync

    from desktopchat.ui.controller import ChatController
    from desktopchat.ui.main_window import MainWindow

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    # qasync does not install these; without them an abandoned SSE iterator is never closed.
    sys.set_asyncgen_hooks(firstiter=loop._asyncgen_firstiter_hook,
                           finalizer=loop._asyncgen_finalizer_hook)
    secrets = SecretStore()
    controller = ChatController(store, secrets, loaded.settings, on_secret=redactor.add)
    window = MainWindow(controller, settings_store=settings_store,
                        window_state=WindowStateStore(paths.window_state_file))
    recent = store.list_conversations(limit=1)
    if recent:
        window.open_conversation(recent[0].id)
    window.show()
    if args.self_test:
        window.grab()
        elapsed_ms = (time.perf_counter() - started) * 1000
        print(f"ok {elapsed_ms:.0f}", flush=True)
        window.save_state = lambda: None  # a self-test leaves the user's files as they were
        window.close()
        store.close()
        loop.close()
        return 0
    if loaded.problem:
        plain_text.warning(window, "Settings", loaded.problem)
    if store.recovered_interrupted:
        window.statusBar().showMessage(
            f"{store.recovered_interrupted} reply(s) were cut off when the app last stopped; "
            "they are marked as interrupted.", 10000)
    offer = None
    if loaded.first_run:
        from desktopchat.ui.first_run import offer_local_server

        window.apply_settings(loaded.settings, save=True)  # the presets become the user's file
        offer = asyncio.ensure_future(offer_local_server(window))
    status = secrets.status()
    if not status.usable:
        window.composer.show_hint(
            f"{status.problem or 'No usable keyring.'} You can use a key for this run only.",
            "run-key")
    done = asyncio.Event()
    # Quitting Qt would stop the loop under our feet; end the loop ourselves instead, then
    # stop streams, close clients and the store while the loop still runs.
    app.setQuitOnLastWindowClosed(False)
    app.lastWindowClosed.connect(done.set)
    try:
        with loop:
            loop.run_until_complete(done.wait())
            if offer is not None and not offer.done():
                offer.cancel()
            loop.run_until_complete(controller.aclose())
            loop.run_until_complete(loop.shutdown_asyncgens())
    finally:
        store.close()
        collector.stop()
        log.info("clean shutdown")
    return 0
