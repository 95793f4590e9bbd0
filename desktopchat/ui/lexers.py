"""Pygments lexers and formatters, built on a helper thread; the UI thread only uses them.

Building a lexer compiles its regular expressions: 1-50 ms of pure Python (css ~48 ms,
python ~33 ms), and Pygments' imports add ~10 ms. Built on the UI thread at the first code
block of a language, that was one step of that size; built by a warm-up thread meanwhile,
the UI thread waited for the module's import lock or built the same lexer again, on top of
sharing the GIL (DESIGN.md §6, §8: no stall over 50 ms). So `lexer` answers at once: the
built lexer, UNKNOWN for a language Pygments does not have, or None while the builder
thread is on it; the code shows in plain monospace meanwhile, and `ready` (the key)
tells the transcript to render it again. Formatters (one per colour style) likewise.

A build is almost all regular-expression compilation (python: 112 expressions, ~20 ms;
css: 63, ~30 ms), pure Python that shares the GIL with the UI thread: a frame beside it
took twice its CPU time. So the builder pauses after each expression for PACE times what
it took (`paced_regexes`): it holds the GIL a third of the time, and the UI thread finds it
free most times it asks; the lexer arrives later, its code plain meanwhile.
"""

from __future__ import annotations

import functools
import threading
import time
import weakref
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import TYPE_CHECKING, Final

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

if TYPE_CHECKING:  # only for types: Pygments loads on the builder thread
    from pygments.formatters import HtmlFormatter
    from pygments.lexer import Lexer

LEXER_PREFIX = "lexer:"  # keys of lexers, beside data images' keys in images_waiting
STYLE_PREFIX = "style:"  # keys of formatters
WARM_UP_GAP_MS = 250  # between two lexers built ahead: they share the GIL with the UI
MAX_NAME = 40  # a longer language name is no language (model text: nothing is built)
PACE = 2.0  # the builder sleeps this many times as long as each expression took
MIN_PAUSE_S = 0.0005
COMMON_LANGUAGES = ("python", "bash", "javascript", "typescript", "json", "rust", "go", "java",
                    "c", "cpp", "html", "css", "sql", "yaml", "diff")


class Unknown:
    """A language Pygments does not have (or a style it lacks): shown plain."""


UNKNOWN: Final = Unknown()


_pacing = threading.local()  # set on the builder thread while it builds


def pause(took: float) -> None:
    time.sleep(max(MIN_PAUSE_S, PACE * took))


def paced_regexes() -> bool:
    """Make Pygments pause after each regular expression it compiles, on a thread that is
    building (`_pacing.on`) and nowhere else (a lexer may build a sub-lexer while the UI
    thread tokenizes). False if this Pygments has no such step (then nothing pauses)."""
    from pygments.lexer import RegexLexerMeta

    compile_one = RegexLexerMeta.__dict__.get("_process_regex")
    if compile_one is None or getattr(compile_one, "paced", False):
        return compile_one is not None

    def process_regex(cls: type, regex: object, rflags: int, state: str) -> object:
        started = time.perf_counter()
        try:
            return compile_one(cls, regex, rflags, state)
        finally:
            if getattr(_pacing, "on", False):
                pause(time.perf_counter() - started)  # looked up here: tests count

    process_regex.paced = True  # type: ignore[attr-defined]
    RegexLexerMeta._process_regex = process_regex
    return True


def _build(key: str) -> object:
    """Runs on the builder thread: imports, regex compilation, the first tokenizing."""
    _pacing.on = True
    try:
        return _build_paced(key)
    finally:
        _pacing.on = False


def _build_paced(key: str) -> object:
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    paced_regexes()
    name = key.partition(":")[2]
    try:
        if key.startswith(STYLE_PREFIX):
            return HtmlFormatter(noclasses=True, nowrap=True, style=name)
        lexer = get_lexer_by_name(name, stripnl=False, ensurenl=False)
        for _ in lexer.get_tokens("x = 1\n"):  # finishes what the first use builds
            pass
        return lexer
    except ClassNotFound:
        return UNKNOWN
    except Exception:  # a Pygments bug: the code is shown plain, never lost
        return UNKNOWN


class Lexers(QObject):
    """Built lexers and formatters by key; one builder thread."""

    ready = Signal(str)  # key
    _built = Signal(str, object)  # from the builder: key, lexer / formatter / UNKNOWN

    def __init__(self, parent: QObject | None = None) -> None:
        # Owned by the application unless given a parent: the builder thread holds a
        # reference while it builds, and a QObject whose last Python reference dies there
        # is destroyed on that thread (its timer stopped from the wrong thread, then a crash).
        super().__init__(parent if parent is not None else QCoreApplication.instance())
        self._done: dict[str, object] = {}
        self._asked: dict[str, Future[None]] = {}
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lexers")
        self._built.connect(self._store)
        self._warm_queue: list[str] = []
        self._busy: weakref.WeakMethod[Callable[[], bool]] | None = None
        self._warm_timer = QTimer(self)
        self._warm_timer.setSingleShot(True)
        self._warm_timer.setInterval(WARM_UP_GAP_MS)
        self._warm_timer.timeout.connect(self._warm_next)

    def lexer(self, language: str) -> Lexer | Unknown | None:
        """The built lexer, UNKNOWN, or None (asked for: `ready` follows)."""
        name = language.strip().lower()
        if not name or len(name) > MAX_NAME:
            return UNKNOWN
        found = self._get(LEXER_PREFIX + name)
        return found  # what _build made for a lexer key

    def formatter(self, style: str) -> HtmlFormatter | Unknown | None:
        found = self._get(STYLE_PREFIX + style)
        return found  # what _build made for a style key

    def key(self, language: str) -> str:
        return LEXER_PREFIX + language.strip().lower()

    def warm_up(self, languages: Iterable[str], style: str,
                busy: Callable[[], bool] | None = None) -> None:
        """Build these ahead of their first code block, one every WARM_UP_GAP_MS and only
        while `busy` (a bound method, held weakly: the view has frames or slices queued)
        says no. Built all at once, they held the GIL against the UI thread for ~250 ms at
        start-up, while the first conversation renders. A code block that needs one
        sooner asks for it at once."""
        self._warm_queue = [STYLE_PREFIX + style] + [LEXER_PREFIX + n for n in languages]
        # Weakly: these lexers are the app's, the view that asks may close before them.
        self._busy = None if busy is None else weakref.WeakMethod(busy)
        self._warm_next()

    def _warm_next(self) -> None:
        busy = None if self._busy is None else self._busy()
        if busy is not None and busy():
            self._warm_timer.start()  # later: the UI thread has work now
            return
        while self._warm_queue:
            key = self._warm_queue.pop(0)
            if key not in self._asked:
                self._get(key)
                break
        if self._warm_queue:
            self._warm_timer.start()

    def wait(self, keys: Iterable[str], timeout_s: float = 60.0) -> bool:
        """Block until `keys` are built (for tests and benchmarks, never the app)."""
        keys = list(keys)
        wait([self._asked[k] for k in keys if k in self._asked], timeout=timeout_s)
        return all(k in self._done for k in keys)

    def _get(self, key: str) -> object | None:
        found = self._done.get(key)
        if found is None and key not in self._asked:
            self._asked[key] = self._pool.submit(self._run, key)
        return found

    def _run(self, key: str) -> None:
        built = _build(key)
        # Stored now, so a waiting test sees it; announced on the UI thread.
        self._done.setdefault(key, built)
        self._built.emit(key, built)

    def _store(self, key: str, built: object) -> None:
        self._done.setdefault(key, built)
        self.ready.emit(key)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


@functools.cache
def shared_lexers() -> Lexers:
    """The app's one set of built lexers (made on first use)."""
    return Lexers()
