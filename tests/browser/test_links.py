"""Following the links found in what incidents say, in Chromium, on the example site.

A reader starts from a recurring lesson on the lessons page, follows one occurrence to its place
on the incident's page, sees that the element recurs, and follows "learned before" back to the
earlier incident's page where the same lesson was said. Expectations come from the catalog the
site is built from, never from numbers written here.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

pytestmark = pytest.mark.browser


def test_a_recurring_lesson_leads_to_its_occurrence_and_back_through_learned_before(
    page: Any, example_url: str, example_catalog: Any, example_settings: Any
) -> None:
    recurring = example_catalog.links.recurring
    assert recurring, "the example knowledge base shows a recurring lesson"
    lesson = recurring[0]
    dated = [o for o in lesson.occurrences if o.postmortem.date]
    # The newest incident's occurrence: it was learned before in an older one.
    latest = max(dated, key=lambda o: o.postmortem.date)
    earlier = {o.postmortem.source for o in dated if o.postmortem.date < latest.postmortem.date}
    assert earlier

    page.goto(urljoin(example_url, "lessons/"))
    headings = page.locator("h2").all_inner_texts()
    assert headings[0].startswith(lesson.title)
    group = page.locator(f'.pmkb-recurring[data-lesson="{lesson.id}"]')
    assert group.locator(".pmkb-occurrence").count() == len(lesson.occurrences)
    slug = example_catalog.slug(latest.postmortem)
    place = group.locator(f'a.pmkb-occurrence__place[href*="{slug}/#pmkb-line-{latest.line}"]')
    place.first.click()
    page.wait_for_url(re.compile(re.escape(f"{slug}/#pmkb-line-{latest.line}")))

    anchor = page.locator(f"#pmkb-line-{latest.line}")
    assert anchor.count() == 1
    note = page.locator(".pmkb-recurs", has=page.locator(".pmkb-recurs__before")).first
    assert lesson.title in note.inner_text()
    before = note.locator("a.pmkb-recurs__before").first
    target = urlsplit(urljoin(page.url, before.get_attribute("href")))
    before.click()
    page.wait_for_url(re.compile(re.escape(target.path)))

    # Back on the earlier incident, at the element that said the same lesson.
    earlier_sources = {
        f"{example_settings.url_prefix}/{example_catalog.slug(o.postmortem)}/": o
        for o in lesson.occurrences
        if o.postmortem.source in earlier
    }
    path = urlsplit(page.url).path.lstrip("/")
    assert path in earlier_sources
    assert target.fragment == f"pmkb-line-{earlier_sources[path].line}"
    assert page.locator(f"#{target.fragment}").count() == 1
    again = page.locator("a.pmkb-recurs__again").all()
    assert any(slug in (a.get_attribute("href") or "") for a in again)


def test_themes_page_counts_what_recurs_and_links_each_incident(
    page: Any, example_url: str, example_catalog: Any
) -> None:
    counts = {
        theme.id: sum(
            1
            for p in example_catalog
            if any(t.id == theme.id for t in example_catalog.links.themes_of(p))
        )
        for theme in example_catalog.links.themes
    }
    page.goto(urljoin(example_url, "themes/"))
    rows = page.locator("#pmkb-themes-table tbody tr").all()
    assert rows
    for row in rows:
        theme_id = row.get_attribute("data-theme")
        total = row.locator("td").first.inner_text()
        assert int(total) == counts[theme_id]
        listed = page.locator(f'ul.pmkb-theme-incidents[data-theme="{theme_id}"] li')
        assert listed.count() == counts[theme_id]
