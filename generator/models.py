"""The model of a postmortem: what every page, check and export of pmkb reads.

A :class:`Postmortem` is built once by :mod:`generator.parse` and never changed afterwards. Every
element keeps the 1-based line of the source where it starts, so that checks can point at it and
the site can link back to it (a paragraph's ``<br>`` counts as a line break there: see
:meth:`Postmortem.source_line`). Text fields hold Markdown exactly as the author wrote it (list
markers and container indentation removed), never HTML: escaping happens where HTML is made.

Nothing is lost: :attr:`Postmortem.sections` partitions the document's body, and each section keeps
its Markdown verbatim, so whatever the structured fields do not capture is still there.
"""

from __future__ import annotations

import bisect
import datetime as dt
import enum
from dataclasses import dataclass, field


class SectionKind(enum.StrEnum):
    """What a section of a postmortem is about, whatever its heading says."""

    SUMMARY = "summary"
    IMPACT = "impact"
    TIMELINE = "timeline"
    ROOT_CAUSE = "root_cause"
    CONTRIBUTING_FACTORS = "contributing_factors"
    TRIGGER = "trigger"
    DETECTION = "detection"
    RESOLUTION = "resolution"
    MISTAKES = "mistakes"
    LESSONS = "lessons"
    WENT_WELL = "went_well"
    WENT_WRONG = "went_wrong"
    LUCKY = "lucky"
    FIVE_WHYS = "five_whys"
    ACTION_ITEMS = "action_items"
    STATUS = "status"
    PEOPLE = "people"
    APPENDIX = "appendix"
    OTHER = "other"

    def is_lesson(self) -> bool:
        """Return whether items of such a section are lessons."""
        return self in _LESSON_KINDS


_LESSON_KINDS = frozenset(
    {SectionKind.LESSONS, SectionKind.WENT_WELL, SectionKind.WENT_WRONG, SectionKind.LUCKY}
)


class Status(enum.StrEnum):
    """Where a postmortem stands."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    OPEN = "open"
    MONITORING = "monitoring"
    RESOLVED = "resolved"
    CLOSED = "closed"
    UNKNOWN = "unknown"

    def is_settled(self) -> bool:
        """Return whether the incident is over (resolved or closed)."""
        return self in (Status.RESOLVED, Status.CLOSED)


class Phase(enum.StrEnum):
    """A milestone of an incident that a timeline event can mark."""

    BEGINS = "begins"
    DETECTED = "detected"
    MITIGATED = "mitigated"
    RESOLVED = "resolved"


class LessonKind(enum.StrEnum):
    """The flavour of a lesson, after the Google SRE template's three questions."""

    LEARNED = "learned"
    WENT_WELL = "went_well"
    WENT_WRONG = "went_wrong"
    LUCKY = "lucky"


class ActionState(enum.StrEnum):
    """Where an action item stands; "not doing" is a decision, not neglect."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    NOT_DOING = "not_doing"

    def is_open(self) -> bool:
        """Return whether the item is still to be done."""
        return self in (ActionState.OPEN, ActionState.IN_PROGRESS)


class ActionKind(enum.StrEnum):
    """What an action item is for, when its author says so."""

    PREVENT = "prevent"
    DETECT = "detect"
    MITIGATE = "mitigate"
    PROCESS = "process"


@dataclass(frozen=True, slots=True, kw_only=True)
class Field:
    """One metadata field as the author wrote it: front matter key, bold label, table row."""

    name: str
    """The field's name, lower-cased (``date``, ``status``, ``time to detection`` ...)."""
    value: str
    """The value as written, markup removed (front matter values are turned into text)."""
    line: int
    """Source line of the field."""
    front_matter: bool = False
    """Whether the field comes from the front matter rather than the body."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Passage:
    """A run of a section's lines that no structured field captured, kept verbatim."""

    line: int
    """Source line of the passage's first line."""
    markdown: str
    """The lines, dedented out of any list item they sat in."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Section:
    """One section of the document: a heading (or a bold label) and the lines up to the next."""

    heading: str
    """The heading as written, Markdown markers removed; empty for text before any heading."""
    kind: SectionKind
    """What the section is about."""
    level: int
    """Heading level (1-6); a bold-label section is one deeper than its enclosing heading;
    0 for the untitled text before the first heading."""
    line: int
    """Source line of the heading (or of the first line of untitled text)."""
    end_line: int
    """Last source line of the section, inclusive."""
    markdown: str
    """The section's lines exactly as written, heading included."""
    residual: tuple[Passage, ...]
    """What no structured field captured, verbatim and in order: render it (interleaved with the
    section's elements by line), or lose it."""

    @property
    def residual_markdown(self) -> str:
        """The residual passages joined into one Markdown text."""
        return "\n\n".join(passage.markdown for passage in self.residual)


@dataclass(frozen=True, slots=True, kw_only=True)
class TimelineEvent:
    """Something that happened, at a time if the document says when."""

    time: str | None
    """The time as written (``12:32 UTC``, ``Sep 27 2017 13:06``, ``[???]``), or None."""
    at: dt.datetime | None
    """The moment, when the document gives enough to infer it (date carried from headings or
    earlier events, time zone from the section)."""
    date: dt.date | None
    """The day, when known, even for an event with no time of day (``**October 9, 2025**``)."""
    text: str
    """What happened, as Markdown."""
    phase: Phase | None
    """The milestone this event marks, if any."""
    line: int
    """Source line."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Mistake:
    """A mistake the responders own up to, in the seed's three parts."""

    title: str
    """Short name of the mistake."""
    what_we_did: str
    """What we did."""
    why_wrong: str
    """Why it was wrong."""
    should_have_done: str
    """What we should have done."""
    line: int
    """Source line."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Item:
    """A plain list entry of a section: a broken feature, a factor, a recovery step."""

    text: str
    """The entry as Markdown."""
    line: int
    """Source line."""


@dataclass(frozen=True, slots=True, kw_only=True)
class IncidentEntry:
    """One incident of a document that logs several (its own dated heading)."""

    title: str
    """The incident's title, as its heading names it (without the date)."""
    date: dt.date | None
    """The day its heading names."""
    line: int
    """Source line of its heading; its sections follow until the next incident."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Metric:
    """An observed value during the incident (``"Completion": Always 100%``)."""

    name: str
    """What was measured."""
    value: str
    """What was observed."""
    line: int
    """Source line."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Impact:
    """Who and what the incident hurt."""

    text: str
    """The impact sections' prose, as Markdown."""
    broken_features: tuple[Item, ...] = ()
    """Features that stopped working."""
    metrics: tuple[Metric, ...] = ()
    """Named observations (metric name → observed value)."""
    line: int = 0
    """Source line of the first impact section (0 when the document has none)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RootCause:
    """A cause the authors identified."""

    title: str
    """Short name: a subsection heading, a bold lead, or the first sentence."""
    text: str
    """The explanation, as Markdown."""
    line: int
    """Source line."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Lesson:
    """Something the team learned."""

    title: str
    """The lesson in a few words: heading, bold lead, or first sentence."""
    text: str
    """The whole lesson, as Markdown."""
    kind: LessonKind
    """Learned, went well, went wrong, or lucky."""
    line: int
    """Source line."""
    tags: tuple[str, ...] = ()
    """Explicit lesson keys from the front matter, which link the same lesson across incidents
    whatever its wording."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionItem:
    """Follow-up work an incident asked for."""

    text: str
    """What to do, as Markdown, as written: only a checkbox is removed (the site draws it)."""
    state: ActionState
    """Open, in progress, done or not doing."""
    line: int
    """Source line."""
    owner: str | None = None
    """Who owns it (``@handle`` or a name), if anyone."""
    due: dt.date | None = None
    """When it is due, if said."""
    done_on: dt.date | None = None
    """When it was done, if the postmortem says (``done 2026-07-02``, a "Completed" column);
    only ever set on a done item."""
    priority: str | None = None
    """Priority as normalised text (``P1``, ``high``), if said."""
    ticket: str | None = None
    """A ticket id or link tracking it."""
    group: str | None = None
    """The heading of the group it is listed under (``For Import System Specifically``)."""
    kind: ActionKind | None = None
    """Prevent, detect, mitigate or process, when the document says."""
    fields: tuple[tuple[str, str], ...] = ()
    """For an item from a table: every other cell of its row as written, as (header, cell)
    pairs (owner, due, status ... are also read into the fields above)."""

    @property
    def done(self) -> bool:
        """Whether the work is done."""
        return self.state is ActionState.DONE


@dataclass(frozen=True, slots=True, kw_only=True)
class Postmortem:
    """One incident's postmortem, parsed."""

    id: str
    """Stable identifier: front matter ``id``, else the file name without extension."""
    source: str
    """The source file path, as given."""
    title: str
    """The incident's title."""
    date: dt.date | None
    """When the incident happened: a front matter key saying when it began (``incident_date``,
    ``started``), a date field, the day the title, summary or timeline names, the front matter
    ``date``, or the file name's date prefix."""
    status: Status
    """Normalised status."""
    status_text: str | None
    """The status as written, markup removed (``✅ RESOLVED - Tables restored ...``)."""
    severity: str | None = None
    """Severity as written, markers removed (``SEV-3``, ``Critical``)."""
    authors: tuple[str, ...] = ()
    """Who wrote it."""
    owners: tuple[str, ...] = ()
    """Who owns the incident's follow-up."""
    services: tuple[str, ...] = ()
    """Affected services."""
    tags: tuple[str, ...] = ()
    """Free tags from the front matter."""
    internal: bool = False
    """Marked internal, or its visibility in doubt (PMK005): left out of public builds, search
    index included."""
    summary: str = ""
    """The summary, as Markdown."""
    timezone: str | None = None
    """The time zone the timeline is written in, if stated once for all."""
    timeline: tuple[TimelineEvent, ...] = ()
    """Events in document order."""
    mistakes: tuple[Mistake, ...] = ()
    """Mistakes, in the three-part form."""
    impact: Impact = field(default_factory=lambda: Impact(text=""))
    """Who and what was hurt."""
    root_causes: tuple[RootCause, ...] = ()
    """Root causes."""
    contributing_factors: tuple[Item, ...] = ()
    """Contributing factors."""
    lessons: tuple[Lesson, ...] = ()
    """Lessons of every kind."""
    recovery: tuple[Item, ...] = ()
    """Resolution and recovery steps already taken (not action items)."""
    action_items: tuple[ActionItem, ...] = ()
    """Follow-up work."""
    sections: tuple[Section, ...] = ()
    """Every section of the body, in order; together they hold every line of it."""
    fields: tuple[Field, ...] = ()
    """Every metadata field found, front matter first."""
    body_line: int = 1
    """The first line of the body (after the front matter)."""
    incidents: tuple[IncidentEntry, ...] = ()
    """The incidents of a document that logs several (empty for a postmortem of one): the
    document stays one postmortem, its sections and timeline holding every incident's, and
    ``date`` is the first incident's."""
    published: dt.date | None = None
    """When the write-up was published, when that is known apart from the incident's day: a
    blog post's front matter ``date`` or ``published``, or a path such as ``2021/05/04/...``."""
    break_lines: tuple[int, ...] = ()
    """Lines the parser read that a ``<br>`` began, in ascending order: it reads a paragraph's
    ``<br>`` as a line break, so element lines count these too; :meth:`source_line` gives the
    file's line."""

    @property
    def open_action_items(self) -> tuple[ActionItem, ...]:
        """Action items still to be done."""
        return tuple(a for a in self.action_items if a.state.is_open())

    def source_line(self, line: int) -> int:
        """Return the file's line for a line of an element (see ``break_lines``)."""
        return line - bisect.bisect_right(self.break_lines, line) if self.break_lines else line

    def find_field(self, name: str) -> Field | None:
        """Return the first metadata field of that name, if any."""
        return next((f for f in self.fields if f.name == name), None)
