"""Pack files: the build cache's entries, appended to one file per process that writes them.

A record is a header (:data:`MAGIC`, the key's length, the data's length), then the key, then the
data. Each process that writes entries into a folder appends them to a pack of its own
(``<pid>-<random>.pack``), one ``write`` a record, so no two processes' records are ever mixed. A
process killed in the middle of a record leaves a pack whose last record is cut short: reading
stops there, and what is missing is made again by the next build.

Creating a file cost about a millisecond of the system's time here, and a cold build at 10,000
postmortems writes some 40,000 entries (parse results, pages, headings, search records): a file
each cost more than the pickling. Appending them costs next to nothing.

Reading a folder (:class:`PackReader`) scans the packs' headers once, oldest pack first, into an
index of where each key's data is: a key written again (after an entry that would not unpickle)
is read from its newest record. :func:`prune` deletes the packs that hold nothing a build used
and, once dead records take most of a folder (or it has many packs), copies the live ones into
one new pack. Packs are opened without following symbolic links.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import struct
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

MAGIC = b"PMKP"
"""The first bytes of every record."""

SUFFIX = ".pack"
"""The name ending of a pack file."""

MAX_PACKS = 64
"""More packs than this in a folder are merged into one at the next prune (each build that
changes something adds one pack per process that wrote)."""

_HEADER = struct.Struct(">4sHQ")  # magic, the key's length, the data's length
_KEY_GUESS = 64  # a key's usual length (a sha256 in hex): read with its header in one call
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)

Place = tuple[str, int, int]
"""Where a record's data is: its pack's name, the offset of the data, its length."""


@dataclass(slots=True)
class _Writer:
    """The pack this process appends to in one folder."""

    pid: int
    """The process that opened it: a forked child opens a pack of its own."""
    fd: int
    """The open file."""
    name: str
    """The pack's name in the folder."""
    end: int
    """How many bytes it holds (this process is its only writer)."""


_WRITERS: dict[Path, _Writer] = {}
_LOCK = threading.Lock()


def _renew_lock() -> None:
    """Give a forked child a lock of its own: the parent's may have been held by a thread."""
    global _LOCK  # noqa: PLW0603 - the module's one lock, replaced only in a new process
    _LOCK = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_renew_lock)


def append(folder: Path, key: str, data: bytes) -> Place | None:
    """Append a record to this process's pack in ``folder``; return where its data is.

    None when the folder cannot be written: the cache only ever saves time.
    """
    record = _record(key, data)
    with _LOCK:
        try:
            writer = _open_writer(folder)
        except OSError:
            return None
        start = writer.end
        try:
            _write_all(writer.fd, record)
        except OSError:
            # A record cut short (disk full) would hide every later one: cut it off, and
            # start another pack next time.
            with contextlib.suppress(OSError):
                os.ftruncate(writer.fd, start)
            _close_writer(folder)
            return None
        writer.end += len(record)
        return writer.name, start + len(record) - len(data), len(data)


def _open_writer(folder: Path) -> _Writer:
    found = _WRITERS.get(folder)
    if found is not None and found.pid == os.getpid():
        return found
    if found is not None:  # the parent's pack, inherited by a fork: this copy is let go of
        with contextlib.suppress(OSError):
            os.close(found.fd)
        del _WRITERS[folder]
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{os.getpid()}-{secrets.token_hex(6)}{SUFFIX}"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND | _NOFOLLOW | _CLOEXEC
    fd = os.open(folder / name, flags, 0o666)
    _WRITERS[folder] = writer = _Writer(pid=os.getpid(), fd=fd, name=name, end=0)
    return writer


def _close_writer(folder: Path) -> None:
    found = _WRITERS.pop(folder, None)
    if found is not None and found.pid == os.getpid():
        with contextlib.suppress(OSError):
            os.close(found.fd)


class PackReader:
    """The records of a folder's packs, by key (see the module docstring)."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._files: dict[str, int] = {}
        self._places: dict[str, Place] = {}
        for path in _list_packs(folder):
            fd = self._open(path.name)
            if fd is not None:
                for key, offset, length in _scan(fd):
                    self._places[key] = (path.name, offset, length)

    def read(self, key: str) -> bytes | None:
        """Return the data of the newest record of ``key``, or None."""
        place = self._places.get(key)
        if place is None:
            return None
        name, offset, length = place
        fd = self._open(name)
        data = os.pread(fd, length, offset) if fd is not None else b""
        return data if len(data) == length else None

    def add(self, key: str, place: Place) -> None:
        """Count a record this process has just written."""
        self._places[key] = place

    def close(self) -> None:
        """Close the packs."""
        files, self._files = self._files, {}
        for fd in files.values():
            with contextlib.suppress(OSError):
                os.close(fd)

    def _open(self, name: str) -> int | None:
        fd = self._files.get(name)
        if fd is None:
            try:
                fd = os.open(self._folder / name, os.O_RDONLY | _NOFOLLOW | _CLOEXEC)
            except OSError:
                return None
            self._files[name] = fd
        return fd


def prune(folder: Path, used: set[str]) -> None:
    """Keep only the records of ``used`` keys in ``folder`` (see the module docstring)."""
    with _LOCK:
        _close_writer(folder)  # its pack is complete: the next write starts another
    if not folder.is_dir() or folder.is_symlink():
        return
    _delete_other_files(folder)
    packs = _list_packs(folder)
    newest: dict[str, tuple[Path, int, int]] = {}
    sizes: dict[Path, int] = {}
    for path in packs:
        with _opened(path) as fd:
            if fd is None:
                continue
            sizes[path] = os.fstat(fd).st_size
            for key, offset, length in _scan(fd):
                newest[key] = (path, offset, length)
    live = {key: place for key, place in newest.items() if key in used}
    live_bytes = sum(length for _, _, length in live.values())
    if len(packs) > MAX_PACKS or sum(sizes.values()) > 2 * live_bytes + (1 << 20):
        _copy_into_one_pack(folder, live)
        for path in packs:
            path.unlink(missing_ok=True)
        return
    holding = {path for path, _, _ in live.values()}
    for path in packs:
        if path not in holding:
            path.unlink(missing_ok=True)


def _copy_into_one_pack(folder: Path, live: dict[str, tuple[Path, int, int]]) -> None:
    """Write the live records into a new pack, named as one only once it is whole."""
    by_pack: dict[Path, list[tuple[str, int, int]]] = {}
    for key, (path, offset, length) in live.items():
        by_pack.setdefault(path, []).append((key, offset, length))
    if not by_pack:
        return
    name = f"{os.getpid()}-{secrets.token_hex(6)}{SUFFIX}"
    partial = folder / f".{name}.partial"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
    out = os.open(partial, flags, 0o666)
    try:
        for path, entries in by_pack.items():
            with _opened(path) as fd:
                if fd is None:
                    continue
                for key, offset, length in entries:
                    data = os.pread(fd, length, offset)
                    if len(data) == length:
                        _write_all(out, _record(key, data))
    except OSError:
        os.close(out)
        partial.unlink(missing_ok=True)
        raise
    os.close(out)
    partial.replace(folder / name)


def _record(key: str, data: bytes) -> bytes:
    """Return a record: its header, its key, its data."""
    encoded = key.encode("utf-8", "surrogatepass")
    return _HEADER.pack(MAGIC, len(encoded), len(data)) + encoded + data


def _write_all(fd: int, data: bytes) -> None:
    written = 0
    while written < len(data):  # a write may stop short (a signal): the rest follows
        written += os.write(fd, data[written:])


def _delete_other_files(folder: Path) -> None:
    """Delete what is not a pack: entries of older pmkb (a file each, in two-letter folders)."""
    for path in folder.iterdir():
        if path.name.endswith(SUFFIX) and not path.name.startswith("."):
            continue
        with contextlib.suppress(OSError):
            if path.is_dir() and not path.is_symlink():
                for entry in path.iterdir():
                    entry.unlink(missing_ok=True)
                path.rmdir()
            else:
                path.unlink(missing_ok=True)


def _list_packs(folder: Path) -> list[Path]:
    """Return the folder's packs, oldest first (by when last written, then by name)."""
    found = []
    try:
        paths = [p for p in folder.iterdir() if p.name.endswith(SUFFIX)]
    except OSError:
        return []
    for path in paths:
        with contextlib.suppress(OSError):
            found.append((path.lstat().st_mtime_ns, path.name, path))
    return [path for _, _, path in sorted(found)]


@contextlib.contextmanager
def _opened(path: Path) -> Iterator[int | None]:
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _CLOEXEC)
    except OSError:
        yield None
        return
    try:
        yield fd
    finally:
        os.close(fd)


def _scan(fd: int) -> Iterator[tuple[str, int, int]]:
    """Yield each whole record of a pack: its key, the offset of its data, its length."""
    try:
        size = os.fstat(fd).st_size
        offset = 0
        while offset + _HEADER.size <= size:
            head = os.pread(fd, _HEADER.size + _KEY_GUESS, offset)
            magic, key_length, length = _HEADER.unpack_from(head)
            start = offset + _HEADER.size
            end = start + key_length + length
            if magic != MAGIC or end > size:
                return  # not a record, or one cut short: nothing after it is read
            encoded = head[_HEADER.size :]
            if len(encoded) < key_length:
                encoded = os.pread(fd, key_length, start)
            yield encoded[:key_length].decode("utf-8", "surrogatepass"), start + key_length, length
            offset = end
    except (OSError, struct.error, UnicodeDecodeError):
        return
