"""Doing the same work for many pages on every core: rendering incident pages, their headings.

The results are the same as doing the work for each item in turn in this process, in the same
order: only where the time goes changes. The workers are forked once the catalog is loaded, so
they share it (and the page templates, and the pages) with this process instead of receiving a
copy; each does a contiguous share of the items and sends back its results. With fewer items
than :data:`PARALLEL_FROM`, one core, or no ``fork``, the work is done here.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing import get_context
from typing import Any, TypeVar

PARALLEL_FROM = 200
"""Fewer items than this are done in this process (a worker costs ~0.1 s to start)."""

MAX_WORKERS = 4
"""At most this many workers: typical CI runners and laptops of a team have 2-4 cores."""

Item = TypeVar("Item")
Result = TypeVar("Result")

_JOB: tuple[Callable[[Any], Any], Sequence[Any]] | None = None
"""What the forked workers do: set before they start, read by them (never pickled)."""


@contextmanager
def map_on_cores(
    items: Sequence[Item], function: Callable[[Item], Result]
) -> Iterator[Callable[[], list[Result]]]:
    """Start applying ``function`` to ``items``; yield a function that waits for the results.

    The caller can do other work while the workers run; the results come back in the order of
    ``items``. An exception in a worker is raised by the waiting function.
    """
    workers = count_workers(len(items))
    if workers <= 1:
        yield lambda: [function(item) for item in items]
        return
    global _JOB  # noqa: PLW0603  (the forked workers read it instead of unpickling a closure)
    _JOB = (function, items)
    try:
        # Contiguous shares, one task per worker: fewer, larger messages back.
        size = -(-len(items) // workers)
        with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork")) as pool:
            futures: list[Future[list[Result]]] = [
                pool.submit(_do_share, start, min(start + size, len(items)))
                for start in range(0, len(items), size)
            ]
            yield lambda: [result for future in futures for result in future.result()]
    finally:
        _JOB = None


def count_workers(items: int) -> int:
    """Return how many worker processes should share ``items`` items (1: none)."""
    if items < PARALLEL_FROM or not hasattr(os, "fork"):
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return min(cores or 1, MAX_WORKERS)


def _do_share(start: int, end: int) -> list[Any]:
    if _JOB is None:  # only reached in a worker forked by map_on_cores
        raise RuntimeError("pmkb: a page worker started without its work")
    function, items = _JOB
    return [function(item) for item in items[start:end]]
