"""The build caches the MkDocs plugin opens for each build, and its cache of compiled templates.

Kept in ``.cache/pmkb/`` of the knowledge base (:mod:`generator.build_cache`): the parse results
of postmortems, the pieces of pages, and the theme's compiled Jinja templates. No MkDocs here.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import jinja2
import jinja2.bccache

from generator.build_cache import CACHE_DIR, BuildCache
from generator.errors import show_path
from generator.settings import Settings


def open_caches(
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


def template_cache(folder: Path) -> jinja2.BytecodeCache:
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


def close_caches(parsed: BuildCache, rendered: BuildCache, *, prune: bool = True) -> str:
    """Drop the entries this build did not use; return what came from the cache, to log."""
    for cache in (parsed, rendered):
        if prune:
            cache.prune()
        else:
            cache.close()
    return (
        f"cache {show_path(parsed.folder.parent, Path.cwd())}: {parsed.hits} of "
        f"{parsed.hits + parsed.misses} postmortems and {rendered.hits} of "
        f"{rendered.hits + rendered.misses} pieces of pages reused"
    )
