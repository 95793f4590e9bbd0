"""`SecretRedactor`: the logging filter of redact.py (see there), apart so that text
redaction does not import logging."""

from __future__ import annotations

import logging
import traceback

from desktopchat.redact import MIN_SECRET_LENGTH, redact, scrub_token_shapes


class SecretRedactor(logging.Filter):
    """A logging filter: each record's final text (with any traceback) fully redacted.

    `add` every secret the app reads (app.py hands it to the controller); everything
    else shaped like a credential, and URL user-info, goes too.
    """

    def __init__(self) -> None:
        super().__init__()
        self._secrets: set[str] = set()

    def add(self, secret: str) -> None:
        if secret and len(secret) >= MIN_SECRET_LENGTH:
            self._secrets.add(secret)

    def redact(self, text: str) -> str:
        return scrub_token_shapes(redact(text, *self._secrets))

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not hide the record
            message = f"{record.msg!r} {record.args!r}"
        if record.exc_info:
            message += "\n" + "".join(traceback.format_exception(*record.exc_info))
        elif record.exc_text:
            message += "\n" + record.exc_text
        if record.stack_info:
            message += "\n" + record.stack_info
        record.msg = self.redact(message)
        record.args = ()
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True
