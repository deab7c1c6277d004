"""The action-item rules of ``pmkb check``: PMK012 (an owner) and PMK013 (not overdue).

What an author reads: which item, on which line, and what to do about it in the form the item
is written in (a bullet is ticked, a table row has cells to fill in).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.errors import Diagnostic, Severity
from tests.checking import GOOD, check, codes, only

# A postmortem without `owners:`, so that every open item needs an owner of its own.
HEAD = """\
---
title: Search down for 20 minutes
date: 2025-08-12
status: resolved
---

# Search down for 20 minutes

## Summary

Search returned errors for 20 minutes after the 4.2 deploy.

## Timeline

- 14:02 deploy of search 4.2 starts

## Action items

"""

OWNERLESS_TAIL = ", or name who follows up in `owners:` in the front matter"
GROUPED_TAIL = (
    ": give each an `@handle` or `owner: Name`, or name who follows them up in `owners:` "
    "in the front matter"
)


def line_of(text: str, line: str) -> int:
    return text.split("\n").index(line) + 1


def found(diagnostics: list[Diagnostic]) -> list[tuple[str, int, str]]:
    return [(d.code, d.location.line, d.message) for d in diagnostics]


# PMK012: owners.


@pytest.mark.parametrize(
    ("items", "where"),
    [
        (
            "- [x] Restore the index alias (@bob)\n- [ ] Add a canary stage to the deploy\n",
            "add `@handle` or `owner: Name`",
        ),
        (
            "| Action | Owner | Status |\n|---|---|---|\n"
            "| Restore the index alias | @bob | open |\n"
            "| Add a canary stage to the deploy | | open |\n",
            "fill in its Owner cell",
        ),
    ],
    ids=["bullet", "table"],
)
def test_an_item_without_owner_says_how_to_name_one_in_its_own_form(
    tmp_path: Path, items: str, where: str
) -> None:
    text = HEAD + items
    line = next(n for n, row in enumerate(text.split("\n"), 1) if "canary" in row)
    assert found(check(tmp_path, text)) == [
        (
            "PMK012",
            line,
            f"open action item 'Add a canary stage to the deploy' has no owner: {where}"
            + OWNERLESS_TAIL,
        )
    ]


def test_an_owner_cell_left_as_a_placeholder_is_reported_once_as_a_placeholder(
    tmp_path: Path,
) -> None:
    # The row's placeholder is PMK018's to report; PMK012 on the same line would say it twice.
    text = HEAD + (
        "| Action | Owner | Status |\n|---|---|---|\n"
        "| Add a canary stage to the deploy | TODO: who | open |\n"
        "| Restore the index alias | @bob | open |\n"
    )
    row = line_of(text, "| Add a canary stage to the deploy | TODO: who | open |")
    assert [(d.code, d.location.line) for d in check(tmp_path, text)] == [("PMK018", row)]


@pytest.mark.parametrize(
    ("count", "listed"),
    [
        (2, "line 20"),
        (3, "lines 20, 21"),
        (6, "lines 20, 21, 22, 23, 24"),
        (7, "lines 20, 21, 22, 23, 24, …"),
    ],
)
def test_items_without_owner_are_reported_at_the_first_with_up_to_five_more_lines(
    tmp_path: Path, count: int, listed: str
) -> None:
    text = HEAD + "".join(f"- [ ] Improve thing number {n}\n" for n in range(1, count + 1))
    assert line_of(text, "- [ ] Improve thing number 1") == 19
    assert found(check(tmp_path, text)) == [
        (
            "PMK012",
            19,
            f"{count} open action items have no owner (this one and {listed})" + GROUPED_TAIL,
        )
    ]


# PMK013: due dates.


@pytest.mark.parametrize(
    ("items", "overdue", "done"),
    [
        (
            "- [ ] Add a canary stage to the deploy (@ann, due 2025-10-01)\n"
            "- [ ] Restore the index alias (@bob, due 2025-09-02)\n",
            "'Restore the index alias (@bob, due 2025-09-02)' was due 2025-09-02 (29 days ago)",
            "tick it (`- [x]`)",
        ),
        (
            "| Action | Owner | Due | Status |\n|---|---|---|---|\n"
            "| Add a canary stage to the deploy | @ann | 2025-10-01 | open |\n"
            "| Restore the index alias | @bob | 2025-09-02 | open |\n",
            "'Restore the index alias' was due 2025-09-02 (29 days ago)",
            "mark it done in its status column",
        ),
    ],
    ids=["bullet", "table"],
)
def test_an_overdue_item_says_how_to_mark_it_done_in_its_own_form(
    tmp_path: Path, items: str, overdue: str, done: str
) -> None:
    # The first item is due today: not overdue, and the one after it is still checked.
    text = HEAD + items
    line = next(n for n, row in enumerate(text.split("\n"), 1) if "Restore" in row)
    assert found(check(tmp_path, text, today=dt.date(2025, 10, 1))) == [
        (
            "PMK013",
            line,
            f"open action item {overdue}: finish it and {done}, or agree on a new due date",
        )
    ]


def test_an_item_due_yesterday_was_due_one_day_ago(tmp_path: Path) -> None:
    text = HEAD + "- [ ] Add a canary stage to the deploy (@ann, due 2025-09-30)\n"
    assert codes(diagnostics := check(tmp_path, text, today=dt.date(2025, 10, 1))) == ["PMK013"]
    assert "was due 2025-09-30 (1 day ago): finish it" in diagnostics[0].message


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
