"""Where generated pages wait on disk while MkDocs works through them.

MkDocs reads and renders every page before it puts any through the theme, and keeps each page's
text until the build ends: at 10,000 incidents, some 0.7 GB of pmkb's pages' HTML alone, and as
much again of their Markdown while it was handed over (a page is 20-70 KB of text, and a single
character outside Latin-1 makes Python keep the whole of it at two bytes a character). A
:class:`PageStore` keeps those texts in an anonymous temporary file instead: every generated
page's Markdown as it is rendered (:class:`StoredTexts`, read back when MkDocs reads each page)
and every generated page's HTML (read back when the theme asks for it, see
:class:`generator.generated_page.GeneratedPage`).

The file has no name (it is unlinked as it is created, and only this user may read it), so
neither a crash nor a kill leaves it behind. Workers forked during the build read it through the
descriptor they inherit, with ``pread``, which shares no file position between processes, and
write to it too: a page is stored where it is rendered, and only its place goes back to the
build's process (:meth:`PageStore.put` takes the file's end under a lock every process sees).

The texts a store takes were made and are then let go of, thousands of them: every
:data:`RELEASE_EVERY` bytes stored, the memory they took is handed back to the system
(:func:`generator.heap.release_free_memory`), not kept by the allocator for the rest of the build.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
import threading
from collections.abc import Iterable, Iterator, Mapping
from typing import IO

from generator.heap import release_free_memory

RELEASE_EVERY = 64 * 1024 * 1024
"""Bytes stored between two hand-backs of freed memory (one costs ~0.1 s at 1 GB held)."""


Place = tuple[int, int]
"""Where a text is in a :class:`PageStore`: its offset and its length in bytes."""


class PageStore:
    """An append-only store of texts on disk, each read back by the place it was written at.

    Processes forked from the one that made it store texts in it too.
    """

    def __init__(self) -> None:
        # Kept open for the whole build, not a block: closed by close().
        self._file: IO[bytes] | None = tempfile.TemporaryFile(prefix="pmkb-pages-")  # noqa: SIM115
        self._lock = threading.Lock()

    def put(self, text: str) -> Place:
        """Write a text; return where it is (offset, length), for :meth:`get`."""
        return self.put_bytes(text.encode("utf-8", "surrogatepass"))

    def put_bytes(self, data: bytes) -> Place:
        """Write bytes; return where they are (offset, length), for :meth:`get_bytes`."""
        with self._lock:  # the other threads of this process
            if self._file is None:
                raise ValueError("pmkb: the page store is closed")
            descriptor = self._file.fileno()
            # The other processes: a lock of the file's, held by a process (threads share it).
            fcntl.lockf(descriptor, fcntl.LOCK_EX)
            try:
                start = os.fstat(descriptor).st_size  # every write is whole before it unlocks
                written = 0
                while written < len(data):  # a write may stop short (a signal): the rest follows
                    written += os.pwrite(descriptor, data[written:], start + written)
            finally:
                fcntl.lockf(descriptor, fcntl.LOCK_UN)
        end = start + len(data)
        if end // RELEASE_EVERY != start // RELEASE_EVERY:
            release_free_memory()
        return start, len(data)

    def get(self, place: Place) -> str:
        """Return the text written at ``place``."""
        return self.get_bytes(place).decode("utf-8", "surrogatepass")

    def get_bytes(self, place: Place) -> bytes:
        """Return the bytes written at ``place``."""
        if self._file is None:
            raise ValueError("pmkb: the page store is closed")
        offset, length = place
        data = os.pread(self._file.fileno(), length, offset)
        if len(data) != length:
            raise OSError(f"pmkb: a page was cut short on disk ({len(data)} of {length} bytes)")
        return data

    def close(self) -> None:
        """Let go of the file (the disk space is freed with it)."""
        if self._file is not None:
            self._file.close()
            self._file = None


class StoredTexts(Mapping[str, str]):
    """Texts by name, in the order kept, each in memory or in a :class:`PageStore`.

    A stored text is read back from disk on every access: iterate over the values to go
    through them one at a time rather than hold them all.
    """

    def __init__(self, store: PageStore | None = None) -> None:
        self._store = store
        self._entries: dict[str, str | Place] = {}

    def keep(self, name: str, text: str | Place) -> None:
        """Keep a text under a name: in the store if there is one, else here.

        A place is a text the store has already (:meth:`stash` gave it, maybe in a worker).
        """
        self._entries[name] = self.stash(text) if isinstance(text, str) else text

    def stash(self, text: str) -> str | Place:
        """Return a text's place in the store, once put there; the text itself without one."""
        return self._store.put(text) if self._store else text

    def ordered(self, names: Iterable[str]) -> StoredTexts:
        """Return these texts in the order of ``names`` (each one of them), none read back."""
        texts = StoredTexts(self._store)
        texts._entries = {name: self._entries[name] for name in names}
        return texts

    def __getitem__(self, name: str) -> str:
        entry = self._entries[name]
        if isinstance(entry, str):
            return entry
        if self._store is None:  # never: only a store makes places
            raise KeyError(name)
        return self._store.get(entry)

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)
