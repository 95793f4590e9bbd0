"""Times as stored (seconds since 1970, UTC): which values are real, and how to show any value.

A database may already hold values no importer would accept today (Infinity, milliseconds,
text written by hand). Everything that shows or exports a time goes through `known_time`, so
such a value reads as "unknown date" instead of raising from `fromtimestamp` or `gmtime`.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from typing import Final

EARLIEST: Final = 0.0  # 1970-01-01 UTC
LATEST: Final = 32503680000.0  # 3000-01-01 UTC: far enough ahead, and milliseconds fall outside
UNKNOWN_DATE: Final = "unknown date"


def known_time(value: object) -> float | None:
    """`value` as seconds when it is a finite number in [EARLIEST, LATEST]; otherwise None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    # Compare before converting: float(10**400) would raise OverflowError.
    if not EARLIEST <= value <= LATEST:
        return None
    seconds = float(value)
    return seconds if math.isfinite(seconds) else None


def local_date(value: object) -> dt.date | None:
    """The local calendar day of a stored time, or None when the time is not known."""
    seconds = known_time(value)
    if seconds is None:
        return None
    try:
        return dt.datetime.fromtimestamp(seconds).date()
    except (OverflowError, OSError, ValueError):  # a platform's localtime may refuse it
        return None


def utc_text(value: object) -> str:
    """'YYYY-MM-DD HH:MM:SS UTC', or 'unknown date'."""
    seconds = known_time(value)
    if seconds is None:
        return UNKNOWN_DATE
    try:
        return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(seconds))
    except (OverflowError, OSError, ValueError):
        return UNKNOWN_DATE


def local_text(value: object, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored time in local time (for the window), or 'unknown date'."""
    seconds = known_time(value)
    if seconds is None:
        return UNKNOWN_DATE
    try:
        return dt.datetime.fromtimestamp(seconds).strftime(fmt)
    except (OverflowError, OSError, ValueError):
        return UNKNOWN_DATE
