"""The day pmkb judges due dates, ages and future dates by: one notion of "today" for every command.

It is the day of ``SOURCE_DATE_EPOCH`` (seconds since 1970-01-01 UTC) when that is set, the
reproducible-builds convention that MkDocs also follows, so that a build, a check and a test give
the same answer whenever they run; otherwise the local calendar day. ``pmkb check`` and
``pmkb actions`` also take ``--today YYYY-MM-DD``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping

EPOCH_VARIABLE = "SOURCE_DATE_EPOCH"


class ClockError(ValueError):
    """``SOURCE_DATE_EPOCH`` is set to something that is not a moment."""


def find_today(environment: Mapping[str, str] | None = None) -> dt.date:
    """Return the day of ``SOURCE_DATE_EPOCH`` (UTC) if it is set, else today's local date.

    Raise :class:`ClockError` when it is set but not a whole number of seconds: a build that
    asked to be reproducible must not silently use the clock instead.
    """
    environ = os.environ if environment is None else environment
    epoch = environ.get(EPOCH_VARIABLE, "").strip()
    if not epoch:
        return dt.date.today()
    try:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    except (ValueError, OverflowError, OSError):
        raise ClockError(
            f"{EPOCH_VARIABLE}={epoch!r} is not a time: set it to seconds since "
            "1970-01-01 UTC (e.g. $(git log -1 --format=%ct)), or unset it"
        ) from None


def epoch_of(day: dt.date) -> str:
    """Return the ``SOURCE_DATE_EPOCH`` value of a day's midnight UTC (what tests set)."""
    midnight = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
    return str(int(midnight.timestamp()))
