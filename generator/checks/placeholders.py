"""Placeholders: the scaffolds' ``TODO:`` (or a Jinja ``{{ ... }}``) left unfilled.

A placeholder line is reported once, by PMK018, and the other rules leave it alone, so that a
fresh scaffold gives nothing but placeholder warnings.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.checks.diagnostics import report_problem, shorten_text
from generator.checks.scope import Scope
from generator.errors import Diagnostic
from generator.models import Postmortem

_PLACEHOLDER = re.compile(r"(?<![A-Za-z0-9_])TODO:|(?<!\$)\{\{.*?\}\}|\{%.*?%\}")


def has_placeholder(text: str | None) -> bool:
    """Return whether text still holds a template placeholder (``TODO:`` or ``{{ ... }}``).

    Not the parser's ``is_placeholder``, which finds text that says nothing (``TBD``, ``-``).
    """
    return bool(text) and _PLACEHOLDER.search(text or "") is not None


def check_placeholders(postmortem: Postmortem, scope: Scope) -> Iterator[Diagnostic]:
    """PMK018: no template placeholder is left.

    A placeholder is a ``TODO:`` or a Jinja ``{{ ... }}`` outside code, in the body or in a
    front matter value; one per line is reported.
    """
    for meta in postmortem.fields:
        if meta.front_matter and has_placeholder(meta.value):
            yield _report_placeholder(postmortem, meta.line, 1, f"{meta.name}: {meta.value}")
    for line, text in scope.prose_lines(postmortem):
        match = _PLACEHOLDER.search(text)
        if match is not None:
            rest = text[match.start() :]
            if text.lstrip().startswith("|"):
                rest = rest.split("|", 1)[0].strip()  # one table cell, not the whole row
            yield _report_placeholder(postmortem, line, match.start() + 1, rest)


def _report_placeholder(postmortem: Postmortem, line: int, column: int, text: str) -> Diagnostic:
    return report_problem(
        postmortem,
        line,
        "PMK018",
        f"unfilled placeholder '{shorten_text(text)}': write this part (and remove the TODO), "
        "or delete it if it does not apply",
        column=column,
    )
