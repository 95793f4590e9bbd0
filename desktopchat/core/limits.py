"""Every size and time limit of the wire, in one place (DESIGN.md §3; README "Security").

A server can send anything: a gzip body that inflates a thousandfold, a line with no
end, or keep-alive comments forever. Past each limit the request ends with a readable,
typed error and whatever reply had arrived is kept. Sizes are counted after
decompression, which happens in steps of DECODE_STEP, so memory stays bounded by the
limit, not by what the server sends.
"""

from __future__ import annotations

# -- sizes (bytes after decompression, or characters of decoded text) ----------------------

# Read of an HTTP error answer (4xx/5xx). The status alone says what happened; the body
# only adds the provider's words, so the rest of a larger body is not read at all.
ERROR_BODY_LIMIT = 64 * 1024
# The part of an unstructured error body (plain text) shown in a message.
ERROR_MESSAGE_LIMIT = 500
# The provider's own words from a structured (JSON) error, in an HTTP error or in a stream.
PROVIDER_MESSAGE_LIMIT = 4000
# A `/models` list. Past it: MalformedStreamError ("the model list is too large").
MODEL_LIST_LIMIT = 4 * 1024 * 1024
# A whole non-streamed chat.completion answer (a server that ignored `stream: true`).
JSON_BODY_LIMIT = 32 * 1024 * 1024
# One SSE line, and the data of one SSE event. Past it: MalformedStreamError, partial
# reply kept.
SSE_LINE_LIMIT = 16 * 1024 * 1024
# Most bytes one decompression step may produce: a 64 KiB gzip piece can inflate to
# 64 MiB in a single call otherwise.
DECODE_STEP = 256 * 1024
# An X-Conversation-Id a server sends is kept only if it is this short and visible ASCII.
CONVERSATION_ID_LIMIT = 128

# -- times (seconds) -----------------------------------------------------------------------

CONNECT_TIMEOUT = 15.0
# Silence between two pieces of a stream (per profile; reasoning models pause for a minute).
IDLE_TIMEOUT = 120.0
# A stream that sends only `:` keep-alive comments, and no data, for this long has
# stalled: StreamTimeoutError, partial reply kept. Comments reset the idle timeout
# above, so without this limit such a stream would never end.
KEEPALIVE_ONLY_LIMIT = 600.0
# The model-list request, start to end.
MODEL_LIST_TIMEOUT = 15.0
