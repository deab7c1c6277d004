"""Rules on action items: an open item names its owner and is not past its due date."""

from __future__ import annotations

from collections.abc import Iterator

from generator.checks.diagnostics import report_problem, shorten_text
from generator.checks.placeholders import has_placeholder
from generator.checks.scope import Scope
from generator.errors import Diagnostic, Severity
from generator.markup import plain_text
from generator.models import ActionItem, Postmortem

OWNERLESS_LISTED = 1
"""Up to this many open action items without owner are reported one by one; more are reported
once, at the first of them."""
OWNERLESS_LINES = 5
"""How many more lines a grouped report of items without owner lists."""


def check_action_owners(postmortem: Postmortem, scope: Scope) -> Iterator[Diagnostic]:
    """PMK012: an open action item names its owner.

    An owner is an ``@handle``, ``owner: Name``, or an Owner column of an action-item table;
    without one, the postmortem's ``owners:`` (who owns the follow-up) own its items. Done
    items and items whose text or owner is a placeholder are not checked. More than
    :data:`OWNERLESS_LISTED` items without owner are reported once, at the first, so that a
    postmortem written without owners gets one warning rather than a wall of them.
    """
    del scope
    if any(not has_placeholder(owner) for owner in postmortem.owners):
        return
    missing = [
        item
        for item in postmortem.open_action_items
        # An Owner cell left as the template's placeholder has an owner text: PMK018 reports
        # that cell on its line, and docs/rules.md promises one report per placeholder line.
        if not item.owner and not has_placeholder(item.text)
    ]
    if len(missing) <= OWNERLESS_LISTED:
        for item in missing:
            where = "fill in its Owner cell" if item.fields else "add `@handle` or `owner: Name`"
            yield report_problem(
                postmortem,
                item.line,
                "PMK012",
                f"open action item '{_shorten_item(item)}' has no owner: {where}, or name who "
                "follows up in `owners:` in the front matter",
            )
        return
    others = [str(item.line) for item in missing[1:]]
    lines = ", ".join(others[:OWNERLESS_LINES]) + (", …" if len(others) > OWNERLESS_LINES else "")
    yield report_problem(
        postmortem,
        missing[0].line,
        "PMK012",
        f"{len(missing)} open action items have no owner (this one and "
        f"line{'s' if len(others) > 1 else ''} {lines}): give each an `@handle` or "
        "`owner: Name`, or name who follows them up in `owners:` in the front matter",
    )


def check_overdue_actions(postmortem: Postmortem, scope: Scope) -> Iterator[Diagnostic]:
    """PMK013: an open action item is not past its due date.

    A warning, or an error with ``overdue: error`` in mkdocs.yml.
    """
    severity = Severity.ERROR if scope.settings.overdue_is_error else Severity.WARNING
    for item in postmortem.open_action_items:
        if item.due is None or item.due >= scope.today or has_placeholder(item.text):
            continue
        days = (scope.today - item.due).days
        done = "mark it done in its status column" if item.fields else "tick it (`- [x]`)"
        yield report_problem(
            postmortem,
            item.line,
            "PMK013",
            f"open action item '{_shorten_item(item)}' was due {item.due.isoformat()} "
            f"({days} day{'s' if days != 1 else ''} ago): finish it and {done}, or agree on a "
            "new due date",
            severity=severity,
        )


def _shorten_item(item: ActionItem) -> str:
    return shorten_text(plain_text(item.text.strip().split("\n", 1)[0]))
