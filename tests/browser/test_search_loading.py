"""Search as the page opens, with more results than a screen, from an index in many files.

A reader types into the search box as soon as it is there, before the search code has loaded:
the query is typed once and must be answered when the search is ready. Text that comes with no
key (pasted with the mouse, or an input method's) is searched too. A query with many
results shows the first screen of them first, then gets the next ones (shown as the reader
scrolls). A large knowledge base's words are in many files of the index: every one answers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator import search_index
from generator.search_index import write_search_index
from generator.search_records import SearchRecord
from generator.site_search import INDEX_DIR

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


# Runs before the page's own scripts: notes each worker the page makes, and whether Material's
# bundle had run by then (it takes the page's "no-js" class off as it starts).
_COUNT_WORKERS = """
window.__pmkbWorkers = [];
const Native = window.Worker;
window.Worker = function (url, options) {
  const early = document.documentElement.classList.contains("no-js");
  window.__pmkbWorkers.push([String(url), early]);
  return new Native(url, options);
};
"""


def test_the_search_worker_starts_before_materials_script_and_only_once(
    page: Any, example_url: str
) -> None:
    page.add_init_script(_COUNT_WORKERS)
    page.goto(example_url + "incidents/")
    assert search(page, "certificate") > 0
    made = page.evaluate("window.__pmkbWorkers")
    # One worker, made by the page's head: Material's own request for it got the same one.
    assert len(made) == 1, made
    address, before_material = made[0]
    assert address.endswith("/assets/pmkb/search-worker.js"), address
    assert before_material


def test_search_answers_while_materials_own_index_never_comes(page: Any, example_url: str) -> None:
    # Material says SETUP to its worker only once its own index (an empty one, pmkb's) is in.
    # The worker said READY long before Material listened: held, it must be said again.
    page.route("**/search/search_index.json", lambda route: None)
    page.goto(example_url)
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("certificate")
    page.locator(".md-search-result__item mark", has_text="certificate").first.wait_for()


def test_a_query_pasted_without_a_key_is_searched(
    page: Any, example_url: str, example_catalog: Any
) -> None:
    japanese = next(p for p in example_catalog if re.search(r"[\u3040-\u30ff]", p.title))
    page.goto(example_url)
    box = page.locator("input.md-search__input")
    box.click()
    # Search is ready: it answered the empty box. Text put in now, with no key released (as a
    # paste with the mouse or an input method's text arrives), is searched all the same.
    meta = page.locator(".md-search-result__meta")
    meta.filter(has_text=re.compile("type to start", re.IGNORECASE)).wait_for()
    box.fill("certificate")
    page.locator(".md-search-result__item mark", has_text="certificate").first.wait_for()
    words = re.search(r"[\u3040-\u30ff\u4e00-\u9fff]{4,}", japanese.title)
    assert words, japanese.title
    box.fill(words.group())
    page.locator(".md-search-result__item h1", has_text=japanese.title).wait_for()


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
    config = make_knowledge_base(folder / "kb", postmortems)
    with serve(build_site(config, folder / "site")) as url:
        yield url


@pytest.fixture(scope="module")
def chunked_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's site with its search index written again in files of a few words each.

    The example's words fit in two files; a large knowledge base's fill hundreds.
    """
    folder = tmp_path_factory.mktemp("chunked")
    site = build_site(make_knowledge_base(folder / "kb", example_postmortems()), folder / "site")
    index = site / INDEX_DIR
    entry = json.loads((index / "index.json").read_text("utf-8"))
    documents = [
        json.loads((index / entry["folder"] / "documents" / f"{n}.json").read_text("utf-8"))
        for n in range(entry["documents"])
    ]
    records = [
        SearchRecord(url=d["url"], title=d["title"], content=d["text"], meta=d["meta"])
        for d in documents
    ]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search_index, "CHUNK_BYTES", 200)
        write_search_index(records, index)
    return site


def test_an_index_in_many_files_finds_every_incident(
    page: Any, chunked_site: Path, example_catalog: Any
) -> None:
    entry = json.loads((chunked_site / INDEX_DIR / "index.json").read_text("utf-8"))
    assert len(entry["chunks"]) > 100
    with serve(chunked_site) as url:
        page.goto(url)
        for incident in example_catalog:
            assert search(page, incident.title) > 0, incident.title
            titles = page.locator(".md-search-result__item h1").all_inner_texts()
            assert incident.title in [" ".join(t.split()) for t in titles], incident.title
        # The first letters of a word find the words they start, in the files after its own.
        assert search(page, "certif") > 0
        assert "certificate" in page.locator(".md-search-result__item mark").first.inner_text()


def test_many_results_show_the_first_screen_then_the_next_ones(page: Any, many_url: str) -> None:
    page.goto(many_url)
    assert search(page, "heliotrope") == 10  # Material's first screen; more as the list scrolls
    # Material counts the results it was given: the first screen's and the next ones.
    assert "20 matching documents" in page.locator(".md-search-result__meta").inner_text()
    items = page.locator(".md-search-result__item")
    texts = items.all_inner_texts()
    assert all("heliotrope" in text.casefold() for text in texts)
    assert len({text.split("\n")[0] for text in texts}) == 10  # different incidents
