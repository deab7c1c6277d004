"""The seed postmortem, the first format pmkb must read perfectly, read exactly."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.models import ActionState, LessonKind, Postmortem, SectionKind, Status
from generator.parse import parse_file
from tests.conftest import SEED

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def seed() -> Postmortem:
    result = parse_file(SEED)
    assert result.diagnostics == ()
    assert result.postmortem is not None
    return result.postmortem


def test_metadata(seed: Postmortem) -> None:
    assert seed.title == "Incorrectly Removed import_state Table"
    assert seed.date == dt.date(2025, 8, 12)
    assert seed.status is Status.RESOLVED
    # The file reached us with "✅" decoded as cp1252 ("âœ…"): it is repaired.
    assert seed.status_text is not None
    assert seed.status_text.startswith("✅ RESOLVED - Tables restored via rollback")


def test_timeline_has_eight_events_in_order(seed: Postmortem) -> None:
    texts = [event.text for event in seed.timeline]
    assert len(texts) == 8
    assert texts[0].startswith("User requested cleanup of empty tables")
    assert texts[1].startswith("I investigated and found 3 seemingly empty tables:")
    assert "`person_relationships` (0 rows)" in texts[1]  # the nested list stays in its event
    assert texts[7] == "Investigation revealed import_state was actively used, not unused"
    assert [event.line for event in seed.timeline] == sorted(e.line for e in seed.timeline)
    assert all(event.time is None for event in seed.timeline)  # the seed gives no times


def test_four_mistakes_with_their_three_parts(seed: Postmortem) -> None:
    assert [m.title for m in seed.mistakes] == [
        "Assuming Empty Table = Unused Table",
        "Not Understanding the Full System",
        "Masking the Problem Instead of Fixing It",
        "Insufficient Testing",
    ]
    first = seed.mistakes[0]
    assert first.what_we_did == "Saw 0 rows in import_state and assumed it was unused"
    assert first.why_wrong == (
        "The table stores transient state that may be empty between import runs"
    )
    assert first.should_have_done == "Checked code references, not just current data"
    assert all(m.what_we_did and m.why_wrong and m.should_have_done for m in seed.mistakes)


def test_impact_features_and_dashboard_metrics(seed: Postmortem) -> None:
    assert [f.text for f in seed.impact.broken_features] == [
        "TMDB total movie count always shows 0",
        "Import progress calculation incorrect (always 100%)",
        "Cannot resume interrupted imports (last_page_processed lost)",
        "Sync timestamps not tracked (last_full_sync, last_update_check)",
    ]
    assert {m.name: m.value for m in seed.impact.metrics} == {
        "TMDB Total Movies": "Always 0",
        "Movies Remaining": "Always 0",
        "Completion": "Always 100%",
        "Last Full Sync": "Always Never",
        "Last Page": "Always 0",
    }


def test_two_root_cause_subsections(seed: Postmortem) -> None:
    assert [c.title for c in seed.root_causes] == [
        "Why import_state Appeared Unused",
        "Why We Misunderstood the Architecture",
    ]
    assert "key-value pattern" in seed.root_causes[0].text


def test_four_lessons(seed: Postmortem) -> None:
    assert [(lesson.title, lesson.kind) for lesson in seed.lessons] == [
        ("Always Check Code References", LessonKind.LEARNED),
        ("Understand State Management Patterns", LessonKind.LEARNED),
        ("Don't Trust Comments Blindly", LessonKind.LEARNED),
        ("Rollback First, Fix Later", LessonKind.LEARNED),
    ]
    assert "Search entire codebase for table name" in seed.lessons[0].text


def test_recovery_steps_are_not_action_items(seed: Postmortem) -> None:
    steps = [step.text for step in seed.recovery]
    assert steps == [
        "Modified migration to include proper `down` method for rollback",
        "Rolled back the migration to restore all three tables",
        "Documented the issue for future reference",
        "Tables are now restored and functional",
    ]
    assert not {item.text for item in seed.action_items} & set(steps)


def test_nine_open_action_items_in_two_groups(seed: Postmortem) -> None:
    assert len(seed.action_items) == 9
    assert all(item.state is ActionState.OPEN for item in seed.action_items)
    groups: dict[str | None, int] = {}
    for item in seed.action_items:
        groups[item.group] = groups.get(item.group, 0) + 1
    assert groups == {"For Future Database Changes": 5, "For Import System Specifically": 4}
    assert seed.action_items[0].text == (
        "Always search for table references in code before removal"
    )


def test_sections_in_order_with_kinds(seed: Postmortem) -> None:
    kinds = {section.heading: section.kind for section in seed.sections}
    assert kinds["Timeline"] is SectionKind.TIMELINE
    assert kinds["Our Mistakes"] is SectionKind.MISTAKES
    assert kinds["Impact"] is SectionKind.IMPACT
    assert kinds["Root Cause Analysis"] is SectionKind.ROOT_CAUSE
    assert kinds["Lessons Learned"] is SectionKind.LESSONS
    assert kinds["Recovery Actions Taken"] is SectionKind.RESOLUTION
    assert kinds["Preventive Measures"] is SectionKind.ACTION_ITEMS
    assert kinds["For Import System Specifically"] is SectionKind.ACTION_ITEMS
    assert kinds["Status"] is SectionKind.STATUS
    lines = [section.line for section in seed.sections]
    assert lines == sorted(lines) and lines[0] == 1
