"""The pages' HTML waits on disk between MkDocs' two passes, and comes back whole.

A build of thousands of incidents held every page's HTML in memory from the time MkDocs renders
it to the end of the build (:mod:`generator.page_store`); these tests pin that it no longer
does, and that what the theme reads back, here or in a forked worker, is what was made.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.utils.meta import get_data

from generator.catalog import load_catalog
from generator.generated_page import GeneratedPage
from generator.page_blocks import split_page
from generator.page_headings import Headings, assemble_page
from generator.page_store import PageStore, StoredTexts
from generator.page_workers import Workers
from generator.render import SiteOptions, render_site
from generator.settings import Settings
from tests.conftest import EXAMPLES, TODAY

TEXTS = (
    "",
    "<p>plain ASCII</p>",
    "<p>Résumé — 障害発生 · 🔥 and a lone \ud800 surrogate</p>",
    "<pre>" + "x" * 200_000 + "</pre>",
)


def test_texts_come_back_as_they_were_put() -> None:
    store = PageStore()
    try:
        places = [store.put(text) for text in TEXTS]
        # In another order than they were written: each is found by its own place.
        assert [store.get(place) for place in reversed(places)] == list(reversed(TEXTS))
    finally:
        store.close()


def test_a_forked_worker_reads_what_this_process_wrote() -> None:
    store = PageStore()
    try:
        places = [store.put(text) for text in TEXTS]
        here = os.getpid()

        def read(place: tuple[int, int]) -> tuple[int, str]:
            return os.getpid(), store.get(place)

        workers = Workers(read, places, 1)
        try:
            read_by = workers.submit(0, len(places)).result()
        finally:
            workers.close()
        assert [text for _, text in read_by] == list(TEXTS)
        assert here not in {pid for pid, _ in read_by}  # read by the workers, not here
    finally:
        store.close()


def test_forked_workers_store_texts_alongside_this_process() -> None:
    # A page is stored where it is rendered: the workers and this process append to one file
    # at the same time, each text whole at a place of its own.
    store = PageStore()
    try:
        store.put("written before the workers started")
        texts = [f"<p>page {n}</p>" + "é" * (n * 37 % 3000) for n in range(600)]
        workers = Workers(store.put, texts, 2)
        try:
            # Every other chunk of 50 to the workers, the others stored here meanwhile.
            asked = {start: workers.submit(start, start + 50) for start in range(50, 600, 100)}
            places = {
                n: [store.put(text) for text in texts[n : n + 50]] for n in range(0, 600, 100)
            }
            places.update({start: future.result() for start, future in asked.items()})
        finally:
            workers.close()
        assert [store.get(place) for n in sorted(places) for place in places[n]] == texts
    finally:
        store.close()


def test_stored_texts_read_back_in_the_order_asked() -> None:
    store = PageStore()
    try:
        texts = StoredTexts(store)
        texts.keep("b.md", "<p>b, on disk</p>")
        texts.keep("a.md", "<p>a, on disk</p>")
        texts.keep("c.md", "<p>c, on disk — 障害</p>")
        ordered = texts.ordered(["a.md", "b.md", "c.md"])
        assert dict(ordered) == {
            "a.md": "<p>a, on disk</p>",
            "b.md": "<p>b, on disk</p>",
            "c.md": "<p>c, on disk — 障害</p>",
        }
        assert list(ordered) == ["a.md", "b.md", "c.md"]
        assert list(texts) == ["b.md", "a.md", "c.md"]  # the original is left as it was
    finally:
        store.close()


def test_a_site_rendered_into_a_store_has_the_pages_of_one_in_memory() -> None:
    settings = Settings.for_folder(EXAMPLES[0].parents[1])
    catalog = load_catalog(settings)
    options = SiteOptions(today=TODAY)
    in_memory = render_site(catalog, settings, options)
    store = PageStore()
    try:
        on_disk = render_site(catalog, settings, options, store=store)
        assert list(on_disk.pages) == list(in_memory.pages)
        assert dict(on_disk.pages) == dict(in_memory.pages)
        assert on_disk.assets == in_memory.assets
    finally:
        store.close()


def test_every_page_of_a_site_rendered_into_a_store_is_on_disk() -> None:
    settings = Settings.for_folder(EXAMPLES[0].parents[1])
    catalog = load_catalog(settings)
    store = PageStore()
    site = render_site(catalog, settings, SiteOptions(today=TODAY), store=store)
    assert {"index.md", "lessons.md", "actions.md"} <= set(site.pages)
    store.close()
    # Nothing kept in memory: with the store gone, no page (list pages included) can be read.
    for path in site.pages:
        with pytest.raises(ValueError, match="closed"):
            site.pages[path]


def test_pages_made_with_the_incidents_wait_in_the_store(tmp_path: Path) -> None:
    # Where an incident page is rendered (a worker, at scale), its headings go through the
    # site's Markdown and the page's HTML is put together; MkDocs, reading the page later, takes
    # that HTML as is, unless the Markdown it reads is not the one the page was made from.
    settings = Settings.for_folder(EXAMPLES[0].parents[1])
    catalog = load_catalog(settings)
    config, _ = make_file(tmp_path, "# A\n")
    headings, whole = Headings(config), Headings(config)
    store = PageStore()
    try:
        headings.store = store
        site = render_site(
            catalog,
            settings,
            SiteOptions(today=TODAY),
            store=store,
            prepare=headings.prepare,
            keep=headings.keep,
        )
        prepared = {path: item for path, item in site.prepared.items() if item is not None}
        assert len(prepared) == len(catalog)
        # Each page's headings and HTML are places in the store, not their bytes.
        assert all(isinstance(data, tuple) for _, _, data, _ in prepared.values())
        assert all(isinstance(made, tuple) for _, _, _, made in prepared.values())
        headings.take(site.prepared.items())
        first, *others = prepared
        markdown, _ = get_data(site.pages[first])
        # Another plugin changed the page's Markdown: it is made again from what it reads.
        assert headings.take_page(first, markdown + "\n## Added by a plugin\n") is None
        for path in others:
            markdown, _ = get_data(site.pages[path])
            blocks = split_page(markdown)
            assert blocks is not None
            rendered = whole.render([line for kind, line in blocks if kind == "heading"])
            assert rendered is not None
            assert headings.take_page(path, markdown) == assemble_page(blocks, rendered)
            assert headings.take_page(path, markdown) is None  # asked for once
    finally:
        store.close()


def test_a_closed_store_says_so() -> None:
    store = PageStore()
    place = store.put("<p>gone</p>")
    store.close()
    with pytest.raises(ValueError, match="closed"):
        store.get(place)


def make_file(folder: Path, markdown: str) -> tuple[MkDocsConfig, File]:
    """Return a site's configuration and one page's file in it, ``incidents/a.md``."""
    (folder / "docs" / "incidents").mkdir(parents=True)
    (folder / "docs" / "incidents" / "a.md").write_text(markdown, encoding="utf-8")
    (folder / "mkdocs.yml").write_text("site_name: Test\n", encoding="utf-8")
    config = load_config(str(folder / "mkdocs.yml"))
    file = File("incidents/a.md", config.docs_dir, config.site_dir, config.use_directory_urls)
    return config, file


def test_a_page_keeps_its_html_on_disk_until_the_theme_asks(tmp_path: Path) -> None:
    marker = "a sentence only this page says"
    config, file = make_file(tmp_path, f"# A\n\n<p>{marker}</p>\n")
    store = PageStore()
    try:
        page = GeneratedPage(file, config, Headings(config), store)
        page.read_source(config)
        page.render(config, Files([file]))
        assert page.content is not None
        assert marker in page.content
        assert page.toc.items[0].title == "A"
        # Nothing the page holds in memory is its HTML: it is read from the store.
        assert not [name for name, value in vars(page).items() if marker in repr(value)]
        page.content = None  # a plugin may clear it: the page then has none
        assert page.content is None
    finally:
        store.close()


def test_without_a_store_a_page_holds_its_html(tmp_path: Path) -> None:
    # ``pmkb serve`` builds without one: it renders an edited page again from what it keeps.
    config, file = make_file(tmp_path, "# A\n\n<p>held</p>\n")
    page = GeneratedPage(file, config, Headings(config))
    page.read_source(config)
    page.render(config, Files([file]))
    assert page.content is not None
    assert "<p>held</p>" in page.content
