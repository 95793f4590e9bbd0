"""Composition root: parses argv, builds every service, starts Qt with the qasync loop."""

from __future__ import annotations

import argparse
import sys
import time

from desktopchat import __version__
from desktopchat.paths import app_paths


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


def run(argv: list[str]) -> int:
    started = time.perf_counter()
    args = parse_args(argv)
    paths = app_paths(args.basedir).ensure()

    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    app = QApplication.instance() or QApplication([sys.argv[0]])
    window = QMainWindow()
    window.setWindowTitle("desktopchat")
    window.setCentralWidget(QLabel(f"desktopchat {__version__}\n{paths.data_dir}"))
    window.resize(900, 640)
    window.show()
    if args.self_test:
        window.grab()
        elapsed_ms = (time.perf_counter() - started) * 1000
        print(f"ok {elapsed_ms:.0f}", flush=True)
        window.close()
        return 0
    return app.exec()
