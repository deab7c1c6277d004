"""Which date is the incident's, and which is the write-up's.

A blog post's front matter ``date`` (or a path such as ``2021/05/04/...``) says when it was
published; the incident happened on the day its title, summary or timeline names ("the outage of
3 March 2021", "On March 3, ..." with the year stated elsewhere, "yesterday" in a dated post).
Front matter keys that say when the incident began (``incident_date``, ``started``,
``started_at``, ``start``, ``began_at``, ``detected``, ...) come first; a date field in the body
(``**Date:** ...``) and a day the title names come next; a file name's date prefix is a
fallback. The publication date is kept beside the incident's.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from generator.models import Field, SectionKind
from generator.parse.document import Part, lines_markdown
from generator.parse.front_matter import format_value
from generator.parse.times import find_dates, parse_date

# Keys naming when the incident began, most specific first.
_INCIDENT_KEYS = (
    "incident_date", "incident-date", "incidentdate", "incident_start", "incident_started",
    "started_at", "started", "start_time", "start_date", "start", "began_at", "began",
    "begin", "occurred_at", "occurred", "outage_date", "impact_start", "detected_at",
    "detected",
)  # fmt: skip
_PUBLISHED_KEYS = (
    "published", "publishdate", "publish_date", "pubdate", "published_at", "posted",
    "posted_at",
)  # fmt: skip
_PATH_KEYS = ("path", "permalink", "url", "slug", "aliases")
_PATH_DATE = re.compile(r"(?<!\d)(\d{4})/(\d{1,2})/(\d{1,2})(?!\d)")
# Days named relative to the post's own date, in every language of the vocabulary, the furthest
# first ("the day before yesterday" names "yesterday" too). French "hier" counts only before words
# that make it French ("hier soir", "hier à 14h"): alone it is German for "here".
_RELATIVE = (
    (
        -2,
        re.compile(
            r"\b(?:the day before yesterday|vorgestern|avant-hier|anteayer|anteontem)\b"
            r"|一昨日|前天|그저께|그제",
            re.I,
        ),
    ),
    (
        -1,
        re.compile(
            r"\b(?:yesterday|last night|gestern|letzte nacht|ayer|anoche|ontem)\b"
            r"|\bhier(?=[ \t]*(?:,|à\b|soir\b|matin\b|après-midi\b|entre\b|vers\b|en fin\b))"
            r"|昨天|昨晚|昨夜|昨日|어제|어젯밤|간밤",
            re.I,
        ),
    ),
    (
        0,
        re.compile(
            r"\b(?:today|this morning|earlier today|heute|aujourd'hui|ce matin|hoy|esta mañana"
            r"|hoje|esta manhã)\b|今天|今早|今朝|今日|오늘",
            re.I,
        ),
    ),
)
_ASCII_RELATIVE = tuple((shift, re.compile(pattern.pattern)) for shift, pattern in _RELATIVE)
# "Last night at 01:10": after midnight, the night named is the post's own day.
_NIGHT = re.compile(r"last night|letzte nacht|anoche|昨晚|昨夜|어젯밤|간밤", re.I)
_SMALL_HOURS = re.compile(r"^\D{0,20}?\b0?([0-5])(?:[:h.]\d{2}\b|\s*[ap]\.?m\b)", re.I)
# How far into the opening text a relative day is looked for.
_OPENING = 2000

# A day named in the text counts as the incident's when it is at most this long before the
# post: a write-up names older days as background ("since the 2019 migration").
_LOOKBACK = dt.timedelta(days=366)


@dataclass(frozen=True, slots=True, kw_only=True)
class Dating:
    """The incident's date as far as the metadata tells, and the publication date."""

    date: dt.date | None
    """The incident's day, before the timeline is read (it carries the day to its events)."""
    published: dt.date | None
    """When the write-up was published, if known."""
    settled: bool
    """Whether ``date`` was stated as the incident's (a key, a field, the title, the text),
    so that the timeline cannot override it."""
    posted: dt.date | None = None
    """The front matter ``date`` taken as the incident's for want of better: the timeline may
    still show it to be the post's."""


def date_incident(
    *,
    front: dict[str, Any],
    fields: Iterable[Field],
    title: str,
    parts: list[Part],
    lines: list[str],
    found: dt.date | None,
    path: str,
) -> Dating:
    """Return the incident's date and the publication date, from everything but the timeline.

    ``found`` is the date the metadata reader settled on (front matter, field, title or file
    name) when nothing here says otherwise.
    """
    keys = {str(key).lower(): value for key, value in front.items()}
    published = _first_date(keys, _PUBLISHED_KEYS) or _path_date(keys, path)
    front_date = _first_date(keys, ("date",))
    incident = _first_date(keys, _INCIDENT_KEYS)
    if incident is not None:
        posted = front_date if front_date != incident else None
        return Dating(date=incident, published=published or posted, settled=True)
    fields = list(fields)
    if published is None:
        # "Posted: May 5, 2021" under a blog post's title.
        published = _body_date(fields, "published")
    reference = front_date or published
    body_day = _body_date(fields, "date")
    if reference is None:
        # Nothing dates a post: a date field, then the title, then the file name.
        day = body_day or _named_day(title, None) or found
        return Dating(date=day, published=None, settled=False)
    summary = summary_text(parts, lines)
    candidates = [body_day, _named_day(title, reference.year), _named_day(summary, reference.year)]
    relative = _relative_day(f"{title}\n{opening_text(parts, lines)}", reference)
    if relative is not None and candidates[-1] == published:
        candidates.pop()  # "Posted: May 5" above "Yesterday, ...": the day named is the post's
    for day in [*candidates, relative]:
        if day is not None and reference - _LOOKBACK <= day <= reference + dt.timedelta(days=1):
            # The front matter's date is the post's only when it is not the incident's day, or
            # when the text dates the incident from it ("today", "yesterday").
            posted = front_date if front_date != day or day is relative else None
            return Dating(date=day, published=published or posted, settled=True)
    # The text names no day: the front matter's date is the best guess until the timeline
    # says otherwise (and is the incident's in a knowledge base's own postmortems).
    return Dating(date=front_date, published=published, settled=False, posted=front_date)


def settle_from_timeline(
    dating: Dating, milestones: Iterable[dt.date], first: dt.date | None
) -> Dating:
    """Take the day the timeline says the incident began or was detected, before the post.

    With a known publication date, the timeline's first dated event also counts; with only a
    front matter ``date``, it does not (a timeline often opens with lead-up days before).
    """
    reference = dating.published or dating.posted
    if dating.settled or reference is None:
        return dating
    days = [*milestones, first] if dating.published else list(milestones)
    for day in days:
        if day is not None and reference - _LOOKBACK <= day < reference:
            return Dating(date=day, published=reference, settled=True)
    return dating


def summary_text(parts: list[Part], lines: list[str]) -> str:
    """Return the text of the summary: its section, else the text under (or before) the title."""
    chosen = [p for p in parts if p.kind is SectionKind.SUMMARY and not p.inherited][:1]
    if not chosen:
        chosen = [p for p in parts[:2] if p.level <= 1 and p.kind is SectionKind.OTHER]
    return "\n".join(
        f"{part.lead or ''}\n{lines_markdown(lines, part.content_start, part.end)}"
        for part in chosen
    )


def opening_text(parts: list[Part], lines: list[str]) -> str:
    """Return the text a post opens with: what comes before the first section, and the summary.

    A post says "Yesterday at 14:00 UTC, our API ..." under its title or in its first section.
    """
    chosen = [p for p in parts[:2] if p.level <= 1 and p.kind is SectionKind.OTHER]
    chosen += [p for p in parts if p.kind is SectionKind.SUMMARY and not p.inherited][:2]
    if not chosen:
        chosen = [p for p in parts if p.level > 0][:1]
    text = "\n".join(
        f"{part.lead or ''}\n{lines_markdown(lines, part.content_start, part.end)}"
        for part in sorted(set(chosen), key=lambda part: part.start)
    )
    return text[:_OPENING]


def _named_day(text: str, year: int | None) -> dt.date | None:
    days = find_dates(text, default_year=year, limit=1) if text else []
    return days[0] if days else None


def _relative_day(text: str, reference: dt.date) -> dt.date | None:
    """Return the day "yesterday", "heute", "昨日" ... name from the post's date, if any."""
    ascii_text = text.isascii()
    if ascii_text:  # lower-cased once, matched without IGNORECASE: faster (see milestones.py)
        text = text.lower()
    for shift, pattern in _ASCII_RELATIVE if ascii_text else _RELATIVE:
        match = pattern.search(text)
        if match is None:
            continue
        night = _NIGHT.fullmatch(match.group(0))
        # "Last night at 01:10": the small hours of the post's own day.
        small_hours = night and _SMALL_HOURS.match(text[match.end() : match.end() + 40])
        return reference + dt.timedelta(days=0 if small_hours else shift)
    return None


def _body_date(fields: list[Field], name: str) -> dt.date | None:
    """Return the day a field of the body (not the front matter) gives, if any."""
    found = next((f for f in fields if f.name == name and not f.front_matter), None)
    return parse_date(found.value) if found else None


def _first_date(keys: dict[str, Any], names: Iterable[str]) -> dt.date | None:
    for name in names:
        value = keys.get(name)
        if value is None:
            continue
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        day = parse_date(format_value(value))
        if day is not None:
            return day
    return None


def _path_date(keys: dict[str, Any], path: str) -> dt.date | None:
    """Return the day a blog's path names (``inside-rust/2023/05/01/...``)."""
    texts = [format_value(keys.get(name)) for name in _PATH_KEYS if keys.get(name)]
    texts.append(str(PurePosixPath(path.replace("\\", "/")).parent))
    for text in texts:
        match = _PATH_DATE.search(text)
        if match:
            try:
                return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                continue
    return None
