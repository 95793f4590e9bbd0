"""Parsing JSON from files a user or another program wrote, with bounds Python's json lacks.

`json.loads` turns some inputs into exceptions that are not `JSONDecodeError`: nesting
deeper than the interpreter's recursion limit (RecursionError), integers of more than
4,300 digits (ValueError), and it accepts lone surrogate escapes ("\\ud800") that later
fail to encode. Even a tree it accepts can be too deep for the recursive code that walks
it afterwards (deepcopy, the indenting encoder). `loads` here raises one exception type,
`UnsafeJSONError`, for all of these, with a sentence for the user, and every value it
returns is at most `max_depth` containers deep and holds only encodable text.

Numbers are left as they are: a finite but huge value (10**400, 1e300) is a valid JSON
number, and judging its range is the job of whoever validates the field.
"""

from __future__ import annotations

import json
import re

MAX_DEPTH = 64
MAX_INT_DIGITS = 4000  # below CPython's int<->str limit (4300), so int() never refuses


class UnsafeJSONError(ValueError):
    """The text is not JSON we can use. `str(exc)` is a predicate for the user's sentence:
    f"The file {path} {exc}" reads "The file … is not valid JSON (line 3, column 1)"."""


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise UnsafeJSONError(f"holds a number with more than {MAX_INT_DIGITS} digits")
    return int(text)


def _has_lone_surrogate(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def member(value: object, key: str) -> object:
    """`value[key]` when `value` is a JSON object; None otherwise (stored and received JSON
    is read this way: a missing or mistyped container reads as absent, never raises)."""
    return value.get(key) if isinstance(value, dict) else None


def check_tree(value: object, max_depth: int = MAX_DEPTH) -> None:
    """Raise UnsafeJSONError when `value` nests deeper than `max_depth` or holds a lone
    surrogate. Walks with an explicit stack, so the check itself cannot recurse too deep."""
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if _has_lone_surrogate(item):
                raise UnsafeJSONError("holds text with an invalid \\u escape (a lone surrogate)")
            continue
        if not isinstance(item, dict | list):
            continue
        if depth >= max_depth:
            raise UnsafeJSONError(f"is nested more than {max_depth} levels deep")
        if isinstance(item, dict):
            for key, child in item.items():
                stack.append((key, depth + 1))
                stack.append((child, depth + 1))
        else:
            stack.extend((child, depth + 1) for child in item)


def loads(text: str | bytes,
          max_depth: int = MAX_DEPTH) -> object:
    """The JSON value in `text` (bytes are read as UTF-8), or UnsafeJSONError saying why not."""
    if isinstance(text, bytes):
        try:
            # utf-8-sig: Windows editors (Notepad) start a saved file with a byte-order mark,
            # which json refuses; RFC 8259 lets a parser ignore it.
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise UnsafeJSONError("is not UTF-8 text") from exc
    try:
        value = json.loads(text, parse_int=_parse_int)
    except UnsafeJSONError:
        raise
    except json.JSONDecodeError as exc:
        raise UnsafeJSONError(f"is not valid JSON (line {exc.lineno}, column {exc.colno})") from exc
    except RecursionError as exc:
        raise UnsafeJSONError(f"is nested more than {max_depth} levels deep") from exc
    except ValueError as exc:  # any other refusal of the C decoder
        raise UnsafeJSONError(f"is not valid JSON ({exc})") from exc
    check_tree(value, max_depth)
    return value


# -- text a server or a tool sent: lone surrogates mended --------------------------------------

# A JSON `\udXXX` escape whose pair is missing decodes to a lone surrogate, which no UTF-8
# writer (SQLite, a settings file, an export) accepts: one such escape in a streamed reply
# made every save of it raise. Text we keep from a server has them replaced by U+FFFD.
_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def mend_text(text: str) -> str:
    """`text` with every lone surrogate replaced by U+FFFD (a Python str holds a valid pair
    as one character, so any surrogate left in it is lone)."""
    if text.isascii():
        return text
    return _SURROGATE.sub("\ufffd", text)


def may_hold_surrogates(json_text: str) -> bool:
    """True when decoding `json_text` can yield a lone surrogate (a fast test on the text)."""
    return "\\u" in json_text and _SURROGATE_ESCAPE.search(json_text) is not None


def mend_tree(value: object) -> object:
    """A decoded JSON value with lone surrogates mended in every string and key, in place
    (the containers are the caller's fresh ones), without recursion."""
    if isinstance(value, str):
        return mend_text(value)
    stack: list[object] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            for i, child in enumerate(item):
                if isinstance(child, str):
                    item[i] = mend_text(child)
                elif isinstance(child, dict | list):
                    stack.append(child)
        elif isinstance(item, dict):
            for key in list(item):
                child = item[key]
                if isinstance(child, str):
                    child = mend_text(child)
                elif isinstance(child, dict | list):
                    stack.append(child)
                mended_key = mend_text(key) if isinstance(key, str) else key
                if mended_key is not key:
                    del item[key]
                item[mended_key] = child
    return value


def loads_mended(text: str) -> object:
    """json.loads for text from a server: lone surrogate escapes become U+FFFD."""
    value = json.loads(text)
    return mend_tree(value) if may_hold_surrogates(text) else value
