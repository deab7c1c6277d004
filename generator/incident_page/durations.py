"""Durations of an incident: the time between its timeline's milestones, as people say it."""

from __future__ import annotations

import datetime as dt

from generator.incident_page.view import Duration
from generator.models import Phase, Postmortem

PHASE_LABELS = {
    Phase.BEGINS: "Begins",
    Phase.DETECTED: "Detected",
    Phase.MITIGATED: "Mitigated",
    Phase.RESOLVED: "Resolved",
}
"""How each timeline milestone is labelled."""

DURATIONS = (
    ("Time to detect", Phase.BEGINS, Phase.DETECTED),
    ("Time to mitigate", Phase.BEGINS, Phase.MITIGATED),
    ("Time to resolve", Phase.BEGINS, Phase.RESOLVED),
    ("Detection to mitigation", Phase.DETECTED, Phase.MITIGATED),
)
"""The durations shown for an incident, from one milestone to another."""


def incident_durations(postmortem: Postmortem) -> tuple[Duration, ...]:
    """Return the durations between an incident's milestones that its timeline gives."""
    first: dict[Phase, dt.datetime] = {}
    for event in postmortem.timeline:
        if event.phase is not None and event.at is not None:
            first.setdefault(event.phase, event.at)
    durations = []
    for label, start, end in DURATIONS:
        if start in first and end in first and first[end] >= first[start]:
            minutes = count_minutes(first[end] - first[start])
            durations.append(Duration(label=label, minutes=minutes, text=format_minutes(minutes)))
    return tuple(durations)


def measure_milestone_gaps(postmortem: Postmortem) -> dict[int, str]:
    """Return, by event line, the time since the previous milestone (first of each phase)."""
    gaps: dict[int, str] = {}
    previous: dt.datetime | None = None
    seen: set[Phase] = set()
    for event in postmortem.timeline:
        if event.phase is None or event.at is None or event.phase in seen:
            continue
        seen.add(event.phase)
        if previous is not None and event.at >= previous:
            gaps[event.line] = "+" + format_minutes(count_minutes(event.at - previous))
        previous = event.at
    return gaps


def format_minutes(minutes: int) -> str:
    """Return a duration as people say it: ``45 min``, ``1 h 05 min``, ``2 d 3 h``."""
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {rest:02d} min" if rest else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


def count_minutes(delta: dt.timedelta) -> int:
    """Return a time span in whole minutes (rounded down)."""
    return int(delta.total_seconds() // 60)
