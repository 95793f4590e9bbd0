"""The text the find bar searches: a message's sections as stored (the model, not the painted
documents), so finding in a long chat costs string scans, not layouts.

A message has up to three searchable sections, in the order they are painted: its reasoning
(above the answer, maybe collapsed), its body, and its tool calls (name and arguments, as the
tool card shows them). Matching is case-insensitive (`casefold`), counted per section; the
view then finds the n-th match of a section in that section's rendered documents.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Protocol

from desktopchat.safe_json import member
from desktopchat.ui.transcript_rows import unnamed_tool

REASONING, BODY, TOOLS = "reasoning", "body", "tools"

Sections = tuple[tuple[str, str], ...]  # (section, casefolded text), in painted order


class MessageLike(Protocol):
    """A stored Message or a transcript MessageItem (read only)."""

    @property
    def id(self) -> int: ...
    @property
    def role(self) -> str: ...
    @property
    def content(self) -> str: ...
    @property
    def reasoning(self) -> str: ...
    @property
    def tool_calls(self) -> list[dict[str, object]]: ...


def tool_call_text(call: dict[str, object]) -> tuple[str, str]:
    """A tool call's name and its arguments as the tool card shows them (pretty JSON)."""
    function = call.get("function")
    name = str(member(function, "name") or call.get("name") or unnamed_tool())
    raw = str(member(function, "arguments") or call.get("arguments") or "")
    try:
        return name, json.dumps(json.loads(raw), indent=2, ensure_ascii=False)
    except ValueError:
        return name, raw  # still arriving, or not JSON: shown as it is


def sections_of(message: MessageLike) -> Sections:
    found: list[tuple[str, str]] = []
    if message.reasoning:
        found.append((REASONING, message.reasoning.casefold()))
    if message.content:
        found.append((BODY, message.content.casefold()))
    calls = [c for c in message.tool_calls or [] if isinstance(c, dict)]
    if calls and message.role != "tool":  # a tool row's calls name the call it answers
        found.append((TOOLS, "\n".join(" ".join(tool_call_text(c)) for c in calls).casefold()))
    return tuple(found)


def count_in(sections: Sections, needle: str) -> Iterable[tuple[str, int]]:
    """(section, matches) for each section where the (casefolded) needle occurs."""
    for section, text in sections:
        count = text.count(needle)
        if count:
            yield section, count
