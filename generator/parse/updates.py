"""Status-update logs: a status page's incident, or a write-up made of dated updates.

Updates are written as headings, list items or paragraphs, with their time after the update's
word ("Update — May 4, 15:10 UTC", "**Resolved** (16:32)") or on a line of their own at the end
("Posted May 4, 16:32 UTC"), newest first or oldest first. Each update is one event, and the log
is read in time order.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import replace

from generator.models import SectionKind, TimelineEvent
from generator.parse.document import Part
from generator.parse.text import plain_text
from generator.parse.times import Stamp, read_stamp

_UPDATE_LEAD = re.compile(
    r"^\s*(?:\*\*|__|#+\s*)?(?P<word>(?:update[sd]?|resolved|investigating|identified|monitoring"
    r"|mitigated|completed|scheduled|aktualisierung|mise à jour|actualización|atualização|更新"
    r"|업데이트)(?:\s*#?\d{1,3}(?![\d\-/.:]))?)(?:\*\*|__)?\s*(?:[-–—:|(@,]|\bat\b|\bon\b)?\s*",
    re.IGNORECASE,
)
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
    """Return the events oldest first: a status page lists its updates newest first."""
    moments = [event.at for event in events if event.at is not None]
    pairs = [
        (a, b) for a, b in itertools.pairwise(moments) if (a.tzinfo is None) == (b.tzinfo is None)
    ]
    falling = sum(1 for a, b in pairs if b < a)
    if len(pairs) >= 2 and falling * 4 >= len(pairs) * 3:
        return events[::-1]
    return events


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
    if part.kind is not SectionKind.OTHER or part.is_title or not part.heading:
        return False
    heading = plain_text(part.heading)
    stamp = read_entry_stamp(heading)
    # A heading naming only a day and a title is an incident of a log (see .incidents).
    return stamp is not None and (stamp.time is not None or bool(_UPDATE_LEAD.match(heading)))


def _siblings(first: Part, part: Part) -> bool:
    return part.level == first.level and part.parent is first.parent
