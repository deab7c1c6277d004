"""Done dates of action items: read where the postmortem writes them, and only there."""

from __future__ import annotations

import datetime as dt

from generator.models import ActionState
from generator.parse import parse_text

DOC = """# Cache stampede

## Action items

- [x] Add jitter to cache expiry (done 2026-07-02)
- [x] Rate-limit cache rebuilds
- [ ] Say when this gets done 2026-08-01
- Shard the cache, completed on Aug 3, 2026 (done)

| Action | Owner | Status | Completed |
|---|---|---|---|
| Alert on miss ratio | @ann | Done | 2026-07-15 |
| Load-test rebuilds | @bob | Done 2026-07-20 | |
| Write the runbook | @cy | Open | 2026-07-30 |
"""


def test_done_dates_are_read_from_the_item_and_a_completed_column() -> None:
    result = parse_text(DOC, source="postmortems/stampede.md")
    assert result.postmortem is not None
    items = result.postmortem.action_items

    found = [(item.state, item.done_on) for item in items]
    assert found == [
        (ActionState.DONE, dt.date(2026, 7, 2)),
        (ActionState.DONE, None),
        # An open item has no done date, whatever its text says.
        (ActionState.OPEN, None),
        (ActionState.DONE, dt.date(2026, 8, 3)),
        (ActionState.DONE, dt.date(2026, 7, 15)),
        (ActionState.DONE, dt.date(2026, 7, 20)),
        (ActionState.OPEN, None),
    ]
