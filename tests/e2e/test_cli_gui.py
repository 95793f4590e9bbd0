"""The CLI and the window on one data folder: a conversation the CLI writes shows up in the
window's sidebar when the window regains focus, without a restart; the window's start-up
recovery leaves a reply the CLI is still streaming alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QWidget

from desktopchat.paths import app_paths
from desktopchat.secrets import SecretStore
from desktopchat.settings import SettingsStore, WindowStateStore
from desktopchat.storage.store import HistoryStore
from desktopchat.ui.controller import ChatController
from desktopchat.ui.main_window import MainWindow
from tests.support.cli_process import (
    loopback_profile,
    read_until,
    run_cli,
    save_profiles,
    start_cli,
)
from tests.support.loopback import ScriptedResponse
from tests.support.sse_script import chat_chunk, sse_body


def sidebar_titles(window: MainWindow) -> list[str]:
    model = window.history_panel.model
    found = (model.conversation_at(row) for row in range(model.rowCount()))
    return [c.title for c in found if c is not None]


def activate(qtbot: Any, widget: QWidget) -> None:
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow, timeout=10_000)


def test_a_conversation_written_by_the_cli_appears_when_the_window_regains_focus(
    qtbot: Any, tmp_path: Path, loopback_server: Any, memory_keyring: Any
) -> None:
    basedir = tmp_path / "portable"
    save_profiles(basedir, loopback_profile(loopback_server.url()))
    paths = app_paths(basedir).ensure()
    store = HistoryStore.open(paths.database_file)
    first = store.create_conversation(title="written by the window")
    store.add_user_message(first.id, "hello from the GUI")
    controller = ChatController(store, SecretStore(memory_keyring),
                                SettingsStore(paths.settings_file).load().settings)
    window = MainWindow(controller, settings_store=SettingsStore(paths.settings_file),
                        window_state=WindowStateStore(paths.window_state_file))
    window.save_state = lambda: None  # type: ignore[method-assign]
    qtbot.addWidget(window)
    other = QWidget()
    qtbot.addWidget(other)
    try:
        window.show()
        activate(qtbot, window)
        assert sidebar_titles(window) == ["written by the window"]

        other.show()
        activate(qtbot, other)  # the user switches to a terminal...
        loopback_server.enqueue(
            ScriptedResponse(pieces=[sse_body(chat_chunk("From the terminal.", finish="stop"))])
        )
        done = run_cli("ask", "--basedir", str(basedir), "asked from the command line")
        assert done.returncode == 0, done.stderr
        assert done.stdout == "From the terminal.\n"
        assert sidebar_titles(window) == ["written by the window"]  # not yet: no focus

        activate(qtbot, window)  # ...and comes back
        qtbot.waitUntil(lambda: sidebar_titles(window) == [
            "asked from the command line", "written by the window"], timeout=10_000)
        # The window can open it: the whole turn is there.
        new_id = next(c.id for c in store.list_conversations()
                      if c.title == "asked from the command line")
        roles = [(m.role, m.content) for m in store.messages(new_id, limit=-1)]
        assert roles == [("user", "asked from the command line"),
                         ("assistant", "From the terminal.")]
    finally:
        window.close()
        other.close()
        store.close()


def test_the_sidebar_does_not_reload_on_focus_when_nothing_changed_elsewhere(
    qtbot: Any, tmp_path: Path, memory_keyring: Any
) -> None:
    basedir = tmp_path / "portable"
    paths = app_paths(basedir).ensure()
    store = HistoryStore.open(paths.database_file)
    store.create_conversation(title="only one")
    controller = ChatController(store, SecretStore(memory_keyring),
                                SettingsStore(paths.settings_file).load().settings)
    window = MainWindow(controller, settings_store=SettingsStore(paths.settings_file),
                        window_state=WindowStateStore(paths.window_state_file))
    window.save_state = lambda: None  # type: ignore[method-assign]
    qtbot.addWidget(window)
    other = QWidget()
    qtbot.addWidget(other)
    reloads: list[int] = []
    try:
        window.show()
        activate(qtbot, window)
        window.history_panel.model.modelReset.connect(lambda: reloads.append(1))
        store.create_conversation(title="our own write")  # this connection: not "elsewhere"
        other.show()
        activate(qtbot, other)
        activate(qtbot, window)
        assert reloads == []
    finally:
        window.close()
        other.close()
        store.close()


def _held_reply(loopback_server: Any) -> ScriptedResponse:
    held = ScriptedResponse(
        pieces=[sse_body(chat_chunk("half "), done=False),
                sse_body(chat_chunk("and the rest"), chat_chunk(finish="stop"))],
        hold_after=1,
    )
    loopback_server.enqueue(held)
    return held


def test_the_window_starting_while_the_cli_streams_leaves_its_reply_alone(
    tmp_path: Path, loopback_server: Any
) -> None:
    """The CLI is a writer like any other (storage/writers.py): start-up recovery in the
    window must not mark the reply it is streaming as interrupted."""
    basedir = tmp_path / "portable"
    save_profiles(basedir, loopback_profile(loopback_server.url()))
    held = _held_reply(loopback_server)
    process = start_cli("ask", "--basedir", str(basedir), "long question")
    try:
        read_until(process, b"half ")
        with HistoryStore.open(app_paths(basedir).database_file) as store:  # as app.run does
            assert store.recovered_interrupted == 0
            [conversation] = store.list_conversations()
            streaming = store.messages(conversation.id, limit=-1)[-1]
            assert streaming.state == "streaming"
            held.release.set()
            _, err = process.communicate(timeout=30)
            assert process.returncode == 0, err
            final = store.message(streaming.id)
        assert (final.state, final.content) == ("complete", "half and the rest")
    finally:
        held.release.set()
        if process.poll() is None:
            process.kill()
            process.communicate()


def test_a_killed_cli_reply_is_recovered_as_interrupted_by_the_next_start(
    tmp_path: Path, loopback_server: Any
) -> None:
    basedir = tmp_path / "portable"
    save_profiles(basedir, loopback_profile(loopback_server.url()))
    held = _held_reply(loopback_server)
    process = start_cli("ask", "--basedir", str(basedir), "long question")
    try:
        read_until(process, b"half ")
        process.kill()  # SIGKILL: no chance to save a final state
        process.communicate(timeout=30)
    finally:
        held.release.set()
        if process.poll() is None:
            process.kill()
            process.communicate()
    with HistoryStore.open(app_paths(basedir).database_file) as store:
        assert store.recovered_interrupted == 1
        [conversation] = store.list_conversations()
        reply = store.messages(conversation.id, limit=-1)[-1]
    assert reply.state == "interrupted"
