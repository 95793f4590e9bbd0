"""httpx response bodies read in bounded steps (the inflating itself: inflate.py).

httpx inflates each network piece in one call, so 64 KiB of gzip can become 64 MiB at
once; here the raw pieces go through inflate.Inflater, DECODE_STEP bytes at a time, and
every reader stops at its own cap (core/limits.py).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx

from desktopchat.core.inflate import ACCEPT_ENCODING, DamagedBody, Inflater, content_encoding
from desktopchat.core.limits import DECODE_STEP

__all__ = ["ACCEPT_ENCODING", "body_pieces", "read_capped"]


def body_pieces(response: httpx.Response, step: int = DECODE_STEP) -> AsyncIterator[bytes]:
    """The decoded body, piece by piece, no piece larger than `step` once inflated."""
    encoding = content_encoding(response.headers.get("content-encoding"))
    if encoding in ("gzip", "x-gzip", "deflate"):
        return _inflated(response, Inflater(encoding, step))
    return response.aiter_raw()


async def _inflated(response: httpx.Response, inflater: Inflater) -> AsyncIterator[bytes]:
    try:
        async for raw in response.aiter_raw():
            for out in inflater.feed(raw):
                yield out
        tail = inflater.flush()
    except DamagedBody as exc:
        raise httpx.DecodingError(str(exc)) from None
    if tail:
        yield tail


async def read_capped(pieces: AsyncIterator[bytes], limit: int) -> tuple[bytes, bool]:
    """(up to `limit` bytes of the body, whether there was more). Stops reading at the cap."""
    body = bytearray()
    try:
        async for piece in pieces:
            room = limit - len(body)
            if len(piece) > room:
                body += piece[:room]
                return bytes(body), True
            body += piece
    finally:
        close = getattr(pieces, "aclose", None)
        if close is not None:
            await close()  # an abandoned generator would otherwise be closed by the GC
    return bytes(body), False
