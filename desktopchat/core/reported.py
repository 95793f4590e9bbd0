"""What a provider reports about a reply (token usage, the finish reason), made safe to keep.

These values are stored, added up, shown and exported, so they must be what their names
say. A server sent `"prompt_tokens": NaN` (our export then wrote NaN, which no JSON reader
accepts, so the export could not be imported back), `1e308` (adding two of them overflowed
when the conversation's totals were shown) and a 100,000-character finish reason. The
shape a provider sends (nulls, flags such as is_byok, detail objects) is kept.
"""

from __future__ import annotations

import math

MAX_COUNT = 10**12  # far beyond any real token count or price; past it the value is noise
MAX_FINISH_REASON = 64  # stop, length, tool_calls, content_filter, ... are short words


MAX_TEXT = 200  # a provider's label in usage (a tier, a model); longer is not a label


def _kept(value: object) -> bool:
    """Whether one usage value may be kept: null, true/false, short text, or a number that
    is finite and from 0 to MAX_COUNT."""
    if value is None or isinstance(value, bool):
        return True
    if isinstance(value, str):
        return len(value) <= MAX_TEXT
    if isinstance(value, int | float):
        return math.isfinite(value) and 0 <= value <= MAX_COUNT
    return False


def reported_usage(value: object) -> dict[str, object] | None:
    """A `usage` object as the provider sent it, less what cannot be a count: numbers that
    are not finite or out of range, long text, and anything nested deeper than its detail
    objects (prompt_tokens_details, cost_details). None when it is not an object."""
    if not isinstance(value, dict):
        return None
    usage: dict[str, object] = {}
    for key, item in value.items():
        if isinstance(item, dict):
            usage[key] = {k: v for k, v in item.items() if _kept(v)}
        elif _kept(item):
            usage[key] = item
    return usage


def finish_reason(value: object) -> str | None:
    """A finish reason as a short word, or None when the server sent none (or not text)."""
    if not isinstance(value, str) or not value:
        return None
    return value[:MAX_FINISH_REASON]
