"""The ways teams write postmortems, one small document each (see design/formats.md)."""

from __future__ import annotations

import datetime as dt
import textwrap

from generator.models import (
    ActionKind,
    ActionState,
    LessonKind,
    Phase,
    Postmortem,
    SectionKind,
    Status,
)
from generator.parse import Vocabulary, parse_text

UTC = dt.UTC


def parse(text: str, vocabulary: Vocabulary | None = None) -> Postmortem:
    result = parse_text(textwrap.dedent(text).lstrip("\n"), source="doc.md", vocabulary=vocabulary)
    assert result.postmortem is not None
    return result.postmortem


def kinds(postmortem: Postmortem) -> list[tuple[str, SectionKind]]:
    return [(section.heading, section.kind) for section in postmortem.sections]


def test_yaml_front_matter_wins_over_the_body() -> None:
    postmortem = parse("""
        ---
        id: PM-7
        title: Front matter title
        date: 2026-02-03
        status: in review
        severity: SEV2
        authors: [ana, bo]
        services: [checkout-api]
        tags: [database]
        internal: true
        ---
        # Body title

        **Status**: Resolved
        """)
    assert (postmortem.id, postmortem.title, postmortem.date) == (
        "PM-7",
        "Front matter title",
        dt.date(2026, 2, 3),
    )
    assert postmortem.status is Status.IN_REVIEW
    assert (postmortem.severity, postmortem.authors, postmortem.services, postmortem.tags) == (
        "SEV2",
        ("ana", "bo"),
        ("checkout-api",),
        ("database",),
    )
    assert postmortem.internal


def test_toml_front_matter() -> None:
    postmortem = parse("""
        +++
        title = "TOML title"
        authors = ["Ferris"]
        date = 2023-07-21
        +++

        Intro prose is the summary.
        """)
    assert (postmortem.title, postmortem.authors, postmortem.date) == (
        "TOML title",
        ("Ferris",),
        dt.date(2023, 7, 21),
    )
    assert postmortem.summary == "Intro prose is the summary."


def test_fields_in_headings_bold_lines_and_tables() -> None:
    postmortem = parse("""
        # Postmortem: Disk full

        **Date**: October 23, 2025
        **Severity**: 🔴 Critical
        **Author**: Platform Team

        ## メタデータ

        | 項目 | 値 |
        |---|---|
        | 影響サービス | recap-worker, recap-db |

        ## Status: Monitoring
        """)
    assert postmortem.title == "Disk full"
    assert postmortem.date == dt.date(2025, 10, 23)
    assert postmortem.severity == "Critical"
    assert postmortem.authors == ("Platform Team",)
    assert postmortem.services == ("recap-worker", "recap-db")
    assert postmortem.status is Status.MONITORING


def test_dirty_headings_are_recognised() -> None:
    postmortem = parse("""
        # Title

        ## 1. Summary
        x
        ## 🔥 ROOT CAUSE:
        x
        ## Timeline (UTC)
        x
        ## Lessons Learnt
        x
        ## How'd we do?
        x
        ## Appendinx
        x
        ## 影響
        x
        ## アクションアイテム
        x
        ## Something else entirely
        x
        """)
    assert [kind for _, kind in kinds(postmortem)] == [
        SectionKind.OTHER,
        SectionKind.SUMMARY,
        SectionKind.ROOT_CAUSE,
        SectionKind.TIMELINE,
        SectionKind.LESSONS,
        SectionKind.LESSONS,
        SectionKind.APPENDIX,
        SectionKind.IMPACT,
        SectionKind.ACTION_ITEMS,
        SectionKind.OTHER,
    ]


def test_vocabulary_extended_by_the_knowledge_base() -> None:
    text = "# T\n\n## Stolpersteine\n\n- Zu spät bemerkt\n"
    assert kinds(parse(text))[1][1] is SectionKind.OTHER
    german = Vocabulary.build({"went_wrong": ("Stolpersteine",)})
    postmortem = parse(text, german)
    assert kinds(postmortem)[1][1] is SectionKind.WENT_WRONG
    assert [(lesson.kind, lesson.title) for lesson in postmortem.lessons] == [
        (LessonKind.WENT_WRONG, "Zu spät bemerkt")
    ]


def test_sections_written_as_bold_labels_and_plain_labels() -> None:
    postmortem = parse("""
        # Incident on 2020-02-12

        - **Key events**
          - Fault occurs 2020-02-12 11:45
          - Resolved 2020-02-12 12:07
        - **Impact**: Concourse was down.
        - **Resolution**: Recreated the nodes.

        Root cause:
        The workspace was wrong.
        """)
    assert kinds(postmortem)[1:] == [
        ("Key events", SectionKind.TIMELINE),
        ("Impact", SectionKind.IMPACT),
        ("Resolution", SectionKind.RESOLUTION),
        ("Root cause", SectionKind.ROOT_CAUSE),
    ]
    assert [(e.phase, e.at) for e in postmortem.timeline] == [
        (Phase.BEGINS, dt.datetime(2020, 2, 12, 11, 45)),
        (Phase.RESOLVED, dt.datetime(2020, 2, 12, 12, 7)),
    ]
    assert postmortem.impact.text == "Concourse was down."


def test_a_single_bold_note_is_not_a_section() -> None:
    postmortem = parse("# T\n\n## Summary\n\n**Note**: this is emphasis.\n\nMore.\n")
    assert len(postmortem.sections) == 2


def test_timeline_as_list_with_zone_note_and_date_lines() -> None:
    postmortem = parse("""
        # T

        ## Timeline

        All times in PST

        2019-01-22

        - 2:54 PM PST: change merged
        - 3:28 PM: bad config uploaded

        2019-01-23

        - 8:12 AM: root cause identified, revert begins
        - 8:27 AM: resolution is confirmed complete
        """)
    pst = dt.timezone(dt.timedelta(hours=-8))
    assert [(e.time, e.at) for e in postmortem.timeline] == [
        ("2:54 PM PST", dt.datetime(2019, 1, 22, 14, 54, tzinfo=pst)),
        ("3:28 PM", dt.datetime(2019, 1, 22, 15, 28, tzinfo=pst)),
        ("8:12 AM", dt.datetime(2019, 1, 23, 8, 12, tzinfo=pst)),
        ("8:27 AM", dt.datetime(2019, 1, 23, 8, 27, tzinfo=pst)),
    ]
    assert postmortem.timeline[3].phase is Phase.RESOLVED
    assert postmortem.timeline[2].phase is None  # "root cause identified" is not detection


def test_timeline_as_table_in_any_column_order() -> None:
    postmortem = parse("""
        # T

        ## Timeline

        | Event | Date and Time in CET |
        |---|---|
        | Automated warning from AWS | 2019-11-30 08:24 |
        | All systems verified operational | 2019-12-05 07:00 |
        """)
    cet = dt.timezone(dt.timedelta(hours=1))
    assert [(e.text, e.at, e.phase) for e in postmortem.timeline] == [
        (
            "Automated warning from AWS",
            dt.datetime(2019, 11, 30, 8, 24, tzinfo=cet),
            Phase.DETECTED,
        ),
        (
            "All systems verified operational",
            dt.datetime(2019, 12, 5, 7, 0, tzinfo=cet),
            Phase.RESOLVED,
        ),
    ]


def test_timeline_as_one_heading_per_timestamp_carries_the_date() -> None:
    postmortem = parse("""
        # T

        ## Timeline

        ### 2018-03-13 07:28

        Problem is identified

        ### 07:33

        Attempts to cordon bad nodes.

        ### 2018-03-21 06:31

        This resolved the issue.
        """)
    assert [(e.time, e.at, e.phase) for e in postmortem.timeline] == [
        ("2018-03-13 07:28", dt.datetime(2018, 3, 13, 7, 28), Phase.DETECTED),
        ("07:33", dt.datetime(2018, 3, 13, 7, 33), None),
        ("2018-03-21 06:31", dt.datetime(2018, 3, 21, 6, 31), Phase.RESOLVED),
    ]


def test_day_headings_with_timed_bullets_and_bare_lines() -> None:
    postmortem = parse("""
        # T

        ## Timeline

        ### 2023-07-19

        - 12:32 UTC – pull request opened
        - 17:41 UTC – merged

        ## Context

        15:35 – Plan pushed to git branch

        16:08 - Initial finding

        16:59 – Incident declared
        """)
    assert [(e.time, e.at) for e in postmortem.timeline[:2]] == [
        ("12:32 UTC", dt.datetime(2023, 7, 19, 12, 32, tzinfo=UTC)),
        ("17:41 UTC", dt.datetime(2023, 7, 19, 17, 41, tzinfo=UTC)),
    ]
    assert [e.text for e in postmortem.timeline[2:]] == [
        "Plan pushed to git branch",
        "Initial finding",
        "Incident declared",
    ]
    assert postmortem.timeline[4].phase is Phase.DETECTED


def test_action_items_as_checkboxes_with_groups() -> None:
    postmortem = parse("""
        # T

        ## Action Items

        ### Completed ✅

        - [x] Add error handling
        - [ ] Not actually done yet

        ### Future Improvements

        - [ ] Add monitoring @dana (due 2026-03-01) P1
        - [-] Rewrite everything
        """)
    assert [(a.state, a.group) for a in postmortem.action_items] == [
        (ActionState.DONE, "Completed ✅"),
        (ActionState.OPEN, "Completed ✅"),
        (ActionState.OPEN, "Future Improvements"),
        (ActionState.NOT_DOING, "Future Improvements"),
    ]
    monitoring = postmortem.action_items[2]
    assert (monitoring.owner, monitoring.due, monitoring.priority) == (
        "@dana",
        dt.date(2026, 3, 1),
        "P1",
    )
    assert monitoring.text == "Add monitoring @dana (due 2026-03-01) P1"


def test_action_items_as_a_table_in_any_column_order() -> None:
    postmortem = parse("""
        # T

        ## Action Items

        | Status | Owner | Due | Action Item | Type | Bug |
        |---|---|---|---|---|---|
        | Done | Ana | 2026-01-05 | Add a pool limit | mitigate | [#12](https://t.example/i/12) |
        | Not doing | | | Rewrite in Rust | prevent | |
        | In progress | Bo | 2026-02-01 | Alert on saturation | detect | JIRA-7 |
        """)
    items = postmortem.action_items
    assert [(a.text, a.state, a.owner, a.due, a.kind) for a in items] == [
        ("Add a pool limit", ActionState.DONE, "Ana", dt.date(2026, 1, 5), ActionKind.MITIGATE),
        ("Rewrite in Rust", ActionState.NOT_DOING, None, None, ActionKind.PREVENT),
        ("Alert on saturation", ActionState.IN_PROGRESS, "Bo", dt.date(2026, 2, 1),
         ActionKind.DETECT),
    ]  # fmt: skip
    assert items[0].ticket == "[#12](https://t.example/i/12)"
    assert ("Type", "mitigate") in items[0].fields


def test_a_completed_bullet_group_marks_its_items_done() -> None:
    postmortem = parse("""
        # T

        ## Action items

        - **Completed**:
          - Roll back the search deploy
          - **TODO** Restore the index alias
        - **Next**:
          - Add a canary stage to the search deploy
        """)
    assert [(a.text, a.state, a.group) for a in postmortem.action_items] == [
        ("Roll back the search deploy", ActionState.DONE, "Completed"),
        ("**TODO** Restore the index alias", ActionState.OPEN, "Completed"),
        ("Add a canary stage to the search deploy", ActionState.OPEN, "Next"),
    ]


def test_action_items_as_bullets_with_status_markers() -> None:
    postmortem = parse("""
        # T

        ## Corrective actions

        1. **DONE** Restore the backup
        2. Add alarms (done)
        3. ✅ Fix the guard
        4. **TODO** Write the runbook
        5. Add Sentry alarms - pending
        6. **HIGH** Include downloads in the smoke test
        7. Set up CloudWatch alarms. **(Done during this incident)**
        """)
    assert [(a.state, a.priority) for a in postmortem.action_items] == [
        (ActionState.DONE, None),
        (ActionState.DONE, None),
        (ActionState.DONE, None),
        (ActionState.OPEN, None),
        (ActionState.OPEN, None),
        (ActionState.OPEN, "high"),
        (ActionState.DONE, None),
    ]


def test_recovery_steps_are_not_action_items() -> None:
    postmortem = parse("""
        # T

        ## Recovery Actions Taken

        1. Rolled back the migration

        ## Next steps

        - Add a check
        """)
    assert [step.text for step in postmortem.recovery] == ["Rolled back the migration"]
    assert [item.text for item in postmortem.action_items] == ["Add a check"]


def test_lessons_of_every_kind() -> None:
    postmortem = parse("""
        ---
        lessons:
          "Roll back first": rollback-first
        ---
        # T

        ## Lessons Learned

        ### What went well

        - Alerts fired early

        ### What went wrong

        - Nobody owned the runbook

        ### Where we got lucky

        - It happened on a quiet day

        ### 1. Roll back first

        Reverting is cheaper than debugging in production.
        """)
    assert [(lesson.kind, lesson.title, lesson.tags) for lesson in postmortem.lessons] == [
        (LessonKind.WENT_WELL, "Alerts fired early", ()),
        (LessonKind.WENT_WRONG, "Nobody owned the runbook", ()),
        (LessonKind.LUCKY, "It happened on a quiet day", ()),
        (LessonKind.LEARNED, "Roll back first", ("rollback-first",)),
    ]


def test_unrecognised_text_stays_in_the_section_residual() -> None:
    postmortem = parse("""
        # T

        ## Action Items

        We discussed these on Monday.

        - [ ] Add a check

        ## Why it took so long

        Because.
        """)
    actions, other = postmortem.sections[1], postmortem.sections[2]
    assert actions.residual_markdown == "We discussed these on Monday."
    assert (other.kind, other.residual_markdown) == (SectionKind.OTHER, "Because.")


def test_code_fences_with_hash_lines_are_not_headings() -> None:
    postmortem = parse("""
        # T

        ## Resolution

        ```bash
        # Always verify migrations first
        npm run migrate
        ```
        """)
    assert [s.heading for s in postmortem.sections] == ["T", "Resolution"]


def test_an_item_is_as_done_as_its_sub_items() -> None:
    postmortem = parse("""
        # T

        ## Action items

        - Move the importer off the old cluster
          - ✅ Copy the jobs
          - ✅ Switch the cron
        - Retire the old cluster
          - ✅ Drain the nodes
          - Delete the nodes
        - Write the runbook
          - Collect the commands
        """)
    assert [(a.state, a.text.split("\n")[0]) for a in postmortem.action_items] == [
        (ActionState.DONE, "Move the importer off the old cluster"),
        (ActionState.IN_PROGRESS, "Retire the old cluster"),
        (ActionState.OPEN, "Write the runbook"),
    ]


def test_a_table_without_an_action_column_reads_the_longest_free_column() -> None:
    postmortem = parse("""
        # T

        ## Follow-up

        ### Completed

        | Ref | Work | Owner | Priority |
        |---|---|---|---|
        | 1 | Add a pool limit to the checkout service | @ana | p1 |
        | | | | |
        | 2 | Alert on connection saturation | @bo | Critical! |
        | 3 | Load-test the campaign traffic | | someday |
        | 4 | Write the runbook | @cy | |
        """)
    items = postmortem.action_items
    assert [(a.text, a.owner, a.priority, a.state, a.group) for a in items] == [
        ("Add a pool limit to the checkout service", "@ana", "P1", ActionState.DONE, "Completed"),
        ("Alert on connection saturation", "@bo", "critical", ActionState.DONE, "Completed"),
        ("Load-test the campaign traffic", None, "someday", ActionState.DONE, "Completed"),
        ("Write the runbook", "@cy", None, ActionState.DONE, "Completed"),
    ]
    # Each item's line is its row's line in the document (the heading is line 1).
    assert [a.line for a in items] == [9, 11, 12, 13]


def test_plain_lines_under_a_label_are_items_with_their_own_fields() -> None:
    postmortem = parse("""
        # T

        Summary: the queue stalled.

        Prevention steps: rotate the keys, owner: Ann, due 2026-07-01
        [x] Page the on-call @bob P1 JIRA-12
        Add a canary stage (done)
        """)
    assert [
        (a.text, a.state, a.line, a.owner, a.due, a.priority, a.ticket, a.kind)
        for a in postmortem.action_items
    ] == [
        (
            "rotate the keys, owner: Ann, due 2026-07-01",
            *(ActionState.OPEN, 5, "Ann", dt.date(2026, 7, 1), None, None, ActionKind.PREVENT),
        ),
        (
            "Page the on-call @bob P1 JIRA-12",
            *(ActionState.DONE, 6, "@bob", None, "P1", "JIRA-12", ActionKind.PREVENT),
        ),
        (
            "Add a canary stage (done)",
            *(ActionState.DONE, 7, None, None, None, None, ActionKind.PREVENT),
        ),
    ]
    assert postmortem.sections[2].residual_markdown == ""  # every line is an item


def test_a_subsection_over_prose_is_one_item_titled_by_its_heading() -> None:
    postmortem = parse("""
        # T

        ## Action items

        ### Investigation

        Find why the queue stalled. Owner: Ann, due 2026-07-01, P2, OPS-7.

        ### 2. Rotate the keys (done)

        Completed on 2026-07-02.

        ### Fixes

        - [ ] Add a check
        """)
    assert [
        (a.text, a.state, a.line, a.owner, a.due, a.done_on, a.priority, a.ticket, a.group)
        for a in postmortem.action_items
    ] == [
        (
            "Investigation\n\nFind why the queue stalled. Owner: Ann, due 2026-07-01, P2, OPS-7.",
            *(ActionState.OPEN, 5, "Ann", dt.date(2026, 7, 1), None, "P2", "OPS-7", None),
        ),
        (
            "Rotate the keys (done)\n\nCompleted on 2026-07-02.",
            *(ActionState.DONE, 9, None, None, dt.date(2026, 7, 2), None, None, None),
        ),
        ("Add a check", *(ActionState.OPEN, 15, None, None, None, None, None, "Fixes")),
    ]


def test_a_bold_label_with_a_note_groups_its_sub_bullets_and_skips_their_details() -> None:
    postmortem = parse("""
        # T

        ## Action items

        - **Short-term:** (this week)
          - Add a canary stage
          - Notes: see the deploy runbook
        - **Long-term**:
          - Move search to its own cluster
        """)
    assert [(a.text, a.group) for a in postmortem.action_items] == [
        ("Add a canary stage", "Short-term"),
        ("Move search to its own cluster", "Long-term"),
    ]
    # The note is not work, and not lost either.
    assert postmortem.sections[1].residual_markdown == "- Notes: see the deploy runbook"


def test_table_items_read_short_rows_and_the_done_column_and_ticket_state() -> None:
    postmortem = parse("""
        # T

        ## Action items

        | Action | Opened | Owner | Ticket | Completed |
        |---|---|---|---|---|
        | Add a canary stage | 2026-06-01 | Ann | OPS-7 (closed) | 2026-06-20 |
        | Rotate the keys | 2026-06-02 |
        """)
    assert [(a.text, a.state, a.owner, a.ticket, a.done_on) for a in postmortem.action_items] == [
        ("Add a canary stage", ActionState.DONE, "Ann", "OPS-7 (closed)", dt.date(2026, 6, 20)),
        ("Rotate the keys", ActionState.OPEN, None, None, None),
    ]


def test_without_an_action_column_the_longest_column_is_the_item_even_with_short_rows() -> None:
    postmortem = parse("""
        # T

        ## Action items

        | Owner | Summary | Remarks |
        |---|---|---|
        | Ann | Add a canary stage to the search deploy | ok |
        | Bob | Rotate the keys |
        """)
    assert [(a.text, a.owner) for a in postmortem.action_items] == [
        ("Add a canary stage to the search deploy", "Ann"),
        ("Rotate the keys", "Bob"),
    ]


def test_a_target_completion_column_is_the_due_date_not_the_day_it_was_done() -> None:
    postmortem = parse("""
        # T

        ## Action items

        | Action | Status | Target completion |
        |---|---|---|
        | Add a canary stage | done | 2026-07-01 |
        """)
    assert [(a.state, a.due, a.done_on) for a in postmortem.action_items] == [
        (ActionState.DONE, dt.date(2026, 7, 1), None)
    ]


def test_numbered_subsections_are_items_unless_all_of_them_are_only_lists() -> None:
    postmortem = parse("""
        # T

        ## Action items

        ### 1. Validate environment variables

        Check each variable at start-up.

        - fail fast on a missing one

        ### 2. Add a canary stage

        Deploy to one host first.

        ## Follow-ups

        ### 1. Short-term

        - Add a canary

        ### 2. Long-term

        - Move search
        """)
    assert [(a.text, a.group) for a in postmortem.action_items] == [
        (
            "Validate environment variables\n\nCheck each variable at start-up.\n\n"
            "- fail fast on a missing one",
            None,
        ),
        ("Add a canary stage\n\nDeploy to one host first.", None),
        ("Add a canary", "Short-term"),
        ("Move search", "Long-term"),
    ]


def test_a_subsection_item_takes_its_group_and_kind_from_the_heading_above() -> None:
    postmortem = parse("""
        # T

        ## Action items

        ### Detection

        #### Alert on queue age

        Page when the oldest message is older than five minutes.
        """)
    assert [(a.text, a.line, a.group, a.kind) for a in postmortem.action_items] == [
        (
            "Alert on queue age\n\nPage when the oldest message is older than five minutes.",
            *(7, "Detection", ActionKind.DETECT),
        )
    ]


def test_table_items_find_due_dates_and_tickets_in_the_text_and_status() -> None:
    postmortem = parse("""
        # T

        ## Action items

        | Action | Status |
        |---|---|
        | Rotate the keys by 2026-07-01, see OPS-9 | open |
        | Add a canary stage | done in OPS-8 |
        """)
    assert [(a.state, a.due, a.ticket) for a in postmortem.action_items] == [
        (ActionState.OPEN, dt.date(2026, 7, 1), "OPS-9"),
        (ActionState.DONE, None, "OPS-8"),
    ]


def test_an_empty_bullet_among_action_items_is_skipped() -> None:
    postmortem = parse("""
        # T

        ## Action items

        -
        - Add a check
        """)
    assert [a.text for a in postmortem.action_items] == ["Add a check"]


def test_bullets_take_their_ticket_and_kind_and_a_completed_section_makes_them_done() -> None:
    postmortem = parse("""
        # T

        ## Prevention

        - Add a canary stage (OPS-7)

        ## Completed actions

        - Roll back the deploy
        """)
    assert [(a.text, a.state, a.ticket, a.kind) for a in postmortem.action_items] == [
        ("Add a canary stage (OPS-7)", ActionState.OPEN, "OPS-7", ActionKind.PREVENT),
        ("Roll back the deploy", ActionState.DONE, None, None),
    ]


def test_a_note_first_under_a_group_is_kept_and_one_done_sub_item_starts_its_parent() -> None:
    postmortem = parse("""
        # T

        ## Action items

        - **Next:**
          - Notes: ask the search team
          - Add a canary stage
        - Move search to its own cluster
          - retire the old cluster (done)
          - move the traffic
        """)
    assert [(a.text.split("\n")[0], a.state, a.group) for a in postmortem.action_items] == [
        ("Add a canary stage", ActionState.OPEN, "Next"),
        ("Move search to its own cluster", ActionState.IN_PROGRESS, None),
    ]
    assert postmortem.sections[1].residual_markdown == "- Notes: ask the search team"
