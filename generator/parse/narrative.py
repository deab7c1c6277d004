"""The prose sections read into structure: lessons, mistakes, impact, causes, factors, recovery.

Each reader takes the sections of its kind and follows the same shape rules, which is what lets
one reader serve many formats:

- a subsection that took its kind from its parent (``### 1. Always Check Code References`` under
  ``## Lessons Learned``) is one element, titled by its heading, its whole body as text;
- a list in a section of the kind gives one element per item, titled by the item's bold lead
  (``**Check configuration first**: ...``) or its first sentence, unless the list is a step in a
  longer story (several paragraphs around it), which is then one element;
- prose alone gives one element for the whole section.

Entries that hold no words of their own (an empty heading, a bare ``-``, ``TBD``, ``{{ x }}``,
"Not much.") give no element. What a reader turns into elements it marks as consumed; the rest
stays in the section's residual.
"""

from __future__ import annotations

import re
import unicodedata
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
    is_placeholder,
    normalize_title,
    plain_text,
    split_bold_lead,
    strip_numbering,
)
from generator.parse.vocabulary import normalize_heading

_LESSON_KINDS = {
    SectionKind.LESSONS: LessonKind.LEARNED,
    SectionKind.WENT_WELL: LessonKind.WENT_WELL,
    SectionKind.WENT_WRONG: LessonKind.WENT_WRONG,
    SectionKind.LUCKY: LessonKind.LUCKY,
}
_MISTAKE_PARTS = (
    ("what_we_did", re.compile(r"what (?:we|i) did|what happened|action taken", re.I)),
    (
        "why_wrong",
        re.compile(r"why (?:it|this) (?:was )?wrong|why wrong|why it matter|problem", re.I),
    ),
    ("should_have_done", re.compile(r"should have|instead|better approach|correct approach", re.I)),
)
_FEATURES = re.compile(r"feature|functionalit|broken|capabilit|機能", re.I)
_METRICS = re.compile(r"metric|dashboard|number|stat|measure|kpi|数値|指標", re.I)
_QUOTED_METRIC = re.compile(r'^\s*["“](?P<name>[^"”]+)["”]\s*[:：]\s*(?P<value>.+)$', re.S)
_NAMES_CAUSE = re.compile(r"root cause|根本原因|^原因", re.I)
_CHECKBOX = re.compile(r"^\[[ xX]\][ \t]+")
_NUMBERED = re.compile(r"^\s*#?\d+(?:\.\d+)*[.):]?\s")

Entry = tuple[str, str, int]
"""(title, Markdown text, body-relative line) of one element."""


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

    def _entries(self, part: Part) -> list[Entry]:
        """Return the elements of a section by the shape rules of the module docstring."""
        if part.inherited:
            body = self._body(part)
            if is_placeholder(plain_text(body)):
                return []  # a heading over nothing (a blank template's)
            part.consume(part.content_start, part.end)
            return [(clean_title(part.title), body, self._line(part.start))]
        entries: list[Entry] = []
        if part.lead and not is_placeholder(plain_text(part.lead)):
            entries.append((first_sentence(plain_text(part.lead)), part.lead, part.start))
            part.consume(part.start, part.start + 1)
        lists = [block for block in part.blocks if block.type.endswith("_list")]
        if lists and _is_list_shaped(part.blocks):
            for block in lists:
                entries.extend(self._list_entries(block, part))
                part.consume_block(block)
        elif prose := [
            b for b in part.blocks if (b.type == "paragraph" or b in lists) and not _taken(part, b)
        ]:
            first = prose[0]
            # Up to a follow-up taken from the prose ("Action point: ..."), which is not lesson.
            end = min((s for s, _ in part.consumed if s > first.start), default=part.end)
            text = lines_markdown(self.lines, first.start, end)
            if not is_placeholder(plain_text(text)):
                source = first.inline if first.type == "paragraph" else plain_text(text)
                entries.append((first_sentence(plain_text(source)), text, first.start))
                part.consume(first.start, end)
        return [(title, text, self._line(line)) for title, text, line in entries]

    def _list_entries(self, block: Block, part: Part | None = None) -> list[Entry]:
        entries = []
        for item in block.children:
            if part is not None and _taken(part, item):
                continue  # an action item written among the lessons ("TODO: ...")
            markdown = item_markdown(self.lines, item)
            if is_placeholder(plain_text(markdown)):
                continue
            lead = split_bold_lead(markdown)
            title = lead[0] if lead else first_sentence(plain_text(markdown))
            entries.append((clean_title(title), markdown, item.start))
        return entries

    def read_lessons(self, tags: Mapping[str, tuple[str, ...]]) -> list[Lesson]:
        """Return the lessons of every kind, tagged from the front matter's ``lessons:``."""
        lessons: list[Lesson] = []
        listed: set[int] = set()  # sections whose own list already holds their lessons
        for part in self._of(*_LESSON_KINDS):
            if part.inherited and id(part.parent) in listed:
                continue  # "### Code Issues Fixed Along the Way" after a list of lessons
            entries = self._lesson_entries(part)
            if entries and not part.inherited:
                listed.add(id(part))
            kind = _LESSON_KINDS[part.kind]
            lessons.extend(
                Lesson(
                    title=title,
                    text=text,
                    kind=kind,
                    line=line,
                    tags=tags.get(normalize_title(title), ()),
                )
                for title, text, line in entries
            )
        return lessons

    def _lesson_entries(self, part: Part) -> list[Entry]:
        # A subsection that is only a list of "**Lesson**: why" items holds several lessons.
        if part.inherited and len(part.blocks) == 1 and part.blocks[0].type.endswith("_list"):
            items = part.blocks[0].children
            if len(items) > 1 and all(
                item.children and split_bold_lead(item.children[0].inline) for item in items
            ):
                entries = self._list_entries(part.blocks[0], part)
                part.consume_block(part.blocks[0])
                return [(title, text, self._line(line)) for title, text, line in entries]
        return self._entries(part)

    def read_mistakes(self) -> list[Mistake]:
        """Return the mistakes, in the three-part form when the document uses it."""
        mistakes: list[Mistake] = []
        for part in self._of(SectionKind.MISTAKES):
            if not part.inherited:
                mistakes.extend(
                    Mistake(
                        title=title, what_we_did=text, why_wrong="", should_have_done="", line=line
                    )
                    for title, text, line in self._entries(part)
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
            if found or not is_placeholder(part.title):
                mistakes.append(
                    Mistake(
                        title=clean_title(part.title),
                        what_we_did=found.get("what_we_did", ""),
                        why_wrong=found.get("why_wrong", ""),
                        should_have_done=found.get("should_have_done", ""),
                        line=self._line(part.start),
                    )
                )
        return mistakes

    def read_impact(self) -> tuple[list[Item], list[Metric], int]:
        """Return the broken features, the metrics, and the line of the first impact section.

        ``"Completion": Always 100%`` is a metric anywhere; ``**Requests failed**: 3.7M`` is one
        under a metrics heading or when its value is a short figure; statements such as
        ``**Severity**: Critical - paying customers ...`` stay prose.
        """
        features: list[Item] = []
        metrics: list[Metric] = []
        first = 0
        for part in self._of(SectionKind.IMPACT):
            first = first or self._line(part.start)
            lists_features = bool(_FEATURES.search(part.title))
            lists_metrics = bool(_METRICS.search(part.title))
            for block in part.blocks:
                if not block.type.endswith("_list"):
                    continue
                for item in block.children:
                    markdown = item_markdown(self.lines, item)
                    metric = _read_metric(markdown, anything=lists_metrics)
                    if metric is not None:
                        name, value = metric
                        metrics.append(Metric(name=name, value=value, line=self._line(item.start)))
                        part.consume_block(item)
                    elif lists_features and not is_placeholder(plain_text(markdown)):
                        features.append(Item(text=markdown, line=self._line(item.start)))
                        part.consume_block(item)
        return features, metrics, first

    def read_root_causes(self) -> list[RootCause]:
        """Return the root causes.

        A section that names root causes ("Root causes", "根本原因") wins: the lead-up, fault or
        background sections of the same document are then context, not causes.
        """
        parts = list(self._of(SectionKind.ROOT_CAUSE))
        named = [part for part in parts if _names_cause(part)]
        parents = {id(part.parent) for part in parts if part.inherited}
        causes: list[RootCause] = []
        for part in named or parts:
            if not part.inherited and id(part) in parents:
                continue  # its subsections are the causes; its own text is an introduction
            causes.extend(
                RootCause(title=title, text=text, line=line)
                for title, text, line in self._entries(part)
            )
        return causes

    def read_factors(self) -> list[Item]:
        """Return the contributing factors."""
        return [
            Item(text=text, line=line)
            for part in self._of(SectionKind.CONTRIBUTING_FACTORS)
            for _, text, line in self._entries(part)
        ]

    def read_recovery(self) -> list[Item]:
        """Return the recovery steps already taken.

        They are the list entries of resolution sections, and numbered resolution subsections
        with no list (``### 1. Recreated the table``).
        """
        steps: list[Item] = []
        for part in self._of(SectionKind.RESOLUTION):
            lists = [block for block in part.blocks if block.type.endswith("_list")]
            if lists:
                for block in lists:
                    # A checklist of what was done: the steps, without their boxes.
                    steps.extend(
                        Item(text=_CHECKBOX.sub("", text), line=self._line(line))
                        for _, text, line in self._list_entries(block)
                    )
                    part.consume_block(block)
            elif part.inherited and _NUMBERED.match(part.title):
                for title, body, line in self._entries(part):
                    steps.append(Item(text=f"{title}\n\n{body}".strip(), line=line))
        return steps


def _taken(part: Part, block: Block) -> bool:
    """Whether another reader already turned a block into a structured element."""
    return any(start <= block.start < end for start, end in part.consumed)


def clean_title(title: str) -> str:
    """Return a title without numbering or decorative symbols (emoji) at its ends."""
    text = strip_numbering(title).strip()
    start, end = 0, len(text)
    while start < end and _is_decoration(text[start]):
        start += 1
    while end > start and _is_decoration(text[end - 1]):
        end -= 1
    return text[start:end] or title.strip()


def _is_decoration(char: str) -> bool:
    """Emoji, pictographs, joiners and spaces: not backticks, quotes or brackets."""
    return char.isspace() or unicodedata.category(char) in ("So", "Cf", "Mn")


def _names_cause(part: Part) -> bool:
    heading = normalize_heading(part.heading)
    if _NAMES_CAUSE.search(heading):
        return True
    return part.inherited and part.parent is not None and _names_cause(part.parent)


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


def _read_metric(markdown: str, *, anything: bool) -> tuple[str, str] | None:
    """Read ``"Name": value`` or ``**Name**: value`` (one line) as a metric."""
    quoted = _QUOTED_METRIC.match(markdown)
    if quoted:
        return quoted.group("name").strip(), quoted.group("value").strip()
    lead = split_bold_lead(markdown)
    if lead is None:
        return None
    value = lead[1].strip()
    if not value or "\n" in value:
        return None
    figure = len(value) <= 30 and any(char.isdigit() for char in value)
    return (lead[0], value) if anything or figure else None
