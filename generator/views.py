"""Views: what the page templates read, built from the catalog for one page at a time.

A template should arrange, not compute. So everything that needs care is done here: author
Markdown is rendered to safe HTML (:mod:`generator.markup`), URLs are made relative to the page
that shows them, and an incident's body is cut into :class:`Piece` objects in document order.

Nothing lost: for each section of a postmortem, its heading comes first, then its residual
passages (what no structured element captured, verbatim) interleaved by line with the structured
elements found in its lines (timeline events, action items, lessons, mistakes, root causes, list
items, metrics, body fields). Elements written as rows of a Markdown table keep the table's
header: action items as a checklist table with the source columns, events as a timeline with
the column names above it, any other kind as the source table itself.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import posixpath
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from markdown_it import MarkdownIt
from markupsafe import Markup

from generator.catalog import Catalog, LessonGroup, OpenAction, Relation, show_path
from generator.markup import MarkupRenderer, escape_html, is_relative_url, plain_text
from generator.models import (
    ActionItem,
    ActionState,
    Field,
    Item,
    Lesson,
    LessonKind,
    Metric,
    Mistake,
    Phase,
    Postmortem,
    RootCause,
    Section,
    Status,
    TimelineEvent,
)
from generator.settings import Settings
from generator.slugs import slugify

STATUS_LABELS = {
    Status.DRAFT: "Draft",
    Status.IN_REVIEW: "In review",
    Status.OPEN: "Open",
    Status.MONITORING: "Monitoring",
    Status.RESOLVED: "Resolved",
    Status.CLOSED: "Closed",
    Status.UNKNOWN: "Unknown",
}
"""How each status is shown."""

ACTION_STATE_LABELS = {
    ActionState.OPEN: "Open",
    ActionState.IN_PROGRESS: "In progress",
    ActionState.DONE: "Done",
    ActionState.NOT_DOING: "Not doing",
}
"""How each action-item state is shown."""

LESSON_KIND_LABELS = {
    LessonKind.LEARNED: "Lesson",
    LessonKind.WENT_WELL: "Went well",
    LessonKind.WENT_WRONG: "Went wrong",
    LessonKind.LUCKY: "Lucky",
}
"""How each kind of lesson is labelled."""

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


@dataclass(frozen=True, slots=True, kw_only=True)
class Link:
    """A link to show: where it goes and its text."""

    url: str
    """The URL, relative to the page that shows it."""
    text: str
    """The text (plain: the template escapes it)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class IncidentRow:
    """An incident as a line of a list or table."""

    postmortem: Postmortem
    """The incident."""
    url: str
    """Its page, relative to the page showing the row."""
    date: str
    """ISO date, or empty."""
    year: str
    """Year, or empty."""
    status: str
    """Status value (CSS class and filter value)."""
    status_label: str
    """Status as shown."""
    services: tuple[Link, ...]
    """Affected services, linked to the services page."""
    open_actions: int
    """Action items still to do."""
    total_actions: int
    """All action items."""


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


@dataclass(frozen=True, slots=True, kw_only=True)
class OpenActionRow:
    """An open action item on the cross-incident pages."""

    open: OpenAction
    """The item, its incident, age and overdue flag."""
    incident: IncidentRow
    """Its incident."""
    html: Markup
    """The item's text."""
    owner: str
    """Owner, or empty."""
    due: str
    """Due date (ISO), or empty."""
    priority: str
    """Priority, or empty."""
    group: str
    """Group heading, or empty."""
    state_label: str
    """State as shown."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LessonOccurrence:
    """One incident's wording of a recurring lesson."""

    incident: IncidentRow
    """The incident."""
    kind_label: str
    """Kind as shown."""
    html: Markup
    """The lesson as that incident wrote it."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LessonGroupView:
    """A lesson on the lessons page."""

    group: LessonGroup
    """The group."""
    occurrences: tuple[LessonOccurrence, ...]
    """Where it was learned, newest first."""


@dataclass(slots=True)
class SiteContext:
    """What every view needs: the catalog, settings, URL rules, and the files pages refer to."""

    catalog: Catalog
    """The catalog."""
    settings: Settings
    """The knowledge base's settings."""
    today: dt.date
    """The day overdue items and ages are computed for."""
    directory_urls: bool = True
    """Whether pages live at ``name/`` (MkDocs' default) or ``name.html``."""
    assets: dict[str, Path] = field(default_factory=dict)
    """Files next to postmortems that pages link to (site path → file), filled while rendering."""
    renderer: MarkupRenderer = field(init=False)
    _sources: dict[Path, Postmortem] = field(init=False)
    _references: dict[str, dict[str, Any]] = field(init=False)
    _service_anchors: dict[str, str] = field(init=False)
    _tag_anchors: dict[str, str] = field(init=False)
    _html: dict[tuple[str, str, str, str], Markup] = field(init=False)
    _rows: dict[tuple[str, str], IncidentRow] = field(init=False)

    def __post_init__(self) -> None:
        self.renderer = MarkupRenderer(self.settings.raw_html)
        self._sources = {self.source_path(p): p for p in self.catalog}
        self._references = {}
        self._html = {}
        self._rows = {}
        self._service_anchors = _anchors("service", self.catalog.services)
        self._tag_anchors = _anchors("tag", self.catalog.tags)

    # -- where things are -------------------------------------------------------------------

    @property
    def prefix(self) -> str:
        """The site folder of incident pages."""
        return self.settings.url_prefix

    def incident_page(self, postmortem: Postmortem) -> str:
        """Return the site path of an incident's page."""
        return f"{self.prefix}/{self.catalog.slug(postmortem)}.md"

    def source_path(self, postmortem: Postmortem) -> Path:
        """Return the absolute path of a postmortem's file."""
        path = Path(postmortem.source)
        return (path if path.is_absolute() else self.settings.root / path).resolve()

    def url(self, page: str, target: str) -> str:
        """Return the URL of ``target`` (a site path, maybe with ``#anchor``) from ``page``."""
        return relative_url(page, target, directory_urls=self.directory_urls)

    def service_url(self, page: str, name: str) -> str:
        """Return the URL of a service's entry on the services page."""
        anchor = self._service_anchors.get(name.strip().casefold(), "")
        return self.url(page, f"services.md#{anchor}" if anchor else "services.md")

    def service_anchor(self, name: str) -> str:
        """Return the anchor of a service on the services page."""
        return self._service_anchors[name.strip().casefold()]

    def tag_anchor(self, name: str) -> str:
        """Return the anchor of a tag on pmkb's own tags page."""
        return self._tag_anchors[name.strip().casefold()]

    def edit_url(self, postmortem: Postmortem) -> str | None:
        """Return where to edit a postmortem's file, when the settings say."""
        base = self.settings.edit_url
        if not base:
            return None
        return base.rstrip("/") + "/" + quote(show_path(self.source_path(postmortem), self.root))

    @property
    def root(self) -> Path:
        """The knowledge base's folder."""
        return self.settings.root

    # -- author text --------------------------------------------------------------------------

    def block(self, postmortem: Postmortem, page: str, markdown: str) -> Markup:
        """Return a postmortem's Markdown as safe HTML for ``page``."""
        return self._render("block", postmortem, page, markdown)

    def inline(self, postmortem: Postmortem, page: str, markdown: str) -> Markup:
        """Return one line of a postmortem's Markdown as safe HTML for ``page``."""
        return self._render("inline", postmortem, page, markdown)

    def _render(self, kind: str, postmortem: Postmortem, page: str, markdown: str) -> Markup:
        # The same text shows on several pages (a lesson on its incident's page and on the
        # lessons page): rendered once, and once per page only if it links to a file.
        anywhere = (kind, postmortem.source, markdown, "")
        here = (kind, postmortem.source, markdown, page)
        found = self._html.get(anywhere) or self._html.get(here)
        if found is not None:
            return found
        relative = False

        def rewrite(url: str) -> str:
            nonlocal relative
            relative = True
            return self.rewrite_url(postmortem, page, url)

        render = self.renderer.block if kind == "block" else self.renderer.inline
        html = render(markdown, references=self._document_references(postmortem), rewrite=rewrite)
        result = Markup(html)  # noqa: S704  (sanitised by the renderer)
        self._html[here if relative else anywhere] = result
        return result

    def _document_references(self, postmortem: Postmortem) -> dict[str, Any]:
        found = self._references.get(postmortem.source)
        if found is None:
            whole = "\n\n".join(section.markdown for section in postmortem.sections)
            found = self.renderer.references(whole)
            self._references[postmortem.source] = found
        return found

    def rewrite_url(self, postmortem: Postmortem, page: str, url: str) -> str:
        """Return the URL a relative link of a postmortem should have on ``page``.

        A link to another postmortem file goes to its page; a link to any other file inside the
        postmortems folder (an image) goes to a copy of it in the site; anything else, and
        anything that would leave the postmortems folder, is left as written.
        """
        if not is_relative_url(url):
            return url
        path, hash_mark, fragment = url.partition("#")
        path, question, query = path.partition("?")
        if not path:
            return url
        base = self.source_path(postmortem).parent
        try:
            target = (base / unquote(path)).resolve()
            inside = target.relative_to(self.settings.postmortems_dir.resolve())
        except (ValueError, OSError):
            return url
        suffix = (question + query) + (hash_mark + fragment)
        other = self._sources.get(target)
        if other is not None:
            return self.url(page, self.incident_page(other)) + (hash_mark + fragment)
        if target.suffix.lower() in (".md", ".markdown") or not target.is_file():
            return url
        site_path = f"{self.prefix}/{inside.as_posix()}"
        self.assets[site_path] = target
        return quote(self.url(page, site_path)) + suffix

    # -- shared views -----------------------------------------------------------------------

    def row(self, page: str, postmortem: Postmortem) -> IncidentRow:
        """Return an incident's summary data for a list on ``page``."""
        key = (page, postmortem.source)
        found = self._rows.get(key)
        if found is None:
            found = self._rows[key] = self._make_row(page, postmortem)
        return found

    def _make_row(self, page: str, postmortem: Postmortem) -> IncidentRow:
        return IncidentRow(
            postmortem=postmortem,
            url=self.url(page, self.incident_page(postmortem)),
            date=postmortem.date.isoformat() if postmortem.date else "",
            year=str(postmortem.date.year) if postmortem.date else "",
            status=str(postmortem.status),
            status_label=STATUS_LABELS[postmortem.status],
            services=tuple(
                Link(url=self.service_url(page, s), text=s) for s in _unique(postmortem.services)
            ),
            open_actions=len(postmortem.open_action_items),
            total_actions=len(postmortem.action_items),
        )

    def rows(self, page: str) -> tuple[IncidentRow, ...]:
        """Return every incident's summary data, newest first, for ``page``."""
        return tuple(self.row(page, p) for p in self.catalog)

    def filter_choices(self) -> dict[str, list[Any]]:
        """Return the values the incidents list can be filtered by, sorted."""
        statuses = {p.status for p in self.catalog}
        return {
            "status": [(str(s), STATUS_LABELS[s]) for s in Status if s in statuses],
            "severity": sorted({p.severity for p in self.catalog if p.severity}, key=str.casefold),
            "tag": sorted({t.strip() for p in self.catalog for t in p.tags if t.strip()}),
            "year": sorted({str(p.date.year) for p in self.catalog if p.date}, reverse=True),
        }

    def open_action_counts(self, page: str, by: str) -> list[tuple[Any, int, int]]:
        """Return open and overdue item counts per owner (or per incident), most open first.

        Each entry is (owner, or the incident's row when ``by`` is ``incident``; open; overdue).
        """
        counts: Counter[str] = Counter()
        late: Counter[str] = Counter()
        incidents: dict[str, Postmortem] = {}
        for found in self.catalog.open_actions(self.today):
            key = (found.item.owner or "").strip() if by == "owner" else found.postmortem.source
            incidents[key] = found.postmortem
            counts[key] += 1
            late[key] += int(found.overdue)
        ordered = sorted(counts, key=lambda key: (-counts[key], key == "", key))
        return [
            (key if by == "owner" else self.row(page, incidents[key]), counts[key], late[key])
            for key in ordered
        ]

    def open_action_rows(self, page: str) -> tuple[OpenActionRow, ...]:
        """Return every open action item, oldest incident first, for ``page``."""
        rows = []
        for found in self.catalog.open_actions(self.today):
            item = found.item
            rows.append(
                OpenActionRow(
                    open=found,
                    incident=self.row(page, found.postmortem),
                    html=self.block(found.postmortem, page, item.text),
                    owner=item.owner or "",
                    due=item.due.isoformat() if item.due else "",
                    priority=item.priority or "",
                    group=item.group or "",
                    state_label=ACTION_STATE_LABELS[item.state],
                )
            )
        return tuple(rows)

    def lesson_group_views(self, page: str) -> tuple[LessonGroupView, ...]:
        """Return the lesson groups with each incident's wording, for ``page``."""
        return tuple(
            LessonGroupView(
                group=group,
                occurrences=tuple(
                    LessonOccurrence(
                        incident=self.row(page, postmortem),
                        kind_label=LESSON_KIND_LABELS[lesson.kind],
                        html=self.block(postmortem, page, lesson.text),
                    )
                    for postmortem, lesson in group.occurrences
                ),
            )
            for group in self.catalog.lessons
        )

    # -- the incident page --------------------------------------------------------------------

    def incident(self, postmortem: Postmortem) -> IncidentView:
        """Return everything the page of an incident shows."""
        page = self.incident_page(postmortem)
        builder = _IncidentBuilder(self, postmortem, page)
        return IncidentView(
            row=self.row(page, postmortem),
            heading=builder.heading(),
            meta=builder.meta(),
            durations=incident_durations(postmortem),
            pieces=builder.pieces(),
            done_actions=sum(1 for a in postmortem.action_items if a.done),
            related=tuple(
                (self.row(page, relation.postmortem), _relation_reason(relation))
                for relation in self.catalog.related(postmortem)
            ),
            source=show_path(self.source_path(postmortem), self.root),
            edit_url=self.edit_url(postmortem),
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

    def block(self, markdown: str) -> Markup:
        return self.site.block(self.postmortem, self.page, markdown)

    def inline(self, markdown: str) -> Markup:
        return self.site.inline(self.postmortem, self.page, markdown)

    def item(self, markdown: str) -> Markup:
        """Return the HTML of a list entry: a lone paragraph loses its ``<p>``."""
        html = self.block(markdown)
        if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
            return html[3:-4]
        return html

    def heading(self) -> str:
        if self.title_section is not None:
            return plain_text(self.title_section.heading) or self.postmortem.title
        return self.postmortem.title

    # -- header -----------------------------------------------------------------------------

    def meta(self) -> tuple[MetaRow, ...]:
        p = self.postmortem
        rows: list[MetaRow] = []
        shown: set[tuple[str, str]] = set()

        def add(name: str, html: Markup, key: str, value: str) -> None:
            rows.append(MetaRow(name=name, html=html))
            shown.add((key, _squash(value)))

        shown.add(("title", _squash(p.title)))
        if p.date:
            add("Date", _escaped(p.date.isoformat()), "date", p.date.isoformat())
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
                for s in _unique(p.services)
            )
            add("Services", links, "services", ", ".join(p.services))
        for name, values in (("Tags", p.tags), ("Authors", p.authors), ("Owners", p.owners)):
            if values:
                text = ", ".join(values)
                add(name, _escaped(text), name.lower(), text)
        for f in p.fields:
            if (f.name, _squash(f.value)) in shown:
                continue
            add(f.name[:1].upper() + f.name[1:], _escaped(f.value), f.name, f.value)
        return tuple(rows)

    # -- body -------------------------------------------------------------------------------

    def pieces(self) -> tuple[Piece, ...]:
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
                    html=self.inline(_strip_container(section.markdown.split("\n", 1)[0])),
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
                pieces.append(Piece(kind="prose", line=line, html=self.block(element)))
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
                        Piece(kind="table", line=table[0], html=self.block(_lines(section, table)))
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
                pieces.append(Piece(kind=kind, line=line, items=(self.item(element.text),)))
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
                    html=self.item(event.text),
                )
            )
        return Piece(kind="timeline", line=events[0].line, text=columns, events=tuple(views))

    def _action(self, item: ActionItem, group: str) -> ActionView:
        return ActionView(
            item=item,
            state=str(item.state),
            state_label=ACTION_STATE_LABELS[item.state],
            html=self.item(item.text),
            group=group,
            overdue=item.state.is_open() and item.due is not None and item.due < self.site.today,
            extra=tuple((name, self.inline(value)) for name, value in item.fields),
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
                    cells=tuple(Cell(html=self.inline(cell)) for cell in cells),
                )
            )
        return Piece(
            kind="action_table",
            line=span[0],
            header=tuple(Cell(html=self.inline(cell), header=True) for cell in header),
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
            html=self.item(lesson.text),
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
                did=self.block(mistake.what_we_did),
                why=self.block(mistake.why_wrong),
                should=self.block(mistake.should_have_done),
            ),
        )

    def _cause(self, cause: RootCause, heading_line: int) -> Piece:
        title = ""
        if cause.line != heading_line and not _words(cause.title) <= _words(plain_text(cause.text)):
            title = plain_text(cause.title)
        return Piece(kind="cause", line=cause.line, text=title, html=self.block(cause.text))

    def _field(self, section: Section, f: Field) -> Piece:
        """Return a body field as its source line shows it (the label as the author wrote it)."""
        lines = section.markdown.split("\n")
        index = f.line - section.line
        raw = lines[index] if 0 <= index < len(lines) else ""
        raw = _strip_container(raw)
        if not raw.strip():
            raw = f"**{f.name[:1].upper() + f.name[1:]}:** {f.value}"
        return Piece(kind="field", line=f.line, html=self.inline(raw))


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


def format_minutes(minutes: int) -> str:
    """Return a duration as people say it: ``45 min``, ``1 h 05 min``, ``2 d 3 h``."""
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {rest:02d} min" if rest else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


@functools.lru_cache(maxsize=65536)
def relative_url(page: str, target: str, *, directory_urls: bool = True) -> str:
    """Return the URL of ``target`` from ``page``; both are site paths (``incidents/x.md``).

    Markdown paths become page URLs the way MkDocs makes them; other paths are files.
    """
    path, hash_mark, fragment = target.partition("#")
    here = _page_url(page, directory_urls)
    there = _page_url(path, directory_urls) if path.endswith(".md") else path
    base = here.rsplit("/", 1)[0] if "/" in here else ""
    relative = posixpath.relpath(there or ".", base or ".")
    if relative == ".":
        relative = "./"
    elif there.endswith("/"):
        relative += "/"
    return relative + hash_mark + fragment


def _page_url(path: str, directory_urls: bool) -> str:
    stem = path[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        folder = stem[: -len("index")]
        return folder if directory_urls else folder + "index.html"
    return f"{stem}/" if directory_urls else f"{stem}.html"


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


def _anchors(prefix: str, names: Iterable[str]) -> dict[str, str]:
    anchors: dict[str, str] = {}
    taken: Counter[str] = Counter()
    for name in names:
        base = f"{prefix}-{slugify(name, max_length=60)}"
        taken[base] += 1
        anchors[name.strip().casefold()] = base if taken[base] == 1 else f"{base}-{taken[base]}"
    return anchors


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(v.strip() for v in values if v.strip()))


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
