"""The elements of an incident page, rendered: the view of each structured element.

An :class:`ElementRenderer` renders author text through the build's
:class:`~generator.views.SiteContext` (so links, references and the rendering cache are the
site's) and makes the view of a timeline, an action item, an action-item table (the source
table's header and rows, each row with the item it holds), a lesson, a mistake, a root cause and
a body field.
"""

from __future__ import annotations

from markupsafe import Markup

from generator.incident_page.durations import PHASE_LABELS
from generator.incident_page.source import (
    collect_words,
    cut_lines,
    find_span,
    read_table_header,
    split_table_cells,
    strip_container,
)
from generator.incident_page.view import (
    ActionRow,
    ActionView,
    Cell,
    EventView,
    LessonView,
    MistakeView,
    Piece,
)
from generator.labels import ACTION_STATE_LABELS, LESSON_KIND_LABELS
from generator.link_views import mark_element
from generator.markup import plain_text
from generator.models import (
    ActionItem,
    Field,
    Lesson,
    Mistake,
    Postmortem,
    RootCause,
    Section,
    TimelineEvent,
)
from generator.views import Link, SiteContext


class ElementRenderer:
    """Renders the author text and makes the element views of one postmortem's page."""

    def __init__(
        self, site: SiteContext, postmortem: Postmortem, page: str, since: dict[int, str]
    ) -> None:
        self.site = site
        self.postmortem = postmortem
        self.page = page
        self.since = since
        """By event line, the time since the previous milestone."""
        self.event_order = {id(event): n for n, event in enumerate(postmortem.timeline)}
        """Each event's place in the timeline (time order, as the parser put it)."""

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

    def mark(self, line: int, html: Markup) -> Markup:
        """Return an element's HTML with its anchor and recurrence note, when it recurs."""
        return mark_element(self.site, self.postmortem, self.page, line, html)

    def make_timeline(
        self,
        events: list[TimelineEvent],
        section: Section | None,
        tables: list[tuple[int, int]],
    ) -> Piece:
        columns = ""
        first = min(event.line for event in events)
        table = find_span(tables, first)
        if table is not None and section is not None:
            header = read_table_header(cut_lines(section, table))
            columns = " · ".join(plain_text(cell) for cell in header)
        views = []
        # Drawn in time order: a status-update log written newest first reads down the page
        # from the first update, as the timeline's milestones and durations do.
        for event in sorted(events, key=lambda e: self.event_order.get(id(e), 0)):
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
        return Piece(kind="timeline", line=first, text=columns, events=tuple(views))

    def make_action(self, item: ActionItem, group: str) -> ActionView:
        return ActionView(
            item=item,
            state=str(item.state),
            state_label=ACTION_STATE_LABELS[item.state],
            html=self.mark(item.line, self.render_item(item.text)),
            group=group,
            overdue=item.state.is_open() and item.due is not None and item.due < self.site.today,
            extra=tuple((name, self.render_inline(value)) for name, value in item.fields),
        )

    def make_action_table(self, section: Section, span: tuple[int, int]) -> Piece:
        by_line = {a.line: a for a in self.postmortem.action_items}
        markdown = cut_lines(section, span)
        header, rows = split_table_cells(markdown)
        views = []
        for offset, cells in rows:
            item = by_line.get(span[0] + offset)
            shown = [Cell(html=self.render_inline(cell)) for cell in cells]
            if item is not None and shown:
                shown[0] = Cell(html=self.mark(item.line, shown[0].html))
            views.append(
                ActionRow(
                    action=self.make_action(item, "") if item is not None else None,
                    cells=tuple(shown),
                )
            )
        return Piece(
            kind="action_table",
            line=span[0],
            header=tuple(Cell(html=self.render_inline(cell), header=True) for cell in header),
            rows=tuple(views),
        )

    def make_lesson(self, lesson: Lesson, heading_line: int) -> LessonView:
        groups = self.site.catalog.lesson_groups(self.postmortem, lesson)
        title = ""
        if lesson.line != heading_line and not collect_words(lesson.title) <= collect_words(
            plain_text(lesson.text)
        ):
            title = plain_text(lesson.title)
        return LessonView(
            kind=str(lesson.kind),
            kind_label=LESSON_KIND_LABELS[lesson.kind],
            html=self.mark(lesson.line, self.render_item(lesson.text)),
            title=title,
            groups=tuple(
                (
                    Link(url=self.site.url(self.page, f"lessons.md#{g.anchor}"), text=g.title),
                    g.count,
                )
                for g in groups
            ),
        )

    def make_mistake(self, mistake: Mistake, heading_line: int) -> Piece:
        title = "" if mistake.line == heading_line else plain_text(mistake.title)
        return Piece(
            kind="mistake",
            line=mistake.line,
            mistake=MistakeView(
                title=title,
                did=self.mark(mistake.line, self.render_block(mistake.what_we_did)),
                why=self.render_block(mistake.why_wrong),
                should=self.render_block(mistake.should_have_done),
            ),
        )

    def make_cause(self, cause: RootCause, heading_line: int) -> Piece:
        title = ""
        if cause.line != heading_line and not collect_words(cause.title) <= collect_words(
            plain_text(cause.text)
        ):
            title = plain_text(cause.title)
        html = self.mark(cause.line, self.render_block(cause.text))
        return Piece(kind="cause", line=cause.line, text=title, html=html)

    def make_field(self, section: Section, f: Field) -> Piece:
        """Return a body field as its source line shows it (the label as the author wrote it)."""
        lines = section.markdown.split("\n")
        index = f.line - section.line
        raw = lines[index] if 0 <= index < len(lines) else ""
        raw = strip_container(raw)
        if not raw.strip():
            raw = f"**{f.name[:1].upper() + f.name[1:]}:** {f.value}"
        return Piece(kind="field", line=f.line, html=self.render_inline(raw))
