"""Rendering many incident pages on every core.

The pages come out the same as rendering each in turn in this process, in the same order: only
where the time goes changes. The workers are forked once the catalog is loaded, so they share it
(and the page templates) with this process instead of receiving a copy; each renders a share of
the pages and sends back their Markdown and the files they link to. With fewer pages than
:data:`PARALLEL_FROM`, one core, or no ``fork``, the pages are rendered here.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing import get_context
from pathlib import Path
from typing import TypeAlias

from generator.models import Postmortem

PARALLEL_FROM = 200
"""Fewer pages than this are rendered in this process (a worker costs ~0.1 s to start)."""

MAX_WORKERS = 4
"""At most this many workers: typical CI runners and laptops of a team have 2-4 cores."""

Rendered: TypeAlias = tuple[str, dict[str, Path]]
"""One page's Markdown and the files it links to (site path -> file)."""

RenderOne: TypeAlias = Callable[[Postmortem], Rendered]
"""Renders one incident's page."""

_JOB: tuple[RenderOne, Sequence[Postmortem]] | None = None
"""What the forked workers render: set before they start, read by them (never pickled)."""


@contextmanager
def render_on_cores(
    postmortems: Sequence[Postmortem], render_one: RenderOne
) -> Iterator[Callable[[], list[Rendered]]]:
    """Start rendering ``postmortems``' pages; yield a function that waits for the results.

    The caller can do other work (the list pages) while the workers render; the results come
    back in the order of ``postmortems``.
    """
    workers = count_workers(len(postmortems))
    if workers <= 1:
        yield lambda: [render_one(p) for p in postmortems]
        return
    global _JOB  # noqa: PLW0603  (the forked workers read it instead of unpickling a closure)
    _JOB = (render_one, postmortems)
    try:
        # Contiguous shares, one task per worker: fewer, larger messages back.
        size = -(-len(postmortems) // workers)
        with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork")) as pool:
            futures: list[Future[list[Rendered]]] = [
                pool.submit(_render_share, start, min(start + size, len(postmortems)))
                for start in range(0, len(postmortems), size)
            ]
            yield lambda: [page for future in futures for page in future.result()]
    finally:
        _JOB = None


def count_workers(pages: int) -> int:
    """Return how many worker processes should render ``pages`` pages (1: none)."""
    if pages < PARALLEL_FROM or not hasattr(os, "fork"):
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return min(cores or 1, MAX_WORKERS)


def _render_share(start: int, end: int) -> list[Rendered]:
    if _JOB is None:  # only reached in a worker forked by render_on_cores
        raise RuntimeError("pmkb: a page worker started without its pages")
    render_one, postmortems = _JOB
    return [render_one(postmortem) for postmortem in postmortems[start:end]]
