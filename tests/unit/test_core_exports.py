"""The names other layers rely on are exported from desktopchat.core itself."""

import desktopchat.core as core


def test_core_exports_the_public_names() -> None:
    for name in core.__all__:
        assert getattr(core, name) is not None, name
    assert {"Reply", "ToolCall", "ChatRequest", "stream_chat", "collect", "list_models"} <= set(
        core.__all__
    )
    # Issue 11: no aliases kept only for old names (`complete = collect` is gone).
    assert not hasattr(core, "complete")
