"""What the pages show of the links found in the incidents' texts (:mod:`generator.links`).

* On an incident page, an element that recurs carries an anchor (:func:`element_anchor`) and a
  note: "learned before in <incident> (date)", "again in <incident>", each linked to the
  occurrence's place on the other incident's page (:func:`mark_element`); the incident's
  failure themes with the words that triggered them, and its related incidents with reasons.
* The lessons page leads with the recurring lessons, each occurrence linked to its place and
  the first ones quoted (:func:`recurring_views`).
* The themes page counts incidents per theme per year (:func:`theme_views`); each incident's
  triggers are quoted where it says them (:mod:`generator.trigger_quotes`).

All author text enters HTML escaped (or rendered to safe HTML by the site's renderer).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from itertools import islice

from markupsafe import Markup

from generator.links import Occurrence, RecurringLesson
from generator.models import Postmortem
from generator.trigger_quotes import IncidentText, TriggerQuote, quote_triggers
from generator.views import IncidentRow, Link, SiteContext

QUOTED_OCCURRENCES = 20
"""How many occurrences of a recurring lesson the lessons page quotes (the first, oldest
incident first); the later ones are listed, each linked to its place, without their words. A
lesson that thousands of incidents re-learn made a page of tens of megabytes (84 MB at 10,000
generated postmortems), more than a browser shows or a reader reads, and the largest cost of
the build's list pages in time and memory."""

MAX_NOTE_LINKS = 3
"""How many earlier (and how many later) incidents a recurrence note names; the lessons page
lists them all."""

KIND_LABELS = {
    "lesson": "Lesson",
    "mistake": "Mistake",
    "root_cause": "Root cause",
    "contributing_factor": "Contributing factor",
    "action_item": "Action item",
}
"""How each kind of element is labelled."""


@dataclass(frozen=True, slots=True, kw_only=True)
class QuotedOccurrence:
    """One incident's words for a recurring lesson, on the lessons page."""

    incident: IncidentRow
    """The incident."""
    kind_label: str
    """What the element is (``Root cause``)."""
    url: str
    """The element's place on the incident's page."""
    html: Markup | None
    """The element's text, rendered; None past the first :data:`QUOTED_OCCURRENCES`."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RecurringView:
    """A recurring lesson on the lessons page."""

    lesson: RecurringLesson
    """The lesson."""
    occurrences: tuple[QuotedOccurrence, ...]
    """Where it was said, oldest incident first."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ThemeView:
    """A failure theme on the themes page."""

    id: str
    """The theme's id."""
    title: str
    """The theme's title."""
    anchor: str
    """Its anchor on the themes page."""
    by_year: tuple[int, ...]
    """How many incidents had it, per year of :attr:`ThemesView.years`."""
    undated: int
    """How many undated incidents had it."""
    incidents: tuple[tuple[IncidentRow, tuple[TriggerQuote, ...]], ...]
    """Each incident with the theme (newest first) and where it said the words that showed it."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ThemesView:
    """The themes page."""

    years: tuple[int, ...]
    """The years of the incidents, oldest first."""
    themes: tuple[ThemeView, ...]
    """The themes that some incident has, most frequent first (then in vocabulary order)."""


def element_anchor(line: int) -> str:
    """Return the anchor of the element starting at a source line on its incident's page."""
    return f"pmkb-line-{line}"


def theme_anchor(theme_id: str) -> str:
    """Return the anchor of a theme on the themes page."""
    return f"theme-{theme_id}"


def mark_element(
    site: SiteContext, postmortem: Postmortem, page: str, line: int, html: Markup
) -> Markup:
    """Return an element's HTML with its anchor and its recurrence note, if it recurs."""
    lessons = site.catalog.links.recurrences(postmortem, line)
    if not lessons:
        return html
    anchor = Markup('<span class="pmkb-anchor" id="{}"></span>').format(element_anchor(line))
    return anchor + html + _note(site, postmortem, page, lessons)


def _note(
    site: SiteContext, postmortem: Postmortem, page: str, lessons: tuple[RecurringLesson, ...]
) -> Markup:
    parts = []
    for lesson in lessons:
        before, again = nearest_occurrences(site, postmortem, lesson)
        links = []

        if before:
            links.append(
                Markup("learned before in ")
                + Markup(", ").join(_link(site, page, o, "pmkb-recurs__before") for o in before)
            )
        if again:
            links.append(
                Markup("again in ")
                + Markup(", ").join(_link(site, page, o, "pmkb-recurs__again") for o in again)
            )
        total = lesson.count - 1
        shown = len(before) + len(again)
        more = Markup(" and {} more").format(total - shown) if total > shown else Markup("")
        parts.append(
            Markup(
                '<span class="pmkb-recurs__item">'
                '<a class="pmkb-recurs__lesson" href="{}">{}</a>: {}{}</span>'
            ).format(
                site.url(page, f"lessons.md#{lesson.anchor}"),
                lesson.title,
                Markup("; ").join(links),
                more,
            )
        )
    return Markup('<p class="pmkb-recurs">Recurring: {}</p>').format(Markup(" ").join(parts))


def nearest_occurrences(
    site: SiteContext, postmortem: Postmortem, lesson: RecurringLesson
) -> tuple[list[Occurrence], list[Occurrence]]:
    """Return the latest earlier incidents (nearest first) and the first later ones.

    Each other incident once, at its first occurrence; "later" is anything not dated before
    this incident. Found by bisection in the lesson's order, built once per build: a lesson
    that recurs in every incident would otherwise make the notes quadratic.
    """
    firsts, ordinals = _lesson_order(site, lesson)
    split = bisect_left(ordinals, postmortem.date.toordinal()) if postmortem.date else 0
    before = firsts[max(0, split - MAX_NOTE_LINKS) : split][::-1]
    # By index, not a slice: a copy of the rest of the list per incident would be quadratic.
    later = (
        firsts[n]
        for n in range(split, len(firsts))
        if firsts[n].postmortem.source != postmortem.source
    )
    return before, list(islice(later, MAX_NOTE_LINKS))


def _lesson_order(site: SiteContext, lesson: RecurringLesson) -> tuple[list[Occurrence], list[int]]:
    """Return each incident's first occurrence of a lesson, oldest first, and their day numbers.

    Undated incidents come last (the occurrences' order) with a day number past every date.
    """
    key = ("lesson order", lesson.id)
    found = site.memo.get(key)
    if found is None:
        seen: set[str] = set()
        firsts = []
        for occurrence in lesson.occurrences:
            if occurrence.postmortem.source not in seen:
                seen.add(occurrence.postmortem.source)
                firsts.append(occurrence)
        undated = dt.date.max.toordinal() + 1
        ordinals = [o.postmortem.date.toordinal() if o.postmortem.date else undated for o in firsts]
        found = site.memo[key] = (firsts, ordinals)
    return found


def _link(site: SiteContext, page: str, occurrence: Occurrence, css: str) -> Markup:
    other = occurrence.postmortem
    target = f"{site.incident_page(other)}#{element_anchor(occurrence.line)}"
    date = Markup(" ({})").format(other.date.isoformat()) if other.date else Markup("")
    return Markup('<a class="{}" href="{}">{}</a>{}').format(
        css, site.url(page, target), other.title, date
    )


def recurring_views(site: SiteContext, page: str) -> tuple[RecurringView, ...]:
    """Return the recurring lessons with each occurrence linked, for ``page``.

    The first :data:`QUOTED_OCCURRENCES` of each lesson are quoted too.
    """
    views = []
    for lesson in site.catalog.links.recurring:
        occurrences = tuple(
            QuotedOccurrence(
                incident=site.row(page, o.postmortem),
                kind_label=KIND_LABELS.get(o.kind, o.kind),
                url=site.url(page, f"{site.incident_page(o.postmortem)}#{element_anchor(o.line)}"),
                html=site.block(o.postmortem, page, o.text) if n < QUOTED_OCCURRENCES else None,
            )
            for n, o in enumerate(lesson.occurrences)
        )
        views.append(RecurringView(lesson=lesson, occurrences=occurrences))
    return tuple(views)


def theme_links(
    site: SiteContext, postmortem: Postmortem, page: str
) -> tuple[tuple[Link, tuple[TriggerQuote, ...]], ...]:
    """Return an incident's themes as links to the themes page, each with its quoted trigger."""
    reader = IncidentText(postmortem)  # the incident's texts are read once for all its themes
    return tuple(
        (
            Link(url=site.url(page, f"themes.md#{theme_anchor(theme.id)}"), text=theme.title),
            quote_triggers(postmortem, theme.triggers, limit=1, reader=reader),
        )
        for theme in site.catalog.links.themes_of(postmortem)
    )


def related_rows(
    site: SiteContext, postmortem: Postmortem, page: str
) -> tuple[tuple[IncidentRow, str], ...]:
    """Return an incident's related incidents, best first, each with its reasons."""
    return tuple(
        (site.row(page, related.postmortem), " · ".join(related.reasons))
        for related in site.catalog.links.related(postmortem)
    )


def theme_views(site: SiteContext, page: str) -> ThemesView:
    """Return the themes page: incidents per theme per year, and each theme's incidents."""
    links = site.catalog.links
    years = sorted({p.date.year for p in site.catalog if p.date})
    # Incident by incident, so that each incident's texts are read once for all its themes.
    shown = {theme.id for theme in links.themes}
    by_theme: dict[str, list[tuple[Postmortem, tuple[IncidentRow, tuple[TriggerQuote, ...]]]]]
    by_theme = {theme_id: [] for theme_id in shown}
    for postmortem in site.catalog:
        reader = IncidentText(postmortem)
        seen: set[str] = set()
        for match in links.themes_of(postmortem):
            if match.id in seen or match.id not in shown:
                continue  # an incident is listed once under a theme, with its first match
            seen.add(match.id)
            quotes = quote_triggers(postmortem, match.triggers, reader=reader)
            by_theme[match.id].append((postmortem, (site.row(page, postmortem), quotes)))
    found = []
    for number, theme in enumerate(links.themes):
        counts: Counter[int] = Counter()
        undated = 0
        for postmortem, _ in by_theme[theme.id]:
            if postmortem.date:
                counts[postmortem.date.year] += 1
            else:
                undated += 1
        incidents = [entry for _, entry in by_theme[theme.id]]
        if incidents:
            found.append(
                (
                    -len(incidents),
                    number,
                    ThemeView(
                        id=theme.id,
                        title=theme.title,
                        anchor=theme_anchor(theme.id),
                        by_year=tuple(counts[year] for year in years),
                        undated=undated,
                        incidents=tuple(incidents),
                    ),
                )
            )
    found.sort(key=lambda item: (item[0], item[1]))
    return ThemesView(years=tuple(years), themes=tuple(view for _, _, view in found))
