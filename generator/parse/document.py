"""The shape of a postmortem: its sections, found from headings and bold labels.

Sections partition the body: each starts at a heading (or a bold label that names a section, in
documents written without headings) and runs to the line before the next one. Text before the
first heading is a section of its own (level 0). A section's kind comes from the vocabulary; a
heading the vocabulary does not know takes its parent's kind, so that ``### For Future Database
Changes`` under ``## Preventive Measures`` holds action items, and a timestamp heading under
``## Timeline`` holds an event. Some parents only have children of their own kind (the groups of
an action-item list, the timestamps of a timeline); see :data:`_CHILD_KINDS`.

This module only draws the map. The extractors (timeline, actions, narrative, metadata) read the
:class:`Part` objects and mark which lines they turned into structured elements; what no extractor
marked stays in the section's residual Markdown, verbatim.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field

from generator.models import SectionKind
from generator.parse.blocks import Block
from generator.parse.text import plain_text, split_bold_lead, split_plain_label
from generator.parse.vocabulary import Vocabulary

K = SectionKind

# Kinds whose subsections are parts of them: always (an empty set), or unless the subsection is
# one of the listed kinds or names another kind word for word. Other kinds' subsections are
# whatever kind the vocabulary says.
_CHILD_KINDS: dict[SectionKind, frozenset[SectionKind] | None] = {
    K.TIMELINE: frozenset(),
    K.ACTION_ITEMS: frozenset(),
    K.MISTAKES: frozenset(),
    K.IMPACT: frozenset(),
    K.FIVE_WHYS: frozenset(),
    K.CONTRIBUTING_FACTORS: frozenset(),
    K.WENT_WELL: frozenset(),
    K.WENT_WRONG: frozenset(),
    K.LUCKY: frozenset(),
    K.PEOPLE: frozenset(),
    K.LESSONS: frozenset({K.LESSONS, K.WENT_WELL, K.WENT_WRONG, K.LUCKY}),
}

# Plain-text labels that mark a note or a placeholder, never a section.
_NOTES = frozenset({"TODO", "TO DO", "FIXME", "TBD", "XXX", "NOTE"})

# Sections that may be written as bold-label paragraphs or list items instead of headings.
_LABEL_HOSTS = frozenset({K.OTHER, K.SUMMARY})


@dataclass(slots=True, eq=False)
class Part:
    """A section being read: where it is, what it holds, and what has been understood of it."""

    heading: str
    """The heading's (or label's) inline Markdown; empty for untitled text."""
    kind: SectionKind
    """The section's kind."""
    level: int
    """Heading level; 0 for untitled text; one below the enclosing heading for a label."""
    start: int
    """First body line (0-based), the heading's own line."""
    end: int = 0
    """One past the last body line."""
    content_start: int = 0
    """First body line after the heading."""
    blocks: list[Block] = field(default_factory=list)
    """The section's content blocks (list items, when a list was split at labels)."""
    lead: str | None = None
    """For a label section: the text after the label on the label's own line (the lines after
    it are content lines like any other)."""
    parent: Part | None = None
    """The enclosing section (by heading level)."""
    inherited: bool = False
    """Whether the kind was taken from the parent (the heading named no kind)."""
    named: bool = False
    """Whether the heading named a kind the vocabulary knows."""
    is_title: bool = False
    """Whether this is the document's title (its first heading, a level-1 heading)."""
    consumed: list[tuple[int, int]] = field(default_factory=list)
    """Line ranges [start, end) that extractors turned into structured elements."""

    @property
    def title(self) -> str:
        """The heading as plain text."""
        return plain_text(self.heading)

    def consume(self, start: int, end: int) -> None:
        """Mark lines [start, end) as captured by a structured element."""
        self.consumed.append((start, end))

    def consume_block(self, block: Block) -> None:
        """Mark a block's lines as captured."""
        self.consume(block.start, block.end)


def find_parts(blocks: list[Block], line_count: int, vocabulary: Vocabulary) -> list[Part]:
    """Return the sections of a document, in order, covering all of its lines."""
    parts = _split_at_headings(blocks, vocabulary)
    parts = _split_at_labels(parts, vocabulary)
    for index, part in enumerate(parts):
        part.end = parts[index + 1].start if index + 1 < len(parts) else line_count
    return parts


def _split_at_headings(blocks: list[Block], vocabulary: Vocabulary) -> list[Part]:
    parts: list[Part] = []
    stack: list[Part] = []  # enclosing headings, outermost first
    current: Part | None = None
    seen_heading = False
    for block in blocks:
        if block.type != "heading":
            if current is None:
                current = Part(heading="", kind=K.OTHER, level=0, start=0, content_start=0)
                parts.append(current)
            current.blocks.append(block)
            continue
        level = block.level
        while stack and stack[-1].level >= level:
            stack.pop()
        parent = stack[-1] if stack else None
        current = Part(
            heading=block.inline,
            kind=K.OTHER,
            level=level,
            start=block.start,
            content_start=block.end,
            parent=parent,
            is_title=not seen_heading and level == 1,
        )
        seen_heading = True
        _assign_kind(current, vocabulary)
        parts.append(current)
        stack.append(current)
    return parts


def _assign_kind(part: Part, vocabulary: Vocabulary) -> None:
    named = vocabulary.classify(part.heading)
    parent = part.parent
    if parent is not None and parent.is_title:
        parent = None  # the title's children are the document's top sections
    if parent is not None and parent.kind is not K.OTHER:
        allowed = _CHILD_KINDS.get(parent.kind)
        if named is K.SUMMARY:
            named = None  # "What Happened" under "Root Cause Analysis" is part of the analysis
        if allowed and named not in allowed:
            # "### Action Items" under "## Lessons Learned" is what it says; "### 3. Root
            # Cause Analysis Matters" is a lesson.
            named = vocabulary.classify_exact(part.heading)
        if named is None or (allowed is not None and not allowed):
            part.kind, part.inherited, part.named = parent.kind, True, named is not None
            return
    part.kind = named or K.OTHER
    part.named = named is not None


def _split_at_labels(parts: list[Part], vocabulary: Vocabulary) -> list[Part]:
    """Split untitled, title and unnamed sections where bold labels name sections.

    Labels split only when most labels of the section name a section or a field, and at least
    one names a section: ``**What happened?**:`` in a summary is a pseudo-heading, but a single
    ``**Note**:`` is just emphasis.
    """
    result: list[Part] = []
    for part in parts:
        if part.kind not in _LABEL_HOSTS or part.inherited:
            result.append(part)
            continue
        written = part.blocks
        part.blocks = _split_paragraphs(written, vocabulary)
        candidates = list(_label_candidates(part, vocabulary))
        kinds = [kind for _, _, kind, _ in candidates if kind is not None]
        known = sum(1 for _, label, kind, _ in candidates if kind or vocabulary.field_name(label))
        if not kinds or known * 2 <= len(candidates):
            part.blocks = written
            result.append(part)
            continue
        result.extend(_apply_labels(part, candidates))
    return result


def _split_paragraphs(blocks: list[Block], vocabulary: Vocabulary) -> list[Block]:
    """Cut paragraphs at the lines that open with a section label.

    Text pasted from a word processor or a chat tool has no blank lines: ``Summary: ...``,
    ``Timeline:``, ``09:12 CET: ...`` and ``Next steps:`` are lines of one paragraph. Each label
    line then starts a paragraph of its own (markdown-it keeps one source line per inline line).
    """
    result: list[Block] = []
    for block in blocks:
        if block.type != "paragraph" or "\n" not in block.inline:
            result.append(block)
            continue
        lines = block.inline.split("\n")
        cuts = [i for i, line in enumerate(lines) if i and _names_section(line, vocabulary)]
        if not cuts or _is_field_block(lines, vocabulary):
            result.append(block)
            continue
        for start, end in zip([0, *cuts], [*cuts, len(lines)], strict=True):
            result.append(
                Block(
                    type="paragraph",
                    start=block.start + start,
                    end=block.start + end,
                    inline="\n".join(lines[start:end]),
                )
            )
    return result


def _is_field_block(lines: list[str], vocabulary: Vocabulary) -> bool:
    """Whether a paragraph is a block of ``Key: value`` lines rather than labelled sections.

    ``**Date**: ...``, ``**Severity**: ...``, ``**Impact**: ...`` is metadata: every line is a
    label with its value, and no more of them name sections than fields. Plain text has lines
    under its labels, or labels that are mostly sections.
    """
    sections = fields = 0
    for line in lines:
        label = split_bold_lead(line) or split_plain_label(line)
        if label is None or not label[1].strip():
            return False
        if _names_section(line, vocabulary):
            sections += 1
        else:
            fields += 1
    return sections <= fields


# Kinds whose labels are as often metadata lines ("Status: resolved", "Authors: ana").
_FIELD_LIKE = frozenset({K.STATUS, K.PEOPLE})


def _names_section(line: str, vocabulary: Vocabulary) -> bool:
    """Whether a line opens with a label that names a section rather than a field."""
    label = split_bold_lead(line) or split_plain_label(line)
    if label is None or label[0].upper() in _NOTES or vocabulary.field_name(label[0]):
        return False
    kind = vocabulary.classify(label[0])
    return kind is not None and kind not in _FIELD_LIKE


def _label_candidates(
    part: Part, vocabulary: Vocabulary
) -> list[tuple[Block, str, SectionKind | None, str]]:
    """Return (block, label, kind, rest) for each block or list item that opens with a label."""
    found: list[tuple[Block, str, SectionKind | None, str]] = []
    for block in part.blocks:
        if block.type in ("bullet_list", "ordered_list"):
            items = [(item, _item_label(item)) for item in block.children]
            if all(label is not None for _, label in items):
                for item, label in items:
                    assert label is not None
                    lead = label[1].split("\n", 1)[0]
                    found.append((item, label[0], vocabulary.classify(label[0]), lead))
        elif block.type == "paragraph":
            label = _paragraph_label(block, vocabulary)
            if label is not None:
                # The rest of the label's line, without a hard break's trailing spaces.
                rest = label[1].rstrip(" \t")
                found.append((block, label[0], vocabulary.classify(label[0]), rest))
    return found


def _item_label(item: Block) -> tuple[str, str] | None:
    first = item.children[0] if item.children else None
    if first is None or first.type != "paragraph":
        return None
    return split_bold_lead(first.inline)


def _paragraph_label(block: Block, vocabulary: Vocabulary) -> tuple[str, str] | None:
    lines = block.inline.split("\n")
    labels = [split_bold_lead(line) for line in lines]
    if sum(1 for label in labels if label is not None) > 1 and _is_field_block(lines, vocabulary):
        return None  # several "**Key**: value" lines: a metadata block, not a heading
    label = labels[0]
    if label is None:
        plain = split_plain_label(lines[0])
        if plain is None or plain[0].upper() in _NOTES or vocabulary.classify(plain[0]) is None:
            return None  # "TODO: describe the impact" is a placeholder, not a section
        label = plain
    return label[0], label[1]


def _apply_labels(
    part: Part, candidates: list[tuple[Block, str, SectionKind | None, str]]
) -> list[Part]:
    """Cut a section at its labels; list items become blocks of the sections they open."""
    starts = {id(block): (label, kind, rest) for block, label, kind, rest in candidates}
    pieces = [part]
    current = part
    blocks, part.blocks = part.blocks, []
    level = (part.level if part.level else 1) + 1
    for block in blocks:
        members = block.children if block.type in ("bullet_list", "ordered_list") else [block]
        if not any(id(member) in starts for member in members):
            current.blocks.append(block)
            continue
        for member in members:
            if id(member) not in starts:
                current.blocks.append(member)
                continue
            label, kind, rest = starts[id(member)]
            current = Part(
                heading=label,
                kind=kind or K.OTHER,
                level=level,
                start=member.start,
                content_start=member.start + 1,
                lead=rest,
                parent=part,
                named=kind is not None,
            )
            if member.type == "list_item":
                current.blocks.extend(member.children[1:])
            elif member.type == "paragraph" and member.end - member.start > 1:
                # The lines under a label line ("Timeline:" then "09:12 CET: ...").
                current.blocks.append(
                    Block(
                        type="paragraph",
                        start=member.start + 1,
                        end=member.end,
                        inline=member.inline.split("\n", 1)[1],
                    )
                )
            pieces.append(current)
    return pieces


_MARKER = re.compile(r"^(\s*)(?:[-*+]|\d{1,9}[.)])(?:[ \t]{1,4}|$)")


def item_markdown(lines: list[str], item: Block) -> str:
    """Return a list item's Markdown: marker removed, continuation lines dedented."""
    first = lines[item.start]
    marker = _MARKER.match(first)
    width = marker.end() if marker else 0
    rest = [_dedent_line(line, width) for line in lines[item.start + 1 : item.end]]
    return "\n".join([first[width:], *rest]).rstrip()


def lines_markdown(lines: list[str], start: int, end: int) -> str:
    """Return lines [start, end) as Markdown, dedented, without blank lines around."""
    # Trailing spaces of the last line (a hard break with nothing after it) mean nothing.
    return textwrap.dedent("\n".join(lines[start:end])).strip("\n").rstrip()


def _dedent_line(line: str, width: int) -> str:
    stripped = line.lstrip(" ")
    return stripped if len(line) - len(stripped) <= width else line[width:]
