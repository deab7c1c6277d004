"""The build cache: parsed postmortems and rendered incident pages kept between builds.

A knowledge base of thousands of postmortems changes a few files at a time, yet every build
would parse and render all of them. The cache keeps, in ``.cache/pmkb/`` beside ``mkdocs.yml``:

* ``parsed/``: each postmortem's parse result (model and diagnostics), pickled, under a key made
  of the file's bytes, the path shown in diagnostics, the heading words of ``mkdocs.yml`` and
  pmkb's code (its version and a digest of its own source files, so a new pmkb, or an edited
  checkout, never reads an old entry);
* ``pages/``: each incident page's Markdown, under a key made of everything the page shows
  (:func:`generator.page_inputs.describe_page_inputs`) and the same code digest; the pages'
  headings as MkDocs renders them, and each incident's search record (its parse's key and URL).

An entry is only ever read under the exact key it was written with, so a stale entry is never
used; entries no build used are dropped at the end of a build. The folder is safe to delete at
any time (the next build is a cold one); a CI job can keep it between runs (see
``docs/publishing.md``). A corrupt or unreadable entry counts as missing; a cache that cannot
be written is skipped silently: the cache only ever saves time.

Entries are records appended to pack files (:mod:`generator.cache_packs`), one pack per process
that writes: a file per entry cost a millisecond of the system's time to create, and a cold
build at 10,000 postmortems writes 40,000 entries.
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
from functools import cache
from pathlib import Path
from typing import Any

import generator
from generator import cache_packs

CACHE_DIR = Path(".cache") / "pmkb"
"""The cache's folder, relative to the knowledge base's root (where ``mkdocs.yml`` is)."""


@cache
def code_digest() -> str:
    """Return a digest of pmkb's version and its own source files and page templates."""
    package = Path(generator.__file__).parent
    digest = hashlib.sha256(generator.__version__.encode())
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".j2") and path.is_file():
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def make_key(*parts: bytes | str) -> str:
    """Return a cache key for the given parts (and pmkb's code)."""
    digest = hashlib.sha256(code_digest().encode())
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


_MEMORY: dict[Path, dict[str, Any]] = {}
"""Entries kept in memory between the builds of one ``pmkb serve``, by cache folder."""


class BuildCache:
    """One kind of entry (``parsed``, ``pages``) of the cache folder, for one build."""

    def __init__(self, folder: Path, *, remember: bool = False) -> None:
        self.folder = folder
        self.memory: dict[str, Any] | None = _MEMORY.setdefault(folder, {}) if remember else None
        """With ``remember`` (``pmkb serve``), entries are also kept in this process's memory:
        a rebuild then reads nothing from disk for what did not change."""
        self.used: set[str] = set()
        self.hits = 0
        self.misses = 0
        self.fingerprints: dict[str, str] = {}
        """Key of each postmortem's parse, by its shown path: a digest of all the model holds."""
        self._packs: cache_packs.PackReader | None = None
        """The entries on disk, read when first asked for (a forked worker shares them)."""

    def get(self, key: str) -> Any | None:
        """Return the entry stored under ``key``, or None."""
        self.used.add(key)
        if self.memory is not None and key in self.memory:
            self.hits += 1
            return self.memory[key]
        if self._packs is None:
            self._packs = cache_packs.PackReader(self.folder)
        try:
            data = self._packs.read(key)
            value = None if data is None else pickle.loads(data)  # noqa: S301 - pmkb's own
        except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError):
            value = None
        if value is None:
            self.misses += 1
            return None
        self.hits += 1
        if self.memory is not None:
            self.memory[key] = value
        return value

    def put(self, key: str, value: Any) -> None:
        """Store ``value`` under ``key`` (atomically: a reader never sees half an entry)."""
        self.keep(key, value)
        try:
            data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PickleError, TypeError, AttributeError):
            return
        self.write(key, data)

    def keep(self, key: str, value: Any) -> None:
        """Count ``key`` as used by this build, its entry written elsewhere (:meth:`write`)."""
        self.used.add(key)
        if self.memory is not None:
            self.memory[key] = value

    def keep_pickled(self, key: str, data: bytes) -> None:
        """As :meth:`keep`, for a value at hand only pickled (unpickled only to be remembered)."""
        self.used.add(key)
        if self.memory is not None:
            self.memory[key] = pickle.loads(data)  # noqa: S301 - pmkb's own bytes

    def write(self, key: str, data: bytes) -> None:
        """Write an entry from its pickled ``data``; safe from any process.

        A worker process that pickled a result to send it back writes the same bytes here; the
        build's own process then keeps the key (:meth:`keep`): an unused one is dropped at the
        end of the build.
        """
        place = cache_packs.append(self.folder, key, data)
        if place is not None and self._packs is not None:
            self._packs.add(key, place)

    def prune(self) -> None:
        """Drop the entries this build did not use (old versions of files, old pmkb)."""
        if self.memory is not None:
            for key in [key for key in self.memory if key not in self.used]:
                del self.memory[key]
        self.close()
        # A prune that fails (a full disk, a folder made read-only) leaves the packs as they
        # were: the cache only ever saves time, and never fails a build.
        with contextlib.suppress(OSError):
            cache_packs.prune(self.folder, self.used)

    def close(self) -> None:
        """Let go of the pack files read (a build's end; the cache stays usable)."""
        packs, self._packs = self._packs, None
        if packs is not None:
            packs.close()
