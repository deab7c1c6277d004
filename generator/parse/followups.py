"""Action items written where the work came up, outside the action-item sections.

Teams mark follow-ups inline: a bullet opening with a state word (``DONE``, ``TODO``, ``DOING``,
``ERLEDIGT``, ``完了``) in a lessons or findings list, an ``Action point:`` paragraph after the
discussion that prompted it, or a table with type, priority, bug and status columns. Each is an
action item where it is written (and no longer a lesson); the rest of the section is untouched.
Timelines and resolution sections are left alone: what they list was done during the incident.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from generator.models import ActionItem, SectionKind
from generator.parse.actions import ItemReader, is_action_table, leading_state
from generator.parse.blocks import Block, table_rows
from generator.parse.document import Part

_SKIPPED = frozenset({SectionKind.ACTION_ITEMS, SectionKind.TIMELINE, SectionKind.RESOLUTION})
# "Action point:", "Action item:", "AP:", "Follow-up:", in the languages of the vocabulary.
_ACTION_LABEL = re.compile(
    r"^\s*(?:\*\*|__)?(?:action points?|action items?|ap|follow[- ]?up|aktionspunkt"
    r"|maßnahme|point d'action|action à mener|acción|ação|punto de acción|行动项|行動項|待办"
    r"|对策|對策|対策|アクション|조치 사항|후속 조치)(?:\*\*|__)?\s*[:：](?:\*\*|__)?\s*",
    re.IGNORECASE,
)


def read_followups(parts: Iterable[Part], lines: list[str], body_line: int) -> list[ActionItem]:
    """Return the action items written outside action-item sections, in document order."""
    items: list[ActionItem] = []
    for part in parts:
        if part.kind in _SKIPPED:
            continue
        reader = ItemReader(part, lines, body_line)
        for block in part.blocks:
            items.extend(_block_items(reader, part, block))
    return items


def _block_items(reader: ItemReader, part: Part, block: Block) -> list[ActionItem]:
    if block.type in ("bullet_list", "ordered_list"):
        found = []
        for item in block.children:
            first = item.children[0] if item.children else None
            if first is not None and first.type == "paragraph" and leading_state(first.inline):
                nested = [child for child in item.children if child.type.endswith("_list")]
                found.append(reader.item(item, reader.group, nested))
        return found
    if block.type == "paragraph":
        label = _ACTION_LABEL.match(block.inline)
        if label is None or not block.inline[label.end() :].strip():
            return []
        part.consume_block(block)
        return [reader.line_item(block.inline[label.end() :], block.start)]
    if block.type == "table":
        header, _ = table_rows(block)
        if is_action_table(header):
            return reader.table_items(block)
    return []
