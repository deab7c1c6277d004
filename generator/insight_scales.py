"""Insight scales: what the figures of :mod:`generator.insights` are counted along.

Time, in periods (months, or quarters for a knowledge base spanning years), each figure a
:class:`Series` of counts per period; and severities, whose many spellings (``SEV-1``, ``sev 1``)
are grouped under one name and sorted most severe first.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

QUARTERS_AFTER_MONTHS = 36
"""A knowledge base spanning more months than this is charted per quarter, not per month."""

NO_SEVERITY = "no severity"
"""The severity shown for incidents that state none."""

Slot = Callable[[dt.date], int]
"""Maps a date to the number of its period (the type of the ``slot`` the counters take)."""

_SEVERITY_WORDS = ("critical", "major", "high", "medium", "moderate", "minor", "low")
_DIGIT = re.compile(r"\d+")
_SEPARATORS = re.compile(r"[\s_\-.:]+")


@dataclass(frozen=True, slots=True, kw_only=True)
class Period:
    """A month or a quarter on the time axis."""

    start: dt.date
    """Its first day."""
    label: str
    """How it is shown: ``2026-03`` for a month, ``2026 Q1`` for a quarter."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Series:
    """One named row of counts, one count per period (or per bucket)."""

    name: str
    """What is counted (a severity, a service, a theme)."""
    counts: tuple[int, ...]
    """The counts, in the order of the periods."""

    @property
    def total(self) -> int:
        """The sum of the counts."""
        return sum(self.counts)


def choose_periods(dates: Iterable[dt.date]) -> tuple[str, tuple[Period, ...]]:
    """Return the unit (month or quarter) and every period from the first date to the last."""
    ordered = sorted(dates)
    if not ordered:
        return "month", ()
    first, last = ordered[0], ordered[-1]
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    unit = "quarter" if months > QUARTERS_AFTER_MONTHS else "month"
    step = 3 if unit == "quarter" else 1
    current, end = period_start(first, unit), period_start(last, unit)
    periods = []
    while current <= end:
        periods.append(Period(start=current, label=period_label(current, unit)))
        month = current.month - 1 + step
        current = dt.date(current.year + month // 12, month % 12 + 1, 1)
    return unit, tuple(periods)


def period_start(date: dt.date, unit: str) -> dt.date:
    """Return the first day of the month (or quarter) holding ``date``."""
    month = date.month if unit == "month" else (date.month - 1) // 3 * 3 + 1
    return dt.date(date.year, month, 1)


def period_label(start: dt.date, unit: str) -> str:
    """Return how a period is named: ``2026-03`` or ``2026 Q1``."""
    if unit == "month":
        return f"{start.year}-{start.month:02d}"
    return f"{start.year} Q{(start.month - 1) // 3 + 1}"


def severity_key(severity: str | None) -> tuple[int, int, str]:
    """Return a sort key putting the most severe first: SEV0/P1 by number, then words."""
    if not severity or not severity.strip():
        return (3, 0, "")
    text = severity.strip().casefold()
    digits = _DIGIT.search(text)
    if digits:
        return (0, int(digits.group()), text)
    for rank, word in enumerate(_SEVERITY_WORDS):
        if word in text:
            return (1, rank, text)
    return (2, 0, text)


def severity_name(severity: str | None) -> str:
    """Return the name a severity is grouped under: ``SEV-1``, ``sev 1`` and ``SEV1`` alike."""
    if not severity or not severity.strip():
        return NO_SEVERITY
    return _SEPARATORS.sub("", severity.strip()).upper()
