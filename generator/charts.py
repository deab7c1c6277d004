"""Charts: the figures of :mod:`generator.insights`, drawn as static SVG with their data tables.

Each chart is a :class:`Chart`: an SVG picture (``role="img"``, a title and a description that
state the main figures) and the table of the numbers behind it, which the page template shows in
a ``<details>`` under the picture. A chart with nothing to show has no picture, only a sentence
saying why. Drawing is done by hand with :mod:`generator.svg` (no chart library: see
``docs/site.md``), in fixed coordinates that the page scales to its width.

This module draws the counts (incidents per period, by service or theme, lessons) and a service's
sparkline, and puts the page's charts in order; :mod:`generator.duration_charts` and
:mod:`generator.backlog_charts` draw the other two families, from the parts in
:mod:`generator.chart_parts`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from generator.backlog_charts import draw_backlog_ages, draw_backlog_flow
from generator.chart_parts import (
    WIDTH,
    Cell,
    Chart,
    describe_busiest,
    describe_undated,
    draw_bars,
    draw_heatmap,
    pick_severity_class,
)
from generator.duration_charts import draw_durations
from generator.insight_scales import Period
from generator.insights import Insights, LessonCount, Trend
from generator.svg import (
    Drawing,
    fit,
    join_words,
    plural,
)


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
    note = describe_undated(insights.incidents.undated, "incident")
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
        f"{insights.periods[-1].label}; {describe_busiest(insights.periods, totals)}. By severity: "
        + join_words([f"{s.name} {s.total}" for s in series])
        + "."
    )
    classes = [pick_severity_class(s.name, n) for n, s in enumerate(series)]
    svg = draw_bars(
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
    svg = draw_heatmap(chart_id, title, description, insights.periods, trend.series)
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
        f"{periods[-1].label}; {describe_busiest(periods, counts)}."
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
