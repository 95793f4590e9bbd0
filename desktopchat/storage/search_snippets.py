"""Snippets we cut ourselves: a window around the first match, every match inside marked.

FTS5's snippet() marks whole tokens, which for the trigram index means whole trigrams (`検索`
would be marked as `検索し`), and it costs a doclist merge per call under a prefix query. So
for substring and prefix queries, and whenever FTS5's snippet came back without a mark, we cut
the snippet in Python from the message text, with the query's own patterns.
"""

from __future__ import annotations

import re

from .models import HIT_END, HIT_START
from .search_query import Query, needle

SNIPPET_CONTEXT = 48  # characters each side of a hit


def patterns(query: Query) -> list[re.Pattern[str]]:
    out = []
    for part in query.parts:
        body = re.escape(needle(part)).replace("\\ ", r"\s+")
        if part.unspaced:
            out.append(re.compile(body, re.IGNORECASE))
        elif part.kind == "prefix":
            out.append(re.compile(rf"\b{body}\w*", re.IGNORECASE))
        else:
            out.append(re.compile(rf"\b{body}\b", re.IGNORECASE))
    return out


def cut_snippet(content: str, *others: str, patterns: list[re.Pattern[str]]) -> str:
    """A window of text around the first match, every match inside it marked: in `content`,
    else in the first of `others` (reasoning, tool calls) that has one.

    Used for substring hits (where a trigram snippet would mark whole trigrams) and whenever
    FTS5's snippet came back without a mark, so a snippet always shows what matched.
    """
    for text in (content, *others):
        spans = sorted(
            (m.start(), m.end()) for p in patterns for m in p.finditer(text) if m.end() > m.start()
        )
        if not spans:
            continue
        first = spans[0][0]
        start = max(0, first - SNIPPET_CONTEXT)
        end = min(len(text), spans[0][1] + 2 * SNIPPET_CONTEXT)
        out = ["…" if start else ""]
        pos = start
        for s, e in spans:
            if s < pos or e > end:
                continue
            out += [text[pos:s], HIT_START, text[s:e], HIT_END]
            pos = e
        out += [text[pos:end], "…" if end < len(text) else ""]
        return " ".join("".join(out).split())
    return " ".join(content[: 2 * SNIPPET_CONTEXT].split())


def marked_terms(snippet: str) -> tuple[str, ...]:
    """The text between the hit marks of a snippet, each distinct once, in order."""
    terms = re.findall(f"{HIT_START}(.*?){HIT_END}", snippet, flags=re.DOTALL)
    return tuple(dict.fromkeys(t for t in terms if t.strip()))
