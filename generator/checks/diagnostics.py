"""How a rule words a diagnostic: where, which code, and a short quote of the text at fault."""

from __future__ import annotations

from generator.errors import Diagnostic, Location, Severity
from generator.models import Postmortem

_SNIPPET = 60


def report_problem(
    postmortem: Postmortem,
    line: int,
    code: str,
    message: str,
    *,
    column: int = 1,
    severity: Severity | None = None,
) -> Diagnostic:
    """Return a rule's diagnostic at a line, with the rule's severity unless told otherwise."""
    # The rule table names the rules, which call this: read it once they run, not on import.
    from generator.checks import SEVERITIES  # noqa: PLC0415

    return Diagnostic(
        location=Location(path=postmortem.source, line=postmortem.source_line(line), column=column),
        code=code,
        severity=severity or SEVERITIES[code],
        message=message,
    )


def shorten_text(text: str) -> str:
    """Return text on one line, cut with an ellipsis past a few words, for a message."""
    flat = " ".join(text.split())
    return flat if len(flat) <= _SNIPPET else flat[: _SNIPPET - 1].rstrip() + "…"
