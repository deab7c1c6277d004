"""Incident pages put through the theme's template on every core, ahead of MkDocs' own loop.

MkDocs builds its pages one after another: for each, the theme's ``main.html`` (with Material
some 10 ms a page, most of it drawing the navigation) between the plugins' ``on_page_context``
and ``on_post_page``. With thousands of incidents, that loop is the largest part of a build left
on one core. Once every page is read (the plugin's ``on_env``), :class:`ThemeRenders` has forked
workers render chunks of the incident pages exactly as the loop would (MkDocs' context, the
plugins' ``on_page_context``, the page's template) and send back the HTML. Chunks alternate
between the workers and the loop, so that a worker's chunk is ready when the loop gets to it and
few wait in memory. For a worker's page the loop finds a template that prints the HTML sent
(:data:`READY_TEMPLATE`, set as the page's template until the loop asks for it): the plugins'
``on_post_page`` and the writing of the file stay the loop's, once, in this process, as for every
other page.

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
"""Chunks asked of each worker ahead of the loop: the rest wait, so that memory holds a few."""


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
        """Start rendering the workers' chunks of ``pages`` (in the order the loop builds them).

        With fewer pages than :data:`~generator.page_workers.PARALLEL_FROM` or a single core,
        nothing is started: the loop renders every page itself.
        """
        self._owner = os.getpid()
        self._positions: dict[int, int] = {}
        self._templates: dict[int, str | None] = {}
        self._pending: list[int] = []
        self._futures: dict[int, Future[list[str]]] = {}
        self._ready: dict[int, list[str | None]] = {}
        self._workers: Workers | None = None
        cores = count_workers(len(pages))
        if len(pages) < PARALLEL_FROM or cores <= 1:
            return
        # Of each run of ``cores + 1`` chunks, the loop renders the first, the workers the
        # others: the loop also runs ``on_post_page`` and writes every page (a quarter of the
        # work of a page it renders), so with half the pages it kept a worker waiting.
        theirs = [
            page
            for start in range(0, len(pages), CHUNK)
            if (start // CHUNK) % (cores + 1)
            for page in pages[start : start + CHUNK]
        ]
        templates = [str(page.meta.get("template", "main.html")) for page in theirs]

        def render(number: int) -> str:
            return render_with_theme(
                theirs[number],
                templates[number],
                config=config,
                nav=nav,
                doc_files=doc_files,
                env=env,
            )

        for number, page in enumerate(theirs):
            self._positions[id(page)] = number
            self._templates[id(page)] = page.meta.get("template")
            page.meta["template"] = READY_TEMPLATE
        ready = jinja2.DictLoader({READY_TEMPLATE: "{{ " + READY_VARIABLE + " }}"})
        env.loader = jinja2.ChoiceLoader([ready, env.loader] if env.loader else [ready])
        self._pending = list(range(0, len(theirs), CHUNK))[::-1]
        self._workers = Workers(render, range(len(theirs)), cores - 1)
        for _ in range(AHEAD * (cores - 1)):
            self._submit_next()

    def take(self, page: Page) -> Markup | None:
        """Return a worker's HTML of a page (waiting for it), or None if the loop renders it.

        The page's own template is set back: the loop has already asked for the one to use.
        """
        number = self._positions.pop(id(page), None) if os.getpid() == self._owner else None
        if number is None:
            return None
        original = self._templates.pop(id(page))
        if original is None:
            page.meta.pop("template", None)
        else:
            page.meta["template"] = original
        chunk, offset = number - number % CHUNK, number % CHUNK
        while chunk not in self._ready:
            if chunk not in self._futures:
                if not self._pending or self._workers is None:  # closed: the build has failed
                    raise PluginError(f"postmortems: {page.file.src_uri} was never rendered")
                self._submit_next()
                continue
            try:
                self._ready[chunk] = list(self._futures.pop(chunk).result())
            except BrokenProcessPool:
                raise PluginError(
                    "postmortems: a page worker stopped before its pages were rendered; build again"
                ) from None
            self._submit_next()
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

    def _submit_next(self) -> None:
        if self._pending and self._workers is not None:
            start = self._pending.pop()
            self._futures[start] = self._workers.submit(start, start + CHUNK)


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
