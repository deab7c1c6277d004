"""One notion of today for every command: ``SOURCE_DATE_EPOCH`` when set, ``--today`` for check
and actions, the calendar otherwise."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import Result

from generator.clock import EPOCH_VARIABLE, ClockError, epoch_of, find_today
from generator.plugin import generate_site
from tests.conftest import TODAY
from tests.conftest import pmkb as run

POSTMORTEM = """\
---
title: Search down
date: 2025-08-12
---

# Search down

## Summary

Search returned errors.

## Action items

- [ ] Add a canary stage to the search deploy (@ann, due 2025-10-01)
"""


@pytest.fixture
def kb(kb: Path) -> Path:
    (kb / "postmortems" / "2025-08-12-search.md").write_text(POSTMORTEM, encoding="utf-8")
    return kb


@pytest.fixture
def tokyo(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The local time zone is nine hours ahead of UTC (where the date changes first)."""
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_the_suite_runs_on_its_own_day() -> None:
    assert find_today() == TODAY


@pytest.mark.parametrize(
    ("epoch", "day"),
    [
        ("0", dt.date(1970, 1, 1)),
        (" 1755043199 ", dt.date(2025, 8, 12)),  # 23:59:59 UTC: still the 12th, wherever we are
        ("1755043200", dt.date(2025, 8, 13)),
    ],
)
def test_source_date_epoch_is_a_day_in_utc(tokyo: None, epoch: str, day: dt.date) -> None:
    assert find_today({EPOCH_VARIABLE: epoch}) == day


def test_epoch_of_gives_back_the_same_day() -> None:
    assert find_today({EPOCH_VARIABLE: epoch_of(dt.date(2025, 8, 12))}) == dt.date(2025, 8, 12)


def test_without_source_date_epoch_it_is_the_calendar_day() -> None:
    before = dt.date.today()
    found = find_today({})
    assert found in (before, dt.date.today())
    assert find_today({EPOCH_VARIABLE: " "}) in (before, dt.date.today())


@pytest.mark.parametrize("epoch", ["yesterday", "1.5e9", "-", "9" * 30])
def test_a_malformed_source_date_epoch_is_refused(epoch: str) -> None:
    with pytest.raises(ClockError, match=f"{EPOCH_VARIABLE}=.* is not a time"):
        find_today({EPOCH_VARIABLE: epoch})


def test_a_malformed_source_date_epoch_exits_2_for_any_command(
    kb: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(EPOCH_VARIABLE, "last tuesday")
    for command in (["check"], ["actions"], ["new", "Cache down"], ["generate", "--out", "out"]):
        result = run(*command)
        assert result.exit_code == 2, (command, result.output)
        assert "SOURCE_DATE_EPOCH='last tuesday' is not a time" in result.stderr
        assert "Traceback" not in result.output
    assert sorted(p.name for p in (kb / "postmortems").iterdir()) == ["2025-08-12-search.md"]


def overdue_codes(result: Result) -> list[str]:
    return [line.split()[1] for line in result.stdout.splitlines() if " PMK013 " in line]


def test_check_judges_due_dates_by_today_option(kb: Path) -> None:
    assert overdue_codes(run("check", "--today", "2025-10-01")) == []
    late = run("check", "--today", "2025-10-03")
    assert overdue_codes(late) == ["PMK013"]
    assert "was due 2025-10-01 (2 days ago)" in late.stdout


def test_check_judges_due_dates_by_source_date_epoch(
    kb: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(EPOCH_VARIABLE, epoch_of(dt.date(2025, 9, 30)))
    assert overdue_codes(run("check")) == []
    monkeypatch.setenv(EPOCH_VARIABLE, epoch_of(dt.date(2025, 10, 11)))
    assert "was due 2025-10-01 (10 days ago)" in run("check").stdout
    # --today wins over the environment.
    assert overdue_codes(run("check", "--today", "2025-09-30")) == []


def test_actions_ages_and_overdue_follow_today(kb: Path) -> None:
    [early] = json.loads(run("actions", "--format", "json", "--today", "2025-09-01").stdout)
    assert (early["overdue"], early["age_days"]) == (False, 20)
    [late] = json.loads(run("actions", "--format", "json", "--today", "2025-10-02").stdout)
    assert (late["overdue"], late["age_days"]) == (True, 51)
    assert run("actions", "--overdue", "--today", "2025-09-01").stdout.startswith("No open")


def test_a_bad_today_option_is_a_usage_error(kb: Path) -> None:
    result = run("check", "--today", "2025-13-01")
    assert result.exit_code == 2
    assert "'2025-13-01' is not a date" in result.stderr


def test_a_future_date_is_judged_by_today(kb: Path) -> None:
    assert " PMK015 " not in run("check", "--today", "2025-08-12").stdout
    future = run("check", "--today", "2025-08-11")
    assert "PMK015 error date 2025-08-12 lies in the future (today is 2025-08-11)" in future.stdout
    assert future.exit_code == 1


def test_the_generated_site_is_as_of_source_date_epoch(
    kb: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for day, overdue in ((dt.date(2025, 9, 1), False), (dt.date(2025, 10, 2), True)):
        monkeypatch.setenv(EPOCH_VARIABLE, epoch_of(day))
        generate_site(kb / day.isoformat(), folder=kb)
        page = (kb / day.isoformat() / "actions.md").read_text(encoding="utf-8")
        assert f"(as of {day.isoformat()})" in page
        assert ('data-overdue="true"' in page) is overdue
