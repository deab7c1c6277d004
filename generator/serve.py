"""``pmkb serve``: MkDocs' live-reload server, with quick rebuilds when only postmortems change.

An edit to postmortems alone is shown first: a quick build renders the incident pages only and
writes those that changed; the lists and the search index catch up in the build that follows at
once. The plugin (:mod:`generator.plugin`) asks :func:`current_serving` how to build. One of the
modules that import MkDocs.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, ConfigurationError, PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from generator.config import load_mkdocs_config, settings_from_mkdocs
from generator.settings import Settings
from generator.site_commands import SiteError, mkdocs_logging, require_config_file

log = get_plugin_logger("pmkb")


def serve_site(config_file: Path | None = None, *, dev_addr: str | None = None) -> None:
    """Serve the site with live reload like ``mkdocs serve``, until interrupted.

    An edit to postmortems alone is shown first: a quick build renders the incident pages only
    and writes those that changed; the lists (home, incidents, lessons, actions, services,
    tags) and the search index catch up in the build that follows at once. Any other change
    (``mkdocs.yml``, ``docs/``, templates) gets a full build. Raise as :func:`build_site` does.
    """
    path = require_config_file(config_file)
    options: dict[str, Any] = {"dev_addr": dev_addr} if dev_addr else {}
    with mkdocs_logging():
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


_SERVING: Serving | None = None
"""Set while ``pmkb serve`` runs."""


class UnchangedFile(File):
    """A generated page that is as the last build under ``pmkb serve`` wrote it."""

    def is_modified(self) -> bool:
        """Return False: MkDocs then leaves the page it built before (a dirty build)."""
        return not Path(self.abs_dest_path).is_file()


def _serve(path: Path, settings: Settings, options: dict[str, Any]) -> None:
    """Run MkDocs' live-reload server with pmkb's builder (see :func:`serve_site`)."""
    global _SERVING  # noqa: PLW0603 - one serve per process, read by the plugin's builds
    serving = _SERVING = Serving(settings)
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
    """Tells :class:`Serving` which files changed."""

    def __init__(self, serving: Serving) -> None:
        self.serving = serving

    def on_any_event(self, event: FileSystemEvent) -> None:
        """Record the path (opening a file for reading changes nothing)."""
        if event.event_type not in ("opened", "closed_no_write"):
            self.serving.record(event)


def current_serving() -> Serving | None:
    """Return the state of the running ``pmkb serve``; None when the site is built once."""
    return _SERVING
