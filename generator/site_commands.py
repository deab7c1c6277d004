"""``pmkb build`` and ``pmkb generate``: the site built through MkDocs, or its pages as files.

Also what the plugin and ``pmkb serve`` share: the site's shape from MkDocs' configuration, the
build date, and problems found in postmortems logged as ``path:line: CODE message`` (errors as
warnings, so that ``mkdocs build --strict`` fails while a normal build still renders the rest;
warnings as info). One of the modules that import MkDocs.
"""

from __future__ import annotations

import datetime as dt
import logging
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from mkdocs.commands.build import build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import get_plugin_logger

from generator.catalog import load_catalog
from generator.clock import ClockError, find_today
from generator.config import (
    SettingsError,
    find_config_file,
    load_mkdocs_config,
    settings_from_mkdocs,
)
from generator.errors import Diagnostic, Severity, terminal_text
from generator.render import (
    ASSET_FILES,
    ASSETS_SITE_DIR,
    RenderError,
    SiteOptions,
    WriteReport,
    read_asset,
    render_site,
    write_site,
)
from generator.settings import Settings
from generator.staging import staging_folder, swap_in

# Named "pmkb" so that messages read "pmkb: postmortems/x.md:3: ..." (the logger sits under
# "mkdocs.plugins", so warnings count for --strict like any plugin's).
log = get_plugin_logger("pmkb")


class SiteError(Exception):
    """Building, serving or generating the site failed; the message says why."""


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
    with mkdocs_logging():
        config = load_mkdocs_config(require_config_file(config_file), strict=strict)
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


def require_config_file(config_file: Path | None) -> Path:
    path = find_config_file(config_file)
    if path is None:
        raise SettingsError(
            f"no mkdocs.yml in {Path.cwd()}; run `pmkb init` to create a knowledge base, or "
            "pass -f path/to/mkdocs.yml"
        )
    return path


@contextmanager
def mkdocs_logging() -> Iterator[None]:
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


@contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """Stop on SIGTERM (``kill``, a service manager, a CI step's end) as on Ctrl-C.

    Python's own answer to SIGTERM ends the process at once, without its clean-up: ``pmkb
    serve`` left its temporary folder (a copy of the whole site, internal postmortems
    included) behind.
    """
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers belong to the main thread
        return

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
