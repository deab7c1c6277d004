"""The site's search: pmkb's own index fed from the catalog, answered in Material's search box.

Material's own search fetches one index of the whole site and builds it in the browser: 9 MB and
about 5 s before the first result at 1,000 postmortems, 92 MB and a minute at 10,000. pmkb keeps
Material's search box (header, keyboard shortcuts, result list, dark mode) and swaps the engine
behind it: Material lets a site provide the web worker that answers its queries, and pmkb's
worker (``assets/pmkb/search-worker.js``) reads pmkb's index (:mod:`generator.search_index`),
whose words are in small files that a query fetches one or two of.

The records come from the models (:mod:`generator.search_records`), one per incident, plus one
per hand-written page; the incident lists (home, incidents, lessons, actions, services, tags)
are left out so that a search lists incidents, not the lists that mention them. A ``public``
build's catalog has no internal postmortem, so neither has its index. The index is written by
a forked process while MkDocs renders the pages, each record indexed as it comes and let go of.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import json
import multiprocessing
import re
import shutil
import threading
from collections.abc import Iterable, Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from queue import SimpleQueue

from generator.build_cache import BuildCache
from generator.catalog import Catalog
from generator.heap import release_free_memory
from generator.interrupts import holding_interrupts, ignore_interrupts
from generator.render import read_asset
from generator.search_index import write_search_index
from generator.search_records import SearchRecord, build_incident_records, build_page_record

WORKER_ASSET = "search-worker.js"
"""pmkb's search worker, in :data:`generator.render.ASSETS_DIR`."""

INDEX_DIR = "search/pmkb"
"""Where the index lives in the site."""

MATERIAL_INDEX = "search/search_index.json"
"""The file Material fetches before it starts the worker: pmkb writes an empty one."""


_BATCH = 500
"""Records sent to the writing process at a time."""


class SearchIndexError(Exception):
    """The search index could not be written: the message says so, and to build again."""


_MATERIAL_WORKER = re.compile(
    r"(?P<up>(?:\.\./|\./)*)assets/javascripts/workers/search\.[0-9a-f]+\.min\.js"
)

START_ASSET = "search-start.js"
"""The script that starts pmkb's worker as a page opens: inlined into every page's head."""

_CHARSET = '<meta charset="utf-8">'


class SiteSearch:
    """The search index of one build: records go in as pages are made, the index comes out.

    Once the incidents are in (:meth:`add_incidents`), a forked process (:meth:`start`) writes
    the index into the site while MkDocs renders the pages; :meth:`write` waits for it. Without
    ``fork``, the index is written by :meth:`write` itself.
    """

    def __init__(self, *, worker_uri: str) -> None:
        self._worker_uri = worker_uri
        self._pending: list[SearchRecord] = []
        self._folder: Path | None = None
        self._writer: multiprocessing.process.BaseProcess | None = None
        self._jobs: Connection | None = None
        self._failures: Connection | None = None

    def start(self) -> None:
        """Start the process that writes the index, before this one reads the postmortems.

        Forked later, it shared this process's memory as it then was, catalog included, and
        kept each page of it this process went on to change (reading an object writes its
        count of references): at 10,000 incidents, 0.3 GB held by a process that reads none
        of it. Forked early, it gets the records through a pipe. Without ``fork``, nothing is
        started: :meth:`write` writes the index itself.
        """
        if self._writer is not None or "fork" not in multiprocessing.get_all_start_methods():
            return
        context = multiprocessing.get_context("fork")
        self._failures, report = context.Pipe(duplex=False)
        jobs, self._jobs = context.Pipe(duplex=False)
        self._writer = context.Process(
            target=_write_reporting, args=(jobs, report, self._jobs), daemon=True
        )
        with holding_interrupts():
            self._writer.start()
        report.close()
        jobs.close()

    def add_incidents(
        self,
        catalog: Catalog,
        urls: Iterable[tuple[str, str]],
        site_dir: Path,
        *,
        cache: BuildCache | None = None,
    ) -> None:
        """Index every incident of the catalog, then start writing the index into ``site_dir``.

        ``urls`` maps incident ids to page URLs; the records of an earlier build are taken
        from the build ``cache``. Add hand-written pages first.
        """
        by_id = dict(urls)
        incidents = build_incident_records(
            [(p, by_id[p.id]) for p in catalog if p.id in by_id], cache=cache
        )
        self._folder = site_dir / INDEX_DIR
        self.start()
        jobs, self._jobs = self._jobs, None
        if jobs is None:
            self._pending.extend(incidents)
            return
        records, self._pending = itertools.chain(self._pending, incidents), []
        # In batches, sent as the records are made: the pipe pickles what it sends, and all at
        # once was a second copy (and made the writer wait for the last record).
        with jobs, contextlib.closing(incidents):
            for message in _messages(self._folder, records):
                try:
                    jobs.send(message)
                except OSError:  # the writer is gone: write() says so
                    break

    def add_page(self, url: str, title: str, markdown: str) -> None:
        """Queue a hand-written page, from its Markdown (title: the front matter's or heading's)."""
        heading = _FIRST_HEADING.search(markdown)
        title = title or (heading.group(1).strip() if heading else url.strip("/") or "Home")
        self._pending.append(build_page_record(url, title, markdown))

    def point_to_worker(self, html: str) -> str:
        """Return a page's HTML with Material's search worker replaced by pmkb's, started early.

        The worker's start (:data:`START_ASSET`) goes just after the character set, which a
        browser looks for in the first 1,024 bytes, and before any stylesheet, which would hold
        an inline script until it has loaded.
        """
        # Material's configuration comes after the page's text, which may quote the path too.
        config = html.rfind('<script id="__config"')
        found = _MATERIAL_WORKER.search(html, config) if config >= 0 else None
        if found is None:
            return html
        worker = found["up"] + self._worker_uri
        html = html[: found.start()] + worker + html[found.end() :]
        head = html.find(_CHARSET, 0, 1024)
        if head < 0:
            return html
        head += len(_CHARSET)
        return html[:head] + _make_start_script(worker) + html[head:]

    def write(self, site_dir: Path, *, lang: list[str]) -> None:
        """Finish the index in the site (and Material's empty page list)."""
        if self._folder is None:
            raise SearchIndexError("search: no postmortems were indexed")
        writer, self._writer = self._writer, None
        folder, self._folder = self._folder, None
        if writer is None:
            try:
                write_search_index(self._pending, folder)
            except OSError as error:
                raise SearchIndexError(_describe_failure(folder, repr(error))) from None
            finally:
                self._pending = []
        else:
            failure = self._take_failure()
            writer.join()
            if failure or writer.exitcode != 0:
                shutil.rmtree(folder, ignore_errors=True)
                raise SearchIndexError(
                    _describe_failure(folder, failure or f"exit status {writer.exitcode}")
                )
        material = site_dir / MATERIAL_INDEX
        material.parent.mkdir(parents=True, exist_ok=True)
        stub = {"config": {"lang": lang, "separator": r"[\s\-]+", "pipeline": []}, "docs": []}
        material.write_text(json.dumps(stub), encoding="utf-8")

    def close(self) -> None:
        """Stop indexing without writing (a failed build)."""
        jobs, self._jobs = self._jobs, None
        if jobs is not None:
            jobs.close()
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.terminate()
            writer.join()
        self._take_failure()
        self._pending = []
        self._folder = None

    def _take_failure(self) -> str:
        """Wait for the writer's word: "" when the index is written, else what went wrong."""
        failures, self._failures = self._failures, None
        if failures is None:
            return ""
        with failures:
            try:
                return str(failures.recv())
            except EOFError:  # the writer ended without a word: killed
                return "the writing process was stopped"


def _messages(folder: Path, records: Iterable[SearchRecord]) -> Iterator[object]:
    """Yield what the writer is sent: the index's folder, batches of records, then None."""
    yield folder
    records = iter(records)
    while batch := list(itertools.islice(records, _BATCH)):
        yield batch
    yield None


def _write_reporting(jobs: Connection, report: Connection, sending: Connection) -> None:
    """Receive the records and write the index (in the forked process); say how it went.

    Never with a traceback: a failure is the build's, reported there in one line. A build that
    stops before its records are sent closes the pipe, and this process ends without a word.
    ``sending`` is the build's end of the pipe, which the fork copied here: it is closed first,
    or a build killed before its records would leave this process waiting for them forever.
    """
    ignore_interrupts()
    sending.close()
    try:
        with jobs:
            folder = jobs.recv()
            write_search_index(_receive(jobs), folder)
    except EOFError:
        pass  # the build stopped before its records: nothing to say
    except Exception as error:
        report.send(repr(error))
    else:
        report.send("")
    finally:
        report.close()


def _receive(jobs: Connection) -> Iterator[SearchRecord]:
    """Yield the records as they come, each batch let go of once indexed.

    Kept whole until the index was written, the records' texts (0.15 GB at 10,000 incidents)
    were still there when the build's pages took the most memory. A thread takes the batches
    off the pipe as soon as they are sent, so the build's process never waits for the index.
    """
    batches: SimpleQueue[list[SearchRecord] | BaseException | None] = SimpleQueue()

    def take() -> None:
        try:
            while (batch := jobs.recv()) is not None:
                batches.put(batch)
            batches.put(None)
        except BaseException as error:  # the end of the pipe (EOFError): raised below
            batches.put(error)

    threading.Thread(target=take, daemon=True).start()
    while (batch := batches.get()) is not None:
        if isinstance(batch, BaseException):
            raise batch
        batch.reverse()  # taken from the end, in the order sent: each let go of as it goes
        while batch:
            yield batch.pop()
        release_free_memory()  # the texts indexed, handed back rather than kept for later


def _make_start_script(worker: str) -> str:
    """Return the inline ``<script>`` that starts the worker at ``worker``, page-relative."""
    # json.dumps quotes the address as JavaScript; "<" escaped, it cannot end the script.
    address = json.dumps(worker).replace("<", "\\u003c")
    return f"<script>{_read_start_script().replace('ADDRESS', address)}</script>"


@functools.cache
def _read_start_script() -> str:
    """Return :data:`START_ASSET` without its comments and indentation (it is in every page)."""
    lines = (line.strip() for line in read_asset(START_ASSET).decode("utf-8").splitlines())
    return "\n".join(line for line in lines if line and not line.startswith("//"))


def _describe_failure(folder: Path, failure: str) -> str:
    return f"search: writing the index into {folder} failed ({failure}); build again"


_FIRST_HEADING = re.compile(r"^#\s+(.+)$", re.MULTILINE)
