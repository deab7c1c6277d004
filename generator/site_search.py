"""The site's search: a Pagefind index fed from the catalog, answered in Material's search box.

Material's own search fetches one index of the whole site and builds it in the browser: 9 MB and
about 5 s before the first result at 1,000 postmortems, 92 MB and a minute at 10,000. pmkb keeps
Material's search box (header, keyboard shortcuts, result list, dark mode) and swaps the engine
behind it: Material lets a site provide the web worker that answers its queries, and pmkb's
worker (``assets/pmkb/search-worker.js``) asks Pagefind, whose index is cut into small pieces
that a query fetches a few of.

The records come from the models (:mod:`generator.search_records`), one per incident, plus one
per hand-written page; the incident lists (home, incidents, lessons, actions, services, tags)
are left out so that a search lists incidents, not the lists that mention them. A ``public``
build's catalog has no internal postmortem, so neither has its index. Indexing runs in
Pagefind's own process while MkDocs renders the pages.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from generator.catalog import Catalog
from generator.pagefind_client import PagefindError, PagefindIndexer
from generator.search_records import (
    SearchRecord,
    build_incident_record,
    build_page_record,
    choose_language,
)

WORKER_ASSET = "search-worker.js"
"""pmkb's search worker, in :data:`generator.render.ASSETS_DIR`."""

INDEX_DIR = "pagefind"
"""Where the index lives in the site."""

MATERIAL_INDEX = "search/search_index.json"
"""The file Material fetches before it starts the worker: pmkb writes an empty one."""

_UNUSED = tuple(
    f"pagefind-{ui}.{ext}"
    for ui in ("ui", "component-ui", "modular-ui", "highlight")
    for ext in ("js", "css")
)

_MATERIAL_WORKER = re.compile(r"assets/javascripts/workers/search\.[0-9a-f]+\.min\.js")


class SiteSearch:
    """The search index of one build: records go in as pages are made, the index comes out."""

    def __init__(self, *, language: str, worker_uri: str) -> None:
        self._default_language = language
        self._worker_uri = worker_uri
        self._indexer: PagefindIndexer | None = None
        self._pending: list[SearchRecord] = []
        self._folder: Path | None = None

    def add_incidents(self, catalog: Catalog, urls: Iterable[tuple[str, str]]) -> None:
        """Index every incident of the catalog, then start writing the index.

        ``urls`` maps incident ids to page URLs. Add hand-written pages first: Pagefind writes
        the index in its own process while MkDocs renders the pages, and :meth:`write` only
        waits for it and moves it into the site.
        """
        by_id = dict(urls)
        records = [
            build_incident_record(postmortem, by_id[postmortem.id])
            for postmortem in catalog
            if postmortem.id in by_id
        ]
        texts = (r.content for r in [*self._pending, *records])
        self._indexer = PagefindIndexer(language=choose_language(texts, self._default_language))
        for record in [*self._pending, *records]:
            self._indexer.add(url=record.url, content=record.content, meta=record.meta)
        self._pending = []
        self._folder = Path(tempfile.mkdtemp(prefix="pmkb-search-"))
        self._indexer.start_writing(self._folder / INDEX_DIR)

    def add_page(self, url: str, title: str, markdown: str) -> None:
        """Queue a hand-written page, from its Markdown (title: the front matter's or heading's)."""
        heading = _FIRST_HEADING.search(markdown)
        title = title or (heading.group(1).strip() if heading else url.strip("/") or "Home")
        self._pending.append(build_page_record(url, title, markdown))

    def point_to_worker(self, html: str) -> str:
        """Return a page's HTML with Material's search worker replaced by pmkb's."""
        return _MATERIAL_WORKER.sub(self._worker_uri, html, count=1)

    def write(self, site_dir: Path, *, lang: list[str]) -> None:
        """Put the index into the site (and Material's empty page list); stop indexing."""
        if self._indexer is None or self._folder is None:
            raise PagefindError("search: no postmortems were indexed")
        indexer, self._indexer = self._indexer, None
        folder, self._folder = self._folder, None
        try:
            indexer.finish_writing()
            for name in _UNUSED:  # Pagefind's own search UIs: pmkb uses Material's
                (folder / INDEX_DIR / name).unlink(missing_ok=True)
            target = site_dir / INDEX_DIR
            shutil.rmtree(target, ignore_errors=True)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(folder / INDEX_DIR, target)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        material = site_dir / MATERIAL_INDEX
        material.parent.mkdir(parents=True, exist_ok=True)
        stub = {"config": {"lang": lang, "separator": r"[\s\-]+", "pipeline": []}, "docs": []}
        material.write_text(json.dumps(stub), encoding="utf-8")

    def close(self) -> None:
        """Stop indexing without writing (a failed build)."""
        if self._indexer is not None:
            self._indexer.close()
            self._indexer = None
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None


_FIRST_HEADING = re.compile(r"^#\s+(.+)$", re.MULTILINE)
