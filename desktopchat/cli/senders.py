"""Which sender carries the command line's request, as one plain iterator of event batches.

- core.direct (the standard library) whenever no proxy can be involved: loopback, or no
  proxy in the profile and none in the environment. It needs neither httpx nor asyncio,
  which is most of what `ask` used to import before its request left.
- core.stream (httpx) otherwise: it knows HTTP, HTTPS and SOCKS proxies and NO_PROXY. Its
  async generator is driven one batch at a time on a private event loop.

Both decode the body with core.decoding, so the reply, the errors and their words are the
same whichever carries it. Ctrl+C arrives as KeyboardInterrupt in the caller; `close()`
then ends the request and closes the connection.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import TYPE_CHECKING

from desktopchat.profile_requests import ClientOptions, client_options

if TYPE_CHECKING:
    import asyncio
    import ssl

    from desktopchat.core.events import StreamEvent
    from desktopchat.core.reply import Reply
    from desktopchat.core.request import ChatRequest

    from .endpoint import Endpoint


class Batches:
    """The reply's event batches; `close()` when done, however it ended."""

    def __init__(self, batches: Iterator[list[StreamEvent]], close: Callable[[], None]) -> None:
        self._batches = batches
        self.close = close

    def __iter__(self) -> Iterator[list[StreamEvent]]:
        return self._batches


def open_batches(
    request: ChatRequest,
    endpoint: Endpoint,
    reply: Reply,
    *,
    tls: Callable[[], tuple[ssl.SSLContext | None, bool]],
    on_sent: Callable[[], None],
) -> Batches:
    """tls(): (the warm certificate context or None, whether it serves every proxy mode);
    not asked for plain http sent directly (building even an empty context costs ms)."""
    options = client_options(endpoint.profile, endpoint.proxy_password)
    from desktopchat.core import direct

    def certificates() -> ssl.SSLContext | None:
        context, every_mode = tls()
        # The warm context honours SSL_CERT_FILE/DIR, as httpx does only with trust_env.
        return context if options["trust_env"] or every_mode else None

    if direct.usable(request.url, proxy=options["proxy"], trust_env=options["trust_env"]):
        plain = request.url.strip().lower().startswith("http:")
        context = None if plain else certificates()
        batches = direct.stream_batches(
            request, api_key=endpoint.key, reply=reply, tls=context,
            trust_env=options["trust_env"], on_sent=on_sent)
        return Batches(batches, batches.close)
    looped = _LoopBatches(request, endpoint, options, certificates(), reply, on_sent)
    return Batches(looped, looped.close)


class _LoopBatches:
    """core.stream's async generator (httpx: proxies), one batch per turn of a private loop."""

    def __init__(
        self,
        request: ChatRequest,
        endpoint: Endpoint,
        options: ClientOptions,
        tls: ssl.SSLContext | None,
        reply: Reply,
        on_sent: Callable[[], None],
    ) -> None:
        import asyncio

        from desktopchat.core.http import make_client
        from desktopchat.core.stream import stream_batches

        self._loop = asyncio.new_event_loop()
        self._client = make_client(**options, connect_timeout=request.connect_timeout, tls=tls)
        self._batches: AsyncIterator[list[StreamEvent]] = stream_batches(
            request, api_key=endpoint.key, http=self._client, reply=reply, on_sent=on_sent)
        self._task: asyncio.Task[list[StreamEvent]] | None = None

    def __iter__(self) -> Iterator[list[StreamEvent]]:
        return self

    def __next__(self) -> list[StreamEvent]:
        async def step() -> list[StreamEvent]:
            return await anext(self._batches)

        self._task = self._loop.create_task(step())
        try:
            return self._loop.run_until_complete(self._task)
        except StopAsyncIteration:
            raise StopIteration from None

    def close(self) -> None:
        loop = self._loop
        try:
            task = self._task
            if task is not None and not task.done():  # Ctrl+C stopped the loop mid-step
                task.cancel()
                with contextlib.suppress(BaseException):
                    loop.run_until_complete(task)
            close = getattr(self._batches, "aclose", None)
            if close is not None:
                with contextlib.suppress(RuntimeError):  # a generator still running
                    loop.run_until_complete(_awaited(close))
            loop.run_until_complete(self._client.aclose())
        finally:
            loop.close()


async def _awaited(close: Callable[[], Awaitable[object]]) -> None:
    await close()
