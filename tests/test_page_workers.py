"""Work shared between this process and forked workers: the same results, in order or as done."""

from __future__ import annotations

import os
import time

import pytest

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


def test_tasks_of_their_own_come_back_as_they_finish() -> None:
    # List pages: a costly task a worker is still doing holds back none of those done here.
    numbers = list(range(6))
    with map_on_cores(numbers, square_slowly_elsewhere, workers=2, each=True) as results:
        done = list(results())
    assert sorted(square for _, square in done) == [n * n for n in numbers]
    assert done[0][0] == HERE, "a task done here waited for the worker's"
    assert {pid for pid, _ in done} - {HERE}, "no worker did any task"


def fail_on_seven(number: int) -> int:
    if number == 7:
        raise ValueError("seven")
    return number


@pytest.mark.parametrize("each", [False, True])
def test_an_error_in_any_process_reaches_the_caller(each: bool) -> None:
    with (
        pytest.raises(ValueError, match="seven"),
        map_on_cores(list(range(300)), fail_on_seven, workers=2, each=each) as results,
    ):
        list(results())
