"""Rules on the structure of a postmortem: required sections, empty sections, a known status."""

from __future__ import annotations

from collections.abc import Iterator

from generator.checks.diagnostics import report_problem, shorten_text
from generator.checks.placeholders import has_placeholder
from generator.checks.scope import Scope
from generator.checks.source import count_heading_lines
from generator.errors import Diagnostic
from generator.models import Postmortem, Status


def check_required_sections(postmortem: Postmortem, scope: Scope) -> Iterator[Diagnostic]:
    """PMK010: every section kind of ``required_sections`` is present.

    A section is there when a heading (or a bold label) names its kind in any wording the
    vocabulary knows: ``## Action Items``, ``## Preventive Measures`` and ``## 再発防止策`` all
    make an ``action_items`` section.
    """
    kinds = {str(section.kind) for section in postmortem.sections}
    for required in scope.settings.required_sections:
        if required in kinds:
            continue
        name = required.replace("_", " ").capitalize()
        yield report_problem(
            postmortem,
            1,
            "PMK010",
            f"there is no {name} section: add one (`## {name}`), or drop '{required}' from "
            "required_sections in mkdocs.yml if your postmortems need none",
        )


def check_empty_sections(postmortem: Postmortem, scope: Scope) -> Iterator[Diagnostic]:
    """PMK011: a heading has something under it: text, or subsections.

    A heading that carries its value (``## Date: 2025-08-12``) is not empty, and neither is a
    section holding only a placeholder (that one is reported as a placeholder).
    """
    del scope
    field_lines = {f.line for f in postmortem.fields if not f.front_matter}
    sections = postmortem.sections
    for index, section in enumerate(sections):
        heading_lines = count_heading_lines(section)
        if heading_lines == 0 or section.line in field_lines:
            continue
        content = section.markdown.split("\n")[heading_lines:]
        if any(line.strip() for line in content):
            continue
        following = sections[index + 1] if index + 1 < len(sections) else None
        if following is not None and following.level > section.level:
            continue
        yield report_problem(
            postmortem,
            section.line,
            "PMK011",
            f"the section '{shorten_text(section.heading)}' is empty: write what belongs there, "
            "or delete the heading if it does not apply",
        )


def check_status(postmortem: Postmortem, scope: Scope) -> Iterator[Diagnostic]:
    """PMK017: the status is one pmkb knows.

    Draft, in review, open, monitoring, resolved or closed, or a word for one of them
    (``fixed``, ``complete``, ``investigating`` ...).
    """
    del scope
    if postmortem.status is not Status.UNKNOWN or not postmortem.status_text:
        return
    if has_placeholder(postmortem.status_text):
        return
    status_field = postmortem.find_field("status")
    yield report_problem(
        postmortem,
        status_field.line if status_field else 1,
        "PMK017",
        f"status '{shorten_text(postmortem.status_text)}' is not one pmkb knows: start it with "
        "draft, in review, open, monitoring, resolved or closed",
    )
