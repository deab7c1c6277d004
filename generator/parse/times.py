"""Dates and times as postmortems write them, read from the start of a line.

``2019-11-29 12:00``, ``Sep 27 2017 13:06``, ``09-21 20:18``, ``2:54 PM PST``, ``07:30am``,
``8:20 - 8:24``, ``~22:45``, ``[???]``, ``Unknown Date``, ``2026-07-07T16:30:00Z``,
``October 9-23, 2025``, ``24/07/25``, ``**2025-01-09 ~16:00 UTC**``. :func:`read_stamp` returns
what it found (any of date, time of day, zone) and where the rest of the line starts;
:func:`to_datetime` combines a stamp with the date and zone carried from earlier in the document.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Month names and abbreviations in English, German, French, Spanish and Portuguese.
_MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "januar", "jänner", "janvier", "janv", "enero", "ene", "janeiro"),
    2: ("february", "feb", "februar", "février", "fevrier", "févr", "fév", "febrero",
        "fevereiro", "fev"),
    3: ("march", "mar", "märz", "maerz", "mär", "mars", "marzo", "março", "marco"),
    4: ("april", "apr", "avril", "avr", "abril", "abr"),
    5: ("may", "mai", "mayo", "maio"),
    6: ("june", "jun", "juni", "juin", "junio", "junho"),
    7: ("july", "jul", "juli", "juillet", "juil", "julio", "julho"),
    8: ("august", "aug", "août", "aout", "agosto"),
    9: ("september", "sept", "sep", "septembre", "septiembre", "setiembre", "setembro"),
    10: ("october", "oct", "oktober", "okt", "octobre", "octubre", "outubro"),
    11: ("november", "nov", "novembre", "noviembre", "novembro"),
    12: ("december", "dec", "dezember", "dez", "décembre", "decembre", "déc", "diciembre",
         "dic", "dezembro"),
}  # fmt: skip
_MONTHS = {name: number for number, names in _MONTH_NAMES.items() for name in names}
# Longest first, so that "juillet" is not read as "juil" followed by letters.
_MONTH = (
    r"(?P<month>"
    + "|".join(re.escape(name) for name in sorted(_MONTHS, key=len, reverse=True))
    + r")\.?"
)
_WEEKDAY = (
    r"(?:(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?"
    r"|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi"
    r"|vendredi|samedi|dimanche|lunes|martes|miércoles|jueves|viernes|sábado|domingo"
    r"|(?:segunda|terça|quarta|quinta|sexta)(?:-feira)?)\.?,?\s+)?"
)
_ORDINAL = r"(?:st|nd|rd|th)?"
# "26. Juli 2019", "1er juillet", "26 de julio de 2019", "26 de julho de 2019".
_DAY_FIRST = r"(?P<day>\d{1,2})(?:st|nd|rd|th|er|º|ª)?(?:\.\s*|\s+)(?:de\s+)?"
_CJK_YEAR = r"(?P<year>\d{4})\s*[年년]\s*"
_CJK_MONTH_DAY = r"(?P<mon>\d{1,2})\s*[月월]\s*(?P<day>\d{1,2})\s*[日号號일]"
_DATES = (
    re.compile(r"(?P<year>\d{4})[-/.](?P<mon>\d{1,2})[-/.](?P<day>\d{1,2})(?![\d])"),
    # "2019年7月26日", "2019년 7월 26일", "7月26日" (the year carried).
    re.compile(rf"(?:{_CJK_YEAR})?{_CJK_MONTH_DAY}"),
    # "2019. 7. 26." as Korean writes it.
    re.compile(r"(?P<year>\d{4})\.\s+(?P<mon>\d{1,2})\.\s+(?P<day>\d{1,2})\.?(?![\d])"),
    re.compile(
        _WEEKDAY + _MONTH + rf"\s+(?P<day>\d{{1,2}}){_ORDINAL}(?:\s*[-–]\s*\d{{1,2}}{_ORDINAL})?"
        r"(?:,?\s+(?P<year>\d{4}))?(?![\d])",
        re.IGNORECASE,
    ),
    re.compile(
        _WEEKDAY + _DAY_FIRST + _MONTH + r"(?:,?\s+(?:de[l]?\s+)?(?P<year>\d{4}))?",
        re.IGNORECASE,
    ),
    re.compile(r"(?P<first>\d{1,2})/(?P<second>\d{1,2})/(?P<year>\d{4}|\d{2})(?![\d])"),
    # "26.07.2019": day first, as German writes it.
    re.compile(
        _WEEKDAY + r"(?P<day>\d{1,2})\.(?P<mon>\d{1,2})\.(?P<year>\d{4})(?![\d])", re.IGNORECASE
    ),
    # Month-day without a year ("09-21 20:18") only counts when a time follows.
    re.compile(r"(?P<mon>\d{1,2})-(?P<day>\d{1,2})(?=[ T]+\d{1,2}:\d{2})"),
    re.compile(r"(?P<unknown>unknown date|date unknown|\?{3,})", re.IGNORECASE),
)
_TIME = re.compile(
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?(?![\d:]\d)"
    r"(?:\s*(?P<ampm>[ap])\.?m\.?(?![a-z])|\s*uhr(?![a-z]))?"
    r"|(?P<hour2>\d{1,2})\s*(?P<ampm2>[ap])\.?m\.?(?![a-z])"
    # "14h30" (French), "下午2点30分", "14時30分", "오후 2시 30분".
    r"|(?P<hour3>\d{1,2})h(?P<minute3>\d{2})(?![\d])"
    r"|(?P<half>上午|下午|午前|午後|오전|오후)?\s*(?P<hour4>\d{1,2})\s*[时時点點시]\s*"
    r"(?:(?P<minute4>\d{1,2})\s*[分분]?)?"
    r"|(?P<unknown>--:--|\?\?:\?\?|\?{3,}|unknown time)",
    re.IGNORECASE,
)
_RANGE = re.compile(
    r"\s*(?:-|–|—|to|~|〜|until)\s*(?:\d{4}-\d{2}-\d{2}[ T])?"
    r"\d{1,2}(?::\d{2})?(?::\d{2})?(?:\s*[ap]\.?m\.?)?(?![\d:])",
    re.IGNORECASE,
)
_ZONE = re.compile(
    r"\s*(?P<zone>Z(?![A-Za-z])|(?:UTC|GMT)(?:\s*[+-]\d{1,2}(?::?\d{2})?)?|[+-]\d{2}:?\d{2}"
    r"|[A-Z]{2,4}T(?![A-Za-z])|[A-Z][A-Za-z]+/[A-Za-z_]+)",
)
_JOINER = re.compile(
    r"(?:\s*,\s*|\s+(?:at|um|à|às|a las|a la|alle|ás)\s+|\s*T|\s+)~?", re.IGNORECASE
)
_AFTERNOON = frozenset({"下午", "午後", "오후"})
_OPEN = re.compile(r"\s*(?:\*\*|__)?\s*[\[(]?\s*(?P<approx>~|approx\.?\s+|about\s+|ca\.?\s+)?")
_CLOSE = re.compile(r"(?:\s*[\])])?(?:\*\*|__)?")
_STATED_ZONE = re.compile(
    r"(?<![A-Za-z])(UTC|GMT|[PMCE][SD]T|CEST|CET|EEST|EET|BST|JST|KST|AEST|AEDT|"
    r"[A-Z][A-Za-z]+/[A-Za-z_]+)(?![A-Za-z])"
)
_NAMED_ZONES = {
    "pacific": "America/Los_Angeles",
    "mountain": "America/Denver",
    "central": "America/Chicago",
    "eastern": "America/New_York",
    "central european": "Europe/Berlin",
    "british": "Europe/London",
    "japan": "Asia/Tokyo",
}
_NAMED_ZONE = re.compile(
    r"\b(pacific|mountain|central european|central|eastern|british|japan)"
    r"(?: standard| daylight| summer)? time\b",
    re.IGNORECASE,
)
# A stamp glued to Latin letters or digits is no stamp ("2019-01-01abc", "12:00pmish"); CJK
# text follows its dates without a space ("2019年7月26日发生").
_WORD_GOES_ON = re.compile(r"[A-Za-z0-9_/\u00c0-\u024f]")
_SEPARATOR = re.compile(r"\s*(?:[:：|]|[-–—]+(?=\s)|,)?\s*")

# Offsets of the zone abbreviations postmortems use; anything else is kept as text.
_ZONES = {
    "Z": 0, "UTC": 0, "GMT": 0, "PST": -8, "PDT": -7, "MST": -7, "MDT": -6, "CST": -6,
    "CDT": -5, "EST": -5, "EDT": -4, "AKST": -9, "AKDT": -8, "HST": -10, "CET": 1,
    "CEST": 2, "EET": 2, "EEST": 3, "WET": 0, "WEST": 1, "BST": 1, "IST": 5.5, "JST": 9,
    "KST": 9, "AEST": 10, "AEDT": 11, "NZST": 12, "NZDT": 13, "SGT": 8, "HKT": 8,
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Stamp:
    """A date and/or time read from text."""

    text: str
    """The stamp exactly as written (``~16:00 UTC``)."""
    end: int
    """Where the text after the stamp (and its separator) starts."""
    date: dt.date | None = None
    """The full date, when the stamp has a year (or one was supplied)."""
    month_day: tuple[int, int] | None = None
    """Month and day without a year."""
    time: dt.time | None = None
    """The time of day."""
    zone: str | None = None
    """The zone as written (``UTC``, ``PST``, ``+09:00``)."""
    unknown: bool = False
    """The author wrote that the time is unknown (``[???]``, ``Unknown Date``)."""
    emphasis: str = ""
    """Bold markers opened before the stamp and closed after the text that follows it
    (``**21:17 UTC: deployed**``): put them back in front of that text."""

    @property
    def has_date(self) -> bool:
        """Whether the stamp names a day."""
        return self.date is not None or self.month_day is not None


def read_stamp(text: str, *, default_year: int | None = None) -> Stamp | None:
    """Return the date/time stamp at the start of ``text``, or None if it starts otherwise."""
    opening = _OPEN.match(text)
    position = opening.end() if opening else 0
    date, month_day, unknown = None, None, False
    for pattern in _DATES:
        match = pattern.match(text, position)
        if match is None:
            continue
        groups = match.groupdict()
        if groups.get("unknown"):
            unknown = True
        else:
            date, month_day = _read_date(groups, default_year)
            if date is None and month_day is None:
                continue
        position = match.end()
        break
    time = None
    joiner = _JOINER.match(text, position) if (date or month_day or unknown) else None
    time_match = _TIME.match(text, joiner.end() if joiner else position)
    if time_match is not None:
        time, unknown_time = _read_time(time_match)
        if time is not None or unknown_time:
            unknown = unknown or unknown_time
            position = time_match.end()
            ranged = _RANGE.match(text, position)
            if ranged is not None:
                position = ranged.end()
    if time is None and date is None and month_day is None and not unknown:
        return None
    zone_match = _ZONE.match(text, position)
    zone = None
    if zone_match is not None and (time is not None or unknown):
        zone = zone_match.group("zone")
        position = zone_match.end()
    if position < len(text) and _WORD_GOES_ON.match(text, position):
        return None  # "2019-01-01abc", "12:00pmish": not a stamp followed by text
    closing = _CLOSE.match(text, position)
    stamp_end = closing.end() if closing else position
    opened = re.match(r"\s*(\*\*|__)", text)
    emphasis = opened.group(1) if opened and opened.group(1) not in text[position:stamp_end] else ""
    separator = _SEPARATOR.match(text, stamp_end)
    raw = text[opening.end() if opening else 0 : position].strip()
    return Stamp(
        text=raw,
        end=separator.end() if separator else stamp_end,
        date=date,
        month_day=month_day,
        time=time,
        zone=zone,
        unknown=unknown,
        emphasis=emphasis,
    )


def _read_date(
    groups: dict[str, str | None], default_year: int | None
) -> tuple[dt.date | None, tuple[int, int] | None]:
    if groups.get("month"):
        month = _MONTHS[str(groups["month"]).lower()]
    elif groups.get("first"):
        first, second = int(str(groups["first"])), int(str(groups["second"]))
        # Day first unless that cannot be (24/07/25 is July 24th; 7/24/25 too).
        day, month = (second, first) if second > 12 else (first, second)
        groups = {**groups, "day": str(day)}
    else:
        month = int(str(groups["mon"]))
    day = int(str(groups["day"]))
    year_text = groups.get("year")
    year = int(year_text) if year_text else default_year
    if year is not None and year < 100:
        year += 2000
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        return None, None
    if year is None:
        return None, (month, day)
    try:
        return dt.date(year, month, day), None
    except ValueError:
        return None, None


def _read_time(match: re.Match[str]) -> tuple[dt.time | None, bool]:
    if match.group("unknown"):
        return None, True
    hour = int(match.group("hour") or match.group("hour2") or match.group("hour3") or 0)
    hour = hour or int(match.group("hour4") or 0)
    minute = int(match.group("minute") or match.group("minute3") or match.group("minute4") or 0)
    second = int(match.group("second") or 0)
    ampm = (match.group("ampm") or match.group("ampm2") or "").lower()
    half = match.group("half") or ""
    ampm = ampm or ("p" if half in _AFTERNOON else "a" if half else "")
    if ampm == "p" and hour < 12:
        hour += 12
    elif ampm == "a" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        return None, False
    return dt.time(hour, minute, second), False


def zone_info(zone: str | None, on: dt.date | None = None) -> dt.tzinfo | None:
    """Return the tzinfo a zone name stands for, or None when it is unknown or absent."""
    if not zone:
        return None
    name = zone.upper().replace(" ", "")
    if name in _ZONES:
        return dt.timezone(dt.timedelta(hours=_ZONES[name]))
    offset = re.fullmatch(r"(?:UTC|GMT)?([+-])(\d{1,2}):?(\d{2})?", name)
    if offset:
        sign = 1 if offset.group(1) == "+" else -1
        minutes = int(offset.group(2)) * 60 + int(offset.group(3) or 0)
        return dt.timezone(sign * dt.timedelta(minutes=minutes))
    if "/" in zone:
        try:
            return ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            return None
    return None


def find_zone(text: str) -> str | None:
    """Return the zone a note or header states.

    As in "All times in UTC", "時刻 (JST)", "US/Pacific" or "Pacific Time".
    """
    named = _NAMED_ZONE.search(text)
    if named:
        return _NAMED_ZONES[named.group(1).lower()]
    for match in _STATED_ZONE.finditer(text):
        zone = match.group(1)
        if zone_info(zone) is not None:
            return zone
    return None


def to_datetime(stamp: Stamp, day: dt.date | None, zone: str | None) -> dt.datetime | None:
    """Return the moment a stamp names, given the day and zone in force; None if it can't."""
    if stamp.time is None:
        return None
    on = stamp.date or day
    if on is None:
        return None
    tzinfo = zone_info(stamp.zone or zone, on)
    return dt.datetime.combine(on, stamp.time, tzinfo)


def parse_date(text: str) -> dt.date | None:
    """Return the date a metadata value names (``2025-08-12``, ``October 23, 2025``), or None."""
    text = text.strip()
    stamp = read_stamp(text)
    if stamp is not None and stamp.date is not None:
        return stamp.date
    match = re.search(r"\d{4}-\d{1,2}-\d{1,2}", text)
    if match:
        found = read_stamp(match.group(0))
        return found.date if found else None
    return None


# Where a date may start inside prose: a digit, or a month or weekday name, at a word start.
_DATE_START = re.compile(
    r"(?<![\w.:/-])(?:\d|"
    + "|".join(re.escape(name) for name in sorted(_MONTHS, key=len, reverse=True))
    + r"|mon|tue|wed|thu|fri|sat|sun|montag|dienstag|mittwoch|donnerstag|freitag|samstag"
    r"|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunes|martes|miércoles"
    r"|jueves|viernes|sábado|domingo|segunda|terça|quarta|quinta|sexta)",
    re.IGNORECASE,
)
# For ASCII text lower-cased once: without IGNORECASE, twice as fast (see milestones.py).
_ASCII_DATE_START = re.compile(_DATE_START.pattern)
_PROSE_LIMIT = 4000


def find_dates(text: str, *, default_year: int | None = None, limit: int = 3) -> list[dt.date]:
    """Return the first days prose names ("the outage of 3 March 2021", "On March 3, ...").

    A day written without its year takes ``default_year``. Only the start of the text is read:
    the day an incident happened is named early, and a long document stays linear.
    """
    found: list[dt.date] = []
    text = text[:_PROSE_LIMIT]
    ascii_text = text.isascii()
    starts = (_ASCII_DATE_START if ascii_text else _DATE_START).finditer(
        text.lower() if ascii_text else text
    )
    for start in starts:
        stamp = read_stamp(text[start.start() : start.start() + 80], default_year=default_year)
        if stamp is not None and stamp.date is not None:
            found.append(stamp.date)
            if len(found) >= limit:
                break
    return found
