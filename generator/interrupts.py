"""Ctrl-C and the processes pmkb starts: only pmkb's own process takes it.

A terminal sends Ctrl-C to every process of the command, the workers that parse and render on
every core and the one that writes the search index among them. A worker that took it printed
a traceback of its own, and sent one more to the build it worked for, which under ``pmkb
serve`` then failed with a third. So a worker ignores Ctrl-C (:func:`ignore_interrupts`, its
first step), and the process that started it stops it as the interruption unwinds that process
(a pool is shut down, a pipe closed). Ctrl-C is held back while a worker starts
(:func:`holding_interrupts`): one that came just then reached the worker before its first step.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

_HELD = {signal.SIGINT, signal.SIGTERM}
"""The signals that stop pmkb (:func:`~generator.site_commands.terminate_as_interrupt`)."""


@contextmanager
def holding_interrupts() -> Iterator[None]:
    """Hold Ctrl-C back from the processes started in the block until their first step.

    Held back (blocked) in the thread that starts them, and so in them, Ctrl-C waits: a worker
    drops it as it ignores it (:func:`ignore_interrupts`), while this process takes it as soon
    as the block ends, or at once in another of its threads.
    """
    if not hasattr(signal, "pthread_sigmask"):  # not on Windows, which has no fork either
        yield
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def ignore_interrupts() -> None:
    """Leave Ctrl-C to the process that started this one: a worker's first step.

    SIGTERM ends a worker at once, as Python's default does, rather than as an interruption
    (pmkb's own answer to it, inherited through ``fork``).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)
