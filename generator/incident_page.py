"""The incident page: everything the page of one incident shows, in document order.

Nothing lost: for each section of a postmortem, its heading comes first, then its residual
passages (what no structured element captured, verbatim) interleaved by line with the structured
elements found in its lines (timeline events, action items, lessons, mistakes, root causes, list
items, metrics, body fields). Elements written as rows of a Markdown table keep the table's
header: action items as a checklist table with the source columns, events as a timeline with
the column names above it, any other kind as the source table itself.

Author text is rendered through the :class:`~generator.views.SiteContext` of the build, so that
links, references and the rendering cache are the site's.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from markdown_it import MarkdownIt
from markupsafe import Markup

from generator.catalog import Relation
from generator.markup import escape_html, plain_text
from generator.models import (
    ActionItem,
    Field,
    Item,
    Lesson,
    Metric,
    Mistake,
    Phase,
    Postmortem,
    RootCause,
    Section,
    TimelineEvent,
)
from generator.settings import Settings
from generator.views import (
    ACTION_STATE_LABELS,
    LESSON_KIND_LABELS,
    STATUS_LABELS,
    IncidentRow,
    Link,
    SiteContext,
    unique_names,
)

PHASE_LABELS = {
    Phase.BEGINS: "Begins",
    Phase.DETECTED: "Detected",
    Phase.MITIGATED: "Mitigated",
    Phase.RESOLVED: "Resolved",
}
"""How each timeline milestone is labelled."""

DURATIONS = (
    ("Time to detect", Phase.BEGINS, Phase.DETECTED),
    ("Time to mitigate", Phase.BEGINS, Phase.MITIGATED),
    ("Time to resolve", Phase.BEGINS, Phase.RESOLVED),
    ("Detection to mitigation", Phase.DETECTED, Phase.MITIGATED),
)
"""The durations shown for an incident, from one milestone to another."""

_TABLES = MarkdownIt("commonmark").enable("table")
_WORD = re.compile(r"\w+")


# Front matter keys that date the write-up rather than the incident, once the parser has told
# the two apart.
_PUBLICATION_KEYS = frozenset({"date", "published", "publishdate", "pubdate", "published_at"})


@dataclass(frozen=True, slots=True, kw_only=True)
class EventView:
    """A timeline event."""

    time: str
    """The time as written (empty when the event has none)."""
    iso: str
    """The moment as ISO 8601, for ``<time datetime>`` (empty when unknown)."""
    phase: str
    """Milestone value (``detected`` ...), or empty."""
    phase_label: str
    """Milestone as shown, or empty."""
    since: str
    """For a milestone: the time since the previous milestone (``+14 min``), or empty."""
    html: Markup
    """What happened."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionView:
    """An action item of an incident page."""

    item: ActionItem
    """The model."""
    state: str
    """State value (CSS class)."""
    state_label: str
    """State as shown."""
    html: Markup
    """The item's text."""
    group: str
    """The group it is listed under, when that is not the section's own heading."""
    overdue: bool
    """Open and past its due date."""
    extra: tuple[tuple[str, Markup], ...] = ()
    """Other columns of its table row (list items only: table items show their row)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Cell:
    """A cell of a source table, rendered."""

    html: Markup
    """The cell's content."""
    header: bool = False
    """Whether it is a header cell."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionRow:
    """A row of an action-item table: the item (if the row is one) and its cells."""

    action: ActionView | None
    """The action item the row holds, if it holds one."""
    cells: tuple[Cell, ...]
    """The row's cells as written."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LessonView:
    """A lesson on an incident page, linked to its entry on the lessons page."""

    kind: str
    """Kind value (CSS class)."""
    kind_label: str
    """Kind as shown."""
    html: Markup
    """The lesson's text."""
    title: str
    """The lesson's title, when the text does not already show it (else empty)."""
    groups: tuple[tuple[Link, int], ...]
    """Each lesson group it belongs to and in how many incidents that lesson was learned."""


@dataclass(frozen=True, slots=True, kw_only=True)
class MistakeView:
    """A mistake in three parts."""

    title: str
    """The mistake's name, when no heading above already shows it (else empty)."""
    did: Markup
    """What we did."""
    why: Markup
    """Why it was wrong."""
    should: Markup
    """What we should have done."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Piece:
    """One element of an incident page's body, in document order."""

    kind: str
    """``heading``, ``prose``, ``timeline``, ``checklist``, ``action_table``, ``lessons``,
    ``mistake``, ``cause``, ``items``, ``steps``, ``metrics``, ``field`` or ``table``."""
    line: int
    """Source line where it starts."""
    level: int = 0
    """A heading's level (2-6)."""
    text: str = ""
    """A heading's text (plain), a mistake's or cause's title, a table's column names."""
    html: Markup = field(default_factory=Markup)
    """Rendered content (prose, field, table, cause)."""
    events: tuple[EventView, ...] = ()
    """A timeline's events."""
    actions: tuple[ActionView, ...] = ()
    """A checklist's items."""
    header: tuple[Cell, ...] = ()
    """An action table's header cells."""
    rows: tuple[ActionRow, ...] = ()
    """An action table's rows."""
    lessons: tuple[LessonView, ...] = ()
    """Lessons."""
    items: tuple[Markup, ...] = ()
    """List entries (contributing factors, recovery steps, broken features)."""
    metrics: tuple[tuple[str, str], ...] = ()
    """Metric name and observed value."""
    mistake: MistakeView | None = None
    """A mistake."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Duration:
    """Time between two milestones of an incident."""

    label: str
    """What is measured (``Time to detect``)."""
    minutes: int
    """How long, in minutes."""
    text: str
    """How long, as shown (``1 h 05 min``)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class MetaRow:
    """A line of an incident's metadata table."""

    name: str
    """The field's name as shown."""
    html: Markup
    """The value."""


@dataclass(frozen=True, slots=True, kw_only=True)
class IncidentView:
    """Everything an incident page shows."""

    row: IncidentRow
    """The incident's summary data."""
    heading: str
    """The page's first heading: the document's own title line, else the title."""
    meta: tuple[MetaRow, ...]
    """Metadata: the model's values and every field the author wrote."""
    durations: tuple[Duration, ...]
    """Durations between milestones, where the timeline gives them."""
    pieces: tuple[Piece, ...]
    """The body, in document order."""
    done_actions: int
    """Action items done."""
    related: tuple[tuple[IncidentRow, str], ...]
    """Related incidents and why (``shares lessons: ...``)."""
    source: str
    """The source file as shown."""
    edit_url: str | None
    """Where to edit the source, if known."""


def build_incident_view(site: SiteContext, postmortem: Postmortem) -> IncidentView:
    """Return everything the page of an incident shows."""
    page = site.incident_page(postmortem)
    builder = _IncidentBuilder(site, postmortem, page)
    return IncidentView(
        row=site.row(page, postmortem),
        heading=builder.find_heading(),
        meta=builder.list_meta(),
        durations=incident_durations(postmortem),
        pieces=builder.cut_pieces(),
        done_actions=sum(1 for a in postmortem.action_items if a.done),
        related=tuple(
            (site.row(page, relation.postmortem), _relation_reason(relation))
            for relation in site.catalog.related(postmortem)
        ),
        source=postmortem.source,
        edit_url=make_edit_url(site.settings, postmortem),
    )


class _IncidentBuilder:
    """Cuts one postmortem's body into pieces, in document order (see the module docstring)."""

    def __init__(self, site: SiteContext, postmortem: Postmortem, page: str) -> None:
        self.site = site
        self.postmortem = postmortem
        self.page = page
        self.title_section = _title_section(postmortem)
        non_title = [s for s in postmortem.sections if s is not self.title_section]
        self.shift = 1 if any(s.level == 1 for s in non_title) else 0
        self.since = _milestone_gaps(postmortem)

    def render_block(self, markdown: str) -> Markup:
        """Return the postmortem's Markdown as safe HTML for this page."""
        return self.site.block(self.postmortem, self.page, markdown)

    def render_inline(self, markdown: str) -> Markup:
        """Return one line of the postmortem's Markdown as safe HTML for this page."""
        return self.site.inline(self.postmortem, self.page, markdown)

    def render_item(self, markdown: str) -> Markup:
        """Return the HTML of a list entry: a lone paragraph loses its ``<p>``."""
        html = self.render_block(markdown)
        if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
            return html[3:-4]
        return html

    def find_heading(self) -> str:
        """Return the page's first heading: the document's own title line, else the title."""
        if self.title_section is not None:
            return plain_text(self.title_section.heading) or self.postmortem.title
        return self.postmortem.title

    # -- header -----------------------------------------------------------------------------

    def list_meta(self) -> tuple[MetaRow, ...]:
        """Return the metadata rows: the model's values, then each field not shown yet."""
        p = self.postmortem
        rows: list[MetaRow] = []
        shown: set[tuple[str, str]] = set()

        def add(name: str, html: Markup, key: str, value: str) -> None:
            rows.append(MetaRow(name=name, html=html))
            shown.add((key, _squash(value)))

        shown.add(("title", _squash(p.title)))
        if p.date:
            add("Date", _escaped(p.date.isoformat()), "date", p.date.isoformat())
        if p.published and p.published != p.date:
            # A blog post's own date is when it was written up, not when the incident was.
            add(
                "Published", _escaped(p.published.isoformat()), "published", p.published.isoformat()
            )
        status_text = p.status_text or ""
        badge = Markup('<span class="pmkb-badge pmkb-status pmkb-status--{}">{}</span>').format(
            str(p.status), STATUS_LABELS[p.status]
        )
        if status_text and _squash(status_text) != _squash(STATUS_LABELS[p.status]):
            badge += Markup(" ") + _escaped(status_text)
        add("Status", badge, "status", status_text or str(p.status))
        if p.severity:
            add("Severity", _escaped(p.severity), "severity", p.severity)
        if p.services:
            links = Markup(", ").join(
                Markup('<a href="{}">{}</a>').format(self.site.service_url(self.page, s), s)
                for s in unique_names(p.services)
            )
            add("Services", links, "services", ", ".join(p.services))
        for name, values in (("Tags", p.tags), ("Authors", p.authors), ("Owners", p.owners)):
            if values:
                text = ", ".join(values)
                add(name, _escaped(text), name.lower(), text)
        for f in p.fields:
            if (f.name, _squash(f.value)) in shown:
                continue
            if p.published and f.front_matter and f.name in _PUBLICATION_KEYS:
                continue  # shown as "Published" (or as the date, when they are the same day)
            add(f.name[:1].upper() + f.name[1:], _escaped(f.value), f.name, f.value)
        return tuple(rows)

    # -- body -------------------------------------------------------------------------------

    def cut_pieces(self) -> tuple[Piece, ...]:
        """Return the body as pieces, each element in the section whose lines hold it."""
        sections = self.postmortem.sections
        starts = [s.line for s in sections]
        owned: list[list[tuple[int, str, object]]] = [[] for _ in sections]
        stray: list[tuple[int, str, object]] = []
        for line, kind, element in self._elements():
            index = bisect.bisect_right(starts, line) - 1
            if 0 <= index < len(sections) and line <= sections[index].end_line:
                owned[index].append((line, kind, element))
            else:
                stray.append((line, kind, element))
        pieces: list[Piece] = []
        for section, elements in zip(sections, owned, strict=True):
            pieces.extend(self._section(section, elements))
        if stray:  # never expected; shown rather than lost
            pieces.extend(self._elements_pieces(None, sorted(stray, key=_by_line)))
        return tuple(_merge(pieces))

    def _elements(self) -> Iterable[tuple[int, str, object]]:
        p = self.postmortem
        for event in p.timeline:
            yield event.line, "event", event
        for action in p.action_items:
            yield action.line, "action", action
        for lesson in p.lessons:
            yield lesson.line, "lesson", lesson
        for mistake in p.mistakes:
            yield mistake.line, "mistake", mistake
        for cause in p.root_causes:
            yield cause.line, "cause", cause
        for item in p.contributing_factors:
            yield item.line, "items", item
        for item in p.impact.broken_features:
            yield item.line, "items", item
        for item in p.recovery:
            yield item.line, "steps", item
        for metric in p.impact.metrics:
            yield metric.line, "metric", metric
        for f in p.fields:
            if not f.front_matter:
                yield f.line, "field", f

    def _section(self, section: Section, elements: list[tuple[int, str, object]]) -> list[Piece]:
        pieces: list[Piece] = []
        residual = section.residual
        if section.level > 0 and section is not self.title_section and _is_label(section):
            # A bold label standing for a heading ("**Date:** 2025-08-12"): shown as written,
            # with the text after the label that the parser kept as the first passage.
            pieces.append(
                Piece(
                    kind="field",
                    line=section.line,
                    html=self.render_inline(_strip_container(section.markdown.split("\n", 1)[0])),
                )
            )
            residual = tuple(p for p in residual if p.line != section.line)
            elements = [e for e in elements if not (e[1] == "field" and e[0] == section.line)]
        elif (
            section.level > 0
            and section is not self.title_section
            and not self._heading_is_event(section, elements)
        ):
            pieces.append(
                Piece(
                    kind="heading",
                    line=section.line,
                    level=min(6, max(2, section.level + self.shift)),
                    text=plain_text(section.heading),
                )
            )
        content: list[tuple[int, str, object]] = [
            (passage.line, "prose", passage.markdown) for passage in residual
        ]
        # A field read from a line that is also kept as residual text shows there already.
        spans = [(p.line, p.line + p.markdown.count("\n")) for p in residual]
        content.extend(e for e in elements if e[1] != "field" or _span_of(spans, e[0]) is None)
        content.sort(key=_by_line)
        pieces.extend(self._elements_pieces(section, content))
        return pieces

    def _heading_is_event(self, section: Section, elements: list[tuple[int, str, object]]) -> bool:
        """Return whether the heading is a timestamp the parser read as an event (shown by it)."""
        for line, kind, element in elements:
            if kind == "event" and line == section.line and isinstance(element, TimelineEvent):
                shown = _words(f"{element.time or ''} {element.text}")
                return _words(plain_text(section.heading)) <= shown
        return False

    def _elements_pieces(
        self, section: Section | None, content: list[tuple[int, str, object]]
    ) -> list[Piece]:
        tables = (
            _table_spans(section)
            if section is not None and _has_table_row(section, content)
            else []
        )
        heading_line = section.line if section is not None and section.level > 0 else -1
        pieces: list[Piece] = []
        done_tables: set[int] = set()
        pending_events: list[TimelineEvent] = []
        previous_group: str | None = None

        def flush_events() -> None:
            if pending_events:
                pieces.append(self._timeline(list(pending_events), section, tables))
                pending_events.clear()

        for line, kind, element in content:
            table = _span_of(tables, line)
            if kind != "event":
                flush_events()
            if kind == "prose" and isinstance(element, str):
                pieces.append(Piece(kind="prose", line=line, html=self.render_block(element)))
            elif kind == "event" and isinstance(element, TimelineEvent):
                pending_events.append(element)
            elif kind == "action" and isinstance(element, ActionItem):
                if table is not None and section is not None:
                    if table[0] not in done_tables:
                        done_tables.add(table[0])
                        pieces.append(self._action_table(section, table))
                    continue
                group = element.group or ""
                show_group = (
                    group
                    if group != previous_group and not self._is_heading(section, group)
                    else ""
                )
                previous_group = group
                pieces.append(
                    Piece(kind="checklist", line=line, actions=(self._action(element, show_group),))
                )
            elif table is not None and section is not None:
                if table[0] not in done_tables:
                    done_tables.add(table[0])
                    pieces.append(
                        Piece(
                            kind="table",
                            line=table[0],
                            html=self.render_block(_lines(section, table)),
                        )
                    )
            elif kind == "lesson" and isinstance(element, Lesson):
                pieces.append(
                    Piece(kind="lessons", line=line, lessons=(self._lesson(element, heading_line),))
                )
            elif kind == "mistake" and isinstance(element, Mistake):
                pieces.append(self._mistake(element, heading_line))
            elif kind == "cause" and isinstance(element, RootCause):
                pieces.append(self._cause(element, heading_line))
            elif kind in ("items", "steps") and isinstance(element, Item):
                pieces.append(Piece(kind=kind, line=line, items=(self.render_item(element.text),)))
            elif kind == "metric" and isinstance(element, Metric):
                pieces.append(
                    Piece(kind="metrics", line=line, metrics=((element.name, element.value),))
                )
            elif (
                kind == "field"
                and isinstance(element, Field)
                and line != heading_line
                and section is not None
            ):
                pieces.append(self._field(section, element))
        flush_events()
        return pieces

    def _is_heading(self, section: Section | None, text: str) -> bool:
        return section is not None and _squash(plain_text(section.heading)) == _squash(text)

    def _timeline(
        self,
        events: list[TimelineEvent],
        section: Section | None,
        tables: list[tuple[int, int]],
    ) -> Piece:
        columns = ""
        table = _span_of(tables, events[0].line)
        if table is not None and section is not None:
            header = _table_header(_lines(section, table))
            columns = " · ".join(plain_text(cell) for cell in header)
        views = []
        for event in events:
            views.append(
                EventView(
                    time=event.time or "",
                    iso=event.at.isoformat()
                    if event.at
                    else (event.date.isoformat() if event.date else ""),
                    phase=str(event.phase) if event.phase else "",
                    phase_label=PHASE_LABELS[event.phase] if event.phase else "",
                    since=self.since.get(event.line, ""),
                    html=self.render_item(event.text),
                )
            )
        return Piece(kind="timeline", line=events[0].line, text=columns, events=tuple(views))

    def _action(self, item: ActionItem, group: str) -> ActionView:
        return ActionView(
            item=item,
            state=str(item.state),
            state_label=ACTION_STATE_LABELS[item.state],
            html=self.render_item(item.text),
            group=group,
            overdue=item.state.is_open() and item.due is not None and item.due < self.site.today,
            extra=tuple((name, self.render_inline(value)) for name, value in item.fields),
        )

    def _action_table(self, section: Section, span: tuple[int, int]) -> Piece:
        by_line = {a.line: a for a in self.postmortem.action_items}
        markdown = _lines(section, span)
        header, rows = _table_cells(markdown)
        views = []
        for offset, cells in rows:
            item = by_line.get(span[0] + offset)
            views.append(
                ActionRow(
                    action=self._action(item, "") if item is not None else None,
                    cells=tuple(Cell(html=self.render_inline(cell)) for cell in cells),
                )
            )
        return Piece(
            kind="action_table",
            line=span[0],
            header=tuple(Cell(html=self.render_inline(cell), header=True) for cell in header),
            rows=tuple(views),
        )

    def _lesson(self, lesson: Lesson, heading_line: int) -> LessonView:
        groups = self.site.catalog.lesson_groups(self.postmortem, lesson)
        title = ""
        if lesson.line != heading_line and not _words(lesson.title) <= _words(
            plain_text(lesson.text)
        ):
            title = plain_text(lesson.title)
        return LessonView(
            kind=str(lesson.kind),
            kind_label=LESSON_KIND_LABELS[lesson.kind],
            html=self.render_item(lesson.text),
            title=title,
            groups=tuple(
                (
                    Link(url=self.site.url(self.page, f"lessons.md#{g.anchor}"), text=g.title),
                    g.count,
                )
                for g in groups
            ),
        )

    def _mistake(self, mistake: Mistake, heading_line: int) -> Piece:
        title = "" if mistake.line == heading_line else plain_text(mistake.title)
        return Piece(
            kind="mistake",
            line=mistake.line,
            mistake=MistakeView(
                title=title,
                did=self.render_block(mistake.what_we_did),
                why=self.render_block(mistake.why_wrong),
                should=self.render_block(mistake.should_have_done),
            ),
        )

    def _cause(self, cause: RootCause, heading_line: int) -> Piece:
        title = ""
        if cause.line != heading_line and not _words(cause.title) <= _words(plain_text(cause.text)):
            title = plain_text(cause.title)
        return Piece(kind="cause", line=cause.line, text=title, html=self.render_block(cause.text))

    def _field(self, section: Section, f: Field) -> Piece:
        """Return a body field as its source line shows it (the label as the author wrote it)."""
        lines = section.markdown.split("\n")
        index = f.line - section.line
        raw = lines[index] if 0 <= index < len(lines) else ""
        raw = _strip_container(raw)
        if not raw.strip():
            raw = f"**{f.name[:1].upper() + f.name[1:]}:** {f.value}"
        return Piece(kind="field", line=f.line, html=self.render_inline(raw))


def incident_durations(postmortem: Postmortem) -> tuple[Duration, ...]:
    """Return the durations between an incident's milestones that its timeline gives."""
    first: dict[Phase, dt.datetime] = {}
    for event in postmortem.timeline:
        if event.phase is not None and event.at is not None:
            first.setdefault(event.phase, event.at)
    durations = []
    for label, start, end in DURATIONS:
        if start in first and end in first and first[end] >= first[start]:
            minutes = _minutes(first[end] - first[start])
            durations.append(Duration(label=label, minutes=minutes, text=format_minutes(minutes)))
    return tuple(durations)


def _milestone_gaps(postmortem: Postmortem) -> dict[int, str]:
    """Return, by event line, the time since the previous milestone (first of each phase)."""
    gaps: dict[int, str] = {}
    previous: dt.datetime | None = None
    seen: set[Phase] = set()
    for event in postmortem.timeline:
        if event.phase is None or event.at is None or event.phase in seen:
            continue
        seen.add(event.phase)
        if previous is not None and event.at >= previous:
            gaps[event.line] = "+" + format_minutes(_minutes(event.at - previous))
        previous = event.at
    return gaps


def make_edit_url(settings: Settings, postmortem: Postmortem) -> str | None:
    """Return where to edit a postmortem's file, when the settings say and it is in the KB.

    Used for the page's source link and for the theme's "edit this page" button alike.
    """
    source = Path(postmortem.source)
    if not settings.edit_url or source.is_absolute() or ".." in source.parts:
        return None
    return settings.edit_url.rstrip("/") + "/" + quote(postmortem.source)


def format_minutes(minutes: int) -> str:
    """Return a duration as people say it: ``45 min``, ``1 h 05 min``, ``2 d 3 h``."""
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {rest:02d} min" if rest else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


def _title_section(postmortem: Postmortem) -> Section | None:
    """Return the section whose heading is the document's title (its first level-1 heading)."""
    for section in postmortem.sections:
        if section.level == 1:
            return section
        if section.level > 1:
            return None
    return None


def _merge(pieces: list[Piece]) -> Iterable[Piece]:
    """Join neighbouring pieces of a list-like kind into one list."""
    mergeable = {"timeline", "checklist", "lessons", "items", "steps", "metrics"}
    merged: list[Piece] = []
    for piece in pieces:
        last = merged[-1] if merged else None
        if last is not None and piece.kind == last.kind and piece.kind in mergeable:
            if piece.kind == "timeline" and piece.text != last.text:
                merged.append(piece)
                continue
            merged[-1] = Piece(
                kind=last.kind,
                line=last.line,
                text=last.text,
                events=last.events + piece.events,
                actions=last.actions + piece.actions,
                lessons=last.lessons + piece.lessons,
                items=last.items + piece.items,
                metrics=last.metrics + piece.metrics,
            )
        else:
            merged.append(piece)
    return merged


def _table_spans(section: Section) -> list[tuple[int, int]]:
    """Return the tables of a section, as absolute [first line, last line] pairs."""
    if "|" not in section.markdown:
        return []
    spans = []
    for token in _TABLES.parse(section.markdown):
        if token.type == "table_open" and token.map and token.level == 0:
            spans.append((section.line + token.map[0], section.line + token.map[1] - 1))
    return spans


def _has_table_row(section: Section, content: list[tuple[int, str, object]]) -> bool:
    """Return whether any structured element of a section starts on a line with a ``|``."""
    lines = section.markdown.split("\n")
    return any(
        kind != "prose"
        and 0 <= line - section.line < len(lines)
        and "|" in lines[line - section.line]
        for line, kind, _ in content
    )


def _span_of(spans: Sequence[tuple[int, int]], line: int) -> tuple[int, int] | None:
    return next((span for span in spans if span[0] <= line <= span[1]), None)


def _lines(section: Section, span: tuple[int, int]) -> str:
    lines = section.markdown.split("\n")
    return "\n".join(lines[span[0] - section.line : span[1] - section.line + 1])


def _table_cells(markdown: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Return a table's header cells and body rows (line offset, cells) as inline Markdown."""
    header: list[str] = []
    rows: list[tuple[int, list[str]]] = []
    current: list[str] | None = None
    in_head = False
    for token in _TABLES.parse(markdown):
        if token.type == "thead_open":
            in_head = True
        elif token.type == "thead_close":
            in_head = False
        elif token.type == "tr_open":
            current = []
            if not in_head:
                rows.append((token.map[0] if token.map else 0, current))
        elif token.type == "inline" and current is not None:
            current.append(token.content)
        elif token.type == "tr_close" and in_head and current is not None:
            header = current
    return header, rows


def _table_header(markdown: str) -> list[str]:
    return _table_cells(markdown)[0]


def _strip_container(line: str) -> str:
    """Return a source line without its list or quote marker."""
    stripped = line.lstrip()
    while stripped.startswith(">"):
        stripped = stripped[1:].lstrip()
    for marker in ("- ", "* ", "+ "):
        if stripped.startswith(marker):
            return stripped[len(marker) :]
    head, dot, rest = stripped.partition(". ")
    if dot and head.isdigit():
        return rest
    return stripped


def _relation_reason(relation: Relation) -> str:
    parts = []
    if relation.lessons:
        parts.append("lessons: " + "; ".join(relation.lessons))
    if relation.services:
        parts.append("services: " + ", ".join(relation.services))
    if relation.tags:
        parts.append("tags: " + ", ".join(relation.tags))
    return "shares " + " · ".join(parts) if parts else ""


def _escaped(text: str) -> Markup:
    return Markup(escape_html(text))  # noqa: S704  (escaped right here)


def _minutes(delta: dt.timedelta) -> int:
    return int(delta.total_seconds() // 60)


def _squash(text: str) -> str:
    return " ".join(text.casefold().split())


def _words(text: str) -> set[str]:
    """Return the words of a text, ignoring markup and a truncation mark."""
    plain = plain_text(text).casefold().rstrip(".… ")
    return set(_WORD.findall(plain))


def _is_label(section: Section) -> bool:
    """Return whether a section starts at a bold label rather than a Markdown heading."""
    lines = section.markdown.split("\n", 2)
    first = _strip_container(lines[0]).lstrip()
    underlined = len(lines) > 1 and set(lines[1].strip()) in ({"="}, {"-"})
    return not first.startswith("#") and not underlined


def _by_line(entry: tuple[int, str, object]) -> int:
    return entry[0]
