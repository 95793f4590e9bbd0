"""Shared test set-up. Qt runs headless; every fixture module is registered here once."""

import os

# Before anything imports Qt: tests never open a real window.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Tests read the English source text, also on a desktop set to another language
# (the UI follows the system language; tests/gui/test_language.py sets one explicitly).
os.environ["LANGUAGE"] = "en"

pytest_plugins = [
    "tests.support.loopback",  # real HTTP server on 127.0.0.1 (core)
    "tests.support.corpus",  # the shared SSE conformance corpus (core)
    "tests.support.secrets_fixtures",  # in-memory and real Secret Service keyrings
    "tests.support.qt_loop",  # qasync loop for GUI tests
    "tests.support.history_store",  # `store`: a real history file in tmp_path
    "tests.support.log_guard",  # fails a test on an unexpected logged WARNING or ERROR
]
