"""A test fails on any WARNING or ERROR logged through `logging` that it did not expect.

A warning nobody asked for is a bug somewhere: a swallowed failure, a leaked task, a file
that did not close. Tests that provoke one on purpose say which, by a pattern searched for
in "<logger>: <message>":

    @pytest.mark.expected_log(r"desktopchat.ui.controller: stream failed")
    def test_...

or, when the pattern is only known inside the test, through the `expected_log` fixture:
`expected_log.allow(r"...")`. Records from every thread count (the loopback server's, a
worker's); the check runs when the test's other fixtures have been torn down.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator

import pytest

# Known and not ours: qasync steps the aclose() of an async generator that was dropped off
# the loop (httpcore's response body) when Qt delivers the call outside a running loop
# (pytest-qt's event processing between a test and its teardown; the app's loop always
# runs), and anyio then finds no loop. qt_loop.py ends a test's tasks on its loop first;
# this covers the rest, which depends on when the generator is collected.
_OUT_OF_LOOP_ACLOSE = re.compile(
    r"^qasync\._QEventLoop: Task exception was never retrieved\n"
    r"future: <Task finished name='Task-\d+' coro=<<async_generator_athrow without __name__>"
    r"\(\)> exception=NoEventLoopError\("
)


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []
        self._lock_records = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        with self._lock_records:
            self.records.append(record)

    def taken(self) -> list[logging.LogRecord]:
        with self._lock_records:
            return list(self.records)


class ExpectedLog:
    """The warnings a test declared; `allow` adds one while the test runs."""

    def __init__(self, patterns: list[str]) -> None:
        self.patterns = [re.compile(p) for p in patterns]

    def allow(self, pattern: str) -> None:
        self.patterns.append(re.compile(pattern))

    def expected(self, record: logging.LogRecord) -> bool:
        line = f"{record.name}: {record.getMessage()}"
        return bool(_OUT_OF_LOOP_ACLOSE.search(line)) or any(p.search(line) for p in self.patterns)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "expected_log(*patterns): WARNING/ERROR records the test provokes on purpose "
        "(regexes searched for in '<logger>: <message>')",
    )


@pytest.fixture
def expected_log(request: pytest.FixtureRequest) -> ExpectedLog:
    patterns = [p for mark in request.node.iter_markers("expected_log") for p in mark.args]
    return ExpectedLog(patterns)


@pytest.fixture(autouse=True)
def _fail_on_unexpected_log(expected_log: ExpectedLog) -> Iterator[None]:
    collector = _Collector()
    root = logging.getLogger()
    root.addHandler(collector)
    try:
        yield
    finally:
        root.removeHandler(collector)
    unexpected = [r for r in collector.taken() if not expected_log.expected(r)]
    if unexpected:
        lines = "\n".join(
            f"  {r.levelname} {r.name}: {r.getMessage()}"
            + (f" ({r.exc_info[0].__name__})" if r.exc_info and r.exc_info[0] else "")
            for r in unexpected[:10]
        )
        pytest.fail(
            f"{len(unexpected)} unexpected WARNING/ERROR log record(s) (declare intended ones "
            f"with @pytest.mark.expected_log(pattern)):\n{lines}",
            pytrace=False,
        )
