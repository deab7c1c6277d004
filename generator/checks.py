"""Checks: the rules ``pmkb check`` runs over a catalog, and the diagnostics they give.

Every rule is a small function from one postmortem (and the :class:`Scope` of the run: the
catalog, the settings, the day) to diagnostics, registered once in :data:`RULES` with its code,
severity and summary; ``docs/rules.md`` and ``pmkb check --help`` are checked against that table.
Problems found while reading files (the parser's PMK001-PMK004) and while assembling the catalog
(PMK090) are listed there too and passed through, so that one run reports everything at once and
every code can be turned off the same way (``disabled_rules`` in mkdocs.yml).

Like towncrier's ``check``, the rules never stop at the first problem and never raise on odd
input; they read the models only (nothing here re-reads or re-parses a postmortem), except that
links are resolved against the file system, since a link may name any file.

Placeholders are the scaffolds' convention: a line with ``TODO:`` (or a Jinja ``{{ ... }}``
left over) is reported once as unfilled, and the other rules leave it alone, so that a fresh
scaffold gives nothing but placeholder warnings.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from urllib.parse import unquote

from generator.catalog import Catalog
from generator.errors import Diagnostic, Location, Severity
from generator.markup import plain_text
from generator.models import (
    ActionItem,
    Field,
    Postmortem,
    Section,
    SectionKind,
    Status,
    TimelineEvent,
)
from generator.parse.times import parse_date
from generator.settings import Settings

_PLACEHOLDER = re.compile(r"(?<![A-Za-z0-9_])TODO:|(?<!\$)\{\{.*?\}\}|\{%.*?%\}")
_FENCE = re.compile(r"^\s*(?P<fence>`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`)")
_ATX = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")
_SETEXT = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")
_HEADING_ID = re.compile(r"\{:?[^}]*?#(?P<id>[\w-]+)[^}]*\}\s*#*\s*$")
_ATTR_LIST = re.compile(r"\s*\{:?[^}]*\}\s*$")
_HTML_ID = re.compile(r"<a\s[^>]*?\b(?:id|name)\s*=\s*[\"']?(?P<id>[^\"'\s>]+)", re.IGNORECASE)
_INLINE_LINK = re.compile(
    r"(?<![!\\])\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*(?P<target><[^>\n]*>|[^\s()]+(?:\([^\s()]*\))?)"
    r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)"
)
_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*(?P<target><[^>\n]*>|\S+)")
_NUMBERED_ANCHOR = re.compile(r"^(.*)_([0-9]+)$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_POSTMORTEM_SUFFIXES = (".md", ".markdown")
_SNIPPET = 60

OWNERLESS_LISTED = 1
"""Up to this many open action items without owner are reported one by one; more are reported
once, at the first of them."""
OWNERLESS_LINES = 5
"""How many more lines a grouped report of items without owner lists."""


@dataclass(frozen=True, slots=True, kw_only=True)
class _Link:
    """A link of a postmortem to a Markdown file or to an anchor."""

    line: int
    """Source line of the link."""
    column: int
    """Column where the link (or the link definition's target) starts."""
    path: str
    """The file part of the target, as written (empty for a link within the page)."""
    fragment: str
    """The anchor, decoded (empty when there is none)."""
    resolved: Path | None
    """The file a link to a Markdown file names; None for other links."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Scope:
    """What a rule may know besides the postmortem it checks: the whole run."""

    catalog: Catalog
    """Every postmortem checked in this run."""
    settings: Settings
    """The knowledge base's settings (required sections, overdue policy ...)."""
    today: dt.date
    """The day the check runs, for due dates and dates in the future."""
    files: Mapping[Path, Postmortem] = field(default_factory=lambda: MappingProxyType({}))
    """The catalog's postmortems by resolved file path, for links between them."""
    _prose: dict[str, tuple[tuple[int, str], ...]] = field(default_factory=dict, repr=False)
    _links: dict[str, tuple[_Link, ...]] = field(default_factory=dict, repr=False)
    _anchors: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)

    def prose_lines(self, postmortem: Postmortem) -> tuple[tuple[int, str], ...]:
        """Return a postmortem's lines outside code (see :func:`_read_prose_lines`), read once."""
        found = self._prose.get(postmortem.source)
        if found is None:
            found = self._prose[postmortem.source] = tuple(_read_prose_lines(postmortem))
        return found

    def links(self, postmortem: Postmortem) -> tuple[_Link, ...]:
        """Return a postmortem's links that stay in the knowledge base, found once."""
        found = self._links.get(postmortem.source)
        if found is None:
            found = self._links[postmortem.source] = tuple(_find_links(postmortem, self))
        return found

    def anchors(self, postmortem: Postmortem) -> frozenset[str]:
        """Return the anchors of a postmortem's page (see :func:`collect_anchors`), found once."""
        found = self._anchors.get(postmortem.source)
        if found is None:
            found = collect_anchors(postmortem, self.prose_lines(postmortem))
            self._anchors[postmortem.source] = found
        return found


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


def has_placeholder(text: str | None) -> bool:
    """Return whether text still holds a template placeholder (``TODO:`` or ``{{ ... }}``).

    Not the parser's ``is_placeholder``, which finds text that says nothing (``TBD``, ``-``).
    """
    return bool(text) and _PLACEHOLDER.search(text or "") is not None


def make_heading_anchor(text: str, taken: set[str]) -> str:
    """Return the anchor Python-Markdown's ``toc`` gives a heading, and mark it taken.

    Lower case, accents folded to ASCII, punctuation dropped, spaces and hyphens joined into one
    ``-``; a repeated (or empty) anchor gets ``_1``, ``_2`` ... as toc's ``unique`` does.
    """
    value = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^\w\s-]", "", value).strip().lower()
    anchor = re.sub(r"[-\s]+", "-", value)
    if anchor in taken or not anchor:
        numbered = _NUMBERED_ANCHOR.match(anchor)
        base, number = (numbered[1], int(numbered[2])) if numbered else (anchor, 0)
        while True:
            number += 1
            candidate = f"{base}_{number}"
            if candidate not in taken:
                break
        anchor = candidate
    taken.add(anchor)
    return anchor


def _report(
    postmortem: Postmortem,
    line: int,
    code: str,
    message: str,
    *,
    column: int = 1,
    severity: Severity | None = None,
) -> Diagnostic:
    return Diagnostic(
        location=Location(path=postmortem.source, line=line, column=column),
        code=code,
        severity=severity or _SEVERITIES[code],
        message=message,
    )


def _shorten(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _SNIPPET else flat[: _SNIPPET - 1].rstrip() + "…"


def _count_heading_lines(section: Section) -> int:
    """Return how many lines a section's heading takes (0 for a bold label or untitled text)."""
    lines = section.markdown.split("\n")
    if section.level == 0 or not lines:
        return 0
    if _ATX.match(lines[0]):
        return 1
    if len(lines) > 1 and lines[0].strip() and _SETEXT.match(lines[1]):
        return 2
    return 0


def _read_prose_lines(postmortem: Postmortem) -> Iterator[tuple[int, str]]:
    """Yield (line, text) for the body's lines outside fenced code, code spans blanked out.

    Blanking keeps columns right; sections never split a fence, so each is read on its own.
    """
    for section in postmortem.sections:
        fence: str | None = None
        for offset, raw in enumerate(section.markdown.split("\n")):
            opener = _FENCE.match(raw)
            if fence is not None:
                if opener and opener["fence"][0] == fence[0] and len(opener["fence"]) >= len(fence):
                    fence = None
                continue
            if opener:
                fence = opener["fence"]
                continue
            text = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), raw) if "`" in raw else raw
            yield section.line + offset, text


# Rules, in code order. Each docstring is the rule's reference; docs/rules.md adds examples.


def check_required_sections(postmortem: Postmortem, scope: Scope) -> Iterator[Diagnostic]:
    """PMK010: every section kind of ``required_sections`` is present.

    A section is there when a heading (or a bold label) names its kind in any wording the
    vocabulary knows: ``## Action Items``, ``## Preventive Measures`` and ``## 再発防止策`` all
    make an ``action_items`` section.
    """
    kinds = {str(section.kind) for section in postmortem.sections}
    for required in scope.settings.required_sections:
        if required in kinds:
            continue
        name = required.replace("_", " ").capitalize()
        yield _report(
            postmortem,
            1,
            "PMK010",
            f"there is no {name} section: add one (`## {name}`), or drop '{required}' from "
            "required_sections in mkdocs.yml if your postmortems need none",
        )


def check_empty_sections(postmortem: Postmortem, scope: Scope) -> Iterator[Diagnostic]:
    """PMK011: a heading has something under it: text, or subsections.

    A heading that carries its value (``## Date: 2025-08-12``) is not empty, and neither is a
    section holding only a placeholder (that one is reported as a placeholder).
    """
    del scope
    field_lines = {f.line for f in postmortem.fields if not f.front_matter}
    sections = postmortem.sections
    for index, section in enumerate(sections):
        heading_lines = _count_heading_lines(section)
        if heading_lines == 0 or section.line in field_lines:
            continue
        content = section.markdown.split("\n")[heading_lines:]
        if any(line.strip() for line in content):
            continue
        following = sections[index + 1] if index + 1 < len(sections) else None
        if following is not None and following.level > section.level:
            continue
        yield _report(
            postmortem,
            section.line,
            "PMK011",
            f"the section '{_shorten(section.heading)}' is empty: write what belongs there, "
            "or delete the heading if it does not apply",
        )


def check_action_owners(postmortem: Postmortem, scope: Scope) -> Iterator[Diagnostic]:
    """PMK012: an open action item names its owner.

    An owner is an ``@handle``, ``owner: Name``, or an Owner column of an action-item table;
    without one, the postmortem's ``owners:`` (who owns the follow-up) own its items. Done
    items and placeholder items are not checked. More than :data:`OWNERLESS_LISTED` items
    without owner are reported once, at the first, so that a postmortem written without
    owners gets one warning rather than a wall of them.
    """
    del scope
    if any(not has_placeholder(owner) for owner in postmortem.owners):
        return
    missing = [
        item
        for item in postmortem.open_action_items
        if not (item.owner and not has_placeholder(item.owner)) and not has_placeholder(item.text)
    ]
    if len(missing) <= OWNERLESS_LISTED:
        for item in missing:
            where = "fill in its Owner cell" if item.fields else "add `@handle` or `owner: Name`"
            yield _report(
                postmortem,
                item.line,
                "PMK012",
                f"open action item '{_shorten_item(item)}' has no owner: {where}, or name who "
                "follows up in `owners:` in the front matter",
            )
        return
    others = [str(item.line) for item in missing[1:]]
    lines = ", ".join(others[:OWNERLESS_LINES]) + (", …" if len(others) > OWNERLESS_LINES else "")
    yield _report(
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
        yield _report(
            postmortem,
            item.line,
            "PMK013",
            f"open action item '{_shorten_item(item)}' was due {item.due.isoformat()} "
            f"({days} day{'s' if days != 1 else ''} ago): finish it and {done}, or agree on a "
            "new due date",
            severity=severity,
        )


def check_date_format(postmortem: Postmortem, scope: Scope) -> Iterator[Diagnostic]:
    """PMK014: every ``date`` field (front matter or body) holds a date pmkb can read."""
    del scope
    for date_field in _find_date_fields(postmortem):
        if parse_date(date_field.value) is None:
            yield _report(
                postmortem,
                date_field.line,
                "PMK014",
                f"date '{_shorten(date_field.value)}' is not a date pmkb can read: write "
                "the day of the incident as YYYY-MM-DD",
            )


def check_future_dates(postmortem: Postmortem, scope: Scope) -> Iterator[Diagnostic]:
    """PMK015: no ``date`` field lies in the future.

    Without a date field, neither may the incident's date as read from the title or the file
    name.
    """
    date_fields = _find_date_fields(postmortem)
    for date_field in date_fields:
        found = parse_date(date_field.value)
        if found is not None and found > scope.today:
            yield _report_future(postmortem, date_field.line, found, scope.today)
    if not date_fields and postmortem.date is not None and postmortem.date > scope.today:
        yield _report_future(postmortem, 1, postmortem.date, scope.today)


def _find_date_fields(postmortem: Postmortem) -> list[Field]:
    return [f for f in postmortem.fields if f.name == "date" and not has_placeholder(f.value)]


def _report_future(postmortem: Postmortem, line: int, date: dt.date, today: dt.date) -> Diagnostic:
    return _report(
        postmortem,
        line,
        "PMK015",
        f"date {date.isoformat()} lies in the future (today is {today.isoformat()}): "
        "fix the year, month or day",
    )


def check_timeline_order(postmortem: Postmortem, scope: Scope) -> Iterator[Diagnostic]:
    """PMK016: the events of a timeline whose times are known follow one another in time.

    Each timeline section is read on its own (with its subsections): a list of key events in
    the summary may well repeat times that the detailed timeline gives later. Only comparable
    times are compared (both with a time zone, or both without). Midnight is the parser's
    business: a time without a date well before the one above it is read as the next day.
    """
    del scope
    for events in _group_timelines(postmortem):
        previous: TimelineEvent | None = None
        previous_at: dt.datetime | None = None
        for event in events:
            at = event.at
            if at is None:
                continue
            if previous is not None and previous_at is not None:
                if (at.tzinfo is None) != (previous_at.tzinfo is None):
                    continue
                if at < previous_at:
                    yield _report(
                        postmortem,
                        event.line,
                        "PMK016",
                        f"this event ({event.time}) is earlier than the one above it on line "
                        f"{previous.line} ({previous.time}): put the timeline in order, or fix "
                        "this time or its date",
                    )
            previous, previous_at = event, at


def _group_timelines(postmortem: Postmortem) -> list[list[TimelineEvent]]:
    """Return the events of each timeline section (subsections included), in order."""
    spans: list[tuple[int, int]] = []
    root_level: int | None = None
    for section in postmortem.sections:
        if section.kind is not SectionKind.TIMELINE:
            root_level = None
        elif root_level is not None and section.level > root_level:
            spans[-1] = (spans[-1][0], section.end_line)
        else:
            spans.append((section.line, section.end_line))
            root_level = section.level
    groups: list[list[TimelineEvent]] = [[] for _ in spans]
    for event in postmortem.timeline:
        for index, (first, last) in enumerate(spans):
            if first <= event.line <= last:
                groups[index].append(event)
                break
    return groups


def check_status(postmortem: Postmortem, scope: Scope) -> Iterator[Diagnostic]:
    """PMK017: the status is one pmkb knows.

    Draft, in review, open, monitoring, resolved or closed, or a word for one of them
    (``fixed``, ``complete``, ``investigating`` ...).
    """
    del scope
    if postmortem.status is not Status.UNKNOWN or not postmortem.status_text:
        return
    if has_placeholder(postmortem.status_text):
        return
    status_field = postmortem.find_field("status")
    yield _report(
        postmortem,
        status_field.line if status_field else 1,
        "PMK017",
        f"status '{_shorten(postmortem.status_text)}' is not one pmkb knows: start it with "
        "draft, in review, open, monitoring, resolved or closed",
    )


def check_placeholders(postmortem: Postmortem, scope: Scope) -> Iterator[Diagnostic]:
    """PMK018: no template placeholder is left.

    A placeholder is a ``TODO:`` or a Jinja ``{{ ... }}`` outside code, in the body or in a
    front matter value; one per line is reported.
    """
    for meta in postmortem.fields:
        if meta.front_matter and has_placeholder(meta.value):
            yield _report_placeholder(postmortem, meta.line, 1, f"{meta.name}: {meta.value}")
    for line, text in scope.prose_lines(postmortem):
        match = _PLACEHOLDER.search(text)
        if match is not None:
            rest = text[match.start() :]
            if text.lstrip().startswith("|"):
                rest = rest.split("|", 1)[0].strip()  # one table cell, not the whole row
            yield _report_placeholder(postmortem, line, match.start() + 1, rest)


def _report_placeholder(postmortem: Postmortem, line: int, column: int, text: str) -> Diagnostic:
    return _report(
        postmortem,
        line,
        "PMK018",
        f"unfilled placeholder '{_shorten(text)}': write this part (and remove the TODO), "
        "or delete it if it does not apply",
        column=column,
    )


def _find_links(postmortem: Postmortem, scope: Scope) -> Iterator[_Link]:
    """Yield the links of a postmortem to a Markdown file or to an anchor of its own page."""
    here = scope.settings.locate(postmortem.source).parent
    for line, text in scope.prose_lines(postmortem):
        for column, target in _find_link_targets(text):
            path, _, fragment = target.partition("#")
            path = path.split("?", 1)[0]
            if not path:
                if fragment:
                    yield _Link(
                        line=line, column=column, path="", fragment=unquote(fragment), resolved=None
                    )
                continue
            if path.lower().endswith(_POSTMORTEM_SUFFIXES):
                yield _Link(
                    line=line,
                    column=column,
                    path=path,
                    fragment=unquote(fragment),
                    resolved=(here / unquote(path)).resolve(),
                )


def check_links(postmortem: Postmortem, scope: Scope) -> Iterator[Diagnostic]:
    """PMK019: a relative link to a Markdown file (another postmortem) leads to a file.

    The file is looked for next to the postmortem, as the link says; links in code are not
    links, and links with a scheme (``https:``) or from the site's root (``/``) are not checked.
    """
    for link in scope.links(postmortem):
        if link.resolved is None or link.resolved in scope.files or link.resolved.is_file():
            continue
        yield _report(
            postmortem,
            link.line,
            "PMK019",
            f"link to '{_shorten(link.path)}' leads nowhere: there is no file "
            f"{_show_target(postmortem.source, link.path)}; fix the link, or remove it",
            column=link.column,
        )


def _show_target(source: str, path: str) -> str:
    """Return a link's target as diagnostics name files: from where the source is named."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), unquote(path)))


def check_anchors(postmortem: Postmortem, scope: Scope) -> Iterator[Diagnostic]:
    """PMK020: a link's ``#anchor`` leads to a heading.

    The heading is looked for in this postmortem, or in the other postmortem the link leads to
    when that one is checked in the same run.

    Anchors are computed as Python-Markdown's ``toc`` does; an explicit ``{#id}`` on a heading
    and ``<a id="...">`` count too.
    """
    for link in scope.links(postmortem):
        if not link.fragment:
            continue
        target = postmortem if link.resolved is None else scope.files.get(link.resolved)
        if target is None or link.fragment in scope.anchors(target):
            continue
        where = "this postmortem" if link.resolved is None else f"'{_shorten(link.path)}'"
        yield _report(
            postmortem,
            link.line,
            "PMK020",
            f"anchor '#{_shorten(link.fragment)}' matches no heading of {where}: link to a "
            "heading's anchor (lower case, punctuation dropped, spaces as '-')",
            column=link.column,
        )


def _find_link_targets(text: str) -> Iterator[tuple[int, str]]:
    """Yield (column, target) of the inline links and link definitions of a line."""
    if "](" not in text and "]:" not in text:
        return
    definition = _LINK_DEFINITION.match(text)
    if definition is not None:
        yield definition.start("target") + 1, definition["target"].strip("<>")
        return
    for match in _INLINE_LINK.finditer(text):
        target = match["target"].strip("<>").strip()
        if target and not _SCHEME.match(target) and not target.startswith(("/", "\\")):
            yield match.start() + 1, target


def collect_anchors(
    postmortem: Postmortem, lines: Iterable[tuple[int, str]] | None = None
) -> frozenset[str]:
    """Return the anchors a postmortem's page has: its headings' and its explicit ``id``s."""
    taken: set[str] = set()
    for section in postmortem.sections:
        if _count_heading_lines(section) == 0:
            continue
        first = section.markdown.split("\n", 1)[0]
        explicit = _HEADING_ID.search(first)
        if explicit is not None:
            taken.add(explicit["id"])
        else:
            make_heading_anchor(_ATTR_LIST.sub("", section.heading), taken)
    for _, text in _read_prose_lines(postmortem) if lines is None else lines:
        taken.update(match["id"] for match in _HTML_ID.finditer(text))
    return frozenset(taken)


def _shorten_item(item: ActionItem) -> str:
    return _shorten(plain_text(item.text.strip().split("\n", 1)[0]))


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

_SEVERITIES = MappingProxyType({rule.code: rule.severity for rule in RULES})
