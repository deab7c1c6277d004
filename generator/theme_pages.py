"""Incident pages put through the theme's template on every core, ahead of MkDocs' own loop.

MkDocs builds its pages one after another: for each, the theme's ``main.html`` (with Material
some 10 ms a page, most of it drawing the navigation) between the plugins' ``on_page_context``
and ``on_post_page``. With thousands of incidents, that loop is the largest part of a build left
on one core. Once every page is read (the plugin's ``on_env``), :class:`ThemeRenders` has forked
workers render chunks of the incident pages exactly as the loop would (MkDocs' context, the
plugins' ``on_page_context``, the page's template) and send back the HTML. The chunks a few
ahead of the loop are given out as it goes: to a worker with fewer than :data:`AHEAD` in hand,
else to the loop itself, so that neither waits for the other however fast each is (the loop also
runs ``on_post_page`` and writes every page). For a worker's page the loop finds a template that
prints the HTML sent (:data:`READY_TEMPLATE`, set as the page's template until the loop asks
for it): the plugins' ``on_post_page`` and the writing of the file stay the loop's, once, in this
process, as for every other page.

Used by the MkDocs plugin (:mod:`generator.plugin`), one of the modules that import MkDocs.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool

import jinja2
from markupsafe import Markup
from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from generator.page_workers import PARALLEL_FROM, Workers, count_workers

READY_TEMPLATE = "pmkb-rendered.html"
"""The template of a page a worker rendered: it prints the HTML sent."""

READY_VARIABLE = "pmkb_rendered"
"""The name of that HTML in the page's template context."""

CHUNK = 25
"""Pages in a chunk: large enough that a message back is worth its cost, small enough that
the loop never waits long for the first one."""

AHEAD = 2
"""Chunks a worker has in hand at most (asked of it, not yet taken by the loop): more ahead of
the loop are the loop's own, so that few wait in memory."""


class ThemeRenders:
    """The incident pages' HTML, rendered by forked workers while MkDocs' loop renders others."""

    def __init__(
        self,
        pages: Sequence[Page],
        *,
        config: MkDocsConfig,
        nav: Navigation,
        doc_files: Sequence[File],
        env: jinja2.Environment,
    ) -> None:
        """Start rendering the first chunks of ``pages`` (in the order the loop builds them).

        With fewer pages than :data:`~generator.page_workers.PARALLEL_FROM` or a single core,
        nothing is started: the loop renders every page itself.
        """
        self._owner = os.getpid()
        self._pages = list(pages)
        self._numbers = {id(page): number for number, page in enumerate(self._pages)}
        self._templates: dict[int, str | None] = {}
        """The template each page given to a worker had, by page."""
        self._futures: dict[int, Future[list[str]]] = {}
        self._ready: dict[int, list[str | None]] = {}
        self._next = 0
        """Where the first chunk not yet given out starts."""
        self._hands = 0
        self._workers: Workers | None = None
        cores = count_workers(len(pages))
        if len(pages) < PARALLEL_FROM or cores <= 1:
            return
        templates = [str(page.meta.get("template", "main.html")) for page in self._pages]

        def render(number: int) -> str:
            return render_with_theme(
                pages[number],
                templates[number],
                config=config,
                nav=nav,
                doc_files=doc_files,
                env=env,
            )

        ready = jinja2.DictLoader({READY_TEMPLATE: "{{ " + READY_VARIABLE + " }}"})
        env.loader = jinja2.ChoiceLoader([ready, env.loader] if env.loader else [ready])
        self._hands = AHEAD * (cores - 1)
        self._workers = Workers(render, range(len(self._pages)), cores - 1)
        self._give_out(0)

    def take(self, page: Page) -> Markup | None:
        """Return a worker's HTML of a page (waiting for it), or None if the loop renders it.

        The page's own template is set back: the loop has already asked for the one to use.
        """
        number = self._numbers.pop(id(page), None) if os.getpid() == self._owner else None
        if number is None:
            return None
        chunk, offset = number - number % CHUNK, number % CHUNK
        self._give_out(chunk)
        if id(page) not in self._templates:
            return None  # the loop's own
        original = self._templates.pop(id(page))
        if original is None:
            page.meta.pop("template", None)
        else:
            page.meta["template"] = original
        if chunk not in self._ready:
            future = self._futures.pop(chunk, None)
            if future is None:  # closed: the build has failed
                raise PluginError(f"postmortems: {page.file.src_uri} was never rendered")
            try:
                self._ready[chunk] = list(future.result())
            except BrokenProcessPool:
                raise _worker_stopped() from None
        html = self._ready[chunk][offset]
        self._ready[chunk][offset] = None  # let go of each page's HTML once it is written
        if all(part is None for part in self._ready[chunk]):
            del self._ready[chunk]
        return Markup(html)  # noqa: S704  (the theme's own output, already HTML)

    def close(self) -> None:
        """Stop the workers (a build that failed drops the chunks not started)."""
        if self._workers is not None:
            self._workers.close()
            self._workers = None

    def _give_out(self, at: int) -> None:
        """Give out the chunks ahead of the loop's, which starts at ``at``.

        Each goes to a worker with room in its hands, else to the loop: a worker kept busy
        without work piling up, and the loop rendering what the workers cannot. A chunk is
        given out a few ahead, before the loop asks for its pages' template.
        """
        if self._workers is None:
            return
        self._next = max(self._next, at + CHUNK)  # the loop is at its chunk already
        end = min(len(self._pages), at + (2 * self._hands + 2) * CHUNK)
        while self._next < end:
            start, self._next = self._next, self._next + CHUNK
            if sum(not future.done() for future in self._futures.values()) >= self._hands:
                continue  # the loop's
            for page in self._pages[start : start + CHUNK]:
                self._templates[id(page)] = page.meta.get("template")
                page.meta["template"] = READY_TEMPLATE
            try:
                self._futures[start] = self._workers.submit(start, start + CHUNK)
            except BrokenProcessPool:
                raise _worker_stopped() from None


def _worker_stopped() -> PluginError:
    return PluginError(
        "postmortems: a page worker stopped before its pages were rendered; build again"
    )


def render_with_theme(
    page: Page,
    template_name: str,
    *,
    config: MkDocsConfig,
    nav: Navigation,
    doc_files: Sequence[File],
    env: jinja2.Environment,
) -> str:
    """Return a page's HTML as MkDocs' ``_build_page`` renders it, before ``on_post_page``.

    ``doc_files`` are the site's pages (MkDocs' ``pages`` in the template context).
    """
    config._current_page = page  # as MkDocs sets it, for the plugins
    page.active = True
    try:
        context = get_context(nav, doc_files, config, page)
        template = env.get_template(template_name)
        context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
        return template.render(context)
    finally:
        page.active = False
        config._current_page = None
