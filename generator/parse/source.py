"""Source: a postmortem's text split into front matter and body.

Front matter is YAML between ``---`` lines or TOML between ``+++`` lines, at the very top. The
file's bytes become text in :mod:`generator.parse.encoding`; the front matter's text becomes a
mapping in :mod:`generator.parse.front_matter`.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from typing import Any

from generator.errors import Diagnostic, Severity
from generator.parse.encoding import make_diagnostic
from generator.parse.front_matter import find_key_lines, load_toml, load_yaml


class FrontMatter(enum.Enum):
    """What the top of a file holds, as far as front matter goes."""

    NONE = "none"
    """No front matter: the file starts with its body."""
    READ = "read"
    """Front matter, read into a mapping."""
    BROKEN = "broken"
    """Fenced front matter that is not valid YAML or TOML, or not a mapping: nothing was read."""
    UNREAD = "unread"
    """Something that may be front matter but was not read as such (a fence never closed, or an
    odd fence around text that is no mapping): it is part of the body."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    """A postmortem file read into text, front matter split off."""

    path: str
    """The path as given."""
    front_matter: dict[str, Any]
    """The front matter, parsed (empty when there is none or it is broken)."""
    front_matter_lines: dict[str, int]
    """Source line of each top-level front matter key."""
    body: str
    """Everything after the front matter."""
    body_line: int
    """The 1-based source line where the body starts."""
    state: FrontMatter = FrontMatter.NONE
    """Whether front matter was found and read."""
    fence_line: int = 1
    """The line of the opening fence (or of the first line, without one)."""
    front_matter_text: str = ""
    """The front matter as written, between its fences."""


def split_front_matter(text: str, path: str) -> tuple[Source, list[Diagnostic]]:
    """Return the source with its front matter parsed, and what was wrong with it.

    Front matter is read where authors put it, not only where it belongs: after blank lines,
    with blanks after the opening fence, closed by YAML's ``...``. Other tools (GitHub, MkDocs
    for a file in ``docs/``) may read such a file differently, so each of those shapes is an
    error to fix, but pmkb still reads what it says (``internal: true`` above all).
    """
    opening = _OPENING.match(text)
    if opening is None:
        return _body_only(path, text, FrontMatter.NONE, 1), []
    fence = opening.group(1)
    fence_line = text.count("\n", 0, opening.start(1)) + 1
    closing = (_YAML_CLOSING if fence == "---" else _TOML_CLOSING).search(text, opening.end())
    if closing is None:
        # A lone opening fence is a thematic break, not front matter: the text is all body.
        return _body_only(path, text, FrontMatter.UNREAD, fence_line), [
            make_diagnostic(
                path,
                fence_line,
                "PMK003",
                Severity.WARNING,
                f"front matter opened with '{fence}' is never closed; add a closing "
                f"'{fence}' line, or a blank line first if this is a horizontal rule",
            )
        ]
    odd = _odd_fences(text, opening, closing)
    raw = text[opening.end() : closing.start()]
    body_start = closing.end() + 1 if closing.end() < len(text) else closing.end()
    body_line = text.count("\n", 0, body_start) + 1
    toml = fence == "+++"
    data, diagnostics = (load_toml if toml else load_yaml)(raw, path, fence_line)
    if odd and diagnostics and not any(find_key_lines(raw, toml=toml, first=fence_line + 1)):
        # Text between two odd rules ("---  " then a paragraph then "..."): no front matter.
        return _body_only(path, text, FrontMatter.UNREAD, fence_line), []
    if odd:
        diagnostics.insert(
            0,
            make_diagnostic(
                path,
                fence_line,
                "PMK003",
                Severity.ERROR,
                f"the front matter's fences are off ({'; '.join(odd)}); pmkb reads it, but other "
                f"tools do not: put '{fence}' alone on the first line and close with '{fence}'",
            ),
        )
    broken = any(d.severity is Severity.ERROR for d in diagnostics[1 if odd else 0 :])
    source = Source(
        path=path,
        front_matter=data,
        front_matter_lines=find_key_lines(raw, toml=toml, first=fence_line + 1) if data else {},
        body=text[body_start:],
        body_line=body_line,
        state=FrontMatter.BROKEN if broken else FrontMatter.READ,
        fence_line=fence_line,
        front_matter_text=raw,
    )
    return source, diagnostics


# The first line that is not blank is a fence ("---" or "+++", maybe followed by blanks).
_OPENING = re.compile(r"\A(?:[ \t]*\n)*(---|\+\+\+)([ \t]*)\n")
_YAML_CLOSING = re.compile(r"^(---|\.\.\.)[ \t]*$", re.MULTILINE)
_TOML_CLOSING = re.compile(r"^\+\+\+[ \t]*$", re.MULTILINE)


def _odd_fences(text: str, opening: re.Match[str], closing: re.Match[str]) -> list[str]:
    """Say what is off about front matter fences that are not exactly where they belong."""
    odd = []
    if opening.start(1) > 0:
        odd.append("blank lines before the opening fence")
    if opening.group(2):
        odd.append("blanks after the opening fence")
    if closing.group(0).startswith("..."):
        odd.append("closed with '...'")
    return odd


def _body_only(path: str, text: str, state: FrontMatter, fence_line: int) -> Source:
    """Return the source of a file whose text is all body (no front matter read)."""
    return Source(
        path=path,
        front_matter={},
        front_matter_lines={},
        body=text,
        body_line=1,
        state=state,
        fence_line=fence_line,
    )
