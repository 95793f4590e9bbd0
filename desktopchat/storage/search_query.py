"""User text -> query parts -> safe FTS5 MATCH expressions (word index or substring index).

We never pass user text to MATCH as written: FTS5 syntax (quotes, AND/OR/NOT/NEAR, *, ^, :,
parentheses) would raise or change meaning. We split the text ourselves and quote every
term, so every input is a valid query. The syntax people can use:

    word          the word itself (any case; accents ignored in the word index)
    word*         words starting with `word` (explicit, 3 letters or more: a prefix costs
                  more than a word)
    "two words"   the words next to each other, in this order
    数据库 🚀     text written without spaces, and emoji, found as a substring

Every part must match (AND). A query holding any character of a script written without
spaces (or an emoji) is answered by the substring index: there each part is a substring.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from typing import Literal

from .substring_index import JOINERS, REGEX_CLASS

MAX_QUERY_CHARS = 1000
MAX_PARTS = 12
MAX_PART_CHARS = 64
# The word index keeps a prefix index for 3 characters: `pyt*` and longer are cheap; `py*`
# would merge the lists of every word starting with `py`, so it is read as the word `py`.
MIN_PREFIX_CHARS = 3
# A one- or two-character substring is looked up through the trigrams that begin with it;
# past this many trigrams the rarest spellings are left out to keep the query fast.
MAX_EXPANSIONS = 300

_CHUNK = re.compile(r'"([^"]*)"|([^\s"]+)')
# A run of unspaced characters (with the joiners inside emoji), or a run of letters/digits.
_TOKEN = re.compile(f"[{REGEX_CLASS}][{REGEX_CLASS}{JOINERS}]*|[^\\W_{REGEX_CLASS}]+")
_UNSPACED = re.compile(f"[{REGEX_CLASS}]")
_SELECTORS = str.maketrans("", "", "\ufe0e\ufe0f")

Kind = Literal["word", "prefix", "phrase"]


@dataclass(frozen=True)
class Part:
    text: str
    kind: Kind
    unspaced: bool


@dataclass(frozen=True)
class Query:
    parts: tuple[Part, ...]

    @property
    def substring(self) -> bool:
        """True when the substring (trigram) index answers this query."""
        return any(part.unspaced for part in self.parts)


def parse(text: str) -> Query:
    parts: list[Part] = []
    seen: set[tuple[str, str]] = set()

    def add(part: Part) -> None:
        key = (part.kind, part.text.casefold())
        if part.text and key not in seen and len(parts) < MAX_PARTS:
            seen.add(key)
            parts.append(part)

    for match in _CHUNK.finditer(text[:MAX_QUERY_CHARS].replace("\x00", " ")):
        quoted, bare = match.group(1), match.group(2)
        if quoted is not None:
            tokens = [t[:MAX_PART_CHARS] for t in _TOKEN.findall(quoted)]
            if any(_UNSPACED.search(t) for t in tokens):
                add(Part(" ".join(quoted.split())[:MAX_PART_CHARS], "phrase", True))
            elif len(tokens) > 1:
                add(Part(" ".join(tokens), "phrase", False))
            elif tokens:
                add(Part(tokens[0], "word", False))
            continue
        tokens = _TOKEN.findall(bare)
        for i, token in enumerate(tokens):
            unspaced = bool(_UNSPACED.match(token))
            last = i == len(tokens) - 1
            wants_prefix = last and bare.endswith("*") and len(token) >= MIN_PREFIX_CHARS
            kind: Kind = "prefix" if wants_prefix and not unspaced else "word"
            add(Part(token[:MAX_PART_CHARS], kind, unspaced))
    return Query(tuple(parts))


def word_expression(query: Query) -> str | None:
    """The MATCH text for the word index (every part is letters/digits, safe to quote)."""
    terms = []
    for part in query.parts:
        if part.kind == "prefix":
            terms.append(f'"{part.text}"*')
        else:
            terms.append(f'"{part.text}"')
    return " ".join(terms) or None


def needle(part: Part) -> str:
    """What a part looks for in the substring index: folded, without emoji style selectors."""
    return part.text.translate(_SELECTORS).lower()


def substring_expression(db: sqlite3.Connection, query: Query) -> str | None:
    """The MATCH text for the trigram index; None when nothing can match.

    A part of 3+ characters is a quoted string (the trigram tokenizer makes it a phrase of
    trigrams, i.e. a substring). A shorter unspaced part becomes the OR of the trigrams that
    begin with it (each indexed text ends in two spaces, so every character begins one). A
    one- or two-letter word of a spaced script is left out: it cannot be a substring query.
    """
    terms = []
    for part in query.parts:
        text = needle(part)
        if len(text) >= 3:
            terms.append(_quoted(text))
        elif part.unspaced and text:
            rows = db.execute(
                "SELECT term FROM messages_tri_vocab WHERE term >= ? AND term < ?"
                " UNION SELECT term FROM tool_calls_tri_vocab WHERE term >= ? AND term < ?"
                " LIMIT ?",
                (text, text + "\U0010ffff", text, text + "\U0010ffff", MAX_EXPANSIONS),
            ).fetchall()
            if not rows:
                return None  # AND with a part that matches nothing
            terms.append("(" + " OR ".join(_quoted(row[0]) for row in rows) + ")")
    return " AND ".join(terms) or None


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'
