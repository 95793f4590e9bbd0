"""Composition root: parses argv, builds every service, starts Qt with the qasync loop.

Everything is built by `build()` and handed in (no singletons); the app, `--self-test`,
the tests and scripts/make_screenshot.py all use it. Logging goes to paths.log_dir
through redact.SecretRedactor, which removes every key the app has read (and fragments
of it), URL user-info and anything shaped like a bearer token, so a key can never reach
a log line.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktopchat import __version__
from desktopchat.log_file import setup_logging
from desktopchat.paths import AppPaths, app_paths
from desktopchat.redact import SecretRedactor
from desktopchat.ui.crash_hook import install_crash_hook
from desktopchat.ui.start_up_messages import history_unavailable, recovered_notice

if TYPE_CHECKING:  # Qt and the stores load after the arguments are read
    from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

    from desktopchat.secrets import SecretStore
    from desktopchat.settings import LoadResult, SettingsStore, WindowStateStore
    from desktopchat.settings.mcp_servers import McpServerSpec
    from desktopchat.storage.migrations import Progress
    from desktopchat.storage.store import HistoryStore
    from desktopchat.ui.controller import ChatController
    from desktopchat.ui.main_window import MainWindow
    from desktopchat.ui.tool_loop import ToolSetup

log = logging.getLogger("desktopchat")

def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="desktopchat", description="Desktop chat client")
    parser.add_argument("--version", action="version", version=f"desktopchat {__version__}")
    parser.add_argument("--basedir", help="keep config and data in this folder (portable mode)")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="build the window, paint once, print 'ok <ms>' and exit",
    )
    parser.add_argument(
        "--self-test-mcp",
        metavar="COMMAND",
        help="with --self-test: also start this stdio MCP server, print 'tools <names>', stop it",
    )
    return parser.parse_args(argv)


# -- the composition root ------------------------------------------------------------------

STARTUP_BUSY_TIMEOUT = 0.25  # s: at start-up a locked history is reported, not waited out
FREEZE_AFTER_S = 2.0  # s after the window shows: what exists then lives as long as the app


@dataclass
class App:
    """Everything one window of desktopchat runs on, wired by `wire` and nowhere else."""

    settings_store: SettingsStore
    loaded: LoadResult
    store: HistoryStore
    secrets: SecretStore
    controller: ChatController
    window: MainWindow

    async def aclose(self) -> None:
        """Stop streams (each saves itself), close HTTP clients, then the history."""
        await self.controller.aclose()
        self.store.close()


def build(
    paths: AppPaths,
    *,
    secrets: SecretStore | None = None,
    redactor: SecretRedactor | None = None,
    keep_window_state: bool = True,
    busy_timeout: float = STARTUP_BUSY_TIMEOUT,
    store: HistoryStore | None = None,
    progress: Progress | None = None,
) -> App:
    """Load settings, open the history of `paths` (unless `store` is it, open already),
    and wire the window on them.

    Raises StorageError when the history cannot be opened (locked, damaged, a dangling
    link); the caller explains it. Nothing here reads a key: the keyring is asked only
    when a key is needed, off the UI thread. `keep_window_state=False` (the self-test)
    leaves window-state.json as it was.
    """
    from desktopchat.secrets import SecretStore
    from desktopchat.settings import SettingsStore, WindowStateStore
    from desktopchat.ui.language import install_translators

    settings_store = SettingsStore(paths.settings_file)
    loaded = settings_store.load()
    install_translators(loaded.settings.preferences.language)  # before any widget reads text
    store = store if store is not None else open_history(paths, busy_timeout, progress)
    secrets = secrets if secrets is not None else SecretStore()
    try:
        return wire(store, settings_store, loaded,
                    WindowStateStore(paths.window_state_file, read_only=not keep_window_state),
                    secrets=secrets, redactor=redactor,
                    tools=tool_setup(paths, secrets))
    except BaseException:
        store.close()
        raise


def open_history(paths: AppPaths, busy_timeout: float = STARTUP_BUSY_TIMEOUT,
                 progress: Progress | None = None) -> HistoryStore:
    """The history, upgraded if it is older; `progress` hears of long upgrade steps."""
    from desktopchat.storage.read_only import open_or_read_only

    # A history that cannot be written opens to read; the window says so (store.read_only).
    return open_or_read_only(paths.database_file, open_timeout=busy_timeout, progress=progress)


async def open_when_free(paths: AppPaths, problem: str, *, redactor: SecretRedactor | None = None,
                         secrets: SecretStore | None = None, retry_every: float | None = None,
                         shown: Callable[[QWidget], None] | None = None) -> App | None:
    """The history is locked by another program: a window with that message at once, and
    the real one as soon as the history opens (Retry, or by itself every few seconds),
    without a restart. None: the user closed the window first. Nothing is written before."""
    from desktopchat.settings import SettingsStore, WindowStateStore
    from desktopchat.ui.history_wait import AUTO_RETRY_S, HistoryOpener, HistoryWaitWindow
    from desktopchat.ui.language import install_translators

    log.error("history database locked at start-up: %s", problem)
    # The waiting window speaks the chosen language too (build() loads the settings again).
    install_translators(SettingsStore(paths.settings_file).load().settings.preferences.language)
    wait = HistoryWaitWindow(problem, paths.database_file,
                             WindowStateStore(paths.window_state_file, read_only=True))
    wait.show()
    if shown is not None:
        shown(wait)
    opener = HistoryOpener(wait, lambda: open_history(paths), is_locked,
                           retry_every=AUTO_RETRY_S if retry_every is None else retry_every,
                           discard=lambda store: store.close())
    store = await opener.opened()
    if store is None:
        wait.deleteLater()
        return None
    built = build(paths, secrets=secrets, redactor=redactor, store=store)
    built.window.show()  # before the wait window closes, so the app never has no window
    if shown is not None:
        shown(built.window)
    wait.close()
    wait.deleteLater()
    return built


def tool_setup(paths: AppPaths, secrets: SecretStore) -> ToolSetup:
    """MCP servers from tools.json, run by a ToolHost that starts nothing until a server is
    first needed; secret header values are read from the keyring on the host's thread."""
    from desktopchat.settings.tool_settings import ToolSettingsStore
    from desktopchat.tools import ToolHost
    from desktopchat.ui.tool_loop import ToolSetup

    def secret_headers(spec: McpServerSpec) -> dict[str, str]:
        values = {name: secrets.get_mcp_header(spec.name, name) for name in spec.secret_headers}
        return {name: value for name, value in values.items() if value}

    store = ToolSettingsStore(paths.tools_file)
    loaded = store.load()
    if loaded.problem:
        log.warning("%s", loaded.problem)
    return ToolSetup(ToolHost(secret_headers=secret_headers), store, loaded.settings,
                     problem=loaded.problem)


def wire(store: HistoryStore, settings_store: SettingsStore, loaded: LoadResult,
         window_state: WindowStateStore, *, secrets: SecretStore,
         redactor: SecretRedactor | None = None, tools: ToolSetup | None = None) -> App:
    """The controller and the main window on services already open (tests pass their own
    store and keyring here; everything else goes through `build`)."""
    from desktopchat.ui.controller import ChatController
    from desktopchat.ui.main_window import MainWindow

    controller = ChatController(store, secrets, loaded.settings,
                                on_secret=redactor.add if redactor is not None else None,
                                tools=tools)
    window = MainWindow(controller, settings_store=settings_store, window_state=window_state)
    recent = store.list_conversations(limit=1)
    if recent:
        window.open_conversation(recent[0].id)
    return App(settings_store, loaded, store, secrets, controller, window)


def is_locked(exc: Exception) -> bool:
    return "busy/locked" in str(exc)


def start_qt(paths: AppPaths) -> QApplication:
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from desktopchat.paths import resource

    existing = QApplication.instance()  # typed QCoreApplication; ours is a QApplication
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0]])
    app.setApplicationName("desktopchat")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("desktopchat")  # matches the .desktop entry (Wayland, taskbars)
    app.setWindowIcon(QIcon(str(resource("icons", "desktopchat.svg"))))
    install_crash_hook(app)
    return app


def show_start_up_news(built: App) -> asyncio.Future[QMessageBox | None] | None:
    """After the window is up: the settings message, recovered replies, the first run."""
    from PySide6.QtWidgets import QMessageBox

    from desktopchat.ui.i18n import translate
    from desktopchat.ui.plain_text import message_box

    window, loaded = built.window, built.loaded
    if loaded.problem:
        box = message_box(QMessageBox.Icon.Warning, translate("App", "Settings"), loaded.problem,
                          parent=window)
        window.settings_problem_box = box  # kept alive; tests read it
        box.open()
    tools = built.controller.tools
    if tools is not None and tools.problem:
        window.statusBar().showMessage(tools.problem, 15000)
    if built.store.read_only:
        from desktopchat.ui.read_only_notice import show_read_only

        show_read_only(window, built.store.path)
    if built.store.recovered_interrupted:
        window.statusBar().showMessage(recovered_notice(built.store.recovered_interrupted),
                                       10000)
    window.fill_models()  # in the background: start-up does not wait for the endpoint
    if loaded.first_run:
        from desktopchat.ui.first_run import named_in_language, offer_local_server

        # The presets become the user's file, named in the UI's language.
        window.apply_settings(named_in_language(loaded.settings), save=True)
        return asyncio.ensure_future(offer_local_server(window, window))
    return None


async def show_keyring_status(built: App) -> None:
    """Whether a keyring is usable, found on a worker thread (it may talk to D-Bus)."""
    from desktopchat.ui.i18n import translate

    status = await asyncio.wrap_future(built.secrets.status_soon())
    if not status.usable:
        built.window.composer.show_hint(
            # The problem text already offers a key for this run only: say it once.
            status.problem
            or translate("App", "No usable keyring. You can use a key for this run only."),
            "run-key")


def run(argv: list[str]) -> int:
    started = time.perf_counter()
    args = parse_args(argv)
    paths = app_paths(args.basedir).ensure()
    redactor = SecretRedactor()
    setup_logging(paths, redactor)
    app = start_qt(paths)
    from desktopchat.ui.gc_guard import MainThreadGarbageCollector

    collector = MainThreadGarbageCollector(app)
    from desktopchat.ui.gil import favour_the_ui_thread

    favour_the_ui_thread()
    instance = None
    if not args.self_test:
        from desktopchat.ui.single_instance import Claim, SingleInstance

        instance = SingleInstance(paths.data_dir)
        claim = instance.acquire()
        if claim is Claim.RAISED:
            print("desktopchat is already open on this data folder; showing that window.",
                  flush=True)
            collector.stop()
            return 0
        if claim is Claim.UNREACHABLE:
            from desktopchat.ui.start_up_messages import window_unreachable

            window_unreachable(instance.holder_pid, paths.data_dir)
            collector.stop()
            return 1

    from desktopchat.errors import StorageError
    from desktopchat.ui.migration_progress import MigrationProgress

    built: App | None = None
    upgrading = MigrationProgress()  # a window only if an older history is upgraded
    try:
        built = build(paths, redactor=redactor, keep_window_state=not args.self_test,
                      progress=upgrading)
    except StorageError as exc:
        if args.self_test:
            print(f"error {exc.message}", flush=True)
            return 2
        if not is_locked(exc):
            from desktopchat.ui.error_text import shown_error

            history_unavailable(shown_error(exc), paths.database_file)
            if instance is not None:
                instance.release()
            return 2
        locked = exc.message
    finally:
        upgrading.close()

    import qasync

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    # qasync does not install these; without them an abandoned SSE iterator is never closed.
    sys.set_asyncgen_hooks(firstiter=loop._asyncgen_firstiter_hook,
                           finalizer=loop._asyncgen_finalizer_hook)
    front: list[QWidget] = []  # the window a second launch raises
    if instance is not None:
        instance.raise_requested.connect(lambda: raise_window(front[-1]) if front else None)
    if built is None:
        app.setQuitOnLastWindowClosed(False)  # closing the wait window ends the wait only
        built = loop.run_until_complete(
            open_when_free(paths, locked, redactor=redactor, shown=front.append))
        if built is None:
            loop.close()
            collector.stop()
            if instance is not None:
                instance.release()
            return 0
    window = built.window
    front.append(window)
    window.show()
    log.info("window shown (%s)", paths.data_dir)
    if args.self_test:
        window.grab()
        elapsed_ms = (time.perf_counter() - started) * 1000
        print(f"ok {elapsed_ms:.0f}", flush=True)
        status = 0
        if args.self_test_mcp:
            from desktopchat.tools.self_test import self_test_tools

            status = loop.run_until_complete(self_test_tools(args.self_test_mcp))
        window.close()  # keep_window_state=False: the user's files stay as they were
        built.store.close()
        loop.close()
        return status
    window.backups.start()  # the daily backup: not in the self-test, which only paints
    offer = show_start_up_news(built)
    # Once the window has painted and the first chat is open: start-up's objects set aside,
    # so later full collections on the UI thread walk only what came after (gc_guard.py).
    loop.call_later(FREEZE_AFTER_S, collector.freeze_start_up)
    keyring_check = asyncio.ensure_future(show_keyring_status(built))
    done = asyncio.Event()
    # Quitting Qt would stop the loop under our feet; end the loop ourselves instead, then
    # stop streams, close clients and the store while the loop still runs.
    app.setQuitOnLastWindowClosed(False)
    app.lastWindowClosed.connect(done.set)
    try:
        with loop:
            loop.run_until_complete(done.wait())
            for task in (offer, keyring_check):
                if task is not None and not task.done():
                    task.cancel()
            loop.run_until_complete(built.aclose())
            loop.run_until_complete(loop.shutdown_asyncgens())
    finally:
        built.store.close()
        collector.stop()
        if instance is not None:
            instance.release()
        log.info("clean shutdown")
    return 0


def raise_window(window: QWidget) -> None:
    """A second launch on this data folder: show the running window instead."""
    from desktopchat.ui.desktop_presence import bring_up

    bring_up(window)
