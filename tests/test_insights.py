"""Insights: the figures computed from hand-made catalogs, and how the page and charts show them."""

from __future__ import annotations

import datetime as dt
import re
import statistics
from pathlib import Path

from generator.catalog import build_catalog
from generator.charts import draw_incidents, draw_insights
from generator.insights import compute_insights
from generator.models import ActionState, Phase, Postmortem, TimelineEvent
from generator.render import SiteOptions, render_pages
from generator.settings import Settings

from .models_factory import action, lesson, make_postmortem

TODAY = dt.date(2026, 6, 1)


def timeline(start: dt.datetime, **minutes: int) -> tuple[TimelineEvent, ...]:
    """Return a timeline beginning at ``start`` with milestones ``detected=12`` ... minutes in."""
    events = [TimelineEvent(time="", at=start, date=None, text="began", phase=Phase.BEGINS, line=5)]
    for number, (name, offset) in enumerate(minutes.items()):
        events.append(
            TimelineEvent(
                time="",
                at=start + dt.timedelta(minutes=offset),
                date=None,
                text=name,
                phase=Phase(name),
                line=6 + number,
            )
        )
    return tuple(events)


def incident(
    name: str, date: dt.date | None, severity: str | None = None, **values: object
) -> Postmortem:
    return make_postmortem(name, date=date, severity=severity, **values)


def test_incidents_are_counted_per_month_by_severity_with_empty_months_kept() -> None:
    catalog = build_catalog(
        [
            incident("a", dt.date(2026, 1, 5), "SEV1"),
            incident("b", dt.date(2026, 1, 30), "SEV-1"),
            incident("c", dt.date(2026, 1, 31), "sev 2"),
            incident("d", dt.date(2026, 4, 1), "SEV2"),
            incident("e", dt.date(2026, 4, 2)),
            incident("f", None, "SEV1"),
        ]
    )
    insights = compute_insights(catalog, TODAY)

    assert insights.unit == "month"
    assert [p.label for p in insights.periods] == ["2026-01", "2026-02", "2026-03", "2026-04"]
    assert {s.name: s.counts for s in insights.incidents.series} == {
        "SEV1": (2, 0, 0, 0),
        "SEV2": (1, 0, 0, 1),
        "no severity": (0, 0, 0, 1),
    }
    assert [s.name for s in insights.incidents.series] == ["SEV1", "SEV2", "no severity"]
    assert insights.incidents.undated == 1


def test_a_knowledge_base_spanning_years_is_counted_per_quarter() -> None:
    catalog = build_catalog(
        [incident("old", dt.date(2021, 2, 1)), incident("new", dt.date(2025, 11, 3))]
    )
    insights = compute_insights(catalog, TODAY)

    assert insights.unit == "quarter"
    assert insights.periods[0].label == "2021 Q1"
    assert insights.periods[-1].label == "2025 Q4"
    assert len(insights.periods) == 20
    assert insights.incidents.series[0].counts[0] == 1
    assert insights.incidents.series[0].counts[-1] == 1


def test_durations_have_their_median_and_nearest_rank_90th_percentile_by_severity() -> None:
    start = dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.UTC)
    detect = [5, 10, 20, 40, 60, 90, 120, 300, 600, 1200, 2400]
    postmortems = [
        incident(
            f"i{n}",
            dt.date(2026, 3, 1),
            "SEV1" if n % 2 else "SEV2",
            timeline=timeline(start, detected=m, resolved=m + 30),
        )
        for n, m in enumerate(detect)
    ]
    postmortems.append(incident("no-timeline", dt.date(2026, 3, 2), "SEV1"))
    insights = compute_insights(build_catalog(postmortems), TODAY)
    detected = insights.durations[0]

    overall = detected.groups[0]
    assert detected.key == "detect" and overall.name == "all incidents"
    assert [p.minutes for p in overall.points] == detect
    assert overall.median == 90
    assert overall.p90 == 1200  # the 10th of 11 values: ceil(0.9 * 11) = 10
    sev1 = next(g for g in detected.groups if g.name == "SEV1")
    assert [p.minutes for p in sev1.points] == [10, 40, 90, 300, 1200]
    assert sev1.median == 90 and sev1.p90 == 1200
    sev2 = next(g for g in detected.groups if g.name == "SEV2")
    assert sev2.median == statistics.median([5, 20, 60, 120, 600, 2400]) == 90
    resolved = insights.durations[2]
    assert resolved.groups[0].median == 120
    # No milestone for mitigation anywhere: nothing to draw, a sentence instead.
    assert insights.durations[1].groups == ()
    mitigate = draw_insights(insights, lambda g: "")[2]
    assert mitigate.svg is None and "no time to mitigate" in mitigate.description


def test_the_backlog_uses_the_postmortems_dates_and_the_day_given() -> None:
    catalog = build_catalog(
        [
            incident(
                "jan",
                dt.date(2026, 1, 10),
                action_items=(
                    action(
                        "Done with a date", 10, state=ActionState.DONE, done_on=dt.date(2026, 3, 2)
                    ),
                    action("Done, no date", 11, state=ActionState.DONE),
                    action("Late", 12, due=dt.date(2026, 5, 1)),
                    action("Not late", 13, due=dt.date(2026, 6, 1)),
                    action("Dropped", 14, state=ActionState.NOT_DOING),
                ),
            ),
            incident(
                "may",
                dt.date(2026, 5, 20),
                action_items=(action("New", 10, state=ActionState.IN_PROGRESS),),
            ),
            incident("undated", None, action_items=(action("Somewhere", 10),)),
        ]
    )
    backlog = compute_insights(catalog, TODAY).backlog

    assert backlog.opened == (5, 0, 0, 0, 1)
    assert backlog.done == (0, 0, 1, 0, 0)
    assert backlog.done_undated == 1 and backlog.undated == 1
    assert backlog.open_count == 4 and backlog.overdue_count == 1
    # Ages: "jan" items are 142 days old, "may" 12 days; the undated one has no age.
    assert {s.name: s.counts for s in backlog.ages} == {
        "overdue": (0, 0, 1, 0, 0),
        "not overdue": (1, 0, 1, 0, 0),
    }
    assert backlog.age_unknown == 1
    assert backlog.median_age == 142
    # A later day makes the same items older and more of them overdue.
    later = compute_insights(catalog, dt.date(2027, 1, 20)).backlog
    assert later.overdue_count == 2
    assert {s.name: s.counts for s in later.ages}["overdue"] == (0, 0, 0, 0, 2)


def test_services_and_themes_over_time_and_the_lessons_learned_again() -> None:
    catalog = build_catalog(
        [
            incident(
                "a",
                dt.date(2026, 1, 1),
                services=("db",),
                tags=("capacity",),
                lessons=(lesson("Test restores", 5),),
            ),
            incident(
                "b",
                dt.date(2026, 2, 1),
                services=("db", "api"),
                tags=("capacity",),
                lessons=(lesson("Test restores", 5),),
            ),
            incident("c", dt.date(2026, 2, 2), services=("DB",), lessons=(lesson("Once", 5),)),
        ]
    )
    insights = compute_insights(catalog, TODAY)

    assert [(s.name, s.counts) for s in insights.services.series] == [
        ("DB", (1, 2)),
        ("api", (0, 1)),
    ]
    assert insights.themes.kind == "tag"
    assert [(s.name, s.counts) for s in insights.themes.series] == [("capacity", (1, 1))]
    assert [(g.title, g.count) for g in insights.lessons] == [("Test restores", 2)]


def test_the_incidents_chart_states_its_figures_and_tables_its_numbers() -> None:
    catalog = build_catalog(
        [
            incident("a", dt.date(2026, 1, 5), "SEV1"),
            incident("b", dt.date(2026, 3, 5), "SEV2"),
            incident("c", dt.date(2026, 3, 6), "SEV2"),
        ]
    )
    chart = draw_incidents(compute_insights(catalog, TODAY))

    assert chart.svg is not None
    assert 'role="img"' in chart.svg and "<title id=" in chart.svg and "<desc id=" in chart.svg
    assert "3 dated incidents from 2026-01 to 2026-03; the most in 2026-03 (2)" in chart.description
    assert chart.header == ("Period", "SEV1", "SEV2", "Total")
    assert [[cell.text for cell in row] for row in chart.rows] == [
        ["2026-01", "1", "0", "1"],
        ["2026-02", "0", "0", "0"],
        ["2026-03", "0", "2", "2"],
    ]
    # One bar per severity and month with incidents, each with its own hover text.
    tips = re.findall(r'<rect class="pmkb-chart__sev-\d"[^>]* data-pmkb-tip="([^"]+)"/>', chart.svg)
    assert tips == ["2026-01: 1 incident SEV1", "2026-03: 2 incidents SEV2"]


def test_labels_are_escaped_in_the_svg(tmp_path: Path) -> None:
    evil = '<script>alert(1)</script>"'
    catalog = build_catalog(
        [
            incident(
                "a",
                dt.date(2026, 1, 1),
                evil,
                services=(evil,),
                tags=(evil,),
                lessons=(lesson(evil, 5),),
            ),
            incident(
                "b",
                dt.date(2026, 1, 2),
                evil,
                services=(evil,),
                tags=(evil,),
                lessons=(lesson(evil, 5),),
            ),
        ]
    )
    pages = render_pages(catalog, Settings.for_folder(tmp_path), SiteOptions(today=TODAY))

    for name in ("insights.md", "services.md"):
        assert "<script>" not in pages[name]
        assert "&lt;script&gt;" in pages[name]


def test_an_empty_knowledge_base_gets_sentences_not_broken_charts(tmp_path: Path) -> None:
    page = render_pages(build_catalog([]), Settings.for_folder(tmp_path), SiteOptions(today=TODAY))[
        "insights.md"
    ]

    assert "<svg" not in page
    assert page.count('data-pmkb-chart="empty"') == 9
    assert "No postmortems yet" in page
    assert "No incident has a date yet" in page
    assert "no time to detect to show" in page


def test_the_services_page_shows_each_services_incidents_over_time_and_open_items(
    tmp_path: Path,
) -> None:
    catalog = build_catalog(
        [
            incident(
                "a",
                dt.date(2026, 1, 1),
                services=("db",),
                action_items=(action("Add an index", 5, due=dt.date(2026, 2, 1)),),
            ),
            incident(
                "b",
                dt.date(2026, 3, 1),
                services=("db", "api"),
                action_items=(action("Finished", 5, state=ActionState.DONE),),
            ),
        ]
    )
    page = render_pages(catalog, Settings.for_folder(tmp_path), SiteOptions(today=TODAY))[
        "services.md"
    ]

    db = page[page.index("## db") :]
    assert "2 dated incidents of db from 2026-01 to 2026-03" in db
    assert "1 open action item, 1 overdue" in db
    assert "Add an index" in db and "Finished" not in db
    api = page[page.index("## api") : page.index("## db")]
    assert "No open action items." in api
