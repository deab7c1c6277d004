"""Pagefind's indexing service, driven from Python: records in, a chunked search index out.

Pagefind (https://pagefind.app) writes a static search index cut into small pieces: a query
fetches the few pieces its words live in (tens of kilobytes), never the whole index, so search
stays fast at tens of thousands of pages. Its binary ships inside the ``pagefind_bin_extended``
wheel (the "extended" build segments Chinese and Japanese text into words).

The binary's ``--service`` mode reads requests and writes responses on its standard streams,
each a base64-encoded JSON object followed by a comma. Pagefind's own Python wrapper polls for
responses with a 0.1 s sleep per message (100 s for 1,000 records), so pmkb speaks the protocol
itself: requests are written as they come, a reader thread collects the responses, and only the
final "write the files" waits. The service runs in its own process, so it indexes on another
core while MkDocs renders pages.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import json
import os
import subprocess
import threading
import time
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

STOP_SECONDS = 2.0
"""How long the service may take to stop once its input is closed, before it is stopped."""


class PagefindError(Exception):
    """The Pagefind service failed or is missing; the message says why."""


class PagefindIndexer:
    """One Pagefind index being built by a service process; :meth:`write` finishes it."""

    def __init__(self, *, language: str) -> None:
        try:
            from pagefind_bin_extended import (  # type: ignore[import-untyped]  # noqa: PLC0415
                get_executable,
            )

            executable = str(get_executable())
        except (ImportError, FileNotFoundError) as error:
            raise PagefindError(
                f"search: the Pagefind binary is missing ({error}); reinstall postmortem-kb"
            ) from None
        self._language = language
        self._process = subprocess.Popen(
            [executable, "--service"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        if self._process.stdin is not None:
            _SERVICE_INPUTS.add(self._process.stdin.fileno())
        self._responses: dict[int, dict[str, Any]] = {}
        self._done = threading.Condition()
        self._closed = False
        self._next_id = 0
        self._failures: list[str] = []
        self._writing = 0
        self._folder = Path()
        self._reader = threading.Thread(
            target=self._read, args=(self._process.stdout,), daemon=True
        )
        self._reader.start()
        created = self._wait(self._send({"type": "NewIndex", "config": self._config()}))
        self._index_id = int(created["index_id"])

    def _config(self) -> dict[str, Any]:
        # One index in one language: Pagefind otherwise splits records by language and a page
        # searches only its own language's index (an English page would not find Japanese text).
        return {"force_language": self._language}

    def add(
        self, *, url: str, content: str, meta: Mapping[str, str], language: str | None = None
    ) -> None:
        """Queue one record: its URL (relative to the site's root), text and metadata."""
        self._send(
            {
                "type": "AddRecord",
                "index_id": self._index_id,
                "url": url,
                "content": content,
                "language": language or self._language,
                "meta": dict(meta),
                "filters": None,
                "sort": None,
            },
            track=False,
        )

    def start_writing(self, folder: Path) -> None:
        """Ask the service to write the index into ``folder``; :meth:`finish_writing` waits."""
        self._folder = folder.resolve()
        self._writing = self._send(
            {"type": "WriteFiles", "index_id": self._index_id, "output_path": str(self._folder)}
        )

    def finish_writing(self) -> None:
        """Wait for the index to be written, stop the service, and check the files it wrote."""
        try:
            self._wait(self._writing)
            wait_for_files_closed(self._process.pid, self._folder)
        finally:
            self.close()
        if self._failures:
            raise PagefindError(f"search: Pagefind refused a record: {self._failures[0]}")
        verify_index(self._folder)

    def close(self) -> None:
        """Stop the service (the index is lost unless :meth:`write` ran)."""
        if self._closed:
            return
        self._closed = True
        if self._process.stdin is not None:
            _SERVICE_INPUTS.discard(self._process.stdin.fileno())
            with contextlib.suppress(OSError):
                self._process.stdin.close()
        # The service stops at the end of its input. A process forked from this one while the
        # service ran (the page workers) holds a copy of that input open, and the service
        # would wait for it: it is stopped instead (its files are written and checked).
        try:
            self._process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        with self._done:
            self._done.notify_all()  # whoever waits for an answer sees the service has stopped
        # The reader ends at the stream's end (a forked process may hold it open: then the
        # reader is left, a daemon); the pipe is closed, not left to the collector.
        self._reader.join(timeout=STOP_SECONDS)
        if self._process.stdout is not None and not self._reader.is_alive():
            with contextlib.suppress(OSError):
                self._process.stdout.close()

    def _send(self, payload: dict[str, Any], *, track: bool = True) -> int:
        if self._closed or self._process.stdin is None:
            raise PagefindError("search: the Pagefind service has stopped")
        self._next_id += 1
        message = json.dumps({"message_id": self._next_id, "payload": payload})
        try:
            self._process.stdin.write(base64.b64encode(message.encode("utf-8")) + b",")
            self._process.stdin.flush()
        except OSError as error:
            raise PagefindError(f"search: the Pagefind service stopped ({error})") from None
        if not track:
            with self._done:
                self._responses.setdefault(-self._next_id, {})  # marks "not awaited"
        return self._next_id

    def _wait(self, message_id: int) -> dict[str, Any]:
        deadline = time.monotonic() + 600
        with self._done:
            # Woken by each answer; checks every second whether the service is still there.
            while not (message_id in self._responses or self._process.poll() is not None):
                if time.monotonic() > deadline:
                    break
                self._done.wait(timeout=1)
            response = self._responses.pop(message_id, None)
        if response is None:
            raise PagefindError("search: the Pagefind service stopped without an answer")
        if response.get("type") == "Error":
            raise PagefindError(f"search: Pagefind failed: {response.get('message')}")
        return response

    def _read(self, stream: IO[bytes] | None) -> None:
        """Collect responses (run in a thread so that the service never blocks on its output)."""
        if stream is None:
            return
        pending = b""
        while chunk := stream.read1(1 << 16):  # type: ignore[attr-defined]
            pending += chunk
            *messages, pending = pending.split(b",")
            for message in messages:
                self._take(message)
        with self._done:
            self._done.notify_all()

    def _take(self, message: bytes) -> None:
        try:
            response = json.loads(base64.b64decode(message))
        except ValueError:
            return
        if not isinstance(response, dict):
            return
        payload = response.get("payload") or {}
        message_id = response.get("message_id")
        with self._done:
            if message_id is not None and -int(message_id) in self._responses:
                # A record nobody waits for: keep only a failure, to report at the end.
                del self._responses[-int(message_id)]
                if payload.get("type") == "Error":
                    self._failures.append(str(payload.get("message")))
            elif message_id is not None:
                self._responses[int(message_id)] = payload
            elif payload.get("type") == "Error":
                self._failures.append(str(payload.get("message")))
            self._done.notify_all()


_SERVICE_INPUTS: set[int] = set()
"""The descriptors of the running services' inputs, in this process."""


def _forget_service_inputs() -> None:
    """In a process just forked from this one: hold no service's input open.

    A service stops at the end of its input; a page worker forked while it runs would keep that
    input open, and the service running, until the worker ends. Each descriptor is pointed at
    ``/dev/null`` (not closed: the number stays taken, so no file opened later gets it while a
    copy of the stream object still names it).
    """
    if not _SERVICE_INPUTS:
        return
    null = os.open(os.devnull, os.O_RDWR)
    for descriptor in _SERVICE_INPUTS:
        with contextlib.suppress(OSError):
            os.dup2(null, descriptor)
    os.close(null)
    _SERVICE_INPUTS.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_service_inputs)


def wait_for_files_closed(pid: int, folder: Path, *, timeout: float = 60.0) -> None:
    """Wait until process ``pid`` holds no file open under ``folder`` (where ``/proc`` tells).

    A file's descriptor is closed once its last write is done, so this is the moment the files
    are whole. Without ``/proc`` (not Linux) it returns at once: :func:`verify_index` still
    refuses an index with a file cut short.
    """
    descriptors = Path(f"/proc/{pid}/fd")
    prefix = f"{folder.resolve()}{os.sep}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            entries = list(descriptors.iterdir())
        except OSError:  # no /proc here, or the process has ended
            return
        if not any(_read_link(entry).startswith(prefix) for entry in entries):
            return
        time.sleep(0.01)
    raise PagefindError(f"search: Pagefind still writes into {folder} after {timeout:.0f} s")


def _read_link(entry: Path) -> str:
    try:
        return str(entry.readlink())
    except OSError:  # closed since the folder was listed
        return ""


def verify_index(folder: Path) -> None:
    """Raise :class:`PagefindError` unless every file of the index in ``folder`` is whole.

    No file may be empty, and Pagefind's compressed files (``*.pf_*``, ``*.pagefind``) must
    decompress to their end (a gzip stream ends with its length and checksum).
    """
    files = [path for path in sorted(folder.rglob("*")) if path.is_file()]
    if not any(path.suffix == ".pagefind" for path in files):
        raise PagefindError(f"search: Pagefind wrote no index into {folder}")
    for path in files:
        if path.stat().st_size == 0:
            raise PagefindError(
                f"search: Pagefind wrote an empty {path.relative_to(folder)}; build again"
            )
        if path.suffix == ".pagefind" or path.suffix.startswith(".pf_"):
            try:
                with gzip.open(path) as stream:
                    while stream.read(1 << 20):
                        pass
            except (OSError, EOFError, zlib.error) as error:
                raise PagefindError(
                    f"search: Pagefind wrote a broken {path.relative_to(folder)} ({error}); "
                    "build again"
                ) from None
