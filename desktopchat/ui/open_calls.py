"""Whether a reply's tool calls really ended without results (issue 17).

The footer note "This reply's tool calls have no results" is true only when the calls are
over: not while a call waits for the user's approval or runs (the conversation is busy),
and not when every call has its stored result in the tool rows right below the reply
(a failed round stores its error as the result, and that reply is sent with it).
"""

from __future__ import annotations

from collections.abc import Sequence

from desktopchat.ui.transcript_rows import MessageItem


def _call_id(call: object) -> str:
    return str(call.get("id") or "") if isinstance(call, dict) else ""


def calls_unanswered(items: Sequence[MessageItem], index: int, *, busy: bool) -> bool:
    """True when row `index` is a reply whose calls lack a result and nothing runs them."""
    item = items[index]
    if busy or item.role != "assistant" or not item.tool_calls:
        return False
    answered = set()
    for later in items[index + 1:]:
        if later.role != "tool":
            break
        answered.add(_call_id(later.tool_calls[0]) if later.tool_calls else "")
    wanted = {_call_id(call) for call in item.tool_calls}
    return not wanted or not wanted <= answered
