"""Insights: what the incidents say together, as figures computed from the catalog.

:func:`compute_insights` reads the catalog once and returns plain numbers, which
:mod:`generator.charts` draws and the Insights page shows: incidents per period by severity, the
time to detect, mitigate and resolve as distributions (each incident a point, median and 90th
percentile), the action-item backlog, incidents by service and by failure theme over time, and the
lessons learned most often.

Every date comes from what the postmortems say (an incident's date, an item's due date, a done
date where one is written), never from the files' times; only the backlog's ages and "overdue"
depend on the day, which is given (``today``), never read from the clock here. So two builds of
the same files on the same day give the same figures.

The figures are computed in :mod:`generator.insight_durations` (medians, percentiles),
:mod:`generator.insight_backlog` and here (counts per period, services, themes, lessons), along
the periods and severities of :mod:`generator.insight_scales`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from generator.catalog import Catalog
from generator.insight_backlog import Backlog, count_backlog
from generator.insight_durations import Durations, measure_durations
from generator.insight_scales import (
    Period,
    Series,
    Slot,
    choose_periods,
    period_start,
    severity_key,
    severity_name,
)
from generator.models import Postmortem

TOP_NAMES = 12
"""How many services (and themes) the over-time charts show; the rest are counted together."""

TOP_LESSONS = 10
"""How many of the lessons learned most often are charted."""


@dataclass(frozen=True, slots=True, kw_only=True)
class IncidentCounts:
    """Incidents per period, stacked by severity."""

    series: tuple[Series, ...]
    """One series per severity, most severe first; :data:`NO_SEVERITY` last."""
    undated: int
    """Incidents with no date, which no period holds."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Trend:
    """Incidents by name (service or theme) over time."""

    kind: str
    """What the names are: ``service``, ``theme`` or ``tag``."""
    series: tuple[Series, ...]
    """The :data:`TOP_NAMES` names with most incidents, most first."""
    others: int
    """How many more names there are."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LessonCount:
    """A lesson learned in several incidents."""

    title: str
    """The lesson."""
    count: int
    """In how many incidents."""
    anchor: str
    """Its anchor on the lessons page."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Insights:
    """Everything the Insights page shows, as numbers."""

    unit: str
    """``month`` or ``quarter``: what one period is."""
    periods: tuple[Period, ...]
    """The time axis: every period from the first date to the last, empty ones included."""
    incidents: IncidentCounts
    """Incidents per period by severity."""
    durations: tuple[Durations, ...]
    """Time to detect, mitigate and resolve."""
    backlog: Backlog
    """The action-item backlog."""
    services: Trend
    """Incidents by service over time."""
    themes: Trend
    """Incidents by failure theme (or by tag) over time."""
    lessons: tuple[LessonCount, ...]
    """The lessons learned in most incidents (at least two), most first."""
    total: int
    """How many incidents."""


def compute_insights(catalog: Catalog, today: dt.date) -> Insights:
    """Return the figures of a catalog; ``today`` dates the backlog's ages and overdue items."""
    dates: list[dt.date] = [p.date for p in catalog if p.date]
    dates += [a.done_on for p in catalog for a in p.action_items if a.done_on]
    unit, periods = choose_periods(dates)
    index = {period.start: number for number, period in enumerate(periods)}

    def slot(date: dt.date) -> int:
        return index[period_start(date, unit)]

    return Insights(
        unit=unit,
        periods=periods,
        incidents=_count_incidents(catalog, len(periods), slot),
        durations=measure_durations(catalog),
        backlog=count_backlog(catalog, today, len(periods), slot),
        services=_trend("service", catalog.services, len(periods), slot),
        themes=_trend(*failure_themes(catalog), len(periods), slot),
        lessons=count_lessons(catalog),
        total=len(catalog),
    )


def failure_themes(catalog: Catalog) -> tuple[str, Mapping[str, tuple[Postmortem, ...]]]:
    """Return the incidents of each failure theme the links found (newest first), by title.

    The kind is ``theme``; a catalog whose incidents show no theme falls back to its tags.
    """
    links = catalog.links
    members: dict[str, list[Postmortem]] = defaultdict(list)
    for postmortem in catalog:
        for match in links.themes_of(postmortem):
            members[match.id].append(postmortem)
    if not members:
        return "tag", catalog.tags
    return "theme", {
        theme.title: tuple(members[theme.id]) for theme in links.themes if theme.id in members
    }


def count_lessons(catalog: Catalog) -> tuple[LessonCount, ...]:
    """Return the lessons learned in most incidents (at least two), most first.

    Both kinds the lessons page lists: lessons re-learned in other words (recurring lessons,
    found by the links) and lessons written alike (same title or front-matter key).
    """
    found = [
        LessonCount(title=r.title, count=r.count, anchor=r.anchor)
        for r in catalog.links.recurring
        if r.count > 1
    ]
    found += [
        LessonCount(title=g.title, count=g.count, anchor=g.anchor)
        for g in catalog.lessons
        if g.count > 1
    ]
    found.sort(key=lambda lesson: (-lesson.count, lesson.title.casefold(), lesson.anchor))
    return tuple(found[:TOP_LESSONS])


def _count_incidents(catalog: Catalog, size: int, slot: Slot) -> IncidentCounts:
    """Count the dated incidents per period (``size`` of them) and severity."""
    counts: dict[str, list[int]] = {}
    keys: dict[str, tuple[int, int, str]] = {}
    undated = 0
    for postmortem in catalog:
        if postmortem.date is None:
            undated += 1
            continue
        name = severity_name(postmortem.severity)
        keys.setdefault(name, severity_key(postmortem.severity))
        counts.setdefault(name, [0] * size)[slot(postmortem.date)] += 1
    ordered = sorted(counts, key=lambda name: (keys[name], name))
    return IncidentCounts(
        series=tuple(Series(name=name, counts=tuple(counts[name])) for name in ordered),
        undated=undated,
    )


def _trend(kind: str, groups: Mapping[str, tuple[Postmortem, ...]], size: int, slot: Slot) -> Trend:
    """Count the incidents of the largest groups (services, themes) per period."""
    totals = Counter({name: len(members) for name, members in groups.items()})
    ranked = sorted(totals, key=lambda name: (-totals[name], name.casefold(), name))
    series = []
    for name in ranked[:TOP_NAMES]:
        counts = [0] * size
        for postmortem in groups[name]:
            if postmortem.date is not None:
                counts[slot(postmortem.date)] += 1
        series.append(Series(name=name, counts=tuple(counts)))
    return Trend(kind=kind, series=tuple(series), others=max(0, len(ranked) - TOP_NAMES))
