"""Backlog charts: the action items asked for and done per period, and the open ones by age."""

from __future__ import annotations

from generator.chart_parts import (
    Cell,
    Chart,
    describe_undated,
    draw_bars,
)
from generator.insight_backlog import AGE_BUCKETS
from generator.insight_scales import Series
from generator.insights import Insights
from generator.svg import (
    join_words,
    plural,
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
    svg = draw_bars(
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
    note = describe_undated(backlog.age_unknown, "open item")
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
    svg = draw_bars(
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
