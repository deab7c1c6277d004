"""Python's cycle collector, kept out of pmkb's heavy work.

CPython's collector runs after every 700 new container objects (lists, dicts, instances), and now
and then walks every object alive, to find groups of objects that refer to each other and to
nothing else: what reference counting cannot free. Parsing and rendering thousands of
postmortems make millions of short-lived objects and next to no such groups (none in parsing
1,000 postmortems, a few hundred objects in rendering their pages), so the collector ran
thousands of times to find nothing: on one core, parsing 1,000 postmortems took 14.4 s with it
and 13.4 s without, rendering their pages 21.4 s and 19.8 s.

* :func:`paused_collection` turns it off for a stretch of such work (a ``with`` block or a
  decorated function), and for the workers forked in it (a forked process inherits the setting);
* :func:`freeze_survivors` puts every object alive out of its reach (:func:`gc.freeze`): the
  catalog and the pages live as long as the build, and walking them again would cost time here
  and, in a worker forked later, copy the memory it shares with this process (the collector
  writes to each object it walks). :func:`thaw` gives them back at the end of a build, for
  ``pmkb serve``, whose next build replaces them;
* :func:`skip_collection_at_exit` keeps it from walking every object as the process ends.
"""

from __future__ import annotations

import atexit
import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_collection() -> Iterator[None]:
    """Run the block without the cycle collector, then set it back as it was."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def freeze_survivors() -> None:
    """Keep the objects alive now out of every later collection, until :func:`thaw`."""
    gc.freeze()


def thaw() -> None:
    """Let the collector walk the objects :func:`freeze_survivors` kept out again."""
    gc.unfreeze()


def skip_collection_at_exit() -> None:
    """Have the process end without a last walk of every object it holds (once per process).

    As Python exits, it collects cycles over the whole heap before it frees the modules: after
    a build of 1,000 postmortems that took 1.2 s (4% of the build), and longer the larger the
    knowledge base, to find garbage in memory the system takes back anyway. Objects frozen
    (:func:`gc.freeze`) are left out of every collection, so all of them are frozen as the
    exit starts. Python never promised to finalize the objects of a cycle at exit; pmkb closes
    its files and folders itself, and the exit's other steps (``atexit``) still run.
    """
    global _SKIPPING  # noqa: PLW0603 - once per process
    if not _SKIPPING:
        atexit.register(gc.freeze)
        _SKIPPING = True


_SKIPPING = False
"""Whether :func:`skip_collection_at_exit` was called in this process."""
