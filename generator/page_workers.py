"""Doing the same work for many pages on every core: rendering incident pages, their headings.

The results are the same as doing the work for each item in turn in this process, in the same
order: only where the time goes changes. The workers are forked once the catalog is loaded, so
they share it (and the page templates, and the pages) with this process instead of receiving a
copy; each does contiguous chunks of the items and sends back their results, while this
process does the chunks no worker has started yet rather than wait (:func:`map_on_cores`), or
the slices it is asked for (:class:`Workers`). With fewer items than :data:`PARALLEL_FROM`,
one core, or no ``fork``, the work is done here.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from multiprocessing import get_context
from queue import SimpleQueue
from typing import Any, TypeVar

from generator.heap import release_free_memory
from generator.interrupts import holding_interrupts, ignore_interrupts
from generator.stopping import check_stop

PARALLEL_FROM = 200
"""Fewer items than this are done in this process (a worker costs ~0.1 s to start)."""

MAX_WORKERS = 4
"""At most this many processes share work (this one and its workers): typical CI runners and
laptops of a team have 2-4 cores."""

SHARE = 50
"""Items a worker is given at a time by :func:`map_on_cores` (results come back in chunks)."""

Item = TypeVar("Item")
Result = TypeVar("Result")

_JOBS: dict[int, tuple[Callable[[Any], Any], Sequence[Any]]] = {}
"""What the forked workers do, by job number: set before they start, read by them (a closure
is never pickled). Two jobs can run at once (incident pages and list pages)."""


@contextmanager
def map_on_cores(
    items: Sequence[Item],
    function: Callable[[Item], Result],
    *,
    workers: int | None = None,
    alone: int = 0,
    in_order: bool = True,
) -> Iterator[Callable[[], Iterator[Result]]]:
    """Start applying ``function`` to ``items``; yield a function that waits for the results.

    The caller can do other work while the workers run; the results come back in the order of
    ``items``, as they are ready. An exception in a worker is raised by the waiting function.
    ``workers`` overrides how many processes share the work (:func:`count_workers` of the
    items), this one among them: waiting for a result, it does the next chunk no worker has
    started rather than sit idle. The work is cut in contiguous chunks of at most
    :data:`SHARE` items, but for the first ``alone`` items: each is a task of its own (items
    that each cost as much as many others, the costliest first). Without ``in_order``, the
    results come as chunks finish, in no set order: none waits for a costly one before it.
    """
    workers = count_workers(len(items)) if workers is None else min(workers, len(items))
    if workers <= 1:
        yield lambda: (function(item) for item in items)
        return
    # One process fewer is forked: each worker holds a copy of what it reads of this process's
    # memory (reading an object writes its count of references), this process does not.
    job = Workers(function, items, workers - 1)
    try:
        # Contiguous chunks, at most SHARE items each: few messages back, and a worker holds
        # one chunk's results at a time (a share of thousands of pages held them all at once).
        size = min(SHARE, -(-(len(items) - alone) // workers))
        starts = [*range(min(alone, len(items))), *range(alone, len(items), max(size, 1))]
        chunks = deque(
            _Chunk(start, end, job.submit(start, end))
            for start, end in zip(starts, [*starts[1:], len(items)], strict=True)
        )

        def take_results() -> Iterator[Result]:
            # Each chunk is let go of once given: the caller need not hold every result at once.
            while chunks:
                check_stop()  # a build that is no longer needed ends here (pmkb serve)
                first = chunks[0]
                while first.results is None and not first.future.done():
                    # Rather than wait, do here the first chunk no worker has started (a
                    # future not started can be cancelled). A chunk done here ahead of the
                    # one waited for is held until its turn: one or two, as both go as fast.
                    todo = next((c for c in chunks if c.take_over()), None)
                    if todo is None:
                        break
                    todo.results = [function(item) for item in items[todo.start : todo.end]]
                chunks.popleft()
                yield from first.results if first.results is not None else first.future.result()

        def take_finished() -> Iterator[Result]:
            # A worker's chunk is given as soon as it is done, before this process takes over
            # another: given only once this process had none left to take, a worker's results
            # all waited in memory (at 10,000 incidents, 0.2 GB of its pages).
            finished: SimpleQueue[int] = SimpleQueue()
            # Each chunk is let go of once given, and with it its future, which holds the
            # results: kept to the end of the pass (here, or by a callback naming the chunk: a
            # cycle, and the cycle collector is paused), every worker result stayed in this
            # process (at 10,000 incidents, some 0.3 GB of pages already stored on disk).
            pending: list[_Chunk | None] = list(chunks)
            chunks.clear()
            for number, chunk in enumerate(pending):
                if chunk is not None:
                    chunk.future.add_done_callback(partial(_tell_done, finished, number))
            # Each chunk is looked at once: one a worker started can never be taken over.
            takeable, left = deque(range(len(pending))), len(pending)
            while left:
                check_stop()
                mine = None
                while finished.empty() and takeable and mine is None:
                    number = takeable.popleft()
                    candidate = pending[number]
                    if candidate is not None and candidate.take_over():
                        mine, pending[number] = candidate, None
                if mine is not None:
                    left -= 1
                    yield from (function(item) for item in items[mine.start : mine.end])
                    continue
                number = finished.get()  # waits for a worker's chunk
                done, pending[number] = pending[number], None
                if done is not None:  # None: taken over and given here (its future cancelled)
                    left -= 1
                    yield from done.future.result()
                del done

        yield take_results if in_order else take_finished
    finally:
        job.close()


def _tell_done(finished: SimpleQueue[int], number: int, _: Future[list[Any]]) -> None:
    finished.put(number)  # from the thread that set the future's result


@dataclass(slots=True)
class _Chunk:
    """A contiguous part of the items: submitted to the workers, or done by the caller."""

    start: int
    end: int
    future: Future[list[Any]]
    results: list[Any] | None = None
    """The results, when the caller did the chunk itself."""

    def take_over(self) -> bool:
        """Take the chunk from the workers if none has started it; return whether taken."""
        return self.results is None and self.future.cancel()


class Workers:
    """Forked processes applying one function to slices of one sequence, as they are asked."""

    def __init__(self, function: Callable[[Any], Any], items: Sequence[Any], workers: int) -> None:
        self._job = max(_JOBS, default=0) + 1
        _JOBS[self._job] = (function, items)
        # Memory this process freed but its allocator kept would be the workers' too: as this
        # process uses it again, each worker is left its own copy of what was there.
        release_free_memory()
        # The workers are forked at the first slice asked for, with the job already there.
        self._pool = ProcessPoolExecutor(
            max_workers=workers, mp_context=get_context("fork"), initializer=ignore_interrupts
        )

    def submit(self, start: int, end: int) -> Future[list[Any]]:
        """Have a worker apply the function to ``items[start:end]``; the future has the results."""
        with holding_interrupts():  # the first one forks the workers
            return self._pool.submit(_do_share, self._job, start, end)

    def close(self) -> None:
        """Stop the workers, dropping the slices none has started."""
        self._pool.shutdown(wait=True, cancel_futures=True)
        _JOBS.pop(self._job, None)


def count_workers(items: int) -> int:
    """Return how many processes should share ``items`` items, this one included (1: none)."""
    if items < PARALLEL_FROM or not hasattr(os, "fork"):
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return min(cores or 1, MAX_WORKERS)


def _do_share(job: int, start: int, end: int) -> list[Any]:
    if job not in _JOBS:  # only reached in a worker forked by Workers
        raise RuntimeError("pmkb: a page worker started without its work")
    function, items = _JOBS[job]
    results = [function(item) for item in items[start:end]]
    # What the chunk made and let go of goes back to the system (about 6 ms): a worker does
    # chunk after chunk, and at 10,000 incidents it held some 50 MB more than it used.
    release_free_memory()
    return results
