"""The Insights page of the example site, in Chromium: every chart drawn, with the right numbers.

The expected figures are computed here from the catalog, independently of generator/insights.py
(months counted from the dates, medians with :mod:`statistics`, the open backlog from the items),
and compared with what each chart's data table says on the page.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import statistics
from collections import Counter
from typing import Any
from urllib.parse import urljoin

import pytest

from generator.models import Phase

pytestmark = pytest.mark.browser

MILESTONES = {"detect": Phase.DETECTED, "mitigate": Phase.MITIGATED, "resolve": Phase.RESOLVED}


def table(page: Any, chart_id: str) -> list[list[dict[str, str]]]:
    """Return a chart's data table: each row's cells as {text, value}."""
    rows: list[list[dict[str, str]]] = page.evaluate(
        """id => [...document.querySelectorAll(`#${id} details tbody tr`)].map(tr =>
            [...tr.cells].map(td => ({text: td.textContent.trim(),
                                      value: td.dataset.value || ''})))""",
        chart_id,
    )
    return rows


def header(page: Any, chart_id: str) -> list[str]:
    names: list[str] = page.evaluate(
        "id => [...document.querySelectorAll(`#${id} details thead th`)].map(th => th.textContent)",
        chart_id,
    )
    return names


def minutes_between(postmortem: Any, end: Phase) -> int | None:
    first: dict[Phase, dt.datetime] = {}
    for event in postmortem.timeline:
        if event.phase is not None and event.at is not None:
            first.setdefault(event.phase, event.at)
    if Phase.BEGINS not in first or end not in first or first[end] < first[Phase.BEGINS]:
        return None
    return int((first[end] - first[Phase.BEGINS]).total_seconds() // 60)


def test_the_insights_page_draws_its_charts_with_the_catalogs_numbers(
    page: Any, example_url: str, example_catalog: Any
) -> None:
    page.goto(urljoin(example_url, "insights/"))

    # Every chart is a drawn, accessible picture that takes room on the page.
    charts = page.locator("figure[data-pmkb-chart='drawn']")
    assert charts.count() >= 5
    for number in range(charts.count()):
        svg = charts.nth(number).locator("svg")
        assert svg.get_attribute("role") == "img"
        assert svg.locator(":scope > title").text_content()
        assert svg.locator(":scope > desc").text_content()
        box = svg.bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 60

    # Incidents per month, by severity.
    per_month = Counter(p.date.strftime("%Y-%m") for p in example_catalog if p.date)
    rows = table(page, "pmkb-chart-incidents")
    shown = {row[0]["text"]: int(row[-1]["text"]) for row in rows}
    assert {month: count for month, count in shown.items() if count} == dict(per_month)
    first, last = min(per_month), max(per_month)
    assert rows[0][0]["text"] == first and rows[-1][0]["text"] == last
    months = (int(last[:4]) - int(first[:4])) * 12 + int(last[5:]) - int(first[5:]) + 1
    assert len(rows) == months  # empty months stay on the axis
    severities = header(page, "pmkb-chart-incidents")[1:-1]
    for name in severities:
        column = severities.index(name) + 1
        expected = sum(1 for p in example_catalog if (p.severity or "").upper() == name)
        assert sum(int(row[column]["text"]) for row in rows) == expected, name

    # Time to detect, mitigate and resolve: median and 90th percentile of every incident.
    for key, phase in MILESTONES.items():
        values = sorted(m for p in example_catalog if (m := minutes_between(p, phase)) is not None)
        assert values, key
        overall = table(page, f"pmkb-chart-{key}")[0]
        assert overall[0]["text"] == "all incidents"
        assert int(overall[1]["text"]) == len(values)
        assert float(overall[2]["value"]) == statistics.median(values)
        assert int(overall[3]["value"]) == values[math.ceil(0.9 * len(values)) - 1]
        circles = page.locator(f"#pmkb-chart-{key} svg circle.pmkb-chart__point")
        assert circles.count() >= len(set(values)), key

    # The open backlog: how many items, how many overdue, as of the day the page states.
    stated = re.search(r"as of (\d{4}-\d{2}-\d{2})", page.locator(".pmkb-intro").first.inner_text())
    assert stated is not None
    today = dt.date.fromisoformat(stated.group(1))
    open_items = [(p, a) for p in example_catalog for a in p.action_items if a.state.is_open()]
    ages = table(page, "pmkb-chart-backlog-ages")
    assert sum(int(row[1]["text"]) for row in ages) == len(open_items)
    overdue = sum(1 for _, a in open_items if a.due is not None and a.due < today)
    assert sum(int(row[2]["text"]) for row in ages) == overdue
    asked = table(page, "pmkb-chart-backlog-flow")
    assert sum(int(row[1]["text"]) for row in asked) == sum(
        len(p.action_items) for p in example_catalog if p.date
    )
    done_by_month = Counter(
        a.done_on.strftime("%Y-%m") for p in example_catalog for a in p.action_items if a.done_on
    )
    assert {row[0]["text"]: int(row[2]["text"]) for row in asked if row[2]["text"] != "0"} == dict(
        done_by_month
    )

    # Services: each one's incident count.
    services = {row[0]["text"]: int(row[1]["text"]) for row in table(page, "pmkb-chart-services")}
    for name, count in services.items():
        assert count == sum(
            1
            for p in example_catalog
            if p.date and name.casefold() in {s.casefold() for s in p.services}
        ), name

    # Failure themes: each one's incident count, as the links found them.
    themes = {row[0]["text"]: int(row[1]["text"]) for row in table(page, "pmkb-chart-themes")}
    links = example_catalog.links
    expected_themes = {
        theme.title: sum(
            1 for p in example_catalog if p.date and theme.id in {t.id for t in links.themes_of(p)}
        )
        for theme in links.themes
    }
    assert themes
    for name, count in themes.items():
        assert count == expected_themes[name], name

    # The lessons learned most often link to their entry on the lessons page.
    lesson = page.locator("#pmkb-chart-lessons svg a").first
    href = lesson.get_attribute("href")
    assert href is not None and href.startswith("../lessons/#")
    page.goto(urljoin(page.url, href))
    assert page.locator(href[href.index("#") :]).count() == 1


def test_each_service_shows_its_incidents_over_time_and_open_items(
    page: Any, example_url: str, example_catalog: Any
) -> None:
    page.goto(urljoin(example_url, "services/"))

    for name, incidents in example_catalog.services.items():
        entry = page.locator(f"ul.pmkb-service[data-service='{name}']")
        assert entry.count() == 1
        figure = page.locator("figure.pmkb-chart--small").filter(
            has=page.locator(f"svg > title:text-is('Incidents of {name} per period')")
        )
        assert figure.count() == 1, name
        rows = figure.locator("details tbody tr")
        shown = sum(
            int(rows.nth(n).locator("td").nth(1).text_content()) for n in range(rows.count())
        )
        assert shown == sum(1 for p in incidents if p.date), name
        open_items = sum(len(p.open_action_items) for p in incidents)
        actions = page.locator(f".pmkb-service-actions[data-service='{name}']")
        if open_items:
            assert actions.locator("summary").inner_text().startswith(f"{open_items} open action")
        else:
            assert actions.inner_text() == "No open action items."


def test_a_charts_mark_shows_its_words_when_the_mouse_comes_over_it(
    page: Any, example_url: str, example_catalog: Any
) -> None:
    page.goto(urljoin(example_url, "insights/"))
    # The marks hold their words in an attribute: none has a <title> until it is hovered.
    assert page.locator("svg [data-pmkb-tip]").count() > 20
    assert page.locator("svg [data-pmkb-tip] title").count() == 0

    point = page.locator("#pmkb-chart-resolve svg circle.pmkb-chart__point").last
    point.evaluate("point => point.scrollIntoView({block: 'center'})")  # clear of the header
    box = point.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    mark = page.evaluate_handle("([x, y]) => document.elementFromPoint(x, y)", [x, y])
    tip = mark.evaluate("mark => mark.getAttribute('data-pmkb-tip')")
    titles = {p.title for p in example_catalog}
    assert any(tip.startswith(f"{title}: ") for title in titles) or re.fullmatch(
        r"\d+ incidents", tip
    ), tip
    for _ in range(2):  # the first hover makes the tooltip, the next ones keep it
        page.mouse.move(0, 0)
        page.mouse.move(x, y)
        assert mark.evaluate("m => [...m.children].map(c => [c.tagName, c.textContent])") == [
            ["title", tip]
        ]
