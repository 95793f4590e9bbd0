"""A qasync loop for GUI tests (DESIGN.md §7).

Tests are coroutines run to completion on a qasync QEventLoop with
`qasync_loop.run(coro)`; inside them, wait with `await wait_signal(...)` or
`await wait_until(...)` (never qtbot.wait*, which hangs on this loop). The loop
has asyncio's async-generator hooks installed (qasync does not), and teardown
cancels leftover tasks, finalises async generators and closes the loop.
"""

from __future__ import annotations

import asyncio
import gc
import sys
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from typing import Any, TypeVar

import pytest

T = TypeVar("T")


class QtLoop:
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop

    # Generous bounds: they only stop a hung test, a passing one never waits for them, and a
    # loaded 2-core CI machine can take several seconds for what takes 50 ms here. They stay
    # below pytest-timeout's 60 s so a hang fails with a traceback of the awaited step.
    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 45.0) -> T:
        return run_to_completion(self.loop, asyncio.wait_for(coro, timeout))


def run_to_completion(loop: asyncio.AbstractEventLoop, awaitable: Awaitable[T]) -> T:
    """loop.run_until_complete without qasync's last pass over Qt's events after the loop
    stopped: asyncio callbacks run in that pass outside a running loop, and a task step
    there fails ("no running event loop", logged as "Task exception was never retrieved").
    What is still due runs in the next run, inside the loop."""
    future = asyncio.ensure_future(awaitable, loop=loop)
    future.add_done_callback(lambda _f: loop.stop())
    loop.run_forever()
    return future.result()


async def wait_signal(signal: Any, timeout: float = 20.0,
                      check: Callable[..., bool] | None = None) -> tuple[Any, ...]:
    """Await one emission of a Qt signal (whose arguments pass `check`)."""
    future: asyncio.Future[tuple[Any, ...]] = asyncio.get_running_loop().create_future()

    def fired(*args: Any) -> None:
        if not future.done() and (check is None or check(*args)):
            future.set_result(args)

    signal.connect(fired)
    try:
        return await asyncio.wait_for(future, timeout)
    finally:
        signal.disconnect(fired)


async def wait_until(predicate: Callable[[], bool], timeout: float = 20.0) -> None:
    """Poll a condition while the loop keeps running (for state without a signal)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        await asyncio.sleep(0.01)


def install_asyncgen_hooks(loop: Any) -> None:
    sys.set_asyncgen_hooks(firstiter=loop._asyncgen_firstiter_hook,
                           finalizer=loop._asyncgen_finalizer_hook)


@pytest.fixture(autouse=True)
def _collect_qt_garbage_on_the_main_thread(request: pytest.FixtureRequest) -> Iterator[None]:
    """No cyclic garbage collection on a helper thread while a test has Qt objects.

    Python's cyclic GC runs in whichever thread happens to allocate when a threshold is
    reached: the loopback server's threads, qasync's resolver QThreads, the Pygments
    warm-up thread. A collection there destroys Qt objects that sit in reference cycles (a
    finished test's qasync loop, its notifiers and timers, widgets) on the wrong thread:
    Qt warns "QObject::~QObject: Timers cannot be stopped from another thread" (which fails
    the test, qt_log_level_fail = WARNING) and later crashes with a segmentation fault.
    So for Qt tests automatic collection is off, and the test's garbage is collected here,
    on the main thread, after its fixtures are torn down.
    """
    if "qapp" not in request.fixturenames:
        yield
        return
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.collect()
        gc.enable()


@pytest.fixture(autouse=True)
def _restore_the_application_look(request: pytest.FixtureRequest) -> Iterator[None]:
    """A window applies its theme and font size to the whole application; the next test
    starts from the look this one found, so no test depends on the order they run in."""
    if "qapp" not in request.fixturenames:
        yield
        return
    from PySide6.QtWidgets import QApplication

    font, palette = QApplication.font(), QApplication.palette()
    try:
        yield
    finally:
        QApplication.setFont(font)
        QApplication.setPalette(palette)


async def _end_leftover_tasks() -> None:
    """Cancel the tasks a test left running, and let them end, on the running loop."""
    # Garbage async generators (an HTTP body a failed stream left) get their aclose() task
    # now, on this thread, rather than in a collection after the loop has stopped.
    gc.collect()
    await asyncio.sleep(0)  # callbacks already due (a task's first step) run here, not later
    me = asyncio.current_task()
    pending = [t for t in asyncio.all_tasks() if t is not me and not t.done()]
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.wait(pending, timeout=10)


def _settle(item: pytest.Item) -> None:
    qtloop = getattr(item, "funcargs", {}).get("qasync_loop")
    if isinstance(qtloop, QtLoop) and not qtloop.loop.is_closed():
        run_to_completion(qtloop.loop, _end_leftover_tasks())


# After the test function, and again before its teardown, pytest-qt processes Qt events
# outside any running asyncio loop: a task step qasync delivers then (a model list the
# window asked for at start, the aclose() of a dropped HTTP body) fails with "no running
# event loop", logged as "Task exception was never retrieved". So a test's leftover tasks
# end first, on its running loop.
@pytest.hookimpl(wrapper=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> Iterator[None]:
    try:
        return (yield)
    finally:
        _settle(pyfuncitem)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Iterator[None]:
    _settle(item)  # pytest-qt's own teardown wrapper runs inside this one (trylast)
    return (yield)


@pytest.fixture
def qasync_loop(qapp: Any) -> Iterator[QtLoop]:
    import qasync

    old_hooks = sys.get_asyncgen_hooks()
    qapp.setQuitOnLastWindowClosed(False)  # closing a window must not stop the test's loop
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    install_asyncgen_hooks(loop)
    try:
        yield QtLoop(loop)
    finally:
        pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for task in pending:
            task.cancel()
        if pending:
            # Bounded: a task that swallows its cancellation must not hang the teardown
            # (outside the test body, where only pytest-timeout could end it).
            run_to_completion(loop, asyncio.wait(pending, timeout=10))
        run_to_completion(loop, loop.shutdown_asyncgens())
        asyncio.set_event_loop(None)
        loop.close()
        sys.set_asyncgen_hooks(*old_hooks)


# -- a complete chat set-up on real parts: SQLite in tmp_path, in-memory keyring, loopback --

TEST_KEY = "sk-test-9f8e7d6c5b4a-DO-NOT-LEAK"


class ChatEnv:
    def __init__(self, tmp_path: Any, server: Any, keyring_backend: Any) -> None:
        from desktopchat.secrets import SecretStore
        from desktopchat.settings import Preferences, Profile, Settings, SettingsStore
        from desktopchat.storage.store import HistoryStore

        self.tmp_path = tmp_path
        self.server = server
        self.store = HistoryStore.open(tmp_path / "history.sqlite3")
        self.secrets = SecretStore(keyring_backend)
        self.secrets.set_key("local", TEST_KEY)
        self.profile = Profile(name="local", preset="openai", url=server.url(), model="m1")
        self.settings = Settings(profiles=[self.profile],
                                 preferences=Preferences(active_profile="local"))
        self.settings_store = SettingsStore(tmp_path / "settings.json")
        self.settings_store.save(self.settings)

    def controller(self) -> Any:
        from desktopchat.ui.controller import ChatController

        return ChatController(self.store, self.secrets, self.settings)


@pytest.fixture
def chat_env(tmp_path: Any, loopback_server: Any, memory_keyring: Any,
             qasync_loop: QtLoop) -> Iterator[ChatEnv]:
    env = ChatEnv(tmp_path, loopback_server, memory_keyring)
    try:
        yield env
    finally:
        env.store.close()


@pytest.fixture
def chat_window(chat_env: ChatEnv, qtbot: Any) -> Iterator[Any]:
    """The real MainWindow on chat_env's parts; links are recorded, never opened."""
    from desktopchat.app import wire
    from desktopchat.settings import LoadResult, WindowStateStore

    window = wire(chat_env.store, chat_env.settings_store, LoadResult(chat_env.settings),
                  WindowStateStore(chat_env.tmp_path / "window.json"),
                  secrets=chat_env.secrets).window
    window.opened_links = []
    window.chat_view.input.open_link_handler = window.opened_links.append
    qtbot.addWidget(window)
    window.resize(1000, 700)
    window.show()
    yield window
    window._close_confirmed = True
