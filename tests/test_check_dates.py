"""The date rules of ``pmkb check``: PMK014 and PMK015 (dates), PMK016 (timeline order), PMK017
(status).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.errors import Severity
from tests.checking import GOOD, check, codes, line_of, only, places

# PMK014 and PMK015: dates.


def test_a_date_that_is_not_a_date_is_an_error(tmp_path: Path) -> None:
    found = check(tmp_path, GOOD.replace("date: 2025-08-12", "date: last Tuesday"))
    assert "PMK014" in codes(found)
    assert only(found, "PMK014")[0].location.line == 3


def test_a_date_that_is_not_a_date_is_quoted_and_says_how_to_write_one(tmp_path: Path) -> None:
    found = check(tmp_path, GOOD.replace("date: 2025-08-12", "date: the   Tuesday after launch"))
    assert [(d.code, d.location.line, d.message) for d in found] == [
        (
            "PMK014",
            3,
            "date 'the Tuesday after launch' is not a date pmkb can read: write the day of "
            "the incident as YYYY-MM-DD",
        )
    ]


def test_a_date_left_as_a_placeholder_is_only_a_placeholder(tmp_path: Path) -> None:
    found = check(tmp_path, GOOD.replace("date: 2025-08-12", "date: 'TODO: the day'"))
    assert codes(found) == ["PMK018"]


def test_a_body_date_field_is_checked_too(tmp_path: Path) -> None:
    text = GOOD.replace("## Summary", "## Date: sometime in spring\n\n## Summary")
    assert "PMK014" in codes(check(tmp_path, text))
    text = GOOD.replace("## Summary", "## Date: August 12, 2025\n\n## Summary")
    assert check(tmp_path / "ok", text) == []


def test_a_date_in_the_future_is_an_error(tmp_path: Path) -> None:
    found = check(tmp_path, GOOD.replace("date: 2025-08-12", "date: 2052-08-12"))
    assert "PMK015" in codes(found)
    assert only(found, "PMK015")[0].severity is Severity.ERROR
    assert check(tmp_path / "today", GOOD, today=dt.date(2025, 8, 12)) == []


def test_a_date_in_the_future_is_named_with_today_and_what_to_do(tmp_path: Path) -> None:
    found = check(tmp_path, GOOD.replace("date: 2025-08-12", "date: 2052-08-12"))
    assert [d.message for d in found] == [
        "date 2052-08-12 lies in the future (today is 2025-09-01): fix the year, month or day"
    ]


def test_a_file_name_date_in_the_future_is_an_error_without_a_date_field(tmp_path: Path) -> None:
    text = GOOD.replace("date: 2025-08-12\n", "").replace("- 2025-08-12 14:02", "- 14:02")
    found = check(tmp_path, text, name="2052-08-12-search.md")
    assert codes(found) == ["PMK015"]
    assert found[0].location.line == 1
    assert check(tmp_path / "past", text, name="2025-08-12-search.md") == []
    assert check(tmp_path / "today", text, name="2025-09-01-search.md") == []


# PMK016: timeline order.


def test_a_timeline_going_backwards_is_a_warning(tmp_path: Path) -> None:
    text = GOOD.replace("- 14:22 first alert", "- 14:02 first alert").replace(
        "- 2025-08-12 14:02 deploy", "- 2025-08-12 14:22 deploy"
    )
    found = check(tmp_path, text)
    assert codes(found) == ["PMK016"]
    assert (
        found[0].location.line
        == text.split("\n").index("- 14:02 first alert: search error rate above 5%") + 1
    )


def test_a_timeline_going_backwards_names_both_events_and_what_to_do(tmp_path: Path) -> None:
    text = GOOD.replace("- 14:22 first alert", "- 14:02 first alert").replace(
        "- 2025-08-12 14:02 deploy", "- 2025-08-12 14:22 deploy"
    )
    above = text.split("\n").index("- 2025-08-12 14:22 deploy of search 4.2 starts") + 1
    assert [d.message for d in check(tmp_path, text)] == [
        f"this event (14:02) is earlier than the one above it on line {above} "
        "(2025-08-12 14:22): put the timeline in order, or fix this time or its date"
    ]


def test_events_at_the_same_minute_are_in_order(tmp_path: Path) -> None:
    text = GOOD.replace("- 14:22 first alert", "- 14:22 on-call paged\n- 14:22 first alert")
    assert check(tmp_path, text) == []


TIMELINE_IN_PARTS = """\
## Timeline

All times in UTC.

### Detection

- 2025-08-12 14:02 deploy of search 4.2 starts
- 14:22 first alert: search error rate above 5%
- the on-call engineer is paged

### Recovery

- 14:10 rollback finished
"""


def test_a_timeline_in_subsections_is_checked_as_one_past_events_without_a_time(
    tmp_path: Path,
) -> None:
    start = GOOD.index("## Timeline")
    text = GOOD[:start] + TIMELINE_IN_PARTS + GOOD[GOOD.index("\n## Action items") :]
    lines = text.split("\n")
    found = check(tmp_path, text)
    assert codes(found) == ["PMK016"]
    assert found[0].location.line == lines.index("- 14:10 rollback finished") + 1
    above = lines.index("- 14:22 first alert: search error rate above 5%") + 1
    assert f"on line {above} (14:22)" in found[0].message


def test_a_timeline_on_a_bold_label_line_starts_on_that_line(tmp_path: Path) -> None:
    start = GOOD.index("## Timeline")
    text = (
        GOOD[:start].replace("(#timeline)", "(#summary)")
        + "**Timeline:** 2025-08-12 14:22 first alert\n- 14:02 deploy of search 4.2 starts\n"
        + GOOD[GOOD.index("\n## Action items") :]
    )
    found = check(tmp_path, text)
    assert places(found) == [("PMK016", line_of(text, "- 14:02 deploy of search 4.2 starts"))]


def test_a_timeline_past_midnight_is_in_order(tmp_path: Path) -> None:
    text = GOOD.replace("- 14:22 first alert", "- 23:50 first alert").replace(
        "- 14:40 rollback", "- 00:20 rollback"
    )
    assert check(tmp_path, text) == []


def test_separate_timelines_are_not_compared(tmp_path: Path) -> None:
    text = GOOD.replace(
        "## Summary\n",
        "## Key events\n\n- 2025-08-12 14:40 UTC rollback finished\n\n## Summary\n",
    )
    assert check(tmp_path, text) == []


def test_a_timeline_right_after_key_events_is_read_on_its_own(tmp_path: Path) -> None:
    text = GOOD.replace(
        "## Timeline\n", "## Key events\n\n- 2025-08-12 14:40 rollback finished\n\n## Timeline\n"
    )
    assert check(tmp_path, text) == []


def test_times_with_and_without_zone_are_not_compared(tmp_path: Path) -> None:
    text = GOOD.replace("All times in UTC.\n\n", "").replace(
        "- 14:22 first alert", "- 13:00 UTC first alert"
    )
    assert check(tmp_path, text) == []


def test_times_after_a_zone_named_halfway_down_are_compared_among_themselves(
    tmp_path: Path,
) -> None:
    # The first event has no zone; "13:00 UTC" names one, which the events below it keep.
    text = (
        GOOD.replace("All times in UTC.\n\n", "")
        .replace("- 14:22 first alert", "- 13:00 UTC first alert")
        .replace("- 14:40 rollback finished", "- 13:40 rollback finished\n- 13:20 all clear")
    )
    found = check(tmp_path, text)
    assert places(found) == [("PMK016", line_of(text, "- 13:20 all clear"))]
    assert f"on line {line_of(text, '- 13:40 rollback finished')} (13:40)" in found[0].message


# PMK017: status.


def test_a_status_outside_the_vocabulary_is_a_warning(tmp_path: Path) -> None:
    found = check(tmp_path, GOOD.replace("status: resolved", "status: parked"))
    assert codes(found) == ["PMK017"]
    assert found[0].location.line == 4
    assert check(tmp_path / "ok", GOOD.replace("status: resolved", "status: Monitoring")) == []


def test_a_status_outside_the_vocabulary_names_the_statuses_to_use(tmp_path: Path) -> None:
    found = check(tmp_path, GOOD.replace("status: resolved", "status: parked"))
    assert [d.message for d in found] == [
        "status 'parked' is not one pmkb knows: start it with draft, in review, open, "
        "monitoring, resolved or closed"
    ]


@pytest.mark.parametrize(
    ("status", "quoted"),
    [
        # 60 characters are quoted whole; past that, 59 and an ellipsis, without a space before it.
        (
            "parked until the vendor answers our ticket about the indexes",
            "parked until the vendor answers our ticket about the indexes",
        ),
        (
            "parked until the vendor answers our ticket about the indexes and more",
            "parked until the vendor answers our ticket about the indexe…",
        ),
        (
            "parked until the vendor answers our ticket about the index rebuild next week",
            "parked until the vendor answers our ticket about the index…",
        ),
    ],
)
def test_a_long_status_is_quoted_shortened(tmp_path: Path, status: str, quoted: str) -> None:
    found = check(tmp_path, GOOD.replace("status: resolved", f"status: {status}"))
    assert codes(found) == ["PMK017"]
    assert found[0].message.startswith(f"status '{quoted}' is not one pmkb knows")


def test_a_placeholder_status_is_only_a_placeholder(tmp_path: Path) -> None:
    text = GOOD.replace("status: resolved", 'status: "TODO: resolved or open"')
    assert codes(check(tmp_path, text)) == ["PMK018"]


def test_a_placeholder_naming_no_status_is_only_a_placeholder(tmp_path: Path) -> None:
    text = GOOD.replace("status: resolved", 'status: "TODO: fill in"')
    assert codes(check(tmp_path, text)) == ["PMK018"]
