"""The MkDocs plugin ``postmortems``.

With ``- postmortems`` under ``plugins:`` in ``mkdocs.yml``, ``mkdocs build`` and ``mkdocs serve``
read the postmortems and add the generated pages to the site:

* ``on_config`` turns the plugin options into :class:`~generator.settings.Settings`, adds
  pmkb's CSS and JavaScript to the pages and its templates to the theme
  (:mod:`generator.theme_overrides`);
* ``on_files`` loads the catalog, renders the pages (:mod:`generator.render`) and adds them as
  virtual files (``File.generated``), with pmkb's assets and the images postmortems link to;
  each problem found in a postmortem is logged as ``path:line: CODE message``: an error as a
  warning (so ``mkdocs build --strict`` fails while a normal build still renders the rest), a
  warning as info;
* ``on_pre_page`` points "edit this page" of an incident at its source file;
* ``on_serve`` makes ``mkdocs serve`` rebuild when a postmortem or a template changes.

A file the author wrote in ``docs/`` always wins over a generated page of the same path: pmkb
leaves it alone and says so. MkDocs runs ``on_config`` again for every rebuild under ``serve``;
all per-build state is set there, never carried over.

The other modules that import MkDocs: :mod:`generator.generated_page` and
:mod:`generator.page_headings` (pages rendered without a full Markdown pass),
:mod:`generator.search_wiring` (pmkb's search behind Material's box),
:mod:`generator.site_commands` (``pmkb build``/``generate``) and :mod:`generator.serve` (``pmkb
serve``); :mod:`generator.page_caches` opens the build caches.
"""

from __future__ import annotations

import posixpath
from dataclasses import replace
from functools import partial
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from generator.build_cache import BuildCache
from generator.built_site import BuiltSite
from generator.catalog import Catalog, load_catalog
from generator.collector import freeze_survivors, paused_collection, skip_collection_at_exit, thaw
from generator.config import PostmortemsConfig, SettingsError, settings_from_config
from generator.errors import show_path
from generator.generated_page import GeneratedPage, author_file, drop_postmortem_files
from generator.incident_page import make_edit_url
from generator.page_caches import close_caches, open_caches, template_cache
from generator.page_headings import Headings
from generator.page_store import PageStore
from generator.render import (
    ASSET_FILES,
    ASSETS_SITE_DIR,
    RenderError,
    create_environment,
    read_asset,
    render_site,
)
from generator.search_wiring import index_site, take_over_search
from generator.serve import current_serving, serve_site
from generator.settings import Settings
from generator.site_commands import (
    SiteError,
    build_date,
    build_site,
    generate_site,
    report_diagnostics,
    site_options,
)
from generator.site_search import SearchIndexError, SiteSearch
from generator.site_urls import feed_href
from generator.stopping import check_stop
from generator.theme_overrides import add_theme_overrides
from generator.theme_pages import READY_VARIABLE, ThemeRenders

# The commands' entry points, for callers that import them from here.
__all__ = [
    "PostmortemsPlugin",
    "SiteError",
    "build_date",
    "build_site",
    "generate_site",
    "serve_site",
]

log = get_plugin_logger("pmkb")


class PostmortemsPlugin(BasePlugin[PostmortemsConfig]):  # type: ignore[no-untyped-call]
    """Adds the knowledge base's generated pages to a MkDocs site."""

    def __init__(self) -> None:
        self.settings: Settings | None = None
        self.catalog: Catalog | None = None
        self.edit_urls: dict[str, str] = {}
        self.headings: Headings | None = None
        self.search: SiteSearch | None = None
        self.caches: tuple[BuildCache, BuildCache] | None = None
        self.feed_title = ""
        self.page_store: PageStore | None = None
        self.files: Files | None = None
        self.nav: Navigation | None = None
        self.env: jinja2.Environment | None = None
        self.incident_uris: frozenset[str] = frozenset()
        self.theme_renders: ThemeRenders | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Read the plugin options and add pmkb's CSS and JavaScript to every page."""
        root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        try:
            settings = settings_from_config(self.config, root)
        except SettingsError as error:
            raise PluginError(str(error)) from None
        self.settings = replace(
            settings,
            docs_dir=Path(config.docs_dir),
            edit_url=settings.edit_url or _edit_base(config, root),
        )
        self.catalog = None
        self.caches = None
        self.files = self.nav = self.env = None
        self.incident_uris = frozenset()
        self.theme_renders = None
        self.edit_urls = {}
        self.feed_title = ""
        self.headings = Headings(config)
        skip_collection_at_exit()
        for name in ASSET_FILES:
            uri = f"{ASSETS_SITE_DIR}/{name}"
            extra: list[Any] = (
                config.extra_css if name.endswith(".css") else config.extra_javascript
            )
            if all(str(entry) != uri for entry in extra):
                extra.append(uri)
        self.search = take_over_search(config, self.config.search)
        add_theme_overrides(config)
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        """Parse the postmortems and add the generated pages and assets to the site.

        The cycle collector is paused meanwhile, and what this leaves (the catalog, the pages)
        kept out of its later walks until the build ends (:mod:`generator.collector`).
        """
        with paused_collection():
            files = self._add_pages(files, config)
        freeze_survivors()
        return files

    def _add_pages(self, files: Files, config: MkDocsConfig) -> Files:
        settings = self._settings()
        if self.search is not None:
            self.search.start()  # while this process is small: it shares what it has now
        drop_postmortem_files(files, settings.postmortems_dir)
        parsed, rendered = open_caches(
            settings, enabled=self.config.cache, remember=current_serving() is not None
        )
        catalog = load_catalog(settings, cache=parsed)
        self.catalog = catalog
        report_diagnostics(
            tuple(d for d in catalog.diagnostics if d.code not in settings.disabled_rules)
        )
        incident_pages = {f"{settings.url_prefix}/{catalog.slug(p)}.md": p for p in catalog}
        self.incident_uris = frozenset(incident_pages)
        if self.search is not None:  # the index is written by another process while pages render
            index_site(self.search, files, config, catalog, incident_pages, cache=rendered)
        check_stop()  # a build pmkb serve no longer needs ends (here, or at its next step)
        # The pages' Markdown and HTML wait on disk, but for ``pmkb serve``: it renders an
        # edited page again from what the build leaves in memory.
        self._stop_page_work()
        self.page_store = PageStore() if current_serving() is None else None
        headings = self.headings
        if headings is not None:
            headings.cache = rendered
            headings.store = self.page_store
        try:
            # Each incident page's headings are rendered where the page is (on every core).
            site = render_site(
                catalog,
                settings,
                site_options(config),
                cache=rendered,
                store=self.page_store,
                prepare=headings.prepare if headings is not None else None,
                keep=headings.keep if headings is not None else None,
            )
        except RenderError as error:
            raise PluginError(str(error)) from None
        if headings is not None:
            headings.take(site.prepared.items())
            headings.prerender(site.pages[p] for p in site.pages if p not in site.prepared)
        if parsed is not None and rendered is not None:
            self.caches = (parsed, rendered)
        # With a page store, a page's Markdown is handed over when MkDocs reads the page, one
        # page at a time (an incident page's from the store, on disk).
        stored = self.page_store is not None and self.headings is not None
        for path in site.pages:
            if author_file(files, path):
                continue
            # Incident pages stay out of the nav (a nav of 1,000 pages makes every page slow to
            # build); NOT_IN_NAV also keeps MkDocs from listing them as pages missing from it.
            inclusion = (
                InclusionLevel.NOT_IN_NAV if path in incident_pages else InclusionLevel.UNDEFINED
            )
            read = partial(site.pages.__getitem__, path) if stored else None
            content = "" if read is not None else site.pages[path]
            file = File.generated(config, path, content=content, inclusion=inclusion)
            files.append(file)
            if self.headings is not None:
                GeneratedPage(file, config, self.headings, self.page_store, read=read)
        for path, source in site.assets.items():
            if not author_file(files, path):
                files.append(File.generated(config, path, abs_src_path=str(source)))
        for path, text in site.files.items():
            if not author_file(files, path):
                files.append(File.generated(config, path, content=text))
        self.feed_title = f"{site_options(config).site_name}: incidents"
        for name in ASSET_FILES:
            path = f"{ASSETS_SITE_DIR}/{name}"
            if not author_file(files, path):
                files.append(File.generated(config, path, content=read_asset(name)))
        for path, postmortem in incident_pages.items():
            edit_url = make_edit_url(settings, postmortem)
            if edit_url is not None:
                self.edit_urls[path] = edit_url
        self.files = files
        return files

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        """Keep the navigation: ``pmkb serve`` renders an edited page again with it."""
        self.nav = nav
        return nav

    @event_priority(-100)  # last: the theme renders incident pages with every plugin's work done
    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        """Close the build caches once every page's Markdown has been rendered.

        With the cache on, the theme's compiled templates are kept too (Jinja checks each
        against its source), in memory under ``pmkb serve`` and in the cache folder. Then, but
        for ``pmkb serve`` (which renders a page again from what the build leaves), workers
        start putting incident pages through the theme (:mod:`generator.theme_pages`).
        """
        if self.caches is not None:
            log.info(close_caches(*self.caches))
            env.bytecode_cache = template_cache(self.caches[1].folder.parent / "templates")
            self.caches = None
        if self.headings is not None:
            self.headings.cache = None
        self.env = env
        if current_serving() is None and self.nav is not None:
            doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
            self.theme_renders = ThemeRenders(
                [
                    f.page
                    for f in doc_files
                    if f.page is not None and f.src_uri in self.incident_uris
                ],
                config=config,
                nav=self.nav,
                doc_files=doc_files,
                env=env,
            )
        return env

    def on_page_context(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        """Give the page's template the HTML a worker rendered of it, if one did."""
        check_stop()
        if self.theme_renders is not None:
            html = self.theme_renders.take(page)
            if html is not None:
                context[READY_VARIABLE] = html  # type: ignore[literal-required]
        return context

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Write the search index; under ``pmkb serve``, keep what shows an edit without a build.

        The search stays, to point a page rendered again at pmkb's search worker.
        """
        self._stop_page_work()
        thaw()
        if self.search is not None:
            language = config.theme.get("language") or "en"
            try:
                self.search.write(Path(config.site_dir), lang=[str(language)])
            except SearchIndexError as error:
                raise PluginError(str(error)) from None
        serving = current_serving()
        if serving is not None:
            serving.offer(self._built_site(config))

    def _built_site(self, config: MkDocsConfig) -> BuiltSite:
        if self.files is None or self.nav is None or self.env is None or self.catalog is None:
            raise PluginError("postmortems: the build ended before its pages were made")
        settings = self._settings()
        # pmkb's page templates, compiled once per serve (Jinja reloads a template that changed).
        serving, templates = current_serving(), None
        if serving is not None and serving.shown is not None and serving.shown.settings == settings:
            templates = serving.shown.templates
        if templates is None:
            templates = create_environment(settings)
            templates.get_template("incident.md.j2")  # compiled now, not on the first edit
        return BuiltSite(
            config=config,
            files=self.files,
            nav=self.nav,
            env=self.env,
            headings=self.headings or Headings(config),
            catalog=self.catalog,
            settings=settings,
            templates=templates,
        )

    def on_build_error(self, *, error: Exception) -> None:
        """Stop indexing and rendering when the build fails."""
        self._stop_page_work()
        thaw()
        if self.search is not None:
            self.search.close()
            self.search = None

    def on_pre_page(self, page: Page, /, *, config: MkDocsConfig, files: Files) -> Page:
        """Point "edit this page" of an incident at its postmortem file.

        A build no longer needed ends here (:mod:`generator.stopping`), as it does before each
        page is put through the theme (``on_page_context``).
        """
        check_stop()
        edit_url = self.edit_urls.get(page.file.src_uri)
        if edit_url is not None:
            page.edit_url = edit_url
        return page

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        """Link every page's head to the Atom feed of incidents; point search at pmkb's worker."""
        if self.search is not None:
            output = self.search.point_to_worker(output)
        head = output.find("</head>")
        if head < 0 or not self.feed_title:
            return output
        href = feed_href(page.url, config.site_url)
        link = (
            '<link rel="alternate" type="application/atom+xml" '
            f'title="{escape(self.feed_title)}" href="{escape(href)}">'
        )
        return output[:head] + link + output[head:]

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        """Rebuild the site when a postmortem or a page template changes.

        ``pmkb serve`` is told of a postmortem's change by a watcher of its own.
        """
        settings = self._settings()
        mkdocs_serve = current_serving() is None
        for folder in (settings.postmortems_dir if mkdocs_serve else None, settings.templates_dir):
            if folder is not None and folder.is_dir():
                server.watch(str(folder))
        if not mkdocs_serve:
            log.info(f"watching {show_path(settings.postmortems_dir, settings.root)} for edits")
        return server

    def _stop_page_work(self) -> None:
        """Stop the theme's workers, then let go of the pages' HTML on disk (they read it)."""
        if self.theme_renders is not None:
            self.theme_renders.close()
            self.theme_renders = None
        if self.page_store is not None:
            self.page_store.close()
            self.page_store = None

    def _settings(self) -> Settings:
        if self.settings is None:  # MkDocs always runs on_config first
            raise PluginError("postmortems: the plugin was used before its configuration")
        return self.settings


def _edit_base(config: MkDocsConfig, root: Path) -> str | None:
    """Return the URL that opens files of the knowledge base's folder for editing.

    It comes from MkDocs' ``repo_url`` and ``edit_uri``, which is relative to the docs folder.
    """
    repo_url = config.repo_url
    edit_uri = config.edit_uri
    if not repo_url or not edit_uri:
        return None
    docs = show_path(Path(config.docs_dir), root)
    up = "/".join(".." for _ in Path(docs).parts) if not Path(docs).is_absolute() else ""
    base = urljoin(repo_url.rstrip("/") + "/", posixpath.join(edit_uri, up) + "/")
    return base.rstrip("/")
