"""The incident's title, wherever the document puts it.

A first line or H1 that only says what the document is ("Post-mortem", "Incident report",
"障害報告書", "[Public]" before the real words) gives way to the specific title: the rest of that
heading after a colon, the next line, the first H2 that names no section, or the front matter's.
Without any heading, the first short line of the text is the title; without that, the file name.
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
_TAG_PREFIX = re.compile(r"^\s*[\[【(（][^\]】)）]{1,30}[\]】)）](?:\s+|(?<=[】）])\s*)(?=\S)")
_FILE_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_MAX_LINE_TITLE = 100
_SENTENCE_END = re.compile(r"[.。!！?？:：]\s*$")


def find_title(front: dict[str, Any], parts: list[Part], stem: str) -> str:
    """Return the incident's title (see the module docstring)."""
    written = format_value(front.get("title")).strip() if front.get("title") is not None else ""
    if written and not is_generic(written):
        # Front matter is plain text, not Markdown: "<b>", "*" and "_" in it are the author's.
        return clean(written, markdown=False)
    heading = next((part for part in parts if part.is_title), None)
    if heading is not None and heading.title and not is_generic(heading.heading):
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


def _first_line_title(part: Part) -> str | None:
    """Return the short first line under a generic title (or of an untitled text), if any.

    The line is consumed: the page shows it as the title.
    """
    block = part.blocks[0] if part.blocks else None
    if block is None or block.type != "paragraph":
        return None
    for index, line in enumerate(block.inline.split("\n")[:2]):
        text = plain_text(line).strip()
        if not text or is_generic(text):
            continue
        if split_bold_lead(line) or split_plain_label(line) or _SENTENCE_END.search(text):
            return None  # a field line or a sentence: there is no title line
        if len(text) > _MAX_LINE_TITLE:
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
