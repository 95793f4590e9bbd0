"""Response bodies read in bounded steps: decompression that cannot blow up memory.

httpx inflates each network piece in one call, so 64 KiB of gzip can become 64 MiB at
once, and 1 MB of it 1 GB. Here `gzip`/`deflate` bodies are inflated DECODE_STEP bytes
at a time (zlib's `max_length`), and every reader stops at its own cap
(core/limits.py), so what a hostile server sends never decides how much we hold.
Other encodings are passed through as they came (httpx does the same for encodings it
has no decoder for); our requests only ever offer gzip and deflate.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator

import httpx

from desktopchat.core.limits import DECODE_STEP

ACCEPT_ENCODING = "gzip, deflate"


def _encoding(response: httpx.Response) -> str:
    values = [
        v.strip().lower()
        for v in response.headers.get("content-encoding", "").split(",")
        if v.strip() and v.strip().lower() != "identity"
    ]
    return values[0] if len(values) == 1 else ""


def body_pieces(response: httpx.Response, step: int = DECODE_STEP) -> AsyncIterator[bytes]:
    """The decoded body, piece by piece, no piece larger than `step` once inflated."""
    encoding = _encoding(response)
    if encoding in ("gzip", "x-gzip"):
        return _inflated(response, zlib.MAX_WBITS | 16, step)
    if encoding == "deflate":
        return _inflated(response, None, step)
    return response.aiter_raw()


async def _inflated(response: httpx.Response, wbits: int | None, step: int) -> AsyncIterator[bytes]:
    inflater = zlib.decompressobj(wbits if wbits is not None else zlib.MAX_WBITS)
    first = True
    async for raw in response.aiter_raw():
        data = raw
        try:
            out = inflater.decompress(data, step)
        except zlib.error as exc:
            if not (first and wbits is None):
                raise httpx.DecodingError(f"the compressed body is damaged ({exc})") from None
            # `deflate` is sent both zlib-wrapped and raw; httpx accepts both, and so do we.
            inflater = zlib.decompressobj(-zlib.MAX_WBITS)
            try:
                out = inflater.decompress(data, step)
            except zlib.error as exc2:
                raise httpx.DecodingError(f"the compressed body is damaged ({exc2})") from None
        first = False
        while True:
            if out:
                yield out
            if not inflater.unconsumed_tail and len(out) < step:
                break
            try:
                out = inflater.decompress(inflater.unconsumed_tail, step)
            except zlib.error as exc:
                raise httpx.DecodingError(f"the compressed body is damaged ({exc})") from None
            if not out and not inflater.unconsumed_tail:
                break
    tail = inflater.flush()
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
