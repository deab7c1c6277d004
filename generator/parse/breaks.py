"""Lines joined by ``<br>``: a paragraph pasted from a chat tool or a word processor.

``Summary: Checkout failed.<br>Timeline:<br>09:12 CET: deploy starts<br>Next steps:<br>- add a
canary`` is one source line, but its author wrote lines: each ``<br>`` of a paragraph is read as a
line break, so that labels start sections, timed lines are events and list lines are items, as
they would be with newlines. The break stays a break where the text is shown: each cut line ends
with two spaces, Markdown's own hard line break.

The parser then reads more lines than the file has. Model elements are numbered in the lines
read (so that sections and their elements keep distinct lines); ``Postmortem.source_line`` turns
such a number back into the file's line for anything shown to the author (diagnostics, listings).
"""

from __future__ import annotations

import re

from generator.parse.blocks import parse_blocks

_BREAK = re.compile(r"[ \t]*<br\s*/?>[ \t]*", re.IGNORECASE)
_HARD_BREAK = "  "
# A piece that would open a code fence, an HTML block or underline a setext heading when put on
# a line of its own: kept after its ``<br>`` on the line before, as written.
_KEEP_JOINED = re.compile(r"(?:`{3}|~{3}|<|(?:=+|-+)\s*$)")


def expand_breaks(body: str) -> tuple[str, tuple[int, ...]]:
    """Return the body with its paragraphs' ``<br>`` as line breaks, and the lines this added.

    The added lines are 0-based indexes in the returned text. Only top-level paragraphs are cut:
    a ``<br>`` in a table cell, a list item, a heading or code is the cell's or item's own.
    """
    if "<br" not in body and "<BR" not in body and "<Br" not in body and "<bR" not in body:
        return body, ()
    lines = body.split("\n")
    cut: dict[int, list[str]] = {}
    for block in parse_blocks(body):
        if block.type != "paragraph" or not _BREAK.search(block.inline):
            continue
        for index in range(block.start, block.end):
            pieces = _cut_line(lines[index])
            if len(pieces) > 1:
                cut[index] = pieces
    if not cut:
        return body, ()
    result: list[str] = []
    added: list[int] = []
    for index, line in enumerate(lines):
        if index not in cut:
            result.append(line)
            continue
        pieces = cut[index]
        for number, piece in enumerate(pieces):
            if number:
                added.append(len(result))
            result.append(piece + _HARD_BREAK if number < len(pieces) - 1 else piece)
    return "\n".join(result), tuple(added)


def _cut_line(line: str) -> list[str]:
    """Return the pieces of one line between its breaks (a trailing break ends the line)."""
    pieces: list[str] = []
    position = 0
    for match in _BREAK.finditer(line):
        following = line[match.end() :]
        if (
            not following.strip()
            or not line[position : match.start()].strip()
            or _KEEP_JOINED.match(following)
        ):
            continue  # nothing around it, or a piece that would change the blocks: as written
        pieces.append(line[position : match.start()])
        position = match.end()
    pieces.append(line[position:])
    return pieces
