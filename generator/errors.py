"""Diagnostics: what pmkb says about a file, located like a compiler error.

Every problem pmkb finds (an unreadable file, bad front matter, a rule of ``pmkb check``) is a
:class:`Diagnostic` with a :class:`Location`. Nothing in the core raises on bad input; diagnostics
are collected and handed to the edges (the CLI, the MkDocs plugin), which decide what fails.
"""

from __future__ import annotations

import enum
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
        return f"{self.location}: {self.code} {self.severity} {self.message}"

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


def show_path(path: Path, root: Path | None = None) -> str:
    """Return how messages name a file: relative to ``root`` (default: here) if inside it.

    Diagnostics and pages name a postmortem relative to the knowledge base; terminal messages
    name a file relative to the current folder. A file outside is named as given.
    """
    try:
        return path.resolve().relative_to((root or Path.cwd()).resolve()).as_posix()
    except (ValueError, OSError):
        return path.as_posix()
