"""The example knowledge base's site, as a reader sees it in Chromium.

Most expectations come from the catalog the site is generated from (the repository's own
``postmortems/`` read by :func:`generator.catalog.load_catalog`), so the tests keep holding when
the examples change; one incident's figures are also counted by hand, so that a parser misreading
the examples (done items read as open) cannot move the expectations with it. Each page also
passes the checks of the ``page`` fixture: no request outside 127.0.0.1, no failed local request,
no dialog, no script error.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

from generator.labels import STATUS_LABELS
from generator.markup import plain_text

from .conftest import html_pages, search

pytestmark = pytest.mark.browser

WORD_ONLY_IN_ONE_LESSON = "quiescence"


def incident_path(catalog: Any, settings: Any, postmortem: Any) -> str:
    """Return the site path of an incident's page (``incidents/<slug>/``)."""
    return f"{settings.url_prefix}/{catalog.slug(postmortem)}/"


def words(text: str) -> str:
    """Return text with its whitespace collapsed, as a reader compares it."""
    return " ".join(text.split())


def visible_rows(page: Any, selector: str) -> list[Any]:
    """Return the rows matched by ``selector`` that the reader can see."""
    return [row for row in page.locator(selector).all() if row.is_visible()]


def test_search_finds_the_incident_by_a_word_only_in_its_lessons(
    page: Any, example_url: str, example_catalog: Any, example_settings: Any
) -> None:
    # The word must be in exactly one postmortem, and there only in a lesson: else this test
    # would prove nothing about searching lessons.
    holders = [
        p for p in example_catalog if any(WORD_ONLY_IN_ONE_LESSON in s.markdown for s in p.sections)
    ]
    assert len(holders) == 1
    incident = holders[0]
    assert any(WORD_ONLY_IN_ONE_LESSON in lesson.text + lesson.title for lesson in incident.lessons)
    expected = incident_path(example_catalog, example_settings, incident)

    page.goto(example_url)
    assert search(page, WORD_ONLY_IN_ONE_LESSON) > 0
    found = {
        urlsplit(urljoin(example_url, href)).path.lstrip("/")
        for href in page.locator(".md-search-result__item a.md-search-result__link").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"
        )
    }
    incidents_found = {
        path
        for path in found
        if path.startswith(f"{example_settings.url_prefix}/")
        and path != f"{example_settings.url_prefix}/"
    }
    assert incidents_found == {expected}
    # The reader opens the incident from the result.
    result = f'.md-search-result__item a.md-search-result__link[href*="{expected}"]'
    page.locator(result).first.click()
    page.wait_for_url(re.compile(re.escape(expected)))
    assert incident.title in page.title()


def test_a_search_result_shows_the_incident_facts_and_the_text_that_matched(
    page: Any, example_url: str, example_catalog: Any
) -> None:
    words = (
        (p, w.strip(".,:;()").casefold())
        for p in example_catalog
        if p.lessons and p.severity and p.date
        for w in p.lessons[0].text.split()
    )
    incident, word = next((p, w) for p, w in words if len(w) > 6 and w.isascii() and w.isalpha())
    page.goto(example_url)
    assert search(page, word) > 0
    item = page.locator(".md-search-result__item", has_text=incident.title).first
    text = item.inner_text()
    assert incident.date.isoformat() in text
    assert incident.severity in text
    assert STATUS_LABELS[incident.status] in text
    snippet = item.locator(".pmkb-search-snippet").inner_text()
    assert word in snippet.casefold().replace("\u200b", "")
    assert "Related incidents" not in text and "Source:" not in text


def test_search_finds_japanese_postmortems_and_hand_written_pages(
    page: Any, example_url: str, example_catalog: Any
) -> None:
    japanese = next(p for p in example_catalog if re.search(r"[\u3040-\u30ff]", p.title))
    page.goto(example_url)
    assert search(page, "障害") > 0
    titles = page.locator(".md-search-result__item h1").all_inner_texts()
    assert japanese.title in titles
    # A guide written by hand (docs/writing.md) is found by its own words.
    assert search(page, "placeholders") > 0
    links = page.locator(".md-search-result__item a.md-search-result__link").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    assert any("writing/" in link for link in links)


def test_open_action_items_page_lists_exactly_the_items_not_done(
    page: Any, example_url: str, example_catalog: Any
) -> None:
    expected = Counter(
        (postmortem.id, plain_text(item.text))
        for postmortem in example_catalog
        for item in postmortem.action_items
        # Open or in progress; "done" and "not doing" are settled.
        if item.state.is_open()
    )
    assert expected, "the example knowledge base must have open action items"

    page.goto(urljoin(example_url, "actions/"))
    rows = page.locator("#pmkb-open-actions tr.pmkb-open-action")
    shown = Counter(
        (row["id"], words(row["text"]))
        for row in rows.evaluate_all(
            """rows => rows.map(row => ({
                id: row.getAttribute('data-incident-id'),
                // The item's own text, without the chip that labels its state.
                text: (() => {
                    const cell = row.querySelector('.pmkb-open-action__text').cloneNode(true);
                    cell.querySelectorAll('.pmkb-chip--state').forEach(chip => chip.remove());
                    return cell.textContent;
                })(),
            }))"""
        )
    )
    assert shown == expected
    # Every row is visible (grouping must not hide any), and settled items appear nowhere.
    assert len(visible_rows(page, "#pmkb-open-actions tr.pmkb-open-action")) == sum(
        expected.values()
    )
    table_text = words(page.locator("#pmkb-open-actions").inner_text())
    for postmortem in example_catalog:
        for item in postmortem.action_items:
            text = plain_text(item.text)
            if not item.state.is_open() and not any(text in other for _, other in expected):
                assert text not in table_text

    # The home page counts the same items.
    page.goto(example_url)
    count = page.locator("#pmkb-count-actions strong").inner_text()
    assert int(count) == sum(expected.values())


def action_groups(page: Any) -> list[tuple[str, list[str]]]:
    """Return the open action items table's groups: each header's text and its rows' keys."""
    groups: list[tuple[str, list[str]]] = page.evaluate(
        """() => {
            const groups = [];
            for (const row of document.querySelectorAll('#pmkb-open-actions tbody tr')) {
                if (row.classList.contains('pmkb-group-row')) {
                    groups.push([row.textContent, []]);
                } else {
                    groups[groups.length - 1][1].push(
                        row.dataset.incidentId + ' ' + row.dataset.owner + ' '
                        + row.querySelector('.pmkb-open-action__text').textContent);
                }
            }
            return groups;
        }"""
    )
    return groups


def test_open_action_items_come_grouped_by_incident_and_group_by_owner_on_demand(
    page: Any, example_url: str, example_catalog: Any
) -> None:
    open_items = [(p, a) for p in example_catalog for a in p.action_items if a.state.is_open()]
    titles = {p.id: p.title for p, _ in open_items}
    page.goto(urljoin(example_url, "actions/"))
    page.wait_for_selector("#pmkb-actions-controls", state="visible")

    # As the page comes: a group for each incident with open items, headed by its title and
    # how many items it lists.
    served = action_groups(page)
    assert len(served) == len(titles)
    for header, rows in served:
        ids = {row.split(" ")[0] for row in rows}
        assert len(ids) == 1, header
        assert header == f"{titles[ids.pop()]} ({len(rows)})"
    assert sum(len(rows) for _, rows in served) == len(open_items)

    page.select_option("#pmkb-actions-group", "owner")
    owners = Counter(a.owner or "(no owner)" for _, a in open_items)
    assert {header for header, _ in action_groups(page)} == {
        f"{owner} ({count})" for owner, count in owners.items()
    }

    # Grouped by incident again, in the page: the same groups as the page came with.
    page.select_option("#pmkb-actions-group", "incident")
    regrouped = action_groups(page)
    assert sorted((h, sorted(rows)) for h, rows in regrouped) == sorted(
        (h, sorted(rows)) for h, rows in served
    )


def test_each_incident_page_shows_its_timeline_and_checklist_with_progress(
    page: Any, example_url: str, example_catalog: Any, example_settings: Any
) -> None:
    shown_any = False
    for postmortem in example_catalog:
        path = incident_path(example_catalog, example_settings, postmortem)
        page.goto(urljoin(example_url, path))
        where = postmortem.source
        assert postmortem.title in page.title(), where

        events = page.locator(".pmkb-timeline .pmkb-event")
        assert events.count() == len(postmortem.timeline), where
        if postmortem.timeline:
            assert events.first.is_visible(), where
            times = [
                words(t)
                for t in page.locator(".pmkb-timeline .pmkb-event").evaluate_all(
                    "items => items.map(i => (i.querySelector('.pmkb-event__time') || {})"
                    ".textContent || '')"
                )
            ]
            assert times == [words(e.time or "") for e in postmortem.timeline], where
            # Drawn as a timeline: the events are stacked down the page, in document order.
            tops = [box["y"] for box in (e.bounding_box() for e in events.all()) if box]
            assert tops == sorted(tops), where

        actions = page.locator(".pmkb-action")
        total = len(postmortem.action_items)
        done = sum(1 for item in postmortem.action_items if item.done)
        assert actions.count() == total, where
        assert page.locator(".pmkb-action input.pmkb-check:checked").count() == done, where
        if total:
            progress = page.locator(".pmkb-progress")
            assert progress.get_attribute("aria-valuenow") == str(done), where
            assert progress.get_attribute("aria-valuemax") == str(total), where
            assert f"{done} of {total}" in page.locator(".pmkb-progress__text").inner_text()
            # The bar's drawn width is the share of done items.
            outer = progress.bounding_box()
            inner = page.locator(".pmkb-progress__bar").bounding_box()
            assert outer and inner and outer["width"] > 0, where
            assert abs(inner["width"] / outer["width"] - done / total) < 0.05, where
        shown_any = shown_any or bool(postmortem.timeline and total)
    assert shown_any, "no example incident has both a timeline and action items"


def pick_value(catalog: Any, values_of: Any) -> str:
    """Return the filter value that keeps closest to half of the incidents (but not all)."""
    counts = Counter(value for p in catalog for value in dict.fromkeys(values_of(p)) if value)
    candidates = [value for value, count in counts.items() if count < len(catalog)]
    assert candidates, "every incident shares every value: the filter cannot narrow anything"
    return min(candidates, key=lambda v: (abs(counts[v] - len(catalog) / 2), v))


FILTERS = {
    "status": ("#pmkb-filter-status", lambda p: [str(p.status)]),
    "severity": ("#pmkb-filter-severity", lambda p: [p.severity or ""]),
    "tag": ("#pmkb-filter-tag", lambda p: list(p.tags)),
    "year": ("#pmkb-filter-year", lambda p: [str(p.date.year)] if p.date else []),
}


def shown_incidents(page: Any, example_url: str) -> set[str]:
    """Return the site paths of the incidents the incidents table shows right now."""
    hrefs = [
        row.locator("a.pmkb-incident-link").get_attribute("href")
        for row in visible_rows(page, "#pmkb-incidents tbody tr.pmkb-incident")
    ]
    base = urljoin(example_url, "incidents/")
    return {urlsplit(urljoin(base, href)).path.lstrip("/") for href in hrefs if href}


@pytest.mark.parametrize("name", list(FILTERS))
def test_incidents_filter_narrows_the_table(
    page: Any, example_url: str, example_catalog: Any, example_settings: Any, name: str
) -> None:
    selector, values_of = FILTERS[name]
    value = pick_value(example_catalog, values_of)
    everything = {incident_path(example_catalog, example_settings, p) for p in example_catalog}
    expected = {
        incident_path(example_catalog, example_settings, p)
        for p in example_catalog
        if value in values_of(p)
    }

    page.goto(urljoin(example_url, f"{example_settings.url_prefix}/"))
    page.wait_for_selector("#pmkb-filters", state="visible")
    assert shown_incidents(page, example_url) == everything

    page.select_option(selector, value)
    assert shown_incidents(page, example_url) == expected
    assert 0 < len(expected) < len(everything)
    count = page.locator("#pmkb-filter-count").inner_text()
    assert f"{len(expected)} of {len(everything)}" in count

    # The choice is kept in the address, so a filtered view can be shared.
    page.reload()
    page.wait_for_selector("#pmkb-filters", state="visible")
    assert shown_incidents(page, example_url) == expected

    page.click("#pmkb-filter-reset")
    page.wait_for_function(
        "n => Array.from(document.querySelectorAll('#pmkb-incidents tbody tr.pmkb-incident'))"
        ".filter(r => !r.hidden).length === n",
        arg=len(everything),
    )
    assert shown_incidents(page, example_url) == everything


def test_two_filters_show_the_incidents_matching_both(
    page: Any, example_url: str, example_catalog: Any, example_settings: Any
) -> None:
    _, tags_of = FILTERS["tag"]
    _, years_of = FILTERS["year"]
    tag = pick_value(example_catalog, tags_of)
    years = Counter(y for p in example_catalog if tag in tags_of(p) for y in years_of(p))
    year = years.most_common(1)[0][0]
    expected = {
        incident_path(example_catalog, example_settings, p)
        for p in example_catalog
        if tag in tags_of(p) and year in years_of(p)
    }

    page.goto(urljoin(example_url, f"{example_settings.url_prefix}/"))
    page.wait_for_selector("#pmkb-filters", state="visible")
    page.select_option("#pmkb-filter-tag", tag)
    page.select_option("#pmkb-filter-year", year)
    assert shown_incidents(page, example_url) == expected


def test_no_page_requests_anything_outside_localhost(
    page: Any, example_site: Path, example_url: str, example_catalog: Any, watch: Any
) -> None:
    pages = html_pages(example_site)
    # The site's pages include every incident and every generated index.
    for required in ("", "incidents/", "lessons/", "actions/", "services/", "tags/"):
        assert required in pages
    assert sum(1 for p in pages if p.startswith("incidents/") and p != "incidents/") == len(
        example_catalog
    )
    for path in pages:
        page.goto(urljoin(example_url, path), wait_until="networkidle")
    # Search loads its index and worker on demand: use it once too.
    assert search(page, "database") > 0
    page.wait_for_load_state("networkidle")

    assert len(watch.requests) > len(pages)
    assert watch.outside == []
    # Nothing the pages load is missing either.
    assert watch.failed == []


# One example incident, counted by hand from postmortems/ (not by the parser under test): when the
# parser misreads it, the expectations above move with it, these do not.
POOL_INCIDENT = "incidents/2026-01-27-checkout-connection-pool-exhaustion/"
POOL_TIMES = ["10:05", "14:40", "14:44", "14:47", "14:51", "14:55", "15:01", "15:04", "15:12",
              "15:18", "15:24", "15:32", "16:10"]  # fmt: skip
POOL_OPEN = [
    "Put PgBouncer in transaction mode in front of postgres-primary",
    "Record each service's connection budget and owner in the service catalog",
    "Load-test checkout-api with campaign-shaped traffic before autoscaling changes",
]


def test_an_example_incident_shows_the_figures_counted_by_hand(page: Any, example_url: str) -> None:
    page.goto(urljoin(example_url, POOL_INCIDENT))
    title = "Checkout outage: connection pool exhaustion on postgres-primary"
    assert page.title().startswith(title)
    times = page.locator(".pmkb-timeline .pmkb-event .pmkb-event__time").all_inner_texts()
    assert [words(time) for time in times] == POOL_TIMES
    assert page.locator(".pmkb-action").count() == 6
    assert page.locator(".pmkb-action input.pmkb-check:checked").count() == 3
    assert words(page.locator(".pmkb-progress__text").inner_text()) == "3 of 6 action items done"

    page.goto(urljoin(example_url, "actions/"))
    rows = page.locator(
        '#pmkb-open-actions tr.pmkb-open-action[data-incident-id="'
        '2026-01-27-checkout-connection-pool-exhaustion"] .pmkb-open-action__text'
    )
    texts = rows.evaluate_all(
        """cells => cells.map(cell => {
            const copy = cell.cloneNode(true);
            copy.querySelectorAll('.pmkb-chip--state').forEach(chip => chip.remove());
            return copy.textContent;
        })"""
    )
    assert sorted(words(text) for text in texts) == sorted(POOL_OPEN)
