"""Update logs whose times carry no date, crossing midnight, newest first or oldest first.

The day is given once: in the front matter or title (the day the log starts), or on one entry.
Read newest first, the day rolls back at midnight; read oldest first, it rolls on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from generator.models import Postmortem
from generator.parse import parse_text

UTC = dt.UTC
Entry = tuple[str, str, str]
# (entry word, time, text), oldest first; the log crosses midnight.
ENTRIES = [
    ("Investigating", "23:40", "We are looking into failed payments."),
    ("Identified", "23:55", "A certificate on the payment proxy expired."),
    ("Update", "00:30", "A new certificate is being rolled out."),
    ("Resolved", "01:10", "Payments succeed again."),
]
EXPECTED = [
    dt.datetime(2023, 10, 7, 23, 40, tzinfo=UTC),
    dt.datetime(2023, 10, 7, 23, 55, tzinfo=UTC),
    dt.datetime(2023, 10, 8, 0, 30, tzinfo=UTC),
    dt.datetime(2023, 10, 8, 1, 10, tzinfo=UTC),
]


def parse(text: str) -> Postmortem:
    result = parse_text(text, source="payments.md")
    assert result.postmortem is not None
    return result.postmortem


def status_page(entries: list[Entry]) -> str:
    return "\n".join(f"**{word}** - {text}\n{time} UTC\n" for word, time, text in entries)


def item_list(entries: list[Entry], dated: int | None = None) -> str:
    lines = []
    for index, (word, time, text) in enumerate(entries):
        day = "Oct 7, 2023 " if time.startswith("23") else "Oct 8, 2023 "
        lines.append(f"- {word} - {day if index == dated else ''}{time} UTC: {text}")
    return "## Timeline\n\n" + "\n".join(lines) + "\n"


def headings(entries: list[Entry]) -> str:
    return "\n".join(f"## {word} — {time} UTC\n\n{text}\n" for word, time, text in entries)


FRONT = "---\ntitle: Failed payments\ndate: 2023-10-07\n---\n\n"


@pytest.mark.parametrize(
    "make",
    [
        lambda entries: FRONT + status_page(entries),
        lambda entries: "# Failed payments on 7 October 2023\n\n" + item_list(entries),
        lambda entries: FRONT + "# Failed payments\n\n" + headings(entries),
    ],
    ids=["status page, date in front matter", "list, date in title", "update headings"],
)
@pytest.mark.parametrize("newest_first", [True, False], ids=["newest first", "oldest first"])
def test_a_log_across_midnight_gets_its_days(
    make: Callable[[list[Entry]], str], newest_first: bool
) -> None:
    entries = ENTRIES[::-1] if newest_first else ENTRIES
    postmortem = parse(make(entries))
    assert [event.at for event in postmortem.timeline] == EXPECTED
    assert [event.date for event in postmortem.timeline] == [at.date() for at in EXPECTED]
    assert postmortem.date == dt.date(2023, 10, 7)


@pytest.mark.parametrize("dated", [0, 3], ids=["on the newest entry", "on the oldest entry"])
def test_a_day_written_on_one_entry_of_a_newest_first_log(dated: int) -> None:
    postmortem = parse("# Failed payments\n\n" + item_list(ENTRIES[::-1], dated=dated))
    assert [event.at for event in postmortem.timeline] == EXPECTED


def test_a_newest_first_log_on_one_day_keeps_its_day() -> None:
    entries = [("Resolved", "16:32", "Fixed."), ("Update", "15:10", "Rolling back."),
               ("Investigating", "14:45", "Looking.")]  # fmt: skip
    postmortem = parse(FRONT + status_page(entries))
    assert [event.at for event in postmortem.timeline] == [
        dt.datetime(2023, 10, 7, h, m, tzinfo=UTC) for h, m in ((14, 45), (15, 10), (16, 32))
    ]


def test_day_headings_over_a_newest_first_log_are_kept() -> None:
    # The headings say a whole day went by between the last two updates: they are believed.
    postmortem = parse(
        "---\ndate: 2023-10-07\n---\n# Failed payments\n\n## Timeline\n\n"
        "### 2023-10-09\n\n- 01:10 UTC resolved\n- 00:30 UTC rolling out\n\n"
        "### 2023-10-07\n\n- 23:55 UTC identified\n- 23:40 UTC investigating\n"
    )
    a_day_more = dt.timedelta(days=1)
    assert [event.at for event in postmortem.timeline] == [
        EXPECTED[0],
        EXPECTED[1],
        EXPECTED[2] + a_day_more,
        EXPECTED[3] + a_day_more,
    ]


@pytest.mark.parametrize("newest_first", [True, False], ids=["newest first", "oldest first"])
def test_a_log_with_no_day_anywhere_reads_in_time_order(newest_first: bool) -> None:
    entries = ENTRIES[::-1] if newest_first else ENTRIES
    postmortem = parse("# Failed payments\n\n" + status_page(entries))
    timeline = postmortem.timeline
    assert [(event.time, event.text.split("\n")[0]) for event in timeline] == [
        (f"{time} UTC", f"**{word}** - {text}") for word, time, text in ENTRIES
    ]


def test_sparse_entries_over_days_with_no_day_keep_their_order() -> None:
    # Oldest first, a morning, an evening and the next morning: not a log read backwards.
    entries = [("Update", "08:00", "Started."), ("Update", "21:00", "Worse."),
               ("Resolved", "10:00", "Fixed.")]  # fmt: skip
    postmortem = parse("# Failed payments\n\n" + status_page(entries))
    assert [event.time[:5] for event in postmortem.timeline] == ["08:00", "21:00", "10:00"]
