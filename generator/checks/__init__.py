"""Checks: the rules ``pmkb check`` runs over a catalog, and the diagnostics they give.

Every rule is a small function from one postmortem (and the :class:`Scope` of the run: the
catalog, the settings, the day) to diagnostics, registered once in :data:`RULES` with its code,
severity and summary; ``docs/rules.md`` and ``pmkb check --help`` are checked against that table.
Problems found while reading files (the parser's PMK001-PMK005) and while assembling the catalog
(PMK090) are listed there too and passed through, so that one run reports everything at once and
every code can be turned off the same way (``disabled_rules`` in mkdocs.yml).

Like towncrier's ``check``, the rules never stop at the first problem and never raise on odd
input; they read the models only (nothing here re-reads or re-parses a postmortem), except that
links are resolved against the file system, since a link may name any file.

Placeholders are the scaffolds' convention: a line with ``TODO:`` (or a Jinja ``{{ ... }}``
left over) is reported once as unfilled, and the other rules leave it alone, so that a fresh
scaffold gives nothing but placeholder warnings.

The package, by concept: :mod:`~generator.checks.scope` (what a rule may know),
:mod:`~generator.checks.source` (prose lines outside code, heading lines),
:mod:`~generator.checks.diagnostics` (wording a diagnostic), and the families of rules:
:mod:`~generator.checks.structure` (PMK010, PMK011, PMK017), :mod:`~generator.checks.actions`
(PMK012, PMK013), :mod:`~generator.checks.dates` (PMK014-PMK016),
:mod:`~generator.checks.placeholders` (PMK018), :mod:`~generator.checks.links` (PMK019) and
:mod:`~generator.checks.anchors` (PMK020).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from generator.catalog import Catalog
from generator.checks.actions import (
    OWNERLESS_LINES,
    OWNERLESS_LISTED,
    check_action_owners,
    check_overdue_actions,
)
from generator.checks.anchors import check_anchors, collect_anchors, make_heading_anchor
from generator.checks.dates import check_date_format, check_future_dates, check_timeline_order
from generator.checks.links import check_links
from generator.checks.placeholders import check_placeholders, has_placeholder
from generator.checks.scope import Scope
from generator.checks.structure import check_empty_sections, check_required_sections, check_status
from generator.errors import Diagnostic, Severity
from generator.models import Postmortem
from generator.settings import Settings

__all__ = [
    "OWNERLESS_LINES",
    "OWNERLESS_LISTED",
    "RULES",
    "SEVERITIES",
    "Rule",
    "RuleCheck",
    "Scope",
    "check_action_owners",
    "check_anchors",
    "check_date_format",
    "check_empty_sections",
    "check_future_dates",
    "check_links",
    "check_overdue_actions",
    "check_placeholders",
    "check_required_sections",
    "check_status",
    "check_timeline_order",
    "collect_anchors",
    "find_unknown_codes",
    "has_placeholder",
    "make_heading_anchor",
    "rank_diagnostic",
    "run_checks",
]

RuleCheck = Callable[[Postmortem, Scope], Iterator[Diagnostic]]
"""A rule's function: the diagnostics of one postmortem."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    """One rule of ``pmkb check``."""

    code: str
    """The stable code (``PMK012``): what diagnostics carry and ``disabled_rules`` names."""
    severity: Severity
    """How bad its diagnostics usually are (the parser's and the overdue rule's may differ)."""
    summary: str
    """What the rule finds, in a few words (``pmkb check --help``, the heading in rules.md)."""
    check: RuleCheck | None
    """The function, or None for problems reported while reading the files."""


def run_checks(catalog: Catalog, settings: Settings, *, today: dt.date) -> list[Diagnostic]:
    """Return every problem of every postmortem of the catalog, sorted by path, line and column.

    Includes the catalog's own diagnostics (unreadable files, duplicate ids); leaves out the
    codes of ``settings.disabled_rules``.
    """
    files: dict[Path, Postmortem] = {}
    for postmortem in catalog.postmortems:
        files.setdefault(settings.locate(postmortem.source).resolve(), postmortem)
    scope = Scope(catalog=catalog, settings=settings, today=today, files=MappingProxyType(files))
    disabled = settings.disabled_rules
    found = [d for d in catalog.diagnostics if d.code not in disabled]
    for rule in RULES:
        if rule.check is None or rule.code in disabled:
            continue
        for postmortem in catalog.postmortems:
            found.extend(rule.check(postmortem, scope))
    found.sort(key=rank_diagnostic)
    return found


def rank_diagnostic(diagnostic: Diagnostic) -> tuple[str, int, int, str]:
    """Return the order diagnostics are printed in: path, line, column, code."""
    location = diagnostic.location
    return (location.path, location.line, location.column, diagnostic.code)


def find_unknown_codes(codes: Iterable[str]) -> list[str]:
    """Return the codes that name no rule (a typo in ``disabled_rules``), sorted."""
    known = {rule.code for rule in RULES}
    return sorted(code for code in codes if code not in known)


RULES: tuple[Rule, ...] = (
    Rule(code="PMK001", severity=Severity.ERROR, summary="file cannot be read", check=None),
    Rule(code="PMK002", severity=Severity.WARNING, summary="file is not UTF-8", check=None),
    Rule(
        code="PMK003",
        severity=Severity.ERROR,
        summary="front matter cannot be read",
        check=None,
    ),
    Rule(code="PMK004", severity=Severity.ERROR, summary="postmortem is empty", check=None),
    Rule(code="PMK005", severity=Severity.ERROR, summary="visibility in doubt", check=None),
    Rule(
        code="PMK010",
        severity=Severity.ERROR,
        summary="required section missing",
        check=check_required_sections,
    ),
    Rule(
        code="PMK011",
        severity=Severity.WARNING,
        summary="empty section",
        check=check_empty_sections,
    ),
    Rule(
        code="PMK012",
        severity=Severity.WARNING,
        summary="open action item without owner",
        check=check_action_owners,
    ),
    Rule(
        code="PMK013",
        severity=Severity.WARNING,
        summary="open action item past its due date",
        check=check_overdue_actions,
    ),
    Rule(
        code="PMK014",
        severity=Severity.ERROR,
        summary="date is not a date",
        check=check_date_format,
    ),
    Rule(
        code="PMK015",
        severity=Severity.ERROR,
        summary="date in the future",
        check=check_future_dates,
    ),
    Rule(
        code="PMK016",
        severity=Severity.WARNING,
        summary="timeline out of order",
        check=check_timeline_order,
    ),
    Rule(
        code="PMK017",
        severity=Severity.WARNING,
        summary="status outside the vocabulary",
        check=check_status,
    ),
    Rule(
        code="PMK018",
        severity=Severity.WARNING,
        summary="unfilled template placeholder",
        check=check_placeholders,
    ),
    Rule(
        code="PMK019",
        severity=Severity.ERROR,
        summary="link to a postmortem that does not exist",
        check=check_links,
    ),
    Rule(
        code="PMK020",
        severity=Severity.WARNING,
        summary="anchor that leads nowhere",
        check=check_anchors,
    ),
    Rule(code="PMK090", severity=Severity.ERROR, summary="duplicate id", check=None),
)
"""Every rule of ``pmkb check``, in code order."""

SEVERITIES = MappingProxyType({rule.code: rule.severity for rule in RULES})
"""Each code's severity, as the table gives it (what a rule's diagnostics carry by default)."""
