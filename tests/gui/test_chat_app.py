"""app.py pieces that run inside the real process: the crash hook and the log filter."""

from __future__ import annotations

import logging
import sys
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from desktopchat.app import install_crash_hook, parse_args
from desktopchat.redact import SecretRedactor


@pytest.mark.expected_log(r"^desktopchat: uncaught exception")
def test_crash_hook_logs_the_traceback_and_shows_one_box(
        qapp: Any, caplog: pytest.LogCaptureFixture) -> None:
    previous = sys.excepthook
    boxes: list[Any] = []
    try:
        install_crash_hook(qapp)
        for _ in range(3):
            try:
                raise ValueError("broken thing")
            except ValueError as exc:
                with caplog.at_level(logging.ERROR):
                    sys.excepthook(type(exc), exc, exc.__traceback__)
        boxes = [w for w in QApplication.topLevelWidgets()
                 if isinstance(w, QMessageBox) and w.isVisible()]
        assert len(boxes) == 1 and "broken thing" in boxes[0].text()
        records = [r for r in caplog.records if r.message == "uncaught exception"]
        assert len(records) == 3 and all(r.exc_info for r in records)
    finally:
        for box in boxes:
            box.close()
        sys.excepthook = previous


def test_redactor_keeps_tracebacks_but_not_keys() -> None:
    redactor = SecretRedactor()
    redactor.add("sk-abcdefghijklmnopqrstuv")
    try:
        raise RuntimeError("auth failed for sk-abcdefghijklmnopqrstuv")
    except RuntimeError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "oops %s", ("Bearer zz9",),
                                   sys.exc_info())
    assert redactor.filter(record)
    assert "sk-abcdef" not in record.msg and "zz9" not in record.msg
    assert "Traceback" in record.msg and "RuntimeError" in record.msg
    assert record.exc_info is None and record.args == ()


def test_arguments() -> None:
    args = parse_args(["--basedir", "/tmp/x", "--self-test"])
    assert args.basedir == "/tmp/x" and args.self_test
