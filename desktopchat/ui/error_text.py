"""How the UI words an error that was raised below it (core/, storage/, tools/, ...).

Those layers write English messages (the CLI is English, and the message often carries the
server's own words). The UI keeps that message as the detail and, in a translated UI, puts a
headline in the user's language in front of it, chosen by the error's class:

    无法连接到服务器，或连接已中断。
    Could not connect to https://example.com: Connection refused

In English the headline would only repeat the message, so English shows the message alone.
Server and model text inside the detail is never translated.

An error the UI raises itself with a translated message is marked with `in_user_language`
and shown as it is.
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from desktopchat.errors import (
    ApiError,
    AttachmentError,
    AuthError,
    BadRequestError,
    HttpStatusError,
    ImportFormatError,
    InsecureTransportError,
    InterruptedStreamError,
    InvalidRequestError,
    MalformedStreamError,
    NetworkError,
    ProviderError,
    RateLimitError,
    SecretStoreError,
    ServerError,
    SettingsError,
    StorageError,
    StreamTimeoutError,
    ToolConfigError,
    ToolError,
    ToolServerError,
)

CONTEXT = "ErrorText"
_MARK = "_desktopchat_in_user_language"

# Most specific class first: the first match gives the headline. QT_TRANSLATE_NOOP marks each
# text for lupdate (PySide types its result as object: it is the str given); the text is looked
# up in the catalogue when shown.
HEADLINES: tuple[tuple[type[BaseException], object], ...] = (
    (AuthError, QT_TRANSLATE_NOOP(
        "ErrorText", "The endpoint refused the API key, or this key may not use this model.")),
    (RateLimitError, QT_TRANSLATE_NOOP(
        "ErrorText", "The endpoint is limiting requests, or the quota is used up.")),
    (ServerError, QT_TRANSLATE_NOOP("ErrorText", "The endpoint's server failed.")),
    (BadRequestError, QT_TRANSLATE_NOOP("ErrorText", "The endpoint refused the request.")),
    (HttpStatusError, QT_TRANSLATE_NOOP("ErrorText", "The endpoint answered with an error.")),
    (StreamTimeoutError, QT_TRANSLATE_NOOP("ErrorText", "The endpoint did not answer in time.")),
    (NetworkError, QT_TRANSLATE_NOOP(
        "ErrorText", "Could not reach the endpoint, or the connection dropped.")),
    (InterruptedStreamError, QT_TRANSLATE_NOOP(
        "ErrorText", "The reply ended before it was complete.")),
    (ProviderError, QT_TRANSLATE_NOOP("ErrorText", "The provider reported an error.")),
    (MalformedStreamError, QT_TRANSLATE_NOOP(
        "ErrorText", "The endpoint's answer could not be read.")),
    (InvalidRequestError, QT_TRANSLATE_NOOP(
        "ErrorText", "The request cannot be sent as it is set up.")),
    (ApiError, QT_TRANSLATE_NOOP("ErrorText", "The request failed.")),
    (InsecureTransportError, QT_TRANSLATE_NOOP(
        "ErrorText", "The API key would travel unencrypted.")),
    (StorageError, QT_TRANSLATE_NOOP("ErrorText", "The chat history could not be used.")),
    (SecretStoreError, QT_TRANSLATE_NOOP("ErrorText", "The keyring could not be used.")),
    (SettingsError, QT_TRANSLATE_NOOP("ErrorText", "The settings could not be used.")),
    (ImportFormatError, QT_TRANSLATE_NOOP("ErrorText", "The file could not be imported.")),
    (ToolConfigError, QT_TRANSLATE_NOOP(
        "ErrorText", "The tool server's settings are not usable.")),
    (ToolServerError, QT_TRANSLATE_NOOP("ErrorText", "A tool server failed.")),
    (ToolError, QT_TRANSLATE_NOOP("ErrorText", "A tool failed.")),
    (AttachmentError, QT_TRANSLATE_NOOP("ErrorText", "The file could not be attached.")),
    (OSError, QT_TRANSLATE_NOOP("ErrorText", "The file could not be used.")),
)

E = TypeVar("E", bound=BaseException)


def in_user_language(exc: E) -> E:
    """Mark an error whose message the UI already translated: `shown_error` adds nothing."""
    setattr(exc, _MARK, True)
    return exc


def headline(exc: BaseException) -> str:
    """The translated headline for `exc`'s class ("" when the UI speaks English or none fits)."""
    for kind, source in HEADLINES:
        if isinstance(exc, kind):
            shown = QCoreApplication.translate(CONTEXT, str(source))
            return "" if shown == source else shown
    return ""


def detail(exc: BaseException) -> str:
    return str(getattr(exc, "message", None) or exc)


def shown_error(exc: BaseException, text: str | None = None, sep: str = "\n") -> str:
    """What to show for `exc`: a translated headline, then `text` (default: its own message).

    `text` is for a caller that already worded the detail (e.g. the images hint after a
    refusal). `sep` joins the two: a new line in cards and message boxes, a space on one line.
    """
    said = detail(exc) if text is None else text
    if getattr(exc, _MARK, False):
        return said
    title = headline(exc)
    return f"{title}{sep}{said}" if title else said
