"""Chart parts: what every chart of the Insights page is made of.

A :class:`Chart` (an SVG picture plus the table of the numbers behind it, as :class:`Cell` rows),
the plot's fixed geometry, and the drawings and sentences several chart families share: bars,
heat maps, legends, severity colours and the notes on what a chart leaves out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from generator.insight_scales import NO_SEVERITY, Period, Series
from generator.svg import (
    CHAR_WIDTH,
    Drawing,
    every_nth,
    fit,
    join_words,
    nice_ticks,
    plural,
)

WIDTH = 720
"""Width of every page chart, in SVG units."""

LEFT, RIGHT, TOP = 44, 12, 34
"""Margins of a plot, in SVG units: room for the axis labels on the left and the legend on top."""
PLOT_HEIGHT = 150
"""Height of a bar chart's plot area, in SVG units."""
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


def draw_bars(
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
    bottom = TOP + PLOT_HEIGHT
    height = bottom + 24
    drawing = Drawing(WIDTH, height)
    draw_legend(drawing, [(cls, s.name) for s, cls in series])
    plot = WIDTH - LEFT - RIGHT
    slot = plot / len(labels)

    def y_of(value: float) -> float:
        return bottom - PLOT_HEIGHT * value / ticks[-1]

    for tick in ticks:
        drawing.line(LEFT, y_of(tick), WIDTH - RIGHT, y_of(tick), cls="pmkb-chart__grid")
        drawing.text(LEFT - 6, y_of(tick) + 4, str(tick), "pmkb-chart__axis", anchor="end")
    width = slot * 0.7 if stacked else slot * 0.8 / len(series)
    for n, label in enumerate(labels):
        x = LEFT + n * slot + (slot - (width if stacked else width * len(series))) / 2
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
            LEFT + (n + 0.5) * slot, bottom + 16, labels[n], "pmkb-chart__axis", anchor="middle"
        )
    drawing.line(LEFT, bottom, WIDTH - RIGHT, bottom, cls="pmkb-chart__baseline")
    return drawing.finish(chart_id, title, description)


def draw_heatmap(
    chart_id: str, title: str, description: str, periods: Sequence[Period], series: Sequence[Series]
) -> Markup:
    """Draw a grid of counts: one row per series, one column per period."""
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


def describe_busiest(periods: Sequence[Period], counts: Sequence[int]) -> str:
    most = max(counts)
    peaks = [periods[n].label for n, count in enumerate(counts) if count == most]
    if len(peaks) == 1:
        return f"the most in {peaks[0]} ({most})"
    shown = join_words(peaks if len(peaks) <= 3 else [*peaks[:3], f"{len(peaks) - 3} more"])
    return f"at most {most} in a period ({shown})"


def draw_legend(drawing: Drawing, entries: Sequence[tuple[str, str]]) -> None:
    x: float = LEFT
    for cls, label in entries:
        drawing.rect(x, 8, 12, 12, cls=cls)
        drawing.text(x + 17, 18, label, "pmkb-chart__legend")
        x += 17 + len(label) * CHAR_WIDTH + 18


def pick_severity_class(name: str, number: int) -> str:
    if name == NO_SEVERITY:
        return "pmkb-chart__sev-none"
    return f"pmkb-chart__sev-{min(number + 1, _SEVERITY_CLASSES)}"


def describe_undated(count: int, what: str) -> str:
    if not count:
        return ""
    return f"{plural(count, what)} without a date {'is' if count == 1 else 'are'} not shown."
