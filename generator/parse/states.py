"""Action-item states as teams mark them, in every language of the vocabulary.

A checkbox (``[x]``, ``[/]``, ``[-]``), a leading symbol or state word (✅, ``DONE``, ``TODO``,
``ERLEDIGT``, ``完了``, ``완료``), a bold or bracketed marker (``**DONE**``, ``(in progress)``) or a
status cell (``erledigt``, ``pendiente``, ``已完成``) says where an item stands.
"""

from __future__ import annotations

import re

from generator.models import ActionState
from generator.parse.blocks import Block
from generator.parse.document import item_markdown

CHECKBOX = re.compile(r"^\[([ xX\-~/])\][ \t]+")
CHECKBOX_STATES = {
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
_PLACEHOLDER_TODO = re.compile(r"^\s*(?:\*\*)?to ?do(?:\*\*)?\s*:", re.IGNORECASE)


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
    return marked_state(markdown)


def marked_state(markdown: str) -> ActionState | None:
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
        word = word_state(marker or "")
        if word:
            return word
    for pattern in _INLINE_MARKERS:
        found = pattern.search(markdown)
        if found:
            return word_state(found.group(0))
    return None


def nested_state(nested: list[Block], lines: list[str]) -> ActionState | None:
    """Return an item's state from its sub-items: all done → done, some done → in progress."""
    states = [
        marked_state(item_markdown(lines, child)) for block in nested for child in block.children
    ]
    done = sum(1 for state in states if state is ActionState.DONE)
    if not done:
        return None
    return ActionState.DONE if done == len(states) else ActionState.IN_PROGRESS


def word_state(text: str) -> ActionState | None:
    for state, pattern in _STATE_WORDS:
        if pattern.search(text):
            return state
    return None
