"""Hand-built postmortem models for the catalog and render tests (no parser involved)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from generator.models import (
    ActionItem,
    ActionState,
    Lesson,
    LessonKind,
    Passage,
    Postmortem,
    Section,
    SectionKind,
    Status,
)


def make_postmortem(id: str, **values: Any) -> Postmortem:
    """Return a postmortem with sensible defaults; keyword arguments override any field."""
    defaults: dict[str, Any] = {
        "id": id,
        "source": f"postmortems/{id}.md",
        "title": id.replace("-", " ").capitalize(),
        "date": None,
        "status": Status.RESOLVED,
        "status_text": None,
    }
    defaults.update(values)
    return Postmortem(**defaults)


def lesson(title: str, line: int, *, tags: tuple[str, ...] = (), text: str = "") -> Lesson:
    """Return a learned lesson."""
    return Lesson(title=title, text=text or title, kind=LessonKind.LEARNED, line=line, tags=tags)


def action(
    text: str,
    line: int,
    *,
    state: ActionState = ActionState.OPEN,
    due: dt.date | None = None,
    owner: str | None = None,
    **values: Any,
) -> ActionItem:
    """Return an action item."""
    return ActionItem(text=text, state=state, line=line, due=due, owner=owner, **values)


def section(
    heading: str,
    line: int,
    end_line: int,
    *,
    kind: SectionKind = SectionKind.OTHER,
    level: int = 2,
    markdown: str = "",
    residual: tuple[tuple[int, str], ...] = (),
) -> Section:
    """Return a section; ``residual`` is (line, markdown) pairs."""
    return Section(
        heading=heading,
        kind=kind,
        level=level,
        line=line,
        end_line=end_line,
        markdown=markdown or f"{'#' * level} {heading}",
        residual=tuple(Passage(line=at, markdown=text) for at, text in residual),
    )
