"""What an incident page shows: the frozen views its template reads.

An :class:`IncidentView` holds the page's header (metadata rows, durations) and its body as
:class:`Piece` objects in document order; each piece holds the views of the elements it shows
(events, action items, lessons, mistakes, table rows).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from generator.models import ActionItem
from generator.trigger_quotes import TriggerQuote
from generator.views import IncidentRow, Link


@dataclass(frozen=True, slots=True, kw_only=True)
class EventView:
    """A timeline event."""

    time: str
    """The time as written (empty when the event has none)."""
    iso: str
    """The moment as ISO 8601, for ``<time datetime>`` (empty when unknown)."""
    phase: str
    """Milestone value (``detected`` ...), or empty."""
    phase_label: str
    """Milestone as shown, or empty."""
    since: str
    """For a milestone: the time since the previous milestone (``+14 min``), or empty."""
    html: Markup
    """What happened."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionView:
    """An action item of an incident page."""

    item: ActionItem
    """The model."""
    state: str
    """State value (CSS class)."""
    state_label: str
    """State as shown."""
    html: Markup
    """The item's text."""
    group: str
    """The group it is listed under, when that is not the section's own heading."""
    overdue: bool
    """Open and past its due date."""
    extra: tuple[tuple[str, Markup], ...] = ()
    """Other columns of its table row (list items only: table items show their row)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Cell:
    """A cell of a source table, rendered."""

    html: Markup
    """The cell's content."""
    header: bool = False
    """Whether it is a header cell."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionRow:
    """A row of an action-item table: the item (if the row is one) and its cells."""

    action: ActionView | None
    """The action item the row holds, if it holds one."""
    cells: tuple[Cell, ...]
    """The row's cells as written."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LessonView:
    """A lesson on an incident page, linked to its entry on the lessons page."""

    kind: str
    """Kind value (CSS class)."""
    kind_label: str
    """Kind as shown."""
    html: Markup
    """The lesson's text."""
    title: str
    """The lesson's title, when the text does not already show it (else empty)."""
    groups: tuple[tuple[Link, int], ...]
    """Each lesson group it belongs to and in how many incidents that lesson was learned."""


@dataclass(frozen=True, slots=True, kw_only=True)
class MistakeView:
    """A mistake in three parts."""

    title: str
    """The mistake's name, when no heading above already shows it (else empty)."""
    did: Markup
    """What we did."""
    why: Markup
    """Why it was wrong."""
    should: Markup
    """What we should have done."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Piece:
    """One element of an incident page's body, in document order."""

    kind: str
    """``heading``, ``prose``, ``timeline``, ``checklist``, ``action_table``, ``lessons``,
    ``mistake``, ``cause``, ``items``, ``steps``, ``metrics``, ``field`` or ``table``."""
    line: int
    """Source line where it starts."""
    level: int = 0
    """A heading's level (2-6)."""
    text: str = ""
    """A heading's text (plain), a mistake's or cause's title, a table's column names."""
    html: Markup = field(default_factory=Markup)
    """Rendered content (prose, field, table, cause)."""
    events: tuple[EventView, ...] = ()
    """A timeline's events."""
    actions: tuple[ActionView, ...] = ()
    """A checklist's items."""
    header: tuple[Cell, ...] = ()
    """An action table's header cells."""
    rows: tuple[ActionRow, ...] = ()
    """An action table's rows."""
    lessons: tuple[LessonView, ...] = ()
    """Lessons."""
    items: tuple[Markup, ...] = ()
    """List entries (contributing factors, recovery steps, broken features)."""
    metrics: tuple[tuple[str, str], ...] = ()
    """Metric name and observed value."""
    mistake: MistakeView | None = None
    """A mistake."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Duration:
    """Time between two milestones of an incident."""

    label: str
    """What is measured (``Time to detect``)."""
    minutes: int
    """How long, in minutes."""
    text: str
    """How long, as shown (``1 h 05 min``)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class MetaRow:
    """A line of an incident's metadata table."""

    name: str
    """The field's name as shown."""
    html: Markup
    """The value."""


@dataclass(frozen=True, slots=True, kw_only=True)
class IncidentView:
    """Everything an incident page shows."""

    row: IncidentRow
    """The incident's summary data."""
    heading: str
    """The page's first heading: the document's own title line, else the title."""
    meta: tuple[MetaRow, ...]
    """Metadata: the model's values and every field the author wrote."""
    durations: tuple[Duration, ...]
    """Durations between milestones, where the timeline gives them."""
    pieces: tuple[Piece, ...]
    """The body, in document order."""
    done_actions: int
    """Action items done."""
    related: tuple[tuple[IncidentRow, str], ...]
    """Related incidents, best first, and why (``recurring lesson: ... · terms: ...``)."""
    themes: tuple[tuple[Link, tuple[TriggerQuote, ...]], ...] = ()
    """The incident's failure themes (linked to the themes page), each with the words that
    showed it, quoted where the incident says them."""
    source: str
    """The source file as shown."""
    edit_url: str | None
    """Where to edit the source, if known."""
