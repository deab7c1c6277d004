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
import threading
from collections.abc import Iterable
from pathlib import Path

from generator.build_cache import BuildCache
from generator.catalog import Catalog
from generator.pagefind_client import PagefindError, PagefindIndexer
from generator.search_records import (
    SearchRecord,
    build_incident_records,
    build_page_record,
    choose_language,
)

WORKER_ASSET = "search-worker.js"
"""pmkb's search worker, in :data:`generator.render.ASSETS_DIR`."""

INDEX_DIR = "pagefind"
"""Where the index lives in the site."""

MATERIAL_INDEX = "search/search_index.json"
"""The file Material fetches before it starts the worker: pmkb writes an empty one."""

SHARDS_FILE = "pmkb-shards.json"
"""The list of the index's other pieces, in :data:`INDEX_DIR`: ``{"shards": ["shard-1/"]}``."""

DEFAULT_SHARD = 1000
"""Records per piece of the index unless the site says otherwise (``search_shard``): Pagefind
holds about 0.4 GB while it writes a piece of this size."""

SHARD_PREFIX = "shard-"
"""The folders of the index's other pieces, in :data:`INDEX_DIR`: ``shard-1/`` ..."""

_UNUSED = tuple(
    f"pagefind-{ui}.{ext}"
    for ui in ("ui", "component-ui", "modular-ui", "highlight")
    for ext in ("js", "css")
)

_MATERIAL_WORKER = re.compile(r"assets/javascripts/workers/search\.[0-9a-f]+\.min\.js")


class SiteSearch:
    """The search index of one build: records go in as pages are made, the index comes out.

    The index is written in pieces (shards) of about ``shard`` records, one after another by
    a Pagefind service each, in a thread while MkDocs renders the pages: Pagefind holds the
    whole of an index in memory while it writes it, some 0.4 GB per thousand postmortems. The
    first piece is ``pagefind/``, the others ``pagefind/shard-N/``, listed in
    ``pagefind/pmkb-shards.json``; the search worker merges them in the browser (Pagefind's
    ``mergeIndex``), each query fetching a few small files of each.
    """

    def __init__(self, *, language: str, worker_uri: str, shard: int = DEFAULT_SHARD) -> None:
        self._default_language = language
        self._worker_uri = worker_uri
        self._shard = max(1, shard)
        self._pending: list[SearchRecord] = []
        self._folder: Path | None = None
        self._writer: threading.Thread | None = None
        self._stopping = threading.Event()
        self._indexer: PagefindIndexer | None = None
        self._lock = threading.Lock()
        self._failure: PagefindError | None = None

    def add_incidents(
        self,
        catalog: Catalog,
        urls: Iterable[tuple[str, str]],
        *,
        cache: BuildCache | None = None,
    ) -> None:
        """Index every incident of the catalog, then start writing the index.

        ``urls`` maps incident ids to page URLs; the records of an earlier build are taken
        from the build ``cache``. Add hand-written pages first: Pagefind writes the index in its
        own processes while MkDocs renders the pages, and :meth:`write` only waits for it and
        moves it into the site.
        """
        by_id = dict(urls)
        records = [
            *self._pending,
            *build_incident_records(
                [(p, by_id[p.id]) for p in catalog if p.id in by_id], cache=cache
            ),
        ]
        self._pending = []
        language = choose_language((r.content for r in records), self._default_language)
        shards = cut_into_pieces(records, self._shard)
        self._folder = Path(tempfile.mkdtemp(prefix="pmkb-search-"))
        self._writer = threading.Thread(
            target=self._write_shards,
            args=(shards, language, self._folder / INDEX_DIR),
            daemon=True,
        )
        self._writer.start()

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
        if self._writer is None or self._folder is None:
            raise PagefindError("search: no postmortems were indexed")
        writer, self._writer = self._writer, None
        folder, self._folder = self._folder, None
        try:
            writer.join()
            if self._failure is not None:
                raise self._failure
            for unused in (p for name in _UNUSED for p in (folder / INDEX_DIR).rglob(name)):
                unused.unlink()  # Pagefind's own search UIs: pmkb uses Material's
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
        self._stopping.set()
        with self._lock:
            if self._indexer is not None:
                self._indexer.close()  # the writer's wait ends: the service has stopped
        if self._writer is not None:
            self._writer.join()
            self._writer = None
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    def _write_shards(self, shards: list[list[SearchRecord]], language: str, folder: Path) -> None:
        """Write each shard with a Pagefind service of its own, one after another (a thread)."""
        names = [f"{SHARD_PREFIX}{number}" for number in range(1, len(shards))]
        try:
            for shard, target in zip(shards, [folder, *(folder / n for n in names)], strict=True):
                with self._lock:
                    if self._stopping.is_set():
                        return
                    self._indexer = indexer = PagefindIndexer(language=language)
                for record in shard:
                    indexer.add(url=record.url, content=record.content, meta=record.meta)
                shard.clear()  # the service has the records: no need to hold them twice
                indexer.start_writing(target)
                indexer.finish_writing()  # waits, stops the service, checks the files
                with self._lock:
                    self._indexer = None
            folder.mkdir(parents=True, exist_ok=True)
            manifest = {"shards": [f"{name}/" for name in names]}
            (folder / SHARDS_FILE).write_text(json.dumps(manifest), encoding="utf-8")
        except Exception as error:  # reported by write(), in the build's thread
            self._failure = (
                error
                if isinstance(error, PagefindError)
                else PagefindError(f"search: writing the index failed ({error!r}); build again")
            )
        finally:
            with self._lock:
                if self._indexer is not None:
                    self._indexer.close()
                    self._indexer = None


def cut_into_pieces(records: list[SearchRecord], shard: int) -> list[list[SearchRecord]]:
    """Return the records, in order, in pieces of about ``shard`` records, evened out.

    As many pieces as the records fill, rounded, all of one size: 1,010 records in pieces of
    1,000 make one piece, not a second one of 10 records that every first search would fetch.
    No record at all still makes one (empty) piece: the search worker finds an index to load.
    """
    pieces = max(1, round(len(records) / max(1, shard)))
    size = max(1, -(-len(records) // pieces))
    return [records[start : start + size] for start in range(0, len(records), size)] or [[]]


_FIRST_HEADING = re.compile(r"^#\s+(.+)$", re.MULTILINE)
