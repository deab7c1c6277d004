"""The MkDocs plugin ``postmortems``, and the ``pmkb build/serve/generate`` helpers around MkDocs.

With ``- postmortems`` under ``plugins:`` in ``mkdocs.yml``, ``mkdocs build`` and ``mkdocs serve``
read the postmortems and add the generated pages to the site:

* ``on_config`` turns the plugin options into :class:`~generator.settings.Settings` and adds
  pmkb's CSS and JavaScript to the pages;
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
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import posixpath
import re
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import jinja2
import jinja2.bccache
import markdown  # type: ignore[import-untyped]
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, ConfigurationError, PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils.meta import get_data
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from generator.build_cache import CACHE_DIR, BuildCache, make_key
from generator.catalog import Catalog, load_catalog
from generator.clock import ClockError, find_today
from generator.config import (
    PostmortemsConfig,
    SettingsError,
    find_config_file,
    load_mkdocs_config,
    settings_from_config,
    settings_from_mkdocs,
)
from generator.errors import Diagnostic, Severity, show_path, terminal_text
from generator.feed import FEED_PATH
from generator.incident_page import make_edit_url
from generator.pagefind_client import PagefindError
from generator.render import (
    ASSET_FILES,
    ASSETS_SITE_DIR,
    RenderError,
    SiteOptions,
    WriteReport,
    read_asset,
    render_site,
    split_page,
    write_site,
)
from generator.settings import Settings
from generator.site_search import WORKER_ASSET, SiteSearch
from generator.staging import staging_folder, swap_in

# Named "pmkb" so that messages read "pmkb: postmortems/x.md:3: ..." (the logger sits under
# "mkdocs.plugins", so warnings count for --strict like any plugin's).
log = get_plugin_logger("pmkb")


class SiteError(Exception):
    """Building, serving or generating the site failed; the message says why."""


class PostmortemsPlugin(BasePlugin[PostmortemsConfig]):  # type: ignore[no-untyped-call]
    """Adds the knowledge base's generated pages to a MkDocs site."""

    def __init__(self) -> None:
        self.settings: Settings | None = None
        self.catalog: Catalog | None = None
        self.edit_urls: dict[str, str] = {}
        self.headings: _Headings | None = None
        self.search: SiteSearch | None = None
        self.caches: tuple[BuildCache, BuildCache] | None = None
        self.feed_title = ""

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
        self.edit_urls = {}
        self.feed_title = ""
        self.headings = _Headings(config)
        for name in ASSET_FILES:
            uri = f"{ASSETS_SITE_DIR}/{name}"
            extra: list[Any] = (
                config.extra_css if name.endswith(".css") else config.extra_javascript
            )
            if all(str(entry) != uri for entry in extra):
                extra.append(uri)
        self.search = _take_over_search(config, self.config.search)
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:  # noqa: PLR0915
        """Parse the postmortems and add the generated pages and assets to the site."""
        settings = self._settings()
        _drop_postmortem_files(files, settings.postmortems_dir)
        serving = _SERVING
        fast = serving is not None and serving.mode == "fast"
        parsed, rendered = _open_caches(
            settings, enabled=self.config.cache, remember=serving is not None
        )
        catalog = load_catalog(settings, cache=parsed)
        self.catalog = catalog
        report_diagnostics(
            tuple(d for d in catalog.diagnostics if d.code not in settings.disabled_rules)
        )
        try:
            site = render_site(
                catalog, settings, site_options(config), cache=rendered, incidents_only=fast
            )
        except RenderError as error:
            raise PluginError(str(error)) from None
        pages = dict(site.pages)
        if serving is not None:
            pages = serving.update(pages, fast=fast)
        if self.headings is not None:
            self.headings.cache = rendered
        if parsed is not None and rendered is not None:
            self.caches = (parsed, rendered)
        incident_pages = {f"{settings.url_prefix}/{catalog.slug(p)}.md": p for p in catalog}
        for path, content in pages.items():
            if _author_file(files, path):
                continue
            # Incident pages stay out of the nav (a nav of 1,000 pages makes every page slow to
            # build); NOT_IN_NAV also keeps MkDocs from listing them as pages missing from it.
            inclusion = (
                InclusionLevel.NOT_IN_NAV if path in incident_pages else InclusionLevel.UNDEFINED
            )
            # Under `pmkb serve`, a page that is as the last build left it is not built again.
            kind = _UnchangedFile if serving is not None and path in serving.unchanged else File
            file = kind.generated(config, path, content=content, inclusion=inclusion)
            files.append(file)
            if self.headings is not None:
                GeneratedPage(file, config, self.headings)
        for path, source in site.assets.items():
            if not _author_file(files, path):
                files.append(File.generated(config, path, abs_src_path=str(source)))
        for path, text in site.files.items():
            if not _author_file(files, path):
                files.append(File.generated(config, path, content=text))
        self.feed_title = f"{site_options(config).site_name}: incidents"
        for name in ASSET_FILES:
            path = f"{ASSETS_SITE_DIR}/{name}"
            if not _author_file(files, path):
                files.append(File.generated(config, path, content=read_asset(name)))
        for path, postmortem in incident_pages.items():
            edit_url = make_edit_url(settings, postmortem)
            if edit_url is not None:
                self.edit_urls[path] = edit_url
        if self.search is not None and fast:
            self.search.skip_indexing()
        elif self.search is not None:
            worker = f"{ASSETS_SITE_DIR}/{WORKER_ASSET}"
            if not _author_file(files, worker):
                files.append(File.generated(config, worker, content=read_asset(WORKER_ASSET)))
            for file in files.documentation_pages():
                if file.generated_by is None:
                    body, meta = get_data(file.content_string)
                    search_meta = meta.get("search")
                    if not (isinstance(search_meta, dict) and search_meta.get("exclude")):
                        self.search.add_page(file.url, str(meta.get("title") or ""), body)
            urls = [(p.id, _page_url(config, path)) for path, p in incident_pages.items()]
            self.search.add_incidents(catalog, urls)  # indexed while MkDocs renders the pages
        return files

    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        """Close the build caches once every page's Markdown has been rendered.

        With the cache on, the theme's compiled templates are kept too (Jinja checks each
        against its source), in memory under ``pmkb serve`` and in the cache folder.
        """
        if self.caches is not None:
            # A quick build under `pmkb serve` reads only some entries: the rest stay.
            whole = _SERVING is None or _SERVING.mode == "full"
            _close_caches(*self.caches, prune=whole)
            env.bytecode_cache = _template_cache(self.caches[1].folder.parent / "templates")
            self.caches = None
        if self.headings is not None:
            self.headings.cache = None
        return env

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Write the search index."""
        if self.search is not None:
            search, self.search = self.search, None
            language = config.theme.get("language") or "en"
            try:
                search.write(Path(config.site_dir), lang=[str(language)])
            except PagefindError as error:
                raise PluginError(str(error)) from None

    def on_build_error(self, *, error: Exception) -> None:
        """Stop indexing when the build fails."""
        if self.search is not None:
            self.search.close()
            self.search = None

    def on_pre_page(self, page: Page, /, *, config: MkDocsConfig, files: Files) -> Page:
        """Point "edit this page" of an incident at its postmortem file."""
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
        link = (
            '<link rel="alternate" type="application/atom+xml" '
            f'title="{escape(self.feed_title)}" href="{escape(feed_href(page.url, config))}">'
        )
        return output[:head] + link + output[head:]

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        """Rebuild the site when a postmortem or a page template changes."""
        settings = self._settings()
        for folder in (settings.postmortems_dir, settings.templates_dir):
            if folder.is_dir():
                server.watch(str(folder))
        return server

    def _settings(self) -> Settings:
        if self.settings is None:  # MkDocs always runs on_config first
            raise PluginError("postmortems: the plugin was used before its configuration")
        return self.settings


class GeneratedPage(Page):
    """A page pmkb generated, rendered without a Markdown pass when it can be.

    pmkb's pages are Markdown headings and blocks of HTML (:func:`generator.render.split_page`).
    The Markdown engine would only pass the HTML through, after parsing all of it twice (for
    raw-HTML blocks and for anchors); on a page made mostly of HTML, that is most of the build.
    So only the headings go through the site's Markdown (its ``toc``, ``attr_list`` and other
    extensions make the same ids, permalinks and table of contents), and the HTML is joined in
    as is. A page whose Markdown another plugin changed, or that a team's template wrote with
    other Markdown, is rendered the usual way.
    """

    def __init__(self, file: File, config: MkDocsConfig, headings: _Headings) -> None:
        super().__init__(None, file, config)
        self._headings = headings
        self._source: str | None = None

    def read_source(self, config: MkDocsConfig) -> None:
        """Read the page and remember its Markdown, to notice changes by other plugins."""
        super().read_source(config)
        self._source = self.markdown

    def render(self, config: MkDocsConfig, files: Files) -> None:
        """Set the page's HTML and table of contents."""
        text = self.markdown
        blocks = split_page(text) if text is not None and text == self._source else None
        rendered = None
        if blocks is not None:
            rendered = self._headings.render([text for kind, text in blocks if kind == "heading"])
        if blocks is None or rendered is None:
            super().render(config, files)
            return
        headings, toc = rendered
        parts = iter(headings)
        self.content = "\n".join(
            next(parts) if kind == "heading" else text for kind, text in blocks
        )
        self.toc = get_toc(toc)
        self.present_anchor_ids = set(_ID.findall(self.content))


class _Headings:
    """Renders pages' heading lines with the site's own Markdown configuration."""

    def __init__(self, config: MkDocsConfig) -> None:
        self.config = config
        self.markdown: Any = None
        self.cache: BuildCache | None = None
        """Where headings rendered by an earlier build are kept (the pages' build cache)."""

    def render(self, lines: list[str]) -> tuple[list[str], list[Any]] | None:
        """Return the HTML of each heading line and the table of contents.

        None when a line does not give exactly one element: the caller then renders the page
        the usual way.
        """
        key = ""
        if self.cache is not None:
            # The Markdown settings as text, less the addresses of functions (new each run).
            settings = repr((self.config.markdown_extensions, self.config.mdx_configs))
            key = make_key("headings", _ADDRESS.sub("", settings), *lines)
            found = self.cache.get(key)
            if isinstance(found, tuple):
                return found
        if self.markdown is None:  # made once per build: building it costs more than using it
            self.markdown = markdown.Markdown(
                extensions=self.config.markdown_extensions,
                extension_configs=self.config.mdx_configs or {},
            )
        self.markdown.reset()
        html = self.markdown.convert("\n\n".join(lines)) if lines else ""
        parts = html.split("\n") if html else []
        if len(parts) != len(lines):
            return None
        result = parts, list(getattr(self.markdown, "toc_tokens", []))
        if self.cache is not None:
            self.cache.put(key, result)
        return result


_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


_ID = re.compile(r'\sid="([^"]+)"')


def _open_caches(
    settings: Settings, *, enabled: bool, remember: bool = False
) -> tuple[BuildCache | None, BuildCache | None]:
    """Return the build caches of parse results and incident pages (none when turned off)."""
    if not enabled:
        return None, None
    folder = settings.root / CACHE_DIR
    parsed = BuildCache(folder / "parsed", remember=remember)
    pages = BuildCache(folder / "pages", remember=remember)
    pages.fingerprints = parsed.fingerprints  # filled as files are read, before pages render
    return parsed, pages


def _template_cache(folder: Path) -> jinja2.BytecodeCache:
    """Return the cache of compiled theme templates, one per folder for the process."""
    found = _TEMPLATE_CACHES.get(folder)
    if found is None:
        with contextlib.suppress(OSError):
            folder.mkdir(parents=True, exist_ok=True)
        found = _TEMPLATE_CACHES[folder] = _TemplateCache(str(folder))
    return found


class _TemplateCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates on disk, and in memory for the next build of the same process."""

    def __init__(self, directory: str) -> None:
        super().__init__(directory)
        self.memory: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Load from memory, else from the folder (Jinja drops code of an older source)."""
        code = self.memory.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)
            return
        with contextlib.suppress(OSError, EOFError, ValueError):
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Keep in memory and in the folder (a folder that cannot be written is skipped)."""
        self.memory[bucket.key] = bucket.bytecode_to_string()
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


_TEMPLATE_CACHES: dict[Path, _TemplateCache] = {}


def _close_caches(
    parsed: BuildCache | None, rendered: BuildCache | None, *, prune: bool = True
) -> None:
    """Say what came from the cache; drop the entries this build did not use."""
    if parsed is None or rendered is None:
        return
    log.info(
        f"cache {show_path(parsed.folder.parent, Path.cwd())}: {parsed.hits} of "
        f"{parsed.hits + parsed.misses} postmortems and {rendered.hits} of "
        f"{rendered.hits + rendered.misses} pieces of pages reused"
    )
    if prune:
        parsed.prune()
        rendered.prune()


def _take_over_search(config: MkDocsConfig, engine: str) -> SiteSearch | None:
    """Return the site's Pagefind search, with Material's indexing turned off; None to keep it.

    Material's search plugin stays in the configuration, so that its search box is in the
    header; only its indexing of every page (and its whole-site index) is unhooked.
    """
    material = config.plugins.get("material/search") or config.plugins.get("search")
    if engine != "pagefind" or material is None or not material.config.get("enabled", True):
        return None
    for event in ("page_context", "post_build", "serve"):
        handlers = config.plugins.events.get(event, [])
        handlers[:] = [h for h in handlers if getattr(h, "__self__", None) is not material]
    language = config.theme.get("language") or "en"
    return SiteSearch(language=str(language), worker_uri=f"{ASSETS_SITE_DIR}/{WORKER_ASSET}")


def _page_url(config: MkDocsConfig, path: str) -> str:
    """Return the URL, relative to the site's root, of the page made from ``path``."""
    stem = path[: -len(".md")]
    if not config.use_directory_urls:
        return f"{stem}.html"
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return f"{stem}/"


def site_options(config: MkDocsConfig) -> SiteOptions:
    """Return how the generated pages fit the site that ``config`` describes."""
    return SiteOptions(
        today=build_date(),
        site_name=config.site_name or "Postmortems",
        directory_urls=bool(config.use_directory_urls),
        tags_plugin=any(
            type(plugin).__module__.startswith("material.plugins.tags")
            for plugin in config.plugins.values()
        ),
        site_url=config.site_url or "",
    )


def feed_href(page_url: str, config: MkDocsConfig) -> str:
    """Return the feed's address from a page (``page_url`` as MkDocs gives it: ``a/b/``).

    Absolute when the site has a ``site_url``; else relative to the page, so that the site
    works wherever it is served from (and from files).
    """
    if config.site_url:
        return urljoin(config.site_url.rstrip("/") + "/", FEED_PATH)
    folder = posixpath.dirname(page_url) if not page_url.endswith("/") else page_url.rstrip("/")
    return posixpath.relpath(FEED_PATH, folder or ".")


def build_date() -> dt.date:
    """Return the day the site is built for (:func:`generator.clock.find_today`).

    Raise :class:`PluginError` when ``SOURCE_DATE_EPOCH`` is not a time.
    """
    try:
        return find_today()
    except ClockError as error:
        raise PluginError(str(error)) from None


def report_diagnostics(diagnostics: tuple[Diagnostic, ...]) -> None:
    """Log each diagnostic as ``path:line: CODE message`` (errors as warnings, see module)."""
    for diagnostic in diagnostics:
        text = terminal_text(
            f"{diagnostic.location.path}:{diagnostic.location.line}: "
            f"{diagnostic.code} {diagnostic.message}"
        )
        if diagnostic.severity is Severity.ERROR:
            log.warning(text)
        elif diagnostic.severity is Severity.WARNING:
            log.info(text)
        else:
            log.debug(text)


def build_site(config_file: Path | None = None, *, strict: bool = False) -> None:
    """Build the site like ``mkdocs build`` (``--strict`` included).

    Raise :class:`~generator.config.SettingsError` when the configuration cannot be used and
    :class:`SiteError` when the build fails.
    """
    with _mkdocs_logging():
        config = load_mkdocs_config(_require_config_file(config_file), strict=strict)
        settings_from_mkdocs(config)  # a bad option is a configuration problem, not a failed build
        # Built beside site/ and swapped in whole: a failed or killed build leaves the previous
        # site as it was (see generator.staging); a linked site/ is built where it leads.
        site_dir = Path(config.site_dir).resolve()
        with staging_folder(site_dir) as staging:
            config.site_dir = str(staging)
            config.plugins.on_startup(command="build", dirty=False)
            try:
                build(config)
            except Abort as error:
                raise SiteError(str(error) or "the build failed") from None
            except PluginError as error:
                raise SiteError(str(error)) from None
            finally:
                config.plugins.on_shutdown()
            swap_in(staging, site_dir)


def serve_site(config_file: Path | None = None, *, dev_addr: str | None = None) -> None:
    """Serve the site with live reload like ``mkdocs serve``, until interrupted.

    An edit to postmortems alone is shown first: a quick build renders the incident pages only
    and writes those that changed; the lists (home, incidents, lessons, actions, services,
    tags) and the search index catch up in the build that follows at once. Any other change
    (``mkdocs.yml``, ``docs/``, templates) gets a full build. Raise as :func:`build_site` does.
    """
    path = _require_config_file(config_file)
    options: dict[str, Any] = {"dev_addr": dev_addr} if dev_addr else {}
    with _mkdocs_logging():
        # Checked once before serving: MkDocs would report a bad option as a failed build.
        settings = settings_from_mkdocs(load_mkdocs_config(path))
        try:
            _serve(path, settings, options)
        except (Abort, ConfigurationError, PluginError) as error:
            raise SiteError(str(error)) from None
        except OSError as error:  # the address is taken, or not this machine's
            where = dev_addr or "127.0.0.1:8000"
            raise SiteError(
                f"cannot serve on {where} ({error.strerror or error}); pick another address, "
                "e.g. pmkb serve -a 127.0.0.1:8001"
            ) from None


class _Serving:
    """What ``pmkb serve`` carries from one build to the next (MkDocs makes a new plugin each)."""

    def __init__(self, settings: Settings) -> None:
        self.root = settings.root.resolve()
        self.postmortems = settings.postmortems_dir.resolve()
        self.changed: set[Path] = set()
        self.lock = threading.Lock()
        self.mode = "full"
        """``full`` (a clean build), ``fast`` (incident pages only) or ``catch_up``."""
        self.pages: dict[str, str] = {}
        """The generated pages' Markdown as the last build wrote them."""
        self.unchanged: set[str] = set()
        """The generated pages this build leaves as they are."""

    def record(self, event: Any) -> None:
        """Remember a changed path (called by the file watcher)."""
        with self.lock:
            for name in ("src_path", "dest_path"):
                value = getattr(event, name, "")
                path = Path(os.fsdecode(value)).resolve() if value else None
                if path is None or self._is_hidden(path):  # .cache, .git, editors' files
                    continue
                self.changed.add(path)

    def _is_hidden(self, path: Path) -> bool:
        try:
            parts = path.relative_to(self.root).parts
        except ValueError:
            return False
        return any(part.startswith(".") or part.endswith("~") for part in parts)

    def choose_mode(self) -> str:
        """Decide how to build: quickly when only postmortem files changed since the last one."""
        with self.lock:
            changed, self.changed = self.changed, set()
        if self.mode == "fast":
            self.mode = "catch_up"
        elif changed and self.pages and all(self._is_postmortem(path) for path in changed):
            self.mode = "fast"
        else:
            self.mode = "full"
        log.debug(f"{self.mode} build for changes to {sorted(map(str, changed))[:10]}")
        return self.mode

    def _is_postmortem(self, path: Path) -> bool:
        return path.is_relative_to(self.postmortems)

    def update(self, pages: dict[str, str], *, fast: bool) -> dict[str, str]:
        """Return the pages to build; remember them (a quick build keeps the last lists)."""
        if fast:
            pages = {**{p: c for p, c in self.pages.items() if p not in pages}, **pages}
        before = self.pages
        self.unchanged = (
            set() if self.mode == "full" else {p for p, c in pages.items() if before.get(p) == c}
        )
        self.pages = pages
        if self.mode != "full":
            current = sorted(p for p in pages if p not in self.unchanged)
            lists = "the lists (home, incidents, lessons, actions, services, tags) and search"
            shown = ", ".join(current[:5]) + (
                f" and {len(current) - 5} more" if len(current) > 5 else ""
            )
            if fast:
                log.info(
                    f"quick rebuild: {shown or 'no page'} up to date; {lists} show the last "
                    "full build and catch up in the build that follows"
                )
            else:
                log.info(f"catch-up build: {lists} up to date ({len(current)} pages changed)")
        return pages


_SERVING: _Serving | None = None
"""Set while ``pmkb serve`` runs."""


class _UnchangedFile(File):
    """A generated page that is as the last build under ``pmkb serve`` wrote it."""

    def is_modified(self) -> bool:
        """Return False: MkDocs then leaves the page it built before (a dirty build)."""
        return not Path(self.abs_dest_path).is_file()


def _serve(path: Path, settings: Settings, options: dict[str, Any]) -> None:
    """Run MkDocs' live-reload server with pmkb's builder (see :func:`serve_site`)."""
    global _SERVING  # noqa: PLW0603 - one serve per process, read by the plugin's builds
    serving = _SERVING = _Serving(settings)
    site_dir = tempfile.mkdtemp(prefix="pmkb_serve_")

    def load() -> MkDocsConfig:
        config = load_config(config_file=str(path), site_dir=site_dir, **options)
        config.site_url = serve_url
        return config

    config = load_config(config_file=str(path), site_dir=site_dir, **options)
    host, port = config.dev_addr
    serve_url = f"http://{host}:{port}{urlsplit(config.site_url or '/').path}"
    config.site_url = serve_url
    config.plugins.on_startup(command="serve", dirty=False)
    server: LiveReloadServer | None = None

    def builder(config: MkDocsConfig | None = None) -> None:
        mode = serving.choose_mode()
        start = time.monotonic()
        build(config or load(), serve_url=serve_url, dirty=mode != "full")
        log.info(f"{mode} build in {time.monotonic() - start:.1f} s")
        if mode == "fast" and server is not None:
            with server._rebuild_cond:
                server._want_rebuild = True
                server._rebuild_cond.notify_all()

    server = LiveReloadServer(
        builder=builder, host=host, port=port, root=site_dir, mount_path=urlsplit(serve_url).path
    )
    observer = Observer()
    observer.schedule(_Recorder(serving), str(settings.root), recursive=True)
    try:
        builder(config)
        server.watch(config.docs_dir)
        if config.config_file_path:
            server.watch(config.config_file_path)
        server = config.plugins.on_serve(server, config=config, builder=builder)
        for item in config.watch:
            server.watch(item)
        observer.start()
        try:
            server.serve()  # type: ignore[no-untyped-call]
        except KeyboardInterrupt:
            log.info("Shutting down...")
        finally:
            server.shutdown()
    finally:
        observer.stop()
        config.plugins.on_shutdown()
        _SERVING = None
        shutil.rmtree(site_dir, ignore_errors=True)


class _Recorder(FileSystemEventHandler):
    """Tells :class:`_Serving` which files changed."""

    def __init__(self, serving: _Serving) -> None:
        self.serving = serving

    def on_any_event(self, event: FileSystemEvent) -> None:
        """Record the path (opening a file for reading changes nothing)."""
        if event.event_type not in ("opened", "closed_no_write"):
            self.serving.record(event)


def generate_site(
    out: Path, config_file: Path | None = None, *, folder: Path | None = None
) -> tuple[tuple[Diagnostic, ...], WriteReport]:
    """Write the generated pages and assets into ``out`` as plain files (``pmkb generate``).

    Return the problems found in the postmortems (less the disabled rules) and what was
    written. The settings and the site's shape (name, directory URLs, tags plugin) come from
    the knowledge base's ``mkdocs.yml`` when there is one; see
    :func:`generator.render.write_site` for what is written and what is never touched. Raise
    as :func:`build_site` does.
    """
    path = find_config_file(config_file, folder=folder)
    if path is not None:
        config = load_mkdocs_config(path)
        settings = settings_from_mkdocs(config)
        shape = site_options(config)
    else:
        settings = Settings.for_folder((folder or Path.cwd()).resolve())
        shape = SiteOptions(today=build_date(), tags_plugin=False)
    catalog = load_catalog(settings)
    try:
        site = render_site(catalog, settings, shape)
        extra = {f"{ASSETS_SITE_DIR}/{name}": read_asset(name) for name in ASSET_FILES}
        report = write_site(
            site, out, extra_files=extra, inputs=(settings.postmortems_dir, settings.templates_dir)
        )
    except RenderError as error:
        raise SiteError(str(error)) from None
    except OSError as error:
        raise SiteError(f"{out}: cannot write the pages there ({error.strerror})") from None
    diagnostics = tuple(d for d in catalog.diagnostics if d.code not in settings.disabled_rules)
    return diagnostics, report


def _require_config_file(config_file: Path | None) -> Path:
    path = find_config_file(config_file)
    if path is None:
        raise SettingsError(
            f"no mkdocs.yml in {Path.cwd()}; run `pmkb init` to create a knowledge base, or "
            "pass -f path/to/mkdocs.yml"
        )
    return path


@contextmanager
def _mkdocs_logging() -> Iterator[None]:
    """Show MkDocs' log on stderr while a command runs (the ``mkdocs`` CLI does the same)."""
    logger = logging.getLogger("mkdocs")
    if logger.handlers:  # someone (a test, an embedding program) already shows it
        yield
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


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


def _drop_postmortem_files(files: Files, postmortems_dir: Path) -> None:
    """Keep MkDocs from publishing the postmortem files themselves (``docs/postmortems``).

    MkDocs would render them with its own Markdown, raw HTML and internal ones included; pmkb's
    pages are the only way a postmortem reaches the site (its images are added as pmkb finds
    them linked).
    """
    folder = postmortems_dir.resolve()
    for file in list(files):
        source = file.abs_src_path
        if file.generated_by is None and source and Path(source).resolve().is_relative_to(folder):
            files.remove(file)


def _author_file(files: Files, path: str) -> bool:
    """Return whether the author's docs already have a file at a generated path (it wins)."""
    existing = files.get_file_from_path(path)
    if existing is None or existing.generated_by is not None:
        return False
    log.info(f"{existing.src_uri}: your own file replaces pmkb's generated page of that name")
    return True
