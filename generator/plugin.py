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

import datetime as dt
import logging
import posixpath
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import markdown  # type: ignore[import-untyped]
from mkdocs.commands.build import build
from mkdocs.commands.serve import serve
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, ConfigurationError, PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

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
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        """Parse the postmortems and add the generated pages and assets to the site."""
        settings = self._settings()
        _drop_postmortem_files(files, settings.postmortems_dir)
        catalog = load_catalog(settings)
        self.catalog = catalog
        report_diagnostics(
            tuple(d for d in catalog.diagnostics if d.code not in settings.disabled_rules)
        )
        try:
            site = render_site(catalog, settings, site_options(config))
        except RenderError as error:
            raise PluginError(str(error)) from None
        incident_pages = {f"{settings.url_prefix}/{catalog.slug(p)}.md": p for p in catalog}
        for path, content in site.pages.items():
            if _author_file(files, path):
                continue
            # Incident pages stay out of the nav (a nav of 1,000 pages makes every page slow to
            # build); NOT_IN_NAV also keeps MkDocs from listing them as pages missing from it.
            inclusion = (
                InclusionLevel.NOT_IN_NAV if path in incident_pages else InclusionLevel.UNDEFINED
            )
            file = File.generated(config, path, content=content, inclusion=inclusion)
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
        return files

    def on_pre_page(self, page: Page, /, *, config: MkDocsConfig, files: Files) -> Page:
        """Point "edit this page" of an incident at its postmortem file."""
        edit_url = self.edit_urls.get(page.file.src_uri)
        if edit_url is not None:
            page.edit_url = edit_url
        return page

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        """Link every page's head to the Atom feed of incidents."""
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

    def render(self, lines: list[str]) -> tuple[list[str], list[Any]] | None:
        """Return the HTML of each heading line and the table of contents.

        None when a line does not give exactly one element: the caller then renders the page
        the usual way.
        """
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
        return parts, list(getattr(self.markdown, "toc_tokens", []))


_ID = re.compile(r'\sid="([^"]+)"')


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

    Raise as :func:`build_site` does.
    """
    path = _require_config_file(config_file)
    options: dict[str, Any] = {"dev_addr": dev_addr} if dev_addr else {}
    with _mkdocs_logging():
        # Checked once before serving: MkDocs would report a bad option as a failed build.
        settings_from_mkdocs(load_mkdocs_config(path))
        try:
            serve(config_file=str(path), **options)
        except (Abort, ConfigurationError, PluginError) as error:
            raise SiteError(str(error)) from None
        except OSError as error:  # the address is taken, or not this machine's
            where = dev_addr or "127.0.0.1:8000"
            raise SiteError(
                f"cannot serve on {where} ({error.strerror or error}); pick another address, "
                "e.g. pmkb serve -a 127.0.0.1:8001"
            ) from None


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
