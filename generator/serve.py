"""``pmkb serve``: MkDocs' live-reload server, showing an edited postmortem at once.

Saving a postmortem shows the edit on its incident page first: the file alone is parsed, its page
is rendered from the catalog of the last full build (:mod:`generator.edit_preview`) and written
into the served site, and the browsers reload; the terminal says ``updated <page> (quick); lists
catch up in the next full build``. A full build starts right after, in the background: it builds
the whole site into a new folder while the old one is served, then the served folder is swapped
for it (``full build done``) and the browsers reload again. Any other change (``mkdocs.yml``,
``docs/``, templates, a new or deleted postmortem) gets a full build before the reload, as
``mkdocs serve`` does. Ctrl-C (or SIGTERM) stops the server without waiting for a full build
under way: it ends at its next step (:mod:`generator.stopping`), and its folder is removed. One
of the modules that import MkDocs.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, ConfigurationError, PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import get_plugin_logger
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

from generator.built_site import BuiltSite, write_page
from generator.config import load_mkdocs_config, settings_from_mkdocs
from generator.edit_preview import preview_edit
from generator.postmortem_files import SUFFIXES
from generator.settings import Settings
from generator.site_commands import (
    SiteError,
    mkdocs_logging,
    report_diagnostics,
    require_config_file,
    site_options,
    terminate_as_interrupt,
)
from generator.stopping import StoppedError, stoppable

log = get_plugin_logger("pmkb")


def serve_site(config_file: Path | None = None, *, dev_addr: str | None = None) -> None:
    """Serve the site with live reload like ``mkdocs serve``, until interrupted.

    An edit to a postmortem is shown on its page first, the lists (home, incidents, lessons,
    actions, services, tags) and the search index in the full build that follows (see the
    module). Raise as :func:`~generator.site_commands.build_site` does.
    """
    path = require_config_file(config_file)
    options: dict[str, Any] = {"dev_addr": dev_addr} if dev_addr else {}
    with mkdocs_logging(), terminate_as_interrupt():
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


class Serving:
    """What ``pmkb serve`` carries from one build to the next (MkDocs makes new plugins each)."""

    def __init__(self, settings: Settings, watched: list[Path]) -> None:
        self.root = settings.root.resolve()
        self.postmortems = settings.postmortems_dir.resolve()
        self.watched = [path.resolve() for path in watched]
        """Files and folders whose change needs a full build (a log file elsewhere does not)."""
        self.lock = threading.Lock()
        self.changed: set[Path] = set()
        """Files changed since the last build or preview (recorded by the file watcher)."""
        self.shown: BuiltSite | None = None
        """The build being served."""
        self.offered: BuiltSite | None = None
        """What the build under way made, kept once it is done."""
        self.previewed: set[Path] = set()
        """Postmortems shown by a preview since the full build under way started."""
        self.previews = threading.Lock()
        """Held while a preview writes into the served site, or the served site is swapped."""
        self.stopping = threading.Event()
        """Set when the server stops: a build under way ends at its next step."""

    def record(self, event: FileSystemEvent) -> bool:
        """Remember a changed file (called by the file watcher); return if it is a postmortem's.

        Folders say nothing new.
        """
        if event.is_directory:
            return False
        postmortem = False
        with self.lock:
            for name in ("src_path", "dest_path"):
                value = getattr(event, name, "")
                path = Path(os.fsdecode(value)).resolve() if value else None
                if path is not None and not self._is_hidden(path):  # .cache, .git, editors'
                    self.changed.add(path)
                    postmortem = postmortem or path.is_relative_to(self.postmortems)
        return postmortem

    def take_changes(self) -> set[Path]:
        """Return the files changed since the last call, and forget them."""
        with self.lock:
            changed, self.changed = self.changed, set()
        return changed

    def offer(self, built: BuiltSite) -> None:
        """Keep what a full build made (called by the plugin at the end of the build)."""
        self.offered = built

    def postmortem_edits(self, changed: set[Path]) -> list[Path] | None:
        """Return the postmortem files among ``changed``; None if a full build is needed.

        It is when a file of the site changed (``mkdocs.yml``, ``docs/``, templates, what
        ``watch:`` lists) or one next to the postmortems that is there (an image); one that is
        gone (an editor's temporary file) changes nothing, nor does any other file.
        """
        edits = []
        for path in sorted(changed):
            if not path.is_relative_to(self.postmortems):
                if any(path.is_relative_to(folder) for folder in self.watched):
                    return None
                continue
            relative = path.relative_to(self.postmortems)
            if path.suffix.lower() in SUFFIXES and not any(
                part.startswith(("_", ".")) for part in relative.parts
            ):
                edits.append(path)
            elif path.exists():
                return None
        return edits

    def _is_hidden(self, path: Path) -> bool:
        try:
            parts = path.relative_to(self.root).parts
        except ValueError:
            return False
        return any(part.startswith(".") or part.endswith("~") for part in parts)


_SERVING: Serving | None = None
"""Set while ``pmkb serve`` runs."""


def current_serving() -> Serving | None:
    """Return the state of the running ``pmkb serve``; None when the site is built once."""
    return _SERVING


def show_edit(serving: Serving, path: Path) -> bool:
    """Write the pages of one edited postmortem into the served site; False if a build must.

    Say which page was updated. Call with ``serving.previews`` held.
    """
    built = serving.shown
    if built is None:
        return False
    preview = preview_edit(
        built.catalog,
        built.settings,
        site_options(built.config),
        path,
        environment=built.templates,
    )
    if preview is None:
        return False
    report_diagnostics(preview.diagnostics)
    for page in preview.pages:
        url = write_page(built, page.path, page.markdown)
        log.info(f"updated {url or '/'} (quick); lists catch up in the next full build")
    serving.shown = dataclasses.replace(built, catalog=preview.catalog)
    return True


class _FullBuilds:
    """Full builds, each into a new folder swapped in when complete; one at a time.

    ``served`` is a link to the folder being served: the server reads through it, so the swap
    is one rename and a browser never sees a half-built site.
    """

    def __init__(self, serving: Serving, load: Callable[[], MkDocsConfig], base: Path) -> None:
        self.serving = serving
        self.load = load
        self.base = base
        self.served = base / "site"
        self.count = 0
        self.lock = threading.Lock()
        self.wanted = threading.Event()
        self.wake = base / "wake"
        """A file rewritten to wake the server, which watches it: after a background build (it
        reloads the browsers), and when a postmortem changed (it calls the builder)."""
        self.wake.write_text("0")

    def build(self, config: MkDocsConfig | None = None) -> None:
        """Build the whole site and serve it; say how long it took. Raise as MkDocs does.

        ``config`` is the first build's, on which ``pmkb serve`` runs the plugins' serve
        events; later builds load the configuration again, as ``mkdocs serve`` does.
        """
        with self.lock:
            self.wanted.clear()
            serving = self.serving
            with serving.previews:
                serving.previewed.clear()  # shown again on the new site if edited from now on
            self.count += 1
            folder = self.base / f"build-{self.count}"
            config = config or self.load()
            config.site_dir = str(folder)
            start = time.monotonic()
            serving.offered = None
            try:
                # The server stopping ends it at its next step (quietly).
                with stoppable(serving.stopping, quiet="mkdocs.commands.build"):
                    build(config, serve_url=config.site_url)
            except BaseException:
                shutil.rmtree(folder, ignore_errors=True)
                raise
            before = self.served.resolve() if self.served.is_symlink() else None
            with serving.previews:
                if serving.offered is not None:
                    serving.shown = serving.offered
                    for path in sorted(serving.previewed):  # edited while this build ran
                        with contextlib.suppress(Exception):  # else the next build shows it
                            show_edit(serving, path)
                link = self.base / "site.new"
                link.unlink(missing_ok=True)
                link.symlink_to(folder, target_is_directory=True)
                link.replace(self.served)
            if before is not None and before != folder:
                shutil.rmtree(before, ignore_errors=True)
            log.info(f"full build done in {time.monotonic() - start:.1f} s")

    def try_build(self) -> bool:
        """Build (:meth:`build`); if that fails, say why and keep serving the last site."""
        try:
            self.build()
        except StoppedError:
            return False
        except Exception as error:  # a broken mkdocs.yml, a template error: shown, then fixed
            log.error(f"full build failed ({error}); still serving the last one that built")
            return False
        return True

    def stop(self) -> None:
        """End the build under way at its next step, and start no other."""
        self.serving.stopping.set()
        self.wanted.set()

    def run(self) -> None:
        """Build in the background whenever asked (:meth:`wanted`), until the process ends."""
        while True:
            self.wanted.wait()
            if self.serving.stopping.is_set():
                return
            if self.try_build():
                self.wake.write_text(f"built {self.count}")  # the server reloads the browsers


def _serve(path: Path, settings: Settings, options: dict[str, Any]) -> None:
    """Run MkDocs' live-reload server with pmkb's builder (see :func:`serve_site`)."""
    global _SERVING  # noqa: PLW0603 - one serve per process, read by the plugin's builds
    base = Path(tempfile.mkdtemp(prefix="pmkb_serve_"))

    def load() -> MkDocsConfig:
        config = load_config(config_file=str(path), **options)
        config.site_url = serve_url
        return config

    config = load_config(config_file=str(path), **options)
    host, port = config.dev_addr
    serve_url = f"http://{host}:{port}{urlsplit(config.site_url or '/').path}"
    config.plugins.on_startup(command="serve", dirty=False)
    serving = _SERVING = Serving(settings, _site_sources(config, settings))
    builds = _FullBuilds(serving, load, base)

    def builder(config: MkDocsConfig | None = None) -> None:
        # MkDocs calls this on any change it sees; the browsers reload when it returns.
        changed = serving.take_changes()
        if not changed:  # a background build finished (or a file pmkb ignores changed)
            return
        edits = serving.postmortem_edits(changed)
        log.debug(f"changed: {sorted(map(str, changed))[:10]}; postmortems alone: {edits}")
        if edits is not None and _show_edits(serving, edits):
            builds.wanted.set()
            return
        builds.try_build()  # raising, it would have MkDocs hold every request until one builds

    server = LiveReloadServer(
        builder=builder,
        host=host,
        port=port,
        root=str(builds.served),
        mount_path=urlsplit(serve_url).path,
    )
    observer = watch_folder(settings.root, _Recorder(serving, builds.wake))
    try:
        config.site_url = serve_url
        builds.build(config)
        server.watch(config.docs_dir)
        if config.config_file_path:
            server.watch(config.config_file_path)
        server.watch(str(builds.wake))
        server = config.plugins.on_serve(server, config=config, builder=builder)
        for item in config.watch:
            server.watch(item)
        observer.start()
        threading.Thread(target=builds.run, name="pmkb-full-builds", daemon=True).start()
        try:
            server.serve()  # type: ignore[no-untyped-call]
        except KeyboardInterrupt:
            log.info("Shutting down...")
        finally:
            builds.stop()
            server.shutdown()
    finally:
        observer.stop()
        config.plugins.on_shutdown()
        with builds.lock:  # the background build ends before its folder goes
            shutil.rmtree(base, ignore_errors=True)
        _SERVING = None


def watch_folder(folder: Path, handler: FileSystemEventHandler) -> BaseObserver:
    """Return a watch (not started) of ``folder`` and all in it, that tells ``handler``.

    Stopped as a file changed (a build writing its cache), watchdog logged an error at Ctrl-C
    for the change it read and rightly dropped ("... when the thread is inactive"): left out.
    """
    logging.getLogger("watchdog.observers.inotify").addFilter(_is_not_a_read_after_stop)
    observer = Observer()
    observer.schedule(handler, str(folder), recursive=True)
    return observer


def _is_not_a_read_after_stop(record: logging.LogRecord) -> bool:
    return "called when the thread is inactive" not in record.getMessage()


def _site_sources(config: MkDocsConfig, settings: Settings) -> list[Path]:
    """Return the files and folders other than postmortems that the site is built from."""
    found = [Path(config.docs_dir), settings.templates_dir, *map(Path, config.watch)]
    if config.config_file_path:
        found.append(Path(config.config_file_path))
    return found


def _show_edits(serving: Serving, edits: list[Path]) -> bool:
    """Show each edited postmortem on its page; False when one needs a full build."""
    with serving.previews:
        for path in edits:
            try:
                shown = show_edit(serving, path)
            except Exception as error:  # the full build shows the edit, or why not
                log.info(f"{path.name}: not shown quickly ({error}); building the whole site")
                return False
            if not shown:
                return False
            serving.previewed.add(path)
    return True


class _Recorder(FileSystemEventHandler):
    """Tells :class:`Serving` which files changed, and the server when a postmortem did.

    MkDocs' server finds changes by walking the folders it watches twice a second: at 10,000
    postmortems that took a third of a core while nothing changed, and slowed the builds. It
    is left the small ones; a postmortem's change is told by this watcher (the system tells it
    of each change), which rewrites the one file the server watches for it (``wake``).
    """

    def __init__(self, serving: Serving, wake: Path) -> None:
        self.serving = serving
        self.wake = wake
        self.count = 0

    def on_any_event(self, event: FileSystemEvent) -> None:
        """Record the path (opening a file for reading changes nothing)."""
        if event.event_type in ("opened", "closed_no_write") or not self.serving.record(event):
            return
        self.count += 1
        with contextlib.suppress(OSError):  # the server is stopping, and the folder gone
            self.wake.write_text(f"changed {self.count}")
