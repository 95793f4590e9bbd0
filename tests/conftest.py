"""Shared test set-up. Qt runs headless; every fixture module is registered here once."""

import os

# Before anything imports Qt: tests never open a real window.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytest_plugins = [
    "tests.support.loopback",  # real HTTP server on 127.0.0.1 (core)
    "tests.support.corpus",  # the shared SSE conformance corpus (core)
    "tests.support.secrets_fixtures",  # in-memory and real Secret Service keyrings
    "tests.support.qt_loop",  # qasync loop for GUI tests
]
