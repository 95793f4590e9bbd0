"""The names other layers rely on are exported from desktopchat.core itself."""

import desktopchat.core as core


def test_core_exports_the_public_names() -> None:
    for name in core.__all__:
        assert getattr(core, name) is not None, name
    assert core.complete is core.collect
    assert {"Reply", "ToolCall", "ChatRequest", "stream_chat", "complete"} <= set(core.__all__)
