"""Action items where they are written: inline in lessons, "Action point:" paragraphs, tables;
and what the headings and labels around them say of their group and state."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from generator.models import ActionState, LessonKind, Postmortem, SectionKind
from generator.parse import parse_text


def parse(text: str) -> Postmortem:
    result = parse_text(textwrap.dedent(text).lstrip("\n"), source="doc.md")
    assert result.postmortem is not None
    return result.postmortem


@pytest.mark.parametrize(
    ("done", "todo", "doing"),
    [
        ("DONE", "TODO", "DOING"),
        ("ERLEDIGT", "OFFEN", "In Arbeit:"),
        ("FAIT", "À faire :", "EN COURS"),
        ("HECHO", "PENDIENTE", "En progreso:"),
        ("FEITO", "PENDENTE", "Em andamento:"),
        ("已完成", "待办", "进行中"),
        ("完了", "未着手", "対応中"),
        ("완료", "미완료", "진행 중"),
    ],
)
def test_state_words_in_a_lessons_list_make_action_items(done: str, todo: str, doing: str) -> None:
    postmortem = parse(f"""
        # Queue backlog

        ## Lessons learned

        - Alerts on queue age catch backlogs early.
        - {done} add an alert on queue age
        - {todo} document the manual drain
        - {doing} move workers to autoscaling
        """)
    assert [lesson.title for lesson in postmortem.lessons] == [
        "Alerts on queue age catch backlogs early."
    ]
    assert [item.state for item in postmortem.action_items] == [
        ActionState.DONE,
        ActionState.OPEN,
        ActionState.IN_PROGRESS,
    ]


def test_symbols_in_a_lessons_list_stay_lessons() -> None:
    postmortem = parse("""
        # Queue backlog

        ## What went well

        - ✅ The alert fired within a minute.
        """)
    assert postmortem.action_items == ()
    assert [lesson.kind for lesson in postmortem.lessons] == [LessonKind.WENT_WELL]


def test_an_action_point_paragraph_is_an_item_and_not_part_of_the_lesson() -> None:
    postmortem = parse("""
        # Queue backlog

        ## Lessons learned

        Nobody watched the queue age, so the backlog grew for hours.

        Action point: add a queue-age alert to the on-call dashboard.

        Autoscaling would have hidden the problem.
        """)
    assert [item.text for item in postmortem.action_items] == [
        "add a queue-age alert to the on-call dashboard."
    ]
    assert postmortem.action_items[0].state is ActionState.OPEN
    assert "Action point" not in postmortem.lessons[0].text


def test_a_table_with_type_priority_bug_and_status_columns_lists_work() -> None:
    postmortem = parse("""
        # Queue backlog

        ## Analysis

        | Action | Type | Priority | Bug | Status |
        |---|---|---|---|---|
        | Alert on queue age | detect | P1 | #4411 | done |
        | Autoscale workers | mitigate | P2 | #4412 | open |
        """)
    assert [(item.state, item.priority, item.ticket) for item in postmortem.action_items] == [
        (ActionState.DONE, "P1", "#4411"),
        (ActionState.OPEN, "P2", "#4412"),
    ]


def test_a_checklist_under_the_resolution_is_recovery_not_work_to_do() -> None:
    postmortem = parse("""
        # Queue backlog

        ## Steps taken

        - [x] Drained the queue by hand
        - [x] Restarted the workers

        ## Action items

        - [ ] Alert on queue age
        """)
    assert postmortem.sections[1].kind is SectionKind.RESOLUTION
    assert [step.text for step in postmortem.recovery] == [
        "Drained the queue by hand",
        "Restarted the workers",
    ]
    assert [item.text for item in postmortem.action_items] == ["Alert on queue age"]


def test_key_events_before_a_detailed_timeline_are_not_given_twice() -> None:
    postmortem = parse("""
        # Queue backlog on 2024-02-06

        ## Key events

        - 2024-02-06 09:12 Backlog detected
        - 2024-02-06 11:30 Incident resolved

        ## Timeline

        - 2024-02-06 09:00 Deploy of the new consumer
        - 2024-02-06 09:12 Queue-age alert fired and the backlog was detected
        - 2024-02-06 10:05 Workers restarted
        - 2024-02-06 11:30 Queue drained, incident resolved
        """)
    assert [event.time for event in postmortem.timeline] == [
        "2024-02-06 09:00",
        "2024-02-06 09:12",
        "2024-02-06 10:05",
        "2024-02-06 11:30",
    ]
    key_events = postmortem.sections[1]
    assert "Backlog detected" in key_events.residual_markdown


def test_a_table_in_the_analysis_lists_work_only_with_an_item_and_two_attributes() -> None:
    postmortem = parse("""
        # Queue backlog

        ## Analysis

        | Action | Owner |
        |---|---|
        | Restarted the workers | Ann |

        | Host | Owner | Status |
        |---|---|---|
        | db-1 | Bob | degraded |

        | Action | Owner | Due |
        |---|---|---|
        | Alert on queue age | Cleo | 2026-07-01 |
        """)
    assert [(item.text, item.owner) for item in postmortem.action_items] == [
        ("Alert on queue age", "Cleo")
    ]


def test_numbered_subsections_holding_only_tables_are_groups_of_their_rows() -> None:
    postmortem = parse("""
        # Queue backlog

        ## Action items

        ### 1. Short-term

        | Action | Owner |
        |---|---|
        | Alert on queue age | Ann |

        ### 2. Long-term

        | Action | Owner |
        |---|---|
        | Shard the queue | Bob |
        """)
    assert [(a.text, a.owner, a.group, a.line) for a in postmortem.action_items] == [
        ("Alert on queue age", "Ann", "Short-term", 9),
        ("Shard the queue", "Bob", "Long-term", 15),
    ]


def test_a_completed_heading_makes_the_items_of_its_subsections_done() -> None:
    postmortem = parse("""
        # Queue backlog

        ## Action items

        ### Completed

        #### Workers

        - Restart stuck workers automatically

        ### Next

        - Shard the queue
        """)
    assert [(a.text, a.group, a.state) for a in postmortem.action_items] == [
        ("Restart stuck workers automatically", "Workers", ActionState.DONE),
        ("Shard the queue", "Next", ActionState.OPEN),
    ]


def test_a_next_steps_group_under_a_completed_heading_is_open() -> None:
    postmortem = parse("""
        # Queue backlog

        ## Completed actions

        - Restart stuck workers automatically
        - **Next**:
          - Shard the queue
        """)
    assert [(a.text, a.group, a.state) for a in postmortem.action_items] == [
        ("Restart stuck workers automatically", None, ActionState.DONE),
        ("Shard the queue", "Next", ActionState.OPEN),
    ]


def test_a_code_block_right_under_a_label_line_is_kept_whole() -> None:
    postmortem = parse("""
        # Queue backlog

        Summary: the queue stalled.

        Next steps: rotate the queue's keys
        ```sh
        vault rotate queue
        ```
        """)
    assert [(a.text, a.line) for a in postmortem.action_items] == [("rotate the queue's keys", 5)]
    next_steps = postmortem.sections[2]
    assert (next_steps.kind, next_steps.residual_markdown) == (
        SectionKind.ACTION_ITEMS,
        "```sh\nvault rotate queue\n```",
    )


def test_a_subsection_item_is_dated_done_only_when_it_is_done() -> None:
    postmortem = parse("""
        # Queue backlog

        ## Action items

        ### Migrate the queue

        Half of the hosts were completed on 2026-07-01; the rest wait for new disks.

        ### Restart stuck workers (done)

        Completed on 2026-07-03.
        """)
    assert [(a.text.split("\n")[0], a.state, a.done_on) for a in postmortem.action_items] == [
        ("Migrate the queue", ActionState.OPEN, None),
        ("Restart stuck workers (done)", ActionState.DONE, dt.date(2026, 7, 3)),
    ]


def test_an_action_point_under_a_lesson_subsection_is_grouped_by_its_heading() -> None:
    postmortem = parse("""
        # Queue backlog

        ## Lessons learned

        ### Paging

        We paged the on-call too late.

        Action point: page on the age of the oldest message (owner: Ann)
        """)
    assert [(a.text, a.line, a.group, a.owner) for a in postmortem.action_items] == [
        ("page on the age of the oldest message (owner: Ann)", 9, "Paging", "Ann")
    ]
