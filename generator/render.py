"""Render: the catalog becomes the site's pages, as Markdown, through Jinja2 templates.

:func:`render_site` returns every generated page as ``{site path: Markdown}`` plus the files
pages link to (images next to postmortems). Both the MkDocs plugin (:mod:`generator.plugin`) and
``pmkb generate`` use it, so a site built by MkDocs and one built from generated files by any
engine that reads ``mkdocs.yml`` show the same pages.

Templates are looked up first in the knowledge base's ``templates/site/`` folder, then in the
package's own ``generator/templates/site/`` (:mod:`generator.page_templates`): a team overrides a
page by copying its template; :mod:`generator.site_files` writes a site into a folder.
Templates are autoescaped; author Markdown arrives in them already rendered to safe HTML
(:mod:`generator.views`, :mod:`generator.incident_page`), and the ``md`` filter escapes a
one-line value for a Markdown line (headings). Each page starts with front matter that pmkb
writes with ``yaml.safe_dump``: only its own keys (``title``, ``tags``, ``hide``, ``search``),
with HTML-escaped values, never the author's.

The pages:

====================  =========================  ==========================================
site path             template                   what
====================  =========================  ==========================================
``index.md``          ``home.md.j2``             counts, recent incidents, top lessons,
                                                 oldest open action items
``<prefix>/index.md`` ``incidents.md.j2``        every incident, filterable
``<prefix>/<slug>.md`` ``incident.md.j2``        one incident
``lessons.md``        ``lessons.md.j2``          lessons across incidents (recurring first)
``themes.md``         ``themes.md.j2``           incidents per failure theme per year
``actions.md``        ``actions.md.j2``          open action items across incidents
``services.md``       ``services.md.j2``         incidents by service, each one's incidents
                                                 over time and open action items
``insights.md``       ``insights.md.j2``         charts across incidents (over time,
                                                 durations, backlog, services, themes)
``tags.md``           ``tags.md.j2``             incidents by tag (Material's tags plugin)
====================  =========================  ==========================================
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import jinja2

from generator.build_cache import BuildCache, make_key
from generator.catalog import Catalog
from generator.clock import find_today
from generator.collector import paused_collection
from generator.feed import FEED_PATH
from generator.heap import release_free_memory
from generator.incident_page import build_incident_view
from generator.list_pages import LIST_GROUPS, ListGroup, ListRenderer
from generator.models import Postmortem
from generator.page_inputs import describe_page_inputs, describe_site_inputs
from generator.page_store import PageStore, Place, StoredTexts
from generator.page_templates import create_environment, render_page
from generator.page_workers import count_workers, map_on_cores
from generator.settings import Settings
from generator.site_files import RenderError, WriteReport, write_site
from generator.views import SiteContext

# The MkDocs plugin and the tests import the page-writing names from here too.
__all__ = [
    "ASSETS_DIR",
    "ASSETS_SITE_DIR",
    "ASSET_FILES",
    "SITE_PAGES",
    "RenderError",
    "Site",
    "SiteOptions",
    "WriteReport",
    "create_environment",
    "read_asset",
    "render_incident_page",
    "render_pages",
    "render_site",
    "write_site",
]

ASSETS_DIR = Path(__file__).parent / "assets"
"""The CSS and JavaScript that pmkb adds to the site."""

ASSET_FILES = ("pmkb.css", "pmkb.js", "palette.js")
"""The files of :data:`ASSETS_DIR`, in the order pages load them."""

ASSETS_SITE_DIR = "assets/pmkb"
"""Where the assets live in the site."""

SITE_PAGES = (
    "index.md",
    "insights.md",
    "lessons.md",
    "themes.md",
    "actions.md",
    "services.md",
    "tags.md",
)
"""The generated pages outside the incidents folder."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteOptions:
    """How the site around the pages is built."""

    today: dt.date
    """The day overdue action items and ages are computed for."""
    site_name: str = "Postmortems"
    """The site's name, shown on the home page."""
    directory_urls: bool = True
    """Whether pages live at ``name/`` (MkDocs' default) or at ``name.html``."""
    tags_plugin: bool = True
    """Whether Material's tags plugin lists the tags (else pmkb's tags page does)."""
    site_url: str = ""
    """The site's address (``site_url`` of ``mkdocs.yml``), for the feed's absolute links."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Site:
    """The generated part of a site."""

    pages: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Markdown of each generated page, by site path, in a stable order."""
    assets: Mapping[str, Path] = field(default_factory=lambda: MappingProxyType({}))
    """Files that pages link to, by site path (images next to the postmortems)."""
    files: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Other generated files by site path: the Atom feed (:data:`~generator.feed.FEED_PATH`)."""
    prepared: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    """What :func:`render_site`'s ``prepare`` gave for each incident page it rendered."""


def render_pages(
    catalog: Catalog, settings: Settings, options: SiteOptions | None = None
) -> dict[str, str]:
    """Return the Markdown of every generated page, by site path."""
    return dict(render_site(catalog, settings, options).pages)


@paused_collection()
def render_site(
    catalog: Catalog,
    settings: Settings,
    options: SiteOptions | None = None,
    *,
    cache: BuildCache | None = None,
    store: PageStore | None = None,
    prepare: Callable[[str], Any] | None = None,
    keep: Callable[[Any], Any] | None = None,
) -> Site:
    """Return the generated pages and the files they link to.

    With a ``cache``, an incident page whose inputs (:mod:`generator.page_inputs`) are those of
    an earlier build is taken from it rather than rendered again. List pages, then incident
    pages, are rendered on every core (:func:`~generator.page_workers.map_on_cores`). With a
    ``store``, each page's Markdown is put in it where the page is rendered, rather than all
    of them in memory (the site's pages then read them back from disk, one at a time).
    Rendering makes few reference cycles: the cycle collector is paused meanwhile
    (:mod:`generator.collector`). ``prepare`` is called with each incident page's Markdown where
    the page is rendered (a worker, when there are many): the site engine's next step for the
    page, done on every core; ``keep`` is applied there to what it gave (to put it in the
    store): what :attr:`Site.prepared` holds.
    """
    options = options or SiteOptions(today=find_today())
    environment = create_environment(settings)
    context = _make_context(catalog, settings, options)
    shared = (
        describe_site_inputs(context, options, (settings.templates_dir / "site",))
        if cache is not None
        else ""
    )
    pages = StoredTexts(store)
    page_assets: dict[str, dict[str, Path]] = {}
    keys = _take_cached(context, cache, shared, pages, page_assets) if cache is not None else {}

    # A page is stored where it is made (a worker, when there are many), as is what ``keep``
    # keeps: only their places come back here, not some 75 KB a page to unpickle and write.
    def render_incident(postmortem: Postmortem) -> tuple[str | Place, dict[str, Path], Any]:
        with context.collecting_assets() as mine:
            try:
                markdown = _render_incident(environment, context, options, postmortem)
            finally:
                context.forget_page(postmortem)
        if cache is not None:  # in a worker, its file: this process keeps the key
            cache.put(keys[context.incident_page(postmortem)], (markdown, mine))
        ready = prepare(markdown) if prepare is not None else None
        return pages.stash(markdown), mine, keep(ready) if keep is not None else ready

    def render_task(task: ListGroup | Postmortem) -> tuple[str, Any]:
        if isinstance(task, Postmortem):
            return context.incident_page(task), render_incident(task)
        mine = _make_context(catalog, settings, options)
        return "", _render_list(task, environment, mine, options, pages)

    missing = [p for p in catalog if context.incident_page(p) not in page_assets]
    catalog.links  # noqa: B018  (linked once here, before the workers fork: every page shows links)
    prepared: dict[str, Any] = {}
    lists: set[str] = set()
    files: dict[str, str] = {}
    # One pass on every core: the list pages first, each group a task of its own (together
    # they take as long as hundreds of incident pages; started last, the costliest ended well
    # after the others), then the incident pages. The same workers do both: each holds a copy
    # of what it reads of the catalog (reading an object writes its count of references), and
    # a second set of workers for the list pages held a second copy.
    tasks: list[ListGroup | Postmortem] = [*LIST_GROUPS, *missing]
    # As many processes as the whole catalog calls for: a warm build has only the lists to do.
    with map_on_cores(
        tasks,
        render_task,
        workers=count_workers(len(catalog)),
        alone=len(LIST_GROUPS),
        in_order=False,
    ) as results:
        for path, result in results():
            if path:
                markdown, assets, ready = result
                pages.keep(path, markdown)
                page_assets[path] = assets
                if prepare is not None:
                    prepared[path] = ready
                if cache is not None:  # the page is remembered by a cache held in memory only
                    cache.keep(
                        keys[path], (pages[path], assets) if cache.memory is not None else None
                    )
                continue
            rendered, assets = result
            lists.update(_keep_list_pages(rendered, pages, files))
            context.assets.update(assets)
    incidents = [context.incident_page(postmortem) for postmortem in catalog]
    for path in incidents:
        context.assets.update(page_assets[path])
    # In the order pages have always come in: home, incidents list, incidents, other lists.
    first = [p for p in ("index.md", f"{settings.url_prefix}/index.md") if p in lists]
    return Site(
        pages=pages.ordered([*first, *incidents, *(p for p in SITE_PAGES if p in lists)]),
        assets=MappingProxyType(dict(sorted(context.assets.items()))),
        files=MappingProxyType(files),
        prepared=MappingProxyType(prepared),
    )


def _render_list(
    group: ListGroup,
    environment: jinja2.Environment,
    context: SiteContext,
    options: SiteOptions,
    pages: StoredTexts,
) -> tuple[dict[str, str | Place], dict[str, Path]]:
    """Render a group of list pages; return them (stored, but the feed) and the files they link.

    ``context`` is the group's own: what a group keeps to list thousands of incidents (rows,
    views) goes with it, rather than stay through the incident pages, in whichever process did
    it; the memory is handed back, rather than kept by the allocator.
    """
    render = functools.partial(render_page, environment, context, options)
    rendered = group(ListRenderer(render, context, options), context.catalog)
    made = {path: t if path == FEED_PATH else pages.stash(t) for path, t in rendered.items()}
    del rendered  # the pages, in the store now
    release_free_memory()
    return made, context.assets


def _make_context(catalog: Catalog, settings: Settings, options: SiteOptions) -> SiteContext:
    return SiteContext(
        catalog=catalog,
        settings=settings,
        today=options.today,
        directory_urls=options.directory_urls,
    )


def _keep_list_pages(
    rendered: Mapping[str, str | Place], pages: StoredTexts, files: dict[str, str]
) -> list[str]:
    """Keep a group's list pages as the incident pages are, as they come; return their paths.

    The feed goes to ``files``.
    """
    kept = []
    for path, text in rendered.items():
        if path == FEED_PATH and isinstance(text, str):
            files[path] = text
        else:
            pages.keep(path, text)
            kept.append(path)
    return kept


def _take_cached(
    context: SiteContext,
    cache: BuildCache,
    shared: str,
    pages: StoredTexts,
    assets: dict[str, dict[str, Path]],
) -> dict[str, str]:
    """Keep the incident pages an earlier build rendered from the same inputs; return the keys."""
    keys: dict[str, str] = {}
    for postmortem in context.catalog:
        path = context.incident_page(postmortem)
        keys[path] = make_key(
            "page", shared, describe_page_inputs(context, postmortem, cache.fingerprints)
        )
        found = cache.get(keys[path])
        if isinstance(found, tuple) and len(found) == 2 and isinstance(found[0], str):
            pages.keep(path, found[0])
            assets[path] = found[1]
    return keys


def render_incident_page(
    catalog: Catalog,
    settings: Settings,
    options: SiteOptions,
    postmortem: Postmortem,
    *,
    environment: jinja2.Environment | None = None,
) -> tuple[str, str, dict[str, Path]]:
    """Return one incident's page as :func:`render_site` makes it: site path, Markdown, files.

    The files are those the page links to (images next to the postmortem). ``pmkb serve`` shows
    an edit with it, before the next full build; pass the ``environment`` of an earlier call
    (:func:`create_environment`) to skip compiling the templates again.
    """
    context = SiteContext(
        catalog=catalog,
        settings=settings,
        today=options.today,
        directory_urls=options.directory_urls,
    )
    markdown = _render_incident(
        environment or create_environment(settings), context, options, postmortem
    )
    return context.incident_page(postmortem), markdown, dict(context.assets)


def _render_incident(
    environment: jinja2.Environment,
    context: SiteContext,
    options: SiteOptions,
    postmortem: Postmortem,
) -> str:
    return render_page(
        environment,
        context,
        options,
        path=context.incident_page(postmortem),
        template="incident.md.j2",
        title=postmortem.title,
        tags=tuple(dict.fromkeys(t.strip() for t in postmortem.tags if t.strip())),
        values={"incident": build_incident_view(context, postmortem)},
    )


def read_asset(name: str) -> bytes:
    """Return the bytes of one of pmkb's site assets (:data:`ASSET_FILES`)."""
    return (ASSETS_DIR / name).read_bytes()
