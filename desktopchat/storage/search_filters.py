"""Search filters (this conversation, profile, model, date range) as SQL on messages `m` and
conversations `c`."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from .models import SearchFilters


def filter_sql(filters: SearchFilters) -> tuple[str, list[object]]:
    """Conditions on `m` (messages) and `c` (conversations) for the filters that are set."""
    where: list[str] = []
    params: list[object] = []
    for sql, value in (
        ("m.conversation_id = ?", filters.conversation_id),
        ("c.profile = ?", filters.profile),
        ("c.model = ?", filters.model),
        ("m.created_at >= ?", filters.since),
        ("m.created_at < ?", filters.until),
    ):
        if value is not None:
            where.append(sql)
            params.append(value)
    return " AND ".join(where), params


def keeper(
    db: sqlite3.Connection, conditions: str, params: list[object]
) -> Callable[[list[int]], set[int]] | None:
    """Which of some message ids the filters allow (None: no filter)."""
    if not conditions:
        return None

    def keep(ids: list[int]) -> set[int]:
        marks = ",".join("?" * len(ids))
        rows = db.execute(
            "SELECT m.id FROM messages AS m JOIN conversations AS c ON c.id = m.conversation_id"
            f" WHERE m.id IN ({marks}) AND {conditions}",
            (*ids, *params),
        )
        return {int(r[0]) for r in rows}

    return keep


def filter_choices(db: sqlite3.Connection) -> tuple[list[str], list[str]]:
    """The profiles and models conversations were written with, for the search filters."""
    profiles = [
        r[0]
        for r in db.execute(
            "SELECT DISTINCT profile FROM conversations WHERE profile != '' ORDER BY 1 LIMIT 200"
        )
    ]
    models = [
        r[0]
        for r in db.execute(
            "SELECT DISTINCT model FROM conversations WHERE model != '' ORDER BY 1 LIMIT 200"
        )
    ]
    return profiles, models
