"""The prose sections read into structure: lessons, mistakes, impact, causes, factors, recovery.

Each reader takes the sections of its kind and follows the same shape rules, which is what lets
one reader serve many formats:

- a subsection that took its kind from its parent (``### 1. Always Check Code References`` under
  ``## Lessons Learned``) is one element, titled by its heading, its whole body as text;
- a list in a section of the kind gives one element per item, titled by the item's bold lead
  (``**Check configuration first**: ...``) or its first sentence;
- prose alone gives one element for the whole section.

What a reader turns into elements it marks as consumed; the rest stays in the section's residual.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from generator.models import (
    Item,
    Lesson,
    LessonKind,
    Metric,
    Mistake,
    RootCause,
    SectionKind,
)
from generator.parse.blocks import Block
from generator.parse.document import Part, item_markdown, lines_markdown
from generator.parse.text import (
    first_sentence,
    normalize_title,
    plain_text,
    split_bold_lead,
    strip_numbering,
)

_LESSON_KINDS = {
    SectionKind.LESSONS: LessonKind.LEARNED,
    SectionKind.WENT_WELL: LessonKind.WENT_WELL,
    SectionKind.WENT_WRONG: LessonKind.WENT_WRONG,
    SectionKind.LUCKY: LessonKind.LUCKY,
}
_MISTAKE_PARTS = (
    ("what_we_did", re.compile(r"what (?:we|i) did|what happened|action taken", re.I)),
    ("why_wrong", re.compile(r"why (?:it|this) (?:was )?wrong|why wrong|why it matter|problem",
                             re.I)),
    ("should_have_done", re.compile(r"should have|instead|better approach|correct approach", re.I)),
)  # fmt: skip
_FEATURES = re.compile(r"feature|functionalit|broken|capabilit|機能", re.I)
_QUOTED_METRIC = re.compile(r'^\s*["“](?P<name>[^"”]+)["”]\s*[:：]\s*(?P<value>.+)$', re.S)


class NarrativeReader:
    """Reads the prose sections of one document; every method returns elements in order."""

    def __init__(self, parts: list[Part], lines: list[str], offset: int) -> None:
        self.parts = parts
        self.lines = lines
        self.offset = offset

    def _of(self, *kinds: SectionKind) -> Iterable[Part]:
        return (part for part in self.parts if part.kind in kinds)

    def _line(self, index: int) -> int:
        return self.offset + index

    def _body(self, part: Part) -> str:
        return lines_markdown(self.lines, part.content_start, part.end)

    def _entries(self, part: Part) -> list[tuple[str, str, int]]:
        """(title, text, line) for each element of a section, by the shape rules above."""
        if part.inherited:
            part.consume(part.content_start, part.end)
            return [(strip_numbering(part.title), self._body(part), self._line(part.start))]
        lists = [block for block in part.blocks if block.type.endswith("_list")]
        entries: list[tuple[str, str, int]] = []
        if part.lead:
            entries.append((first_sentence(plain_text(part.lead)), part.lead, part.start))
            part.consume(part.start, part.start + 1)
        if lists and _is_list_shaped(part.blocks):
            for block in lists:
                entries.extend(self._item_entry(item) for item in block.children)
                part.consume_block(block)
            return [(title, text, self._line(line)) for title, text, line in entries]
        prose = [
            block
            for block in part.blocks
            if block.type in ("paragraph", "bullet_list", "ordered_list")
        ]
        if prose:
            first = prose[0]
            title_source = (
                first.inline
                if first.type == "paragraph"
                else plain_text(
                    item_markdown(self.lines, first.children[0]) if first.children else ""
                )
            )
            text = lines_markdown(self.lines, first.start, part.end)
            entries.append((first_sentence(plain_text(title_source)), text, first.start))
            part.consume(first.start, part.end)
        return [(title, text, self._line(line)) for title, text, line in entries]

    def _item_entry(self, item: Block) -> tuple[str, str, int]:
        markdown = item_markdown(self.lines, item)
        lead = split_bold_lead(markdown)
        title = lead[0] if lead else first_sentence(plain_text(markdown))
        return strip_numbering(title), markdown, item.start

    def read_lessons(self, tags: Mapping[str, tuple[str, ...]]) -> list[Lesson]:
        """Return the lessons of every kind, tagged from the front matter's ``lessons:``."""
        lessons = []
        for part in self._of(*_LESSON_KINDS):
            kind = _LESSON_KINDS[part.kind]
            for title, text, line in self._lesson_entries(part):
                lessons.append(
                    Lesson(
                        title=title,
                        text=text,
                        kind=kind,
                        line=line,
                        tags=tags.get(normalize_title(title), ()),
                    )
                )
        return lessons

    def _lesson_entries(self, part: Part) -> list[tuple[str, str, int]]:
        # A subsection that is only a list of "**Lesson**: why" items holds several lessons.
        if part.inherited and len(part.blocks) == 1 and part.blocks[0].type.endswith("_list"):
            items = part.blocks[0].children
            if len(items) > 1 and all(
                item.children and split_bold_lead(item.children[0].inline) for item in items
            ):
                part.consume_block(part.blocks[0])
                return [
                    (title, text, self._line(line))
                    for title, text, line in map(self._item_entry, items)
                ]
        return self._entries(part)

    def read_mistakes(self) -> list[Mistake]:
        """Return the mistakes, in the three-part form when the document uses it."""
        mistakes = []
        for part in self._of(SectionKind.MISTAKES):
            if not part.inherited:
                for title, text, line in self._entries(part):
                    mistakes.append(
                        Mistake(
                            title=title,
                            what_we_did=text,
                            why_wrong="",
                            should_have_done="",
                            line=line,
                        )
                    )
                continue
            found: dict[str, str] = {}
            for block in part.blocks:
                if not block.type.endswith("_list"):
                    continue
                for item in block.children:
                    lead = split_bold_lead(item_markdown(self.lines, item))
                    name = _mistake_part(lead[0]) if lead else None
                    if lead is not None and name is not None and name not in found:
                        found[name] = lead[1].strip()
                        part.consume_block(item)
            mistakes.append(
                Mistake(
                    title=strip_numbering(part.title),
                    what_we_did=found.get("what_we_did", ""),
                    why_wrong=found.get("why_wrong", ""),
                    should_have_done=found.get("should_have_done", ""),
                    line=self._line(part.start),
                )
            )
        return mistakes

    def read_impact(self) -> tuple[list[Item], list[Metric], int]:
        """Return the broken features, the metrics, and the line of the first impact section."""
        features: list[Item] = []
        metrics: list[Metric] = []
        first = 0
        for part in self._of(SectionKind.IMPACT):
            first = first or self._line(part.start)
            lists_features = bool(_FEATURES.search(part.title))
            for block in part.blocks:
                if not block.type.endswith("_list"):
                    continue
                for item in block.children:
                    markdown = item_markdown(self.lines, item)
                    metric = _read_metric(markdown)
                    if metric is not None:
                        name, value = metric
                        metrics.append(Metric(name=name, value=value, line=self._line(item.start)))
                        part.consume_block(item)
                    elif lists_features:
                        features.append(Item(text=markdown, line=self._line(item.start)))
                        part.consume_block(item)
        return features, metrics, first

    def read_root_causes(self) -> list[RootCause]:
        """Return the root causes."""
        parent_of_causes = {id(part.parent) for part in self.parts if part.inherited}
        causes: list[RootCause] = []
        for part in self._of(SectionKind.ROOT_CAUSE):
            if not part.inherited and id(part) in parent_of_causes:
                continue  # its subsections are the causes; its own text is an introduction
            causes.extend(
                RootCause(title=title, text=text, line=line)
                for title, text, line in self._entries(part)
            )
        return causes

    def read_items(self, kind: SectionKind, *, prose: bool) -> list[Item]:
        """Return the list items of a kind's sections (and its prose, when ``prose``)."""
        items: list[Item] = []
        for part in self._of(kind):
            if not prose and not any(b.type.endswith("_list") for b in part.blocks):
                continue
            items.extend(
                Item(text=text, line=line) for _, text, line in self._entries(part) if text.strip()
            )
        return items


def _is_list_shaped(blocks: list[Block]) -> bool:
    """Whether a section is a list of entries: lists, and at most one introductory paragraph.

    "What went wrong" as five bullets holds five lessons; as four paragraphs with a list of
    steps in the middle, it holds one.
    """
    paragraphs = [index for index, block in enumerate(blocks) if block.type == "paragraph"]
    return len(paragraphs) <= 1 and all(index == 0 for index in paragraphs)


def _mistake_part(label: str) -> str | None:
    for name, pattern in _MISTAKE_PARTS:
        if pattern.search(label):
            return name
    return None


def _read_metric(markdown: str) -> tuple[str, str] | None:
    """Read ``"Name": value`` or ``**Name**: value`` (a single line with a value)."""
    quoted = _QUOTED_METRIC.match(markdown)
    if quoted:
        return quoted.group("name").strip(), quoted.group("value").strip()
    lead = split_bold_lead(markdown)
    if lead is not None and lead[1].strip() and "\n" not in lead[1].strip():
        return lead[0], lead[1].strip()
    return None
