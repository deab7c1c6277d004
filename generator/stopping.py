"""Ending long work between two of its steps when whoever asked for it no longer needs it.

``pmkb serve`` builds the whole site in the background after an edit: at 10,000 postmortems, for
minutes. When the server stops (Ctrl-C), that build must end where it is, not run to its end
first. It runs in a thread of its own, which no signal reaches, so it is asked: the thread runs
the build under :func:`stoppable`, with an event the server sets as it stops, and the long loops
(each chunk of the work done on every core, each page of MkDocs' loops) call :func:`check_stop`
between two steps. Elsewhere (``pmkb build``, the tests), :func:`check_stop` does nothing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_STOP: ContextVar[threading.Event | None] = ContextVar("pmkb_stop", default=None)
"""The event that stops the work of this thread (each thread has its own context)."""


class StoppedError(Exception):
    """Raised by :func:`check_stop` in work asked to stop.

    An exception like any other to MkDocs, so that the plugins' ``on_build_error`` stops their
    workers as for a failed build.
    """


@contextmanager
def stoppable(event: threading.Event, *, quiet: str) -> Iterator[None]:
    """Run the block as work that setting ``event`` ends at its next :func:`check_stop`.

    What the logger named ``quiet`` logs from this thread once ``event`` is set is left out:
    the work is unwinding (MkDocs' build logs "Error building page" of the page it was on), and
    whoever stopped it knows why.
    """
    token = _STOP.set(event)
    unwinding = _Unwinding(event, threading.get_ident())
    logging.getLogger(quiet).addFilter(unwinding)
    try:
        yield
    finally:
        logging.getLogger(quiet).removeFilter(unwinding)
        _STOP.reset(token)


def check_stop() -> None:
    """Raise :class:`StoppedError` if the work this thread does was asked to stop."""
    event = _STOP.get()
    if event is not None and event.is_set():
        raise StoppedError("the work was stopped")


class _Unwinding(logging.Filter):
    """Leaves out the records of one thread once its work was asked to stop."""

    def __init__(self, event: threading.Event, thread: int) -> None:
        super().__init__()
        self.event = event
        self.thread = thread

    def filter(self, record: logging.LogRecord) -> bool:
        """Keep the record unless it comes from the stopped thread."""
        return record.thread != self.thread or not self.event.is_set()
