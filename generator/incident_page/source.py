"""What an incident page reads of a section's source lines.

Tables (their line spans, header and cells, as markdown-it-py reads them), list and quote
markers, bold labels standing for headings, the document's title section, and the loose
comparison of texts that tells a repeated heading or field apart.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it import MarkdownIt

from generator.markup import plain_text
from generator.models import Postmortem, Section

_TABLES = MarkdownIt("commonmark").enable("table")
_WORD = re.compile(r"\w+")


def find_table_spans(section: Section) -> list[tuple[int, int]]:
    """Return the tables of a section, as absolute [first line, last line] pairs."""
    if "|" not in section.markdown:
        return []
    spans = []
    for token in _TABLES.parse(section.markdown):
        if token.type == "table_open" and token.map and token.level == 0:
            spans.append((section.line + token.map[0], section.line + token.map[1] - 1))
    return spans


def has_table_row(section: Section, content: list[tuple[int, str, object]]) -> bool:
    """Return whether any structured element of a section starts on a line with a ``|``."""
    lines = section.markdown.split("\n")
    return any(
        kind != "prose"
        and 0 <= line - section.line < len(lines)
        and "|" in lines[line - section.line]
        for line, kind, _ in content
    )


def find_span(spans: Sequence[tuple[int, int]], line: int) -> tuple[int, int] | None:
    """Return the span (of a table) that holds a line, if one does."""
    return next((span for span in spans if span[0] <= line <= span[1]), None)


def cut_lines(section: Section, span: tuple[int, int]) -> str:
    """Return the Markdown of a section's lines in an absolute [first, last] span."""
    lines = section.markdown.split("\n")
    return "\n".join(lines[span[0] - section.line : span[1] - section.line + 1])


def split_table_cells(markdown: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Return a table's header cells and body rows (line offset, cells) as inline Markdown."""
    header: list[str] = []
    rows: list[tuple[int, list[str]]] = []
    current: list[str] | None = None
    in_head = False
    for token in _TABLES.parse(markdown):
        if token.type == "thead_open":
            in_head = True
        elif token.type == "thead_close":
            in_head = False
        elif token.type == "tr_open":
            current = []
            if not in_head:
                rows.append((token.map[0] if token.map else 0, current))
        elif token.type == "inline" and current is not None:
            current.append(token.content)
        elif token.type == "tr_close" and in_head and current is not None:
            header = current
    return header, rows


def read_table_header(markdown: str) -> list[str]:
    """Return a table's header cells as inline Markdown."""
    return split_table_cells(markdown)[0]


def strip_container(line: str) -> str:
    """Return a source line without its list or quote marker."""
    stripped = line.lstrip()
    while stripped.startswith(">"):
        stripped = stripped[1:].lstrip()
    for marker in ("- ", "* ", "+ "):
        if stripped.startswith(marker):
            return stripped[len(marker) :]
    head, dot, rest = stripped.partition(". ")
    if dot and head.isdigit():
        return rest
    return stripped


def squash(text: str) -> str:
    """Return text folded for a loose comparison: case and runs of spaces ignored."""
    return " ".join(text.casefold().split())


def collect_words(text: str) -> set[str]:
    """Return the words of a text, ignoring markup and a truncation mark."""
    plain = plain_text(text).casefold().rstrip(".… ")
    return set(_WORD.findall(plain))


def is_label(section: Section) -> bool:
    """Return whether a section starts at a bold label rather than a Markdown heading."""
    lines = section.markdown.split("\n", 2)
    first = strip_container(lines[0]).lstrip()
    underlined = len(lines) > 1 and set(lines[1].strip()) in ({"="}, {"-"})
    return not first.startswith("#") and not underlined


def find_title_section(postmortem: Postmortem) -> Section | None:
    """Return the section whose heading is the document's title (its first level-1 heading)."""
    for section in postmortem.sections:
        if section.level == 1:
            return section
        if section.level > 1:
            return None
    return None
