"""The app's log file, with every line redacted (redact.SecretRedactor); the terminal when
the data folder cannot take a log file (read-only), so the app still starts."""

from __future__ import annotations

import logging
import logging.handlers
import sys

from desktopchat.paths import AppPaths
from desktopchat.redact_log import SecretRedactor


def setup_logging(paths: AppPaths, redactor: SecretRedactor) -> logging.Handler:
    handler: logging.Handler
    try:
        handler = logging.handlers.RotatingFileHandler(
            paths.log_dir / "desktopchat.log", maxBytes=2_000_000, backupCount=3,
            encoding="utf-8")
    except OSError as exc:  # a read-only data folder: the app still starts, logging to stderr
        handler = logging.StreamHandler()
        print(f"desktopchat: no log file ({exc}); logging to the terminal", file=sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(redactor)
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return handler
