"""Which prefixes, short runs and two-word phrases are common enough for a list of best
matches (search_lists): `common` is its LIST_MIN_DF, the messages a term must be in.

The word and trigram indexes count their terms' messages (fts5vocab); these three kinds have
no such count, so each is estimated: a prefix's and a run's by summing the counts of the
words or trigrams that begin with it (at least the messages that hold it), a pair's from a
sample of messages. A list is built exactly whatever the estimate (search_lists).
"""

from __future__ import annotations

import itertools
import random
import re
import sqlite3

from .substring_index import REGEX_CLASS

PREFIX_CHARS = 3  # the word index's prefix index (prefix='3')
PAIR_SAMPLE = 5_000  # messages read to find common two-word phrases
_WORD = re.compile(r"[^\W_]+")
_UNSPACED_RUN = re.compile(f"[{REGEX_CLASS}]+")


def prefixes(db: sqlite3.Connection, common: int) -> dict[str, int]:
    """Prefixes of PREFIX_CHARS letters (`qua*`) whose words are in more than `common`
    messages (their counts summed): FTS5 keeps a prefix index of that length, so a list is
    its bm25 top, as for a word. A longer prefix (`stre*`) takes its candidates from it too
    (search_phrase): a message holds at least as many words of the shorter prefix."""
    sums: dict[str, int] = {}
    for term, doc in db.execute("SELECT term, doc FROM messages_fts_vocab"):
        if len(term) >= PREFIX_CHARS:
            head = term[:PREFIX_CHARS] + "*"
            sums[head] = sums.get(head, 0) + int(doc)
    return {head: count for head, count in sums.items() if count > common}


def pairs(db: sqlite3.Connection, top: int, common: int) -> dict[str, int]:
    """Two words in a row ("on to") likely in more than `common` messages.

    No index counts them, so a sample of PAIR_SAMPLE messages does (every message of a
    smaller history); a pair whose estimate reaches 70% of the threshold gets a list, whose
    building counts it exactly. A phrase of two common words is where the words' own lists
    fail: its best matches hold it twice, or once in very few words, and neither word often.
    """
    from .search_multi import fold  # unicode61's folding, as the word index spells words

    ids = list(range(1, top + 1))
    if len(ids) > PAIR_SAMPLE:
        ids = random.Random(top).sample(ids, PAIR_SAMPLE)
    counts: dict[str, int] = {}
    found = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for content, reasoning in db.execute(
            f"SELECT content, reasoning FROM messages WHERE id IN ({marks})", chunk
        ):
            found += 1
            words = _WORD.findall(fold(content + "\n" + reasoning))
            for pair in {f"{a} {b}" for a, b in itertools.pairwise(words)}:
                counts[pair] = counts.get(pair, 0) + 1
    scale = top / max(1, found) if len(ids) == PAIR_SAMPLE else 1.0
    return {
        pair: round(n * scale) for pair, n in counts.items() if n * scale > common * 0.7
    }


def short_runs(db: sqlite3.Connection, common: int) -> dict[str, int]:
    """One- and two-character runs of unspaced text (的, 搜索, 🚀) in more than `common`
    messages, as far as the trigrams that begin with them tell (their counts summed: at least
    the messages that hold the run). A query of one such run ranks it as one term
    (search_short), from its list when it has one."""
    sums: dict[str, int] = {}
    for term, doc in db.execute("SELECT term, doc FROM messages_tri_vocab"):
        for head in (term[:1], term[:2]):
            if _UNSPACED_RUN.fullmatch(head):
                sums[head] = sums.get(head, 0) + int(doc)
    return {head: count for head, count in sums.items() if count > common}
