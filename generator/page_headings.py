"""Pages' heading lines rendered with the site's own Markdown, and pages put together from them.

pmkb's pages are Markdown headings and blocks of HTML (:func:`generator.page_blocks.split_page`):
only the headings go through the site's Markdown (its ``toc``, ``attr_list`` and other extensions
make the ids, permalinks and table of contents), where the page is made when it can be (a worker,
on every core), and the HTML is joined in as is (:func:`assemble_page`).

Used by :mod:`generator.generated_page`; imports MkDocs for its front matter and Python-Markdown
for the site's Markdown.
"""

from __future__ import annotations

import hashlib
import pickle
import re
from collections.abc import Iterable
from typing import Any

import markdown  # type: ignore[import-untyped]
from markdown.extensions.toc import nest_toc_tokens  # type: ignore[import-untyped]
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.utils.meta import YAML_RE, get_data

from generator.build_cache import BuildCache, make_key
from generator.page_blocks import split_page
from generator.page_store import PageStore
from generator.page_workers import PARALLEL_FROM, map_on_cores

LINE_MEMORY = 1000
"""Heading lines remembered rendered: the recurring ones, and titles until there are this many."""


class Headings:
    """Renders pages' heading lines with the site's own Markdown configuration."""

    def __init__(self, config: MkDocsConfig) -> None:
        self.config = config
        self.markdown: Any = None
        self.cache: BuildCache | None = None
        """Where headings rendered by an earlier build are kept (the pages' build cache)."""
        self.ready: dict[tuple[str, ...], bytes | tuple[int, int]] = {}
        """Headings rendered ahead by :meth:`prerender` or :meth:`prepare`, by their lines,
        pickled until asked for: as objects, a page's table of contents took some 30 KB, and
        at 10,000 incidents this process held 0.3 GB of them while MkDocs read the pages.
        Those of :meth:`prepare` wait in the :attr:`store` when there is one (its places)."""
        self.pages: dict[str, bytes | tuple[int, int]] = {}
        """Pages :meth:`prepare` made, by path, pickled until asked for (or their places in the
        :attr:`store`)."""
        self.store: PageStore | None = None
        """Where prepared headings wait until MkDocs reads their page (the build's pages')."""
        self._settings: str | None = None
        """The site's Markdown settings as text, part of every cache key (made once)."""
        self._lines: dict[str, tuple[list[str], list[Any]] | None] = {}
        """Heading lines rendered alone, by line (at most :data:`LINE_MEMORY` of them)."""
        self._by_line: bool | None = None
        """Whether joining lines rendered alone gives what a whole conversion does (None:
        not checked yet in this process)."""

    def render(self, lines: list[str]) -> tuple[list[str], list[Any]] | None:
        """Return the HTML of each heading line and the table of contents.

        None when a line does not give exactly one element: the caller then renders the page
        the usual way.
        """
        ready = self.ready.pop(tuple(lines), None)  # asked for once: a page's own headings
        if ready is not None:
            data = self._read(ready)
            return pickle.loads(data)  # type: ignore[no-any-return]  # noqa: S301 - ours
        return self._find_or_convert(tuple(lines), self._key(lines))

    def prepare(self, page: str) -> Prepared | None:
        """Render a page's headings where the page is made (a worker, on every core).

        ``page`` is the page's text as generated, front matter included. The result goes to
        :meth:`take` in the build's own process: the headings (for the cache) and the page's
        HTML, table of contents and ids, made as :meth:`GeneratedPage.render` would make them
        from the same Markdown; None for a page not of pmkb's shape.
        """
        markdown, _ = get_data(page)  # as MkDocs reads the page
        blocks = split_page(markdown)
        if blocks is None:
            return None
        lines = tuple(line for kind, line in blocks if kind == "heading")
        # Nothing is kept here for a page with the same headings: every incident page has its
        # own (its title), and a worker holding all it made only grew. The cache entry's file
        # is written here, from the bytes sent back; :meth:`take` keeps its key.
        key = self._key(list(lines))
        found = self.cache.get(key) if self.cache is not None else None
        result = found if isinstance(found, tuple) else self._convert(lines)
        if result is None:
            return lines, key, None, None
        data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        if self.cache is not None and found is None:
            self.cache.write(key, data)
        if self.store is None:  # pmkb serve: made as MkDocs reads it, not held in memory
            return lines, key, data, None
        made = (_digest(markdown), *assemble_page(blocks, result))
        return lines, key, data, pickle.dumps(made, protocol=pickle.HIGHEST_PROTOCOL)

    def keep(self, item: Prepared | None) -> Prepared | None:
        """Return what :meth:`prepare` gave, its pickled parts put in the :attr:`store`.

        Called where the page is made (a worker, when there are many): some 15 KB of
        headings and the page's HTML, held otherwise from then until MkDocs reads the page,
        and sent to the build's process first.
        """
        if item is None or self.store is None:
            return item
        lines, key, data, made = item
        if isinstance(data, bytes):
            data = self.store.put_bytes(data)
        if isinstance(made, bytes):
            made = self.store.put_bytes(made)
            # The page is made: :meth:`take` needs its heading lines no more, and at 10,000
            # incidents they held some 40 MB in the build's process until every page was made.
            lines = ()
        return lines, key, data, made

    def take(self, prepared: Iterable[tuple[str, Prepared | None]]) -> None:
        """Keep what :meth:`prepare` made of each page, by its path.

        :meth:`take_page` finds the page, :meth:`render` the headings of one made otherwise.
        """
        for path, item in prepared:
            if item is None:
                continue
            lines, key, data, made = item
            if data is None:
                continue
            if made is not None:
                self.pages[path] = made
            else:
                self.ready[lines] = data
            if self.cache is not None:
                if self.cache.memory is None:
                    self.cache.keep(key, None)  # only counted as used: nothing is remembered
                else:
                    self.cache.keep_pickled(key, self._read(data))

    def take_page(self, path: str, markdown: str) -> Made | None:
        """Return the page :meth:`prepare` made of ``path``, if it was from this Markdown.

        Asked for once. None when no worker made the page, or when the Markdown is not the one
        it was made from (another plugin changed it): the page is then made again here.
        """
        found = self.pages.pop(path, None)
        if found is None:
            return None
        digest, html, toc, ids = pickle.loads(self._read(found))  # noqa: S301 - ours
        return (html, toc, ids) if digest == _digest(markdown) else None

    def _read(self, data: bytes | tuple[int, int]) -> bytes:
        if isinstance(data, bytes):
            return data
        if self.store is None:  # never: only a store makes places
            raise ValueError("pmkb: prepared headings without their store")
        return self.store.get_bytes(data)

    def prerender(self, pages: Iterable[str]) -> None:
        """Render the headings of many pages ahead, on every core: :meth:`render` finds them.

        ``pages`` are the pages' texts as generated, front matter included.

        A cold build of a large knowledge base renders some 20 headings on each of thousands
        of incident pages; it is the one Markdown pass left on them.
        """
        todo: dict[tuple[str, ...], str] = {}
        for text in pages:
            lines = _heading_lines(text)
            if lines is None:
                continue
            key = self._key(list(lines))
            if lines not in todo and (self.cache is None or self.cache.get(key) is None):
                todo[lines] = key
        if len(todo) < PARALLEL_FROM:
            return  # rendered one by one as MkDocs asks: no worker would pay for itself
        self._make_markdown()  # before the workers fork: each would build its own
        work = list(todo)
        with map_on_cores(work, self._convert) as results:
            for lines, result in zip(work, results(), strict=True):
                if result is None:
                    continue
                data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
                self.ready[lines] = data
                if self.cache is not None:
                    self.cache.keep_pickled(todo[lines], data)
                    self.cache.write(todo[lines], data)

    def _find_or_convert(
        self, lines: tuple[str, ...], key: str
    ) -> tuple[list[str], list[Any]] | None:
        """Return the headings from the cache, else rendered now (and put in the cache)."""
        if self.cache is not None:
            found = self.cache.get(key)
            if isinstance(found, tuple):
                return found
        result = self._convert(lines)
        if self.cache is not None and result is not None:
            self.cache.put(key, result)
        return result

    def _key(self, lines: list[str]) -> str:
        if self.cache is None:
            return ""
        if self._settings is None:  # read once every plugin's on_config is done, then kept
            # The Markdown settings as text, less the addresses of functions (new each run).
            settings = repr((self.config.markdown_extensions, self.config.mdx_configs))
            self._settings = _ADDRESS.sub("", settings)
        return make_key("headings", self._settings, *lines)

    def _make_markdown(self) -> Any:
        if self.markdown is None:  # made once per build: building it costs more than using it
            self.markdown = markdown.Markdown(
                extensions=self.config.markdown_extensions,
                extension_configs=self.config.mdx_configs or {},
            )
        return self.markdown

    def _convert(self, lines: tuple[str, ...]) -> tuple[list[str], list[Any]] | None:
        """Return the HTML of each heading line and the table of contents, or None.

        Most lines recur from page to page (``## Summary``, ``## Timeline``): each is rendered
        once and remembered, and a page joins its lines' HTML and table of contents, as one
        conversion of all of them would make it when their ids differ. Once per process, the
        first page so joined is converted whole too: if the two differ (an extension that
        numbers headings, say), every page is converted whole from then on.
        """
        if self._by_line is not False and len(lines) > 1:
            joined = self._join_lines(lines)
            if joined is not None:
                if self._by_line is None:
                    whole = self._convert_whole(lines)
                    self._by_line = joined == whole
                    return whole
                return joined
        return self._convert_whole(lines)

    def _join_lines(self, lines: tuple[str, ...]) -> tuple[list[str], list[Any]] | None:
        """Return a page's headings from each line's, None if ids clash or a line is odd."""
        parts: list[str] = []
        flat: list[dict[str, Any]] = []
        ids: set[str] = set()
        for line in lines:
            if line not in self._lines:
                if len(self._lines) >= LINE_MEMORY:
                    self._lines.clear()  # titles are each page's own: start again
                self._lines[line] = self._convert_whole((line,))
            one = self._lines[line]
            if one is None:
                return None
            html, tokens = one
            found = _ID.findall(html[0])
            if ids.intersection(found):
                return None  # the site's Markdown would make them unique: "id_1"
            ids.update(found)
            parts.append(html[0])
            # Copies: nesting gives each token its children, and these are remembered.
            flat.extend({**token, "children": []} for token in tokens)
        return parts, nest_toc_tokens(flat)

    def _convert_whole(self, lines: tuple[str, ...]) -> tuple[list[str], list[Any]] | None:
        engine = self._make_markdown()
        engine.reset()
        html = engine.convert("\n\n".join(lines)) if lines else ""
        parts = html.split("\n") if html else []
        if len(parts) != len(lines):
            return None
        return parts, list(getattr(engine, "toc_tokens", []))


Prepared = tuple[
    tuple[str, ...], str, bytes | tuple[int, int] | None, bytes | tuple[int, int] | None
]
"""A page's heading lines, their key in the cache, their HTML and table of contents, and the
page made (:data:`Made`, with the digest of its Markdown), each pickled (or where they wait in
the page store)."""

Made = tuple[str, list[Any], list[str]]
"""A page's HTML, its table of contents (as the ``toc`` extension's tokens) and its ids."""


def assemble_page(blocks: list[tuple[str, str]], rendered: tuple[list[str], list[Any]]) -> Made:
    """Return a page's HTML, table of contents and ids from its blocks and headings.

    ``blocks`` as :func:`~generator.page_blocks.split_page` gives them, ``rendered`` as
    :meth:`Headings.render` does.
    """
    headings, toc = rendered
    parts = iter(headings)
    html = "\n".join(next(parts) if kind == "heading" else text for kind, text in blocks)
    return html, toc, _ID.findall(html)


def _digest(markdown: str) -> bytes:
    return hashlib.blake2b(markdown.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _heading_lines(page: str) -> tuple[str, ...] | None:
    """Return the heading lines of a page as generated, None if it is not of pmkb's shape."""
    # Without its front matter, as MkDocs gives the page to :meth:`GeneratedPage.render`.
    front_matter = YAML_RE.match(page)
    blocks = split_page(page[front_matter.end() :] if front_matter else page)
    if blocks is None:
        return None
    return tuple(line for kind, line in blocks if kind == "heading")


_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


_ID = re.compile(r'\sid="([^"]+)"')
