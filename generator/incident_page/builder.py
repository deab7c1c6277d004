"""The builder that cuts one postmortem's body into the pieces of its page, in document order.

Each structured element goes to the section whose lines hold it; within a section, its residual
passages (verbatim) and its elements are interleaved by line. Rows of one source table stay one
table (action items as a checklist table, events as one timeline under the column names, any
other kind as the source table itself), and neighbouring pieces of a list-like kind are merged.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from generator.incident_page.durations import measure_milestone_gaps
from generator.incident_page.elements import ElementRenderer
from generator.incident_page.source import (
    collect_words,
    cut_lines,
    find_span,
    find_table_spans,
    find_title_section,
    has_table_row,
    is_label,
    squash,
    strip_container,
)
from generator.incident_page.view import Piece
from generator.markup import plain_text
from generator.models import (
    ActionItem,
    Field,
    Item,
    Lesson,
    Metric,
    Mistake,
    Postmortem,
    RootCause,
    Section,
    TimelineEvent,
)
from generator.views import SiteContext


class IncidentBuilder(ElementRenderer):
    """Cuts one postmortem's body into pieces, in document order (see the module docstring)."""

    def __init__(self, site: SiteContext, postmortem: Postmortem, page: str) -> None:
        super().__init__(site, postmortem, page, measure_milestone_gaps(postmortem))
        self.title_section = find_title_section(postmortem)
        non_title = [s for s in postmortem.sections if s is not self.title_section]
        self.shift = 1 if any(s.level == 1 for s in non_title) else 0

    def find_heading(self) -> str:
        """Return the page's first heading: the document's own title line, else the title.

        The title line is read as written (the parser's heading drops inline HTML), so that
        ``# Outage <b>2</b>`` shows its tags as text, as the rest of the page does.
        """
        section = self.title_section
        if section is None:
            return self.postmortem.title
        written = _ATX_MARKS.sub("", section.markdown.split("\n", 1)[0]) if section.heading else ""
        return plain_text(written) or plain_text(section.heading) or self.postmortem.title

    def cut_pieces(self) -> tuple[Piece, ...]:
        """Return the body as pieces, each element in the section whose lines hold it."""
        sections = self.postmortem.sections
        starts = [s.line for s in sections]
        owned: list[list[tuple[int, str, object]]] = [[] for _ in sections]
        stray: list[tuple[int, str, object]] = []
        for line, kind, element in self._list_elements():
            index = bisect.bisect_right(starts, line) - 1
            if 0 <= index < len(sections) and line <= sections[index].end_line:
                owned[index].append((line, kind, element))
            else:
                stray.append((line, kind, element))
        pieces: list[Piece] = []
        for section, elements in zip(sections, owned, strict=True):
            pieces.extend(self._cut_section(section, elements))
        if stray:  # never expected; shown rather than lost
            pieces.extend(self._cut_elements(None, sorted(stray, key=_pick_line)))
        return tuple(merge_pieces(pieces))

    def _list_elements(self) -> Iterable[tuple[int, str, object]]:
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

    def _cut_section(
        self, section: Section, elements: list[tuple[int, str, object]]
    ) -> list[Piece]:
        pieces: list[Piece] = []
        residual = section.residual
        if section.level > 0 and section is not self.title_section and is_label(section):
            # A bold label standing for a heading ("**Date:** 2025-08-12"): shown as written,
            # with the text after the label that the parser kept as the first passage.
            pieces.append(
                Piece(
                    kind="field",
                    line=section.line,
                    html=self.render_inline(strip_container(section.markdown.split("\n", 1)[0])),
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
        content.extend(e for e in elements if e[1] != "field" or find_span(spans, e[0]) is None)
        content.sort(key=_pick_line)
        pieces.extend(self._cut_elements(section, content))
        return pieces

    def _heading_is_event(self, section: Section, elements: list[tuple[int, str, object]]) -> bool:
        """Return whether the heading is a timestamp the parser read as an event (shown by it)."""
        for line, kind, element in elements:
            if kind == "event" and line == section.line and isinstance(element, TimelineEvent):
                shown = collect_words(f"{element.time or ''} {element.text}")
                return collect_words(plain_text(section.heading)) <= shown
        return False

    def _cut_elements(
        self, section: Section | None, content: list[tuple[int, str, object]]
    ) -> list[Piece]:
        tables = (
            find_table_spans(section)
            if section is not None and has_table_row(section, content)
            else []
        )
        heading_line = section.line if section is not None and section.level > 0 else -1
        pieces: list[Piece] = []
        done_tables: set[int] = set()
        pending_events: list[TimelineEvent] = []
        previous_group: str | None = None

        def flush_events() -> None:
            if pending_events:
                pieces.append(self.make_timeline(list(pending_events), section, tables))
                pending_events.clear()

        for line, kind, element in content:
            table = find_span(tables, line)
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
                        pieces.append(self.make_action_table(section, table))
                    continue
                group = element.group or ""
                show_group = (
                    group
                    if group != previous_group and not self._is_heading(section, group)
                    else ""
                )
                previous_group = group
                pieces.append(
                    Piece(
                        kind="checklist",
                        line=line,
                        actions=(self.make_action(element, show_group),),
                    )
                )
            elif table is not None and section is not None:
                if table[0] not in done_tables:
                    done_tables.add(table[0])
                    pieces.append(
                        Piece(
                            kind="table",
                            line=table[0],
                            html=self.render_block(cut_lines(section, table)),
                        )
                    )
            elif kind == "lesson" and isinstance(element, Lesson):
                pieces.append(
                    Piece(
                        kind="lessons",
                        line=line,
                        lessons=(self.make_lesson(element, heading_line),),
                    )
                )
            elif kind == "mistake" and isinstance(element, Mistake):
                pieces.append(self.make_mistake(element, heading_line))
            elif kind == "cause" and isinstance(element, RootCause):
                pieces.append(self.make_cause(element, heading_line))
            elif kind in ("items", "steps") and isinstance(element, Item):
                html = self.mark(element.line, self.render_item(element.text))
                pieces.append(Piece(kind=kind, line=line, items=(html,)))
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
                pieces.append(self.make_field(section, element))
        flush_events()
        return pieces

    def _is_heading(self, section: Section | None, text: str) -> bool:
        return section is not None and squash(plain_text(section.heading)) == squash(text)


def merge_pieces(pieces: list[Piece]) -> Iterable[Piece]:
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


def _pick_line(entry: tuple[int, str, object]) -> int:
    return entry[0]


# The opening and closing hashes of an ATX heading line (a setext heading's line has none).
_ATX_MARKS = re.compile(r"^ {0,3}#{1,6}(?=\s|$)\s*|\s+#+\s*$")
