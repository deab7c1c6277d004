"""Charts: the figures of :mod:`generator.insights`, drawn as static SVG with their data tables.

Each chart is a :class:`Chart`: an SVG picture (``role="img"``, a title and a description that
state the main figures) and the table of the numbers behind it, which the page template shows in
a ``<details>`` under the picture. A chart with nothing to show has no picture, only a sentence
saying why. Drawing is done by hand with :mod:`generator.svg` (no chart library: see
``docs/site.md``), in fixed coordinates that the page scales to its width.

Durations use a logarithmic axis: from minutes to days, the incidents that took an hour and those
that took a week both stay readable.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from generator.incident_page.durations import format_minutes
from generator.insights import (
    AGE_BUCKETS,
    NO_SEVERITY,
    DurationPoint,
    Durations,
    Insights,
    LessonCount,
    Period,
    Series,
    Trend,
)
from generator.svg import (
    CHAR_WIDTH,
    Drawing,
    every_nth,
    fit,
    join_words,
    nice_ticks,
    plural,
    spread,
)

WIDTH = 720
"""Width of every page chart, in SVG units."""

_LEFT, _RIGHT, _TOP = 44, 12, 34
_PLOT_HEIGHT = 150
_LOG_TICKS = (1, 5, 15, 60, 240, 720, 1440, 4320, 10080, 43200, 129600, 525600)
_SEVERITY_CLASSES = 5


@dataclass(frozen=True, slots=True, kw_only=True)
class Cell:
    """One cell of a chart's data table."""

    text: str
    """What the cell shows."""
    value: str = ""
    """The number behind the text when they differ (minutes behind ``1 h 05 min``)."""
    url: str = ""
    """Where the cell links to, if anywhere."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Chart:
    """A chart of a page: picture, description and data."""

    id: str
    """Unique id on the page (``pmkb-chart-incidents``)."""
    title: str
    """What the chart shows."""
    description: str
    """The main figures in a sentence or two (the SVG's ``<desc>`` and the caption)."""
    svg: Markup | None
    """The picture; None when there is nothing to draw."""
    header: tuple[str, ...] = ()
    """The data table's column names."""
    rows: tuple[tuple[Cell, ...], ...] = ()
    """The data table's rows."""
    note: str = ""
    """What the chart leaves out (undated incidents, items without a done date)."""


def draw_insights(insights: Insights, lesson_url: Callable[[LessonCount], str]) -> list[Chart]:
    """Return every chart of the Insights page, in page order."""
    charts = [draw_incidents(insights)]
    charts += [draw_durations(durations) for durations in insights.durations]
    charts += [draw_backlog_flow(insights), draw_backlog_ages(insights)]
    charts += [draw_trend(insights, insights.services), draw_trend(insights, insights.themes)]
    charts.append(draw_lessons(insights.lessons, lesson_url))
    return charts


def draw_incidents(insights: Insights) -> Chart:
    """Draw the incidents per month (or quarter), stacked by severity."""
    chart_id, title = "pmkb-chart-incidents", f"Incidents per {insights.unit}, by severity"
    series = insights.incidents.series
    note = _undated_note(insights.incidents.undated, "incident")
    header = ("Period", *(s.name for s in series), "Total")
    rows = tuple(
        (
            Cell(text=period.label, value=period.start.isoformat()),
            *(Cell(text=str(s.counts[n])) for s in series),
            Cell(text=str(sum(s.counts[n] for s in series))),
        )
        for n, period in enumerate(insights.periods)
    )
    if not rows:
        empty = "No incident has a date yet, so none can be placed in time."
        return Chart(id=chart_id, title=title, description=empty, svg=None, note=note)
    totals = [sum(s.counts[n] for s in series) for n in range(len(insights.periods))]
    description = (
        f"{plural(sum(totals), 'dated incident')} from {insights.periods[0].label} to "
        f"{insights.periods[-1].label}; {_busiest(insights.periods, totals)}. By severity: "
        + join_words([f"{s.name} {s.total}" for s in series])
        + "."
    )
    classes = [_severity_class(s.name, n) for n, s in enumerate(series)]
    svg = _bars(
        chart_id,
        title,
        description,
        [p.label for p in insights.periods],
        list(zip(series, classes, strict=True)),
        stacked=True,
        what="incident",
    )
    return Chart(
        id=chart_id,
        title=title,
        description=description,
        svg=svg,
        header=header,
        rows=rows,
        note=note,
    )


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
    height = _TOP + row * len(groups) + 30
    drawing = Drawing(WIDTH, height)
    _legend(
        drawing, [("pmkb-chart__median-key", "median"), ("pmkb-chart__p90-key", "90th percentile")]
    )

    def x_of(minutes: float) -> float:
        share = math.log(max(minutes, 1)) / math.log(top)
        return left + min(1.0, share) * (right - left)

    bottom = _TOP + row * len(groups)
    shown = -100.0
    for tick in (t for t in _LOG_TICKS if t <= top):
        if x_of(tick) - shown < 44:
            continue  # too close to the previous tick to label both
        shown = x_of(tick)
        drawing.line(x_of(tick), _TOP, x_of(tick), bottom, cls="pmkb-chart__grid")
        drawing.text(x_of(tick), bottom + 16, _short(tick), "pmkb-chart__axis", anchor="middle")
    for number, group in enumerate(groups):
        middle = _TOP + row * number + row / 2
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


def draw_backlog_flow(insights: Insights) -> Chart:
    """Draw the action items asked for (by incident date) and done (by done date), per period."""
    chart_id = "pmkb-chart-backlog-flow"
    title = f"Action items asked for and done, per {insights.unit}"
    backlog = insights.backlog
    notes = []
    if backlog.done_undated:
        notes.append(
            f"{plural(backlog.done_undated, 'done item')} do not say when they were done "
            "(write it: “done 2026-07-02”) and are not placed."
        )
    if backlog.undated:
        notes.append(f"{plural(backlog.undated, 'item')} of undated incidents are not placed.")
    if not insights.periods or not (sum(backlog.opened) or sum(backlog.done)):
        empty = "No dated incident asks for action items yet."
        return Chart(id=chart_id, title=title, description=empty, svg=None, note=" ".join(notes))
    asked = Series(name="asked for", counts=backlog.opened)
    done = Series(name="done", counts=backlog.done)
    description = (
        f"{plural(asked.total, 'action item')} asked for and {done.total} done (with a date) "
        f"from {insights.periods[0].label} to {insights.periods[-1].label}."
    )
    header = ("Period", "Asked for", "Done")
    rows = tuple(
        (
            Cell(text=p.label, value=p.start.isoformat()),
            Cell(text=str(backlog.opened[n])),
            Cell(text=str(backlog.done[n])),
        )
        for n, p in enumerate(insights.periods)
    )
    svg = _bars(
        chart_id,
        title,
        description,
        [p.label for p in insights.periods],
        [(asked, "pmkb-chart__asked"), (done, "pmkb-chart__done")],
        stacked=False,
        what="item",
    )
    return Chart(
        id=chart_id,
        title=title,
        description=description,
        svg=svg,
        header=header,
        rows=rows,
        note=" ".join(notes),
    )


def draw_backlog_ages(insights: Insights) -> Chart:
    """Draw the open action items by age, overdue ones apart."""
    chart_id, title = "pmkb-chart-backlog-ages", "Open action items by age"
    backlog = insights.backlog
    note = _undated_note(backlog.age_unknown, "open item")
    if not backlog.open_count:
        empty = "No action item is open."
        return Chart(id=chart_id, title=title, description=empty, svg=None)
    late, on_time = backlog.ages
    labels = [label for _, _, label in AGE_BUCKETS]
    median_age = (
        f"; median age {backlog.median_age:g} days" if backlog.median_age is not None else ""
    )
    description = (
        f"{plural(backlog.open_count, 'open action item')}, {backlog.overdue_count} overdue"
        f"{median_age}. By age: "
        + join_words(
            [f"{label} {late.counts[n] + on_time.counts[n]}" for n, label in enumerate(labels)]
        )
        + "."
    )
    header = ("Age", "Open", "Overdue")
    rows = tuple(
        (
            Cell(text=label),
            Cell(text=str(late.counts[n] + on_time.counts[n])),
            Cell(text=str(late.counts[n])),
        )
        for n, label in enumerate(labels)
    )
    svg = _bars(
        chart_id,
        title,
        description,
        labels,
        [(late, "pmkb-chart__overdue"), (on_time, "pmkb-chart__waiting")],
        stacked=True,
        what="item",
    )
    return Chart(
        id=chart_id,
        title=title,
        description=description,
        svg=svg,
        header=header,
        rows=rows,
        note=note,
    )


def draw_trend(insights: Insights, trend: Trend) -> Chart:
    """Draw the incidents by service (or theme) over time, as a grid of counts."""
    what = {"service": "service", "theme": "failure theme", "tag": "tag"}[trend.kind]
    chart_id = f"pmkb-chart-{trend.kind}s"
    title = f"Incidents by {what}, per {insights.unit}"
    if not trend.series or not insights.periods:
        empty = f"No incident names a {what} yet."
        return Chart(id=chart_id, title=title, description=empty, svg=None)
    more = f" ({trend.others} more not shown)" if trend.others else ""
    description = (
        f"The {plural(len(trend.series), what)} with the most incidents{more}: "
        + join_words([f"{s.name} {s.total}" for s in trend.series])
        + "."
    )
    header = (what.capitalize(), "Total", *(p.label for p in insights.periods))
    rows = tuple(
        (Cell(text=s.name), Cell(text=str(s.total)), *(Cell(text=str(c)) for c in s.counts))
        for s in trend.series
    )
    svg = _heatmap(chart_id, title, description, insights.periods, trend.series)
    note = ""
    return Chart(
        id=chart_id,
        title=title,
        description=description,
        svg=svg,
        header=header,
        rows=rows,
        note=note,
    )


def draw_lessons(lessons: Sequence[LessonCount], url: Callable[[LessonCount], str]) -> Chart:
    """Draw the lessons learned in most incidents as bars, each linked to the lessons page."""
    chart_id, title = "pmkb-chart-lessons", "Lessons learned most often"
    if not lessons:
        empty = "No lesson has been learned in more than one incident yet."
        return Chart(id=chart_id, title=title, description=empty, svg=None)
    description = (
        "Learned in more than one incident: "
        + join_words([f"{g.title} ({plural(g.count, 'incident')})" for g in lessons])
        + "."
    )
    header = ("Lesson", "Incidents")
    rows = tuple((Cell(text=g.title, url=url(g)), Cell(text=str(g.count))) for g in lessons)
    row, left = 40, 8
    drawing = Drawing(WIDTH, row * len(lessons) + 8)
    most = max(g.count for g in lessons)
    room = WIDTH - left - 90
    for number, group in enumerate(lessons):
        y = number * row + 4
        drawing.link(url(group))
        drawing.text(left, y + 13, fit(group.title, WIDTH - left - 8), "pmkb-chart__label")
        width = room * group.count / most
        drawing.rect(left, y + 19, width, 12, cls="pmkb-chart__lesson", title=group.title)
        drawing.end_link()
        drawing.text(left + width + 6, y + 29, plural(group.count, "incident"), "pmkb-chart__value")
    svg = drawing.finish(chart_id, title, description)
    return Chart(
        id=chart_id, title=title, description=description, svg=svg, header=header, rows=rows
    )


def draw_sparkline(
    chart_id: str, name: str, periods: Sequence[Period], counts: Sequence[int]
) -> Chart:
    """Draw a service's incidents over time, small, for its entry on the Services page."""
    title = f"Incidents of {name} per period"
    total = sum(counts)
    if not periods or not total:
        return Chart(
            id=chart_id, title=title, description=f"No dated incident of {name}.", svg=None
        )
    description = (
        f"{plural(total, 'dated incident')} of {name} from {periods[0].label} to "
        f"{periods[-1].label}; {_busiest(periods, counts)}."
    )
    width, height, base = 360, 64, 44
    drawing = Drawing(width, height)
    slot = (width - 8) / len(periods)
    most = max(counts)
    for n, count in enumerate(counts):
        if count:
            bar = (base - 6) * count / most
            drawing.rect(
                4 + n * slot + slot * 0.1,
                base - bar,
                max(slot * 0.8, 1),
                bar,
                cls="pmkb-chart__bar",
                title=f"{periods[n].label}: {plural(count, 'incident')}",
            )
    drawing.line(4, base, width - 4, base, cls="pmkb-chart__baseline")
    drawing.text(4, base + 15, periods[0].label, "pmkb-chart__axis")
    if len(periods) > 1:
        drawing.text(width - 4, base + 15, periods[-1].label, "pmkb-chart__axis", anchor="end")
    header = ("Period", "Incidents")
    rows = tuple(
        (Cell(text=p.label, value=p.start.isoformat()), Cell(text=str(counts[n])))
        for n, p in enumerate(periods)
        if counts[n]
    )
    svg = drawing.finish(chart_id, title, description)
    return Chart(
        id=chart_id, title=title, description=description, svg=svg, header=header, rows=rows
    )


def _bars(
    chart_id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[tuple[Series, str]],
    *,
    stacked: bool,
    what: str,
) -> Markup:
    """Draw vertical bars per category: stacked, or side by side."""
    if stacked:
        top = max(sum(s.counts[n] for s, _ in series) for n in range(len(labels)))
    else:
        top = max(max(s.counts) for s, _ in series)
    ticks = nice_ticks(top)
    bottom = _TOP + _PLOT_HEIGHT
    height = bottom + 24
    drawing = Drawing(WIDTH, height)
    _legend(drawing, [(cls, s.name) for s, cls in series])
    plot = WIDTH - _LEFT - _RIGHT
    slot = plot / len(labels)

    def y_of(value: float) -> float:
        return bottom - _PLOT_HEIGHT * value / ticks[-1]

    for tick in ticks:
        drawing.line(_LEFT, y_of(tick), WIDTH - _RIGHT, y_of(tick), cls="pmkb-chart__grid")
        drawing.text(_LEFT - 6, y_of(tick) + 4, str(tick), "pmkb-chart__axis", anchor="end")
    width = slot * 0.7 if stacked else slot * 0.8 / len(series)
    for n, label in enumerate(labels):
        x = _LEFT + n * slot + (slot - (width if stacked else width * len(series))) / 2
        level = 0
        for number, (s, cls) in enumerate(series):
            count = s.counts[n]
            if not count:
                continue
            start = level if stacked else 0
            drawing.rect(
                x + (0 if stacked else number * width),
                y_of(start + count),
                width,
                y_of(start) - y_of(start + count),
                cls=cls,
                title=f"{label}: {plural(count, what)} {s.name}",
            )
            level += count
    step = every_nth(len(labels), plot, max(len(label) for label in labels) * CHAR_WIDTH + 10)
    for n in range(0, len(labels), step):
        drawing.text(
            _LEFT + (n + 0.5) * slot, bottom + 16, labels[n], "pmkb-chart__axis", anchor="middle"
        )
    drawing.line(_LEFT, bottom, WIDTH - _RIGHT, bottom, cls="pmkb-chart__baseline")
    return drawing.finish(chart_id, title, description)


def _heatmap(
    chart_id: str, title: str, description: str, periods: Sequence[Period], series: Sequence[Series]
) -> Markup:
    longest = max(len(s.name) for s in series) * CHAR_WIDTH
    label_width, total_width, row = min(260.0, max(100.0, longest + 4)), 44, 24
    left = label_width + 8
    slot = (WIDTH - left - total_width) / len(periods)
    bottom = 8 + row * len(series)
    drawing = Drawing(WIDTH, bottom + 24)
    most = max(max(s.counts) for s in series) or 1
    for number, s in enumerate(series):
        y = 8 + number * row
        drawing.text(
            label_width,
            y + row / 2 + 4,
            fit(s.name, label_width),
            "pmkb-chart__label",
            anchor="end",
        )
        for n, count in enumerate(s.counts):
            if not count:
                drawing.rect(
                    left + n * slot + 1, y + 1, slot - 2, row - 2, cls="pmkb-chart__cell-empty"
                )
                continue
            strength = 0.25 + 0.75 * count / most
            cls = f"pmkb-chart__cell pmkb-chart__cell--{min(4, math.ceil(strength * 4))}"
            drawing.rect(
                left + n * slot + 1,
                y + 1,
                slot - 2,
                row - 2,
                cls=cls,
                title=f"{s.name}, {periods[n].label}: {plural(count, 'incident')}",
            )
            if slot >= 16:
                drawing.text(
                    left + (n + 0.5) * slot,
                    y + row / 2 + 4,
                    str(count),
                    "pmkb-chart__cell-text"
                    + (" pmkb-chart__cell-text--strong" if strength > 0.6 else ""),
                    anchor="middle",
                )
        drawing.text(WIDTH - 4, y + row / 2 + 4, str(s.total), "pmkb-chart__value", anchor="end")
    step = every_nth(len(periods), WIDTH - left - total_width, 7 * CHAR_WIDTH + 10)
    for n in range(0, len(periods), step):
        drawing.text(
            left + (n + 0.5) * slot,
            bottom + 16,
            periods[n].label,
            "pmkb-chart__axis",
            anchor="middle",
        )
    return drawing.finish(chart_id, title, description)


def _busiest(periods: Sequence[Period], counts: Sequence[int]) -> str:
    most = max(counts)
    peaks = [periods[n].label for n, count in enumerate(counts) if count == most]
    if len(peaks) == 1:
        return f"the most in {peaks[0]} ({most})"
    shown = join_words(peaks if len(peaks) <= 3 else [*peaks[:3], f"{len(peaks) - 3} more"])
    return f"at most {most} in a period ({shown})"


def _legend(drawing: Drawing, entries: Sequence[tuple[str, str]]) -> None:
    x: float = _LEFT
    for cls, label in entries:
        drawing.rect(x, 8, 12, 12, cls=cls)
        drawing.text(x + 17, 18, label, "pmkb-chart__legend")
        x += 17 + len(label) * CHAR_WIDTH + 18


def _severity_class(name: str, number: int) -> str:
    if name == NO_SEVERITY:
        return "pmkb-chart__sev-none"
    return f"pmkb-chart__sev-{min(number + 1, _SEVERITY_CLASSES)}"


def _undated_note(count: int, what: str) -> str:
    if not count:
        return ""
    return f"{plural(count, what)} without a date {'is' if count == 1 else 'are'} not shown."


def _minutes(value: float) -> str:
    return format_minutes(round(value))


def _short(minutes: int) -> str:
    for size, unit in ((525600, "y"), (10080, "w"), (1440, "d"), (60, "h")):
        if minutes >= size and minutes % size == 0:
            return f"{minutes // size} {unit}"
    return f"{minutes} min"


_PAST = {"detect": "detected", "mitigate": "mitigated", "resolve": "resolved"}
