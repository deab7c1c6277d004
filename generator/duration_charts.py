"""Duration charts: time to detect, mitigate and resolve, per severity, on a logarithmic axis.

From minutes to days, the incidents that took an hour and those that took a week both stay
readable on a logarithmic axis; each incident is a dot, with the median and 90th percentile marked.
"""

from __future__ import annotations

import math

from generator.chart_parts import (
    TOP,
    WIDTH,
    Cell,
    Chart,
    draw_legend,
)
from generator.incident_page.durations import format_minutes
from generator.insight_durations import DurationPoint, Durations
from generator.svg import (
    Drawing,
    fit,
    join_words,
    plural,
    spread,
)

_LOG_TICKS = (1, 5, 15, 60, 240, 720, 1440, 4320, 10080, 43200, 129600, 525600)


def draw_durations(durations: Durations) -> Chart:
    """Draw a duration per severity: each incident a dot, median and p90 marked."""
    chart_id = f"pmkb-chart-{durations.key}"
    title = f"{durations.label}, by severity"
    if not durations.groups:
        empty = (
            f"No timeline marks both when an incident began and when it was "
            f"{_PAST[durations.key]}, so there is no {durations.label.lower()} to show."
        )
        return Chart(id=chart_id, title=title, description=empty, svg=None)
    groups = durations.groups
    overall = groups[0]
    description = (
        f"{durations.label} of {plural(len(overall.points), 'incident')}: median "
        f"{_minutes(overall.median)}, 90th percentile {format_minutes(overall.p90)}. "
        + join_words(
            [f"{g.name} median {_minutes(g.median)} ({len(g.points)})" for g in groups[1:]]
        )
        + "."
    )
    header = ("Severity", "Incidents", "Median", "90th percentile", "Shortest", "Longest")
    rows = tuple(
        (
            Cell(text=g.name),
            Cell(text=str(len(g.points))),
            Cell(text=_minutes(g.median), value=f"{g.median:g}"),
            Cell(text=format_minutes(g.p90), value=str(g.p90)),
            Cell(text=format_minutes(g.points[0].minutes), value=str(g.points[0].minutes)),
            Cell(text=format_minutes(g.points[-1].minutes), value=str(g.points[-1].minutes)),
        )
        for g in groups
    )
    longest = max(*(g.points[-1].minutes for g in groups), 60)
    top = next((tick for tick in _LOG_TICKS if tick >= longest), _LOG_TICKS[-1])
    label_width, row = 130, 36
    left, right = label_width + 8, WIDTH - 16
    height = TOP + row * len(groups) + 30
    drawing = Drawing(WIDTH, height)
    draw_legend(
        drawing, [("pmkb-chart__median-key", "median"), ("pmkb-chart__p90-key", "90th percentile")]
    )

    def x_of(minutes: float) -> float:
        share = math.log(max(minutes, 1)) / math.log(top)
        return left + min(1.0, share) * (right - left)

    bottom = TOP + row * len(groups)
    shown = -100.0
    for tick in (t for t in _LOG_TICKS if t <= top):
        if x_of(tick) - shown < 44:
            continue  # too close to the previous tick to label both
        shown = x_of(tick)
        drawing.line(x_of(tick), TOP, x_of(tick), bottom, cls="pmkb-chart__grid")
        drawing.text(x_of(tick), bottom + 16, _short(tick), "pmkb-chart__axis", anchor="middle")
    for number, group in enumerate(groups):
        middle = TOP + row * number + row / 2
        drawing.text(
            label_width,
            middle + 4,
            fit(f"{group.name} ({len(group.points)})", label_width),
            "pmkb-chart__label",
            anchor="end",
        )
        for value, cls, what in (
            (group.median, "pmkb-chart__median", "median"),
            (group.p90, "pmkb-chart__p90", "90th percentile"),
        ):
            drawing.rect(
                x_of(value) - 1.5,
                middle - row / 2 + 4,
                3,
                row - 8,
                cls=cls,
                title=f"{group.name}, {what}: {_minutes(value)}",
            )
        # Incidents that would sit on the same pixel are drawn once (a long knowledge base has
        # thousands): the page stays small whatever the number of incidents.
        seen: dict[tuple[int, int], list[DurationPoint]] = {}
        for point in group.points:
            key = (round(x_of(point.minutes) / 2), spread(point.postmortem.source, 7))
            seen.setdefault(key, []).append(point)
        for (column, slot), points in seen.items():
            label = (
                f"{points[0].postmortem.title}: {format_minutes(points[0].minutes)}"
                if len(points) == 1
                else f"{len(points)} incidents"
            )
            drawing.circle(
                column * 2, middle + (slot - 3) * 3, 4, cls="pmkb-chart__point", title=label
            )
    drawing.line(left, bottom, right, bottom, cls="pmkb-chart__baseline")
    svg = drawing.finish(chart_id, title, description)
    return Chart(
        id=chart_id, title=title, description=description, svg=svg, header=header, rows=rows
    )


def _minutes(value: float) -> str:
    """Format a (median) number of minutes, rounded."""
    return format_minutes(round(value))


def _short(minutes: int) -> str:
    """Format an axis tick briefly (``4 h``, ``1 w``)."""
    for size, unit in ((525600, "y"), (10080, "w"), (1440, "d"), (60, "h")):
        if minutes >= size and minutes % size == 0:
            return f"{minutes // size} {unit}"
    return f"{minutes} min"


_PAST = {"detect": "detected", "mitigate": "mitigated", "resolve": "resolved"}
