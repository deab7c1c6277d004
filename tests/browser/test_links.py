"""Following the links found in what incidents say, in Chromium, on the example site.

A reader starts from a recurring lesson on the lessons page, follows one occurrence to its place
on the incident's page, sees that the element recurs, and follows "learned before" back to the
earlier incident's page where the same lesson was said. Most expectations come from the catalog
the site is built from; the lessons the example knowledge base was written to show, and where its
postmortems say them, are read by hand from ``postmortems/`` (the linking may find more, never
fewer).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

from tests.browser.conftest import ROOT

pytestmark = pytest.mark.browser

# Lessons the example postmortems re-learn in their own words (practice id -> incidents), read by
# hand: a reader of these incidents would group them, and the lessons page must.
WRITTEN_TO_RECUR = {
    "code-review": {
        "2024-11-12-login-rate-limit-blocked-mobile-app",
        "2026-01-27-checkout-connection-pool-exhaustion",
    },
    "roll-back-first": {
        "2024-11-12-login-rate-limit-blocked-mobile-app",
        "2025-05-14-checkout-release-without-canary",
    },
    "verify-deploys": {
        "2025-05-14-checkout-release-without-canary",
        "2026-04-09-auth-signing-key-rotation",
    },
    "truthful-success": {
        "2025-08-26-usage-export-wrote-empty-files",
        "2026-03-02-search-empty-results-after-reindex",
    },
    "follow-through": {
        "2026-06-15-billing-duplicate-charges",
        "2026-10-06-event-bus-internal-certificate-expired",
    },
    "renew-before-expiry": {
        "2024-03-09-partner-webhooks-expired-certificate",
        "2026-10-06-event-bus-internal-certificate-expired",
    },
}

# Walks from a lesson to a newer incident's words and back to an older one's, by hand: (lesson,
# newer incident, words starting the element there, older incident, words starting its element).
WALKS = [
    (
        "code-review",
        "2026-01-27-checkout-connection-pool-exhaustion",
        "PR [larkspur/checkout-api#2218]",
        "2024-11-12-login-rate-limit-blocked-mobile-app",
        "- 本番の設定ストアへの直接書き込みが許可されており",
    ),
    (
        "follow-through",
        "2026-10-06-event-bus-internal-certificate-expired",
        "- We knew from the 2024 webhook incident",
        "2026-06-15-billing-duplicate-charges",
        "- **A known risk in the backlog is still a risk**",
    ),
]


def in_view(page: Any, selector: str) -> bool:
    """Return whether the top of an element is within the window (where a link scrolled to)."""
    box = page.locator(selector).bounding_box()
    return box is not None and 0 <= box["y"] < page.viewport_size["height"]


def plain(start: str) -> str:
    """Return the words a line of Markdown starts with, as the page shows them."""
    return re.sub(r"^- |\*\*|[\[\]]", "", start).strip()


def source_line(name: str, start: str) -> int:
    """Return the number of the line of an example postmortem that starts with ``start``."""
    lines = (ROOT / "postmortems" / f"{name}.md").read_text(encoding="utf-8").splitlines()
    found = [number for number, line in enumerate(lines, 1) if line.startswith(start)]
    assert len(found) == 1, (name, start)
    return found[0]


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
    # The note beside the occurrence itself (not any note of the page) names the lesson.
    note = page.locator(f"*:has(> #pmkb-line-{latest.line}) > .pmkb-recurs")
    item = note.locator(".pmkb-recurs__item", has=page.locator(f'a[href$="#{lesson.anchor}"]'))
    assert lesson.title in item.inner_text()
    before = item.locator("a.pmkb-recurs__before").first
    target = urlsplit(urljoin(page.url, before.get_attribute("href")))
    before.click()
    page.wait_for_url(re.compile(re.escape(target.path)))

    # Back on the earlier incident, at the first element that said the same lesson there.
    earlier_sources: dict[str, Any] = {}
    for o in lesson.occurrences:
        if o.postmortem.source in earlier:
            path = f"{example_settings.url_prefix}/{example_catalog.slug(o.postmortem)}/"
            earlier_sources.setdefault(path, o)
    path = urlsplit(page.url).path.lstrip("/")
    assert path in earlier_sources
    assert target.fragment == f"pmkb-line-{earlier_sources[path].line}"
    assert page.locator(f"#{target.fragment}").count() == 1
    # Its note says the lesson came again, in the incident we came from (or nearer ones).
    note = page.locator(f"*:has(> #{target.fragment}) > .pmkb-recurs")
    item = note.locator(".pmkb-recurs__item", has=page.locator(f'a[href$="#{lesson.anchor}"]'))
    assert item.locator("a.pmkb-recurs__again").count() >= 1


def test_the_lessons_page_leads_with_the_lessons_the_examples_recur(
    page: Any, example_url: str
) -> None:
    page.goto(urljoin(example_url, "lessons/"))
    groups = page.locator(".pmkb-recurring")
    assert groups.count() >= len(WRITTEN_TO_RECUR)
    # The recurring lessons come first, before every lesson as written.
    headings = [" ".join(h.split()) for h in page.locator("h2").all_inner_texts()]
    every = next(n for n, h in enumerate(headings) if h.startswith("Every lesson"))
    assert every >= len(WRITTEN_TO_RECUR)
    for lesson, incidents in WRITTEN_TO_RECUR.items():
        group = page.locator(f'.pmkb-recurring[data-lesson="{lesson}"]')
        assert group.count() == 1, lesson
        places = group.locator("a.pmkb-occurrence__place").evaluate_all(
            "links => links.map(link => link.getAttribute('href'))"
        )
        shown = {href.split("/#")[0].rsplit("/", 1)[-1] for href in places}
        assert incidents <= shown, lesson


@pytest.mark.parametrize("walk", WALKS, ids=[walk[0] for walk in WALKS])
def test_a_lesson_the_examples_recur_is_walked_to_its_words_and_back(
    page: Any, example_url: str, walk: tuple[str, str, str, str, str]
) -> None:
    lesson, newer, newer_start, older, older_start = walk
    newer_line, older_line = source_line(newer, newer_start), source_line(older, older_start)
    page.goto(urljoin(example_url, "lessons/"))
    group = page.locator(f'.pmkb-recurring[data-lesson="{lesson}"]')
    group.locator(f'a.pmkb-occurrence__place[href$="{newer}/#pmkb-line-{newer_line}"]').click()
    page.wait_for_url(re.compile(re.escape(f"{newer}/#pmkb-line-{newer_line}") + "$"))

    # The newer incident's words, and beside them the note that the lesson was learned before.
    element = page.locator(f"*:has(> #pmkb-line-{newer_line})")
    assert plain(newer_start) in element.inner_text()
    assert in_view(page, f"#pmkb-line-{newer_line}")
    note = element.locator(".pmkb-recurs")
    before = note.locator(f'a.pmkb-recurs__before[href$="{older}/#pmkb-line-{older_line}"]')
    assert before.count() == 1
    before.click()
    page.wait_for_url(re.compile(re.escape(f"{older}/#pmkb-line-{older_line}") + "$"))

    # Back at the older incident's words for the same lesson, which say where it came again.
    element = page.locator(f"*:has(> #pmkb-line-{older_line})")
    assert plain(older_start) in element.inner_text()
    assert in_view(page, f"#pmkb-line-{older_line}")
    assert element.locator(
        f'.pmkb-recurs a.pmkb-recurs__lesson[href$="#recurring-{lesson}"]'
    ).count()
    again = element.locator(f'.pmkb-recurs a.pmkb-recurs__again[href*="{newer}/"]')
    assert again.count() == 1


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


def test_themes_quote_each_incidents_own_words_in_a_table_styled_like_the_others(
    page: Any, example_url: str
) -> None:
    style = """table => {
        const cell = table.querySelector('tbody td');
        const css = getComputedStyle(table), td = getComputedStyle(cell);
        return [css.fontSize, css.borderTopStyle, css.borderTopWidth, css.display, td.padding,
                td.borderTopStyle];
    }"""
    page.goto(example_url)
    others = page.locator("#pmkb-recent").evaluate(style)
    themes = urljoin(example_url, "themes/")
    page.goto(themes)
    assert page.locator("#pmkb-themes-table").evaluate(style) == others

    quotes = page.locator("ul.pmkb-theme-incidents li").evaluate_all(
        """items => items.map(item => [
            item.querySelector('a').getAttribute('href'),
            [...item.querySelectorAll('.pmkb-theme__quote')].map(q => q.innerText),
            item.querySelectorAll('.pmkb-theme__quote mark').length,
        ])"""
    )
    assert quotes
    pages: dict[str, str] = {}
    for href, quoted, marks in quotes:
        assert quoted and marks >= len(quoted), href
        # Each quote shows between quote marks, which a reader copies with it.
        assert all(q.startswith("“") and q.endswith("”") for q in quoted), quoted
        texts = [q[1:-1] for q in quoted]
        url = urljoin(themes, href)
        if url not in pages:
            page.goto(url)
            pages[url] = " ".join(page.locator("article").inner_text().split())
        # Every quote is the incident's own words, as its page shows them.
        for text in texts:
            for piece in text.split("…"):
                assert " ".join(piece.split()) in pages[url], (href, piece)
