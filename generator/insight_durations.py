"""Insight durations: time to detect, mitigate and resolve, as distributions per severity.

Each incident is a point; each group (all incidents, then each severity) has its median, the
middle value (the mean of the two middle ones for an even count), and its 90th percentile, the
nearest-rank one: the smallest value that at least 90% of the values do not exceed. Both are
values a reader can find among the points (or between two of them).
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass

from generator.catalog import Catalog
from generator.incident_page.durations import incident_durations
from generator.insight_scales import severity_key, severity_name
from generator.models import Postmortem

DURATION_METRICS = (
    ("detect", "Time to detect"),
    ("mitigate", "Time to mitigate"),
    ("resolve", "Time to resolve"),
)
"""The durations charted, by key, with the label :func:`incident_durations` gives each."""


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


def measure_durations(catalog: Catalog) -> tuple[Durations, ...]:
    """Return each duration of :data:`DURATION_METRICS`, over all incidents and per severity."""
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
        groups = [_group_durations("all incidents", everyone[key])] if everyone[key] else []
        for name in sorted(by_severity[key], key=lambda n: (keys[n], n)):
            groups.append(_group_durations(name, by_severity[key][name]))
        found.append(Durations(key=key, label=label, groups=tuple(groups)))
    return tuple(found)


def _group_durations(name: str, points: list[DurationPoint]) -> DurationGroup:
    """Return a group's points in order, with their median and 90th percentile."""
    ordered = sorted(points, key=lambda p: (p.minutes, p.postmortem.id, p.postmortem.source))
    minutes = [p.minutes for p in ordered]
    return DurationGroup(
        name=name,
        points=tuple(ordered),
        median=median([float(m) for m in minutes]),
        p90=percentile(minutes, 0.9),
    )


def median(values: list[float]) -> float:
    """Return the median of values (the mean of the two middle ones for an even count)."""
    return float(statistics.median(values))


def percentile(values: list[int], share: float) -> int:
    """Return the nearest-rank percentile: the smallest value that ``share`` of them reach."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]
