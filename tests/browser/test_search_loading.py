"""Search as the page opens, with more results than a screen, from an index in pieces.

A reader types into the search box as soon as it is there, before the search code has loaded:
the query is typed once and must be answered when the search is ready. A query with many
results shows the first screen of them first, then gets the next ones (shown as the reader
scrolls). A large knowledge base's index is written in pieces that the search merges: every
piece answers.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ..conftest import CLEAN_POSTMORTEM
from .conftest import build_site, example_postmortems, make_knowledge_base, search, serve

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
    """A site of :data:`MANY` incidents that all mention a heliotrope, served on 127.0.0.1.

    Its index is in pieces of 5 records: the results of a query come from all of them.
    """
    folder = tmp_path_factory.mktemp("many")
    postmortems = {
        f"2025-03-{number + 1:02d}-outage-{number}.md": CLEAN_POSTMORTEM.replace(
            "Search down", f"Outage number {number}"
        )
        .replace("2025-08-12", f"2025-03-{number + 1:02d}")
        .replace("20 minutes.", "20 minutes; the heliotrope dashboard went blank.")
        for number in range(MANY)
    }
    config = make_knowledge_base(folder / "kb", postmortems, options={"search_shard": 5})
    with serve(build_site(config, folder / "site")) as url:
        yield url


@pytest.fixture(scope="module")
def sharded_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's site with its search index written in pieces of 3 records."""
    folder = tmp_path_factory.mktemp("sharded")
    config = make_knowledge_base(folder / "kb", example_postmortems(), options={"search_shard": 3})
    return build_site(config, folder / "site")


def test_an_index_in_pieces_finds_every_incident(
    page: Any, sharded_site: Path, example_catalog: Any
) -> None:
    listed = json.loads((sharded_site / "pagefind" / "pmkb-shards.json").read_text("utf-8"))
    pieces = [sharded_site / "pagefind" / path for path in listed["shards"]]
    assert len(pieces) >= len(example_catalog) // 3  # incidents and hand-written pages, by 3
    assert all((piece / "pagefind-entry.json").is_file() for piece in pieces)
    with serve(sharded_site) as url:
        page.goto(url)
        for incident in example_catalog:
            assert search(page, incident.title) > 0, incident.title
            titles = page.locator(".md-search-result__item h1").all_inner_texts()
            assert incident.title in [" ".join(t.split()) for t in titles], incident.title


def test_many_results_show_the_first_screen_then_the_next_ones(page: Any, many_url: str) -> None:
    page.goto(many_url)
    assert search(page, "heliotrope") == 10  # Material's first screen; more as the list scrolls
    # Material counts the results it was given: the first screen's and the next ones.
    assert "20 matching documents" in page.locator(".md-search-result__meta").inner_text()
    items = page.locator(".md-search-result__item")
    texts = items.all_inner_texts()
    assert all("heliotrope" in text.casefold() for text in texts)
    assert len({text.split("\n")[0] for text in texts}) == 10  # different incidents
