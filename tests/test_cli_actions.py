"""``pmkb actions``: the open action items of the knowledge base, in the terminal."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from click.testing import Result

from generator.report import ACTION_COLUMNS
from tests.conftest import TODAY, pmkb

PAST = (TODAY - dt.timedelta(days=10)).isoformat()
FUTURE = (TODAY + dt.timedelta(days=30)).isoformat()
OLD_INCIDENT = (TODAY - dt.timedelta(days=40)).isoformat()
NEW_INCIDENT = (TODAY - dt.timedelta(days=5)).isoformat()


def postmortem(date: str, title: str, actions: str) -> str:
    return f"""\
---
title: {title}
date: {date}
---

# {title}

## Summary

Something broke.

## Action items

{actions}"""


@pytest.fixture
def kb(kb: Path) -> Path:
    """The shared knowledge base with two postmortems: open, done and placeholder items."""
    folder = kb / "postmortems"
    (folder / f"{OLD_INCIDENT}-search.md").write_text(
        postmortem(
            OLD_INCIDENT,
            "Search down",
            f"### Prevention\n\n"
            f"- [ ] Add a canary stage to the search deploy (@Ann, due {PAST}) P1\n"
            f"- [x] Restore the index alias (@bob)\n"
            f"- [ ] Page on empty search results (owner: Carol Diaz, due {FUTURE})\n",
        ),
        encoding="utf-8",
    )
    (folder / f"{NEW_INCIDENT}-cache.md").write_text(
        postmortem(
            NEW_INCIDENT,
            "Cache stampede",
            "- [ ] Add request coalescing to the cache client (@ann)\n"
            "- [ ] Write the cache runbook\n"
            "- [ ] TODO: second action item, with its owner and due date\n",
        ),
        encoding="utf-8",
    )
    return kb


def run(*args: str) -> Result:
    return pmkb("actions", *args)


def as_json(*args: str) -> list[dict[str, object]]:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    loaded = json.loads(result.stdout)
    assert isinstance(loaded, list)
    return loaded


def test_json_lists_the_open_items_oldest_incident_first(kb: Path) -> None:
    rows = as_json()
    assert [row["action"] for row in rows] == [
        f"Add a canary stage to the search deploy (@Ann, due {PAST}) P1",
        f"Page on empty search results (owner: Carol Diaz, due {FUTURE})",
        "Add request coalescing to the cache client (@ann)",
        "Write the cache runbook",
    ]
    first = rows[0]
    assert first["incident"] == f"{OLD_INCIDENT}-search"
    assert first["title"] == "Search down"
    assert first["group"] == "Prevention"
    assert first["owner"] == "@Ann"
    assert first["due"] == PAST
    assert first["overdue"] is True
    assert first["priority"] == "P1"
    assert first["age_days"] == 40
    assert first["source"] == f"postmortems/{OLD_INCIDENT}-search.md"
    assert rows[1]["overdue"] is False
    assert rows[3]["owner"] is None
    assert rows[3]["age_days"] == 5
    assert list(first) == list(ACTION_COLUMNS)


def test_placeholder_items_are_not_listed(kb: Path) -> None:
    assert not any("TODO" in str(row["action"]) for row in as_json())
    assert "TODO" not in run().stdout


@pytest.mark.parametrize("owner", ["ann", "@ann", "ANN", "@Ann"])
def test_owner_filters_case_insensitively_with_or_without_at(kb: Path, owner: str) -> None:
    rows = as_json("--owner", owner)
    assert [row["owner"] for row in rows] == ["@Ann", "@ann"]


def test_owner_matches_a_name_too(kb: Path) -> None:
    assert [row["owner"] for row in as_json("--owner", "carol diaz")] == ["Carol Diaz"]
    assert as_json("--owner", "dave") == []


def test_overdue_keeps_only_items_past_their_due_date(kb: Path) -> None:
    rows = as_json("--overdue")
    assert [row["due"] for row in rows] == [PAST]


def test_the_table_is_aligned_and_marks_overdue_items(kb: Path) -> None:
    result = run()
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["INCIDENT", "GROUP", "OWNER", "DUE", "PRIORITY", "AGE", "ACTION"]
    assert len(lines) == 5
    action_column = lines[0].index("ACTION")
    assert all(line[action_column - 2 : action_column] == "  " for line in lines[1:])
    assert lines[1][action_column:].startswith("Add a canary stage")
    assert f"{PAST} (overdue)" in lines[1]
    assert f"{FUTURE} (overdue)" not in result.stdout
    assert "40d" in lines[1]
    assert "Restore the index alias" not in result.stdout


def test_csv_has_a_header_and_a_row_per_item(kb: Path) -> None:
    result = run("--format", "csv", "--owner", "ann")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == list(ACTION_COLUMNS)
    assert [row["owner"] for row in rows] == ["@Ann", "@ann"]
    assert rows[0]["overdue"] == "true"
    assert rows[1]["due"] == ""


def test_nothing_open_says_so(kb: Path) -> None:
    result = run("--owner", "nobody")
    assert result.exit_code == 0
    assert result.stdout.strip() == "No open action items match."
    assert as_json("--owner", "nobody") == []
    assert run("--format", "csv", "--owner", "nobody").stdout.strip() == ",".join(ACTION_COLUMNS)


def test_a_broken_configuration_exits_2(kb: Path) -> None:
    (kb / "docs").mkdir()
    (kb / "mkdocs.yml").write_text("site_name: KB\nplugins:\n  - postmortems:\n      overdue: 3\n")
    result = run()
    assert result.exit_code == 2
    assert "overdue" in result.stderr
