"""Rules on dates and the timeline: dates pmkb can read, none in the future, events in order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from generator.checks.diagnostics import report_problem, shorten_text
from generator.checks.placeholders import has_placeholder
from generator.checks.scope import Scope
from generator.errors import Diagnostic
from generator.models import Field, Postmortem, SectionKind, TimelineEvent
from generator.parse.times import parse_date


def check_date_format(postmortem: Postmortem, scope: Scope) -> Iterator[Diagnostic]:
    """PMK014: every ``date`` field (front matter or body) holds a date pmkb can read."""
    del scope
    for date_field in _find_date_fields(postmortem):
        if parse_date(date_field.value) is None:
            yield report_problem(
                postmortem,
                date_field.line,
                "PMK014",
                f"date '{shorten_text(date_field.value)}' is not a date pmkb can read: write "
                "the day of the incident as YYYY-MM-DD",
            )


def check_future_dates(postmortem: Postmortem, scope: Scope) -> Iterator[Diagnostic]:
    """PMK015: no ``date`` field lies in the future.

    Without a date field, neither may the incident's date as read from the title or the file
    name.
    """
    date_fields = _find_date_fields(postmortem)
    for date_field in date_fields:
        found = parse_date(date_field.value)
        if found is not None and found > scope.today:
            yield _report_future(postmortem, date_field.line, found, scope.today)
    if not date_fields and postmortem.date is not None and postmortem.date > scope.today:
        yield _report_future(postmortem, 1, postmortem.date, scope.today)


def _find_date_fields(postmortem: Postmortem) -> list[Field]:
    return [f for f in postmortem.fields if f.name == "date" and not has_placeholder(f.value)]


def _report_future(postmortem: Postmortem, line: int, date: dt.date, today: dt.date) -> Diagnostic:
    return report_problem(
        postmortem,
        line,
        "PMK015",
        f"date {date.isoformat()} lies in the future (today is {today.isoformat()}): "
        "fix the year, month or day",
    )


def check_timeline_order(postmortem: Postmortem, scope: Scope) -> Iterator[Diagnostic]:
    """PMK016: the events of a timeline whose times are known follow one another in time.

    Each timeline section is read on its own (with its subsections): a list of key events in
    the summary may well repeat times that the detailed timeline gives later. An event is
    compared with the nearest one above it whose time is comparable (both with a time zone, or
    both without), so a zone named halfway down does not end the check. Midnight is the
    parser's business: a time without a date well before the one above it is read as the next
    day.
    """
    del scope
    for events in _group_timelines(postmortem):
        # The last event with a time zone and the last without one, each with its moment.
        above: dict[bool, tuple[TimelineEvent, dt.datetime]] = {}
        for event in events:
            at = event.at
            if at is None:
                continue
            zoned = at.tzinfo is not None
            previous = above.get(zoned)
            if previous is not None and at < previous[1]:
                yield report_problem(
                    postmortem,
                    event.line,
                    "PMK016",
                    f"this event ({event.time}) is earlier than the one above it on line "
                    f"{previous[0].line} ({previous[0].time}): put the timeline in order, or fix "
                    "this time or its date",
                )
            above[zoned] = (event, at)


def _group_timelines(postmortem: Postmortem) -> list[list[TimelineEvent]]:
    """Return the events of each timeline section (subsections included), in order."""
    spans: list[tuple[int, int]] = []
    root_level: int | None = None
    for section in postmortem.sections:
        if section.kind is not SectionKind.TIMELINE:
            root_level = None
        elif root_level is not None and section.level > root_level:
            spans[-1] = (spans[-1][0], section.end_line)
        else:
            spans.append((section.line, section.end_line))
            root_level = section.level
    groups: list[list[TimelineEvent]] = [[] for _ in spans]
    for event in postmortem.timeline:
        for index, (first, last) in enumerate(spans):
            if first <= event.line <= last:
                groups[index].append(event)
                break
    return groups
