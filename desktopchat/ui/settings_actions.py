"""The settings dialog's two network actions: Test connection and Fetch models.

Both run as asyncio tasks on the app's qasync loop, with one short-lived client each (the
profile's own proxy settings), and turn every failure into one readable line.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from typing import TYPE_CHECKING

from desktopchat.core.http import make_client
from desktopchat.core.models import list_models
from desktopchat.core.request import ChatMessage
from desktopchat.core.stream import collect
from desktopchat.errors import ApiError, InsecureTransportError
from desktopchat.profile_requests import chat_request, client_options
from desktopchat.ui.error_text import shown_error
from desktopchat.ui.i18n import translate

if TYPE_CHECKING:
    import httpx

    from desktopchat.settings import Profile

TEST_TIMEOUT = 20.0  # seconds for the whole test request
TEST_PROMPT = "ping"


@dataclasses.dataclass(frozen=True)
class Outcome:
    ok: bool
    message: str


def describe_error(exc: BaseException) -> str:
    """The exact message a provider or the network gave, with the HTTP status when there is one
    (in a translated UI after a headline that says what kind of failure it was)."""
    if isinstance(exc, ApiError):
        status = getattr(exc, "status", None)
        if status and str(status) not in exc.message:
            return shown_error(exc, f"HTTP {status}: {exc.message}", sep=" ")
        return shown_error(exc, sep=" ")
    if isinstance(exc, InsecureTransportError):
        return shown_error(exc, sep=" ")
    if isinstance(exc, TimeoutError):
        return translate("SettingsActions", "No complete answer within {seconds} seconds.").format(
            seconds=f"{TEST_TIMEOUT:g}")
    return f"{type(exc).__name__}: {exc}"


async def test_connection(
    profile: Profile, *, api_key: str | None, proxy_password: str | None = None
) -> Outcome:
    """Send one tiny streamed request; report latency in ms or the error exactly."""
    request = chat_request(profile, [ChatMessage("user", TEST_PROMPT)])
    request = dataclasses.replace(
        request,
        idle_timeout=min(request.idle_timeout, TEST_TIMEOUT),
        connect_timeout=min(request.connect_timeout, 10.0),
    )
    started = time.perf_counter()
    try:
        async with make_client(**client_options(profile, proxy_password)) as http:
            reply = await asyncio.wait_for(
                collect(request, api_key=api_key or None, http=http), TEST_TIMEOUT
            )
    except (ApiError, InsecureTransportError, TimeoutError) as exc:
        return Outcome(False, describe_error(exc))
    elapsed_ms = (time.perf_counter() - started) * 1000
    said = " ".join(reply.content.split())
    if len(said) > 60:
        said = said[:59] + "…"
    elapsed = f"{elapsed_ms:.0f}"
    if said:  # the model's words, as it said them
        return Outcome(True, translate("SettingsActions", "Connected in {ms} ms — the model said "
                                       "“{said}”").format(ms=elapsed, said=said))
    return Outcome(True, translate("SettingsActions", "Connected in {ms} ms").format(ms=elapsed))


async def fetch_models(
    profile: Profile, *, api_key: str | None, proxy_password: str | None = None,
    http: httpx.AsyncClient | None = None,
) -> list[str]:
    """The provider's model ids; raises ApiError (or ValueError when there is no list).

    The one place the app fetches a model list: the settings dialog with a short-lived
    client for the profile being edited, the toolbar with the controller's shared one.
    """
    url = profile.models_url()
    if url is None:
        raise ValueError(translate("SettingsActions", "This provider does not publish a model "
                                   "list; type the model name."))
    if http is not None:
        return await list_models(url, api_key=api_key or None, http=http,
                                 allow_insecure_http=profile.allow_insecure_http)
    async with make_client(**client_options(profile, proxy_password)) as client:
        return await list_models(url, api_key=api_key or None, http=client,
                                 allow_insecure_http=profile.allow_insecure_http)
