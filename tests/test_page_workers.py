"""Work shared between this process and forked workers: the same results, in order or as done."""

from __future__ import annotations

import os
import time
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator import page_workers
from generator.collector import paused_collection
from generator.page_workers import map_on_cores

HERE = os.getpid()


def square_slowly_elsewhere(number: int) -> tuple[int, int]:
    """Square a number; a worker takes 10 ms for it, this process no time."""
    if os.getpid() != HERE:
        time.sleep(0.01)
    return os.getpid(), number * number


def test_this_process_does_the_chunks_no_worker_started_and_results_stay_in_order() -> None:
    numbers = list(range(400))
    with map_on_cores(numbers, square_slowly_elsewhere, workers=2) as results:
        done = list(results())
    assert [square for _, square in done] == [n * n for n in numbers]
    by = {pid for pid, _ in done}
    # While a worker sleeps through its first chunks, this process does the rest.
    assert HERE in by
    assert by - {HERE}, "no worker did any chunk"


def test_tasks_of_their_own_then_chunks_come_back_in_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[tuple[int, int]] = []
    submit = page_workers.Workers.submit

    def record(self: page_workers.Workers, start: int, end: int) -> Any:
        asked.append((start, end))
        return submit(self, start, end)

    monkeypatch.setattr(page_workers.Workers, "submit", record)
    numbers = list(range(300))
    with map_on_cores(numbers, square_slowly_elsewhere, workers=2, alone=5) as results:
        done = list(results())
    assert [square for _, square in done] == [n * n for n in numbers]
    # The first five are a task each (a list page each); the others go in chunks.
    assert asked[:5] == [(n, n + 1) for n in range(5)]
    assert all(end - start == page_workers.SHARE for start, end in asked[5:-1])
    assert asked[5][0] == 5 and asked[-1][1] == 300


def test_results_out_of_order_come_as_tasks_finish() -> None:
    # List pages: a costly task a worker is still doing holds back none of those done here.
    numbers = list(range(6))
    with map_on_cores(
        numbers, square_slowly_elsewhere, workers=2, alone=6, in_order=False
    ) as results:
        done = list(results())
    assert sorted(square for _, square in done) == [n * n for n in numbers]
    assert done[0][0] == HERE, "a task done here waited for the worker's"
    assert {pid for pid, _ in done} - {HERE}, "no worker did any task"


def square_slowly(number: int) -> tuple[int, int]:
    time.sleep(0.005)
    return os.getpid(), number * number


def test_a_workers_results_are_given_as_they_come_not_when_this_process_is_done(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Results waiting for this process to run out of chunks to take all waited in memory.
    monkeypatch.setattr(page_workers, "SHARE", 10)
    numbers = list(range(200))
    with map_on_cores(numbers, square_slowly, workers=2, in_order=False) as results:
        done = list(results())
    assert sorted(square for _, square in done) == [n * n for n in numbers]
    by = [pid for pid, _ in done]
    last_here = len(by) - 1 - by[::-1].index(HERE)
    assert any(pid != HERE for pid in by[:last_here])


class Page:
    """A result that can be watched: a page made by a worker, unpickled here."""

    def __init__(self, number: int) -> None:
        self.number = number
        self.made_by = os.getpid()


def make_page_slowly(number: int) -> Page:
    time.sleep(0.002)
    return Page(number)


@pytest.fixture
def cycles_left_alone() -> Iterator[None]:
    """As during a build: the cycle collector paused, so only what nothing holds is freed."""
    with paused_collection():
        yield


@pytest.mark.usefixtures("cycles_left_alone")
def test_a_workers_results_are_let_go_of_once_given(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each chunk's future holds its results: kept to the end of the pass, every page a worker
    # made stayed in this process (0.3 GB at 10,000 incidents) after it was stored on disk.
    monkeypatch.setattr(page_workers, "SHARE", 10)
    given: list[weakref.ref[Page]] = []
    with map_on_cores(list(range(200)), make_page_slowly, workers=2, in_order=False) as results:
        for page in results():
            if page.made_by != HERE:
                given.append(weakref.ref(page))
            del page
        assert given, "no worker made any page"
        kept = [ref().number for ref in given if ref() is not None]  # type: ignore[union-attr]
        assert not kept, f"{len(kept)} of {len(given)} pages a worker made are still held"


def test_a_worker_hands_back_the_memory_its_chunks_let_go_of(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def note_release() -> None:  # runs in the worker: it leaves a file behind to say so
        (tmp_path / f"released-{os.getpid()}").touch()

    monkeypatch.setattr(page_workers, "release_free_memory", note_release)
    with map_on_cores(list(range(300)), square_slowly_elsewhere, workers=2) as results:
        workers = {pid for pid, _ in results()} - {HERE}
    assert workers, "no worker did any chunk"
    released = {int(p.name.split("-")[1]) for p in tmp_path.glob("released-*")}
    assert released - {HERE} == workers
    # This process too, before it forks: what its allocator kept would be each worker's copy.
    assert HERE in released


def fail_on_seven(number: int) -> int:
    if number == 7:
        raise ValueError("seven")
    return number


@pytest.mark.parametrize(("alone", "in_order"), [(0, True), (10, True), (10, False)])
def test_an_error_in_any_process_reaches_the_caller(alone: int, in_order: bool) -> None:
    with (
        pytest.raises(ValueError, match="seven"),
        map_on_cores(
            list(range(300)), fail_on_seven, workers=2, alone=alone, in_order=in_order
        ) as results,
    ):
        list(results())
