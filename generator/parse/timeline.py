"""Timelines: events, their times, and the milestones they mark.

A timeline is written as a list (timed or not), a table, one heading per timestamp, day headings
over timed bullets, or bare ``HH:MM – text`` lines; often several of these in one document. The
reader walks the timeline sections in order, carrying the day (from day headings, date lines,
earlier events, or the incident's date) and the time zone (stated once in a heading, a table
header or an "All times in UTC" note), so that each event gets a datetime where the document gives
enough to infer one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from generator.models import SectionKind, TimelineEvent
from generator.parse.blocks import Block, table_rows
from generator.parse.document import Part, item_markdown, lines_markdown
from generator.parse.incidents import day_of
from generator.parse.milestones import find_phase, milestones_once, without_key_event_repeats
from generator.parse.text import plain_text, split_bold_lead
from generator.parse.times import Stamp, find_zone, to_datetime, zone_info
from generator.parse.updates import (
    date_newest_first_runs,
    in_time_order,
    read_entry_stamp,
    trailing_stamp,
)

_ROLLOVER = dt.timedelta(hours=12)
_TRAILING_STAMP = re.compile(
    r"(?P<stamp>\d{4}-\d{1,2}-\d{1,2}[ T]\d{1,2}:\d{2}(?::\d{2})?(?:\s*[A-Z]{2,4}|Z)?)\s*\.?$"
)
_ZONE_NOTE = re.compile(
    r"\ball times\b|\btimes? (?:are |is )?(?:in|shown in|given in)\b|時刻", re.I
)
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
# An update's own word before its time: "Update 3 — 14:45 UTC", "**Resolved** (May 4, 16:32)".
_TIME_HEADER = re.compile(r"time|date|when|timestamp|時刻|日時|時間|日付", re.IGNORECASE)
_EVENT_HEADER = re.compile(
    r"event|description|what|happen|detail|action|summary|イベント|内容|出来事|事象", re.IGNORECASE
)


@dataclass(slots=True)
class _Clock:
    """What the reader knows so far: the day in force and the zone in force."""

    day: dt.date | None
    zone: str | None
    year: int | None
    last: dt.datetime | None = None
    """The moment of the latest timed event, to notice midnight passing."""
    written: bool = False
    """Whether the day in force was written in the timeline (a day heading, a date line), not
    carried from the document or from an earlier entry."""
    anchored: set[tuple[int, str | None]] = field(default_factory=set)
    """(line, time) of the events whose day was written: their own date, or a day line's."""

    def event(self, stamp: Stamp | None, text: str, line: int) -> TimelineEvent:
        """Return an event at ``stamp`` (or untimed), advancing the day it sets."""
        at = None
        day = None
        if stamp is not None:
            self.advance(stamp)
            if stamp.zone and self.zone is None and zone_info(stamp.zone) is not None:
                # "10:00 UTC" once, then bare "10:20": the document keeps to one zone.
                self.zone = stamp.zone
            at = to_datetime(stamp, self.day, self.zone)
            last = self.last
            if at is not None and last is not None and not stamp.has_date:
                comparable = (at.tzinfo is None) == (last.tzinfo is None)
                if comparable and last - at > _ROLLOVER:
                    # 23:55 then 07:00 with no date between: the night went by.
                    at += dt.timedelta(days=1)
                    self.day = at.date()
            day = at.date() if at is not None else (self.day if stamp.has_date else None)
            self.last = at or self.last
            if stamp.has_date or self.written:
                self.anchored.add((line, stamp.text))
        return TimelineEvent(
            time=stamp.text if stamp is not None else None,
            at=at,
            date=day,
            text=text.strip(),
            phase=find_phase(text),
            line=line,
        )

    def advance(self, stamp: Stamp) -> None:
        """Take the day a stamp names as the day in force."""
        if stamp.date is not None:
            self.day = stamp.date
        elif stamp.month_day is not None and self.year is not None:
            try:
                self.day = dt.date(self.year, *stamp.month_day)
            except ValueError:
                return
        if self.day is not None:
            self.year = self.day.year

    def set_day(self, stamp: Stamp) -> None:
        """Take the day a day heading or a date line names: its entries are on that day."""
        self.advance(stamp)
        if stamp.has_date:
            # The day is written: no midnight passed between the entry before and the next.
            self.written, self.last = True, None

    def read(self, text: str) -> Stamp | None:
        """Return the stamp at the start of text, reading year-less dates in the current year."""
        return read_entry_stamp(text, default_year=self.year)


def read_timeline(
    parts: list[Part], lines: list[str], body_line: int, date: dt.date | None
) -> tuple[tuple[TimelineEvent, ...], str | None]:
    """Return the events of every timeline section, and the zone stated for them all."""
    clock = _Clock(day=date, zone=_stated_zone(parts), year=date.year if date else None)
    groups: list[tuple[Part, list[TimelineEvent]]] = []
    runs: list[tuple[int, dt.date | None]] = []  # (first group, starting day) of each timeline
    continued = {id(part.parent) for part in parts if part.inherited}
    for part in parts:
        if part.kind is not SectionKind.TIMELINE:
            continue
        if not part.inherited:
            # A new timeline starts on the incident's day (its own, in a log of several).
            clock.day = day_of(part) or date or clock.day
            clock.last, clock.written = None, False
        if not part.inherited or not runs:
            runs.append((len(groups), clock.day))
        zone = find_zone(part.title)
        if zone:
            clock.zone = zone
        reader = _PartReader(part, lines, body_line, clock, id(part) in continued)
        groups.append((part, reader.read()))
    date_newest_first_runs(groups, runs, clock.anchored)
    events = without_key_event_repeats(groups, body_line)
    return tuple(milestones_once(in_time_order(events))), clock.zone


def _stated_zone(parts: list[Part]) -> str | None:
    """Return the zone an "All times in UTC" note anywhere in the document states."""
    for part in parts:
        for block in part.blocks:
            if block.type == "paragraph" and _ZONE_NOTE.search(block.inline):
                zone = find_zone(block.inline)
                if zone:
                    return zone
    return None


@dataclass(slots=True)
class _PartReader:
    part: Part
    lines: list[str]
    offset: int
    clock: _Clock
    has_subsections: bool
    """Whether subsections continue this timeline (one heading per timestamp, say)."""

    def read(self) -> list[TimelineEvent]:
        part = self.part
        if part.inherited or part.lead is not None:
            heading = self.clock.read(plain_text(part.heading)) if part.inherited else None
            if heading is not None and (heading.time is not None or heading.unknown):
                return [self._heading_event(heading)]
            if heading is not None:
                self.clock.set_day(heading)  # a day heading: its events follow
                rest = plain_text(part.heading)[heading.end :]
                if rest.strip():
                    return [self._heading_event(heading)]
        events: list[TimelineEvent] = []
        if part.lead:
            stamp = self.clock.read(part.lead)
            if stamp is not None:
                events.append(
                    self.clock.event(stamp, part.lead[stamp.end :], self._line(part.start))
                )
                part.consume(part.start, part.start + 1)
        timed = self.has_subsections or self._has_stamps()
        previous: Block | None = None
        for block in part.blocks:
            is_list = block.type in ("bullet_list", "ordered_list")
            if is_list and not self._list_has_stamps(block):
                if (
                    events
                    and previous is not None
                    and previous.type == "paragraph"
                    and (self._consumed(previous))
                ):
                    # Sub-points of the event just before: "- Root cause analysis completed"
                    # under "**October 23, 2025** - Investigation revealed ...".
                    events[-1] = self._extended(events[-1], block)
                    previous = block
                    continue
                if timed:
                    previous = block
                    continue  # links or notes among timed events, not events themselves
            events.extend(self._block_events(block))
            previous = block
        return events

    def _has_stamps(self) -> bool:
        """Whether any entry of this section is timed (then untimed lists are not events)."""
        for block in self.part.blocks:
            if block.type in ("bullet_list", "ordered_list") and self._list_has_stamps(block):
                return True
            if block.type == "paragraph" and self.clock.read(block.inline) is not None:
                return True
            if block.type == "table":
                return True
        return False

    def _list_has_stamps(self, block: Block) -> bool:
        for item in block.children:
            markdown = item_markdown(self.lines, item)
            if self._split_stamp(markdown)[1] is not None:
                return True
        return False

    def _consumed(self, block: Block) -> bool:
        return any(start <= block.start < end for start, end in self.part.consumed)

    def _extended(self, event: TimelineEvent, block: Block) -> TimelineEvent:
        self.part.consume_block(block)
        extra = lines_markdown(self.lines, block.start, block.end)
        return replace(event, text=f"{event.text}\n{extra}")

    def _line(self, index: int) -> int:
        return self.offset + index

    def _heading_event(self, stamp: Stamp) -> TimelineEvent:
        part = self.part
        title = plain_text(part.heading)
        body = lines_markdown(self.lines, part.content_start, part.end)
        lead = (stamp.emphasis + title[stamp.end :]).strip().rstrip(":").strip()
        text = "\n\n".join(piece for piece in (lead, body) if piece)
        part.consume(part.content_start, part.end)
        return self.clock.event(stamp, text, self._line(part.start))

    def _block_events(self, block: Block) -> list[TimelineEvent]:
        if block.type in ("bullet_list", "ordered_list"):
            return [event for item in block.children for event in self._item_events(item)]
        if block.type == "list_item":
            return self._item_events(block)
        if block.type == "table":
            return self._table_events(block)
        if block.type == "paragraph":
            return self._paragraph_events(block)
        return []

    def _item_events(self, item: Block) -> list[TimelineEvent]:
        markdown = item_markdown(self.lines, item)
        text, stamp = self._split_stamp(markdown)
        if stamp is not None and stamp.has_date and stamp.time is None and not text.strip():
            nested = [child for child in item.children if child.type.endswith("_list")]
            if nested:  # "- 2019-01-22" over timed sub-bullets: a day, not an event
                self.clock.set_day(stamp)
                self.part.consume(item.start, item.start + 1)
                return [event for child in nested for event in self._block_events(child)]
        self.part.consume_block(item)
        return [self.clock.event(stamp, text, self._line(item.start))]

    def _paragraph_events(self, block: Block) -> list[TimelineEvent]:
        # Lines pasted from a chat tool are joined with <br>: each piece is a line of its own.
        pieces = [
            (index, piece)
            for index, line in enumerate(block.inline.split("\n"))
            for piece in _BREAK.split(line)
            if piece.strip()
        ]
        if not pieces:
            return []
        stamps = [self.clock.read(piece) for _, piece in pieces]
        posted = trailing_stamp(block.inline, default_year=self.clock.year)
        if stamps[0] is None and posted is not None:
            # A status update: its text, then when it was posted.
            self.part.consume_block(block)
            return [self.clock.event(posted, block.inline, self._line(block.start))]
        if stamps[0] is None:
            if _ZONE_NOTE.search(block.inline):
                self.clock.zone = find_zone(block.inline) or self.clock.zone
            return []
        first = stamps[0]
        if first.has_date and first.time is None and not pieces[0][1][first.end :].strip():
            self.clock.set_day(first)  # a date line ("2019-01-22", "24/07/25") sets the day
            if len(pieces) == 1:
                return []
        events: list[TimelineEvent] = []
        timed = sum(1 for stamp in stamps if stamp is not None and stamp.time is not None)
        if all(stamp is not None for stamp in stamps) or (first.time is not None and timed > 1):
            # One event per timed line; an untimed line goes on the event above it.
            for (index, line), stamp in zip(pieces, stamps, strict=True):
                if stamp is None:
                    events[-1] = replace(events[-1], text=f"{events[-1].text}\n{line.strip()}")
                    continue
                if stamp.time is None and not line[stamp.end :].strip():
                    self.clock.set_day(stamp)
                    continue
                text = stamp.emphasis + line[stamp.end :]
                events.append(self.clock.event(stamp, text, self._line(block.start + index)))
        else:
            text = first.emphasis + block.inline[first.end :]
            events.append(self.clock.event(first, text, self._line(block.start)))
        if events:
            self.part.consume_block(block)
        return events

    def _split_stamp(self, markdown: str) -> tuple[str, Stamp | None]:
        """Split an item's Markdown into (text, stamp) for any way of writing the stamp."""
        lead = split_bold_lead(markdown)
        if lead is not None:
            stamp = self.clock.read(lead[0])
            if stamp is not None and stamp.end >= len(lead[0].rstrip()):
                return lead[1], stamp
        stamp = self.clock.read(markdown)
        if stamp is not None:
            return stamp.emphasis + markdown[stamp.end :], stamp
        first_line = markdown.split("\n", 1)[0]
        trailing = _TRAILING_STAMP.search(plain_text(first_line))
        if trailing is not None:
            return markdown, self.clock.read(trailing.group("stamp"))
        return markdown, trailing_stamp(markdown, default_year=self.clock.year)

    def _table_events(self, table: Block) -> list[TimelineEvent]:
        header, rows = table_rows(table)
        if not rows:
            return []
        time_columns = [i for i, name in enumerate(header) if _TIME_HEADER.search(name)]
        if not time_columns:
            time_columns = [
                i
                for i in range(len(header))
                if sum(1 for _, cells in rows if i < len(cells) and self.clock.read(cells[i])) * 2
                > len(rows)
            ][:1]
        if not time_columns:
            return []
        others = [i for i in range(len(header)) if i not in time_columns]
        event_columns = [i for i in others if _EVENT_HEADER.search(header[i])] or others[:1]
        zone = find_zone(" ".join(header[i] for i in time_columns))
        if zone:
            self.clock.zone = zone
        events = []
        for row, cells in rows:
            when = " ".join(cells[i] for i in time_columns if i < len(cells)).strip()
            stamp = self.clock.read(when) if when else None
            main = " ".join(cells[i] for i in event_columns if i < len(cells))
            extras = [
                f"{header[i]}: {cells[i]}"
                for i in others
                if i not in event_columns and i < len(cells) and cells[i].strip()
            ]
            text = " — ".join([main, *extras]) if extras else main
            if stamp is None and when:
                text = f"{when} — {text}"  # a time we cannot read stays in the text
            events.append(self.clock.event(stamp, text, self._line(row.start)))
        self.part.consume_block(table)
        return events


def is_timeline_shaped(part: Part) -> bool:
    """Whether an unnamed section is mostly lines that start with a time of day."""
    timed = 0
    total = 0
    for block in part.blocks:
        pieces: list[str]
        if block.type in ("bullet_list", "ordered_list"):
            pieces = [child.children[0].inline for child in block.children if child.children]
        elif block.type == "paragraph":
            pieces = [block.inline.split("\n", 1)[0]]
            if trailing_stamp(block.inline) is not None:
                pieces = ["00:00"]  # a status update ending with when it was posted
        else:
            continue
        for piece in pieces:
            total += 1
            stamp = read_entry_stamp(piece)
            if stamp is not None and stamp.time is not None:
                timed += 1
    return timed >= 3 and timed * 2 >= total
