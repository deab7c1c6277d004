"""Memory a build has let go of goes back to the system, not only to the allocator's free lists.

A build of thousands of incidents makes and drops hundreds of megabytes of page texts; the C
library's allocator kept them (:mod:`generator.heap`), and the build's process held 0.23 GB
more than it used through to its end.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from generator import page_store
from generator.heap import release_free_memory

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads this process's memory from /proc"
)


def resident_bytes() -> int:
    with Path("/proc/self/statm").open(encoding="ascii") as stream:
        return int(stream.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def make_and_drop_texts(megabytes: int) -> bytes:
    """Make texts of a page's size and drop them but the last (it keeps the heap from shrinking
    on its own); return that last one, which the caller holds."""
    texts = [bytes(64 * 1024) for _ in range(megabytes * 16)]
    last = texts.pop()
    texts.clear()
    return last


def test_memory_let_go_of_is_handed_back_to_the_system() -> None:
    held = make_and_drop_texts(200)
    before = resident_bytes()
    release_free_memory()
    assert resident_bytes() < before - 100 * 1024 * 1024
    assert len(held) == 64 * 1024


def test_a_page_store_hands_back_memory_as_texts_go_to_disk(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(page_store, "RELEASE_EVERY", 1000)
    store = page_store.PageStore()
    try:
        store.put("x" * 600)
        held = make_and_drop_texts(200)
        before = resident_bytes()
        store.put("x" * 600)  # the store now holds more than 1,000 bytes
        assert resident_bytes() < before - 100 * 1024 * 1024
        assert len(held) == 64 * 1024
    finally:
        store.close()
