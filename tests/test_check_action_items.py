"""The action-item rules of ``pmkb check``: PMK012 (an owner) and PMK013 (not overdue).

What an author reads: which item, on which line, and what to do about it in the form the item
is written in (a bullet is ticked, a table row has cells to fill in).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.errors import Diagnostic
from tests.test_checks import check, codes

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
