"""Insight backlog: the action items asked for and done per period, and the open ones by age.

Ages and "overdue" depend on the day, which is given (``today``), never read from the clock here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.catalog import Catalog
from generator.insight_durations import median
from generator.insight_scales import Series, Slot
from generator.models import ActionState

AGE_BUCKETS: tuple[tuple[int, int | None, str], ...] = (
    (0, 30, "under 30 days"),
    (30, 90, "30–89 days"),
    (90, 180, "90–179 days"),
    (180, 365, "180–364 days"),
    (365, None, "a year or more"),
)
"""Open action items by age (days since their incident): lower bound, upper bound, label."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Backlog:
    """The action-item backlog: what was asked for, what got done, what waits and for how long."""

    opened: tuple[int, ...]
    """Items asked for per period (by their incident's date)."""
    done: tuple[int, ...]
    """Items done per period (by their written done date)."""
    done_undated: int
    """Done items whose postmortem does not say when."""
    undated: int
    """Items of undated incidents (not in :attr:`opened`)."""
    ages: tuple[Series, ...]
    """Open items by age bucket (:data:`AGE_BUCKETS`): ``overdue`` and ``not overdue``."""
    age_unknown: int
    """Open items of undated incidents, whose age is unknown."""
    open_count: int
    """Items still to be done."""
    overdue_count: int
    """Open items past their due date."""
    median_age: float | None
    """Median age of the open items, in days (None when none has an age)."""


def count_backlog(catalog: Catalog, today: dt.date, size: int, slot: Slot) -> Backlog:
    """Count a catalog's action items per period (``size`` of them) and its open ones by age."""
    opened, done = [0] * size, [0] * size
    done_undated = undated = 0
    for postmortem in catalog:
        for item in postmortem.action_items:
            if postmortem.date is None:
                undated += 1
            else:
                opened[slot(postmortem.date)] += 1
            if item.state is ActionState.DONE:
                if item.done_on is None:
                    done_undated += 1
                else:
                    done[slot(item.done_on)] += 1
    # Ages and "overdue" as Catalog.open_actions defines them, without building and sorting
    # one object per item: only the counts are needed here.
    late, on_time = [0] * len(AGE_BUCKETS), [0] * len(AGE_BUCKETS)
    ages: list[float] = []
    open_count = overdue_count = 0
    for postmortem in catalog:
        for item in postmortem.action_items:
            if not item.state.is_open():
                continue
            open_count += 1
            overdue = item.due is not None and item.due < today
            overdue_count += overdue
            if postmortem.date is None:
                continue
            age = (today - postmortem.date).days
            ages.append(age)
            (late if overdue else on_time)[_find_age_bucket(age)] += 1
    return Backlog(
        opened=tuple(opened),
        done=tuple(done),
        done_undated=done_undated,
        undated=undated,
        ages=(
            Series(name="overdue", counts=tuple(late)),
            Series(name="not overdue", counts=tuple(on_time)),
        ),
        age_unknown=open_count - len(ages),
        open_count=open_count,
        overdue_count=overdue_count,
        median_age=median(ages) if ages else None,
    )


def _find_age_bucket(days: int) -> int:
    """Return the number of the :data:`AGE_BUCKETS` bucket that an age in days falls in."""
    # An incident dated after "today" (a typo, or a future build date) counts as new.
    for number, (low, high, _) in enumerate(AGE_BUCKETS):
        if days < low:
            return max(0, number - 1)
        if high is None or days < high:
            return number
    return len(AGE_BUCKETS) - 1
