"""Diagnostics: what pmkb says about a file, located like a compiler error.

Every problem pmkb finds (an unreadable file, bad front matter, a rule of ``pmkb check``) is a
:class:`Diagnostic` with a :class:`Location`. Nothing in the core raises on bad input; diagnostics
are collected and handed to the edges (the CLI, the MkDocs plugin), which decide what fails.
"""

from __future__ import annotations

import enum
import json
import re
from dataclasses import dataclass
from pathlib import Path


class Severity(enum.StrEnum):
    """How bad a diagnostic is; errors fail ``pmkb check`` and ``mkdocs build --strict``."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def fails(self, *, strict: bool) -> bool:
        """Return whether a diagnostic of this severity makes a run fail."""
        return self is Severity.ERROR or (strict and self is Severity.WARNING)


@dataclass(frozen=True, slots=True, kw_only=True)
class Location:
    """A place in a source file."""

    path: str
    """The file, as given to pmkb (relative paths stay relative)."""
    line: int = 1
    """1-based line number."""
    column: int = 1
    """1-based column number."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Diagnostic:
    """One problem found in a postmortem or in the knowledge base."""

    location: Location
    """Where the problem is."""
    code: str
    """A stable rule code such as ``PMK001``, documented in ``docs/rules.md``."""
    severity: Severity
    """Error, warning or info."""
    message: str
    """What is wrong and what to do about it, in one sentence or two."""

    def __str__(self) -> str:
        return terminal_text(f"{self.location}: {self.code} {self.severity} {self.message}")

    def to_json(self) -> dict[str, object]:
        """Return the diagnostic as the export's JSON object."""
        return {
            "path": self.location.path,
            "line": self.location.line,
            "column": self.location.column,
            "code": self.code,
            "severity": str(self.severity),
            "message": self.message,
        }


# Every terminal control sequence: CSI (colours, cursor moves), OSC (window titles, hyperlinks,
# the clipboard), DCS/SOS/PM/APC strings, two-character escapes; and every other C0 or C1
# control character but tab and newline (a carriage return rewrites the line it ends).
_TERMINAL_CONTROL = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]?|\][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|[PX^_][^\x1b\x9c]*(?:\x1b\\|\x9c)?|.)?"
    r"|[\x9d\x90\x98\x9e\x9f][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]",
    re.DOTALL,
)


def terminal_text(text: str) -> str:
    """Return text safe to print on a terminal: every control sequence and character removed.

    Postmortem text reaches the terminal in diagnostics and action lists; an escape sequence
    pasted into one (a log with colours, or a hostile OSC that sets the clipboard or a link)
    must show as nothing, not act.
    """
    return _TERMINAL_CONTROL.sub("", text)


def json_text(value: object) -> str:
    """Return a value as readable JSON (UTF-8 kept) in which no character can drive a terminal.

    JSON escapes C0 controls itself; the C1 controls (U+0080-U+009F, among them the one-byte
    CSI and OSC) it would write as they are, so they are escaped here too (still valid JSON).
    """
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return _C1.sub(lambda match: f"\\u{ord(match.group(0)):04x}", text)


_C1 = re.compile("[\x7f-\x9f]")


def show_path(path: Path, root: Path | None = None) -> str:
    """Return how messages name a file: relative to ``root`` (default: here) if inside it.

    Diagnostics and pages name a postmortem relative to the knowledge base; terminal messages
    name a file relative to the current folder. A file outside is named as given.
    """
    try:
        return path.resolve().relative_to((root or Path.cwd()).resolve()).as_posix()
    except (ValueError, OSError):
        return path.as_posix()
