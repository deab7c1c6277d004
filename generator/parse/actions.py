"""Action items: checkboxes, tables, and bullets with status markers, owners and priorities.

Most postmortems name no owner and no due date, and mark status in a dozen ways: ``[x]``,
``**DONE**``, ``(done)``, ``✅``, a "Completed" group heading, a Status column saying 完了. The
reader takes what is there and leaves the rest empty; ``pmkb check`` then says what is missing.
An item's text is kept whole (markers included): only the checkbox is removed, since the site
draws it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from generator.models import ActionItem, ActionKind, ActionState, SectionKind
from generator.parse.blocks import Block, table_rows
from generator.parse.document import Part, item_markdown, lines_markdown
from generator.parse.text import is_placeholder, plain_text, split_bold_lead, strip_numbering
from generator.parse.times import parse_date
from generator.parse.vocabulary import parenthetical

_CHECKBOX = re.compile(r"^\[([ xX\-~/])\][ \t]+")
_CHECKBOX_STATES = {
    " ": ActionState.OPEN,
    "x": ActionState.DONE,
    "X": ActionState.DONE,
    "/": ActionState.IN_PROGRESS,
    "-": ActionState.NOT_DOING,
    "~": ActionState.NOT_DOING,
}

# Status words, most specific first (未着手 "not started" contains 着手 "started"; 未完成 "not
# done" contains 完成 "done"), in every language of the vocabulary.
_STATE_WORDS: tuple[tuple[ActionState, re.Pattern[str]], ...] = tuple(
    (state, re.compile(pattern, re.IGNORECASE))
    for state, pattern in (
        (ActionState.NOT_DOING, r"not doing|won'?t (?:do|fix)|wontfix|rejected|declined"
         r"|cancell?ed|obsolete|見送り|対応しない|不要|中止|不做|不处理|不處理|已取消|取消"
         r"|하지 않음|안 함|취소|wird nicht umgesetzt|verworfen|abgelehnt|abandonné|annulé"
         r"|ne sera pas fait|no se hará|descartad[oa]|cancelad[oa]|rechazad[oa]"
         r"|não será feito"),
        (ActionState.OPEN, r"not started|to ?do|pending|backlog|planned|未着手|未対応|未完了"
         r"|待办|待辦|未开始|未開始|待处理|待處理|未完成|미착수|미완료|대기|예정|\boffen\b"
         r"|ausstehend|geplant|à faire|en attente|prévu|pendiente|por hacer|planificad[oa]"
         r"|pendente|a fazer|planejad[oa]"),
        (ActionState.IN_PROGRESS, r"in progress|in-progress|\bwip\b|ongoing|started|doing"
         r"|対応中|進行中|着手|进行中|处理中|處理中|진행 ?중|작업 ?중|in arbeit|in bearbeitung"
         r"|en cours|en progreso|en curso|em andamento|em progresso"),
        (ActionState.DONE, r"\bdone\b|complete[d]?|\bclosed\b|\bfixed\b|resolved|implemented"
         r"|shipped|merged|✅|✔|☑|完了|済|対応済|已完成|完成|已解决|已解決|已修复|已修復|완료"
         r"|해결됨|\berledigt\b|abgeschlossen|\bumgesetzt\b|terminé|\bfait\b|réalisé"
         r"|\bhecho\b|completad[oa]|terminad[oa]|resuelt[oa]|conclu[ií]d[oa]|\bfeito\b"
         r"|resolvid[oa]|finalizad[oa]"),
        (ActionState.OPEN, r"\bopen\b|\bnew\b|\bneu\b|nouveau|nuevo|novo"),
    )
)  # fmt: skip

# Markers inside an item's own text: a leading symbol or word, a bold word, or a parenthesis.
_LEADING_MARKER = re.compile(
    r"^\s*(?:(?P<done>✅|✔️?|☑️?)|(?P<progress>⚠️?|🚧|⏳|🔄)|(?P<open>❌|⬜|🔲)"
    r"|\*\*(?P<bold>[A-Z][A-Z' ]+)\*\*"
    r"|[\[【(（]?(?:(?P<word>DONE|TODO|DOING|WIP|ERLEDIGT|OFFEN|FAIT|HECHO|FEITO|PENDIENTE"
    r"|PENDENTE|EN COURS)(?!\w)|(?P<cjk>完了|已完成|完成|待办|待辦|进行中|進行中|완료|진행 ?중"
    r"|미완료|未着手|対応中|未完成)(?=[\s:：\]】)）]|$)"
    r"|(?P<label>(?i:done|to ?do|doing|in progress|erledigt|offen|in arbeit|fait|à faire"
    r"|en cours|hecho|pendiente|en progreso|feito|pendente|em andamento))\s*[:：]))",
)
# Markers elsewhere in an item's first paragraph. Prose says "what can be done in case it goes
# bad": lower-case state words count only in bold, in parentheses, in emphasis or after a dash
# at the end; upper-case ones ("DONE in [PR 12]") anywhere.
_INLINE_MARKERS = (
    re.compile(
        r"\*\*\(?(?:done|todo|wip|in progress|not doing|won'?t do|completed?)\b[^*]*\*\*"
        r"|\((?:done|completed?|fixed|implemented|in progress|wip|ongoing|pending|todo"
        r"|not doing|won'?t do|wontfix|rejected|backlog)\b[^)]*\)"
        r"|(?<![\w*])[_*](?:done|completed?|fixed)\b[^_*\n]*[_*]\s*\.?\s*$"
        r"|\s[-–—:]\s*(?:done|completed?|pending|in progress|wip|todo|not doing)\s*\.?\s*$",
        re.IGNORECASE,
    ),
    re.compile(r"\b(?:DONE|COMPLETED|TODO|WIP|WONTFIX)\b"),
)
# A sub-bullet that describes its parent item rather than being work of its own.
_DETAIL = re.compile(
    r"^\s*(?:\*\*)?(?:files?|tools?|links?|owner|refs?|references?|see|notes?|prs?|issues?"
    r"|context|example)(?:\*\*)?\s*:",
    re.IGNORECASE,
)
_PRIORITY = re.compile(
    r"\*\*(?P<bold>critical|urgent|high|medium|low)\*\*"
    r"|(?<![\w-])(?P<p>P[0-4])(?![\w-])"
    r"|\[(?P<bracket>critical|high|medium|low)\]"
    r"|\bpriority\s*[:=]?\s*(?P<named>critical|high|medium|low|p[0-4])\b"
    r"|\((?P<paren>critical|high|medium|low)(?: priority)?\)",
    re.IGNORECASE,
)
_OWNER = re.compile(
    r"(?<![\w/@.])@(?P<handle>[A-Za-z0-9][\w.-]*[A-Za-z0-9_])"
    r"|\b(?:owner|assignee|assigned to)\s*[:=]\s*(?P<named>[^,;)\]\n]+)",
    re.IGNORECASE,
)
_DUE = re.compile(
    r"\b(?:due|deadline|eta|by)\s*[:=]?\s*(?P<date>\d{4}-\d{1,2}-\d{1,2}"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2}(?:,? \d{4})?)",
    re.IGNORECASE,
)
# "done 2026-07-02", "(completed on Jul 2, 2026)", "closed: 2026-07-02": when a done item was done.
_DONE_ON = re.compile(
    r"\b(?:done|completed?|closed|fixed|finished|shipped|merged|landed)\s*(?:on|in|at)?\s*[:=]?\s*"
    r"(?P<date>\d{4}-\d{1,2}-\d{1,2}"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2},? \d{4})",
    re.IGNORECASE,
)
# A table column whose cells say when an item was done ("Completed", "Done on", "完了日").
_DONE_COLUMN = re.compile(r"done|complet|closed|finished|完了", re.IGNORECASE)
_TICKET = re.compile(
    r"\[(?P<ref>#\d+)\]"
    r"|\((?P<url>https?://[^)\s]+/(?:issues|pull|pulls|browse|tickets?|merge_requests)/[^)\s]+)\)"
    r"|(?<![\w&/#])(?P<hash>#\d{2,})\b"
    r"|\b(?P<jira>[A-Z][A-Z0-9]{1,9}-\d+)\b"
    r"|\b[Bb]ug:?\s*(?P<bug>\d{4,})\b",
)

_KIND_WORDS: tuple[tuple[ActionKind, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        (ActionKind.PREVENT, r"prevent|予防|再発防止"),
        (ActionKind.DETECT, r"detect|monitor|alert|検知|監視"),
        (ActionKind.MITIGATE, r"mitigat|repair|recover|緩和|軽減"),
        (ActionKind.PROCESS, r"process|documentation|プロセス|手順"),
    )
)
_DONE_GROUP = re.compile(
    r"complete|\bdone\b|implemented|finished|\btaken\b|完了|実施済", re.IGNORECASE
)
_NUMBERED = re.compile(r"^\s*(?:#?\d+(?:\.\d+)*[.):]|[A-Za-z]+\s*#\d+)\s")

_LABELLED_TICKET = re.compile(
    r"\[[^\]]*\b(?:issue|bug|ticket|pr|pull request|jira)\b[^\]]*\]\((?P<url>[^)\s]+)\)", re.I
)
_CODE = re.compile(r"```.*?```|~~~.*?~~~|`[^`\n]*`", re.DOTALL)

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
        self.kind = next((kind for hint in hints if (kind := _read_kind(hint))), None)
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
        state = _marked_state(part.title) or self.default_state
        return ActionItem(
            text=text,
            state=state,
            line=self.offset + part.start,
            owner=_read_owner(body),
            due=_read_due(body),
            done_on=_read_done_on(text) if state is ActionState.DONE else None,
            priority=_read_priority(body),
            ticket=_read_ticket(body),
            group=self.parent_group,
            kind=self.kind,
        )

    def line_item(self, markdown: str, line: int) -> ActionItem:
        """Return one line of plain text as an item."""
        markdown = markdown.strip()
        checkbox = _CHECKBOX.match(markdown)
        state = _CHECKBOX_STATES[checkbox.group(1)] if checkbox else None
        markdown = markdown[checkbox.end() :] if checkbox else markdown
        return ActionItem(
            text=markdown,
            state=state or _marked_state(markdown) or self.default_state,
            line=self.offset + line,
            owner=_read_owner(markdown),
            due=_read_due(markdown),
            priority=_read_priority(markdown),
            ticket=_read_ticket(markdown),
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
        checkbox = _CHECKBOX.match(markdown)
        if checkbox:
            state = _CHECKBOX_STATES[checkbox.group(1)]
            markdown = markdown[checkbox.end() :]
        else:
            own = item.children[0].inline if item.children else markdown
            state = _marked_state(own) or _nested_state(nested, self.lines) or state
        self.part.consume_block(item)
        return ActionItem(
            text=markdown,
            state=state,
            line=self.offset + item.start,
            owner=_read_owner(markdown),
            due=_read_due(markdown),
            done_on=_read_done_on(markdown) if state is ActionState.DONE else None,
            priority=_read_priority(markdown),
            ticket=_read_ticket(markdown),
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
            state = _word_state(state_text) or _marked_state(text) or self.default_state
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
                ) or _read_done_on(" ".join((cell("state"), text)))
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
                    owner=plain_text(cell("owner")) or _read_owner(text),
                    due=parse_date(due_text) if due_text else _read_due(text),
                    done_on=done_on,
                    priority=_normal_priority(plain_text(cell("priority"))) or _read_priority(text),
                    ticket=cell("ticket") or _read_ticket(cell("state")) or _read_ticket(text),
                    group=self.group,
                    kind=_read_kind(cell("kind")) or self.kind,
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


_PLACEHOLDER_TODO = re.compile(r"^\s*(?:\*\*)?to ?do(?:\*\*)?\s*:", re.IGNORECASE)
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


def leading_state(markdown: str) -> ActionState | None:
    """Return the state a state word opens a line with (``DONE``, ``TODO``, ``完了``), if any.

    Symbols (✅, ❌) do not count: in a lessons list they mark what went well or badly.
    """
    first_line = markdown.split("\n", 1)[0]
    if _PLACEHOLDER_TODO.match(first_line):
        return None  # "TODO: what we learned" holds the place of a lesson in a blank template
    leading = _LEADING_MARKER.match(first_line)
    if leading is None or not any(leading.group(name) for name in ("word", "cjk", "label")):
        return None
    return _marked_state(markdown)


def _marked_state(markdown: str) -> ActionState | None:
    """Return the state an item's own text marks, if any (not its sub-items)."""
    first_line = markdown.split("\n", 1)[0]
    leading = _LEADING_MARKER.match(first_line)
    if leading:
        if leading.group("done"):
            return ActionState.DONE
        if leading.group("progress"):
            return ActionState.IN_PROGRESS
        if leading.group("open"):
            return ActionState.OPEN
        marker = next(
            (group for name in ("bold", "word", "cjk", "label") if (group := leading.group(name))),
            None,
        )
        word = _word_state(marker or "")
        if word:
            return word
    for pattern in _INLINE_MARKERS:
        found = pattern.search(markdown)
        if found:
            return _word_state(found.group(0))
    return None


def _nested_state(nested: list[Block], lines: list[str]) -> ActionState | None:
    """Return an item's state from its sub-items: all done → done, some done → in progress."""
    states = [
        _marked_state(item_markdown(lines, child)) for block in nested for child in block.children
    ]
    done = sum(1 for state in states if state is ActionState.DONE)
    if not done:
        return None
    return ActionState.DONE if done == len(states) else ActionState.IN_PROGRESS


def _is_label_only(rest: str) -> bool:
    """Whether what follows a bold label is nothing but punctuation or a parenthesis."""
    return not rest.strip() or bool(re.fullmatch(r"\s*\([^)]*\)\s*:?\s*", rest))


def _is_detail(item: Block, lines: list[str]) -> bool:
    return bool(_DETAIL.match(item_markdown(lines, item)))


def _is_empty(text: str) -> bool:
    """Whether an entry holds no words of its own: blank, a dash, or a template placeholder."""
    return is_placeholder(plain_text(text))


def _word_state(text: str) -> ActionState | None:
    for state, pattern in _STATE_WORDS:
        if pattern.search(text):
            return state
    return None


def _prose(markdown: str) -> str:
    """Return Markdown without code: ``owner: string`` in a code sample names nobody."""
    return _CODE.sub(" ", markdown)


def _read_owner(markdown: str) -> str | None:
    match = _OWNER.search(_prose(markdown))
    if match is None:
        return None
    if match.group("handle"):
        return "@" + match.group("handle")
    return plain_text(match.group("named")).strip() or None


def _read_due(markdown: str) -> dt.date | None:
    match = _DUE.search(_prose(markdown))
    return parse_date(match.group("date")) if match else None


def _read_done_on(markdown: str) -> dt.date | None:
    match = _DONE_ON.search(_prose(markdown))
    return parse_date(match.group("date")) if match else None


def _read_priority(markdown: str) -> str | None:
    match = _PRIORITY.search(_prose(markdown))
    if match is None:
        return None
    return _normal_priority(next(group for group in match.groups() if group))


def _normal_priority(text: str) -> str | None:
    text = text.strip()
    if not text:
        return None
    if re.fullmatch(r"[Pp][0-4]", text):
        return text.upper()
    lowered = text.lower()
    for word in ("critical", "urgent", "high", "medium", "low"):
        if word in lowered:
            return word
    return text


def _read_ticket(markdown: str) -> str | None:
    """Return the ticket an item names: a link labelled as one first, else the first id."""
    prose = _prose(markdown)
    labelled = _LABELLED_TICKET.search(prose)
    if labelled:
        return labelled.group("url")
    match = _TICKET.search(prose)
    if match is None:
        return None
    return next(group for group in match.groups() if group)


def _read_kind(text: str) -> ActionKind | None:
    for kind, pattern in _KIND_WORDS:
        if pattern.search(text):
            return kind
    return None
