"""Search as the page opens, and with more results than Material's first screen.

A reader types into the search box as soon as it is there, before the search code has loaded:
the query is typed once and must be answered when the search is ready. And a query with many
results shows the first screen of them first, then gets the next ones (shown as the reader
scrolls).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ..conftest import CLEAN_POSTMORTEM
from .conftest import build_site, make_knowledge_base, search, serve

pytestmark = pytest.mark.browser

MANY = 24
"""Incidents that share a word: more than the 20 results whose texts the search fetches."""


def test_a_query_typed_as_the_page_opens_is_answered_once_search_is_ready(
    page: Any, example_url: str, example_catalog: Any
) -> None:
    incident = next(p for p in example_catalog if p.date and p.severity)
    word = next(w for w in incident.title.split() if len(w) > 5 and w.isalpha() and w.isascii())

    # Once the page's scripts ran (before the search worker is ready): typed earlier, Material's
    # start-up can take the focus from the box, and letters such as "n" become its shortcuts.
    page.goto(example_url, wait_until="domcontentloaded")
    # Typed key by key as soon as the box takes keys, and never again.
    box = page.locator("input.md-search__input")
    box.focus()
    box.press_sequentially(word)

    found = page.locator(".md-search-result__item", has_text=incident.title).first
    found.wait_for(timeout=60_000)
    assert word.casefold() in found.inner_text().casefold()


@pytest.fixture(scope="module")
def many_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A site of :data:`MANY` incidents that all mention a heliotrope, served on 127.0.0.1."""
    folder = tmp_path_factory.mktemp("many")
    postmortems = {
        f"2025-03-{number + 1:02d}-outage-{number}.md": CLEAN_POSTMORTEM.replace(
            "Search down", f"Outage number {number}"
        )
        .replace("2025-08-12", f"2025-03-{number + 1:02d}")
        .replace("20 minutes.", "20 minutes; the heliotrope dashboard went blank.")
        for number in range(MANY)
    }
    config = make_knowledge_base(folder / "kb", postmortems)
    with serve(build_site(config, folder / "site")) as url:
        yield url


def test_many_results_show_the_first_screen_then_the_next_ones(page: Any, many_url: str) -> None:
    page.goto(many_url)
    assert search(page, "heliotrope") == 10  # Material's first screen; more as the list scrolls
    # Material counts the results it was given: the first screen's and the next ones.
    assert "20 matching documents" in page.locator(".md-search-result__meta").inner_text()
    items = page.locator(".md-search-result__item")
    texts = items.all_inner_texts()
    assert all("heliotrope" in text.casefold() for text in texts)
    assert len({text.split("\n")[0] for text in texts}) == 10  # different incidents
