"""Status-update logs: a status page's incident, or a write-up made of dated updates.

Updates are written as headings, list items or paragraphs, with their time after the update's
word ("Update — May 4, 15:10 UTC", "**Resolved** (16:32)") or on a line of their own at the end
("Posted May 4, 16:32 UTC"), newest first or oldest first. Each update is one event, and the log
is read in time order.

Times often carry no date: the day is given once (in the front matter, a header, or one entry)
and midnight passes silently. Read oldest first, ``23:40`` then ``00:30`` moves to the next day;
read newest first, ``00:30`` then ``23:40`` moves back to the day before. A day stated in the
document is the day the log starts (its oldest entry); a day stated on an entry is that entry's.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable
from dataclasses import replace

from generator.models import SectionKind, TimelineEvent
from generator.parse.document import Part
from generator.parse.text import plain_text
from generator.parse.times import Stamp, read_stamp, zone_info

_UPDATE_LEAD = re.compile(
    r"^\s*(?:\*\*|__|#+\s*)?(?P<word>(?:update[sd]?|resolved|investigating|identified|monitoring"
    r"|mitigated|completed|scheduled|aktualisierung|mise à jour|actualización|atualização|更新"
    r"|업데이트)(?:\s*#?\d{1,3}(?![\d\-/.:]))?)(?:\*\*|__)?\s*(?:[-–—:|(@,]|\bat\b|\bon\b)?\s*",
    re.IGNORECASE,
)
_DAY_MINUTES = 24 * 60
_ROLLOVER = dt.timedelta(hours=12)
_CLOSE_MINUTES = 6 * 60
"""How far back in the time of day an update log read newest first steps, at most."""
_POSTED = re.compile(r"^\s*(?:posted|published|updated)(?:\s+on|\s+at)?\s*[:\-–—]?\s*", re.I)


def read_entry_stamp(text: str, *, default_year: int | None = None) -> Stamp | None:
    """Return the stamp an entry starts with, also after an update's word ("Update 14:45: ...").

    The word is kept: it goes back in front of the entry's text.
    """
    stamp = read_stamp(text, default_year=default_year)
    if stamp is not None:
        return stamp
    lead = _UPDATE_LEAD.match(text)
    if lead is None or lead.end() >= len(text):
        return None
    stamp = read_stamp(text[lead.end() :], default_year=default_year)
    if stamp is None or (stamp.time is None and not stamp.has_date):
        return None
    end = stamp.end + lead.end()
    word = lead.group("word")
    # Nothing after the time ("Resolved 2020-02-12 12:07"): the entry reads as written.
    return replace(stamp, end=end, emphasis=f"{word}: " if text[end:].strip() else text[:end])


def trailing_stamp(text: str, *, default_year: int | None = None) -> Stamp | None:
    """Return the stamp a status update ends with on a line of its own ("Posted May 4, 16:32")."""
    lines = [line for line in text.strip().split("\n") if line.strip()]
    if len(lines) < 2:
        return None
    last = _POSTED.sub("", plain_text(lines[-1]))
    stamp = read_stamp(last, default_year=default_year)
    if stamp is None or stamp.time is None or last[stamp.end :].strip():
        return None
    return stamp


def in_time_order(events: list[TimelineEvent]) -> list[TimelineEvent]:
    """Return the events oldest first: a status page lists its updates newest first.

    With no day written anywhere, the times of day tell: a log whose times mostly step back by
    less than a few hours (midnight aside) is read newest first.
    """
    moments = [event.at for event in events if event.at is not None]
    pairs = [
        (a, b) for a, b in itertools.pairwise(moments) if (a.tzinfo is None) == (b.tzinfo is None)
    ]
    if len(pairs) >= 2:
        falling = sum(1 for a, b in pairs if b < a)
        return events[::-1] if falling * 4 >= len(pairs) * 3 else events
    times = [moment for event in events if (moment := _moment(event)) is not None]
    return events[::-1] if _steps_back_closely(times) else events


def date_newest_first_runs(
    groups: list[tuple[Part, list[TimelineEvent]]],
    runs: list[tuple[int, dt.date | None]],
    anchored: set[tuple[int, str | None]],
) -> None:
    """Give the entries of each timeline written newest first their days (see the docstring).

    ``groups`` are the events of each timeline section, ``runs`` where each timeline starts
    (a group index) and the day it starts on, ``anchored`` the (line, time) of the events
    whose day was written.
    """
    if not runs:
        return
    bounds = [*(start for start, _ in runs[1:]), len(groups)]
    for (start, day), end in zip(runs, bounds, strict=True):
        members = groups[start:end]
        events = [event for _, found in members for event in found]
        dated = _date_newest_first(
            events, anchored=lambda e: (e.line, e.time) in anchored, start_day=day
        )
        for index, (part, found) in enumerate(members):
            groups[start + index] = (part, dated[: len(found)])
            dated = dated[len(found) :]


def _date_newest_first(
    events: list[TimelineEvent],
    *,
    anchored: Callable[[TimelineEvent], bool],
    start_day: dt.date | None,
) -> list[TimelineEvent]:
    """Return a timeline's events with the days a newest-first log implies (see the docstring).

    ``anchored`` tells the events whose day was written (their own date, a day heading); the
    others take theirs from their neighbours in time, or, with no anchor at all, from
    ``start_day`` for the oldest entry.
    """
    # Each timed entry's moment, on a provisional day when none was known when it was read.
    moments = {i: m for i, event in enumerate(events) if (m := _moment(event)) is not None}
    oldest_first = sorted(moments, reverse=True)
    if not _is_newest_first([moments[index] for index in oldest_first[::-1]]):
        return events
    anchors = [index for index in oldest_first if events[index].at and anchored(events[index])]
    if anchors:
        first = oldest_first.index(anchors[0])
    elif start_day is not None:
        first = 0
        oldest = oldest_first[0]
        moments[oldest] = _on_day(moments[oldest], start_day)
    else:
        return events
    placed = {index for index in moments if events[index].at is not None}
    if not anchors:
        placed.add(oldest_first[0])
    # Older than the first anchor: back in time, the day rolls back at midnight.
    for position in range(first - 1, -1, -1):
        _place(moments, placed, oldest_first[position], oldest_first[position + 1], True)
    # Newer than it: forward, the day rolls on at midnight; a written day resets it.
    for position in range(first + 1, len(oldest_first)):
        index = oldest_first[position]
        if not (events[index].at and anchored(events[index])):
            _place(moments, placed, index, oldest_first[position - 1], False)
    return [
        replace(event, at=moments[index], date=moments[index].date())
        if index in placed and moments[index] != event.at
        else event
        for index, event in enumerate(events)
    ]


def _place(
    moments: dict[int, dt.datetime], placed: set[int], index: int, beside: int, backwards: bool
) -> None:
    """Put an entry on the day its neighbour in time implies (when that one has a day)."""
    moment, neighbour = moments[index], moments[beside]
    if beside not in placed or (moment.tzinfo is None) != (neighbour.tzinfo is None):
        return
    moments[index] = _next_to(moment, neighbour, backwards=backwards)
    placed.add(index)


def _moment(event: TimelineEvent) -> dt.datetime | None:
    """Return when an event was, on a provisional day if its day is not known yet."""
    if event.at is not None:
        return event.at
    stamp = read_entry_stamp(event.time) if event.time else None
    if stamp is None or stamp.time is None:
        return None
    return dt.datetime.combine(dt.date(2000, 1, 1), stamp.time, zone_info(stamp.zone, None))


def _is_newest_first(moments: list[dt.datetime]) -> bool:
    """Whether most steps between timed entries go back in the time of day (within 12 hours).

    Counted on the clock face, so that midnight passing does not count as a step either way.
    """
    minutes = [moment.hour * 60 + moment.minute for moment in moments]
    steps = [(b - a) % _DAY_MINUTES for a, b in itertools.pairwise(minutes) if a != b]
    back = sum(1 for step in steps if step > _DAY_MINUTES // 2)
    return len(steps) >= 2 and back * 4 >= len(steps) * 3


def _steps_back_closely(moments: list[dt.datetime]) -> bool:
    """Whether nearly all steps between times of day go back, each by at most six hours.

    Stricter than :func:`_is_newest_first`: with no day to check against, an oldest-first log
    of a few sparse entries over several days must not be turned around.
    """
    minutes = [moment.hour * 60 + moment.minute for moment in moments]
    steps = [(b - a) % _DAY_MINUTES for a, b in itertools.pairwise(minutes) if a != b]
    back = sum(1 for step in steps if step >= _DAY_MINUTES - _CLOSE_MINUTES)
    return len(steps) >= 2 and back * 4 >= len(steps) * 3


def _next_to(moment: dt.datetime, neighbour: dt.datetime, *, backwards: bool) -> dt.datetime:
    """Return the moment on its neighbour's day, or the day before (after) past midnight."""
    moment = _on_day(moment, neighbour.date())
    if backwards and moment - neighbour > _ROLLOVER:
        return moment - dt.timedelta(days=1)
    if not backwards and neighbour - moment > _ROLLOVER:
        return moment + dt.timedelta(days=1)
    return moment


def _on_day(moment: dt.datetime, day: dt.date) -> dt.datetime:
    return moment.replace(year=day.year, month=day.month, day=day.day)


def mark_update_headings(parts: list[Part]) -> None:
    """Make runs of sibling headings that are each an update's time into a timeline.

    ``## Update — May 4, 15:10 UTC`` or ``### 2021-05-04 14:45`` headings one after another,
    outside any timeline section: each is one event, its body the update's text.
    """
    run: list[Part] = []
    for part in [*parts, None]:
        is_update = part is not None and _is_update_heading(part)
        if part is not None and is_update and (not run or _siblings(run[0], part)):
            run.append(part)
            continue
        if len(run) >= 2:
            for member in run:
                member.kind, member.inherited = SectionKind.TIMELINE, True
        run = [part] if part is not None and is_update else []


def _is_update_heading(part: Part) -> bool:
    if part.is_title or not part.heading or part.inherited:
        return False
    heading = plain_text(part.heading)
    stamp = read_entry_stamp(heading)
    if part.kind is not SectionKind.OTHER:
        # "## Identified — 23:55 UTC" names a section's word, but it is a status update's.
        return stamp is not None and stamp.time is not None and bool(_UPDATE_LEAD.match(heading))
    # A heading naming only a day and a title is an incident of a log (see .incidents).
    return stamp is not None and (stamp.time is not None or bool(_UPDATE_LEAD.match(heading)))


def _siblings(first: Part, part: Part) -> bool:
    return part.level == first.level and part.parent is first.parent
