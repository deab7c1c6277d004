"""The rules of ``pmkb check``: each one trips on a bad input and stays quiet on a good one."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path

import pytest

from generator.catalog import build_catalog
from generator.checks import RULES, find_unknown_codes, make_heading_anchor, run_checks
from generator.errors import Diagnostic, Severity
from generator.postmortem_files import read_postmortems
from generator.scaffold import Draft, list_scaffolds, render_scaffold
from generator.settings import Settings
from tests.conftest import ROOT, SEED

TODAY = dt.date(2025, 9, 1)

# A postmortem that every rule accepts; tests change one thing in it.
GOOD = """\
---
title: Search down for 20 minutes
date: 2025-08-12
status: resolved
owners: ["@ann"]
---

# Search down for 20 minutes

## Summary

Search returned errors for 20 minutes after the 4.2 deploy; see [the timeline](#timeline).

## Timeline

All times in UTC.

- 2025-08-12 14:02 deploy of search 4.2 starts
- 14:22 first alert: search error rate above 5%
- 14:40 rollback finished

## Action items

- [ ] Add a canary stage to the search deploy (@ann, due 2025-10-01)
- [x] Restore the index alias (@bob)
"""


def check(
    tmp_path: Path,
    text: str | bytes,
    *,
    name: str = "2025-08-12-search.md",
    today: dt.date = TODAY,
    others: dict[str, str] | None = None,
    **changes: object,
) -> list[Diagnostic]:
    """Write a postmortem (and others) into a knowledge base and check it."""
    folder = tmp_path / "postmortems"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    for other, other_text in (others or {}).items():
        (folder / other).parent.mkdir(parents=True, exist_ok=True)
        (folder / other).write_text(other_text, encoding="utf-8")
    settings = replace(Settings.for_folder(tmp_path), **changes)  # type: ignore[arg-type]
    postmortems, diagnostics = read_postmortems((folder,), settings=settings)
    return run_checks(build_catalog(postmortems, diagnostics=diagnostics), settings, today=today)


def codes(diagnostics: list[Diagnostic]) -> list[str]:
    return [diagnostic.code for diagnostic in diagnostics]


def only(diagnostics: list[Diagnostic], code: str) -> list[Diagnostic]:
    return [diagnostic for diagnostic in diagnostics if diagnostic.code == code]


def test_the_good_postmortem_passes_every_rule(tmp_path: Path) -> None:
    assert check(tmp_path, GOOD) == []


# The rule table, the docs and the functions agree.


def test_every_rule_has_a_function_unless_reported_while_reading() -> None:
    reading = {rule.code for rule in RULES if rule.check is None}
    assert reading == {"PMK001", "PMK002", "PMK003", "PMK004", "PMK005", "PMK090"}
    for rule in RULES:
        if rule.check is not None:
            assert rule.check.__doc__
            assert rule.check.__doc__.startswith(f"{rule.code}:")


def test_codes_are_unique_and_in_order() -> None:
    found = [rule.code for rule in RULES]
    assert found == sorted(set(found))
    assert all(re.fullmatch(r"PMK0\d\d", code) for code in found)


def test_unknown_codes_are_found() -> None:
    assert find_unknown_codes(["PMK012", "PMK12", "pmk013"]) == ["PMK12", "pmk013"]
    assert find_unknown_codes(rule.code for rule in RULES) == []


RULES_DOC = ROOT / "docs" / "rules.md"


def doc_sections() -> dict[str, str]:
    """Return the text of each ``## PMK0nn: summary`` section of docs/rules.md, by heading."""
    text = RULES_DOC.read_text(encoding="utf-8")
    parts = re.split(r"^## (PMK\d{3}: .*)$", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_rules_doc_has_one_section_per_rule() -> None:
    assert list(doc_sections()) == [f"{rule.code}: {rule.summary}" for rule in RULES]
    for heading, body in doc_sections().items():
        code = heading.split(":")[0]
        assert "Bad" in body, heading
        assert "Fixed" in body, heading
        assert f"disabled_rules: [{code}]" in body, heading


def doc_examples() -> list[tuple[str, str, str]]:
    """Return (code, bad, fixed) for every rule whose docs show Markdown examples."""
    found = []
    for heading, body in doc_sections().items():
        blocks = re.findall(r"```markdown\n(.*?)```", body, flags=re.DOTALL)
        if blocks:
            assert len(blocks) == 2, heading
            found.append((heading.split(":")[0], blocks[0], blocks[1]))
    return found


def test_rules_without_markdown_examples_are_the_file_level_ones() -> None:
    shown = {code for code, _, _ in doc_examples()}
    assert {rule.code for rule in RULES} - shown == {"PMK001", "PMK002", "PMK090"}


@pytest.mark.parametrize(
    ("code", "bad", "fixed"), [pytest.param(*example, id=example[0]) for example in doc_examples()]
)
def test_rules_doc_examples_are_true(tmp_path: Path, code: str, bad: str, fixed: str) -> None:
    target = {"2025-05-02-db-failover.md": GOOD}
    bad_found = check(tmp_path / "bad", bad, others=target)
    fixed_found = check(tmp_path / "fixed", fixed, others=target)
    assert code in codes(bad_found)
    assert code not in codes(fixed_found)


# PMK001-PMK005 and PMK090: problems found while reading, passed through.


def test_a_binary_file_is_reported_and_the_others_still_checked(tmp_path: Path) -> None:
    found = check(
        tmp_path,
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        name="2025-08-12-graph.md",
        others={"2025-08-13-other.md": GOOD.replace("status: resolved", "status: parked")},
    )
    assert codes(found) == ["PMK001", "PMK017"]
    assert found[0].severity is Severity.ERROR


def test_a_text_file_is_not_binary(tmp_path: Path) -> None:
    assert "PMK001" not in codes(check(tmp_path, GOOD))


def test_a_file_that_is_not_utf8_is_a_warning(tmp_path: Path) -> None:
    found = check(tmp_path, GOOD.replace("Search returned", "Caf\u00e9 returned").encode("cp1252"))
    assert codes(found) == ["PMK002"]
    assert found[0].severity is Severity.WARNING


def test_front_matter_that_is_not_yaml_is_an_error(tmp_path: Path) -> None:
    found = check(tmp_path, GOOD.replace("title: Search", "title: Search: really"))
    assert "PMK003" in codes(found)
    assert "PMK003" not in codes(check(tmp_path / "ok", GOOD))


def test_an_empty_file_is_an_error(tmp_path: Path) -> None:
    found = check(tmp_path, "")
    assert codes(found) == ["PMK004"]
    assert found[0].severity is Severity.ERROR


def test_two_postmortems_with_one_id_are_an_error(tmp_path: Path) -> None:
    same = GOOD.replace("date: 2025-08-12", "id: search-outage\ndate: 2025-08-12")
    found = check(tmp_path, same, others={"2025-08-13-again.md": same})
    assert codes(found) == ["PMK090"]
    assert found[0].location.path == "postmortems/2025-08-13-again.md"
    assert "postmortems/2025-08-12-search.md" in found[0].message


# PMK010: required sections.


def test_a_missing_required_section_is_an_error(tmp_path: Path) -> None:
    text = GOOD.split("## Action items", maxsplit=1)[0]
    found = check(tmp_path, text)
    assert codes(found) == ["PMK010"]
    assert "Action items" in found[0].message
    assert "required_sections" in found[0].message


def test_a_missing_required_section_says_how_to_add_it_or_not_require_it(tmp_path: Path) -> None:
    found = check(tmp_path, GOOD.split("## Action items", maxsplit=1)[0])
    assert [d.message for d in found] == [
        "there is no Action items section: add one (`## Action items`), or drop 'action_items' "
        "from required_sections in mkdocs.yml if your postmortems need none"
    ]


def test_required_sections_come_from_the_settings(tmp_path: Path) -> None:
    assert codes(check(tmp_path, GOOD, required_sections=("root_cause",))) == ["PMK010"]
    assert (
        check(tmp_path / "none", GOOD.split("## Action items", maxsplit=1)[0], required_sections=())
        == []
    )


def test_any_heading_of_the_kind_satisfies_a_required_section(tmp_path: Path) -> None:
    text = GOOD.replace("## Action items", "## Preventive Measures").replace(
        "## Summary", "## Executive Summary"
    )
    assert check(tmp_path, text) == []


# PMK011: empty sections.


def test_a_heading_with_nothing_under_it_is_empty(tmp_path: Path) -> None:
    found = check(tmp_path, GOOD.replace("## Timeline", "## Impact\n\n## Timeline"))
    assert codes(found) == ["PMK011"]
    assert found[0].location.line == GOOD.split("\n").index("## Timeline") + 1
    assert "'Impact'" in found[0].message


def test_a_last_heading_with_nothing_under_it_is_empty(tmp_path: Path) -> None:
    assert codes(check(tmp_path, GOOD + "\n## Appendix\n\n")) == ["PMK011"]


def test_empty_headings_after_labels_and_value_headings_are_found(tmp_path: Path) -> None:
    # A bold label and a heading carrying its value are never empty; the headings after them
    # still are, setext ones included.
    text = GOOD.replace(
        "## Timeline",
        "**Impact:** every search failed.\n\n## Date: 2025-08-12\n\n## Detection\n\n"
        "Root cause\n----------\n\n## Timeline",
    )
    found = check(tmp_path, text)
    lines = text.split("\n")
    assert [(d.code, d.location.line) for d in found] == [
        ("PMK011", lines.index("## Detection") + 1),
        ("PMK011", lines.index("Root cause") + 1),
    ]
    assert found[0].message == (
        "the section 'Detection' is empty: write what belongs there, "
        "or delete the heading if it does not apply"
    )


def test_a_heading_over_subsections_or_carrying_its_value_is_not_empty(tmp_path: Path) -> None:
    text = GOOD.replace(
        "## Summary",
        "## Date: 2025-08-12\n\n## What happened\n\n### Summary",
    )
    assert check(tmp_path, text) == []


def test_a_heading_over_the_last_subsection_is_not_empty(tmp_path: Path) -> None:
    assert check(tmp_path, GOOD + "\n## Follow-up\n\n### Next review\n\nIn October.\n") == []


def test_a_section_holding_a_placeholder_is_not_empty(tmp_path: Path) -> None:
    text = GOOD.replace("## Timeline", "## Impact\n\nTODO: who was hurt\n\n## Timeline")
    assert codes(check(tmp_path, text)) == ["PMK018"]


# PMK012: owners.


def test_an_open_action_item_without_owner_is_a_warning(tmp_path: Path) -> None:
    text = GOOD.replace('owners: ["@ann"]\n', "").replace("(@ann, due", "(due")
    found = check(tmp_path, text)
    assert codes(found) == ["PMK012"]
    assert found[0].severity is Severity.WARNING
    assert "Add a canary stage" in found[0].message


def test_an_item_is_quoted_by_its_first_line(tmp_path: Path) -> None:
    text = GOOD.replace('owners: ["@ann"]\n', "").replace(
        "- [ ] Add a canary stage to the search deploy (@ann, due 2025-10-01)",
        "- [ ] Add a canary stage\n  to the search deploy\n  and alert on its errors",
    )
    found = check(tmp_path, text)
    assert codes(found) == ["PMK012"]
    assert "open action item 'Add a canary stage' has no owner" in found[0].message


def test_the_postmortems_owners_own_items_that_name_nobody(tmp_path: Path) -> None:
    assert check(tmp_path, GOOD.replace("(@ann, due", "(due")) == []


def test_done_and_placeholder_items_need_no_owner(tmp_path: Path) -> None:
    text = GOOD.replace('owners: ["@ann"]\n', "").replace(
        "- [ ] Add a canary stage to the search deploy (@ann, due 2025-10-01)",
        "- [x] Add a canary stage\n- [ ] TODO: first action item, with its owner",
    )
    assert codes(check(tmp_path, text)) == ["PMK018"]


def test_a_placeholder_in_owners_owns_nothing(tmp_path: Path) -> None:
    text = GOOD.replace('owners: ["@ann"]', 'owners: ["TODO: who follows up"]')
    text = text.replace("(@ann, due", "(due")
    found = check(tmp_path, text)
    assert codes(found) == ["PMK018", "PMK012"]
    assert "Add a canary stage" in only(found, "PMK012")[0].message
    # One real owner among placeholders owns the items.
    both = text.replace('owners: ["TODO: who follows up"]', 'owners: ["TODO: who else", "@ann"]')
    assert codes(check(tmp_path / "both", both)) == ["PMK018"]


def test_an_empty_owner_cell_is_named(tmp_path: Path) -> None:
    text = GOOD.replace('owners: ["@ann"]\n', "").replace(
        "- [ ] Add a canary stage to the search deploy (@ann, due 2025-10-01)\n"
        "- [x] Restore the index alias (@bob)\n",
        "| Action | Owner | Status |\n|---|---|---|\n| Add a canary stage | | open |\n",
    )
    found = check(tmp_path, text)
    assert codes(found) == ["PMK012"]
    assert "Owner cell" in found[0].message


def test_two_items_without_owner_are_reported_once(tmp_path: Path) -> None:
    text = GOOD.replace('owners: ["@ann"]\n', "").replace("(@ann, due", "(due")
    text = text.replace("- [x] Restore", "- [ ] Restore").replace(" (@bob)", "")
    found = check(tmp_path, text)
    assert codes(found) == ["PMK012"]
    first = found[0].location.line
    assert found[0].message.startswith(
        f"2 open action items have no owner (this one and line {first + 1}):"
    )


def test_many_items_without_owner_are_reported_once(tmp_path: Path) -> None:
    items = "".join(f"- [ ] Improve thing number {n}\n" for n in range(1, 8))
    text = GOOD.replace('owners: ["@ann"]\n', "").replace(
        "- [ ] Add a canary stage to the search deploy (@ann, due 2025-10-01)\n", items
    )
    found = check(tmp_path, text)
    assert codes(found) == ["PMK012"]
    first = text.split("\n").index("- [ ] Improve thing number 1") + 1
    assert found[0].location.line == first
    assert found[0].message.startswith("7 open action items have no owner")
    assert f"lines {first + 1}, {first + 2}" in found[0].message


# PMK013: due dates.


def test_an_open_item_past_its_due_date_is_a_warning(tmp_path: Path) -> None:
    found = check(tmp_path, GOOD, today=dt.date(2025, 10, 3))
    assert codes(found) == ["PMK013"]
    assert found[0].severity is Severity.WARNING
    assert "2025-10-01 (2 days ago)" in found[0].message


def test_overdue_is_an_error_when_configured(tmp_path: Path) -> None:
    found = check(tmp_path, GOOD, today=dt.date(2025, 10, 3), overdue_is_error=True)
    assert [(d.code, d.severity) for d in found] == [("PMK013", Severity.ERROR)]


def test_an_overdue_placeholder_item_is_only_a_placeholder(tmp_path: Path) -> None:
    text = GOOD.replace(
        "- [ ] Add a canary stage to the search deploy (@ann, due 2025-10-01)",
        "- [ ] TODO: the second action item (@ann, due 2025-10-01)",
    )
    found = check(tmp_path, text, today=dt.date(2025, 10, 3))
    assert codes(found) == ["PMK018"]
    line = text.split("\n").index("- [ ] TODO: the second action item (@ann, due 2025-10-01)")
    assert found[0].location.line == line + 1


def test_an_item_due_today_or_done_is_not_overdue(tmp_path: Path) -> None:
    assert check(tmp_path, GOOD, today=dt.date(2025, 10, 1)) == []
    done = GOOD.replace("- [ ] Add a canary", "- [x] Add a canary")
    assert check(tmp_path / "done", done, today=dt.date(2026, 1, 1)) == []


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
    assert [(d.code, d.location.line) for d in found] == [
        ("PMK016", text.split("\n").index("- 14:02 deploy of search 4.2 starts") + 1)
    ]


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
    lines = text.split("\n")
    found = check(tmp_path, text)
    assert [(d.code, d.location.line) for d in found] == [
        ("PMK016", lines.index("- 13:20 all clear") + 1)
    ]
    assert f"on line {lines.index('- 13:40 rollback finished') + 1} (13:40)" in found[0].message


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


# PMK018: placeholders.


def test_a_todo_line_is_an_unfilled_placeholder(tmp_path: Path) -> None:
    text = GOOD.replace("Search returned errors", "TODO: say what broke. Search returned errors")
    found = check(tmp_path, text)
    assert codes(found) == ["PMK018"]
    assert found[0].location.line == text.split("\n").index("## Summary") + 3
    assert found[0].location.column == 1


def test_placeholders_in_front_matter_and_jinja_leftovers_are_found(tmp_path: Path) -> None:
    text = GOOD.replace("status: resolved", "status: resolved\nseverity: 'TODO: severity'")
    text = text.replace("Search returned", "{{ summary }} Search returned")
    found = check(tmp_path, text)
    assert codes(found) == ["PMK018", "PMK018"]
    assert found[0].location.line == 5


def test_a_placeholder_is_found_where_it_starts_and_says_what_to_do(tmp_path: Path) -> None:
    text = GOOD.replace("Search returned errors", "Search returned {{ what }} errors")
    found = check(tmp_path, text)
    assert codes(found) == ["PMK018"]
    assert found[0].location.column == len("Search returned ") + 1
    assert found[0].message.startswith("unfilled placeholder '{{ what }} errors for 20 minutes")
    assert found[0].message.endswith(
        ": write this part (and remove the TODO), or delete it if it does not apply"
    )


def test_todo_in_code_and_actions_expressions_are_not_placeholders(tmp_path: Path) -> None:
    text = GOOD.replace(
        "## Timeline",
        "The job used `${{ secrets.TOKEN }}` and ${{ github.sha }}; the code said `# TODO: fix`."
        "\n\n```python\n# TODO: remove the alias\nx = '{{ y }}'\n```\n\n## Timeline",
    )
    assert check(tmp_path, text) == []


def test_only_the_fence_that_opened_code_closes_it(tmp_path: Path) -> None:
    # Prose after a closed fence is read again; a shorter fence or one of the other character
    # inside code does not close it.
    text = GOOD.replace(
        "## Timeline",
        "```\n# TODO: in code\n```\n\nTODO: after the first fence\n\n"
        "````\n```\nTODO: inside, after a shorter fence\n~~~\n````\n\n"
        "~~~\n```\nTODO: inside, after a backtick fence\n~~~~\n\nTODO: after the last fence\n\n"
        "## Timeline",
    )
    found = check(tmp_path, text)
    lines = text.split("\n")
    assert [(d.code, d.location.line) for d in found] == [
        ("PMK018", lines.index("TODO: after the first fence") + 1),
        ("PMK018", lines.index("TODO: after the last fence") + 1),
    ]


def test_a_placeholder_after_code_on_its_line_is_found_at_its_column(tmp_path: Path) -> None:
    text = GOOD.replace("Search returned errors", "The `search-api` TODO: say more. Search failed")
    found = check(tmp_path, text)
    assert [(d.code, d.location.column) for d in found] == [
        ("PMK018", len("The `search-api` ") + 1)
    ]
    assert "'TODO: say more. Search failed" in found[0].message


# PMK019 and PMK020: links.


def test_a_link_to_a_missing_postmortem_is_an_error(tmp_path: Path) -> None:
    text = GOOD.replace("see [the timeline]", "see [May](2025-05-02-db.md) and [the timeline]")
    found = check(tmp_path, text)
    assert codes(found) == ["PMK019"]
    line = text.split("\n")[found[0].location.line - 1]
    assert line[found[0].location.column - 1 :].startswith("[May](2025-05-02-db.md)")
    assert "postmortems/2025-05-02-db.md" in found[0].message


def find_link(text: str, link: str) -> tuple[int, int]:
    """Return the line and column where a link starts in a text."""
    line = next(i for i, x in enumerate(text.split("\n"), start=1) if link in x)
    return line, text.split("\n")[line - 1].index(link) + 1


@pytest.mark.parametrize("query", ["", "?plain=1", "?q=why?"])
def test_a_broken_link_after_good_ones_is_named_with_its_file_and_what_to_do(
    tmp_path: Path, query: str
) -> None:
    # A query (GitHub's ?plain=1) is no part of the file; a link within the page comes first.
    text = GOOD.replace(
        "see [the timeline](#timeline).",
        f"see [the timeline](#timeline) and [May](2025-05-02-db.md{query}#summary).",
    )
    found = check(tmp_path, text)
    assert [(d.code, d.location.line, d.location.column, d.message) for d in found] == [
        (
            "PMK019",
            *find_link(text, "[May]"),
            "link to '2025-05-02-db.md' leads nowhere: there is no file "
            "postmortems/2025-05-02-db.md; fix the link, or remove it",
        )
    ]
    assert check(tmp_path / "ok", text, others={"2025-05-02-db.md": GOOD}) == []


def test_links_in_angle_brackets_and_link_definitions_are_checked_as_written(
    tmp_path: Path,
) -> None:
    text = GOOD.replace(
        "see [the timeline](#timeline).",
        "see [May](<2025 05 02 db.md>), [the XFS outage](XFS-outage.md), [May][may] and "
        "[the XFS outage][xfs].",
    ) + ('\n[may]: <2025 05 02 db.md>\n[xfs]:  XFS-outage.md "The XFS outage"\n')
    lines = text.split("\n")
    may_at, xfs_at = lines.index("[may]: <2025 05 02 db.md>") + 1, len(lines) - 1
    found = check(tmp_path, text)
    assert [(d.code, d.location.line, d.location.column) for d in found] == [
        ("PMK019", *find_link(text, "[May](")),
        ("PMK019", *find_link(text, "[the XFS outage](")),
        ("PMK019", may_at, len("[may]: ") + 1),
        ("PMK019", xfs_at, len("[xfs]:  ") + 1),
    ]
    assert [d.message.split(":")[0] for d in found] == [
        "link to '2025 05 02 db.md' leads nowhere",
        "link to 'XFS-outage.md' leads nowhere",
    ] * 2
    others = {"2025 05 02 db.md": GOOD, "XFS-outage.md": GOOD}
    assert check(tmp_path / "ok", text, others=others) == []


def test_links_from_the_site_root_or_to_a_share_are_not_checked(tmp_path: Path) -> None:
    text = GOOD.replace(
        "see [the timeline](#timeline).",
        "see [the runbook](/runbooks/search.md), [old notes](\\\\files\\old.md) and "
        "[the timeline](#timeline).",
    )
    assert check(tmp_path, text) == []


INTERNAL = GOOD.replace("status: resolved", "status: resolved\ninternal: true")


def test_a_public_link_to_an_internal_postmortem_says_the_site_shows_only_its_text(
    tmp_path: Path,
) -> None:
    links = "see [May](2025-05-02-db.md), [the timeline](#timeline) and [June](2025-06-01-gone.md)."
    text = GOOD.replace("see [the timeline](#timeline).", links)
    others = {"2025-05-02-db.md": INTERNAL}
    found = check(tmp_path, text, others=others, public=True)
    assert [(d.code, d.location.line, d.location.column, d.message) for d in found] == [
        (
            "PMK019",
            *find_link(text, "[May]"),
            "link to '2025-05-02-db.md' leads to an internal postmortem, which a public build "
            "leaves out: the site shows the link's text only; link to a public page instead, "
            "or remove the link",
        ),
        (
            "PMK019",
            *find_link(text, "[June]"),
            "link to '2025-06-01-gone.md' leads nowhere: there is no file "
            "postmortems/2025-06-01-gone.md; fix the link, or remove it",
        ),
    ]
    # The team's own build shows every page, and one internal page may link to another.
    internal = INTERNAL.replace("see [the timeline](#timeline).", links)
    for where, linking, public in (("team", text, False), ("internal", internal, True)):
        found = check(tmp_path / where, linking, others=others, public=public)
        assert [(d.location.line, d.location.column) for d in found] == [
            find_link(linking, "[June]")
        ]
        assert "leads nowhere" in found[0].message


def test_links_that_resolve_or_are_not_to_files_pass(tmp_path: Path) -> None:
    text = GOOD.replace(
        "see [the timeline]",
        "see [May](2025-05-02-db.md), [archive](old/2024-01-01-x.md#summary), "
        "[docs](https://example.com/missing.md), `[code](missing.md)` and [the timeline]",
    )
    others = {"2025-05-02-db.md": GOOD, "old/2024-01-01-x.md": GOOD.replace("search", "x")}
    assert check(tmp_path, text, others=others) == []


def test_a_link_climbing_out_of_the_folder_is_resolved(tmp_path: Path) -> None:
    text = GOOD.replace("see [the timeline]", "see [notes](../docs/notes.md) and [the timeline]")
    assert codes(check(tmp_path, text)) == ["PMK019"]
    (tmp_path / "ok" / "docs").mkdir(parents=True)
    (tmp_path / "ok" / "docs" / "notes.md").write_text("# Notes\n")
    assert check(tmp_path / "ok", text) == []


def test_an_anchor_matching_no_heading_is_a_warning(tmp_path: Path) -> None:
    found = check(tmp_path, GOOD.replace("(#timeline)", "(#time-line)"))
    assert codes(found) == ["PMK020"]
    assert found[0].severity is Severity.WARNING


def test_anchors_follow_toc_duplicates_and_explicit_ids(tmp_path: Path) -> None:
    text = GOOD.replace(
        "see [the timeline](#timeline)",
        "see [t](#timeline), [again](#timeline_1), [why](#what-went-wrong), [x](#custom-id), "
        "[y](#raw-anchor)",
    ) + (
        "\n## What went wrong?\n\nA lot.\n\n## Timeline\n\nAgain.\n\n"
        '## Notes {#custom-id}\n\n<a id="raw-anchor"></a>Kept.\n'
    )
    assert check(tmp_path, text) == []


def test_headings_after_a_bold_label_and_long_sections_keep_their_anchors(
    tmp_path: Path,
) -> None:
    # A bold label makes a section without a heading line; an explicit id heads a long section.
    text = GOOD.replace(
        "## Summary\n", "**Impact:** search errors for everyone.\n\n## Summary\n"
    ).replace("see [the timeline](#timeline)", "see [the timeline](#timeline) and [n](#custom-id)")
    text += "\n## Notes {#custom-id}\n\nFirst paragraph.\n\nSecond paragraph.\n"
    assert check(tmp_path, text) == []


def test_a_heading_with_an_attribute_list_keeps_its_anchor(tmp_path: Path) -> None:
    text = GOOD.replace("see [the timeline](#timeline)", "see [the notes](#notes)")
    text += "\n## Notes {: .wide }\n\nKept.\n"
    assert check(tmp_path, text) == []
    assert codes(check(tmp_path / "typo", text.replace("(#notes)", "(#notes-wide)"))) == ["PMK020"]


def test_a_setext_heading_has_an_anchor_and_text_right_under_it(tmp_path: Path) -> None:
    text = GOOD.replace("see [the timeline](#timeline)", "see [the cause](#root-cause)")
    text += "\nRoot cause\n==========\nThe alias.\n"
    assert check(tmp_path, text) == []


def test_text_before_the_title_makes_no_anchor(tmp_path: Path) -> None:
    # Headings without ASCII letters are numbered _1, _2 ... as toc does; the text above the
    # title is no heading and takes no number.
    text = GOOD.replace("---\n\n# Search", "---\n\nDraft for review.\n\n# Search")
    text = text.replace("see [the timeline](#timeline)", "see [it](#_1) and [not it](#_2)")
    found = check(tmp_path, text + "\n## 再発防止策の背景\n\nSee above.\n")
    assert [(d.code, d.message.split(" matches")[0]) for d in found] == [("PMK020", "anchor '#_2'")]


def test_the_title_has_an_anchor_and_text_right_under_a_heading_is_content(
    tmp_path: Path,
) -> None:
    text = GOOD.replace("see [the timeline](#timeline)", "see [top](#search-down-for-20-minutes)")
    text = text.replace("## Timeline", "## Impact\nEvery search failed.\n\n## Timeline")
    assert check(tmp_path, text) == []


def test_an_anchor_in_another_postmortem_is_checked(tmp_path: Path) -> None:
    text = GOOD.replace("see [the timeline](#timeline)", "see [May](2025-05-02-db.md#root-cause)")
    found = check(tmp_path, text, others={"2025-05-02-db.md": GOOD})
    assert codes(found) == ["PMK020"]
    other = GOOD + "\n## Root Cause\n\nThe alias.\n"
    assert check(tmp_path / "ok", text, others={"2025-05-02-db.md": other}) == []


def test_each_broken_anchor_is_named_where_it_is_and_where_it_leads(tmp_path: Path) -> None:
    text = GOOD.replace(
        "see [the timeline](#timeline)",
        "see [db](2025-05-02-db.md), [the timeline](#timeline), [May](2025-05-02-db.md#cause) "
        "and [x](#time-line)",
    )
    found = check(tmp_path, text, others={"2025-05-02-db.md": GOOD})
    line = text.split("\n")[found[0].location.line - 1]
    assert [(d.code, d.location.column) for d in found] == [
        ("PMK020", line.index("[May]") + 1),
        ("PMK020", line.index("[x]") + 1),
    ]
    advice = ": link to a heading's anchor (lower case, punctuation dropped, spaces as '-')"
    assert [d.message for d in found] == [
        "anchor '#cause' matches no heading of '2025-05-02-db.md'" + advice,
        "anchor '#time-line' matches no heading of this postmortem" + advice,
    ]


@pytest.mark.parametrize(
    ("heading", "anchor"),
    [
        ("Timeline", "timeline"),
        ("What went wrong?", "what-went-wrong"),
        ("Root Cause — the alias", "root-cause-the-alias"),
        ("Café crème", "cafe-creme"),
        ("import_state table", "import_state-table"),
        ("タイムライン", "_1"),
    ],
)
def test_heading_anchors_are_computed_as_toc_does(heading: str, anchor: str) -> None:
    assert make_heading_anchor(heading, set()) == anchor


@pytest.mark.parametrize(
    "heading",
    ["Lessons Learnt", "5 Whys: why #1?", "Root cause (the “alias”)", "Ça a marché", "a -- b  c"],
)
def test_heading_anchors_match_python_markdown(heading: str) -> None:
    from markdown.extensions.toc import slugify  # noqa: PLC0415  (only the test needs it)

    assert make_heading_anchor(heading, set()) == slugify(heading, "-")


def test_repeated_headings_get_numbered_as_toc_does() -> None:
    taken: set[str] = set()
    headings = ("Notes", "Notes", "Notes", "日本", "Step_1", "Step_1")
    found = [make_heading_anchor(text, taken) for text in headings]
    assert found == ["notes", "notes_1", "notes_2", "_1", "step_1", "step_2"]


# Across rules.


@pytest.mark.parametrize("code", ["PMK003", "PMK010", "PMK012", "PMK016", "PMK018", "PMK019"])
def test_a_disabled_rule_reports_nothing(tmp_path: Path, code: str) -> None:
    bad = {
        "PMK003": GOOD.replace("title: Search", "title: Search: really"),
        "PMK010": GOOD.split("## Action items", maxsplit=1)[0],
        "PMK012": GOOD.replace('owners: ["@ann"]\n', "").replace("(@ann, due", "(due"),
        "PMK016": GOOD.replace("- 14:22 first alert", "- 14:50 first alert"),
        "PMK018": GOOD.replace("Search returned", "TODO: write. Search returned"),
        "PMK019": GOOD.replace("(#timeline)", "(gone.md)"),
    }[code]
    assert code in codes(check(tmp_path / "on", bad))
    assert code not in codes(check(tmp_path / "off", bad, disabled_rules=frozenset({code})))


def test_all_problems_are_reported_sorted_by_path_and_line(tmp_path: Path) -> None:
    bad = (
        GOOD.replace("status: resolved", "status: parked")
        .replace("Search returned", "TODO: write. Search returned")
        .replace("(#timeline)", "(#nowhere)")
        .replace("## Timeline", "## Impact\n\n## Timeline")
    )
    found = check(tmp_path, bad, others={"2025-01-01-older.md": bad})
    assert len(found) == 8
    assert set(codes(found)) == {"PMK011", "PMK017", "PMK018", "PMK020"}
    keys = [(d.location.path, d.location.line, d.location.column) for d in found]
    assert keys == sorted(keys)


@pytest.mark.corpus
def test_the_seed_passes_with_at_most_owner_and_due_date_warnings(tmp_path: Path) -> None:
    found = check(tmp_path, SEED.read_bytes(), name=SEED.name)
    assert all(d.severity is not Severity.ERROR for d in found), found
    assert set(codes(found)) <= {"PMK012", "PMK013"}


@pytest.mark.parametrize("scaffold", list_scaffolds(None), ids=lambda s: s.name)
def test_a_fresh_scaffold_gives_only_placeholder_warnings(tmp_path: Path, scaffold: object) -> None:
    draft = Draft(title="Cache stampede took down search", date=TODAY)
    text = render_scaffold(scaffold, draft)  # type: ignore[arg-type]
    found = check(tmp_path, text, name="2025-09-01-cache-stampede-took-down-search.md")
    assert found, "a scaffold has placeholders to fill"
    assert set(codes(found)) == {"PMK018"}
    assert all(d.severity is Severity.WARNING for d in found)
    placeholder_lines = {
        number for number, line in enumerate(text.split("\n"), start=1) if "TODO:" in line
    }
    assert {d.location.line for d in found} == placeholder_lines
