"""Compressed response bodies inflated in bounded steps, without I/O (body.py and direct.py).

A sender inflates each network piece in one call, so 64 KiB of gzip could become 64 MiB
at once, and 1 MB of it 1 GB. Here `gzip`/`deflate` bodies are inflated DECODE_STEP bytes
at a time (zlib's `max_length`), and every reader stops at its own cap
(core/limits.py), so what a hostile server sends never decides how much we hold. Other
encodings are passed through as they came (httpx does the same for encodings it has no
decoder for); our requests only ever offer gzip and deflate.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

from desktopchat.core.limits import DECODE_STEP

ACCEPT_ENCODING = "gzip, deflate"


class DamagedBody(Exception):
    """The compressed body cannot be inflated."""


def content_encoding(header: str | None) -> str:
    """The one encoding to undo ('' for none, for several, or for identity)."""
    values = [
        v.strip().lower()
        for v in (header or "").split(",")
        if v.strip() and v.strip().lower() != "identity"
    ]
    return values[0] if len(values) == 1 else ""


class Inflater:
    """Raw pieces in, inflated pieces out, none larger than `step`."""

    def __init__(self, encoding: str, step: int = DECODE_STEP) -> None:
        self._raw_deflate_allowed = encoding == "deflate"  # `deflate` comes wrapped or raw
        wbits = zlib.MAX_WBITS | 16 if encoding in ("gzip", "x-gzip") else zlib.MAX_WBITS
        self._inflater = zlib.decompressobj(wbits)
        self._step = step
        self._first = True

    def feed(self, data: bytes) -> Iterator[bytes]:
        step = self._step
        inflater = self._inflater
        try:
            out = inflater.decompress(data, step)
        except zlib.error as exc:
            if not (self._first and self._raw_deflate_allowed):
                raise DamagedBody(f"the compressed body is damaged ({exc})") from None
            # `deflate` is sent both zlib-wrapped and raw; httpx accepts both, and so do we.
            inflater = self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
            try:
                out = inflater.decompress(data, step)
            except zlib.error as exc2:
                raise DamagedBody(f"the compressed body is damaged ({exc2})") from None
        self._first = False
        while True:
            if out:
                yield out
            if not inflater.unconsumed_tail and len(out) < step:
                break
            try:
                out = inflater.decompress(inflater.unconsumed_tail, step)
            except zlib.error as exc:
                raise DamagedBody(f"the compressed body is damaged ({exc})") from None
            if not out and not inflater.unconsumed_tail:
                break

    def flush(self) -> bytes:
        return self._inflater.flush()
