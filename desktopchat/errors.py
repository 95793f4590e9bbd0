"""The one error tree of desktopchat.

Every failure a user can meet is one of these; anything else is a bug.

    DesktopChatError
    ├── ApiError                 talking to an endpoint failed (carries the partial reply)
    │   ├── NetworkError         could not connect, or the connection dropped before a response
    │   ├── StreamTimeoutError   connect timeout, or no bytes for the idle timeout
    │   ├── InterruptedStreamError  the response closed with neither [DONE] nor a finish_reason
    │   ├── ProviderError        the provider reported an error inside the stream
    │   ├── MalformedStreamError the bytes were not a valid chat-completions SSE stream,
    │   │                        or a body or line went past a size cap (core/limits.py)
    │   ├── InvalidRequestError  the request cannot be sent as set up (a header or the key
    │   │                        holds characters HTTP cannot carry)
    │   └── HttpStatusError      an HTTP 4xx/5xx answer
    │       ├── AuthError        401, 403
    │       ├── BadRequestError  400, 404, 413, 422 and the other 4xx
    │       ├── RateLimitError   429 (retry_after in seconds when the server gave one)
    │       └── ServerError      5xx
    ├── InsecureTransportError   a key would travel over plain http to a non-loopback host
    ├── StorageError             the history database cannot be used as asked
    ├── SecretStoreError         the OS keyring is missing, locked or refused
    ├── SettingsError            a settings file or value is invalid
    ├── ImportFormatError        an import file is not in a format we understand
    └── ToolError                a tool could not be configured, started or called
        ├── ToolConfigError      an MCP server's configuration is not usable
        └── ToolServerError      an MCP server did not start, hung, crashed or failed a call

Messages are written for the person using the app: what happened and, where we
know it, what to do about it. They never contain an API key.
"""

from __future__ import annotations

from typing import TypedDict, Unpack


class DesktopChatError(Exception):
    """Base of every error desktopchat raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ApiError(DesktopChatError):
    """A chat request failed. `partial` is whatever reply had arrived (a core Reply or None)."""

    def __init__(
        self,
        message: str,
        *,
        code: str | int | None = None,
        error_type: str | None = None,
        status: int | None = None,
        partial: object = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.error_type = error_type
        self.status = status
        self.partial = partial


class NetworkError(ApiError):
    """The endpoint could not be reached, or the connection broke."""


class StreamTimeoutError(ApiError):
    """Connecting took too long, or the stream went silent for longer than the idle timeout."""


class InterruptedStreamError(ApiError):
    """The response ended without [DONE] and without a finish_reason: the reply is incomplete."""


class ProviderError(ApiError):
    """The provider sent an error object inside an otherwise successful stream."""


class MalformedStreamError(ApiError):
    """The response body was not a chat-completions event stream we can read."""


class InvalidRequestError(ApiError):
    """The request cannot be sent as set up: a header value or the key is not sendable."""


class HttpStatusError(ApiError):
    """The endpoint answered with an HTTP error status."""


class StatusFields(TypedDict, total=False):
    """ApiError's keyword fields, as one error hands them on to another."""

    code: str | int | None
    error_type: str | None
    status: int | None
    partial: object


class AuthError(HttpStatusError):
    """401 or 403: the key is missing, wrong or not allowed to use this model."""


class BadRequestError(HttpStatusError):
    """A 4xx other than 401/403/429: the request itself was refused."""


class RateLimitError(HttpStatusError):
    """429: too many requests or quota exhausted."""

    def __init__(self, message: str, *, retry_after: float | None = None,
                 **kwargs: Unpack[StatusFields]) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ServerError(HttpStatusError):
    """5xx: the provider (or a proxy in front of it) failed."""


class InsecureTransportError(DesktopChatError):
    """Sending the key would expose it on the network in plain text."""


class StorageError(DesktopChatError):
    """The history database is locked, full, read-only, damaged or not a database."""


class HistoryBusyError(StorageError):
    """Another program held the history's lock for longer than the wait: trying again later
    may succeed (the command line does, so a turn is never lost to a busy window)."""


class HistoryReadOnlyError(StorageError):
    """The history file or its folder cannot be written: it can still be opened to read
    (storage/read_only.py), and every change says why it failed."""


class SecretStoreError(DesktopChatError):
    """The OS keyring cannot be used: no backend, locked, or access refused."""


class SettingsError(DesktopChatError):
    """A settings file or a settings value is invalid. `field_errors` maps field to message."""

    def __init__(self, message: str, field_errors: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.field_errors = dict(field_errors or {})


class ImportFormatError(DesktopChatError):
    """An import file is malformed or of an unknown kind; nothing was imported."""


class ToolError(DesktopChatError):
    """Something about tools failed; the message says which server or tool."""


class ToolConfigError(ToolError):
    """An MCP server's configuration (typed or pasted) is not usable."""


class ToolServerError(ToolError):
    """An MCP server did not start, did not answer in time, crashed, or failed a call."""


class AttachmentError(DesktopChatError):
    """A file that cannot be attached (too large, binary, a PDF without text, ...)."""
