"""Documents that log several incidents: one dated heading per incident.

An incident log (``## 2021-03-03: Search outage`` then its summary and timeline, ``##
2021-04-10: Login failures`` then its own) stays one document, so that nothing is lost and no
section is counted twice: its incidents are listed (title, day, line), its sections and timeline
hold every incident's, and each incident's timeline is read on that incident's day.
"""

from __future__ import annotations

import datetime as dt

from generator.models import IncidentEntry, SectionKind
from generator.parse.document import Part
from generator.parse.text import plain_text
from generator.parse.times import read_stamp
from generator.parse.titles import clean


def find_incidents(parts: list[Part], body_line: int) -> list[IncidentEntry]:
    """Return the incidents of a log: two or more sibling headings naming a day and a title."""
    runs: dict[tuple[int, int], list[tuple[Part, dt.date]]] = {}
    for part in parts:
        day = incident_day(part)
        if day is not None:
            key = (part.level, id(part.parent))
            runs.setdefault(key, []).append((part, day))
    entries = max(runs.values(), key=len, default=[])
    if len(entries) < 2:
        return []
    return [
        IncidentEntry(
            title=clean(part.heading) or part.title, date=day, line=body_line + part.start
        )
        for part, day in entries
    ]


def incident_day(part: Part) -> dt.date | None:
    """Return the day a heading names before an incident's title ("2021-03-03: Search outage")."""
    if part.kind is not SectionKind.OTHER or part.inherited or part.lead is not None:
        return None
    title = plain_text(part.heading)
    stamp = read_stamp(title)
    if stamp is None or stamp.date is None or stamp.time is not None:
        return None
    return stamp.date if title[stamp.end :].strip() else None


def day_of(part: Part) -> dt.date | None:
    """Return the day of the incident a section belongs to, in a log of several."""
    current = part.parent
    while current is not None:
        day = incident_day(current)
        if day is not None:
            return day
        current = current.parent
    return None
