"""Read a postmortem file into a :class:`~generator.models.Postmortem`, losing nothing.

One pass: bytes → text (:mod:`.source`) → markdown-it blocks (:mod:`.blocks`) → sections
(:mod:`.document`) → metadata, timeline, action items and prose elements (:mod:`.metadata`,
:mod:`.timeline`, :mod:`.actions`, :mod:`.narrative`) → the model, where each section keeps what no
reader captured as residual passages. Problems become diagnostics; a file pmkb cannot read at all
gives no model, anything else gives one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from generator.errors import Diagnostic, Location, Severity
from generator.models import (
    Impact,
    Passage,
    Phase,
    Postmortem,
    Section,
    SectionKind,
    Status,
    TimelineEvent,
)
from generator.parse.actions import read_action_items
from generator.parse.blocks import parse_blocks
from generator.parse.breaks import expand_breaks
from generator.parse.dating import date_incident, settle_from_timeline
from generator.parse.document import Part, find_parts, lines_markdown
from generator.parse.encoding import BINARY_SAMPLE, decode_bytes, is_binary
from generator.parse.followups import read_followups
from generator.parse.incidents import find_incidents
from generator.parse.metadata import check_front_matter, read_fields, resolve_metadata
from generator.parse.narrative import NarrativeReader
from generator.parse.source import Source, split_front_matter
from generator.parse.timeline import is_timeline_shaped, read_timeline
from generator.parse.times import parse_date
from generator.parse.updates import mark_update_headings
from generator.parse.vocabulary import Vocabulary

__all__ = ["ParseResult", "Vocabulary", "parse_bytes", "parse_file", "parse_text"]

_DEFAULT_VOCABULARY = Vocabulary.build()


@dataclass(frozen=True, slots=True, kw_only=True)
class ParseResult:
    """A parsed file: its model (None when the file could not be read at all) and diagnostics."""

    postmortem: Postmortem | None
    """The model."""
    diagnostics: tuple[Diagnostic, ...] = ()
    """What was wrong or forgiven, in line order."""


def parse_file(
    path: Path, *, vocabulary: Vocabulary | None = None, display: str | None = None
) -> ParseResult:
    """Parse the postmortem at ``path``; ``display`` is the path shown in diagnostics."""
    shown = display or str(path)
    try:
        with path.open("rb") as file:
            # A binary file shows itself in its first bytes: refuse it without reading it all.
            data = file.read(BINARY_SAMPLE)
            if not is_binary(data):
                data += file.read()
    except OSError as error:
        return ParseResult(
            postmortem=None,
            diagnostics=(
                _diagnostic(
                    shown,
                    1,
                    f"cannot read the file ({error.strerror}); check it exists and is readable",
                ),
            ),
        )
    return parse_bytes(data, source=shown, stem=path.stem, vocabulary=vocabulary)


def parse_bytes(
    data: bytes, *, source: str, stem: str | None = None, vocabulary: Vocabulary | None = None
) -> ParseResult:
    """Parse a postmortem's bytes; ``source`` names it in the model and in diagnostics."""
    text, diagnostics = decode_bytes(data, source)
    if text is None:
        return ParseResult(postmortem=None, diagnostics=tuple(diagnostics))
    result = parse_text(text, source=source, stem=stem, vocabulary=vocabulary)
    return ParseResult(
        postmortem=result.postmortem, diagnostics=(*diagnostics, *result.diagnostics)
    )


def parse_text(
    text: str,
    *,
    source: str = "<text>",
    stem: str | None = None,
    vocabulary: Vocabulary | None = None,
) -> ParseResult:
    """Parse a postmortem's text (already decoded)."""
    stem = stem or Path(source).stem
    front, diagnostics = split_front_matter(text, source)
    if not front.body.strip():
        if not front.front_matter and not diagnostics:
            return ParseResult(
                postmortem=None,
                diagnostics=(
                    Diagnostic(
                        location=Location(path=source, line=1),
                        code="PMK004",
                        severity=Severity.ERROR,
                        message="the file is empty; write the postmortem (`pmkb new` scaffolds "
                        "one) or delete the file",
                    ),
                ),
            )
        diagnostics.append(
            Diagnostic(
                location=Location(path=source, line=front.body_line),
                code="PMK004",
                severity=Severity.WARNING,
                message="there is nothing after the front matter; write the postmortem's "
                "sections below it",
            )
        )
    diagnostics.extend(check_front_matter(front))
    try:
        postmortem, found = _read(front, stem, vocabulary or _DEFAULT_VOCABULARY)
    except RecursionError:
        return ParseResult(
            postmortem=None,
            diagnostics=(
                *diagnostics,
                _diagnostic(
                    source,
                    1,
                    "the document nests lists or quotes too deeply to read; "
                    "flatten the deepest nesting",
                ),
            ),
        )
    diagnostics.extend(found)
    return ParseResult(postmortem=postmortem, diagnostics=tuple(diagnostics))


def _read(
    source: Source, stem: str, vocabulary: Vocabulary
) -> tuple[Postmortem, tuple[Diagnostic, ...]]:
    """Return the model of a document and what its metadata leaves in doubt."""
    body, added = expand_breaks(source.body)
    source = replace(source, body=body)  # every reader counts the same lines
    lines = body.split("\n")
    offset = source.body_line
    parts = find_parts(parse_blocks(body), len(lines), vocabulary)
    _add_untitled_start(parts, lines)
    mark_update_headings(parts)
    for part in parts:
        if part.kind is SectionKind.OTHER and is_timeline_shaped(part):
            part.kind = SectionKind.TIMELINE
    fields = read_fields(source, parts, vocabulary)
    meta = resolve_metadata(source, fields, parts, stem)
    title_part = next((part for part in parts if part.is_title), None)
    titles = (str(source.front_matter.get("title") or ""), title_part.title if title_part else "")
    dating = date_incident(
        front=source.front_matter,
        fields=fields,
        title=" ".join((*titles, meta.title)),
        parts=parts,
        lines=lines,
        found=meta.date,
        path=source.path,
    )
    incidents = find_incidents(parts, offset)
    timeline, zone = read_timeline(parts, lines, offset, dating.date)
    dating = settle_from_timeline(
        dating,
        [e.date for e in timeline if e.date and e.phase in (Phase.BEGINS, Phase.DETECTED)],
        next((e.date for e in timeline if e.date), None),
    )
    action_items = sorted(
        [*read_action_items(parts, lines, offset), *read_followups(parts, lines, offset)],
        key=lambda item: item.line,
    )
    narrative = NarrativeReader(parts, lines, offset)
    lessons = narrative.read_lessons(meta.lesson_tags)
    mistakes = narrative.read_mistakes()
    features, metrics, impact_line = narrative.read_impact()
    root_causes = narrative.read_root_causes()
    factors = narrative.read_factors()
    recovery = narrative.read_recovery()
    sections = tuple(_section(part, lines, offset) for part in parts)
    sections = _with_untitled_summary(sections)
    summary = next((s.residual_markdown for s in sections if s.kind is SectionKind.SUMMARY), "")
    status = meta.status
    if (
        status is Status.UNKNOWN
        and meta.status_text is None
        and any(event.phase is Phase.RESOLVED for event in timeline)
    ):
        status = Status.RESOLVED  # said nowhere as a status, but the timeline shows the end
    postmortem = Postmortem(
        id=meta.id,
        source=source.path,
        title=meta.title,
        date=dating.date
        or (incidents[0].date if incidents else None)
        or _incident_day(summary, timeline),
        incidents=tuple(incidents),
        published=dating.published,
        status=status,
        status_text=meta.status_text,
        severity=meta.severity,
        authors=meta.authors,
        owners=meta.owners,
        services=meta.services,
        tags=meta.tags,
        internal=meta.internal,
        summary=summary,
        timezone=zone,
        timeline=timeline,
        mistakes=tuple(mistakes),
        impact=Impact(
            text=_joined(s for s in sections if s.kind is SectionKind.IMPACT),
            broken_features=tuple(features),
            metrics=tuple(metrics),
            line=impact_line,
        ),
        root_causes=tuple(root_causes),
        contributing_factors=tuple(factors),
        lessons=tuple(lessons),
        recovery=tuple(recovery),
        action_items=tuple(action_items),
        sections=sections,
        fields=tuple(fields),
        body_line=offset,
        break_lines=tuple(offset + index for index in added),
    )
    diagnostics = tuple(
        replace(d, location=replace(d.location, line=postmortem.source_line(d.location.line)))
        for d in meta.visibility_diagnostics
    )
    return postmortem, diagnostics


def _incident_day(summary: str, timeline: tuple[TimelineEvent, ...]) -> dt.date | None:
    """Return the incident's day when no date field, title or file name gives it.

    The first date the summary names ("On 2023-07-20 between 12:17 and 12:30 UTC"), else the day
    the timeline says it began or was detected, else its first dated event: a timeline often
    opens with lead-up (the AMI release, the merge) days before the incident.
    """
    found = re.search(r"\b\d{4}-\d{1,2}-\d{1,2}\b", summary)
    if found:
        day = parse_date(found.group(0))
        if day is not None:
            return day
    for phase in (Phase.BEGINS, Phase.DETECTED, None):
        for event in timeline:
            if event.date is not None and (phase is None or event.phase is phase):
                return event.date
    return None


def _add_untitled_start(parts: list[Part], lines: list[str]) -> None:
    """Give lines before the first section (link definitions, say) an untitled section."""
    if not parts:
        if any(line.strip() for line in lines):
            parts.append(Part(heading="", kind=SectionKind.OTHER, level=0, start=0, end=len(lines)))
        return
    first = parts[0]
    if first.start > 0 and any(line.strip() for line in lines[: first.start]):
        parts.insert(0, Part(heading="", kind=SectionKind.OTHER, level=0, start=0, end=first.start))


def _section(part: Part, lines: list[str], offset: int) -> Section:
    end = part.end
    while end > part.start + 1 and not lines[end - 1].strip():
        end -= 1
    return Section(
        heading=part.title,
        kind=part.kind,
        level=part.level,
        line=offset + part.start,
        end_line=offset + end - 1,
        markdown="\n".join(lines[part.start : end]),
        residual=tuple(_residual(part, lines, offset)),
    )


def _residual(part: Part, lines: list[str], offset: int) -> list[Passage]:
    """Return the passages of a section that no reader consumed, in order."""
    covered = sorted(part.consumed)
    passages: list[Passage] = []
    if part.lead and not any(start <= part.start < end for start, end in covered):
        passages.append(Passage(line=offset + part.start, markdown=part.lead.strip()))
    position = part.content_start
    for start, end in [*covered, (part.end, part.end)]:
        if start > position:
            markdown = lines_markdown(lines, position, start)
            if markdown.strip():
                first = position + next(
                    index for index, line in enumerate(lines[position:start]) if line.strip()
                )
                passages.append(Passage(line=offset + first, markdown=markdown))
        position = max(position, end)
    return passages


def _with_untitled_summary(sections: tuple[Section, ...]) -> tuple[Section, ...]:
    """Without a Summary section, the prose under the title (or before it) is the summary."""
    if any(section.kind is SectionKind.SUMMARY for section in sections):
        return sections
    for index, section in enumerate(sections):
        if section.level > 1 or section.kind is not SectionKind.OTHER:
            break
        if section.residual:
            summary = replace(section, kind=SectionKind.SUMMARY)
            return (*sections[:index], summary, *sections[index + 1 :])
    return sections


def _joined(sections: Iterable[Section]) -> str:
    return "\n\n".join(s.residual_markdown for s in sections if s.residual_markdown)


def _diagnostic(path: str, line: int, message: str) -> Diagnostic:
    return Diagnostic(
        location=Location(path=path, line=line),
        code="PMK001",
        severity=Severity.ERROR,
        message=message,
    )
