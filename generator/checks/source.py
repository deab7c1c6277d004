"""What the rules read of a postmortem's source: its lines outside code, and its headings' lines.

The rules read the models only; this is how they see the Markdown each section keeps, with
fenced code left out and code spans blanked, so that a ``TODO:`` or a link in code is not one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.models import Postmortem, Section

_FENCE = re.compile(r"^\s*(?P<fence>`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`)")
_ATX = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")
_SETEXT = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")


def count_heading_lines(section: Section) -> int:
    """Return how many lines a section's heading takes (0 for a bold label or untitled text)."""
    lines = section.markdown.split("\n")
    if section.level == 0 or not lines:
        return 0
    if _ATX.match(lines[0]):
        return 1
    if len(lines) > 1 and lines[0].strip() and _SETEXT.match(lines[1]):
        return 2
    return 0


def read_prose_lines(postmortem: Postmortem) -> Iterator[tuple[int, str]]:
    """Yield (line, text) for the body's lines outside fenced code, code spans blanked out.

    Blanking keeps columns right; sections never split a fence, so each is read on its own.
    """
    for section in postmortem.sections:
        fence: str | None = None
        for offset, raw in enumerate(section.markdown.split("\n")):
            opener = _FENCE.match(raw)
            if fence is not None:
                if opener and opener["fence"][0] == fence[0] and len(opener["fence"]) >= len(fence):
                    fence = None
                continue
            if opener:
                fence = opener["fence"]
                continue
            text = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), raw) if "`" in raw else raw
            yield section.line + offset, text
