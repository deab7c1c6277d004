"""Action items: checkboxes, tables, and bullets with status markers, owners and priorities.

Most postmortems name no owner and no due date, and mark status in a dozen ways: ``[x]``,
``**DONE**``, ``(done)``, ``✅``, a "Completed" group heading, a Status column saying 完了. The
reader takes what is there and leaves the rest empty; ``pmkb check`` then says what is missing.
An item's text is kept whole (markers included): only the checkbox is removed, since the site
draws it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from generator.models import ActionItem, ActionState, SectionKind
from generator.parse.action_fields import (
    normalize_priority,
    read_done_on,
    read_due,
    read_kind,
    read_owner,
    read_priority,
    read_ticket,
)
from generator.parse.blocks import Block, table_rows
from generator.parse.document import Part, item_markdown, lines_markdown
from generator.parse.states import (
    CHECKBOX,
    CHECKBOX_STATES,
    marked_state,
    nested_state,
    word_state,
)
from generator.parse.text import is_placeholder, plain_text, split_bold_lead, strip_numbering
from generator.parse.times import parse_date
from generator.parse.vocabulary import parenthetical

# A sub-bullet that describes its parent item rather than being work of its own.
_DETAIL = re.compile(
    r"^\s*(?:\*\*)?(?:files?|tools?|links?|owner|refs?|references?|see|notes?|prs?|issues?"
    r"|context|example)(?:\*\*)?\s*:",
    re.IGNORECASE,
)
# A table column whose cells say when an item was done ("Completed", "Done on", "完了日").
_DONE_COLUMN = re.compile(r"done|complet|closed|finished|完了", re.IGNORECASE)
_DONE_GROUP = re.compile(
    r"complete|\bdone\b|implemented|finished|\btaken\b|完了|実施済", re.IGNORECASE
)
_NUMBERED = re.compile(r"^\s*(?:#?\d+(?:\.\d+)*[.):]|[A-Za-z]+\s*#\d+)\s")


_COLUMNS = {
    "text": re.compile(
        r"action|item|task|description|what|todo|アクション|内容|対策|施策|maßnahme|massnahme"
        r"|aufgabe|tâche|acción|ação|tarea|tarefa|措施|行动|行動|事项|事項|조치|항목|작업",
        re.I,
    ),
    "owner": re.compile(
        r"owner|assignee|who|responsib|担当|verantwortlich|zuständig|responsable|responsável"
        r"|负责|負責|담당",
        re.I,
    ),
    "due": re.compile(
        r"due|deadline|target|eta|期限|期日|fällig|frist|termin|échéance|date limite|plazo"
        r"|fecha l[ií]mite|prazo|截止|기한|마감",
        re.I,
    ),
    "state": re.compile(
        r"status|state|progress|done|状態|ステータス|状況|statut|état|estado|situação|状态|狀態"
        r"|进度|進度|상태|진행",
        re.I,
    ),
    "priority": re.compile(r"priority|prio|優先|priorité|prioridad|prioridade|优先|우선", re.I),
    "ticket": re.compile(r"bug|ticket|issue|link|jira|tracking|^pr$|チケット|工单|工單|티켓", re.I),
    "kind": re.compile(
        r"type|kind|category|種別|分類|typ|tipo|catégorie|类型|類型|分类|유형|분류", re.I
    ),
}


def read_action_items(parts: Iterable[Part], lines: list[str], body_line: int) -> list[ActionItem]:
    """Return the action items of every action-item section, in document order."""
    parts = list(parts)
    items: list[ActionItem] = []
    for part in parts:
        if part.kind is SectionKind.ACTION_ITEMS:
            whole = _is_item_section(part, parts, lines)
            items.extend(ItemReader(part, lines, body_line, whole_item=whole).read())
    return items


def _is_item_section(part: Part, parts: list[Part], lines: list[str]) -> bool:
    """Whether a subsection of an action-item section is one item rather than a group.

    ``### Investigation`` over a paragraph is one task; ``### 1. Environment Variable
    Validation`` over prose and code, among numbered siblings of the same kind, is one measure.
    Subsections over nothing but lists (``### Short-term``) are groups.
    """
    if not part.inherited or _is_empty(lines_markdown(lines, part.content_start, part.end)):
        return False
    if not any(b.type.endswith("_list") or b.type == "table" for b in part.blocks):
        return True
    if not _NUMBERED.match(part.title):
        return False
    siblings = [p for p in parts if p.parent is part.parent and p.inherited]
    return not all(_is_list_only(sibling) for sibling in siblings)


def _is_list_only(part: Part) -> bool:
    return bool(part.blocks) and all(
        block.type.endswith("_list") or block.type == "table" for block in part.blocks
    )


def _lineage(part: Part) -> list[Part]:
    """Return a section and the action-item sections enclosing it."""
    found = []
    current: Part | None = part
    while current is not None and current.kind is SectionKind.ACTION_ITEMS:
        found.append(current)
        current = current.parent
    return found


class ItemReader:
    """Reads the action items of one section (lists, tables, plain lines, a whole subsection)."""

    def __init__(
        self, part: Part, lines: list[str], offset: int, *, whole_item: bool = False
    ) -> None:
        self.part = part
        self.lines = lines
        self.offset = offset
        self.whole_item = whole_item
        """Whether the section is one item (see :func:`_is_item_section`)."""
        self.group = _group_name(part)
        self.parent_group = _group_name(part.parent) if part.parent else None
        # The nearest heading that says what the items are for wins ("Monitoring Requirements"
        # under "Prevention Measures" detects); any enclosing "Completed" makes them done.
        hints = [f"{plain_text(p.heading)} {parenthetical(p.heading)}" for p in _lineage(part)]
        self.kind = next((kind for hint in hints if (kind := read_kind(hint))), None)
        done = any(_DONE_GROUP.search(hint) for hint in hints)
        self.default_state = ActionState.DONE if done else ActionState.OPEN

    def read(self) -> list[ActionItem]:
        if self.whole_item:
            return [self._section_item()]
        items: list[ActionItem] = []
        lead = self.part.lead
        if lead is not None and not _is_empty(lead):  # "Next steps: rotate the keys"
            items.append(self.line_item(lead, self.part.start))
            self.part.consume(self.part.start, self.part.start + 1)
        for block in self.part.blocks:
            if block.type == "paragraph" and lead is not None:
                # Plain text under a label ("Next steps:"): each line is one item.
                for index, line in enumerate(block.inline.split("\n")):
                    if not _is_empty(line):
                        items.append(self.line_item(line, block.start + index))
                self.part.consume_block(block)
            elif block.type in ("bullet_list", "ordered_list"):
                items.extend(self._list_items(block.children, self.group))
            elif block.type == "list_item":
                items.extend(self._list_items([block], self.group))
            elif block.type == "table":
                items.extend(self.table_items(block))
        return items

    def _section_item(self) -> ActionItem:
        """Return a whole subsection as one item: its heading says what, its body how."""
        part = self.part
        body = lines_markdown(self.lines, part.content_start, part.end)
        text = "\n\n".join(piece for piece in (strip_numbering(part.title), body) if piece)
        part.consume(part.content_start, part.end)
        state = marked_state(part.title) or self.default_state
        return ActionItem(
            text=text,
            state=state,
            line=self.offset + part.start,
            owner=read_owner(body),
            due=read_due(body),
            done_on=read_done_on(text) if state is ActionState.DONE else None,
            priority=read_priority(body),
            ticket=read_ticket(body),
            group=self.parent_group,
            kind=self.kind,
        )

    def line_item(self, markdown: str, line: int) -> ActionItem:
        """Return one line of plain text as an item."""
        markdown = markdown.strip()
        checkbox = CHECKBOX.match(markdown)
        state = CHECKBOX_STATES[checkbox.group(1)] if checkbox else None
        markdown = markdown[checkbox.end() :] if checkbox else markdown
        return ActionItem(
            text=markdown,
            state=state or marked_state(markdown) or self.default_state,
            line=self.offset + line,
            owner=read_owner(markdown),
            due=read_due(markdown),
            priority=read_priority(markdown),
            ticket=read_ticket(markdown),
            group=self.group,
            kind=self.kind,
        )

    def _list_items(self, members: list[Block], group: str | None) -> list[ActionItem]:
        items = []
        for item in members:
            first = item.children[0] if item.children else None
            lead = split_bold_lead(first.inline) if first and first.type == "paragraph" else None
            nested = [child for child in item.children if child.type.endswith("_list")]
            if lead is not None and _is_label_only(lead[1]) and nested and len(item.children) == 2:
                # "- **Immediate**:" over a sub-list: a group heading written as a bullet.
                self.part.consume(item.start, item.start + 1)
                for child in nested:
                    members = [m for m in child.children if not _is_detail(m, self.lines)]
                    items.extend(self._list_items(members, strip_numbering(lead[0])))
                continue
            if _is_empty(item_markdown(self.lines, item)):
                continue
            items.append(self.item(item, group, nested))
        return items

    def item(self, item: Block, group: str | None, nested: list[Block]) -> ActionItem:
        markdown = item_markdown(self.lines, item)
        state = self.default_state if group == self.group else ActionState.OPEN
        if group != self.group and group is not None and _DONE_GROUP.search(group):
            state = ActionState.DONE
        checkbox = CHECKBOX.match(markdown)
        if checkbox:
            state = CHECKBOX_STATES[checkbox.group(1)]
            markdown = markdown[checkbox.end() :]
        else:
            own = item.children[0].inline if item.children else markdown
            state = marked_state(own) or nested_state(nested, self.lines) or state
        self.part.consume_block(item)
        return ActionItem(
            text=markdown,
            state=state,
            line=self.offset + item.start,
            owner=read_owner(markdown),
            due=read_due(markdown),
            done_on=read_done_on(markdown) if state is ActionState.DONE else None,
            priority=read_priority(markdown),
            ticket=read_ticket(markdown),
            group=group,
            kind=self.kind,
        )

    def table_items(self, table: Block) -> list[ActionItem]:
        header, rows = table_rows(table)
        roles: dict[str, int] = {}
        for index, name in enumerate(header):
            for role, pattern in _COLUMNS.items():
                if role not in roles and pattern.search(plain_text(name)):
                    roles[role] = index
                    break
        if "text" not in roles:
            free = [i for i in range(len(header)) if i not in roles.values()]
            if not free:
                return []
            roles["text"] = max(free, key=lambda i: sum(len(c[i]) for _, c in rows if i < len(c)))
        items = []
        for row, cells in rows:

            def cell(role: str, cells: list[str] = cells) -> str:
                index = roles.get(role)
                return cells[index].strip() if index is not None and index < len(cells) else ""

            text = cell("text")
            if _is_empty(text):
                continue  # a blank template row
            state_text = " ".join((cell("state"), cell("ticket")))
            state = word_state(state_text) or marked_state(text) or self.default_state
            due_text = cell("due")
            done_on = None
            if state is ActionState.DONE:
                dated = [
                    cells[i]
                    for i, name in enumerate(header[: len(cells)])
                    if i != roles.get("due") and _DONE_COLUMN.search(plain_text(name))
                ]
                done_on = next(
                    (found for found in map(parse_date, dated) if found is not None), None
                ) or read_done_on(" ".join((cell("state"), text)))
            fields = tuple(
                (plain_text(header[i]), cells[i].strip())
                for i in range(min(len(header), len(cells)))
                if i != roles["text"] and cells[i].strip()
            )
            items.append(
                ActionItem(
                    text=text,
                    state=state,
                    line=self.offset + row.start,
                    owner=plain_text(cell("owner")) or read_owner(text),
                    due=parse_date(due_text) if due_text else read_due(text),
                    done_on=done_on,
                    priority=normalize_priority(plain_text(cell("priority")))
                    or read_priority(text),
                    ticket=cell("ticket") or read_ticket(cell("state")) or read_ticket(text),
                    group=self.group,
                    kind=read_kind(cell("kind")) or self.kind,
                    fields=fields,
                )
            )
        self.part.consume_block(table)
        return items


def _group_name(part: Part) -> str | None:
    """Return the group of a section's items: its heading, unless it is the list's own."""
    if not part.inherited:
        return None
    return strip_numbering(plain_text(part.heading)) or None


_ATTRIBUTES = frozenset({"kind", "priority", "ticket", "state", "owner", "due"})


def is_action_table(header: list[str]) -> bool:
    """Whether a table's columns say it lists work (an item and two of its attributes)."""
    roles = {
        role
        for name in header
        for role, pattern in _COLUMNS.items()
        if pattern.search(plain_text(name))
    }
    return (
        "text" in roles
        and len(roles & {"kind", "priority", "ticket", "state", "owner", "due"}) >= 2
    )


def _is_label_only(rest: str) -> bool:
    """Whether what follows a bold label is nothing but punctuation or a parenthesis."""
    return not rest.strip() or bool(re.fullmatch(r"\s*\([^)]*\)\s*:?\s*", rest))


def _is_detail(item: Block, lines: list[str]) -> bool:
    return bool(_DETAIL.match(item_markdown(lines, item)))


def _is_empty(text: str) -> bool:
    """Whether an entry holds no words of its own: blank, a dash, or a template placeholder."""
    return is_placeholder(plain_text(text))
