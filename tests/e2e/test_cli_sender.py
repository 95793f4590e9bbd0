"""Which sender `ask` uses (cli/senders.py): the standard library's where no proxy can
apply, so neither httpx nor asyncio is loaded; httpx through the profile's proxy."""

from __future__ import annotations

from pathlib import Path

from desktopchat.settings import ProxySettings
from tests.support.cli_process import (
    cli_env,
    history,
    interrupt_after,
    loopback_profile,
    run_cli,
    run_probed,
    save_profiles,
    start_cli,
)
from tests.support.loopback import LoopbackServer, ScriptedResponse
from tests.support.sse_script import chat_chunk, sse_body
from tests.unit.test_proxy import HttpForwardProxy, http_proxy, remote_url

__all__ = ["http_proxy"]  # a fixture, used by name below
KEY = "sk-cli-sender-0123456789"


def proxied_profile(tmp_path: Path, server: LoopbackServer, proxy: HttpForwardProxy) -> Path:
    """A data folder whose one profile reaches `server` through the forward proxy."""
    base = tmp_path / "portable"
    settings = ProxySettings(mode="custom", url=f"http://127.0.0.1:{proxy.port}")
    save_profiles(base, loopback_profile(
        remote_url(server), name="proxied", preset="custom", proxy=settings,
        allow_insecure_http=True))  # the toy chain is plain http end to end
    return base


def test_a_loopback_ask_loads_neither_httpx_nor_asyncio(
    tmp_path: Path, loopback_server: LoopbackServer
) -> None:
    base = tmp_path / "portable"
    save_profiles(base, loopback_profile(loopback_server.url()))
    loopback_server.enqueue(ScriptedResponse(pieces=[sse_body(chat_chunk("light", finish="stop"))]))
    done = run_probed("ask", "--basedir", str(base), "hi")
    assert done.code == 0, done.stderr
    assert done.loaded("httpx", "httpcore", "h11", "anyio", "asyncio") == []
    assert done.stdout == "light\n"


def test_a_profile_with_a_proxy_goes_through_it(
    tmp_path: Path, loopback_server: LoopbackServer, http_proxy: HttpForwardProxy
) -> None:
    base = proxied_profile(tmp_path, loopback_server, http_proxy)
    loopback_server.enqueue(ScriptedResponse(pieces=[
        sse_body(chat_chunk("through "), chat_chunk("the proxy", finish="stop"))]))
    done = run_cli("ask", "--basedir", str(base), "--key-from-env", "SENDER_KEY", "hi",
                   env=cli_env(SENDER_KEY=KEY))
    assert done.returncode == 0, done.stderr
    assert done.stdout == "through the proxy\n"
    assert http_proxy.used == [remote_url(loopback_server)]
    assert loopback_server.requests[0].headers["authorization"] == f"Bearer {KEY}"
    with history(base) as store:
        [conversation] = store.list_conversations()
        reply = store.messages(conversation.id, limit=-1)[-1]
    assert (reply.content, reply.state) == ("through the proxy", "complete")


def test_ctrl_c_on_the_proxied_path_exits_130_and_keeps_the_partial_reply_as_stopped(
    tmp_path: Path, loopback_server: LoopbackServer, http_proxy: HttpForwardProxy
) -> None:
    """As test_cli_ask's Ctrl+C test, with the reply coming through httpx (a proxy)."""
    base = proxied_profile(tmp_path, loopback_server, http_proxy)
    held = ScriptedResponse(
        pieces=[sse_body(chat_chunk("so far "), done=False), sse_body(chat_chunk("never"))],
        hold_after=1,
    )
    loopback_server.enqueue(held)
    process = start_cli("ask", "--basedir", str(base), "--key-from-env", "SENDER_KEY",
                        "long story", env=cli_env(SENDER_KEY=KEY))
    try:
        seen, out, err = interrupt_after(process, b"so far ")
    finally:
        held.release.set()
    assert http_proxy.used == [remote_url(loopback_server)]  # httpx carried it
    assert process.returncode == 130, err
    assert seen + out == b"so far \n"
    assert b"Traceback" not in err and KEY.encode() not in err
    with history(base) as store:
        [conversation] = store.list_conversations()
        reply = store.messages(conversation.id, limit=-1)[-1]
    assert (reply.content, reply.state) == ("so far ", "stopped")


def test_without_any_keyring_ask_p_skips_keyring_and_words_it_as_before(
    tmp_path: Path, loopback_server: LoopbackServer
) -> None:
    """No session bus, no keyring settings or plugins: keyring is never imported
    (keyring_absent.py), a keyless profile still chats, and a profile that needs a key is
    told what SecretStore would tell it."""
    base = tmp_path / "portable"
    save_profiles(base, loopback_profile(loopback_server.url()),
                  loopback_profile(loopback_server.url(), name="Remote", preset="openai"))
    headless = cli_env(DBUS_SESSION_BUS_ADDRESS=None, PYTHON_KEYRING_BACKEND=None,
                       XDG_CONFIG_HOME=str(tmp_path / "config"))
    loopback_server.enqueue(ScriptedResponse(pieces=[sse_body(chat_chunk("ok", finish="stop"))]))
    done = run_probed("ask", "--basedir", str(base), "-p", "local", "hi", env=headless)
    assert done.code == 0, done.stderr
    assert done.loaded("keyring") == []
    assert done.stdout == "ok\n"
    refused = run_cli("ask", "--basedir", str(base), "-p", "Remote", "hi", env=headless)
    assert refused.returncode == 1
    [line] = refused.stderr.splitlines()
    assert line == ("desktopchat: error: No keyring service is running. Install and unlock a "
                    "Secret Service such as GNOME Keyring or KWallet, or use a key for this run "
                    "only. Or pass the key in an environment variable: --key-from-env VAR.")
    with history(base) as store:
        assert store.count_conversations() == 1  # the refused ask wrote nothing
