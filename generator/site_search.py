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
from collections.abc import Iterable
from pathlib import Path

from generator.catalog import Catalog
from generator.pagefind_client import PagefindIndexer
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

    def add_incidents(self, catalog: Catalog, urls: Iterable[tuple[str, str]]) -> None:
        """Index every incident of the catalog; ``urls`` maps incident ids to page URLs."""
        by_id = dict(urls)
        records = [
            build_incident_record(postmortem, by_id[postmortem.id])
            for postmortem in catalog
            if postmortem.id in by_id
        ]
        language = choose_language((r.content for r in records), self._default_language)
        self._indexer = PagefindIndexer(language=language)
        for record in [*self._pending, *records]:
            self._add(record)
        self._pending = []

    def add_page(self, url: str, title: str, html: str) -> None:
        """Index a hand-written page from its rendered HTML."""
        record = build_page_record(url, title, html)
        if self._indexer is None:
            self._pending.append(record)
        else:
            self._add(record)

    def _add(self, record: SearchRecord) -> None:
        assert self._indexer is not None
        self._indexer.add(url=record.url, content=record.content, meta=record.meta)

    def point_to_worker(self, html: str) -> str:
        """Return a page's HTML with Material's search worker replaced by pmkb's."""
        return _MATERIAL_WORKER.sub(self._worker_uri, html, count=1)

    def write(self, site_dir: Path, *, lang: list[str]) -> None:
        """Write the index into the site (and Material's empty page list); stop indexing."""
        if self._indexer is None:
            self._indexer = PagefindIndexer(language=self._default_language)
            for record in self._pending:
                self._add(record)
        indexer, self._indexer = self._indexer, None
        indexer.write(site_dir / INDEX_DIR)
        for name in _UNUSED:  # Pagefind's own search UIs: pmkb uses Material's
            (site_dir / INDEX_DIR / name).unlink(missing_ok=True)
        material = site_dir / MATERIAL_INDEX
        material.parent.mkdir(parents=True, exist_ok=True)
        stub = {"config": {"lang": lang, "separator": r"[\s\-]+", "pipeline": []}, "docs": []}
        material.write_text(json.dumps(stub), encoding="utf-8")

    def close(self) -> None:
        """Stop indexing without writing (a failed build)."""
        if self._indexer is not None:
            self._indexer.close()
            self._indexer = None
