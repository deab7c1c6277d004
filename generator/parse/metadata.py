"""Metadata: front matter, and the many ways bodies state date, status, severity and people.

Fields are collected as written (:class:`~generator.models.Field`): front matter keys, fields in
headings (``## Date: 2025-08-12``), a heading naming a field over its value (``### Date`` then
``2015-10-21``), ``**Status:** Resolved`` lines, ``Created By: ...`` lines, ``- Category: ...``
lists, key/value tables (``| 重大度 | SEV-3 |``), and the first line of a Status section. The
front matter wins over the body, and the first body field wins over later ones.

Metadata written under the title (before the first section) is shown in the page header, so its
lines are consumed; elsewhere it is read but left in place.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from generator.errors import Diagnostic, Location, Severity
from generator.models import Field, SectionKind, Status
from generator.parse.blocks import Block, table_rows
from generator.parse.document import Part
from generator.parse.front_matter import format_value
from generator.parse.source import Source
from generator.parse.text import (
    is_placeholder,
    normalize_title,
    plain_text,
    split_bold_lead,
    split_plain_label,
    strip_symbols,
)
from generator.parse.times import parse_date, read_stamp
from generator.parse.titles import find_title
from generator.parse.visibility import Visibility, read_visibility
from generator.parse.vocabulary import Vocabulary

_HOSTS = frozenset({SectionKind.OTHER, SectionKind.SUMMARY, SectionKind.STATUS})
# Fields a heading can name over its value ("### Date" then "2015-10-21"): a heading like
# "### Affected Components" over a list is a section, not a field.
_HEADING_FIELDS = frozenset({"date", "status", "severity", "authors", "owners"})
_STATUS_WORDS = tuple(
    (status, re.compile(pattern, re.IGNORECASE))
    for status, pattern in (
        (
            Status.IN_REVIEW,
            r"in[ _-]?review|under review|reviewing|レビュー中|审核中|審核中"
            r"|검토 ?중|in prüfung|en revisión|em revisão|en relecture",
        ),
        (
            Status.DRAFT,
            r"\bdraft|work in progress|\bwip\b|下書き|草稿|초안|entwurf|brouillon"
            r"|borrador|rascunho",
        ),
        (
            Status.MONITORING,
            r"monitoring|watching|監視中|监控中|監控中|모니터링|überwachung"
            r"|surveillance|monitoreo|monitorando|monitoramento",
        ),
        (
            Status.CLOSED,
            r"\bclosed|\bfinal\b|reviewed|complete[d]?|\bdone\b|archived|完了"
            r"|已关闭|已關閉|종료|abgeschlossen|clôturé|fermé|cerrado|fechado|conclu[ií]do",
        ),
        (
            Status.RESOLVED,
            r"resolved|fixed|restored|mitigated|recovered|✅|解決|復旧|已解决"
            r"|已恢复|已恢復|해결|복구|behoben|gelöst|résolu|rétabli|resuelto|resolvido",
        ),
        (
            Status.OPEN,
            r"\bopen\b|ongoing|active|investigating|identified|in progress|対応中"
            r"|处理中|處理中|调查中|調查中|진행 ?중|조사 ?중|\boffen\b|en cours|abierto|en curso"
            r"|aberto|em andamento",
        ),
    )
)
_SPLIT_PEOPLE = re.compile(r"\s*(?:,|;|、|\band\b|&)\s*")
_SPLIT_LIST = re.compile(r"\s*[,;、]\s*")
_EMAIL = re.compile(r"\s*<[^>@\s]+@[^>\s]+>")
_SEVERITY = re.compile(
    r"\b(?:sev(?:erity)?[\s-]?\d|p[0-4]|critical|major|minor|high|medium|low)\b", re.I
)
_FILE_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


def read_fields(source: Source, parts: list[Part], vocabulary: Vocabulary) -> list[Field]:
    """Return every metadata field of a document: front matter first, then the body in order."""
    fields = [
        Field(
            name=str(key).lower(),
            value=format_value(value),
            line=source.front_matter_lines.get(str(key), 1),
            front_matter=True,
        )
        for key, value in source.front_matter.items()
    ]
    reader = _BodyReader(vocabulary, source.body_line)
    for part in parts:
        fields.extend(reader.read(part))
    return fields


@dataclass(slots=True)
class _BodyReader:
    vocabulary: Vocabulary
    offset: int

    def read(self, part: Part) -> list[Field]:
        found = self._heading_fields(part)
        # The page header shows every field, so field lines under the title or in a summary
        # are consumed (the summary then holds only prose); elsewhere ("# Stats") they stay.
        shown_in_header = part.is_title or part.level == 0 or part.kind is SectionKind.SUMMARY
        if part.kind in _HOSTS or shown_in_header:
            for block in part.blocks:
                block_fields = self._block_fields(block)
                if block_fields and shown_in_header:
                    part.consume_block(block)
                found.extend(block_fields)
        return found

    def _heading_fields(self, part: Part) -> list[Field]:
        title = part.title
        line = self.offset + part.start
        label = split_plain_label(title)
        if label is not None and label[1].strip():
            name = self.vocabulary.field_name(label[0])
            if name is not None:
                return [Field(name=name, value=label[1].strip(), line=line)]
        name = self.vocabulary.field_name(title) if title else None
        if name is not None and part.lead:  # "- **Time to repair**: 0h 16m"
            return [Field(name=name, value=plain_text(part.lead), line=line)]
        if name not in _HEADING_FIELDS or part.lead is not None:
            return []
        block = part.blocks[0] if part.blocks else None
        if block is None or block.type not in ("paragraph", "bullet_list", "ordered_list"):
            return []  # "### Date" over nothing (a blank template) or over a table
        if block.type == "paragraph":
            value = plain_text(block.inline)
        else:
            value = ", ".join(
                plain_text(i.children[0].inline) for i in block.children if i.children
            )
        return [Field(name=name, value=value, line=self.offset + block.start)] if value else []

    def _block_fields(self, block: Block) -> list[Field]:
        if block.type == "paragraph":
            rows = [
                (self.offset + block.start + index, _label(line))
                for index, line in enumerate(block.inline.split("\n"))
            ]
        elif block.type in ("bullet_list", "ordered_list"):
            # One label line per item, as in a paragraph: an item that runs on (a table or text
            # written right under it, without a blank line) is not a field, and stays text.
            rows = [
                (self.offset + item.start, _label(item.children[0].inline))
                if len(item.children) == 1
                and item.children[0].type == "paragraph"
                and "\n" not in item.children[0].inline
                else (0, None)
                for item in block.children
            ]
        elif block.type == "table":
            header, body = table_rows(block)
            if len(header) != 2:
                return []
            # Every row a name and a value, as every line of a paragraph of fields: a row left
            # empty (a timeline's row, a label run on into the table) makes it no field table.
            rows = [
                (self.offset + row.start, (plain_text(cells[0]), cells[1]))
                if plain_text(cells[1])
                else (0, None)
                for row, cells in body
                if len(cells) == 2
            ]
            if self.vocabulary.field_name(header[0]):  # "| Date | 2025-01-01 |" as the header
                rows.insert(0, (self.offset + block.start, (plain_text(header[0]), header[1])))
        else:
            return []
        if not rows or any(pair is None for _, pair in rows):
            return []
        named = [
            (line, self.vocabulary.field_name(pair[0]), pair)
            for line, pair in rows
            if pair is not None
        ]
        if not any(name for _, name, _ in named):
            return []
        fields = [
            Field(name=name or pair[0].lower(), value=plain_text(pair[1]), line=line)
            for line, name, pair in named
            if plain_text(pair[1])
        ]
        return sorted(fields, key=lambda field: field.line)


def _label(line: str) -> tuple[str, str] | None:
    label = split_bold_lead(line) or split_plain_label(line)
    if label is None or not label[1].strip():
        return None
    return plain_text(label[0]), label[1].strip()


@dataclass(frozen=True, slots=True, kw_only=True)
class Metadata:
    """What the fields say, resolved: front matter first, then the first body field."""

    id: str
    title: str
    date: dt.date | None
    status: Status
    status_text: str | None
    severity: str | None
    authors: tuple[str, ...]
    owners: tuple[str, ...]
    services: tuple[str, ...]
    tags: tuple[str, ...]
    internal: bool
    visibility_diagnostics: tuple[Diagnostic, ...]
    lesson_tags: dict[str, tuple[str, ...]]


def resolve_metadata(source: Source, fields: list[Field], parts: list[Part], stem: str) -> Metadata:
    """Return the resolved metadata of a document."""
    front = source.front_matter

    def first(name: str) -> Field | None:
        return next((f for f in fields if f.name == name), None)

    title = find_title(front, parts, stem)
    status_field = first("status")
    status_text = status_field.value if status_field else None
    severity_field = first("severity") or first("sev")
    visibility, visibility_diagnostics = read_visibility(source, fields)
    return Metadata(
        id=_text(front.get("id")) or stem,
        title=title,
        date=_date(front, first("date") or first("duration"), parts, stem),
        status=normalize_status(status_text),
        status_text=status_text,
        severity=_severity(severity_field.value) if severity_field else None,
        authors=_names(front.get("authors", front.get("author")), first("authors"), people=True),
        owners=_names(front.get("owners", front.get("owner")), first("owners"), people=True),
        services=_names(front.get("services", front.get("service")), first("services")),
        tags=_tags(
            front.get("tags"), [f for f in fields if f.name == "tags" and not f.front_matter]
        ),
        internal=visibility is not Visibility.PUBLIC,
        visibility_diagnostics=tuple(visibility_diagnostics),
        lesson_tags=_lesson_tags(front.get("lessons")),
    )


def normalize_status(text: str | None) -> Status:
    """Return the status a status text names (the earliest status word wins)."""
    if not text:
        return Status.UNKNOWN
    found: tuple[int, Status] | None = None
    for status, pattern in _STATUS_WORDS:
        match = pattern.search(text)
        if match and (found is None or match.start() < found[0]):
            found = (match.start(), status)
    return found[1] if found else Status.UNKNOWN


def _date(
    front: dict[str, Any], field: Field | None, parts: list[Part], stem: str
) -> dt.date | None:
    value = front.get("date")
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    for text in (_text(value), field.value if field else ""):
        found = parse_date(text) if text else None
        if found:
            return found
    heading = next((part for part in parts if part.is_title), None)
    for text in (_text(front.get("title")), heading.title if heading else ""):
        found = _date_in(text)
        if found:
            return found
    return _date_in(PurePath(stem).name)


def _date_in(text: str) -> dt.date | None:
    stamp = read_stamp(text)
    if stamp is not None and stamp.date is not None:
        return stamp.date
    match = _FILE_DATE.search(text)
    if match:
        try:
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            return None
    return None


def _severity(text: str) -> str | None:
    clean = strip_symbols(plain_text(text)).strip()
    match = _SEVERITY.search(clean)
    if match and match.start() == 0:
        return match.group(0)
    return clean or None


def _names(value: object, field: Field | None, *, people: bool = False) -> tuple[str, ...]:
    """Split a list of names; people's names also split on "and" ("Jon and Weihang")."""
    if isinstance(value, (list, tuple)):
        text = ", ".join(_text(item) for item in value)
    else:
        text = _text(value) or (field.value if field else "")
    pattern = _SPLIT_PEOPLE if people else _SPLIT_LIST
    # Front matter is no Markdown: "<team-a>" or "[x](y)" there is a name, shown as written.
    read = plain_text if value is None else str.strip
    names = (read(_EMAIL.sub("", name)).strip() for name in pattern.split(text))
    return tuple(name for name in names if name and not is_placeholder(name))


def _tags(value: object, fields: Iterable[Field]) -> tuple[str, ...]:
    tags: list[str] = []
    if isinstance(value, (list, tuple)):
        tags.extend(_text(item) for item in value)
    elif value is not None:
        tags.extend(part.strip() for part in _text(value).split(","))
    for field in fields:
        tags.extend(part.strip() for part in field.value.split(","))
    unique: dict[str, str] = {}
    for tag in tags:
        if tag and not is_placeholder(tag):
            unique.setdefault(tag.lower(), tag)
    return tuple(unique.values())


_NAME_LISTS = ("authors", "author", "owners", "owner", "services", "service", "tags")


def check_front_matter(source: Source) -> list[Diagnostic]:
    """Return the front matter values pmkb cannot read as what their key needs."""
    front = source.front_matter
    problems = []
    for key in _NAME_LISTS:
        value = front.get(key)
        if (value is not None and not isinstance(value, (str, list))) or (
            isinstance(value, list) and any(isinstance(item, (dict, list)) for item in value)
        ):
            problems.append(
                (
                    key,
                    Severity.WARNING,
                    f"'{key}' should be a name or a list of names, like '{key}: [a, b]'; "
                    "it was read as text",
                )
            )
    return [
        Diagnostic(
            location=Location(path=source.path, line=source.front_matter_lines.get(key, 1)),
            code="PMK003",
            severity=severity,
            message=message,
        )
        for key, severity, message in problems
    ]


def _lesson_tags(value: object) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict):
        return {}
    tags: dict[str, tuple[str, ...]] = {}
    for title, tag in value.items():
        names = tag if isinstance(tag, list) else [tag]
        tags[normalize_title(str(title))] = tuple(_text(name) for name in names if _text(name))
    return tags


def _text(value: object) -> str:
    return format_value(value).strip() if value is not None else ""
