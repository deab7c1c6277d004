"""The incident's title, wherever the document puts it.

A first line or H1 that only says what the document is ("Post-mortem", "Incident report",
"障害報告書", "[Public]" before the real words) gives way to the specific title: the rest of that
heading after a colon, the next line, the first H2 that names no section, or the front matter's.
An H1 that only names who wrote it ("Contoso Engineering", "ACME Corp — Reliability", "Platform
Team") gives way the same way, when a specific title follows it. Without any heading, the first
short line of the text is the title; without that, the file name.
"""

from __future__ import annotations

import re
from typing import Any

from generator.parse.document import Part
from generator.parse.front_matter import format_value
from generator.parse.text import plain_text, split_bold_lead, split_plain_label
from generator.parse.times import read_stamp

# What a report calls itself, in every language of the vocabulary: "Postmortem", "Incident
# report", "Störungsbericht", "Rapport d'incident", "事故报告", "障害報告書", "장애 보고서".
_REPORT_WORDS = (
    r"(?:(?:public|internal|customer)\s+)?(?:post[- ]?mortem(?: report)?|post[- ]incident review"
    r"|incident(?: report| review| postmortem| analysis)?|outage report|rca"
    r"|root cause analysis|störungsbericht|vorfallbericht|vorfallsbericht|rapport d'incident"
    r"|informe de(?:l)? incidente|relatório de incidente|事故报告|事故報告|故障报告|故障報告"
    r"|事后复盘|事後復盤|复盘报告|復盤報告|复盘|復盤|障害報告書?|ポストモーテム|インシデントレポート"
    r"|장애 ?보고서|사후 ?분석|포스트모템)(?:\s*#?\d+)?"
)
_TITLE_PREFIX = re.compile(rf"^{_REPORT_WORDS}\s*[:：\-–—|]\s*", re.I)
_GENERIC_TITLE = re.compile(rf"\s*{_REPORT_WORDS}\s*[:：.]?\s*", re.I)
# "[Public] ...", "【社外秘】...": a tag in brackets before the words.
# A tag holds a word: "( )" or "[ ]" (an empty box) is not one.
_TAG_PREFIX = re.compile(
    r"^\s*[\[【(（](?=[^\]】)）]*[^\s\]】)）])[^\]】)）]{1,30}[\]】)）](?:\s+|(?<=[】）])\s*)(?=\S)"
)
_FILE_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_MAX_LINE_TITLE = 100
_SENTENCE_END = re.compile(r"[.。!！?？:：]\s*$")
# A line that is bold and nothing else: "**Checkout outage, 5 March**".
_BOLD_LINE = re.compile(r"^\s*(\*\*|__)(?P<text>[^*_\n]+?)\1\s*$")
# Words that name a company, a team or a department, in the vocabulary's languages: a heading of
# a few words with one of these, and none naming something that went wrong, is a banner.
_ORGANISATION_WORDS = frozenset(
    {"engineering", "team", "teams", "corp", "corporation", "inc", "ltd", "llc", "gmbh", "ag"}
    | {"plc", "co", "company", "group", "reliability", "sre", "devops", "operations", "ops"}
    | {"infrastructure", "department", "division", "org", "organization", "organisation"}
    | {"labs", "blog", "newsroom", "technik", "équipe", "equipe", "equipo", "ingénierie"}
    | {"ingeniería", "engenharia", "チーム", "团队", "團隊", "팀", "株式会社", "有限公司"}
    | {"エンジニアリング", "엔지니어링", "工程团队", "技术团队", "開発部", "技術部"}
)
_EVENT_WORDS = re.compile(
    r"outage|incident|fail|down|degrad|error|disrupt|interrupt|leak|loss|lost|breach|bug|crash"
    r"|halt|latenc|slow|unavailab|broken|expir|exhaust|starv|oom|delay|corrupt|timeout|flak"
    r"|stuck|spike|ausfall|störung|fehler|panne|caída|caida|queda|falha|障害|故障|事故|中断|停止"
    r"|宕机|장애|중단|\d",
    re.I,
)
_MAX_BANNER_WORDS = 6
_MAX_NAME_WORDS = 1


def find_title(front: dict[str, Any], parts: list[Part], stem: str) -> str:
    """Return the incident's title (see the module docstring)."""
    written = format_value(front.get("title")).strip() if front.get("title") is not None else ""
    if written and not is_generic(written):
        # Front matter is plain text, not Markdown: "<b>", "*" and "_" in it are the author's.
        return clean(written, markdown=False)
    heading = next((part for part in parts if part.is_title), None)
    if heading is not None and heading.title and not is_generic(heading.heading):
        banner = is_banner(heading.title)
        if banner or _is_name_only(heading.title):
            specific = _title_after_banner(heading, parts, needs_event=not banner)
            if specific is not None:
                return clean(specific)
        return clean(heading.heading)
    # A generic H1 or none at all: the specific title comes next.
    host = heading or next((part for part in parts if part.level == 0), None)
    line = _first_line_title(host) if host is not None else None
    if line is not None:
        return clean(line)
    start = parts.index(heading) + 1 if heading is not None else 0
    following = next((p for p in parts[start:] if p.level > 0 and p.lead is None), None)
    if (
        following is not None
        and following.title
        and not following.named
        and (heading is not None or following.level <= 2)
    ):
        return clean(following.heading)
    return _title_from_name(stem)


def is_generic(title: str) -> bool:
    """Whether a title only says what the document is ("Post-mortem", "[Public] Incident")."""
    return bool(_GENERIC_TITLE.fullmatch(plain_text(_TAG_PREFIX.sub("", title)) or title))


def is_banner(title: str) -> bool:
    """Whether a heading only names a company or a team ("Contoso Engineering", "Platform Team").

    A banner is a few words, one of them an organisation's word, none saying what went wrong
    (nor a number: "Team 7 deploys" or a date is about an event).
    """
    words = re.findall(r"[^\W_]+", title.casefold())
    if not words or len(words) > _MAX_BANNER_WORDS or _EVENT_WORDS.search(title):
        return False
    folded = title.casefold()
    return any(word in _ORGANISATION_WORDS for word in words) or any(
        word in folded for word in _ORGANISATION_WORDS if not word.isascii()
    )


def _is_name_only(title: str) -> bool:
    """Whether a heading is just a name ("Contoso"): one capitalised word, naming no event.

    Such a heading gives way only to a following title that says what went wrong.
    """
    words = title.split()
    return (
        0 < len(words) <= _MAX_NAME_WORDS
        and all(word[:1].isupper() for word in words)
        and not _EVENT_WORDS.search(title)
    )


def _title_after_banner(heading: Part, parts: list[Part], *, needs_event: bool) -> str | None:
    """Return the specific title under a banner H1: its next line, or the next unnamed heading.

    ``needs_event``: the title must say what went wrong (under a heading that is only a name).
    """
    line = _first_line_title(heading, needs_event=needs_event)
    if line is not None:
        return line
    start = parts.index(heading) + 1
    following = next((p for p in parts[start:] if p.level > 0 and p.lead is None), None)
    if (
        following is None
        or not following.title
        or following.named
        or is_generic(following.heading)
        or is_banner(following.title)
        or (needs_event and not _EVENT_WORDS.search(following.title))
    ):
        return None
    return following.heading


def clean(title: str, *, markdown: bool = True) -> str:
    """Return a title without its tag, its "Postmortem:" prefix or a leading date.

    ``markdown``: the title is inline Markdown (a heading), reduced to its plain text.
    """
    read = plain_text if markdown else str.strip
    text = read(title)
    untagged = read(_TAG_PREFIX.sub("", title)).strip()
    text = _TITLE_PREFIX.sub("", untagged or text).strip() or untagged or text
    stamp = read_stamp(text)
    if stamp is not None and stamp.has_date and text[stamp.end :].strip():
        text = text[stamp.end :].strip()
    return text or read(title)


def _first_line_title(part: Part, *, needs_event: bool = False) -> str | None:
    """Return the short first line under a generic title (or of an untitled text), if any.

    The line is consumed: the page shows it as the title. ``needs_event``: only a line that
    says what went wrong is the title.
    """
    block = part.blocks[0] if part.blocks else None
    if block is None or block.type != "paragraph":
        return None
    for index, line in enumerate(block.inline.split("\n")[:2]):
        text = plain_text(line).strip()
        if not text or is_generic(text):
            continue
        bold = _BOLD_LINE.match(line)
        if (
            bold is not None
            and len(text.split()) > 1
            and not _SENTENCE_END.search(text)
            and split_plain_label(text) is None  # "**Status: resolved**" is a field
        ):
            pass  # "**Checkout outage, 5 March**": a title set in bold, not a label
        elif split_bold_lead(line) or split_plain_label(line) or _SENTENCE_END.search(text):
            return None  # a field line or a sentence: there is no title line
        if len(text) > _MAX_LINE_TITLE or (needs_event and not _EVENT_WORDS.search(text)):
            return None
        part.consume(block.start + index, block.start + index + 1)
        return text
    return None


def _title_from_name(stem: str) -> str:
    """Return a title made from a file name: "2023-09-30-Chain-Halt" → "Chain Halt"."""
    match = _FILE_DATE.search(stem)
    rest = stem[match.end() :] if match else stem
    words = re.sub(r"[-_\s]+", " ", rest).strip()
    return words or stem
