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

Percentiles: the median is the middle value (the mean of the two middle ones for an even count);
the 90th percentile is the nearest-rank one, the smallest value that at least 90% of the values do
not exceed. Both are values a reader can find among the points (or between two of them).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from generator.catalog import Catalog
from generator.incident_page.durations import incident_durations
from generator.models import ActionState, Postmortem

QUARTERS_AFTER_MONTHS = 36
"""A knowledge base spanning more months than this is charted per quarter, not per month."""

TOP_NAMES = 12
"""How many services (and themes) the over-time charts show; the rest are counted together."""

TOP_LESSONS = 10
"""How many of the lessons learned most often are charted."""

DURATION_METRICS = (
    ("detect", "Time to detect"),
    ("mitigate", "Time to mitigate"),
    ("resolve", "Time to resolve"),
)
"""The durations charted, by key, with the label :func:`incident_durations` gives each."""

AGE_BUCKETS: tuple[tuple[int, int | None, str], ...] = (
    (0, 30, "under 30 days"),
    (30, 90, "30–89 days"),
    (90, 180, "90–179 days"),
    (180, 365, "180–364 days"),
    (365, None, "a year or more"),
)
"""Open action items by age (days since their incident): lower bound, upper bound, label."""

NO_SEVERITY = "no severity"
"""The severity shown for incidents that state none."""

_Slot = Callable[[dt.date], int]
"""Maps a date to the number of its period."""

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


@dataclass(frozen=True, slots=True, kw_only=True)
class IncidentCounts:
    """Incidents per period, stacked by severity."""

    series: tuple[Series, ...]
    """One series per severity, most severe first; :data:`NO_SEVERITY` last."""
    undated: int
    """Incidents with no date, which no period holds."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DurationPoint:
    """One incident's duration."""

    postmortem: Postmortem
    """The incident."""
    minutes: int
    """How long, in whole minutes."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DurationGroup:
    """The durations of one severity (or of every incident), and where they sit."""

    name: str
    """The severity, or ``all incidents``."""
    points: tuple[DurationPoint, ...]
    """Each incident's duration, shortest first."""
    median: float
    """The median, in minutes."""
    p90: int
    """The 90th percentile (nearest rank), in minutes."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Durations:
    """One duration (time to detect, to mitigate, to resolve) across incidents."""

    key: str
    """``detect``, ``mitigate`` or ``resolve``."""
    label: str
    """``Time to detect`` ..."""
    groups: tuple[DurationGroup, ...]
    """Every incident first, then each severity that has durations, most severe first; empty
    when no timeline gives this duration."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Backlog:
    """The action-item backlog: what was asked for, what got done, what waits and for how long."""

    opened: tuple[int, ...]
    """Items asked for per period (by their incident's date)."""
    done: tuple[int, ...]
    """Items done per period (by their written done date)."""
    done_undated: int
    """Done items whose postmortem does not say when."""
    undated: int
    """Items of undated incidents (not in :attr:`opened`)."""
    ages: tuple[Series, ...]
    """Open items by age bucket (:data:`AGE_BUCKETS`): ``overdue`` and ``not overdue``."""
    age_unknown: int
    """Open items of undated incidents, whose age is unknown."""
    open_count: int
    """Items still to be done."""
    overdue_count: int
    """Open items past their due date."""
    median_age: float | None
    """Median age of the open items, in days (None when none has an age)."""


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
        durations=_all_durations(catalog),
        backlog=_backlog(catalog, today, len(periods), slot),
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


def median(values: list[float]) -> float:
    """Return the median of values (the mean of the two middle ones for an even count)."""
    return float(statistics.median(values))


def percentile(values: list[int], share: float) -> int:
    """Return the nearest-rank percentile: the smallest value that ``share`` of them reach."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _count_incidents(catalog: Catalog, size: int, slot: _Slot) -> IncidentCounts:
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


def _all_durations(catalog: Catalog) -> tuple[Durations, ...]:
    # Each timeline is measured once, for every duration at a time.
    labels = {label: key for key, label in DURATION_METRICS}
    everyone: dict[str, list[DurationPoint]] = defaultdict(list)
    by_severity: dict[str, dict[str, list[DurationPoint]]] = defaultdict(lambda: defaultdict(list))
    keys: dict[str, tuple[int, int, str]] = {}
    for postmortem in catalog:
        if not postmortem.timeline:
            continue
        name = severity_name(postmortem.severity)
        for duration in incident_durations(postmortem):
            key = labels.get(duration.label)
            if key is None:
                continue
            point = DurationPoint(postmortem=postmortem, minutes=duration.minutes)
            everyone[key].append(point)
            keys.setdefault(name, severity_key(postmortem.severity))
            by_severity[key][name].append(point)
    found = []
    for key, label in DURATION_METRICS:
        groups = [_duration_group("all incidents", everyone[key])] if everyone[key] else []
        for name in sorted(by_severity[key], key=lambda n: (keys[n], n)):
            groups.append(_duration_group(name, by_severity[key][name]))
        found.append(Durations(key=key, label=label, groups=tuple(groups)))
    return tuple(found)


def _duration_group(name: str, points: list[DurationPoint]) -> DurationGroup:
    ordered = sorted(points, key=lambda p: (p.minutes, p.postmortem.id, p.postmortem.source))
    minutes = [p.minutes for p in ordered]
    return DurationGroup(
        name=name,
        points=tuple(ordered),
        median=median([float(m) for m in minutes]),
        p90=percentile(minutes, 0.9),
    )


def _backlog(catalog: Catalog, today: dt.date, size: int, slot: _Slot) -> Backlog:
    opened, done = [0] * size, [0] * size
    done_undated = undated = 0
    for postmortem in catalog:
        for item in postmortem.action_items:
            if postmortem.date is None:
                undated += 1
            else:
                opened[slot(postmortem.date)] += 1
            if item.state is ActionState.DONE:
                if item.done_on is None:
                    done_undated += 1
                else:
                    done[slot(item.done_on)] += 1
    # Ages and "overdue" as Catalog.open_actions defines them, without building and sorting
    # one object per item: only the counts are needed here.
    late, on_time = [0] * len(AGE_BUCKETS), [0] * len(AGE_BUCKETS)
    ages: list[float] = []
    open_count = overdue_count = 0
    for postmortem in catalog:
        for item in postmortem.action_items:
            if not item.state.is_open():
                continue
            open_count += 1
            overdue = item.due is not None and item.due < today
            overdue_count += overdue
            if postmortem.date is None:
                continue
            age = (today - postmortem.date).days
            ages.append(age)
            (late if overdue else on_time)[_age_bucket(age)] += 1
    return Backlog(
        opened=tuple(opened),
        done=tuple(done),
        done_undated=done_undated,
        undated=undated,
        ages=(
            Series(name="overdue", counts=tuple(late)),
            Series(name="not overdue", counts=tuple(on_time)),
        ),
        age_unknown=open_count - len(ages),
        open_count=open_count,
        overdue_count=overdue_count,
        median_age=median(ages) if ages else None,
    )


def _age_bucket(days: int) -> int:
    # An incident dated after "today" (a typo, or a future build date) counts as new.
    for number, (low, high, _) in enumerate(AGE_BUCKETS):
        if days < low:
            return max(0, number - 1)
        if high is None or days < high:
            return number
    return len(AGE_BUCKETS) - 1


def _trend(
    kind: str, groups: Mapping[str, tuple[Postmortem, ...]], size: int, slot: _Slot
) -> Trend:
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
